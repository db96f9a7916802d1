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
 * sender sends the new bytes on their own (or the same segment again, which is then taken). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <string.h>
#include "log.h"
#include "pool.h"
#include "stream.h"

#define JOURNAL_RECS 32
#define JOURNAL_RUNS (2 * STREAM_EDITS + 8)	/* one packet: edits, the text between them, held bytes */
#define JOURNAL_RUN_POOL 256
#define JOURNAL_TEXT 2048

/* A piece of a packet's output: bytes of the segment itself, or literal bytes. */
struct run {
	uint32_t off, len;  /* segment: offset in the record's range; literal: in text or output */
	uint32_t lit;
};

/* The output a changed segment's new bytes [seq, seq + len) got the first time: runs
 * run0..run0 + nrun of the block's run pool. */
struct rec {
	uint32_t seq, len;
	int32_t wdelta;     /* where the output's first byte reached the receiver, minus seq */
	uint16_t run0, nrun;
};

/* Records, runs and literal bytes are appended until one of them is full; then the journal
 * starts afresh and the direction's floor (stream_dir.jfloor) says from where it is whole. */
struct block {
	struct rec rec[JOURNAL_RECS];
	uint32_t nrec, runs_used, text_used;
	struct run runs[JOURNAL_RUN_POOL];
	uint8_t text[JOURNAL_TEXT];
	uint8_t carry[];      /* hold_max bytes */
};

/* A packet's output being composed, with the runs that describe it for the journal. */
struct out {
	uint8_t *buf;
	uint32_t cap, len;
	struct run run[JOURNAL_RUNS];
	uint32_t nrun;
	uint32_t seal;  /* runs before this index belong to another record: never merge into them */
	bool overflow;
};

static bool seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* nf_ct_seq_adjust: what the kernel adds to the sequence number of a packet at seq. */
static int32_t kadj_off(const struct stream_dir *sd, uint32_t seq)
{
	return seq_before(sd->kpos, seq) ? sd->kafter : sd->kbefore;
}

/* nf_ct_seqadj_set: the verdict returned a packet at seq whose length changed by d. */
static void kadj_set(struct stream_dir *sd, uint32_t seq, int32_t d)
{
	if (d && (sd->kbefore == sd->kafter || seq_before(sd->kpos, seq))) {
		sd->kpos = seq;
		sd->kbefore = sd->kafter;
		sd->kafter += d;
	}
}

/* Whether a packet at x changing length by d reaches the receiver at wire.  Only a packet with
 * new bytes (fresh) may set a correction: a retransmission would count its change a second
 * time, and acknowledgements would be mapped with it. */
static bool kadj_fits(const struct stream_dir *sd, uint32_t x, uint32_t wire, int32_t d, bool fresh)
{
	bool sets = d && (sd->kbefore == sd->kafter || seq_before(sd->kpos, x));

	return x + (uint32_t)kadj_off(sd, x) == wire && (fresh || !sets);
}

/* A sequence number for a packet at seq that the kernel maps to wire: seq itself when it
 * fits, else one on the same side of the correction, else one on the other. */
static bool kadj_place(const struct stream_dir *sd, uint32_t seq, uint32_t wire, int32_t d,
		       bool fresh, uint32_t *out)
{
	uint32_t a = wire - (uint32_t)sd->kafter, b = wire - (uint32_t)sd->kbefore;
	bool after = seq_before(sd->kpos, seq);
	const uint32_t cand[3] = { seq, after ? a : b, after ? b : a };

	for (unsigned i = 0; i < 3; i++) {
		if (kadj_fits(sd, cand[i], wire, d, fresh)) {
			*out = cand[i];
			return true;
		}
	}
	return false;
}

uint32_t stream_block_size(const struct stream_proto *sp)
{
	return (uint32_t)sizeof(struct block) + sp->hold_max;
}

