// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for what the stream layer (src/stream.c, journal.c) offers a protocol that FTP, IRC
 * and PPTP do not use, through a toy protocol of lines: a held part larger than 2 KB is
 * journalled and repeated byte for byte, and a protocol that never resynchronises is not
 * parsed again after a gap but resumes from the kernel's record after a restart. */
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "pkttest.h"
#include "stream.h"
#include "tap.h"

/* Lines; one that starts "HOLD " is held back from its sixth byte on while unfinished (under
 * NAT), and when complete that byte is rewritten to '!'. */
struct toy_parser {
	uint64_t pos, line;     /* stream offsets: the next byte, the line's start */
	char head[5];
	bool hold;
};

struct toy_state {
	struct stream_dir sd[2];
	struct toy_parser parser[2];
	struct stream_kstate k;
};

static bool toy_parse(struct help_ctx *ctx, void *parser, struct stream_pkt *sp, struct help_result *res)
{
	struct toy_parser *t = parser;

	for (uint32_t i = 0; i < sp->len; i++, t->pos++) {
		uint8_t b = sp->data[i];

		if (t->pos - t->line < 5)
			t->head[t->pos - t->line] = (char)b;
		if (t->pos - t->line == 4)
			t->hold = !memcmp(t->head, "HOLD ", 5);
		if (b != '\n')
			continue;
		if (t->hold && t->pos > t->line + 5)
			stream_edit(sp, t->line + 5, 1, "!", 1);
		t->line = t->pos + 1;
		t->hold = false;
	}
	return true;
}

static void toy_sync(void *parser, int dir, uint64_t off)
{
	struct toy_parser *t = parser;

	memset(t, 0, sizeof(*t));
	t->pos = t->line = off;
}

static bool toy_idle(const void *parser)
{
	const struct toy_parser *t = parser;

	return t->pos == t->line;
}

static uint64_t toy_hold_from(const void *parser)
{
	const struct toy_parser *t = parser;

	return t->hold ? t->line + 5 : STREAM_NO_HOLD;
}

static const struct stream_proto toy_stream = {
	.parser_size = sizeof(struct toy_parser),
	.hold_max = 8192,
	.grow_max = 0,
	.no_resync = true,
	.dir_pair = true,
	.sync = toy_sync,
	.boundary = stream_line_boundary,
	.idle = toy_idle,
	.hold_from = toy_hold_from,
	.parse = toy_parse,
};

static void toy_help(struct help_ctx *ctx, struct help_result *res)
{
	struct toy_state *st = ctx->state;

	stream_help(ctx, &toy_stream, &st->sd[ctx->dir], &st->parser[ctx->dir], &st->k, res);
}

static void toy_destroy(struct pool *pool, void *state)
{
	struct toy_state *st = state;

	stream_release(pool, &st->sd[0]);
	stream_release(pool, &st->sd[1]);
}

static const struct cthelper_policy toy_policy[] = { { .name = "toy", .max_expected = 1, .timeout = 300 } };
static const struct helper_l4 toy_l4[] = { { IPPROTO_TCP, toy_help } };
static const struct helper_proto toy_proto = {
	.name = "toy",
	.l4 = toy_l4,
	.nl4 = 1,
	.priv_data_len = HELPER_PRIV_DATA_LEN(struct stream_kstate),
	.policy = toy_policy,
	.npolicy = 1,
	.state_size = sizeof(struct toy_state),
	.destroy = toy_destroy,
	.stream = &toy_stream,
};

static const struct helper_cfg toy_cfg = {
	.name = "toy", .queue = 9, .policy = { { "toy", 1, 300 } }, .max_conns = 64,
};

static void toy_conn(struct dispatch *dp, struct qmsg_conn *c, uint32_t id, bool handshake)
{
	dispatch_init(dp, &toy_proto, &toy_cfg);
	qmsg_conn_init(c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 9, "192.168.100.100", id);
	strcpy(c->ct.helper, "toy");
	if (handshake)
		pt_handshake(dp, c);
}

/* 3000 bytes held back, released with the next segment: the release's literal bytes (the
 * held part and the edit) exceed the 2 KB a journal block once had, yet its retransmission
 * is rebuilt from the journal byte for byte. */
static void test_toy_journal(void)
{
	static char seg1[3100], want[3100];
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s2;

	toy_conn(&dp, &c, 201, true);
	memcpy(seg1, "A\nHOLD ", 7);
	memset(seg1 + 7, 'x', 3000);
	pt_seg(&dp, &c, 0, seg1, &v);
	pt_payload_is(&v, "A\nHOLD ", "stream toy: 3000 bytes held back");
	s2 = c.seq[0];
	pt_seg(&dp, &c, 0, "yz\n", &v);
	want[0] = '!';
	memset(want + 1, 'x', 2999);
	memcpy(want + 3000, "yz\n", 4);
	pt_payload_is(&v, want, "stream toy: released with the next segment, rewritten");
	pt_send(&dp, &c, 0, 0, "yz\n", &s2, &v);
	pt_payload_is(&v, want, "stream toy: the release's retransmission is rebuilt from the journal");
	tap_ok(dp.pool.unrepeated == 0, "stream toy: no retransmission dropped for a lost journal");
	dispatch_free(&dp);
}

/* no_resync: after a gap nothing is parsed again on that direction, though a line boundary
 * follows; a restart resumes from the kernel's record, and only from it. */
static void test_toy_no_resync(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s;

	toy_conn(&dp, &c, 202, true);
	pt_seg(&dp, &c, 0, "HOLD a\n", &v);
	pt_payload_is(&v, "HOLD !\n", "stream toy: a line is parsed and rewritten");
	s = c.seq[0] + 10;
	c.seq[0] = s + 14;
	pt_send(&dp, &c, 0, 0, "HOLD b\nHOLD c\n", &s, &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload, "stream toy: after a gap, a line after a boundary is not parsed");
	pt_seg(&dp, &c, 0, "HOLD d\n", &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload, "stream toy: nor any line after it");
	dispatch_free(&dp);

	toy_conn(&dp, &c, 203, true);
	pt_seg(&dp, &c, 0, "HOLD a\n", &v);
	dispatch_free(&dp);	/* nfhelper restarts; the kernel keeps the record */
	dispatch_init(&dp, &toy_proto, &toy_cfg);
	pt_seg(&dp, &c, 0, "HOLD e\n", &v);
	pt_payload_is(&v, "HOLD !\n", "stream toy: after a restart, parsed from the kernel's record");
	dispatch_free(&dp);

	toy_conn(&dp, &c, 204, false);	/* met mid-stream, no record */
	pt_seg(&dp, &c, 0, "x\nHOLD f\n", &v);
	pt_seg(&dp, &c, 0, "HOLD g\n", &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload, "stream toy: without a record no boundary is trusted");
	dispatch_free(&dp);
}

void test_stream_toy(void)
{
	test_toy_journal();
	test_toy_no_resync();
}
