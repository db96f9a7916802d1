// SPDX-License-Identifier: GPL-2.0-or-later
/* conn: bounded per-conntrack state, keyed by conntrack id, recycled least recently used.
 * The kernel's helpers keep this in the conntrack's help extension (nf_ct_help_data);
 * a userspace helper keeps it here and frees it on the conntrack's destroy event. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"

static uint32_t hash_id(const struct conn_table *t, uint32_t id)
{
	/* Conntrack ids are already hashes (siphash of the object), so a multiply spreads them. */
	return (id * 2654435761U) & (t->nbuckets - 1);
}

int conn_table_init(struct conn_table *t, uint32_t cap, size_t state_size)
{
	memset(t, 0, sizeof(*t));
	if (cap == 0 || cap > (1U << 24))
		return -EINVAL;
	t->cap = cap;
	t->state_size = state_size;
	t->nbuckets = 1;
	while (t->nbuckets < cap)
		t->nbuckets <<= 1;
	t->bucket = calloc(t->nbuckets, sizeof(*t->bucket));
	t->entry = calloc(cap, sizeof(*t->entry));
	t->state = calloc(cap, state_size ? state_size : 1);
	if (!t->bucket || !t->entry || !t->state) {
		conn_table_free(t);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < cap; i++)
		t->entry[i].next = i + 1 < cap ? i + 2 : 0;
	t->free_head = 1;
	return 0;
}

void conn_table_free(struct conn_table *t)
{
	free(t->bucket);
	free(t->entry);
	free(t->state);
	memset(t, 0, sizeof(*t));
}

static void lru_unlink(struct conn_table *t, uint32_t i)
{
	struct conn *c = &t->entry[i];

	if (c->lru_prev)
		t->entry[c->lru_prev - 1].lru_next = c->lru_next;
	else
		t->lru_head = c->lru_next;
	if (c->lru_next)
		t->entry[c->lru_next - 1].lru_prev = c->lru_prev;
	else
		t->lru_tail = c->lru_prev;
	c->lru_prev = c->lru_next = 0;
}

static void lru_push_head(struct conn_table *t, uint32_t i)
{
	struct conn *c = &t->entry[i];

	c->lru_prev = 0;
	c->lru_next = t->lru_head;
	if (t->lru_head)
		t->entry[t->lru_head - 1].lru_prev = i + 1;
	t->lru_head = i + 1;
	if (!t->lru_tail)
		t->lru_tail = i + 1;
}

/* Unlink entry i from its hash chain and the LRU list; it becomes free. */
static void remove_entry(struct conn_table *t, uint32_t i)
{
	uint32_t *link = &t->bucket[hash_id(t, t->entry[i].id)];

	while (*link && *link != i + 1)
		link = &t->entry[*link - 1].next;
	if (*link)
		*link = t->entry[i].next;
	lru_unlink(t, i);
	/* Whatever the state borrowed (pool blocks) goes back before the slot is reused. */
	if (t->release)
		t->release(t->state + (size_t)i * t->state_size, t->release_arg);
	t->entry[i].live = false;
	t->entry[i].next = t->free_head;
	t->free_head = i + 1;
	t->used--;
}

static uint32_t find(const struct conn_table *t, uint32_t id)
{
	uint32_t i = t->bucket[hash_id(t, id)];

	while (i && t->entry[i - 1].id != id)
		i = t->entry[i - 1].next;
	return i;
}

/* A free slot, else the least recently used live one. */
static uint32_t take_slot(struct conn_table *t)
{
	uint32_t i;

	if (!t->free_head) {
		remove_entry(t, t->lru_tail - 1);
		t->evicted++;
	}
	i = t->free_head - 1;
	t->free_head = t->entry[i].next;
	return i;
}


void *conn_get(struct conn_table *t, uint32_t id, const struct ct_tuple *orig, bool *fresh)
{
	uint32_t i = find(t, id);
	struct conn *c;

	if (i && !ct_tuple_equal(&t->entry[i - 1].orig, orig)) {
		/* Same id, other connection: the old one ended and we missed its event. */
		remove_entry(t, i - 1);
		i = 0;
	}
	if (i) {
		lru_unlink(t, i - 1);
		lru_push_head(t, i - 1);
		*fresh = false;
		return t->state + (size_t)(i - 1) * t->state_size;
	}
	i = take_slot(t);
	c = &t->entry[i];
	c->id = id;
	c->orig = *orig;
	c->live = true;
	c->next = t->bucket[hash_id(t, id)];
	t->bucket[hash_id(t, id)] = i + 1;
	lru_push_head(t, i);
	t->used++;
	memset(t->state + (size_t)i * t->state_size, 0, t->state_size);
	*fresh = true;
	return t->state + (size_t)i * t->state_size;
}

bool conn_del(struct conn_table *t, uint32_t id, const struct ct_tuple *orig)
{
	uint32_t i = find(t, id);

	/* A late event for a reused id must not end the new connection's state. */
	if (!i || (orig && !ct_tuple_equal(&t->entry[i - 1].orig, orig)))
		return false;
	remove_entry(t, i - 1);
	return true;
}
