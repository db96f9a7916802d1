// SPDX-License-Identifier: GPL-2.0-or-later
/* stream: TCP stream positions, retransmissions, hold-back under NAT and rewrite composition,
 * shared by every TCP protocol.
 *
 * The kernel adjusts sequence numbers after a length change with one correction per
 * direction (nf_conntrack_seqadj.c: correction_pos, offset_before, offset_after), set the
 * first time a packet at a position changes length.  So a retransmission must carry exactly
 * the bytes its first copy carried: every changed segment is kept in a small journal and a
 * retransmission is rebuilt from it, never parsed again (parsing again would repeat the
 * protocol's side effects, and give other bytes once ports have moved or bytes were held).
 *
 * It must also land where its first copy did.  The kernel maps a packet's sequence number
 * with offset_before or offset_after by its side of correction_pos alone, so a copy of bytes
 * before a later correction gets that correction's offset_before, which says nothing about
 * them (a held byte sent with the next segment makes two corrections of opposite sign).  The
 * stream therefore mirrors the correction as its verdicts set it (kpos, kbefore, kafter) and
 * knows where each position must reach the receiver: next_seq's place (wdelta), each journal
 * record's (its wdelta; bytes between records moved as the record after them).  A packet the
 * kernel would map elsewhere leaves with a sequence number it maps to the right place (we
 * return the whole packet); with none that fits (or one where a retransmission would set a
 * correction again) it is dropped and counted.  Acknowledgements of the other direction are
 * still the kernel's to map: one that falls before the correction is mapped with its
 * offset_before (the sender may then resend from inside a first copy, which is dropped).
 *
 * Under NAT an unfinished message whose rewritable part has begun is held back and sent in
 * front of the next segment.  The segment that holds it back must not leave empty: the
 * receiver would not acknowledge it and a Nagle sender would never send the rest.  With
 * some bytes left, the receiver acknowledges them, the kernel maps that acknowledgement past
 * the held bytes (the segment's correction), and the sender goes on.  A segment that would
 * leave empty is dropped once, as nf_conntrack_ftp drops a partial command; if the same
 * segment comes again with nothing more, it is let through unchanged: that message is then
 * not rewritten (the kernel could not either), but the connection never hangs.
 *
 * A retransmission that also brings new bytes starts at or before the kernel's correction
 * position (kpos) whenever an earlier part of it was rewritten with a length change; the
 * kernel then keeps its correction as it is, so no length change of the new bytes could be
 * expressed.  Such a segment is cut to its old bytes (repeated as the first time); the
 * receiver acknowledges them and the sender sends the rest again, as a segment of its own.
 * When it starts after the correction, the kernel would record the new bytes' length change
 * at the segment's start, before the change itself; such a segment is dropped once, so the
 * sender sends the new bytes on their own (or the same segment again, which is then taken).
 *
 * What leaves must get through the path (stream_bound.c).  A segment too long for it with DF
 * set (every IPv6 packet) is dropped after the verdict, and so is its retransmission, rebuilt
 * the same: a stall for good.  Per direction the layer learns the MSS the receiver's SYN
 * announced and the longest segment carried; a changed segment may carry min(MSS, max(that,
 * 536 or 1220)) less its options, never less than it came with (IPv4 without DF: no bound, a
 * router fragments).  A rewrite growing past it passes unrewritten, its expectations undone
 * (the kernel drops a NATed expectation it cannot announce): counted, never dropped, so no
 * drop loop.  Bytes are held back only when they, a segment as long as the longest yet and
 * one rewrite's growth fit together: a bulk sender's split message passes unrewritten, as
 * the kernel's would.  Held bytes released with a longer segment than ever before are cut
 * at the last offset that fits, never before an edit, and the rest stays held while the
 * message is unfinished (the sender must send more).  At a message end the sender may wait
 * for an answer: IPv4 then leaves whole with DF cleared, for a router to fragment; IPv6
 * keeps the rest held all the same, counted as a possible stall.  That is the risk left: a
 * sender of small segments that, right after a hold, sends its longest yet ending a message
 * and then waits.  Retransmissions repeat their first copy; one collapsed and grown past the
 * bound leaves with DF cleared (IPv4) or as it is (IPv6, counted).
 *
 * A protocol whose bodies may hold lines that read as messages sets no_resync: a boundary
 * found by scanning is never trusted, so after a gap (or SYN data, or a restart without the
 * kernel's record) its direction passes unparsed; the kernel's record still resumes it.
 *
 * The journal lives in journal.c, the mirror of the kernel's correction in seqadj.c, the
 * calls a protocol's callbacks make (edits, announcing a port) in stream_edit.c, where a
 * direction's parser stands (SYN, restart, gap, resync) in stream_sync.c, the path's bound in
 * stream_bound.c; this file classifies segments, drives the protocol's parser, composes and
 * sends. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <string.h>
#include "journal.h"
#include "log.h"
#include "pool.h"
#include "seqadj.h"
#include "stream.h"
#include "stream_int.h"

uint32_t stream_block_size(const struct stream_proto *sp)
{
	return journal_block_size(sp->hold_max);
}

/* Append stream bytes [from, to) of sp to o: carry bytes as literals (they are not in this
 * segment), new bytes as segment runs at their payload offset (seg_base + index in data). */
