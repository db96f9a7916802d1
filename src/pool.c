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
	p->src.mask = 15;
	while (p->src.mask < 2 * count - 1)
		p->src.mask = p->src.mask << 1 | 1;
	p->src.slot = calloc(p->src.mask + 1, sizeof(*p->src.slot));
	p->pin_max = count / POOL_PIN_SHARE ? count / POOL_PIN_SHARE : 1;
	if (!p->mem || !p->next || !p->owner || !p->pinned || !p->src.slot) {
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
	free(p->src.slot);
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

bool pool_may_pin(struct pool *p, uint32_t ref, const uint8_t *src)
{
	struct addr_count *s;

	if (ref && ref <= p->count && p->pinned[ref - 1])
		return true;
	s = addrcount_find(&p->src, src, true);
	return s && s->n < p->pin_max;
}

int pool_pin(struct pool *p, uint32_t ref, const uint8_t *src)
{
	struct addr_count *s;

	if (!ref || ref > p->count)
		return -EINVAL;
	if (p->pinned[ref - 1])
		return 0;
	s = addrcount_find(&p->src, src, true);
	if (!s || s->n >= p->pin_max)
		return -EBUSY;
	addrcount_take(s, src);
	p->pinned[ref - 1] = (uint32_t)(s - p->src.slot) + 1;
	return 0;
}

void pool_unpin(struct pool *p, uint32_t ref)
{
	uint32_t *slot = ref && ref <= p->count ? &p->pinned[ref - 1] : NULL;

	if (!slot || !*slot)
		return;
	p->src.slot[*slot - 1].n--;
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