static void out_add(struct out *o, const uint8_t *src, uint32_t len, uint32_t seg_off, bool lit)
{
	struct run *last = o->nrun > o->seal ? &o->run[o->nrun - 1] : NULL;

	if (!len)
		return;
	if (len > o->cap - o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->len, src, len);
	if (last && !lit && !last->lit && last->off + last->len == seg_off) {
		last->len += len;
	} else if (last && lit && last->lit && last->off + last->len == o->len) {
		last->len += len;
	} else if (o->nrun < JOURNAL_RUNS) {
		o->run[o->nrun++] = (struct run){ lit ? o->len : seg_off, len, lit };
	} else {
		o->overflow = true;
	}
	o->len += len;
}

/* Append the first-copy output of seq range [a, b) of seg (whose first byte is at seq a):
 * journal records inside the range, unchanged bytes between them.  False when a record
 * only partly lies in the range: such a retransmission cannot repeat its first copy. */
static bool replay(const struct block *blk, uint32_t a, uint32_t b, const uint8_t *seg,
		   struct out *o, bool *changed)
{
	uint32_t cur = a;

	for (;;) {
		const struct rec *next = NULL;

		for (uint32_t i = 0; blk && i < blk->nrec; i++) {
			const struct rec *r = &blk->rec[i];

			if (!seq_before(r->seq, b) || !seq_before(cur, r->seq + r->len))
				continue;	/* ends before cur or starts at or after b */
			if (seq_before(r->seq, cur) || seq_before(b, r->seq + r->len))
				return false;
			if (!next || seq_before(r->seq, next->seq))
				next = r;
		}
		if (!next)
			break;
		out_add(o, seg + (cur - a), next->seq - cur, cur - a, false);
		for (uint32_t i = 0; i < next->nrun; i++) {
			const struct run *u = &blk->runs[next->run0 + i];

			if (u->lit)
				out_add(o, blk->text + u->off, u->len, 0, true);
			else
				out_add(o, seg + (next->seq - a) + u->off, u->len, next->seq - a + u->off, false);
		}
		cur = next->seq + next->len;
		*changed = true;
	}
	out_add(o, seg + (cur - a), b - cur, cur - a, false);
	return true;
}

/* Rewrites before upto can no longer be repeated: a retransmission starting before the floor
 * is dropped (see stream_help).  The floor only moves on. */
static void journal_forget(struct stream_dir *sd, uint32_t upto)
{
	if (!sd->jlost || seq_before(sd->jfloor, upto))
		sd->jfloor = upto;
	sd->jlost = 1;
}

/* Whether one more record of nrun runs and lits literal bytes fits; if not, forget the oldest
 * (the least likely to be sent again: the floor moves past it) and say whether it fits now. */
static bool journal_room(struct stream_dir *sd, struct block *blk, uint32_t nrun, uint32_t lits)
{
	uint32_t k = 1, run0, text0 = JOURNAL_TEXT;

	if (blk->nrec < JOURNAL_RECS && nrun <= JOURNAL_RUN_POOL - blk->runs_used &&
	    lits <= JOURNAL_TEXT - blk->text_used)
		return true;
	if (!blk->nrec)
		return false;
	journal_forget(sd, blk->rec[k - 1].seq + blk->rec[k - 1].len);
	run0 = k < blk->nrec ? blk->rec[k].run0 : blk->runs_used;
	for (uint32_t r = run0; r < blk->runs_used; r++)
		if (blk->runs[r].lit && blk->runs[r].off < text0)
			text0 = blk->runs[r].off;
	if (text0 == JOURNAL_TEXT)
		text0 = blk->text_used;
	memmove(blk->runs, blk->runs + run0, (blk->runs_used - run0) * sizeof(blk->runs[0]));
	blk->runs_used -= run0;
	for (uint32_t r = 0; r < blk->runs_used; r++)
		if (blk->runs[r].lit)
			blk->runs[r].off -= text0;
	memmove(blk->text, blk->text + text0, blk->text_used - text0);
	blk->text_used -= text0;
	memmove(blk->rec, blk->rec + k, (blk->nrec - k) * sizeof(blk->rec[0]));
	blk->nrec -= k;
	for (uint32_t i = 0; i < blk->nrec; i++)
		blk->rec[i].run0 = (uint16_t)(blk->rec[i].run0 - run0);
	return nrun <= JOURNAL_RUN_POOL - blk->runs_used && lits <= JOURNAL_TEXT - blk->text_used;
}

