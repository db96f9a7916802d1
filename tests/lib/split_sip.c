// SPDX-License-Identifier: GPL-2.0-or-later
/* split_sip: the SIP parser plugged into the split harness (see split_sip.h). */
#include <string.h>
#include "split_sip.h"
#include "sip_parser_int.h"

/* FNV-1a over the struct: the parser zeroes it (padding too) before it builds a message, so
 * equal results hash equal, and any differing field shows. */
uint64_t split_sip_hash(const struct sip_msg *m)
{
	const uint8_t *b = (const uint8_t *)m;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(*m); i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

void split_sip_rec(enum sip_result r, enum sip_bad bad, const struct sip_msg *m,
		   struct split_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->type = r;
	if (r == SIP_MORE)
		return;
	rec->family = m->via.family;
	memcpy(rec->addr, m->via.addr, 16);
	rec->port = m->via.port;
	rec->off = m->start;
	rec->len = m->len;
	rec->line_start = m->start;
	rec->line_end = m->start + m->len;
	rec->v[SPLIT_SIP_HASH] = split_sip_hash(m);
	rec->v[SPLIT_SIP_BAD] = r == SIP_BAD ? bad : 0;
	rec->v[SPLIT_SIP_METHOD] = m->method;
	rec->v[SPLIT_SIP_STATUS] = m->status;
	rec->v[SPLIT_SIP_BODY] = m->body_off;
	rec->v[SPLIT_SIP_NCONTACT] = m->ncontact;
	rec->v[SPLIT_SIP_NMEDIA] = m->sdp.nmedia;
	rec->v[SPLIT_SIP_CLEN] = m->clen;
	rec->v[SPLIT_SIP_CSEQ] = m->cseq;
}

static void sip_init_tcp(void *s, const void *arg)
{
	sip_parser_init(s, ((const struct split_sip_arg *)arg)->pos, false);
}

static void sip_init_udp(void *s, const void *arg)
{
	sip_parser_init(s, ((const struct split_sip_arg *)arg)->pos, true);
}

/* After SIP_BAD the parser reads nothing: the adapter takes the rest unread, so that every
 * way of feeding reports the one SIP_BAD once. */
static bool sip_feed(void *s, const uint8_t *d, size_t len, size_t *used, struct split_rec *r)
{
	struct sip_parser *p = s;
	struct sip_msg m;
	enum sip_result res;

	if (p->phase == SIP_PH_BAD) {
		*used = len;
		return false;
	}
	res = sip_parser_feed(p, d, len, used, &m);
	if (res == SIP_MORE)
		return false;
	split_sip_rec(res, (enum sip_bad)p->bad, &m, r);
	return true;
}

static void sip_finish(void *s, struct split_rec *r)
{
	struct sip_parser *p = s;
	struct sip_msg m;
	enum sip_result res;

	if (p->phase == SIP_PH_BAD) {	/* already reported */
		split_sip_rec(SIP_MORE, 0, NULL, r);
		return;
	}
	res = sip_parser_finish(p, &m);
	split_sip_rec(res, (enum sip_bad)p->bad, &m, r);
}

static void sip_end(const void *s, struct split_rec *r)
{
	const struct sip_parser *p = s;

	r->v[0] = p->pos;
	r->v[1] = p->phase;
	r->v[2] = p->phase == SIP_PH_BAD ? 0 : (uint64_t)p->cs;
	r->v[3] = p->bad;
	r->v[4] = sip_parser_msg_start(p);
}

const struct split_proto split_sip_tcp = {
	.name = "sip-tcp", .state_size = sizeof(struct sip_parser),
	.init = sip_init_tcp, .feed = sip_feed, .end = sip_end,
};

const struct split_proto split_sip_udp = {
	.name = "sip-udp", .state_size = sizeof(struct sip_parser),
	.init = sip_init_udp, .feed = sip_feed, .finish = sip_finish, .end = sip_end,
};
