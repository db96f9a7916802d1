// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_bound: the longest segment the stream layer sends in a direction, and how a changed
 * segment is kept within it.  nf_nat_mangle_tcp_packet grows a segment with no MTU check; a
 * forwarded packet too long for the next hop with DF set (every IPv6 packet) is dropped after
 * the verdict (ip_fragment, ip6_fragment), its retransmission is rebuilt the same from the
 * journal, and the connection stalls for good.  RFC 9293 3.7.1 (MSS, its defaults), RFC 6691
 * (options count against it), RFC 1191 and RFC 8200 5 (DF, no fragmentation on the way).
 * The policy is at the top of stream.c. */
#include <netinet/in.h>
#include <sys/socket.h>
#include "log.h"
#include "pool.h"
#include "stream_int.h"

/* The fixed IP and TCP headers an MSS leaves out; anything more (IP options, IPv6 extension
 * headers, TCP options) is carried at the payload's expense (RFC 6691). */
static uint32_t bound_fixed(const struct pkt *p)
{
	return p->family == AF_INET6 ? 40 + 20 : 20 + 20;
}

/* What every path must carry, and what a sender assumes when the SYN has no MSS option
 * (RFC 9293 MUST-15): 576 - 40 for IPv4, 1280 - 60 for IPv6. */
static uint32_t bound_default(const struct pkt *p)
{
	return p->family == AF_INET6 ? 1220 : 536;
}

static void bound_say(const struct help_ctx *ctx, struct stream_dir *sd, uint8_t bit, const char *what)
{
	if (sd->said & bit)
		return;
	sd->said |= bit;
	log_rl(LOG_INFO, "ct %u: %s (said once for this connection)", ctx->ct->id, what);
}

void stream_bound_learn(const struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd)
{
	const struct pkt *p = &ctx->pkt;
	uint32_t seg = p->off - bound_fixed(p) + p->len;
	struct stream_dir *peer;

	if (p->len && seg > sd->seen)
		sd->seen = seg > UINT16_MAX ? UINT16_MAX : (uint16_t)seg;
	if (!(p->tcp_flags & PKT_TCP_SYN) || !sp->dir_pair)
		return;
	peer = ctx->dir == CT_DIR_ORIGINAL ? sd + 1 : sd - 1;
	stream_bound_syn(ctx, peer);
}

/* A SYN says what its sender takes: the bound of the direction towards it.  A hostile
 * option (MSS 0, a bad length, a truncated list) reads as none: the default, as the peer's
 * own stack takes it (Linux's tcp_parse_options stops at it the same way). */
void stream_bound_syn(const struct help_ctx *ctx, struct stream_dir *towards)
{
	const struct pkt *p = &ctx->pkt;
	uint16_t mss;

	if (!(p->tcp_flags & PKT_TCP_SYN))
		return;
	mss = pkt_tcp_mss(ctx->data, p);
	towards->mss = mss ? mss : (uint16_t)bound_default(p);
}

/* min(mss, max(seen, default)) - options, and never less than the packet itself:
 * - mss: the receiver takes no more (its SYN said so), and the sender sends no more, so
 *   nothing larger has ever shown that the path carries it;
 * - seen: the sender's segments as long as the longest it sent (its path MTU discovery
 *   found at least that much) got here, so the path carries them;
 * - default: what every path carries, when the sender sent only shorter ones;
 * - options: this packet's own, which the MSS does not count (RFC 6691);
 * - the packet's own length: a segment passed as it came is never ours to shorten, and one
 *   longer than the receiver's MSS shows a sender that knows better.
 * Without a SYN seen (a restart) mss is unknown: max(seen, default).  IPv4 without DF is
 * fragmented by a router that cannot forward it whole: no bound. */
uint32_t stream_bound(const struct help_ctx *ctx, const struct stream_dir *sd)
{
	const struct pkt *p = &ctx->pkt;
	uint32_t opts = p->off - bound_fixed(p), seg = bound_default(p);

	if (p->family == AF_INET && !pkt_v4_df(ctx->data, p))
		return STREAM_UNBOUNDED;
	if (sd->seen > seg)
		seg = sd->seen;
	if (sd->mss && sd->mss < seg)
		seg = sd->mss;
	seg = seg > opts ? seg - opts : 0;
	return seg > p->len ? seg : p->len;
}

