// SPDX-License-Identifier: GPL-2.0-or-later
/* irc: the IRC helper — DCC offers (SEND, CHAT, MOVE, TSEND, SCHAT) in client PRIVMSGs to
 * expectations for the peer's connection back, and their NAT rewriting.
 * Mirrors net/netfilter/nf_conntrack_irc.c (with its 2022 forged-DCC checks) and nf_nat_irc.c;
 * the CTCP DCC convention (decimal IPv4 number, or a textual IPv6 address). */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "irc.h"
#include "irc_parser.h"
#include "log.h"

/* The announced address must be the client's own (nf_conntrack_irc: a DCC naming another
 * host is forged and opens nothing) — or, behind a NAT the client knows of, the address NAT
 * gives it, which is where the peer will connect anyway. */
static bool irc_addr_ok(const struct help_ctx *ctx, const struct irc_match *m)
{
	const struct ct_info *ct = ctx->ct;
	uint8_t fam = ct->tuple[0].l3 == AF_INET ? 4 : 6;
	size_t alen = fam == 4 ? 4 : 16;

	if (m->family != fam)
		return false;
	return !memcmp(m->addr, ct->tuple[CT_DIR_ORIGINAL].src.all, alen) ||
	       !memcmp(m->addr, ct->tuple[CT_DIR_REPLY].dst.all, alen);
}

/* nf_nat_irc: "<address> <port>" with the address the peer must use (the client's address
 * after NAT) — decimal for IPv4 as the kernel prints it, compressed text for IPv6. */
static int irc_fmt(const struct help_ctx *ctx, const void *m, uint16_t port, char *buf, size_t cap)
{
	const union ct_addr *a = &ctx->ct->tuple[CT_DIR_REPLY].dst;
	char text[INET6_ADDRSTRLEN];

	if (ctx->ct->tuple[0].l3 == AF_INET)
		return snprintf(buf, cap, "%u %u", ntohl(a->v4), port);
	if (!inet_ntop(AF_INET6, a->v6, text, sizeof(text)))
		return -1;
	return snprintf(buf, cap, "%s %u", text, port);
}

/* nf_conntrack_irc.c help(), per offer: its checks, and the expectation they allow. */
static bool irc_expect(const struct help_ctx *ctx, const struct irc_match *m, struct ct_expect *e)
{
	const struct ct_tuple *reply = &ctx->ct->tuple[CT_DIR_REPLY];

	if (!m->port || !irc_addr_ok(ctx, m)) {
		log_rl(LOG_INFO, "irc: ct %u: forged DCC (address not the client's, or port 0) ignored",
		       ctx->ct->id);
		return false;
	}
	/* From anyone (the peer is another IRC client) to the client, as the server sees it. */
	ct_expect_init(e, 0, reply->l3, NULL, &reply->dst, IPPROTO_TCP, NULL, &m->port);
	if (help_ct_natted(ctx->ct))
		help_expect_follow_master(ctx, e, &ctx->ct->tuple[CT_DIR_ORIGINAL].src, m->port);
	return true;
}

/* stream_proto callbacks: the DCC grammar over the client's stream; each offer found is
 * checked, its expectation built and announced (nf_nat_irc) by the stream layer. */
static bool irc_stream_parse(struct help_ctx *ctx, void *parser, struct stream_pkt *sp,
			     struct help_result *res)
{
	uint32_t off = 0;
	size_t used;
	struct irc_match m;
	struct ct_expect exp;

	while (off < sp->len) {
		if (irc_parser_execute(parser, sp->data + off, sp->len - off, &used, &m) == IRC_MATCH &&
		    irc_expect(ctx, &m, &exp) &&
		    !stream_expect_match(ctx, sp, &exp, m.off, (uint32_t)m.len, irc_fmt, &m, res))
			return false;
		off += (uint32_t)used;
		if (!used)
			break;
	}
	return true;
}

static void irc_stream_sync(void *parser, int dir, uint64_t off)
{
	irc_parser_init(parser, off);
}

static bool irc_stream_idle(const void *parser)
{
	const struct irc_parser *p = parser;

	return p->pos == p->line_start;
}

static uint64_t irc_stream_hold_from(const void *parser)
{
	const struct irc_parser *p = parser;

	/* Only "<address> <port>" is rewritten: "PRIVMSG bob :\1DCC SEND f " may leave. */
	return p->candidate && p->marked ? p->cur.off : STREAM_NO_HOLD;
}

static const struct stream_proto irc_stream = {
	.parser_size = sizeof(struct irc_parser),
	.hold_max = IRC_LINE_MAX,
	.grow_max = INET6_ADDRSTRLEN + 5,	/* the longest irc_fmt writes: address, port */
	.sync = irc_stream_sync,
	.boundary = stream_line_boundary,
	.idle = irc_stream_idle,
	.hold_from = irc_stream_hold_from,
	.parse = irc_stream_parse,
};

static void irc_help(struct help_ctx *ctx, struct help_result *res)
{
	struct irc_state *st = ctx->state;

	/* nf_conntrack_irc: only what the client sends to its server carries offers.  The
	 * server's SYN-ACK still says how long a segment to it may be. */
	if (ctx->dir != CT_DIR_ORIGINAL) {
		stream_bound_syn(ctx, &st->sd);
		return;
	}
	stream_help(ctx, &irc_stream, &st->sd, &st->parser, &st->k, res);
}

static void irc_destroy(struct pool *pool, void *state)
{
	struct irc_state *st = state;

	stream_release(pool, &st->sd);
}

static const struct cthelper_policy irc_policy[] = {
	/* nf_conntrack_irc.c: max_dcc_channels 8, dcc_timeout 300 s */
	{ .name = "irc", .max_expected = 8, .timeout = 5 * 60 },
};

/* The kernel module's parameter names, as aliases of class irc's policy. */
static const struct helper_opt irc_opts[] = {
	{ "max-dcc-channels", HELPER_OPT_CLASS_MAX, 1, 255, 0,
	  "pending DCC expectations per connection (nf_conntrack_irc's max_dcc_channels)" },
	{ "dcc-timeout", HELPER_OPT_CLASS_TIMEOUT, 1, 86400, 0,
	  "seconds a DCC expectation waits (nf_conntrack_irc's dcc_timeout)" },
};

static const struct helper_l4 irc_l4[] = { { IPPROTO_TCP, irc_help } };

const struct helper_proto irc_proto = {
	.name = "irc",
	.summary = "IRC: DCC SEND, CHAT, MOVE, TSEND, SCHAT offers, with NAT",
	.default_queue = 6667,
	.l4 = irc_l4,
	.nl4 = ARRAY_SIZE(irc_l4),
	.priv_data_len = HELPER_PRIV_DATA_LEN(struct stream_kstate),
	.policy = irc_policy,
	.npolicy = ARRAY_SIZE(irc_policy),
	.opts = irc_opts,
	.nopts = ARRAY_SIZE(irc_opts),
	.state_size = sizeof(struct irc_state),
	.destroy = irc_destroy,
	.stream = &irc_stream,
	.backend = &cthelper_backend,
};
