// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ct: ctnetlink tuples, conntrack info and DELETE events, expectations and EXP_NEW.
 * Decode inputs are laid out as nf_conntrack_netlink.c's ctnetlink_dump_tuples and
 * ctnetlink_conntrack_event write them; golden output as ctnetlink_parse_tuple wants it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include "ct.h"
#include "nlbytes.h"
#include "tap.h"

void test_ct(void);

static struct ct_tuple tuple6(int a, int b, uint8_t l4, uint16_t sport, uint16_t dport)
{
	struct ct_tuple t = { .l3 = AF_INET6, .l4 = l4, .sport = sport, .dport = dport };

	inet_pton(AF_INET6, "2001:db8::", t.src.v6);
	inet_pton(AF_INET6, "2001:db8::", t.dst.v6);
	t.src.v6[15] = (uint8_t)a;
	t.dst.v6[15] = (uint8_t)b;
	return t;
}

static struct ct_tuple tuple4(const char *src, const char *dst, uint8_t l4, uint16_t sport, uint16_t dport)
{
	struct ct_tuple t = { .l3 = AF_INET, .l4 = l4, .sport = sport, .dport = dport };

	inet_pton(AF_INET, src, &t.src.v4);
	inet_pton(AF_INET, dst, &t.dst.v4);
	return t;
}

/* Active FTP over IPv6: the server 2001:db8::2 will connect to the client's announced port. */
static const uint8_t exp_new_want[] = {
	NLMSG(272, 0x0200 /* CTNETLINK_EXP << 8 | EXP_NEW */,
	      0x0405 /* REQUEST | ACK | CREATE */, 0x42, 0),
	NFGEN(AF_INET6, 0),
	/* CTA_EXPECT_MASTER: the master's original tuple, client:40000 -> server:21 */
	TUPLE6(1, V6DB8(1), V6DB8(2), IPPROTO_TCP, 40000, 21),
	/* CTA_EXPECT_TUPLE: server:any -> client:50000 */
	TUPLE6(2, V6DB8(2), V6DB8(1), IPPROTO_TCP, 0, 50000),
	/* CTA_EXPECT_MASK: whole addresses, protocol and both ports present, source port 0 */
	TUPLE6(3, V6ONES, V6ONES, IPPROTO_TCP, 0, 0xffff),
	NLA(8, 9 /* CTA_EXPECT_CLASS */), B32(0),
	NLA(8, 8 /* CTA_EXPECT_FLAGS */), B32(0),
	NLA(8, 6 /* CTA_EXPECT_HELP_NAME */), 'f', 't', 'p', 0,
};

static void test_exp_new_golden(void)
{
	struct ct_tuple master = tuple6(1, 2, IPPROTO_TCP, 40000, 21);
	struct ct_tuple t = tuple6(2, 1, IPPROTO_TCP, 0, 50000);
	struct ct_expect e;
	NLBUF(buf, 512);
	struct nl_msg m;
	struct nlmsghdr *nlh;

	ct_expect_init(&e, 0, t.l3, &t.src, &t.dst, t.l4, NULL, &t.dport);
	e.helper = "ftp";
	nlh = ct_expect_new_build(&m, buf, 512, 0x42, 0, &master, &e);
	tap_ok(nlh != NULL, "EXP_NEW builds");
	if (nlh)
		tap_bytes(nlh, nlh->nlmsg_len, exp_new_want, sizeof(exp_new_want), "golden: IPCTNL_MSG_EXP_NEW IPv6");

	size_t bad = 0;

	for (size_t cap = 0; cap < sizeof(exp_new_want); cap++) {
		void *b = malloc(cap ? cap : 1);

		if (ct_expect_new_build(&m, b, cap, 0x42, 0, &master, &e))
			bad++;
		free(b);
	}
	TAP_EQ_U(bad, 0, "EXP_NEW: every short buffer refused, none overrun");
}