/* Keep the runs of o from index first on (the new bytes, whose first byte is at seq, the
 * record's start, and at offset seg_base of the packet payload) as a journal record. */
static void journal_add(struct stream_dir *sd, struct block *blk, const struct out *o, uint32_t first,
			uint32_t seq, uint32_t len, uint32_t seg_base, int32_t wdelta)
{
	uint32_t lits = 0, nrun = o->nrun - first;
	struct rec *r;

	for (uint32_t i = first; i < o->nrun; i++)
		lits += o->run[i].lit ? o->run[i].len : 0;
	while (!journal_room(sd, blk, nrun, lits)) {
		if (!blk->nrec) {
			journal_forget(sd, seq + len);
			log_rl(LOG_INFO, "stream: a rewrite too large to journal; a retransmission of it "
			       "will be dropped");
			return;
		}
	}
	r = &blk->rec[blk->nrec++];
	r->seq = seq;
	r->len = len;
	r->wdelta = wdelta;
	r->run0 = (uint16_t)blk->runs_used;
	r->nrun = (uint16_t)nrun;
	for (uint32_t i = first; i < o->nrun; i++) {
		struct run u = o->run[i];

		if (u.lit) {
			memcpy(blk->text + blk->text_used, o->buf + u.off, u.len);
			u.off = blk->text_used;
			blk->text_used += u.len;
		} else {
			u.off -= seg_base;
		}
		blk->runs[blk->runs_used++] = u;
	}
	sd->journaled = 1;
}

int stream_edit(struct stream_pkt *sp, uint64_t off, uint32_t len, const void *text, uint32_t text_len)
{
	const struct stream_edit *last = sp->nedit ? &sp->edit[sp->nedit - 1] : NULL;
	uint64_t end = sp->base + sp->carry_len + sp->len;

	if (off < sp->base || off < sp->sent || off + len > end || (last && off < last->off + last->len))
		return -EINVAL;
	if (sp->nedit >= STREAM_EDITS || text_len > STREAM_TEXT - sp->text_len)
		return -ENOSPC;
	memcpy(sp->text + sp->text_len, text, text_len);
	sp->edit[sp->nedit++] = (struct stream_edit){ off, len, sp->text_len, text_len };
	sp->text_len += text_len;
	return 0;
}

/* Append stream bytes [from, to) of sp to o: carry bytes as literals (they are not in this
 * segment), new bytes as segment runs at their payload offset (seg_base + index in data). */
static void out_stream(struct out *o, const struct stream_pkt *sp, uint64_t from, uint64_t to,
		       uint32_t seg_base)
{
	uint64_t cend = sp->base + sp->carry_len;

	if (from < cend) {
		uint64_t e = to < cend ? to : cend;

		out_add(o, sp->carry + (from - sp->base), (uint32_t)(e - from), 0, true);
		from = e;
	}
	if (from < to)
		out_add(o, sp->data + (from - cend), (uint32_t)(to - from),
			seg_base + (uint32_t)(from - cend), false);
}

uint32_t stream_copy(const struct stream_pkt *sp, uint64_t from, uint64_t to, uint8_t *buf)
{
	struct out o = { .buf = buf, .cap = (uint32_t)(to - from) };

	if (from < sp->base || to < from || to > sp->base + sp->carry_len + sp->len)
		return 0;
	out_stream(&o, sp, from, to, 0);
	return o.len;
}

