// SPDX-License-Identifier: GPL-2.0-or-later
/* split_tftp: the TFTP request parser plugged into the split harness (see split_tftp.h). */
#include <string.h>
#include "split_tftp.h"

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
