// SPDX-License-Identifier: GPL-2.0-or-later
/* split_irc: the IRC DCC parser plugged into the split harness (see split_irc.h). */
#include <string.h>
#include "split_irc.h"

static void irc_init(void *s, const void *arg)
{
	irc_parser_init(s, *(const uint64_t *)arg);
}

void split_irc_rec(const struct irc_match *m, struct split_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->type = m->type;
	r->family = m->family;
	memcpy(r->addr, m->addr, 16);
	r->port = m->port;
	r->v[SPLIT_IRC_ADDR4] = m->addr4;
	r->off = m->off;
	r->len = m->len;
	r->line_start = m->line_start;
	r->line_end = m->line_end;
}

static bool irc_feed(void *s, const uint8_t *d, size_t len, size_t *used, struct split_rec *r)
{
	struct irc_match m;

	if (irc_parser_execute(s, d, len, used, &m) != IRC_MATCH)
		return false;
	split_irc_rec(&m, r);
	return true;
}

static void irc_end(const void *s, struct split_rec *r)
{
	const struct irc_parser *p = s;

	r->v[SPLIT_IRC_POS] = p->pos;
	r->v[SPLIT_IRC_LINE] = p->line_start;
	r->v[SPLIT_IRC_CAND] = p->candidate;
	r->v[SPLIT_IRC_CS] = (uint64_t)p->cs;
}

const struct split_proto split_irc = {
	.name = "irc", .state_size = sizeof(struct irc_parser),
	.init = irc_init, .feed = irc_feed, .end = irc_end,
};