static void test_expect_init(void)
{
	struct ct_tuple t4 = tuple4("192.0.2.1", "198.51.100.2", IPPROTO_UDP, 1, 2);
	struct ct_tuple t6 = tuple6(1, 2, IPPROTO_TCP, 3, 4);
	struct ct_expect e;
	static const uint8_t ones4[16] = { 0xff, 0xff, 0xff, 0xff };
	uint8_t ones6[16];

	memset(ones6, 0xff, 16);
	ct_expect_init(&e, 0, t4.l3, &t4.src, &t4.dst, t4.l4, NULL, &t4.dport);
	t4.sport = 0;	/* a wildcard source port is zero in the tuple too */
	tap_ok(!memcmp(&e.tuple, &t4, sizeof(t4)) && e.mask.l3 == AF_INET && e.mask.l4 == IPPROTO_UDP &&
	       !memcmp(e.mask.src.all, ones4, 16) && !memcmp(e.mask.dst.all, ones4, 16) &&
	       e.mask.sport == 0 && e.mask.dport == 0xffff && !e.fn && !e.helper && !e.nat && !e.class,
	       "ct_expect_init IPv4: v4 all-ones, any source port, exact destination port");
	ct_expect_init(&e, 0, t6.l3, &t6.src, &t6.dst, t6.l4, NULL, &t6.dport);
	tap_ok(e.mask.l3 == AF_INET6 && !memcmp(e.mask.src.all, ones6, 16) && !memcmp(e.mask.dst.all, ones6, 16),
	       "ct_expect_init IPv6: 128-bit masks");
	ct_expect_init(&e, 2, t4.l3, NULL, &t4.dst, t4.l4, &t4.dport, &t4.dport);
	tap_ok(e.class == 2 && !memcmp(e.mask.src.all, (uint8_t[16]){ 0 }, 16) && !memcmp(e.tuple.src.all,
	       (uint8_t[16]){ 0 }, 16) && e.mask.sport == 0xffff && e.tuple.sport == t4.dport &&
	       e.tuple.dport == t4.dport, "ct_expect_init: any source address, exact source port, class");
}

/* A destroy event as ctnetlink_conntrack_event sends it to NFNLGRP_CONNTRACK_DESTROY: a SIP
 * UDP flow masqueraded to 203.0.113.9:1024, plus one attribute type we do not know. */
static const uint8_t delete_event[] __attribute__((aligned(4))) = {
	NLMSG(156, 0x0102 /* CTNETLINK << 8 | CT_DELETE */, 0, 0, 0),
	NFGEN(AF_INET, 0),
	TUPLE4(1 /* CTA_TUPLE_ORIG */, V4(192, 0, 2, 1), V4(198, 51, 100, 2), IPPROTO_UDP, 5060, 5060),
	TUPLE4(2 /* CTA_TUPLE_REPLY */, V4(198, 51, 100, 2), V4(203, 0, 113, 9), IPPROTO_UDP, 5060, 1024),
	NLA(8, 12 /* CTA_ID */), B32(0xcafe0001),
	NLA(8, 3 /* CTA_STATUS */), B32(0x1be),
	NLA(8, 8 /* CTA_MARK */), B32(0),
	NLA(8, 200 /* beyond CTA_MAX */), B32(0),
};

