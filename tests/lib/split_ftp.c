// SPDX-License-Identifier: GPL-2.0-or-later
/* split_ftp: the FTP parser plugged into the split harness (see split_ftp.h). */
#include <string.h>
#include "split_ftp.h"

static void ftp_init(void *s, const void *arg)
{
	const struct split_ftp_arg *a = arg;

	ftp_parser_init(s, a->side, a->pos);
}

void split_ftp_rec(const struct ftp_match *m, struct split_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->type = m->type;
	r->family = m->family;
	memcpy(r->addr, m->addr, 16);
	r->port = m->port;
	r->off = m->off;
	r->len = m->len;
	r->line_start = m->line_start;
	r->line_end = m->line_end;
}

static bool ftp_feed(void *s, const uint8_t *d, size_t len, size_t *used, struct split_rec *r)
{
	struct ftp_match m;

	if (ftp_parser_execute(s, d, len, used, &m) != FTP_MATCH)
		return false;
	split_ftp_rec(&m, r);
	return true;
}

static void ftp_end(const void *s, struct split_rec *r)
{
	const struct ftp_parser *p = s;

	r->v[SPLIT_FTP_POS] = p->pos;
	r->v[SPLIT_FTP_LINE] = p->line_start;
	r->v[SPLIT_FTP_CAND] = p->candidate;
	r->v[SPLIT_FTP_ML] = p->in_multiline;
	r->v[SPLIT_FTP_CS] = (uint64_t)p->cs;
}

const struct split_proto split_ftp = {
	.name = "ftp", .state_size = sizeof(struct ftp_parser),
	.init = ftp_init, .feed = ftp_feed, .end = ftp_end,
};
