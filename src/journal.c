// SPDX-License-Identifier: GPL-2.0-or-later
/* journal: the rewrite journal of a stream direction, so that a retransmission of a changed
 * segment is rebuilt from what its first copy became, never parsed again (the top of stream.c
 * says why).  It mirrors no kernel file; the kernel's correction that makes it needed is
 * mirrored in seqadj.c (net/netfilter/nf_conntrack_seqadj.c). */
#include <string.h>
#include "journal.h"
#include "log.h"
#include "seqadj.h"

#define JOURNAL_RECS 32
#define JOURNAL_RUN_POOL 256

/* The output a changed segment's new bytes [seq, seq + len) got the first time: runs
 * run0..run0 + nrun of the block's run pool. */
struct journal_rec {
	uint32_t seq, len;
	int32_t wdelta;     /* where the output's first byte reached the receiver, minus seq */
	uint16_t run0, nrun;
};

/* Records, runs and literal bytes are appended until one of them is full; then the oldest
 * records are forgotten and the direction's floor (stream_dir.jfloor) says from where it is
 * whole. */
struct journal_block {
	struct journal_rec rec[JOURNAL_RECS];
	uint32_t nrec, runs_used, text_used;
	uint32_t text_cap;    /* literal bytes the block keeps (journal_text_cap) */
	struct journal_run runs[JOURNAL_RUN_POOL];
	uint8_t mem[];        /* text_cap literal bytes, then the carry (hold_max bytes) */
};

/* One record's literal bytes are at most the carry it released (hold_max) and the packet's
 * edit texts (STREAM_TEXT): an empty journal always has room for them, so a released hold of
 * any size can be repeated (a fixed 2 KB could not journal a SIP message held back whole). */
static uint32_t journal_text_size(uint32_t hold_max)
{
	return hold_max + STREAM_TEXT;
}

uint32_t journal_block_size(uint32_t hold_max)
{
	return (uint32_t)sizeof(struct journal_block) + journal_text_size(hold_max) + hold_max;
}

/* The literal space of a block of the pool's size: the pool knows its block size only (it
 * may round it up), so hold_max is found again from journal_block_size's sum; any bytes the
 * rounding added are shared between text and carry, neither below what was asked. */
static uint32_t journal_text_cap(const struct pool *pool)
{
	uint32_t space = pool->block_size - (uint32_t)sizeof(struct journal_block);

	return space - (space - STREAM_TEXT) / 2;
}

uint8_t *journal_carry(struct journal_block *blk)
{
	return blk->mem + blk->text_cap;
}

void journal_out_add(struct journal_out *o, const uint8_t *src, uint32_t len, uint32_t seg_off, bool lit)
{
	struct journal_run *last = o->nrun > o->seal ? &o->run[o->nrun - 1] : NULL;

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
		o->run[o->nrun++] = (struct journal_run){ lit ? o->len : seg_off, len, lit };
	} else {
		o->overflow = true;
	}
	o->len += len;
}

/* Append the first-copy output of seq range [a, b) of seg (whose first byte is at seq a):
 * journal records inside the range, unchanged bytes between them.  False when a record
 * only partly lies in the range: such a retransmission cannot repeat its first copy. */
bool journal_replay(const struct journal_block *blk, uint32_t a, uint32_t b, const uint8_t *seg,
		    struct journal_out *o, bool *changed)
{
	uint32_t cur = a;

	for (;;) {
		const struct journal_rec *next = NULL;

		for (uint32_t i = 0; blk && i < blk->nrec; i++) {
			const struct journal_rec *r = &blk->rec[i];

			if (!seq_before(r->seq, b) || !seq_before(cur, r->seq + r->len))
				continue;	/* ends before cur or starts at or after b */
			if (seq_before(r->seq, cur) || seq_before(b, r->seq + r->len))
				return false;
			if (!next || seq_before(r->seq, next->seq))
				next = r;
		}
		if (!next)
			break;
		journal_out_add(o, seg + (cur - a), next->seq - cur, cur - a, false);
		for (uint32_t i = 0; i < next->nrun; i++) {
			const struct journal_run *u = &blk->runs[next->run0 + i];

			if (u->lit)
				journal_out_add(o, blk->mem + u->off, u->len, 0, true);
			else
				journal_out_add(o, seg + (next->seq - a) + u->off, u->len,
						next->seq - a + u->off, false);
		}
		cur = next->seq + next->len;
		*changed = true;
	}
	journal_out_add(o, seg + (cur - a), b - cur, cur - a, false);
	return true;
}

/* Rewrites before upto can no longer be repeated: a retransmission starting before the floor
 * is dropped (see stream_old in stream.c).  The floor only moves on. */
static void journal_forget(struct stream_dir *sd, uint32_t upto)
{
	if (!sd->jlost || seq_before(sd->jfloor, upto))
		sd->jfloor = upto;
	sd->jlost = 1;
}

