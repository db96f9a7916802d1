// SPDX-License-Identifier: GPL-2.0-or-later
/* addrcount: a bounded per-address counter table (see addrcount.h). */
#include <string.h>
#include "addrcount.h"

/* FNV-1a over the 16 address bytes. */
static uint32_t addr_hash(const uint8_t *addr)
{
	uint32_t h = 2166136261U;

	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619U;
	return h;
}

/* Free slots do not end the search (a slot is freed when its count drops to 0, with no
 * tombstone), so every lookup reads all ADDRCOUNT_PROBES slots: a bounded cost, paid only
 * when something is taken or given back. */
struct addr_count *addrcount_find(struct addr_counts *t, const uint8_t *addr, bool add)
{
	struct addr_count *free_slot = NULL;
	uint32_t h = addr_hash(addr);

	for (uint32_t i = 0; i < ADDRCOUNT_PROBES; i++) {
		struct addr_count *s = &t->slot[(h + i) & t->mask];

		if (s->n && !memcmp(s->addr, addr, sizeof(s->addr)))
			return s;
		if (!s->n && !free_slot)
			free_slot = s;
	}
	return add ? free_slot : NULL;
}

void addrcount_take(struct addr_count *s, const uint8_t *addr)
{
	if (!s->n)
		memcpy(s->addr, addr, sizeof(s->addr));
	s->n++;
}