static void out_stream(struct journal_out *o, const struct stream_pkt *sp, uint64_t from, uint64_t to,
		       uint32_t seg_base)
{
	uint64_t cend = sp->base + sp->carry_len;

	if (from < cend) {
		uint64_t e = to < cend ? to : cend;

		journal_out_add(o, sp->carry + (from - sp->base), (uint32_t)(e - from), 0, true);
		from = e;
	}
	if (from < to)
		journal_out_add(o, sp->data + (from - cend), (uint32_t)(to - from),
			seg_base + (uint32_t)(from - cend), false);
}

uint32_t stream_copy(const struct stream_pkt *sp, uint64_t from, uint64_t to, uint8_t *buf)
{
	struct journal_out o = { .buf = buf, .cap = (uint32_t)(to - from) };

	if (from < sp->base || to < from || to > sp->base + sp->carry_len + sp->len)
		return 0;
	out_stream(&o, sp, from, to, 0);
	return o.len;
}

/* The new bytes [base, hold) with sp's edits applied, in offset order (a closed set). */
static void out_compose(struct journal_out *o, const struct stream_pkt *sp, uint64_t hold, uint32_t seg_base)
{
	const struct edit *e;
	uint64_t cur = sp->base;

	for (unsigned i = 0; (e = edit_set_at(&sp->edits, i)); i++) {
		out_stream(o, sp, cur, e->off, seg_base);
		journal_out_add(o, edit_set_text(&sp->edits, e), e->text_len, 0, true);
		cur = e->off + e->len;
	}
	out_stream(o, sp, cur, hold, seg_base);
}

/* Write the composed payload as the packet's new contents, at sequence number seq (with DF
 * cleared: nodf). */
static bool emit(struct help_ctx *ctx, const struct journal_out *o, uint32_t seq, bool nodf,
		 struct help_result *res)
{
	uint32_t cap = ctx->out_cap < STREAM_PKT_MAX ? ctx->out_cap : STREAM_PKT_MAX;
	int n = pkt_rewrite(ctx->data, &ctx->pkt, &(struct pkt_edit){ 0, ctx->pkt.len, o->buf, o->len },
			    1, ctx->out, cap);

	if (n < 0)
		return false;
	if (nodf)
		pkt_v4_clear_df(ctx->out, &ctx->pkt);
	if (seq != ctx->pkt.seq)
		pkt_set_seq(ctx->out, &ctx->pkt, (uint32_t)n, seq);
	res->payload = ctx->out;
	res->payload_len = (uint32_t)n;
	return true;
}

/* Pass the packet whose output is o (changed or not) so that it reaches the receiver at
 * wire, and keep the kernel's correction as the verdict sets it.  NULL, or why not. */
const char *stream_send(struct help_ctx *ctx, struct stream_dir *sd, const struct journal_out *o,
			       bool changed, uint32_t wire, bool fresh, struct help_result *res)
{
	int32_t d = (int32_t)o->len - (int32_t)ctx->pkt.len;
	uint32_t seq;
	bool nodf;

	if (!seqadj_place(sd, ctx->pkt.seq, wire, changed ? d : 0, fresh, &seq)) {
		ctx->pool->unplaced++;
		return "no sequence number the kernel's correction maps to the segment's place";
	}
	nodf = changed && !o->overflow && stream_bound_over(ctx, sd, o->len);
	if ((changed || seq != ctx->pkt.seq) && (o->overflow || !emit(ctx, o, seq, nodf, res)))
		return "cannot rewrite the segment";
	if (changed)
		seqadj_set(sd, seq, d);
	return NULL;
}

/* As the kernel helpers when an expectation or a rewrite cannot be had: drop the packet and
 * undo what it created; the sender retransmits and finds the stream as this packet did. */
