/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pool: fixed-size blocks allocated once, lent to connections that need more than their table
 * entry holds (held-back bytes, the rewrite journal), and taken back when idle or when the
 * pool runs dry (least recently lent first; a pinned block is never taken). */
#ifndef NFHELPER_POOL_H
#define NFHELPER_POOL_H

#include <stdbool.h>
#include <stdint.h>

struct pool {
	uint8_t *mem;
	uint32_t block_size, count;
	uint32_t free_head;          /* index + 1, chained through next */
	uint32_t *next;
	uint32_t **owner;            /* where the borrower keeps "index + 1", cleared on reclaim */
	uint8_t *pinned;
	uint32_t hand;               /* clock hand for reclaiming */
	uint64_t reclaimed;          /* blocks taken from a borrower that still used them */
	/* What the pool's limits cost the stream layer (counted there, printed at exit): */
	uint64_t unrepeated;         /* retransmissions dropped: their rewrite's journal was gone */
};

int pool_init(struct pool *p, uint32_t count, uint32_t block_size);
void pool_free(struct pool *p);
/* Lend a block; *ref becomes its index + 1 and is zeroed if the block is reclaimed later.
 * Returns the block (its contents as its last borrower left them), or NULL when every block
 * is pinned (the caller degrades). */
void *pool_get(struct pool *p, uint32_t *ref);
/* The block *ref names (NULL for 0). */
void *pool_block(const struct pool *p, uint32_t ref);
void pool_pin(struct pool *p, uint32_t ref, bool pinned);
void pool_put(struct pool *p, uint32_t *ref);

#endif
