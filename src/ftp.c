// SPDX-License-Identifier: GPL-2.0-or-later
/* ftp: the FTP helper — PORT/EPRT/227/229 to expectations, and their NAT rewriting.
 * Mirrors net/netfilter/nf_conntrack_ftp.c and nf_nat_ftp.c; RFC 959, RFC 2428. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "ftp.h"
#include "ftp_parser.h"
#include "log.h"

/* The kernel's checks (nf_conntrack_ftp.c help()), and the expectation they allow. */
static bool ftp_expect(const struct help_ctx *ctx, const struct ftp_match *m, struct ct_expect *e)
{
	const struct ct_info *ct = ctx->ct;
	const struct ct_tuple *here = &ct->tuple[ctx->dir], *there = &ct->tuple[!ctx->dir];
	uint8_t fam = here->l3 == AF_INET ? 4 : 6;
	const union ct_addr *daddr = &there->dst;
	union ct_addr announced;

	memset(&announced, 0, sizeof(announced));
	if (m->family == 0)	/* EPSV: the address is the sender's own (RFC 2428 3) */
		announced = here->src;
	else if (m->family != fam)
		return false;	/* EPRT |2| on an IPv4 control connection (the kernel drops it) */
	else
		memcpy(announced.all, m->addr, fam == 4 ? 4 : 16);
	if (m->port == 0)
		return false;
	if (memcmp(announced.all, here->src.all, 16)) {
		/* A client naming another host is the FTP bounce attack: never, even when loose.
		 * A server naming another address is a partially NATed server; only when loose. */
		if (ctx->dir == CT_DIR_ORIGINAL || !ctx->cfg->opt[FTP_OPT_LOOSE]) {
			log_rl(LOG_INFO, "ftp: ct %u: announced address is not the sender's, ignored",
			       ct->id);
			return false;
		}
		daddr = &announced;
	}
	ct_expect_init(e, 0, here->l3, &there->src, daddr, IPPROTO_TCP, NULL, &m->port);
	if (help_ct_natted(ct))
		help_expect_follow_master(ctx, e, &announced, m->port);
	return true;
}

/* nf_nat_ftp_fmt_cmd: the text that replaces match->off/len, with the address the peer
 * must use (where this packet goes, seen from the other side) and the port NAT gave. */
static int ftp_fmt(const struct help_ctx *ctx, const void *match, uint16_t port, char *buf, size_t cap)
{
	const struct ftp_match *m = match;
	const union ct_addr *a = &ctx->ct->tuple[!ctx->dir].dst;
	const uint8_t *b = a->v6;

	switch (m->type) {
	case FTP_PORT:
	case FTP_PASV:
		return snprintf(buf, cap, "%u,%u,%u,%u,%u,%u", b[0], b[1], b[2], b[3],
				port >> 8, port & 0xff);
	case FTP_EPRT:
		if (ctx->ct->tuple[0].l3 == AF_INET)
			return snprintf(buf, cap, "|1|%u.%u.%u.%u|%u|", b[0], b[1], b[2], b[3], port);
		/* The kernel prints %pI6: eight groups of four hex digits, uncompressed. */
		return snprintf(buf, cap, "|2|%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
				"%02x%02x:%02x%02x|%u|", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
				b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15], port);
	default:
		return snprintf(buf, cap, "%u", port);	/* EPSV: the port digits only */
	}
}

/* stream_proto callbacks: the FTP grammar over the stream's new bytes; each command found is
 * checked, its expectation built and announced (nf_nat_ftp) by the stream layer. */
static bool ftp_stream_parse(struct help_ctx *ctx, void *parser, struct stream_pkt *sp,
			     struct help_result *res)
{
	uint32_t off = 0;
	size_t used;
	struct ftp_match m;
	struct ct_expect exp;

	while (off < sp->len) {
		if (ftp_parser_execute(parser, sp->data + off, sp->len - off, &used, &m) == FTP_MATCH &&
		    ftp_expect(ctx, &m, &exp) &&
		    !stream_expect_match(ctx, sp, &exp, m.off, (uint32_t)m.len, ftp_fmt, &m, res))
			return false;
		off += (uint32_t)used;
		if (!used)
			break;
	}
	return true;
}

static void ftp_stream_sync(void *parser, int dir, uint64_t off)
{
	ftp_parser_init(parser, dir == CT_DIR_ORIGINAL ? FTP_CLIENT : FTP_SERVER, off);
}

static bool ftp_stream_idle(const void *parser)
{
	const struct ftp_parser *p = parser;

	return p->pos == p->line_start;
}

static uint64_t ftp_stream_hold_from(const void *parser)
{
	const struct ftp_parser *p = parser;

	/* Only the text NAT replaces (the numbers) is held; "PORT " before it may leave. */
	return p->candidate && p->marked ? p->cur.off : STREAM_NO_HOLD;
}

static const struct stream_proto ftp_stream = {
	.parser_size = sizeof(struct ftp_parser),
	.hold_max = FTP_LINE_MAX,
	.grow_max = 49,		/* the longest text ftp_fmt writes: "|2|" IPv6 "|65535|" */
	.dir_pair = true,
	.sync = ftp_stream_sync,
	.boundary = stream_line_boundary,
	.idle = ftp_stream_idle,
	.hold_from = ftp_stream_hold_from,
	.parse = ftp_stream_parse,
};

static void ftp_help(struct help_ctx *ctx, struct help_result *res)
{
	struct ftp_state *st = ctx->state;

	stream_help(ctx, &ftp_stream, &st->sd[ctx->dir], &st->parser[ctx->dir], &st->k, res);
}

static void ftp_destroy(struct pool *pool, void *state)
{
	struct ftp_state *st = state;

	stream_release(pool, &st->sd[0]);
	stream_release(pool, &st->sd[1]);
}

static const struct cthelper_policy ftp_policy[] = {
	/* nf_conntrack_ftp.c: one expectation per master, five minutes */
	{ .name = "ftp", .max_expected = 1, .timeout = 5 * 60 },
};

static const struct helper_opt ftp_opts[] = {
	[FTP_OPT_LOOSE] = { "loose", HELPER_OPT_BOOL, 0, 1, 0,
			    "accept a server reply (227/229) naming another address than the server's" },
};

static const struct helper_l4 ftp_l4[] = { { IPPROTO_TCP, ftp_help } };

const struct helper_proto ftp_proto = {
	.name = "ftp",
	.summary = "FTP: PORT, EPRT, PASV (227) and EPSV (229), with NAT",
	.default_queue = 21,
	.l4 = ftp_l4,
	.nl4 = ARRAY_SIZE(ftp_l4),
	.priv_data_len = HELPER_PRIV_DATA_LEN(struct stream_kstate),
	.policy = ftp_policy,
	.npolicy = ARRAY_SIZE(ftp_policy),
	.opts = ftp_opts,
	.nopts = ARRAY_SIZE(ftp_opts),
	.state_size = sizeof(struct ftp_state),
	.destroy = ftp_destroy,
	.stream = &ftp_stream,
	.backend = &cthelper_backend,
};