void stream_drop(struct help_ctx *ctx, struct help_result *res, const char *why)
{
	log_rl(LOG_INFO, "ct %u: %s, dropping the segment", ctx->ct->id, why);
	help_expect_rollback(ctx, res);
	res->verdict = NF_DROP;
	res->payload = NULL;
	res->nexp = 0;
}

/* Drop a segment whose new bytes were parsed: the parser goes back to where it stood. */
static void stream_undo(struct help_ctx *ctx, const struct stream_proto *sp, void *parser,
			const uint8_t *saved, struct help_result *res, const char *why)
{
	memcpy(parser, saved, sp->parser_size);
	stream_drop(ctx, res, why);
}

/* A block to hold bytes back in (pinned when the packet commits).  One client pins only its
 * share of the pool: holding many unfinished commands must not starve the others' holds and
 * journals.  Without one the message passes unrewritten, as when no block is free. */
static bool hold_block(struct help_ctx *ctx, struct stream_dir *sd, struct journal_block **blk)
{
	if (!pool_may_pin(ctx->pool, sd->block, ctx->ct->tuple[CT_DIR_ORIGINAL].src.all))
		log_rl(LOG_WARNING, "ct %u: its client pins its share of the buffers already; an "
		       "unfinished message passes unrewritten", ctx->ct->id);
	else if (*blk || (*blk = journal_block(ctx->pool, sd)))
		return true;
	else
		log_rl(LOG_WARNING, "ct %u: no buffer free to hold back an unfinished message; it "
		       "passes unrewritten (raise --max-conns)", ctx->ct->id);
	ctx->pool->unheld++;
	return false;
}

/* The new bytes as the protocol sees them: the bytes held back, then the payload from start
 * on.  A segment let through unchanged after its drop cannot be rewritten (see the top). */
static void stream_pkt_init(const struct help_ctx *ctx, const struct stream_dir *sd,
			    struct journal_block *blk, uint32_t start, bool degrade, struct stream_pkt *s)
{
	const struct pkt *p = &ctx->pkt;

	s->carry = blk ? journal_carry(blk) : NULL;
	s->carry_len = blk ? sd->hold_len : 0;
	s->data = ctx->data + p->off + start;
	s->len = p->len - start;
	s->base = sd->next_off - s->carry_len;
	s->nat = help_ct_natted(ctx->ct);
	s->sent = degrade ? s->base + s->carry_len + s->len : s->base;
	edit_set_init(&s->edits, s->sent, s->base + s->carry_len + s->len);
}

/* Where the bytes held back start (end: none).  Only the part the protocol names may be held,
 * within hold_max, after its last edit, and only with a block to hold it in. */
static uint64_t stream_hold(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
			    const void *parser, const struct stream_pkt *s, uint64_t end, bool degrade,
			    struct journal_block **blk)
{
	uint64_t hold = s->nat && !degrade ? sp->hold_from(parser) : STREAM_NO_HOLD;

	if (hold < s->base || hold > end || end - hold > sp->hold_max ||
	    (edit_set_count(&s->edits) && edit_set_end(&s->edits) > hold))
		hold = end;
	if (hold < end && (!stream_bound_may_hold(ctx, sp, sd, end - hold) || !hold_block(ctx, sd, blk)))
		hold = end;
	return hold;
}

/* Pass the new bytes unrewritten: the segment's edits go, and the expectations made with
 * them are undone, as the kernel drops a NATed expectation it cannot announce. */
static void stream_plain(struct help_ctx *ctx, struct stream_pkt *s, struct help_result *res)
{
	help_expect_rollback(ctx, res);
	res->nexp = 0;
	edit_set_init(&s->edits, s->edits.lo, s->edits.hi);
}

/* Keep the output within the path's bound (stream_bound.c): hold more back, or pass the new
 * bytes unrewritten, composing them again.  Where the hold starts now. */
static uint64_t stream_fit(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
			   const void *parser, struct stream_pkt *s, struct journal_out *o,
			   uint32_t before, uint32_t start, uint64_t hold, uint64_t end,
			   struct help_result *res)
{
	struct stream_fit f;

	if (o->overflow)
		return hold;
	/* Bytes may stay held only while a message is unfinished: its sender must send the
	 * rest.  A parser that gave up on the direction is not idle, yet nothing more is due. */
	stream_bound_fit(ctx, sp, sd, sp->idle(parser) || (sp->gave_up && sp->gave_up(parser)), s,
			 o->len, hold, end, &f);
	if (f.plain)
		stream_plain(ctx, s, res);
	if (f.plain || f.hold != hold) {
		o->len = before;
		o->nrun = o->seal;
		out_compose(o, s, f.hold, start);
	}
	return f.hold;
}

