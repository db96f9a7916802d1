/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conn: the bounded per-conntrack state table, keyed by conntrack id.
 * Entries are allocated once at start-up; the least recently used one is recycled when full. */
#ifndef NFHELPER_CONN_H
#define NFHELPER_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ct.h"

struct conn_table {
	uint32_t cap, used;
	size_t state_size;     /* each protocol's own per-connection struct */
	uint32_t nbuckets;     /* power of two */
	uint32_t *bucket;      /* index + 1 of the chain head, 0 = empty */
	struct conn *entry;    /* cap entries */
	uint8_t *state;        /* cap * state_size bytes */
	uint32_t lru_head, lru_tail; /* index + 1; head = most recently used */
	uint32_t free_head;    /* index + 1 of the first free entry, chained by next */
	uint64_t evicted;      /* recycled while still live: the table is too small */
	void (*release)(void *state, void *arg); /* called before an entry's state is dropped */
	void *release_arg;
};

struct conn {
	uint32_t id;
	struct ct_tuple orig;  /* guards against a reused id */
	uint32_t next;         /* hash chain (or free list), index + 1 */
	uint32_t lru_prev, lru_next;
	bool live;
};

int conn_table_init(struct conn_table *t, uint32_t cap, size_t state_size);
void conn_table_free(struct conn_table *t);
/* The state for this conntrack; *fresh is set when it was just created (zeroed). */
void *conn_get(struct conn_table *t, uint32_t id, const struct ct_tuple *orig, bool *fresh);
/* Forget a conntrack (destroy event) if it is the one with original tuple orig (NULL: any);
 * false when it was not in the table. */
bool conn_del(struct conn_table *t, uint32_t id, const struct ct_tuple *orig);

#endif