static void test_delete_event(void)
{
	struct ct_info ct;
	struct ct_tuple o = tuple4("192.0.2.1", "198.51.100.2", IPPROTO_UDP, 5060, 5060);
	struct ct_tuple r = tuple4("198.51.100.2", "203.0.113.9", IPPROTO_UDP, 5060, 1024);
	int ret = ct_event_decode((const void *)delete_event, &ct);

	TAP_EQ_I(ret, 0, "CT DELETE event decodes");
	tap_ok(ct.id == 0xcafe0001 && ct.status == 0x1be, "event: id and status in host order");
	tap_ok(!memcmp(&ct.tuple[CT_DIR_ORIGINAL], &o, sizeof(o)), "event: original tuple");
	tap_ok(!memcmp(&ct.tuple[CT_DIR_REPLY], &r, sizeof(r)), "event: reply tuple (NATed)");
	tap_ok(!ct.helper[0] && !ct.help_info && !ct.tcp_state, "event: no helper, no protoinfo");

	NLBUF(buf, sizeof(delete_event));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	memcpy(buf, delete_event, sizeof(delete_event));
	nlh->nlmsg_type = 0x0100; /* IPCTNL_MSG_CT_NEW */
	TAP_EQ_I(ct_event_decode(nlh, &ct), 0, "CT NEW event decodes too");
	nlh->nlmsg_type = 0x0202; /* an expectation DELETE */
	TAP_EQ_I(ct_event_decode(nlh, &ct), -ENOMSG, "expectation event: -ENOMSG");
	nlh->nlmsg_type = 0x0101; /* CT_GET */
	TAP_EQ_I(ct_event_decode(nlh, &ct), -ENOMSG, "CT_GET: -ENOMSG");
	nlh->nlmsg_type = 0x0102;
	nlh->nlmsg_len = 20 + 52 + 30; /* cuts the reply tuple */
	TAP_EQ_I(ct_event_decode(nlh, &ct), -EINVAL, "event cut inside the reply tuple");
	nlh->nlmsg_len = 18; /* not even the nfgenmsg */
	TAP_EQ_I(ct_event_decode(nlh, &ct), -EINVAL, "event shorter than nfgenmsg");
}

/* NFQA_CT's payload for an IPv6 TCP conntrack with helper "ftp" and 4 bytes of private data,
 * as __ctnetlink_glue_build lays it out (tuples, id, status, timeout, protoinfo, help). */
static const uint8_t ct6_nest[] __attribute__((aligned(4))) = {
	NEST(4 + 76 + 76 + 8 + 8 + 8 + 48 + 20, 11 /* NFQA_CT */),
	TUPLE6(1, V6DB8(1), V6DB8(2), IPPROTO_TCP, 40000, 21),
	TUPLE6(2, V6DB8(2), V6DB8(1), IPPROTO_TCP, 21, 40000),
	NLA(8, 12 /* CTA_ID */), B32(7),
	NLA(8, 3 /* CTA_STATUS */), B32(0x18a),
	NLA(8, 7 /* CTA_TIMEOUT */), B32(431999),
	PROTOINFO_TCP_ESTABLISHED,
	NEST(20, 5 /* CTA_HELP */),
		NLA(8, 1 /* CTA_HELP_NAME */), 'f', 't', 'p', 0,
		NLA(8, 2 /* CTA_HELP_INFO */), 1, 2, 3, 4,
};

static void test_info_decode6(void)
{
	struct ct_info ct;
	struct ct_tuple o = tuple6(1, 2, IPPROTO_TCP, 40000, 21);
	struct ct_tuple r = tuple6(2, 1, IPPROTO_TCP, 21, 40000);
	static const uint8_t info[4] = { 1, 2, 3, 4 };

	TAP_EQ_I(ct_info_decode((const void *)ct6_nest, &ct), 0, "IPv6 NFQA_CT decodes");
	tap_ok(!memcmp(&ct.tuple[0], &o, sizeof(o)) && !memcmp(&ct.tuple[1], &r, sizeof(r)),
	       "IPv6 tuples, ports in host order");
	tap_ok(ct.id == 7 && ct.status == 0x18a && ct.tcp_state == 3, "id, status, TCP state");
	tap_ok(!strcmp(ct.helper, "ftp") && ct.help_info_len == 4 && ct.help_info &&
	       !memcmp(ct.help_info, info, 4), "helper name and private data");
}

/* Hostile conntrack nests, built with the codec then spoiled one way each. */
enum spoil {
	OK, NO_REPLY, NO_ID, ADDR_3, NO_DST, NO_PROTONUM, PORT_3, STATUS_2, NAME_NONUL, NAME_16,
	STATE_2, UNKNOWN, V6_HALF, BARE, ZONE, ZONE_3,
	/* CTA_TUPLE_MASTER (an expected connection's), whole or spoiled as above */
	MASTER, MASTER_ADDR_3, MASTER_NO_PROTONUM, MASTER_V6_HALF, MASTER_EMPTY,
};

/* The spoil of the master tuple for each MASTER_* case. */
static enum spoil master_spoil(enum spoil s)
{
	return s == MASTER_ADDR_3 ? ADDR_3 : s == MASTER_NO_PROTONUM ? NO_PROTONUM :
	       s == MASTER_V6_HALF ? V6_HALF : OK;
}