/* Why the composed new bytes (their output from o->len == before on) cannot leave, or NULL.
 * Notes the segments that a drop-once rule (see the top) must recognise when they come again. */
static const char *stream_refuse(const struct help_ctx *ctx, struct stream_dir *sd,
				 const struct journal_out *o, uint32_t before, uint32_t start,
				 bool changed, bool overlap)
{
	const struct pkt *p = &ctx->pkt;

	if (o->overflow || (changed && o->len + p->off > STREAM_PKT_MAX))
		return "the rewritten segment does not fit in one packet";
	if (changed && !o->len) {
		sd->dropped = 1;
		sd->drop_seq = p->seq;
		sd->drop_len = p->len;
		return "holding back would leave the segment empty";
	}
	if (overlap && o->len - before != p->len - start &&
	    !(sd->redo && sd->redo_seq == p->seq && sd->redo_len == p->len)) {
		/* New bytes that change length behind old ones: the kernel would place the
		 * correction at this segment's start, before the change, and a later copy starting
		 * between the two would be mapped wrongly.  Dropped once: the sender then starts
		 * where the receiver stands (the new bytes come as their own segment), or sends the
		 * same again when the receiver has nothing of it, which is then taken as it is. */
		sd->redo = 1;
		sd->redo_seq = p->seq;
		sd->redo_len = p->len;
		return "new bytes behind old ones would change length";
	}
	return NULL;
}

/* Keep the stream bytes [hold, end) of s in the block's carry: the tail of the carry, if the
 * hold starts inside it, then the new bytes. */
static void stream_carry_keep(struct journal_block *blk, const struct stream_pkt *s, uint64_t hold,
			      uint64_t end)
{
	uint8_t *carry = journal_carry(blk);
	uint64_t cend = s->base + s->carry_len;

	if (hold < cend) {
		memmove(carry, carry + (hold - s->base), (size_t)(cend - hold));
		memcpy(carry + (cend - hold), s->data, s->len);
	} else {
		memcpy(carry, s->data + (hold - cend), (size_t)(end - hold));
	}
}

/* Parse the new bytes of a segment (from payload offset start on; the bytes before it were
 * seen already and their first-copy output is in o), compose, and commit the stream state. */
static void stream_new(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		       void *parser, struct stream_kstate *k, struct journal_out *o, uint32_t start,
		       bool changed, bool overlap, uint32_t wire, struct help_result *res)
{
	uint32_t before = o->len;	/* output of the bytes before the new ones */
	static struct stream_pkt s;	/* large; the packet path runs on one thread */
	const struct pkt *p = &ctx->pkt;
	uint8_t saved[STREAM_PARSER_MAX];
	struct journal_block *blk = pool_block(ctx->pool, sd->block);
	bool degrade = sd->dropped && sd->drop_seq == p->seq && sd->drop_len == p->len;
	uint64_t end, hold;
	uint32_t first = o->seal = o->nrun;
	const char *why;

	stream_pkt_init(ctx, sd, blk, start, degrade, &s);
	end = s.base + s.carry_len + s.len;
	memcpy(saved, parser, sp->parser_size);
	if (!sp->parse(ctx, parser, &s, res)) {
		stream_undo(ctx, sp, parser, saved, res, "no expectation could be had for a NATed message");
		return;
	}
	edit_set_close(&s.edits);	/* a message the parser left open is not rewritten */
	hold = stream_hold(ctx, sp, sd, parser, &s, end, degrade, &blk);
	out_compose(o, &s, hold, start);
	hold = stream_fit(ctx, sp, sd, parser, &s, o, before, start, hold, end, res);
	changed |= s.carry_len || edit_set_count(&s.edits) || hold < end;
	if (!(why = stream_refuse(ctx, sd, o, before, start, changed, overlap)))
		why = stream_send(ctx, sd, o, changed, wire, true, res);
	if (why) {
		stream_undo(ctx, sp, parser, saved, res, why);
		return;
	}
	/* Committed: journal the new bytes' output, keep what is held, advance. */
	if (changed)
		blk = journal_commit(ctx, sd, o, first, start, wire + before);
	if (blk)
		stream_carry_keep(blk, &s, hold, end);
	sd->wdelta = (int32_t)(wire + o->len - p->seq - p->len);
	sd->hold_len = (uint32_t)(end - hold);
	if (sd->hold_len)	/* cannot fail: hold_block found room */
		pool_pin(ctx->pool, sd->block, ctx->ct->tuple[CT_DIR_ORIGINAL].src.all);
	else
		pool_unpin(ctx->pool, sd->block);
	sd->next_seq = p->seq + p->len;
	sd->next_off += s.len;
	sd->dropped = sd->redo = 0;
	if (!sd->hold_len && sp->idle(parser)) {
		k->seq[ctx->dir] = htonl(sd->next_seq);
		k->valid[ctx->dir] = 1;
	}
}

