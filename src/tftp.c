// SPDX-License-Identifier: GPL-2.0-or-later
/* tftp: the TFTP helper — an RRQ or WRQ opens the way for the server's reply, NATed as
 * its master.  Mirrors net/netfilter/nf_conntrack_tftp.c and nf_nat_tftp.c; RFC 1350 4
 * (the server answers from a new port to the client's), RFC 2347-2349, RFC 7440. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include "helper.h"
#include "log.h"
#include "tftp_parser.h"

/* RFC 2348: blksize 8-65464; RFC 2349: timeout 1-255 s; RFC 7440: windowsize 1-65535.
 * tsize (RFC 2349) is any size: 0 in an RRQ, the file's in a WRQ. */
static enum tftp_bad tftp_check(const struct tftp_request *r)
{
	if ((r->present & TFTP_OPT_BLKSIZE) && (r->blksize < 8 || r->blksize > 65464))
		return TFTP_BAD_RANGE;
	if ((r->present & TFTP_OPT_TIMEOUT) && (r->timeout < 1 || r->timeout > 255))
		return TFTP_BAD_RANGE;
	if ((r->present & TFTP_OPT_WINDOWSIZE) && (r->windowsize < 1 || r->windowsize > 65535))
		return TFTP_BAD_RANGE;
	return TFTP_BAD_NONE;
}

static void tftp_refuse(const struct help_ctx *ctx, struct help_result *res, const char *what)
{
	static struct log_rl_state rl;

	help_refuse(ctx, res, &rl, "tftp", what, ", no expectation");
}

/* As nf_conntrack_tftp: the server answers from any port of its own address to the port
 * the client sent from (both as the reply tuple names them: after NAT).  Under NAT the new
 * connection follows the master (nf_nat_tftp): on to the client's real address and port. */
static void tftp_expect(const struct help_ctx *ctx, struct help_result *res)
{
	const struct ct_tuple *orig = &ctx->ct->tuple[CT_DIR_ORIGINAL];
	const struct ct_tuple *reply = &ctx->ct->tuple[CT_DIR_REPLY];
	struct ct_expect *e = help_expect_add(res);

	if (!e)
		return;
	ct_expect_init(e, 0, reply->l3, &reply->src, &reply->dst, IPPROTO_UDP, NULL, &reply->dport);
	if (help_ct_natted(ctx->ct))
		help_expect_follow_master(ctx, e, &orig->src, orig->sport);
}

static void tftp_help(struct help_ctx *ctx, struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	struct tftp_request r;
	enum tftp_bad bad;
	char why[64];

	if (tftp_parse(ctx->data + p->off, p->len, &r) == TFTP_OTHER)
		return;
	/* The kernel takes an RRQ/WRQ from either side (it always uses the reply tuple).  A
	 * request goes to the server's port (RFC 1350 4): the original direction of a conntrack
	 * that `udp dport 69` gave the helper.  One from the server's side is no request, and
	 * must not re-open the client's port after the transfer is over. */
	if (ctx->dir != CT_DIR_ORIGINAL) {
		if (r.result == TFTP_REQUEST)
			tftp_refuse(ctx, res, "request from the server's side");
		return;
	}
	bad = r.result == TFTP_REQUEST ? tftp_check(&r) : r.reason;
	if (bad) {
		/* Garbage or a probe: a server cannot act on it, so nothing needs to reach the
		 * client (its ERROR reply, if any, is dropped with the rest). */
		snprintf(why, sizeof(why), "malformed %s: %s",
			 r.opcode == TFTP_WRQ ? "WRQ" : r.opcode == TFTP_RRQ ? "RRQ" : "request",
			 tftp_bad_str(bad));
		tftp_refuse(ctx, res, why);
		return;
	}
	tftp_expect(ctx, res);
}

static const struct cthelper_policy tftp_policy[] = {
	/* nf_conntrack_tftp.c: one expectation per master, five minutes */
	{ .name = "tftp", .max_expected = 1, .timeout = 5 * 60 },
};

static const struct helper_l4 tftp_l4[] = { { IPPROTO_UDP, tftp_help } };

const struct helper_proto tftp_proto = {
	.name = "tftp",
	.summary = "TFTP: RRQ and WRQ (RFC 1350, options RFC 2347-2349, 7440), with NAT",
	.l4 = tftp_l4,
	.nl4 = ARRAY_SIZE(tftp_l4),
	.default_queue = 69,
	.priv_data_len = 0,	/* one datagram holds a whole request: nothing to keep */
	.policy = tftp_policy,
	.npolicy = ARRAY_SIZE(tftp_policy),
	.state_size = 0,
	.backend = &cthelper_backend,
};
