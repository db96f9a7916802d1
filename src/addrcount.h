/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addrcount: how much of something each client address holds (pinned pool blocks, PPTP NAT
 * call IDs), so that one client cannot take all of a shared resource.  A fixed table with
 * open addressing; a lookup reads ADDRCOUNT_PROBES slots at most, whatever the input. */
#ifndef NFHELPER_ADDRCOUNT_H
#define NFHELPER_ADDRCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#define ADDRCOUNT_PROBES 16

/* One address's count; n 0: a free slot. */
struct addr_count {
	uint8_t addr[16];	/* an IPv4 address in the first four bytes, the rest zero */
	uint32_t n;
};

struct addr_counts {
	struct addr_count *slot;
	uint32_t mask;		/* slots - 1, a power of two minus one */
};

/* The slot counting addr, else (add) a free one to count it in, else NULL (the table is
 * crowded there: the caller refuses what it would have counted). */
struct addr_count *addrcount_find(struct addr_counts *t, const uint8_t *addr, bool add);
/* Count one more for addr in s (a slot addrcount_find gave). */
void addrcount_take(struct addr_count *s, const uint8_t *addr);

#endif