/* A retransmission, wholly or in part: its old bytes repeat the first copy (into o), and land
 * where it did (*wire).  True when new bytes follow, from payload offset *start on; false when
 * the segment was passed or dropped. */
static bool stream_old(struct help_ctx *ctx, struct stream_dir *sd, struct journal_out *o,
		       bool *changed, uint32_t *wire, uint32_t *start, struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	uint32_t end = p->seq + p->len;
	uint32_t old = seq_before(end, sd->next_seq) ? end : sd->next_seq;
	struct journal_block *blk = pool_block(ctx->pool, sd->block);
	const char *why;

	if (sd->jlost && seq_before(p->seq, sd->jfloor)) {
		/* Rewrites before the floor are forgotten (the journal was full, taken back,
		 * or never had a block).  Passed as they are, the bytes would leak what was
		 * rewritten (a private address) and contradict the kernel's sequence
		 * correction.  Dropped instead: when the receiver has the first copy, its
		 * next acknowledgement moves the sender on; when it has not, every copy is
		 * dropped and the connection stalls, as with the kernel's helper when it
		 * cannot mangle — a stall, never a leak. */
		ctx->pool->unrepeated++;
		stream_drop(ctx, res, "a retransmission of bytes whose rewrite is forgotten");
		return false;
	}
	if (!journal_replay(blk, p->seq, old, ctx->data + p->off, o, changed)) {
		stream_drop(ctx, res, "a retransmission cuts through an earlier rewrite");
		return false;
	}
	*wire = journal_wire(sd, blk, p->seq);
	if (old != end && sd->kbefore != sd->kafter && !seq_before(sd->kpos, p->seq)) {
		*changed = true;	/* cut to the old bytes: see the top of this file */
		old = end;
	}
	if (old == end) {
		if ((why = stream_send(ctx, sd, o, *changed, *wire, false, res)))
			stream_drop(ctx, res, why);
		return false;
	}
	*start = old - p->seq;
	o->seal = o->nrun;
	return true;
}

void stream_help(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		 void *parser, struct stream_kstate *k, struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	struct journal_out o;	/* not zeroed whole: its run array is written before it is read */
	bool changed = false;
	uint32_t start = 0;
	bool overlap = false;
	uint32_t wire;

	res->help_info = (const uint8_t *)k;
	res->help_info_len = sizeof(*k);
	if (ctx->fresh || !sd->synced)
		stream_resume(ctx, sp, sd, parser, k);
	stream_bound_learn(ctx, sp, sd);
	journal_check(ctx->pool, sd);
	if (p->tcp_flags & PKT_TCP_SYN) {
		/* Data on a SYN is no command (the kernel parses established packets only): the
		 * stream starts after it, at a boundary found later. */
		stream_dir_sync(sp, sd, parser, ctx->dir, p->seq + 1);
		if (p->len) {
			sd->next_seq += p->len;
			sd->synced = 0;
		}
		return;
	}
	/* Only established packets are parsed, as in nf_conntrack_ftp's help. */
	if (!p->len || (ctx->ctinfo != IP_CT_ESTABLISHED &&
			ctx->ctinfo != IP_CT_ESTABLISHED_REPLY))
		return;
	o.buf = ctx->tmp;
	o.cap = ctx->tmp_cap;
	o.len = o.nrun = o.seal = 0;
	o.overflow = false;
	if (!sd->known) {
		/* First sight of this direction (a restart without a usable record): nothing of
		 * it is old, and where its messages start is unknown. */
		sd->next_seq = p->seq;
		sd->known = 1;
	}
	if (seq_before(sd->next_seq, p->seq) && !stream_gap(ctx, sd, res))
		return;
	wire = p->seq + (uint32_t)sd->wdelta;
	if (seq_before(p->seq, sd->next_seq)) {
		if (!stream_old(ctx, sd, &o, &changed, &wire, &start, res))
			return;
		overlap = true;
	}
	if (!sd->synced && !stream_resync(ctx, sp, sd, parser, &o, changed, wire, &start, res))
		return;
	stream_new(ctx, sp, sd, parser, k, &o, start, changed, overlap, wire, res);
}

void stream_release(struct pool *pool, struct stream_dir *sd)
{
	pool_put(pool, &sd->block);
	sd->hold_len = 0;
}
