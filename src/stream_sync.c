// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_sync: where a direction's parser stands — a message start after the SYN, resumed
 * from the kernel's record after a restart, lost at a gap and found again at the next
 * boundary.  Mirrors nf_conntrack_ftp.c's wait for a line feed (seq_aft_nl); the rules are
 * at the top of stream.c. */
#include <arpa/inet.h>
#include <string.h>
#include "log.h"
#include "pool.h"
#include "seqadj.h"
#include "stream_int.h"

void stream_dir_sync(const struct stream_proto *sp, struct stream_dir *sd, void *parser, int dir,
		     uint32_t seq)
{
	sp->sync(parser, dir, sd->next_off);
	sd->next_seq = seq;
	sd->hold_len = 0;
	sd->dropped = 0;
	sd->synced = 1;
	sd->known = 1;
}

/* A connection we hold no state for (we were restarted): the kernel kept where its next
 * message starts.  A stale copy (packets queued before our last verdict) just does not match. */
void stream_resume(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		   void *parser, struct stream_kstate *k)
{
	const struct ct_info *ct = ctx->ct;
	struct stream_kstate kk;
	int dir = ctx->dir;

	if (!ct->help_info || ct->help_info_len < sizeof(kk))
		return;
	memcpy(&kk, ct->help_info, sizeof(kk));
	if (ctx->fresh)
		*k = kk;
	/* Never behind bytes seen already: those passed unparsed while we were out of sync (a
	 * segment reordered ahead), and parsing them now would rewrite a copy of them. */
	if (!sd->synced && kk.valid[dir] && ntohl(kk.seq[dir]) == ctx->pkt.seq &&
	    (!sd->known || !seq_before(ctx->pkt.seq, sd->next_seq))) {
		stream_dir_sync(sp, sd, parser, dir, ctx->pkt.seq);
		k->seq[dir] = kk.seq[dir];
		k->valid[dir] = 1;
	}
}

/* A segment after a gap: data we never saw went by (or is still to come), so message
 * boundaries are unknown from here on.  What came before stays old, journal and all.  False
 * when the segment was dropped. */
bool stream_gap(struct help_ctx *ctx, struct stream_dir *sd, struct help_result *res)
{
	if (help_ct_natted(ctx->ct) && (sd->hold_len || sd->dropped)) {
		/* Passing it would give it an offset that the held message will change. */
		stream_drop(ctx, res, "segment ahead of a held-back message");
		return false;
	}
	log_rl(LOG_INFO, "ct %u: gap in the stream, resynchronising", ctx->ct->id);
	sd->synced = 0;
	sd->hold_len = 0;
	pool_unpin(ctx->pool, sd->block);
	sd->next_seq = ctx->pkt.seq;
	return true;
}

/* New bytes, but not at a known message start: parse from the next boundary (*start moves
 * there; true).  Without one the segment passes as it is, or is dropped (false). */
bool stream_resync(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		   void *parser, struct journal_out *o, bool changed, uint32_t wire, uint32_t *start,
		   struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	const uint8_t *data = ctx->data + p->off;
	uint32_t end = p->seq + p->len;
	/* A protocol that never resynchronises (no_resync) trusts no boundary found here. */
	int b = sp->no_resync ? -1 : sp->boundary(data + *start, p->len - *start);
	const char *why;

	if (b < 0) {
		journal_out_add(o, data + *start, p->len - *start, *start, false);
		if ((why = stream_send(ctx, sd, o, changed, wire, true, res))) {
			stream_drop(ctx, res, why);
			return false;
		}
		sd->next_seq = end;
		sd->wdelta = (int32_t)(wire + o->len - end);
		return false;
	}
	journal_out_add(o, data + *start, (uint32_t)b, *start, false);
	*start += (uint32_t)b;
	stream_dir_sync(sp, sd, parser, ctx->dir, p->seq + *start);
	return true;
}