/* The new bytes [base, hold) with sp's edits applied. */
static void out_compose(struct out *o, const struct stream_pkt *sp, uint64_t hold, uint32_t seg_base)
{
	uint64_t cur = sp->base;

	for (unsigned i = 0; i < sp->nedit; i++) {
		const struct stream_edit *e = &sp->edit[i];

		out_stream(o, sp, cur, e->off, seg_base);
		out_add(o, sp->text + e->text_off, e->text_len, 0, true);
		cur = e->off + e->len;
	}
	out_stream(o, sp, cur, hold, seg_base);
}

static void dir_sync(const struct stream_proto *sp, struct stream_dir *sd, void *parser, int dir,
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
static void stream_resume(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
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
		dir_sync(sp, sd, parser, dir, ctx->pkt.seq);
		k->seq[dir] = kk.seq[dir];
		k->valid[dir] = 1;
	}
}

/* Write the composed payload as the packet's new contents, at sequence number seq. */
static bool emit(struct help_ctx *ctx, const struct out *o, uint32_t seq, struct help_result *res)
{
	uint32_t cap = ctx->out_cap < STREAM_PKT_MAX ? ctx->out_cap : STREAM_PKT_MAX;
	int n = pkt_rewrite(ctx->data, &ctx->pkt, &(struct pkt_edit){ 0, ctx->pkt.len, o->buf, o->len },
			    1, ctx->out, cap);

	if (n < 0)
		return false;
	if (seq != ctx->pkt.seq)
		pkt_set_seq(ctx->out, &ctx->pkt, (uint32_t)n, seq);
	res->payload = ctx->out;
	res->payload_len = (uint32_t)n;
	return true;
}

/* Where the receiver has (or must get) the first copy of old position x, which starts a
 * record or lies between two: bytes between length changes all moved alike, so as the
 * first record at or after x, else as next_seq. */
static uint32_t wire_of(const struct stream_dir *sd, const struct block *blk, uint32_t x)
{
	const struct rec *best = NULL;

	for (uint32_t i = 0; blk && i < blk->nrec; i++) {
		const struct rec *r = &blk->rec[i];

		if (!seq_before(r->seq, x) && (!best || seq_before(r->seq, best->seq)))
			best = r;
	}
	return x + (uint32_t)(best ? best->wdelta : sd->wdelta);
}

/* Pass the packet whose output is o (changed or not) so that it reaches the receiver at
 * wire, and keep the kernel's correction as the verdict sets it.  NULL, or why not. */
static const char *stream_send(struct help_ctx *ctx, struct stream_dir *sd, const struct out *o,
			       bool changed, uint32_t wire, bool fresh, struct help_result *res)
{
	int32_t d = (int32_t)o->len - (int32_t)ctx->pkt.len;
	uint32_t seq;

	if (!kadj_place(sd, ctx->pkt.seq, wire, changed ? d : 0, fresh, &seq)) {
		ctx->pool->unplaced++;
		return "no sequence number the kernel's correction maps to the segment's place";
	}
	if ((changed || seq != ctx->pkt.seq) && (o->overflow || !emit(ctx, o, seq, res)))
		return "cannot rewrite the segment";
	if (changed)
		kadj_set(sd, seq, d);
	return NULL;
}

/* As the kernel helpers when an expectation or a rewrite cannot be had: drop the packet and
 * undo what it created; the sender retransmits and finds the stream as this packet did. */
static void stream_drop(struct help_ctx *ctx, struct help_result *res, const char *why)
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

/* The direction's block, lent now if it has none.  Blocks are lent as their last borrower
 * left them: a new one starts with an empty journal (another connection's records would be
 * replayed into this one's retransmissions). */
static struct block *dir_block(struct pool *pool, struct stream_dir *sd)
{
	struct block *blk = pool_block(pool, sd->block);

	if (!blk && (blk = pool_get(pool, &sd->block)))
		blk->nrec = blk->runs_used = blk->text_used = 0;
	return blk;
}

/* The pool took the direction's journal back to lend it elsewhere.  Noted before this
 * packet may be lent a new, empty block, which would otherwise pass for the journal. */
