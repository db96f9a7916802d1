/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sip_parser_int: what grammars/sip.rl and grammars/sdp.rl share — phases, destinations,
 * the bounded number and span helpers.  Private to the two grammars. */
#ifndef NFHELPER_SIP_PARSER_INT_H
#define NFHELPER_SIP_PARSER_INT_H

#include <string.h>
#include "sip_parser.h"

enum { SIP_PH_START, SIP_PH_HEAD, SIP_PH_BODY, SIP_PH_DONE, SIP_PH_BAD };

/* Where a URI, host or address being read is stored when it ends. */
enum {
	SIP_DST_NONE, SIP_DST_RURI, SIP_DST_VIA, SIP_DST_FROM, SIP_DST_TO, SIP_DST_CONTACT,
	SIP_DST_MADDR, SIP_DST_RECEIVED, SIP_DST_SDP_O, SIP_DST_SDP_C, SIP_DST_SDP_MC,
};

/* Singletons: a second one is SIP_BAD_DUPLICATE. */
enum {
	SIP_SEEN_CLEN = 1U << 0, SIP_SEEN_CSEQ = 1U << 1, SIP_SEEN_CALLID = 1U << 2,
	SIP_SEEN_FROM = 1U << 3, SIP_SEEN_TO = 1U << 4, SIP_SEEN_CTYPE = 1U << 5,
	SIP_SEEN_EXPIRES = 1U << 6, SIP_SEEN_VIA = 1U << 7, SIP_SEEN_SDP_O = 1U << 8,
	SIP_SEEN_SDP_C = 1U << 9, SIP_SEEN_SDP_MC = 1U << 10,
};

/* Digits accumulate in a u64 that stops growing past 2^33: a bound is checked where the
 * number ends, so digits that turn out to be something else (a password read as a port
 * while the parser cannot yet tell) never fail a message. */
static inline void sip_num_dig(struct sip_parser *st, unsigned c)
{
	if (st->num < (1ULL << 33))
		st->num = st->num * 10 + (c - '0');
}

/* A header seen once only; false (and bad set) for the second. */
static inline bool sip_seen_once(struct sip_parser *st, unsigned bit)
{
	if (st->seen & bit) {
		st->bad = SIP_BAD_DUPLICATE;
		return false;
	}
	st->seen |= bit;
	return true;
}

/* Field by field: a struct value's padding is unspecified, and the tests compare messages
 * byte for byte. */
static inline void sip_span_set(struct sip_span *s, uint64_t from, uint64_t to)
{
	s->off = from;
	s->len = (uint32_t)(to - from);
}

/* The address just read (st->hp) as a struct sip_addr. */
static inline void sip_addr_from_hp(const struct sip_parser *st, struct sip_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->text = st->hp.text;
	a->family = st->hp.family;
	memcpy(a->addr, st->hp.addr, 16);
}

static inline void sip_host_begin(struct sip_parser *st, uint64_t at)
{
	memset(&st->hp, 0, sizeof(st->hp));
	addr_parse_reset(&st->ap);
	st->hp.text.off = at;
	st->h_num = st->h_nd = st->h_ng = st->h_not4 = 0;
}

static inline void sip_host_v4(struct sip_parser *st)
{
	st->hp.family = 4;
	for (int i = 0; i < 4; i++)
		st->hp.addr[i] = (uint8_t)st->ap.groups[i];
}

/* The header machine (grammars/sip.rl): start a message at stream offset at; run over
 * [*pp, pe) (data at stream offset base), no further than SIP_MSG_MAX from the start.
 * st->hdone once the blank line is read (*pp just past it). */
void sip_head_begin(struct sip_parser *st, uint64_t at);
enum sip_bad sip_head_exec(struct sip_parser *st, const uint8_t *data, const uint8_t **pp,
			   const uint8_t *pe, uint64_t base);

/* The first CR or LF in [p, pe), or pe: where text the grammar skips ends. */
static inline const uint8_t *sip_line_rest(const uint8_t *p, const uint8_t *pe)
{
	const uint8_t *lf, *cr;

	if (p >= pe)
		return pe;
	lf = memchr(p, '\n', (size_t)(pe - p));
	cr = memchr(p, '\r', (size_t)((lf ? lf : pe) - p));
	return cr ? cr : lf ? lf : pe;
}

/* The SDP machine (grammars/sdp.rl) over body bytes at stream offset base; false when the
 * body is malformed (st->bad says why; *used where it stopped). */
void sip_sdp_init(struct sip_parser *st);
bool sip_sdp_exec(struct sip_parser *st, const uint8_t *data, size_t len, uint64_t base,
		  size_t *used);
/* The body ended: close a last line that has no line end; false when the SDP is not whole. */
bool sip_sdp_end(struct sip_parser *st, uint64_t base);

#endif
