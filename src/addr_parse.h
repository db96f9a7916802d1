/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr_parse: the values behind the shared address rules (grammars/include/addr.rl) —
 * dotted IPv4 octets, RFC 4291 2.2 IPv6 text (compressed, IPv4 tail), decimal ports.
 * For grammar actions only: no policy, every count bounded. */
#ifndef NFHELPER_ADDR_PARSE_H
#define NFHELPER_ADDR_PARSE_H

#include <stdint.h>

#define ADDR_NO_GAP 0xff

/* A parser that includes the rules embeds this as st->ap and calls addr_parse_reset where a
 * value may start (FTP and IRC: at each line start; one address and one port per line).
 * The syntax bounds every number (octets 0..255, groups 4 hex digits, ports 0..65535), so
 * no accumulator can overflow; the counts are checked all the same. */
struct addr_parse {
	uint32_t num, dec;	/* number being read (an IPv6 group: as hex and as decimal) */
	uint16_t groups[8];	/* numbers read: octets, IPv6 groups */
	uint16_t port;
	uint8_t ngroups, ndig, nv4, gap, colon;
	uint8_t v4[4];		/* dotted tail of an IPv6 address */
};

static inline void addr_parse_reset(struct addr_parse *a)
{
	*a = (struct addr_parse){ .gap = ADDR_NO_GAP };
}

static inline void addr_push(struct addr_parse *a)
{
	if (a->ngroups < 8)
		a->groups[a->ngroups++] = (uint16_t)a->num;
	a->num = 0;
}

static inline void addr_tok_reset(struct addr_parse *a)
{
	a->num = a->dec = 0;
	a->ndig = 0;
}

static inline unsigned addr_hexval(unsigned c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* A ':' ends a group; a second one in a row is the "::" gap (the syntax allows one). */
static inline void addr_v6_colon(struct addr_parse *a)
{
	if (a->ndig) {
		if (a->ngroups < 8)
			a->groups[a->ngroups++] = (uint16_t)a->num;
	} else if (a->colon) {
		a->gap = a->ngroups;
	}
	a->colon = 1;
	addr_tok_reset(a);
}

static inline void addr_v6_dot(struct addr_parse *a)
{
	if (a->nv4 < 4)
		a->v4[a->nv4++] = (uint8_t)a->dec;
	addr_tok_reset(a);
}

/* Close the last group (hex or dotted), widen the "::" gap with zero groups and write the
 * address in network order.  The groups are consumed (ngroups is 0 again). */
static inline void addr_v6_finish(struct addr_parse *a, uint8_t out[16])
{
	uint16_t g[8] = { 0 };
	unsigned n, i;

	if (a->nv4 == 3) {
		a->v4[3] = (uint8_t)a->dec;
		if (a->ngroups < 7) {
			a->groups[a->ngroups++] = (uint16_t)(a->v4[0] << 8 | a->v4[1]);
			a->groups[a->ngroups++] = (uint16_t)(a->v4[2] << 8 | a->v4[3]);
		}
	} else if (a->ndig && a->ngroups < 8) {
		a->groups[a->ngroups++] = (uint16_t)a->num;
	}
	n = a->ngroups;
	for (i = 0; i < n; i++)
		g[i < a->gap ? i : i + 8 - n] = a->groups[i];
	for (i = 0; i < 8; i++) {
		out[2 * i] = (uint8_t)(g[i] >> 8);
		out[2 * i + 1] = (uint8_t)g[i];
	}
	a->ngroups = 0;
	addr_tok_reset(a);
}

#endif
