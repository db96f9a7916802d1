// SPDX-License-Identifier: GPL-2.0-or-later
/* split_parsers: FTP, IRC and TFTP plugged into the split harness (see split_parsers.h). */
#include <string.h>
#include "split_parsers.h"

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

static void tftp_init(void *s, const void *arg)
{
	(void)arg;
	tftp_parser_init(s);
}

/* A datagram parser takes every byte and reports at its end only. */
static bool tftp_feed(void *s, const uint8_t *d, size_t len, size_t *used, struct split_rec *r)
{
	(void)r;
	tftp_parser_execute(s, d, len);
	*used = len;
	return false;
}

void split_tftp_rec(const struct tftp_request *q, struct split_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->type = q->result;
	r->off = q->file_off;
	r->len = q->file_len;
	r->v[SPLIT_TFTP_REASON] = q->reason;
	r->v[SPLIT_TFTP_OPCODE] = q->opcode;
	r->v[SPLIT_TFTP_MODE] = q->mode;
	r->v[SPLIT_TFTP_PRESENT] = q->present;
	r->v[SPLIT_TFTP_BLKSIZE] = q->blksize;
	r->v[SPLIT_TFTP_TIMEOUT] = q->timeout;
	r->v[SPLIT_TFTP_WINDOWSIZE] = q->windowsize;
	r->v[SPLIT_TFTP_TSIZE] = q->tsize;
	r->v[SPLIT_TFTP_UNKNOWN] = q->unknown;
}

static void tftp_finish(void *s, struct split_rec *r)
{
	struct tftp_request q;

	tftp_parser_finish(s, &q);
	split_tftp_rec(&q, r);
}

const struct split_proto split_tftp = {
	.name = "tftp", .state_size = sizeof(struct tftp_parser),
	.init = tftp_init, .feed = tftp_feed, .finish = tftp_finish,
};
