/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pool: fixed-size blocks allocated once, lent to connections that need more than their table
 * entry holds (held-back bytes, the rewrite journal), and taken back when idle or when the
 * pool runs dry (least recently lent first; a pinned block is never taken).  Each source (a
 * client address) may pin only its share of the pool. */
#ifndef NFHELPER_POOL_H
#define NFHELPER_POOL_H

#include <stdbool.h>
#include <stdint.h>
#include "addrcount.h"

/* One source pins at most count / POOL_PIN_SHARE blocks (at least 1): a client holding back
 * many unfinished commands must not pin every block, or the other connections' holds and
 * journals find none (their rewrites could then not be repeated). */
#define POOL_PIN_SHARE 8

struct pool {
	uint8_t *mem;
	uint32_t block_size, count;
	uint32_t free_head;          /* index + 1, chained through next */
	uint32_t *next;
	uint32_t **owner;            /* where the borrower keeps "index + 1", cleared on reclaim */
	uint32_t *pinned;            /* per block: its source's slot in src + 1; 0 = not pinned */
	struct addr_counts src;      /* blocks pinned per source (at least 2 slots per block) */
	uint32_t pin_max;            /* blocks one source may pin */
	uint32_t hand;               /* clock hand for reclaiming */
	uint64_t reclaimed;          /* blocks taken from a borrower that still used them */
	/* What the pool's limits cost the stream layer (counted there, printed at exit): */
	uint64_t unheld;             /* unfinished messages not held back: no block, or over share */
	uint64_t unrepeated;         /* retransmissions dropped: their rewrite's journal was gone */
	uint64_t unplaced;           /* segments dropped: no sequence number the kernel maps right */
	/* What the path's bound (MSS, DF: stream_bound.c) cost: */
	uint64_t unbounded;          /* rewrites given up (passed unrewritten) to stay within it */
	uint64_t dfcleared;          /* IPv4 segments sent too long with DF cleared instead */
	uint64_t overbound;          /* IPv6 segments that could not be kept within it (sent too
				      * long, or a message's end kept held): a possible stall */
};

int pool_init(struct pool *p, uint32_t count, uint32_t block_size);
void pool_free(struct pool *p);
/* Lend a block; *ref becomes its index + 1 and is zeroed if the block is reclaimed later.
 * Returns the block (its contents as its last borrower left them), or NULL when every block
 * is pinned (the caller degrades). */
void *pool_get(struct pool *p, uint32_t *ref);
/* The block *ref names (NULL for 0). */
void *pool_block(const struct pool *p, uint32_t ref);
/* Whether block ref (0: one still to be lent) may be pinned for source src (16 bytes, an IPv4
 * address in the first four): it is pinned already, or src pins less than its share. */
bool pool_may_pin(struct pool *p, uint32_t ref, const uint8_t *src);
/* Pin block ref for src: 0, or -EBUSY when src pins its share already (pool_may_pin said
 * no).  A block pinned already stays pinned, counted once. */
int pool_pin(struct pool *p, uint32_t ref, const uint8_t *src);
void pool_unpin(struct pool *p, uint32_t ref);
void pool_put(struct pool *p, uint32_t *ref);

#endif