bool stream_bound_may_hold(const struct help_ctx *ctx, const struct stream_proto *sp,
			   struct stream_dir *sd, uint64_t carry)
{
	uint32_t bound = stream_bound(ctx, sd), opts = ctx->pkt.off - bound_fixed(&ctx->pkt);
	uint32_t next = sd->seen > opts ? sd->seen - opts : 0;

	/* A sender of full-size segments is a bulk sender: held bytes would make its next
	 * segment too long, so its split message passes unrewritten, as the kernel's would. */
	if (bound == STREAM_UNBOUNDED || carry + next + sp->grow_max <= bound)
		return true;
	ctx->pool->unbounded++;
	bound_say(ctx, sd, STREAM_SAID_PLAIN, "a message split by a sender of "
		  "full-size segments passes unrewritten: held back, it would not fit the path");
	return false;
}

/* Move hold back so that the output (out_len bytes) shrinks to bound: the bytes between the
 * last edit kept and hold leave as they came, one output byte each.  False when that would
 * cut into an edit or the bytes sent already, or hold more than hold_max. */
static bool bound_cut(const struct stream_proto *sp, const struct stream_pkt *s, bool edits,
		      uint32_t out_len, uint32_t bound, uint64_t end, uint64_t *hold)
{
	uint64_t lim = s->sent > s->base ? s->sent : s->base;
	uint32_t over = out_len - bound;

	if (edits && edit_set_count(&s->edits) && edit_set_end(&s->edits) > lim)
		lim = edit_set_end(&s->edits);
	if (*hold < lim + over || end - (*hold - over) > sp->hold_max)
		return false;
	*hold -= over;
	return true;
}

/* What the edits add to the output. */
static int64_t bound_growth(const struct stream_pkt *s)
{
	int64_t g = 0;

	for (unsigned i = 0; i < edit_set_count(&s->edits); i++)
		g += (int64_t)edit_set_at(&s->edits, i)->text_len - edit_set_at(&s->edits, i)->len;
	return g;
}

void stream_bound_fit(const struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		      bool idle, const struct stream_pkt *s, uint32_t out_len, uint64_t hold,
		      uint64_t end, struct stream_fit *f)
{
	uint32_t bound = stream_bound(ctx, sd);
	bool v6 = ctx->pkt.family == AF_INET6;
	int64_t g;

	f->hold = hold;
	f->plain = false;
	if (out_len <= bound)
		return;
	/* Held bytes released with a longer segment than ever before: release what fits, keep
	 * the rest held while the message is unfinished (the sender must send more, and the
	 * rest leaves with it).  At a message end, IPv4 leaves whole with DF cleared
	 * (stream_bound_over); IPv6 has no such way and keeps the rest held all the same. */
	if (s->carry_len && (!idle || v6) && bound_cut(sp, s, true, out_len, bound, end, &f->hold))
		goto cut;
	if (s->carry_len && !v6)
		return;
	/* Growth past the bound: the new bytes pass unrewritten, as the kernel's helper leaves
	 * a message it cannot rewrite (its expectations go with the edits). */
	g = bound_growth(s);
	if (g > 0) {
		f->plain = true;
		out_len -= (uint32_t)g;
		ctx->pool->unbounded++;
		bound_say(ctx, sd, STREAM_SAID_PLAIN, "a rewrite would make a segment longer than the "
			  "path carries; it passes unrewritten");
	}
	if (out_len <= bound || !s->carry_len || !bound_cut(sp, s, !f->plain, out_len, bound, end, &f->hold))
		return;
cut:
	if (idle) {
		ctx->pool->overbound++;
		bound_say(ctx, sd, STREAM_SAID_OVER, "the end of a message stays held back: with it the "
			  "segment would not fit the path (IPv6), and the sender may wait for an answer");
	}
}

bool stream_bound_over(const struct help_ctx *ctx, struct stream_dir *sd, uint32_t out_len)
{
	if (out_len <= stream_bound(ctx, sd))
		return false;
	if (pkt_v4_df(ctx->data, &ctx->pkt)) {
		ctx->pool->dfcleared++;
		bound_say(ctx, sd, STREAM_SAID_DF, "a rewritten segment is longer than the path "
			  "carries; sent with DF cleared, for the router to fragment");
		return true;
	}
	ctx->pool->overbound++;
	bound_say(ctx, sd, STREAM_SAID_OVER, "a rewritten IPv6 segment is longer than the path "
		  "carries and cannot be shortened; it may be dropped on the way");
	return false;
}