static void journal_check(struct pool *pool, struct stream_dir *sd)
{
	if (sd->journaled && !pool_block(pool, sd->block)) {
		journal_forget(sd, sd->next_seq);
		sd->journaled = 0;
	}
}

/* A block to hold bytes back in (pinned when the packet commits).  One client pins only its
 * share of the pool: holding many unfinished commands must not starve the others' holds and
 * journals.  Without one the message passes unrewritten, as when no block is free. */
static bool hold_block(struct help_ctx *ctx, struct stream_dir *sd, struct block **blk)
{
	if (!pool_may_pin(ctx->pool, sd->block, ctx->ct->tuple[CT_DIR_ORIGINAL].src.all))
		log_rl(LOG_WARNING, "ct %u: its client pins its share of the buffers already; an "
		       "unfinished message passes unrewritten", ctx->ct->id);
	else if (*blk || (*blk = dir_block(ctx->pool, sd)))
		return true;
	else
		log_rl(LOG_WARNING, "ct %u: no buffer free to hold back an unfinished message; it "
		       "passes unrewritten (raise --max-conns)", ctx->ct->id);
	ctx->pool->unheld++;
	return false;
}

/* Journal the output of a changed segment's new bytes (from payload offset start on, runs
 * from first on).  Without a block for it the rewrite leaves unjournalled: the floor moves
 * past it, so its retransmissions will be dropped. */
static struct block *journal_commit(struct help_ctx *ctx, struct stream_dir *sd, const struct out *o,
				    uint32_t first, uint32_t start, uint32_t wire)
{
	const struct pkt *p = &ctx->pkt;
	struct block *blk = dir_block(ctx->pool, sd);

	if (blk) {
		journal_add(sd, blk, o, first, p->seq + start, p->len - start, start,
			    (int32_t)(wire - p->seq - start));
		return blk;
	}
	log_rl(LOG_WARNING, "ct %u: no buffer free to journal a rewrite; a retransmission of it "
	       "will be dropped (raise --max-conns)", ctx->ct->id);
	journal_forget(sd, p->seq + p->len);
	return NULL;
}

/* Parse the new bytes of a segment (from payload offset start on; the bytes before it were
 * seen already and their first-copy output is in o), compose, and commit the stream state. */
