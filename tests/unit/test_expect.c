// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for expectation handling beyond the verdict: the dump and delete messages, reading
 * a dump entry back, the RTP/RTCP pair search and flush by class (help.c) on a stand-in for
 * ctnetlink (fakect). */
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "expect.h"
#include "fakect.h"
#include "helper.h"
#include "qmsg.h"
#include "tap.h"

static uint8_t buf[1024] __attribute__((aligned(4)));

static void test_messages(void)
{
	struct qmsg_conn c;
	struct ct_expect e;
	struct expect_entry x;
	struct nl_msg m;
	struct nlmsghdr *nlh;
	const struct nlattr *tb[CTA_EXPECT_MAX + 1];
	uint16_t port = 5004;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, NULL, 301);
	nlh = expect_dump_build(&m, buf, sizeof(buf), 7, &c.ct.tuple[0]);
	tap_ok(nlh && NFNL_SUBSYS_ID(nlh->nlmsg_type) == NFNL_SUBSYS_CTNETLINK_EXP &&
	       NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_EXP_GET && (nlh->nlmsg_flags & NLM_F_DUMP) &&
	       nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, CTA_EXPECT_MAX) == 0 &&
	       tb[CTA_EXPECT_MASTER] && !tb[CTA_EXPECT_TUPLE],
	       "expect: dump of one master's expectations names only the master");
	ct_expect_init(&e, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &port);
	nlh = ct_expect_new_build(&m, buf, sizeof(buf), 8, &c.ct.tuple[0], &e);
	tap_ok(nlh && expect_entry_decode(nlh, &x) == 0 && x.class == 1 && x.tuple.dport == 5004 &&
	       ct_tuple_equal(&x.master, &c.ct.tuple[0]),
	       "expect: an entry reads back master, tuple and class");
	nlh->nlmsg_len -= 4;
	tap_ok(expect_entry_decode(nlh, &x) < 0, "expect: a truncated entry is refused");
	nlh = expect_del_build(&m, buf, sizeof(buf), 9, &e.tuple);
	tap_ok(nlh && NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_EXP_DELETE &&
	       (nlh->nlmsg_flags & NLM_F_ACK) && nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb,
	       CTA_EXPECT_MAX) == 0 && tb[CTA_EXPECT_TUPLE], "expect: delete names the tuple");
}

static void ctx_init(struct help_ctx *ctx, struct qmsg_conn *c, struct fakect *f)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ct = &c->ct;
	ctx->ops = &fakect_ops;
	ctx->ops_arg = f;
}

static void test_pair(void)
{
	struct fakect f = { .taken = { 5005 } };
	struct qmsg_conn c;
	struct help_ctx ctx;
	struct help_result res = { 0 };
	struct ct_expect rtp, rtcp;
	uint16_t p1 = 5004, p2 = 5005;
	int port;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "10.0.2.1", 302);
	ctx_init(&ctx, &c, &f);
	ct_expect_init(&rtp, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p1);
	ct_expect_init(&rtcp, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p2);
	port = help_expect_nat_pair(&ctx, &rtp, &rtcp, &res);
	tap_ok(port > 5004 && port % 2 == 0 && rtcp.tuple.dport == port + 1 && f.nlive == 2 &&
	       res.created == 2 && !fakect_has_port(&f, 5004),
	       "expect pair: RTCP's port taken: both move to the next free even/odd pair (%d), the "
	       "first try undone", port);
	help_expect_rollback(&ctx, &res);
	tap_ok(f.nlive == 0 && res.created == 0, "expect pair: a rollback removes both");
	f.taken_from = 5000;
	rtp.tuple.dport = 5004;
	rtcp.tuple.dport = 5005;
	memset(&res, 0, sizeof(res));
	port = help_expect_nat_pair(&ctx, &rtp, &rtcp, &res);
	tap_ok(port == 0 && f.nlive == 0 && rtp.tuple.dport == 5004 && rtcp.tuple.dport == 5005,
	       "expect pair: no free pair: none kept, ports as announced");
	f.taken_from = 0;
	rtp.tuple.dport = 65534;
	rtcp.tuple.dport = 65535;
	f.taken[0] = 65535;
	f.calls = 0;
	port = help_expect_nat_pair(&ctx, &rtp, &rtcp, &res);
	tap_ok(port == 0 && f.calls == 2, "expect pair: at the top of the range one pair is all there "
	       "is (%u creates)", f.calls);
	ctx.ops = NULL;
	tap_ok(help_expect_nat_pair(&ctx, &rtp, &rtcp, &res) == -1, "expect pair: without ctnetlink: -1");
}

static void test_flush(void)
{
	struct fakect f = { 0 };
	struct qmsg_conn c;
	struct help_ctx ctx;
	struct help_result res = { 0 };
	struct ct_expect e;
	uint16_t port = 6000;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "10.0.2.1", 303);
	ctx_init(&ctx, &c, &f);
	for (uint32_t class = 0; class < 3; class++) {
		ct_expect_init(&e, class, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &port);
		help_expect_nat(&ctx, &e, &res);
		port += 2;
	}
	tap_ok(f.nlive == 3 && help_expect_flush(&ctx, 1) == 0 && f.nlive == 2 && !fakect_has_port(&f, 6002),
	       "expect flush: only the class named goes");
}

void test_expect(void)
{
	test_messages();
	test_pair();
	test_flush();
}
