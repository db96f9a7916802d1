// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for expectation handling beyond the verdict: the dump and delete messages, reading
 * a dump entry back, the RTP/RTCP pair search and flush by class (help.c) on a stand-in for
 * ctnetlink (fakect), and the master's conntrack zone in every request. */
#include <errno.h>
#include <stdlib.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "expect.h"
#include "fakect.h"
#include "helper.h"
#include "nlbytes.h"
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
	nlh = expect_dump_build(&m, buf, sizeof(buf), 7, 0, &c.ct.tuple[0]);
	tap_ok(nlh && NFNL_SUBSYS_ID(nlh->nlmsg_type) == NFNL_SUBSYS_CTNETLINK_EXP &&
	       NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_EXP_GET && (nlh->nlmsg_flags & NLM_F_DUMP) &&
	       nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, CTA_EXPECT_MAX) == 0 &&
	       tb[CTA_EXPECT_MASTER] && !tb[CTA_EXPECT_TUPLE],
	       "expect: dump of one master's expectations names only the master");
	ct_expect_init(&e, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &port);
	nlh = ct_expect_new_build(&m, buf, sizeof(buf), 8, 0, &c.ct.tuple[0], &e);
	tap_ok(nlh && expect_entry_decode(nlh, &x) == 0 && x.class == 1 && x.tuple.dport == 5004 &&
	       ct_tuple_equal(&x.master, &c.ct.tuple[0]),
	       "expect: an entry reads back master, tuple and class");
	nlh->nlmsg_len -= 4;
	tap_ok(expect_entry_decode(nlh, &x) < 0, "expect: a truncated entry is refused");
	nlh = expect_del_build(&m, buf, sizeof(buf), 9, 0, &e.tuple);
	tap_ok(nlh && NFNL_MSG_TYPE(nlh->nlmsg_type) == IPCTNL_MSG_EXP_DELETE &&
	       (nlh->nlmsg_flags & NLM_F_ACK) && nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb,
	       CTA_EXPECT_MAX) == 0 && tb[CTA_EXPECT_TUPLE], "expect: delete names the tuple");
}

/* Golden requests about a SIP master 10.0.1.2:5060 -> 10.0.2.2:5060 in zone 0 and zone 5,
 * and its media expectation 10.0.2.2:any -> 10.0.1.2:5004.  ctnetlink_parse_zone reads
 * CTA_EXPECT_ZONE (7) as be16; zone 0 is not sent, so those bytes are the old ones. */
#define Z_MASTER TUPLE4(1 /* CTA_EXPECT_MASTER */, V4(10, 0, 1, 2), V4(10, 0, 2, 2), IPPROTO_UDP, 5060, 5060)
#define Z_TUPLE TUPLE4(2 /* CTA_EXPECT_TUPLE */, V4(10, 0, 2, 2), V4(10, 0, 1, 2), IPPROTO_UDP, 0, 5004)
#define Z_MASK TUPLE4(3 /* CTA_EXPECT_MASK */, V4(255, 255, 255, 255), V4(255, 255, 255, 255), \
		      IPPROTO_UDP, 0, 0xffff)
#define Z_ZONE5 NLA(6, 7 /* CTA_EXPECT_ZONE */), B16(5), PAD2
#define Z_CLASS_FLAGS NLA(8, 9 /* CTA_EXPECT_CLASS */), B32(1), NLA(8, 8 /* CTA_EXPECT_FLAGS */), B32(0)

static const uint8_t get0[] = { NLMSG(72, 0x0201 /* EXP_GET */, 0x0005 /* REQUEST | ACK */, 3, 0),
				NFGEN(AF_INET, 0), Z_TUPLE };
static const uint8_t get5[] = { NLMSG(80, 0x0201, 0x0005, 3, 0), NFGEN(AF_INET, 0), Z_TUPLE, Z_ZONE5 };
static const uint8_t del0[] = { NLMSG(72, 0x0202 /* EXP_DELETE */, 0x0005, 3, 0), NFGEN(AF_INET, 0), Z_TUPLE };
static const uint8_t del5[] = { NLMSG(80, 0x0202, 0x0005, 3, 0), NFGEN(AF_INET, 0), Z_TUPLE, Z_ZONE5 };
static const uint8_t dump0[] = { NLMSG(72, 0x0201, 0x0301 /* REQUEST | DUMP */, 3, 0),
				 NFGEN(AF_INET, 0), Z_MASTER };