static void stream_new(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		       void *parser, struct stream_kstate *k, struct out *o, uint32_t start,
		       bool changed, bool overlap, uint32_t wire, struct help_result *res)
{
	uint32_t before = o->len;	/* output of the bytes before the new ones */
	static struct stream_pkt s;	/* large; the packet path runs on one thread */
	const struct pkt *p = &ctx->pkt;
	const uint8_t *data = ctx->data + p->off;
	uint8_t saved[STREAM_PARSER_MAX];
	struct block *blk = pool_block(ctx->pool, sd->block);
	bool degrade = sd->dropped && sd->drop_seq == p->seq && sd->drop_len == p->len;
	uint64_t end, hold;
	uint32_t first = o->seal = o->nrun;
	const char *why;

	s.carry = blk ? blk->carry : NULL;
	s.carry_len = blk ? sd->hold_len : 0;
	s.data = data + start;
	s.len = p->len - start;
	s.base = sd->next_off - s.carry_len;
	s.nat = help_ct_natted(ctx->ct);
	/* A segment let through unchanged after its drop cannot be rewritten (see the top). */
	s.sent = degrade ? s.base + s.carry_len + s.len : s.base;
	s.nedit = 0;
	s.text_len = 0;
	end = s.base + s.carry_len + s.len;
	memcpy(saved, parser, sp->parser_size);
	if (!sp->parse(ctx, parser, &s, res)) {
		stream_undo(ctx, sp, parser, saved, res, "no expectation could be had for a NATed message");
		return;
	}
	hold = s.nat && !degrade ? sp->hold_from(parser) : STREAM_NO_HOLD;
	if (hold < s.base || hold > end || end - hold > sp->hold_max ||
	    (s.nedit && s.edit[s.nedit - 1].off + s.edit[s.nedit - 1].len > hold))
		hold = end;
	if (hold < end && !hold_block(ctx, sd, &blk))
		hold = end;
	out_compose(o, &s, hold, start);
	changed |= s.carry_len || s.nedit || hold < end;
	if (o->overflow || (changed && o->len + p->off > STREAM_PKT_MAX)) {
		stream_undo(ctx, sp, parser, saved, res, "the rewritten segment does not fit in one packet");
		return;
	}
	if (changed && !o->len) {
		stream_undo(ctx, sp, parser, saved, res, "holding back would leave the segment empty");
		sd->dropped = 1;
		sd->drop_seq = p->seq;
		sd->drop_len = p->len;
		return;
	}
	if (overlap && o->len - before != p->len - start &&
	    !(sd->redo && sd->redo_seq == p->seq && sd->redo_len == p->len)) {
		/* New bytes that change length behind old ones: the kernel would place the
		 * correction at this segment's start, before the change, and a later copy starting
		 * between the two would be mapped wrongly.  Dropped once: the sender then starts
		 * where the receiver stands (the new bytes come as their own segment), or sends the
		 * same again when the receiver has nothing of it, which is then taken as it is. */
		stream_undo(ctx, sp, parser, saved, res, "new bytes behind old ones would change length");
		sd->redo = 1;
		sd->redo_seq = p->seq;
		sd->redo_len = p->len;
		return;
	}
	if ((why = stream_send(ctx, sd, o, changed, wire, true, res))) {
		stream_undo(ctx, sp, parser, saved, res, why);
		return;
	}
	/* Committed: journal the new bytes' output, keep what is held, advance. */
	if (changed)
		blk = journal_commit(ctx, sd, o, first, start, wire + before);
	if (blk) {
		uint64_t cend = s.base + s.carry_len;

		if (hold < cend) {
			memmove(blk->carry, blk->carry + (hold - s.base), (size_t)(cend - hold));
			memcpy(blk->carry + (cend - hold), s.data, s.len);
		} else {
			memcpy(blk->carry, s.data + (hold - cend), (size_t)(end - hold));
		}
	}
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

void stream_help(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		 void *parser, struct stream_kstate *k, struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	const uint8_t *data = ctx->data + p->off;
	struct out o;	/* not zeroed whole: its run array is written before it is read */
	bool changed = false;
	uint32_t start = 0, end = p->seq + p->len;
	bool overlap = false;
	const char *why;
	uint32_t wire;
	int b;

	res->help_info = (const uint8_t *)k;
	res->help_info_len = sizeof(*k);
	if (ctx->fresh || !sd->synced)
		stream_resume(ctx, sp, sd, parser, k);
	journal_check(ctx->pool, sd);
	if (p->tcp_flags & PKT_TCP_SYN) {
		/* Data on a SYN is no command (the kernel parses established packets only): the
		 * stream starts after it, at a boundary found later. */
		dir_sync(sp, sd, parser, ctx->dir, p->seq + 1);
		if (p->len) {
			sd->next_seq += p->len;
			sd->synced = 0;
		}
		return;
	}
	/* Only established packets are parsed, as in nf_conntrack_ftp's help. */
	if (!p->len || (ctx->qp->ctinfo != IP_CT_ESTABLISHED &&
			ctx->qp->ctinfo != IP_CT_ESTABLISHED_REPLY))
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
	if (seq_before(sd->next_seq, p->seq)) {
		if (help_ct_natted(ctx->ct) && (sd->hold_len || sd->dropped)) {
			/* Passing it would give it an offset that the held message will change. */
			stream_drop(ctx, res, "segment ahead of a held-back message");
			return;
		}
		/* Data we never saw went by (or is still to come): message boundaries are
		 * unknown from here on.  What came before stays old, journal and all. */
		log_rl(LOG_INFO, "ct %u: gap in the stream, resynchronising", ctx->ct->id);
		sd->synced = 0;
		sd->hold_len = 0;
		pool_unpin(ctx->pool, sd->block);
		sd->next_seq = p->seq;
	}
	wire = p->seq + (uint32_t)sd->wdelta;
	if (seq_before(p->seq, sd->next_seq)) {
		/* A retransmission, wholly or in part: its old bytes repeat the first copy, and
		 * land where it did. */
		uint32_t old = seq_before(end, sd->next_seq) ? end : sd->next_seq;
		struct block *blk = pool_block(ctx->pool, sd->block);

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
			return;
		}
		if (!replay(blk, p->seq, old, data, &o, &changed)) {
			stream_drop(ctx, res, "a retransmission cuts through an earlier rewrite");
			return;
		}
		wire = wire_of(sd, blk, p->seq);
		if (old != end && sd->kbefore != sd->kafter && !seq_before(sd->kpos, p->seq)) {
			changed = true;	/* cut to the old bytes: see the top of this file */
			old = end;
		}
		if (old == end) {
			if ((why = stream_send(ctx, sd, &o, changed, wire, false, res)))
				stream_drop(ctx, res, why);
			return;
		}
		start = old - p->seq;
		o.seal = o.nrun;
		overlap = true;
	}
	if (!sd->synced) {
		/* New bytes, but not at a known message start: parse from the next boundary. */
		b = sp->boundary(data + start, p->len - start);
		if (b < 0) {
			out_add(&o, data + start, p->len - start, start, false);
			if ((why = stream_send(ctx, sd, &o, changed, wire, true, res))) {
				stream_drop(ctx, res, why);
				return;
			}
			sd->next_seq = end;
			sd->wdelta = (int32_t)(wire + o.len - end);
			return;
		}
		out_add(&o, data + start, (uint32_t)b, start, false);
		start += (uint32_t)b;
		dir_sync(sp, sd, parser, ctx->dir, p->seq + start);
	}
	stream_new(ctx, sp, sd, parser, k, &o, start, changed, overlap, wire, res);
}

