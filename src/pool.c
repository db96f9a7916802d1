// SPDX-License-Identifier: GPL-2.0-or-later
/* pool: a fixed set of blocks lent to connections on demand.  Keeping held-back bytes and
 * rewrite journals here, instead of inline in every table entry, makes their size a
 * per-protocol choice (FTP holds 128 bytes, a SIP message kilobytes) without multiplying it by
 * --max-conns.  Pinned blocks are counted per source, so that one client cannot pin them all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pool.h"

int pool_init(struct pool *p, uint32_t count, uint32_t block_size)
{
	memset(p, 0, sizeof(*p));
	if (!count || !block_size || count > (1U << 24) || block_size > (1U << 20))
		return -EINVAL;
	p->count = count;
	p->block_size = (block_size + 7) & ~7U;
	/* calloc of a large area maps zero pages: only blocks ever lent are touched. */
	p->mem = calloc(count, p->block_size);
	p->next = calloc(count, sizeof(*p->next));
	p->owner = calloc(count, sizeof(*p->owner));
	p->pinned = calloc(count, sizeof(*p->pinned));
	/* At least two source slots per block: fewer than half are ever taken. */
	p->src_mask = 15;
	while (p->src_mask < 2 * count - 1)
		p->src_mask = p->src_mask << 1 | 1;
	p->src = calloc(p->src_mask + 1, sizeof(*p->src));
	p->pin_max = count / POOL_PIN_SHARE ? count / POOL_PIN_SHARE : 1;
	if (!p->mem || !p->next || !p->owner || !p->pinned || !p->src) {
		pool_free(p);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < count; i++)
		p->next[i] = i + 1 < count ? i + 2 : 0;
	p->free_head = 1;
	return 0;
}

void pool_free(struct pool *p)
{
	free(p->mem);
	free(p->next);
	free(p->owner);
	free(p->pinned);
	free(p->src);
	memset(p, 0, sizeof(*p));
}

void *pool_block(const struct pool *p, uint32_t ref)
{
	return ref && ref <= p->count ? p->mem + (size_t)(ref - 1) * p->block_size : NULL;
}

/* Take the next unpinned block under the clock hand from its borrower. */
static uint32_t pool_reclaim(struct pool *p)
{
	for (uint32_t n = 0; n < p->count; n++) {
		uint32_t i = p->hand;

		p->hand = (p->hand + 1) % p->count;
		if (p->pinned[i] || !p->owner[i])
			continue;
		*p->owner[i] = 0;
		p->owner[i] = NULL;
		p->reclaimed++;
		return i + 1;
	}
	return 0;
}

void *pool_get(struct pool *p, uint32_t *ref)
{
	uint32_t r = p->free_head;

	if (r)
		p->free_head = p->next[r - 1];
	else if (!(r = pool_reclaim(p)))
		return NULL;
	p->owner[r - 1] = ref;	/* a free or reclaimed block is never pinned */
	*ref = r;
	return pool_block(p, r);
}

/* FNV-1a over the 16 address bytes. */
static uint32_t src_hash(const uint8_t *addr)
{
	uint32_t h = 2166136261U;

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619U;
	return h;
}

/* The slot counting addr, else (add) a free one to count it in, else NULL.  Free slots do not
 * end the search (a slot is freed when its count drops to 0, with no tombstone): each lookup
 * reads all POOL_SRC_PROBES slots, a bounded cost paid only when a pin is taken. */
static struct pool_src *src_find(struct pool *p, const uint8_t *addr, bool add)
{
	struct pool_src *free_slot = NULL;
	uint32_t h = src_hash(addr);

	for (uint32_t i = 0; i < POOL_SRC_PROBES; i++) {
		struct pool_src *s = &p->src[(h + i) & p->src_mask];

		if (s->pinned && !memcmp(s->addr, addr, sizeof(s->addr)))
			return s;
		if (!s->pinned && !free_slot)
			free_slot = s;
	}
	return add ? free_slot : NULL;
}

bool pool_may_pin(struct pool *p, uint32_t ref, const uint8_t *src)
{
	struct pool_src *s;

	if (ref && ref <= p->count && p->pinned[ref - 1])
		return true;
	s = src_find(p, src, true);
	return s && s->pinned < p->pin_max;
}

int pool_pin(struct pool *p, uint32_t ref, const uint8_t *src)
{
	struct pool_src *s;

	if (!ref || ref > p->count)
		return -EINVAL;
	if (p->pinned[ref - 1])
		return 0;
	s = src_find(p, src, true);
	if (!s || s->pinned >= p->pin_max)
		return -EBUSY;
	if (!s->pinned)
		memcpy(s->addr, src, sizeof(s->addr));
	s->pinned++;
	p->pinned[ref - 1] = (uint32_t)(s - p->src) + 1;
	return 0;
}

void pool_unpin(struct pool *p, uint32_t ref)
{
	uint32_t *slot = ref && ref <= p->count ? &p->pinned[ref - 1] : NULL;

	if (!slot || !*slot)
		return;
	p->src[*slot - 1].pinned--;
	*slot = 0;
}

void pool_put(struct pool *p, uint32_t *ref)
{
	uint32_t r = *ref;

	if (!r || r > p->count || p->owner[r - 1] != ref)
		return;
	pool_unpin(p, r);
	p->owner[r - 1] = NULL;
	p->next[r - 1] = p->free_head;
	p->free_head = r;
	*ref = 0;
}