static const uint8_t dump5[] = { NLMSG(80, 0x0201, 0x0301, 3, 0), NFGEN(AF_INET, 0), Z_MASTER, Z_ZONE5 };
static const uint8_t new0[] = { NLMSG(192, 0x0200 /* EXP_NEW */, 0x0405 /* REQUEST | ACK | CREATE */, 3, 0),
				NFGEN(AF_INET, 0), Z_MASTER, Z_TUPLE, Z_MASK, Z_CLASS_FLAGS };
static const uint8_t new5[] = { NLMSG(200, 0x0200, 0x0405, 3, 0), NFGEN(AF_INET, 0), Z_MASTER, Z_ZONE5,
				Z_TUPLE, Z_MASK, Z_CLASS_FLAGS };

enum zmsg { Z_GET, Z_DEL, Z_DUMP, Z_NEW };

static struct nlmsghdr *zone_build(enum zmsg kind, struct nl_msg *m, void *b, size_t cap, uint16_t zone,
				   const struct ct_tuple *master, const struct ct_expect *e)
{
	switch (kind) {
	case Z_GET:
		return expect_get_build(m, b, cap, 3, zone, &e->tuple);
	case Z_DEL:
		return expect_del_build(m, b, cap, 3, zone, &e->tuple);
	case Z_DUMP:
		return expect_dump_build(m, b, cap, 3, zone, master);
	default:
		return ct_expect_new_build(m, b, cap, 3, zone, master, e);
	}
}

/* Each request that names a master or an expectation, golden and read back: the zone, and
 * the tuple the kernel looks up in it. */
static void test_zone_messages(void)
{
	static const struct {
		enum zmsg kind;
		uint16_t zone;
		const uint8_t *want;
		size_t len;
		const char *desc;
	} cases[] = {
		{ Z_GET, 0, get0, sizeof(get0), "EXP_GET of a tuple, zone 0: no CTA_EXPECT_ZONE" },
		{ Z_GET, 5, get5, sizeof(get5), "EXP_GET of a tuple, zone 5 (ctnetlink_get_expect)" },
		{ Z_DEL, 0, del0, sizeof(del0), "EXP_DELETE, zone 0: no CTA_EXPECT_ZONE" },
		{ Z_DEL, 5, del5, sizeof(del5), "EXP_DELETE, zone 5 (ctnetlink_del_expect)" },
		{ Z_DUMP, 0, dump0, sizeof(dump0), "EXP_GET dump of a master, zone 0: no CTA_EXPECT_ZONE" },
		{ Z_DUMP, 5, dump5, sizeof(dump5), "EXP_GET dump of a master, zone 5 (ctnetlink_dump_exp_ct)" },
		{ Z_NEW, 0, new0, sizeof(new0), "EXP_NEW, zone 0: no CTA_EXPECT_ZONE" },
		{ Z_NEW, 5, new5, sizeof(new5), "EXP_NEW, zone 5 (ctnetlink_new_expect, _create_expect)" },
	};
	struct qmsg_conn c;
	struct ct_expect e;
	uint16_t port = 5004;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, NULL, 304);
	c.ct.tuple[0].l4 = c.ct.tuple[1].l4 = IPPROTO_UDP;
	ct_expect_init(&e, 1, AF_INET, &c.ct.tuple[1].src, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &port);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct nlattr *tb[CTA_EXPECT_MAX + 1];
		const struct ct_tuple *named = cases[i].kind == Z_GET || cases[i].kind == Z_DEL ?
					       &e.tuple : &c.ct.tuple[0];
		uint16_t attr = named == &e.tuple ? CTA_EXPECT_TUPLE : CTA_EXPECT_MASTER, zone = 0;
		struct ct_tuple back;
		struct nl_msg m;
		struct nlmsghdr *nlh = zone_build(cases[i].kind, &m, buf, sizeof(buf), cases[i].zone,
						  &c.ct.tuple[0], &e);
		size_t bad = 0;

		if (!tap_ok(nlh != NULL, "zone: %s: builds", cases[i].desc))
			continue;
		tap_bytes(nlh, nlh->nlmsg_len, cases[i].want, cases[i].len, cases[i].desc);
		tap_ok(nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, CTA_EXPECT_MAX) == 0 &&
		       !tb[CTA_EXPECT_ZONE] == !cases[i].zone &&
		       (!tb[CTA_EXPECT_ZONE] || nl_attr_get_be16(tb[CTA_EXPECT_ZONE], &zone)) &&
		       zone == cases[i].zone && ct_tuple_decode(tb[attr], &back) == 0 &&
		       ct_tuple_equal(&back, named), "zone: %s: reads back zone %u and the tuple",
		       cases[i].desc, cases[i].zone);
		for (size_t cap = 0; cap < cases[i].len; cap++) {
			void *b = malloc(cap ? cap : 1);

			bad += zone_build(cases[i].kind, &m, b, cap, cases[i].zone, &c.ct.tuple[0], &e) != NULL;
			free(b);
		}
		TAP_EQ_U(bad, 0, "zone: every short buffer refused, none overrun");
	}
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