static void put_tuple_spoiled(struct nl_msg *m, uint16_t type, enum spoil s)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 };
	struct nlattr *t = nl_attr_nest_start(m, type), *n = nl_attr_nest_start(m, CTA_TUPLE_IP);

	if (s == V6_HALF) {
		uint8_t a6[16] = { 0x20, 1 };

		nl_attr_put(m, CTA_IP_V6_SRC, 16, a6);
		nl_attr_put(m, CTA_IP_V6_DST, 8, a6);
	} else {
		nl_attr_put(m, CTA_IP_V4_SRC, s == ADDR_3 ? 3 : 4, a);
		if (s != NO_DST)
			nl_attr_put(m, CTA_IP_V4_DST, 4, a);
	}
	nl_attr_nest_end(m, n);
	n = nl_attr_nest_start(m, CTA_TUPLE_PROTO);
	if (s != NO_PROTONUM)
		nl_attr_put_u8(m, CTA_PROTO_NUM, IPPROTO_TCP);
	if (s == PORT_3)
		nl_attr_put(m, CTA_PROTO_SRC_PORT, 3, a);
	else if (s != BARE)
		nl_attr_put_be16(m, CTA_PROTO_SRC_PORT, 1);
	if (s != BARE)
		nl_attr_put_be16(m, CTA_PROTO_DST_PORT, 2);
	nl_attr_nest_end(m, n);
	nl_attr_nest_end(m, t);
}

static const struct nlattr *build_spoiled(struct nl_msg *m, void *buf, size_t cap, enum spoil s)
{
	struct nlattr *ct, *n, *n2;

	nl_msg_init(m, buf, cap, 0, 0, 0);
	ct = nl_attr_nest_start(m, 11);
	put_tuple_spoiled(m, CTA_TUPLE_ORIG, s);
	if (s != NO_REPLY)
		put_tuple_spoiled(m, CTA_TUPLE_REPLY, OK);
	if (s != NO_ID)
		nl_attr_put_be32(m, CTA_ID, 1);
	nl_attr_put(m, CTA_STATUS, s == STATUS_2 ? 2 : 4, "\0\0\0\x08");
	if (s == ZONE || s == ZONE_3)	/* ctnetlink_dump_zone_id: big endian, zone 0 not sent */
		nl_attr_put(m, CTA_ZONE, s == ZONE ? 2 : 3, "\x01\x02\x03");
	if (s == UNKNOWN) {
		nl_attr_put_be32(m, 999, 5);			/* above CTA_MAX */
		nl_attr_put(m, CTA_TIMESTAMP, 3, "xyz");	/* known to ctnetlink, not to us */
		nl_attr_put(m, CTA_SECCTX, 0, NULL);
	}
	n = nl_attr_nest_start(m, CTA_PROTOINFO);
	n2 = nl_attr_nest_start(m, CTA_PROTOINFO_TCP);
	nl_attr_put(m, CTA_PROTOINFO_TCP_STATE, s == STATE_2 ? 2 : 1, "\x03\x00");
	nl_attr_nest_end(m, n2);
	nl_attr_nest_end(m, n);
	n = nl_attr_nest_start(m, CTA_HELP);
	if (s == NAME_NONUL)
		nl_attr_put(m, CTA_HELP_NAME, 3, "ftp");
	else
		nl_attr_put_strz(m, CTA_HELP_NAME, s == NAME_16 ? "0123456789abcdef" : "ftp");
	nl_attr_nest_end(m, n);
	if (s == MASTER_EMPTY)
		nl_attr_nest_end(m, nl_attr_nest_start(m, CTA_TUPLE_MASTER));
	else if (s >= MASTER)
		put_tuple_spoiled(m, CTA_TUPLE_MASTER, master_spoil(s));
	nl_attr_nest_end(m, ct);
	return ct;
}