int stream_line_boundary(const uint8_t *data, uint32_t len)
{
	const uint8_t *nl = memchr(data, '\n', len);

	return nl ? (int)(nl + 1 - data) : -1;
}

int stream_expect_announce(struct help_ctx *ctx, struct stream_pkt *sp, struct ct_expect *exp,
			   uint64_t off, uint32_t len, stream_fmt_fn fmt, const void *m,
			   struct help_result *res)
{
	char text[96];
	uint8_t old[sizeof(text)];
	uint16_t want = exp->tuple.dport;
	int port, n;
	struct ct_expect *e;

	/* A segment with more messages than one packet's edits (only a hostile peer sends
	 * that many): the rest are left alone, as the kernel leaves all but the first. */
	if (sp->nedit >= STREAM_EDITS || sizeof(text) > STREAM_TEXT - sp->text_len) {
		log_rl(LOG_INFO, "ct %u: more than %d rewrites in one segment, the rest left alone",
		       ctx->ct->id, STREAM_EDITS);
		return 0;
	}
	port = help_expect_nat(ctx, exp, res);
	if (port == 0)
		return -1;
	if (port < 0) {	/* no synchronous creation: the verdict carries it, port unchanged */
		port = want;
		if ((e = help_expect_add(res)))
			*e = *exp;
	}
	n = fmt(ctx, m, (uint16_t)port, text, sizeof(text));
	if (n <= 0 || n >= (int)sizeof(text))
		return -1;
	if ((uint32_t)n == len && stream_copy(sp, off, off + len, old) == len && !memcmp(old, text, len))
		return 1;	/* already right: an address NAT kept, the same port */
	return stream_edit(sp, off, len, text, (uint32_t)n) == 0 ? 1 : -1;
}

void stream_release(struct pool *pool, struct stream_dir *sd)
{
	pool_put(pool, &sd->block);
	sd->hold_len = 0;
}