/* A master in zone 5: the port search, its rollback and a flush name zone 5, so fakect (as
 * ctnetlink) finds the master and its expectations; a request in another zone finds nothing. */
static void test_zone_ops(void)
{
	struct fakect f = { .taken = { 5004 }, .zone = 5 };
	struct qmsg_conn c;
	struct help_ctx ctx;
	struct help_result res = { 0 };
	struct ct_expect rtp, rtcp, e;
	uint16_t p1 = 5004, p2 = 5005, p3 = 6000;
	int port;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "10.0.2.1", 305);
	c.ct.zone = 5;
	ctx_init(&ctx, &c, &f);
	ct_expect_init(&rtp, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p1);
	ct_expect_init(&rtcp, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p2);
	port = help_expect_nat_pair(&ctx, &rtp, &rtcp, &res);
	tap_ok(port > 5004 && f.nlive == 2 && res.created == 2 && !f.wrong_zone,
	       "expect zone 5: the pair search creates in the master's zone (port %d)", port);
	help_expect_rollback(&ctx, &res);
	tap_ok(f.nlive == 0 && f.dels == 2 && !f.wrong_zone, "expect zone 5: the rollback deletes in it");
	ct_expect_init(&e, 2, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p3);
	tap_ok(help_expect_nat(&ctx, &e, &res) == 6000 && help_expect_flush(&ctx, 2) == 0 && f.nlive == 0 &&
	       !f.wrong_zone, "expect zone 5: a flush of the class finds the master and removes it");
	c.ct.zone = 0;	/* the request names zone 0: the kernel finds no such master */
	f.calls = 0;
	e.tuple.dport = 6000;
	tap_ok(help_expect_nat(&ctx, &e, &res) == -1 && f.calls == 1 && f.wrong_zone == 1 && !f.nlive &&
	       e.tuple.dport == 6000, "expect zone: a master asked for in another zone: -ENOENT, the "
	       "expectation left to the verdict");
	TAP_EQ_I(help_expect_flush(&ctx, 2), -ENOENT, "expect zone: a flush in another zone: -ENOENT");
}

/* The first packet of a connection (a UDP SIP INVITE): its master is not confirmed, ctnetlink
 * cannot find it, so no port search is tried (it could only fail): the expectations go with
 * the verdict, and dispatch marks the result so the daemon sends them right after it. */
static void test_unconfirmed(void)
{
	struct fakect f = { 0 };
	struct qmsg_conn c;
	struct help_ctx ctx;
	struct help_result res = { 0 };
	struct ct_expect rtp, rtcp;
	uint16_t p1 = 5004, p2 = 5005;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "10.0.2.1", 306);
	c.ct.status &= ~(uint32_t)IPS_CONFIRMED;
	ctx_init(&ctx, &c, &f);
	ct_expect_init(&rtp, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p1);
	ct_expect_init(&rtcp, 1, AF_INET, NULL, &c.ct.tuple[1].dst, IPPROTO_UDP, NULL, &p2);
	tap_ok(help_expect_nat_pair(&ctx, &rtp, &rtcp, &res) == -1 && f.calls == 0 && res.created == 0 &&
	       rtp.tuple.dport == 5004 && rtcp.tuple.dport == 5005, "expect unconfirmed master: no "
	       "ctnetlink call, the pair unchanged for the verdict");
	tap_ok(help_expect_nat(&ctx, &rtp, &res) == -1 && f.calls == 0, "expect unconfirmed master: "
	       "the same for one expectation");
	c.ct.status |= IPS_CONFIRMED;
	tap_ok(help_expect_nat_pair(&ctx, &rtp, &rtcp, &res) == 5004 && f.nlive == 2,
	       "expect confirmed master: the pair is searched and created");
}

void test_expect(void)
{
	test_unconfirmed();
	test_messages();
	test_zone_messages();
	test_pair();
	test_flush();
	test_zone_ops();
}