static void test_info_hostile(void)
{
	static const struct { enum spoil s; int ret; const char *desc; } cases[] = {
		{ OK, 0, "well formed" },
		{ UNKNOWN, 0, "unknown and unused attributes skipped" },
		{ BARE, 0, "tuple without ports (ICMP-like) accepted, ports 0" },
		{ NO_REPLY, -EINVAL, "missing reply tuple" },
		{ NO_ID, -EINVAL, "missing CTA_ID" },
		{ ADDR_3, -EINVAL, "3-byte IPv4 address" },
		{ NO_DST, -EINVAL, "missing destination address" },
		{ V6_HALF, -EINVAL, "8-byte IPv6 address" },
		{ NO_PROTONUM, -EINVAL, "missing CTA_PROTO_NUM" },
		{ PORT_3, -EINVAL, "3-byte port" },
		{ STATUS_2, -EINVAL, "2-byte CTA_STATUS" },
		{ STATE_2, -EINVAL, "2-byte TCP state" },
		{ ZONE, 0, "conntrack zone 0x102" },
		{ ZONE_3, -EINVAL, "3-byte CTA_ZONE" },
		{ NAME_NONUL, -EINVAL, "helper name without NUL" },
		{ NAME_16, -EINVAL, "helper name of 16 characters" },
		{ MASTER, 0, "CTA_TUPLE_MASTER (an expected connection)" },
		{ MASTER_ADDR_3, 0, "CTA_TUPLE_MASTER with a 3-byte address: the rest decodes" },
		{ MASTER_NO_PROTONUM, 0, "CTA_TUPLE_MASTER without CTA_PROTO_NUM: the rest decodes" },
		{ MASTER_V6_HALF, 0, "CTA_TUPLE_MASTER with an 8-byte IPv6 address: the rest decodes" },
		{ MASTER_EMPTY, 0, "an empty CTA_TUPLE_MASTER: the rest decodes" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		NLBUF(buf, 512);
		struct nl_msg m;
		struct ct_info ct;
		const struct nlattr *nest = build_spoiled(&m, buf, 512, cases[i].s);
		int ret = nl_msg_ok(&m) ? ct_info_decode(nest, &ct) : -ENOSPC;

		tap_ok(ret == cases[i].ret, "ct_info_decode: %s (got %d)", cases[i].desc, ret);
		if (cases[i].s == OK)
			tap_ok(ct.id == 1 && ct.status == 8 && ct.tcp_state == 3 && !strcmp(ct.helper, "ftp") &&
			       ct.tuple[0].sport == 1 && ct.tuple[0].dport == 2 && !ct.zone, "well formed: fields");
		if (cases[i].s == ZONE)
			TAP_EQ_U(ct.zone, 0x102, "CTA_ZONE in host order");
		if (cases[i].s == MASTER)
			tap_ok(ct.has_master && ct.master.l3 == AF_INET && ct.master.l4 == IPPROTO_TCP &&
			       ct.master.src.v4 == htonl(0x0a000001) && ct.master.sport == 1 &&
			       ct.master.dport == 2 && ct.id == 1, "CTA_TUPLE_MASTER: the master's tuple decoded");
		else if (cases[i].s > MASTER)
			tap_ok(!ct.has_master && !ct.master.l3 && !ct.master.sport && ct.id == 1 &&
			       !strcmp(ct.helper, "ftp"), "%s: no master, nothing of it kept", cases[i].desc);
		else if (ret == 0)
			tap_ok(!ct.has_master, "%s: no master", cases[i].desc);
	}
	struct ct_info ct;

	TAP_EQ_I(ct_info_decode(NULL, &ct), -EINVAL, "ct_info_decode(NULL)");
}

static void test_tuple_roundtrip(void)
{
	struct ct_tuple in[] = {
		tuple4("192.0.2.1", "198.51.100.255", IPPROTO_TCP, 1, 65535),
		tuple6(0xfe, 0x01, IPPROTO_UDP, 5060, 0),
	};

	for (size_t i = 0; i < 2; i++) {
		NLBUF(buf, 256);
		struct nl_msg m;
		struct ct_tuple out;
		const struct nlattr *tb[2];

		nl_msg_init(&m, buf, 256, 0, 0, 0);
		ct_tuple_put(&m, 1, &in[i]);
		tap_ok(nl_msg_ok(&m) && nl_attr_parse(m.nlh, 0, tb, 1) == 0 &&
		       ct_tuple_decode(tb[1], &out) == 0 && !memcmp(&in[i], &out, sizeof(out)),
		       "tuple round trip %s", i ? "IPv6" : "IPv4");
	}
	struct ct_tuple bad = in[0];
	NLBUF(buf, 256);
	struct nl_msg m;

	bad.l3 = 0;
	nl_msg_init(&m, buf, 256, 0, 0, 0);
	ct_tuple_put(&m, 1, &bad);
	tap_ok(!nl_msg_ok(&m), "tuple of unknown family fails the message");
}

/* EXP_NEW back through the decoders, with every optional attribute on. */
static void test_exp_new_roundtrip(void)
{
	struct ct_tuple master = tuple4("10.0.0.2", "192.0.2.7", IPPROTO_TCP, 33000, 21);
	struct ct_tuple t = tuple4("192.0.2.7", "10.0.0.2", IPPROTO_TCP, 0, 41000);
	struct ct_tuple mt, tt, mk, nt;
	const struct nlattr *tb[CTA_EXPECT_MAX + 1], *nat[CTA_EXPECT_NAT_MAX + 1];
	struct ct_expect e;
	NLBUF(buf, 1024);
	struct nl_msg m;
	uint32_t v, dir;

	ct_expect_init(&e, 0, t.l3, &t.src, &t.dst, t.l4, NULL, &t.dport);
	e.mask.l3 = 0; /* the master's family is used for the mask whatever it says */
	e.class = 2;
	e.flags = 1;
	e.fn = "nat-follow-master";
	e.helper = "ftp";
	e.nat = true;
	e.nat_dir = CT_DIR_REPLY;
	e.nat_tuple = tuple4("198.51.100.1", "0.0.0.0", IPPROTO_TCP, 20, 0);
	tap_ok(ct_expect_new_build(&m, buf, 1024, 1, 0, &master, &e) != NULL, "EXP_NEW with all options builds");
	tap_ok(nl_attr_parse(m.nlh, 4, tb, CTA_EXPECT_MAX) == 0 &&
	       !ct_tuple_decode(tb[CTA_EXPECT_MASTER], &mt) && !ct_tuple_decode(tb[CTA_EXPECT_TUPLE], &tt) &&
	       !ct_tuple_decode(tb[CTA_EXPECT_MASK], &mk) &&
	       !memcmp(&mt, &master, sizeof(mt)) && !memcmp(&tt, &t, sizeof(tt)),
	       "round trip: master and tuple");
	tap_ok(mk.l3 == AF_INET && mk.l4 == IPPROTO_TCP && mk.src.v4 == 0xffffffff && mk.sport == 0 &&
	       mk.dport == 0xffff, "round trip: mask");
	tap_ok(nl_attr_get_be32(tb[CTA_EXPECT_CLASS], &v) && v == 2 &&
	       nl_attr_get_be32(tb[CTA_EXPECT_FLAGS], &v) && v == 1 &&
	       !strcmp(nl_attr_get_str(tb[CTA_EXPECT_FN]), "nat-follow-master") &&
	       !strcmp(nl_attr_get_str(tb[CTA_EXPECT_HELP_NAME]), "ftp"), "round trip: class, flags, fn, helper");
	tap_ok(nl_attr_parse_nested(tb[CTA_EXPECT_NAT], nat, CTA_EXPECT_NAT_MAX) == 0 &&
	       nl_attr_get_be32(nat[CTA_EXPECT_NAT_DIR], &dir) && dir == CT_DIR_REPLY &&
	       !ct_tuple_decode(nat[CTA_EXPECT_NAT_TUPLE], &nt) && !memcmp(&nt, &e.nat_tuple, sizeof(nt)),
	       "round trip: NAT dir and tuple");
}

void test_ct(void)
{
	test_exp_new_golden();
	test_expect_init();
	test_delete_event();
	test_info_decode6();
	test_info_hostile();
	test_tuple_roundtrip();
	test_exp_new_roundtrip();
}
