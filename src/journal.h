/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal: what each changed segment's new bytes became the first time, kept in the
 * direction's pool block so that a retransmission repeats it (see the top of stream.c). */
#ifndef NFHELPER_JOURNAL_H
#define NFHELPER_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>
#include "pool.h"
#include "stream.h"

#define JOURNAL_RUNS (2 * STREAM_EDITS + 8)	/* one packet: edits, the text between them, held bytes */

/* A piece of a packet's output: bytes of the segment itself, or literal bytes. */
struct journal_run {
	uint32_t off, len;  /* segment: offset in the record's range; literal: in text or output */
	uint32_t lit;
};

/* A packet's output being composed, with the runs that describe it for the journal. */
struct journal_out {
	uint8_t *buf;
	uint32_t cap, len;
	struct journal_run run[JOURNAL_RUNS];
	uint32_t nrun;
	uint32_t seal;  /* runs before this index belong to another record: never merge into them */
	bool overflow;
};

/* A direction's pool block: its journal, then hold_max bytes held back (the carry). */
struct journal_block;

/* Size of a block whose carry holds hold_max bytes. */
uint32_t journal_block_size(uint32_t hold_max);
uint8_t *journal_carry(struct journal_block *blk);

/* Append len bytes of src to o: literal bytes (lit), or the segment's bytes at payload offset
 * seg_off.  Sets o->overflow when the output or its runs are full. */
void journal_out_add(struct journal_out *o, const uint8_t *src, uint32_t len, uint32_t seg_off, bool lit);

/* Append the first-copy output of seq range [a, b) of seg (whose first byte is at seq a);
 * *changed when it differs from seg.  False when a record only partly lies in the range. */
bool journal_replay(const struct journal_block *blk, uint32_t a, uint32_t b, const uint8_t *seg,
		    struct journal_out *o, bool *changed);

/* Where the receiver has (or must get) the first copy of old position x. */
uint32_t journal_wire(const struct stream_dir *sd, const struct journal_block *blk, uint32_t x);

/* The direction's block, lent now (with an empty journal) if it has none; NULL if none is free. */
struct journal_block *journal_block(struct pool *pool, struct stream_dir *sd);

/* Before a packet is handled: note a journal the pool took back (its records are lost). */
void journal_check(struct pool *pool, struct stream_dir *sd);

/* Journal the output of the packet's new bytes (payload offset start on, o's runs from first
 * on), which reach the receiver at wire.  The direction's block, or NULL (none free: logged). */
struct journal_block *journal_commit(struct help_ctx *ctx, struct stream_dir *sd,
				     const struct journal_out *o, uint32_t first, uint32_t start,
				     uint32_t wire);

#endif