/* Whether one more record of nrun runs and lits literal bytes fits; if not, forget the oldest
 * (the least likely to be sent again: the floor moves past it) and say whether it fits now. */
static bool journal_room(struct stream_dir *sd, struct journal_block *blk, uint32_t nrun,
			 uint32_t lits)
{
	uint32_t k = 1, run0, text0 = blk->text_cap;

	if (blk->nrec < JOURNAL_RECS && nrun <= JOURNAL_RUN_POOL - blk->runs_used &&
	    lits <= blk->text_cap - blk->text_used)
		return true;
	if (!blk->nrec)
		return false;
	journal_forget(sd, blk->rec[k - 1].seq + blk->rec[k - 1].len);
	run0 = k < blk->nrec ? blk->rec[k].run0 : blk->runs_used;
	for (uint32_t r = run0; r < blk->runs_used; r++)
		if (blk->runs[r].lit && blk->runs[r].off < text0)
			text0 = blk->runs[r].off;
	if (text0 == blk->text_cap)
		text0 = blk->text_used;
	memmove(blk->runs, blk->runs + run0, (blk->runs_used - run0) * sizeof(blk->runs[0]));
	blk->runs_used -= run0;
	for (uint32_t r = 0; r < blk->runs_used; r++)
		if (blk->runs[r].lit)
			blk->runs[r].off -= text0;
	memmove(blk->mem, blk->mem + text0, blk->text_used - text0);
	blk->text_used -= text0;
	memmove(blk->rec, blk->rec + k, (blk->nrec - k) * sizeof(blk->rec[0]));
	blk->nrec -= k;
	for (uint32_t i = 0; i < blk->nrec; i++)
		blk->rec[i].run0 = (uint16_t)(blk->rec[i].run0 - run0);
	return nrun <= JOURNAL_RUN_POOL - blk->runs_used && lits <= blk->text_cap - blk->text_used;
}

/* Keep the runs of o from index first on (the new bytes, whose first byte is at seq, the
 * record's start, and at offset seg_base of the packet payload) as a journal record. */
static void journal_add(struct stream_dir *sd, struct journal_block *blk, const struct journal_out *o,
			uint32_t first, uint32_t seq, uint32_t len, uint32_t seg_base, int32_t wdelta)
{
	uint32_t lits = 0, nrun = o->nrun - first;
	struct journal_rec *r;

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
		struct journal_run u = o->run[i];

		if (u.lit) {
			memcpy(blk->mem + blk->text_used, o->buf + u.off, u.len);
			u.off = blk->text_used;
			blk->text_used += u.len;
		} else {
			u.off -= seg_base;
		}
		blk->runs[blk->runs_used++] = u;
	}
	sd->journaled = 1;
}

/* Where the receiver has (or must get) the first copy of old position x, which starts a
 * record or lies between two: bytes between length changes all moved alike, so as the
 * first record at or after x, else as next_seq. */
uint32_t journal_wire(const struct stream_dir *sd, const struct journal_block *blk, uint32_t x)
{
	const struct journal_rec *best = NULL;

	for (uint32_t i = 0; blk && i < blk->nrec; i++) {
		const struct journal_rec *r = &blk->rec[i];

		if (!seq_before(r->seq, x) && (!best || seq_before(r->seq, best->seq)))
			best = r;
	}
	return x + (uint32_t)(best ? best->wdelta : sd->wdelta);
}

/* The direction's block, lent now if it has none.  Blocks are lent as their last borrower
 * left them: a new one starts with an empty journal (another connection's records would be
 * replayed into this one's retransmissions). */
struct journal_block *journal_block(struct pool *pool, struct stream_dir *sd)
{
	struct journal_block *blk = pool_block(pool, sd->block);

	if (!blk && (blk = pool_get(pool, &sd->block))) {
		blk->nrec = blk->runs_used = blk->text_used = 0;
		blk->text_cap = journal_text_cap(pool);
	}
	return blk;
}

/* The pool took the direction's journal back to lend it elsewhere.  Noted before this
 * packet may be lent a new, empty block, which would otherwise pass for the journal. */
void journal_check(struct pool *pool, struct stream_dir *sd)
{
	if (sd->journaled && !pool_block(pool, sd->block)) {
		journal_forget(sd, sd->next_seq);
		sd->journaled = 0;
	}
}

/* Journal the output of a changed segment's new bytes (from payload offset start on, runs
 * from first on).  Without a block for it the rewrite leaves unjournalled: the floor moves
 * past it, so its retransmissions will be dropped. */
struct journal_block *journal_commit(struct help_ctx *ctx, struct stream_dir *sd,
				     const struct journal_out *o, uint32_t first, uint32_t start,
				     uint32_t wire)
{
	const struct pkt *p = &ctx->pkt;
	struct journal_block *blk = journal_block(ctx->pool, sd);

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
