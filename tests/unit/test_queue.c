// SPDX-License-Identifier: GPL-2.0-or-later
/* test_queue: nfnetlink_queue configuration and verdict bytes, packet decode as
 * nfqnl_build_packet_message lays packets out (IPv4 and IPv6), hostile and truncated input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include "queue.h"
#include "nlbytes.h"
#include "tap.h"

void test_queue(void);

/* NFQNL_MSG_CONFIG for queue 7: REQUEST | ACK, family AF_UNSPEC, res_id = queue. */
static const uint8_t bind_want[] = {
	NLMSG(28, 0x0302 /* QUEUE << 8 | CONFIG */, 0x0005, 0x10, 0),
	NFGEN(AF_UNSPEC, 7),
	NLA(8, 1 /* NFQA_CFG_CMD */), 1 /* BIND */, 0 /* _pad */, B16(AF_UNSPEC),
};
static const uint8_t unbind_want[] = {
	NLMSG(28, 0x0302, 0x0005, 0x11, 0),
	NFGEN(AF_UNSPEC, 7),
	NLA(8, 1 /* NFQA_CFG_CMD */), 2 /* UNBIND */, 0, B16(AF_UNSPEC),
};
#define PARAMS_ATTRS \
	NLA(9, 2 /* NFQA_CFG_PARAMS */), B32(0xffff) /* copy_range */, 2 /* COPY_PACKET */, PAD3, \
	NLA(8, 3 /* NFQA_CFG_QUEUE_MAXLEN */), B32(1024), \
	NLA(8, 4 /* NFQA_CFG_MASK */), B32(3 /* FAIL_OPEN | CONNTRACK */), \
	NLA(8, 5 /* NFQA_CFG_FLAGS */), B32(3)
static const uint8_t params_want[] = {
	NLMSG(56, 0x0302, 0x0005, 0x12, 0),
	NFGEN(AF_UNSPEC, 7),
	PARAMS_ATTRS,
};
static const uint8_t bind_params_want[] = {
	NLMSG(64, 0x0302, 0x0005, 0x13, 0),
	NFGEN(AF_UNSPEC, 7),
	NLA(8, 1 /* NFQA_CFG_CMD */), 1 /* BIND */, 0, B16(AF_UNSPEC),
	PARAMS_ATTRS,
};
/* maxlen 0 leaves NFQA_CFG_QUEUE_MAXLEN out (0 would mean "always full") */
static const uint8_t params_nomax_want[] = {
	NLMSG(48, 0x0302, 0x0005, 0x14, 0),
	NFGEN(AF_UNSPEC, 0x0102),
	NLA(9, 2), B32(128), 2, PAD3,
	NLA(8, 4), B32(2 /* CONNTRACK */),
	NLA(8, 5), B32(2),
};

static void test_cfg_golden(void)
{
	NLBUF(buf, 128);
	struct nl_msg m;
	struct nlmsghdr *nlh;

#define GOLDEN(call, want, desc) \
	if ((nlh = (call))) \
		tap_bytes(nlh, nlh->nlmsg_len, want, sizeof(want), desc); \
	else \
		tap_ok(false, "%s: builder returned NULL", desc)
	GOLDEN(queue_cfg_cmd_build(&m, buf, 128, 0x10, 7, NFQNL_CFG_CMD_BIND), bind_want, "golden: BIND");
	GOLDEN(queue_cfg_cmd_build(&m, buf, 128, 0x11, 7, NFQNL_CFG_CMD_UNBIND), unbind_want, "golden: UNBIND");
	GOLDEN(queue_cfg_params_build(&m, buf, 128, 0x12, 7, 0xffff, 1024, 3), params_want, "golden: params");
	GOLDEN(queue_cfg_bind_build(&m, buf, 128, 0x13, 7, 0xffff, 1024, 3), bind_params_want,
	       "golden: BIND + params in one");
	GOLDEN(queue_cfg_params_build(&m, buf, 128, 0x14, 0x0102, 128, 0, NFQA_CFG_F_CONNTRACK),
	       params_nomax_want, "golden: params without maxlen, queue 258");
}

static const uint8_t verdict_plain_want[] = {
	NLMSG(32, 0x0301 /* QUEUE << 8 | VERDICT */, 0x0001 /* REQUEST, no ACK */, 8, 0),
	NFGEN(AF_UNSPEC, 7),
	NLA(12, 2 /* NFQA_VERDICT_HDR */), B32(NF_ACCEPT), B32(0x01020304),
};

/* Accept packet 42 rewritten to "hello", keep the helper "ftp" (new private data aa bb cc),
 * and expect 198.51.100.2:any -> 192.0.2.1:2121 in class 1, permanent, following the master's
 * NAT to 10.0.0.1:20 for the reply direction. */
static const uint8_t verdict_full_want[] = {
	NLMSG(280, 0x0301, 0x0001, 9, 0),
	NFGEN(AF_UNSPEC, 7),
	NLA(12, 2 /* NFQA_VERDICT_HDR */), B32(NF_ACCEPT), B32(42),
	NEST(24, 11 /* NFQA_CT */),
		NEST(20, 5 /* CTA_HELP */),
			NLA(8, 1 /* CTA_HELP_NAME */), 'f', 't', 'p', 0,
			NLA(7, 2 /* CTA_HELP_INFO */), 0xaa, 0xbb, 0xcc, PAD1,
	NEST(212, 15 /* NFQA_EXP */),
		TUPLE4(2 /* CTA_EXPECT_TUPLE */, V4(198, 51, 100, 2), V4(192, 0, 2, 1), IPPROTO_TCP, 0, 2121),
		TUPLE4(3 /* CTA_EXPECT_MASK */, V4(255, 255, 255, 255), V4(255, 255, 255, 255), IPPROTO_TCP,
		       0, 0xffff),
		NLA(8, 9 /* CTA_EXPECT_CLASS */), B32(1),
		NLA(8, 8 /* CTA_EXPECT_FLAGS */), B32(1 /* NF_CT_EXPECT_PERMANENT */),
		NLA(22, 11 /* CTA_EXPECT_FN */), 'n', 'a', 't', '-', 'f', 'o', 'l', 'l', 'o', 'w', '-',
			'm', 'a', 's', 't', 'e', 'r', 0, PAD2,
		NEST(64, 10 /* CTA_EXPECT_NAT */),
			NLA(8, 1 /* CTA_EXPECT_NAT_DIR */), B32(1 /* reply */),
			TUPLE4(2 /* CTA_EXPECT_NAT_TUPLE */, V4(10, 0, 0, 1), V4(0, 0, 0, 0), IPPROTO_TCP, 20, 0),
	NLA(9, 10 /* NFQA_PAYLOAD */), 'h', 'e', 'l', 'l', 'o', PAD3,
};

static struct ct_tuple tuple4(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	struct ct_tuple t = { .l3 = AF_INET, .l4 = IPPROTO_TCP, .sport = sport, .dport = dport };

	inet_pton(AF_INET, src, &t.src.v4);
	inet_pton(AF_INET, dst, &t.dst.v4);
	return t;
}

static void full_verdict(struct queue_verdict *v, struct ct_expect *e)
{
	static const uint8_t info[3] = { 0xaa, 0xbb, 0xcc };
	struct ct_tuple t = tuple4("198.51.100.2", "192.0.2.1", 0, 2121);

	ct_expect_init(e, 0, t.l3, &t.src, &t.dst, t.l4, NULL, &t.dport);
	e->class = 1;
	e->flags = 1;
	e->fn = "nat-follow-master";
	e->nat = true;
	e->nat_dir = CT_DIR_REPLY;
	e->nat_tuple = tuple4("10.0.0.1", "0.0.0.0", 20, 0);
	*v = (struct queue_verdict){ .queue = 7, .id = 42, .verdict = NF_ACCEPT,
				     .payload = (const uint8_t *)"hello", .payload_len = 5,
				     .ct_helper = "ftp", .exp = e,
				     .ct_help_info = info, .ct_help_info_len = 3 };
}

static void test_verdict_golden(void)
{
	NLBUF(buf, 512);
	struct nl_msg m;
	struct nlmsghdr *nlh;
	struct queue_verdict v = { .queue = 7, .id = 0x01020304, .verdict = NF_ACCEPT };
	struct ct_expect e;

	GOLDEN(queue_verdict_build(&m, buf, 512, 8, &v), verdict_plain_want, "golden: plain verdict");
	v.ct_helper = ""; /* would detach the helper: never sent */
	GOLDEN(queue_verdict_build(&m, buf, 512, 8, &v), verdict_plain_want, "golden: empty helper name left out");
	full_verdict(&v, &e);
	GOLDEN(queue_verdict_build(&m, buf, 512, 9, &v), verdict_full_want,
	       "golden: verdict with payload, NFQA_CT and NFQA_EXP with NAT");

	size_t bad = 0;

	for (size_t cap = 0; cap < sizeof(verdict_full_want); cap++) {
		void *b = malloc(cap ? cap : 1);

		if (queue_verdict_build(&m, b, cap, 9, &v))
			bad++;
		free(b);
	}
	TAP_EQ_U(bad, 0, "verdict: every short buffer refused, none overrun");
	v.payload_len = 65532;
	v.payload = calloc(1, 65532);
	uint32_t *big = malloc(70000);

	tap_ok(!queue_verdict_build(&m, big, 70000, 9, &v), "verdict: payload beyond nla_len range refused");
	free((void *)v.payload);
	free(big);
}

/* An IPv4 TCP packet of an "ftp" conntrack as nfqnl_build_packet_message sends it with
 * NFQA_CFG_F_CONNTRACK: header, in-interface, hardware address, NFQA_CT, NFQA_CT_INFO and the
 * payload last (21 bytes, padded). */
static const uint8_t pkt4[] __attribute__((aligned(4))) = {
	NLMSG(300, 0x0300 /* QUEUE << 8 | PACKET */, 0, 0, 0),
	NFGEN(NFPROTO_IPV4, 7),
	NLA(11, 1 /* NFQA_PACKET_HDR */), B32(9) /* id */, B16(0x0800) /* ETH_P_IP */,
		1 /* NF_INET_LOCAL_IN */, PAD1,
	NLA(8, 5 /* NFQA_IFINDEX_INDEV */), B32(2),
	NLA(16, 9 /* NFQA_HWADDR */), B16(6), 0, 0, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0, 0,
	NEST(208, 11 /* NFQA_CT */),
		TUPLE4(1 /* ORIG */, V4(192, 0, 2, 1), V4(198, 51, 100, 2), IPPROTO_TCP, 40000, 21),
		TUPLE4(2 /* REPLY */, V4(198, 51, 100, 2), V4(192, 0, 2, 1), IPPROTO_TCP, 21, 40000),
		NLA(8, 12 /* CTA_ID */), B32(0x11223344),
		NLA(8, 3 /* CTA_STATUS */), B32(0x18e),
		NLA(8, 7 /* CTA_TIMEOUT */), B32(300),
		PROTOINFO_TCP_ESTABLISHED,
		NEST(20, 5 /* CTA_HELP */),
			NLA(8, 1 /* CTA_HELP_NAME */), 'f', 't', 'p', 0,
			NLA(8, 2 /* CTA_HELP_INFO */), 0, 0, 0, 5,
		NLA(8, 8 /* CTA_MARK */), B32(0x10),
	NLA(8, 12 /* NFQA_CT_INFO */), B32(IP_CT_ESTABLISHED_REPLY),
	NLA(25, 10 /* NFQA_PAYLOAD */), '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
		'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', PAD3,
};

/* IPv6 UDP with helper "sip", no protoinfo, and NFQA_CAP_LEN: only 8 of 1500 bytes copied. */
static const uint8_t pkt6[] __attribute__((aligned(4))) = {
	NLMSG(244, 0x0300, 0, 0, 0),
	NFGEN(NFPROTO_IPV6, 7),
	NLA(11, 1 /* NFQA_PACKET_HDR */), B32(0x80000001), B16(0x86dd), 2 /* FORWARD */, PAD1,
	NEST(184, 11 /* NFQA_CT */),
		TUPLE6(1, V6DB8(1), V6DB8(2), IPPROTO_UDP, 5060, 5060),
		TUPLE6(2, V6DB8(2), V6DB8(1), IPPROTO_UDP, 5060, 5060),
		NLA(8, 12 /* CTA_ID */), B32(5),
		NLA(8, 3 /* CTA_STATUS */), B32(0x8),
		NEST(12, 5 /* CTA_HELP */),
			NLA(8, 1 /* CTA_HELP_NAME */), 's', 'i', 'p', 0,
	NLA(8, 12 /* NFQA_CT_INFO */), B32(IP_CT_NEW),
	NLA(8, 13 /* NFQA_CAP_LEN */), B32(1500),
	NLA(12, 10 /* NFQA_PAYLOAD */), 0x60, 0, 0, 0, 0x05, 0xc8, 0x11, 0x40,
};

static void test_pkt_decode(void)
{
	struct queue_pkt p;
	struct ct_tuple o4 = tuple4("192.0.2.1", "198.51.100.2", 40000, 21);

	TAP_EQ_I(queue_pkt_decode((const void *)pkt4, &p), 0, "IPv4 packet decodes");
	tap_ok(p.id_valid && p.id == 9 && p.hw_protocol == 0x0800 && p.hook == 1 &&
	       p.family == NFPROTO_IPV4 && p.queue == 7, "IPv4: header fields, family, queue");
	tap_ok(p.payload == pkt4 + 276 && p.len == 21 && p.cap_len == 21 && !memcmp(p.payload, "0123", 4),
	       "IPv4: payload points into the message, cap_len defaults to len");
	tap_ok(p.has_ct && p.ctinfo == IP_CT_ESTABLISHED_REPLY && p.ct.id == 0x11223344 && p.ct.status == 0x18e &&
	       p.ct.tcp_state == 3 && !strcmp(p.ct.helper, "ftp") && p.ct.help_info_len == 4 &&
	       p.ct.help_info[3] == 5, "IPv4: conntrack id, status, state, helper, info");
	tap_ok(!memcmp(&p.ct.tuple[0], &o4, sizeof(o4)) && p.ct.tuple[1].sport == 21 &&
	       p.ct.tuple[1].dport == 40000, "IPv4: tuples");

	TAP_EQ_I(queue_pkt_decode((const void *)pkt6, &p), 0, "IPv6 packet decodes");
	tap_ok(p.id == 0x80000001 && p.hw_protocol == 0x86dd && p.hook == 2 && p.family == NFPROTO_IPV6,
	       "IPv6: header fields");
	tap_ok(p.len == 8 && p.cap_len == 1500 && p.payload[0] == 0x60, "IPv6: copied 8 of 1500 bytes");
	tap_ok(p.has_ct && p.ctinfo == IP_CT_NEW && p.ct.id == 5 && p.ct.tuple[0].l3 == AF_INET6 &&
	       p.ct.tuple[0].l4 == IPPROTO_UDP && p.ct.tuple[0].src.v6[15] == 1 &&
	       p.ct.tuple[1].src.v6[15] == 2 && !strcmp(p.ct.helper, "sip") && !p.ct.help_info &&
	       !p.ct.tcp_state, "IPv6: conntrack, no protoinfo, helper without info");
}

/* Copy pkt4 into an aligned buffer and spoil bytes at off. */
static int spoiled(size_t off, const uint8_t *bytes, size_t n, struct queue_pkt *p)
{
	NLBUF(buf, sizeof(pkt4));

	memcpy(buf, pkt4, sizeof(pkt4));
	memcpy(buf + off, bytes, n);
	return queue_pkt_decode((const void *)buf, p);
}

static void test_pkt_hostile(void)
{
	struct queue_pkt p;
	const uint8_t unknown_type[] = { NLA(11, 0x7ff) };	/* header becomes unknown */
	const uint8_t hdr_len8[] = { NLA(12, 1) };		/* 8-byte packet header */
	const uint8_t no_payload[] = { NLA(25, 0x33) };		/* payload type beyond NFQA_MAX */
	const uint8_t no_ctid[] = { NLA(8, 0x66) };		/* CTA_ID -> unknown type */
	const uint8_t ct_lie[] = { NEST(248, 11) };		/* NFQA_CT 4 bytes past the end */
	const uint8_t caplen_2[] = { NLA(6, 13) };		/* CT_INFO -> 2-byte CAP_LEN */
	const uint8_t verdict_type[] = { H16(0x0301) };

	TAP_EQ_I(spoiled(20, unknown_type, 4, &p), -EINVAL, "missing NFQA_PACKET_HDR");
	tap_ok(!p.id_valid, "... and no id to answer");
	TAP_EQ_I(spoiled(20, hdr_len8, 4, &p), -EINVAL, "NFQA_PACKET_HDR of 8 bytes");
	TAP_EQ_I(spoiled(272, no_payload, 4, &p), -EINVAL, "missing NFQA_PAYLOAD");
	tap_ok(p.id_valid && p.id == 9, "... but the id is known: the packet can still be accepted");
	TAP_EQ_I(spoiled(56 + 4 + 104, no_ctid, 4, &p), -EINVAL, "NFQA_CT without CTA_ID");
	tap_ok(p.id_valid && p.id == 9 && !p.has_ct, "... id known, no conntrack");
	TAP_EQ_I(spoiled(56, ct_lie, 4, &p), -EINVAL, "NFQA_CT longer than the message");
	TAP_EQ_I(spoiled(264, caplen_2, 4, &p), -EINVAL, "2-byte NFQA_CAP_LEN");
	TAP_EQ_I(spoiled(4, verdict_type, 2, &p), -EINVAL, "not an NFQNL_MSG_PACKET");

	/* Every shorter nlmsg_len, in a buffer of exactly that size: the payload is last, so each
	 * cuts it (malformed) but those dropping only its padding, and none may read past the end
	 * (ASan). */
	size_t bad = 0, walked = 0;

	for (size_t len = 16; len < sizeof(pkt4); len++) {
		uint32_t *b = malloc(len);
		struct nlmsghdr *nlh = (struct nlmsghdr *)b;
		size_t off = 0;
		int err;

		memcpy(b, pkt4, len);
		if (nl_msg_next(b, len, &off, &err) || err != -EINVAL)
			walked++;
		nlh->nlmsg_len = (uint32_t)len;
		if (queue_pkt_decode(nlh, &p) != (len < 297 ? -EINVAL : 0))
			bad++;
		free(b);
	}
	TAP_EQ_U(walked, 0, "truncated datagrams: nl_msg_next refuses each");
	TAP_EQ_U(bad, 0, "truncated nlmsg_len: -EINVAL below 297, padding optional");
}

/* A packet of an expected connection (active FTP data: the server 198.51.100.2:20 connects
 * to the client 192.0.2.1:50000) as __ctnetlink_glue_build lays out NFQA_CT for a conntrack
 * with a master: CTA_TUPLE_MASTER (ctnetlink_dump_master), the master's original tuple
 * client:40000 -> server:21, after the helper.  The child has the master's helper, as
 * Debian's 6.12.95 gives it. */
#define MASTER_OFF 168	/* CTA_TUPLE_MASTER's header */
static const uint8_t pkt4_child[] __attribute__((aligned(4))) = {
	NLMSG(236, 0x0300 /* QUEUE << 8 | PACKET */, 0, 0, 0),
	NFGEN(NFPROTO_IPV4, 7),
	NLA(11, 1 /* NFQA_PACKET_HDR */), B32(10), B16(0x0800), 2 /* NF_INET_FORWARD */, PAD1,
	NEST(188, 11 /* NFQA_CT */),
		TUPLE4(1 /* ORIG */, V4(198, 51, 100, 2), V4(192, 0, 2, 1), IPPROTO_TCP, 20, 50000),
		TUPLE4(2 /* REPLY */, V4(192, 0, 2, 1), V4(198, 51, 100, 2), IPPROTO_TCP, 50000, 20),
		NLA(8, 12 /* CTA_ID */), B32(0x11223345),
		NLA(8, 3 /* CTA_STATUS */), B32(0xf /* EXPECTED | SEEN_REPLY | ASSURED | CONFIRMED */),
		NEST(12, 5 /* CTA_HELP */),
			NLA(8, 1 /* CTA_HELP_NAME */), 'f', 't', 'p', 0,
		TUPLE4(14 /* CTA_TUPLE_MASTER */, V4(192, 0, 2, 1), V4(198, 51, 100, 2), IPPROTO_TCP,
		       40000, 21),
	NLA(8, 12 /* NFQA_CT_INFO */), B32(IP_CT_ESTABLISHED),
	NLA(8, 10 /* NFQA_PAYLOAD */), 'd', 'a', 't', 'a',
};

static int child_spoiled(size_t off, const uint8_t *bytes, size_t n, struct queue_pkt *p)
{
	NLBUF(buf, sizeof(pkt4_child));

	memcpy(buf, pkt4_child, sizeof(pkt4_child));
	memcpy(buf + off, bytes, n);
	return queue_pkt_decode((const void *)buf, p);
}

/* The master of an expected connection decoded from NFQA_CT; a hostile one never taken. */
static void test_pkt_master(void)
{
	struct queue_pkt p;
	struct ct_tuple master = tuple4("192.0.2.1", "198.51.100.2", 40000, 21);
	struct ct_tuple child = tuple4("198.51.100.2", "192.0.2.1", 20, 50000);
	const uint8_t src_unknown[] = { H16(9) };	/* the master's CTA_IP_V4_SRC -> unknown */
	const uint8_t master_lie[] = { NEST(56, 14) };	/* 4 bytes past the end of NFQA_CT */
	size_t bad = 0;

	TAP_EQ_I(queue_pkt_decode((const void *)pkt4_child, &p), 0, "expected connection: packet decodes");
	tap_ok(p.has_ct && p.ct.has_master && !memcmp(&p.ct.master, &master, sizeof(master)) &&
	       !memcmp(&p.ct.tuple[CT_DIR_ORIGINAL], &child, sizeof(child)) && (p.ct.status & IPS_EXPECTED) &&
	       p.ct.id == 0x11223345 && !strcmp(p.ct.helper, "ftp"),
	       "expected connection: CTA_TUPLE_MASTER is the master's original tuple, own tuples apart");
	TAP_EQ_I(queue_pkt_decode((const void *)pkt4, &p), 0, "a conntrack without master decodes");
	tap_ok(p.has_ct && !p.ct.has_master, "... and has no master");
	TAP_EQ_I(child_spoiled(MASTER_OFF + 10, src_unknown, 2, &p), 0,
		 "master without a source address: the packet still decodes");
	tap_ok(p.has_ct && !p.ct.has_master && !p.ct.master.l3 && p.ct.id == 0x11223345,
	       "... the master is left out, nothing of it kept, the conntrack stands");
	TAP_EQ_I(child_spoiled(MASTER_OFF, master_lie, 4, &p), -EINVAL,
		 "CTA_TUPLE_MASTER longer than NFQA_CT: malformed");
	tap_ok(p.id_valid && p.id == 10 && !p.has_ct, "... the id is known: the packet passes as it is");
	for (size_t len = 16; len < sizeof(pkt4_child); len++) {
		uint32_t *b = malloc(len);
		struct nlmsghdr *nlh = (struct nlmsghdr *)b;

		memcpy(b, pkt4_child, len);
		nlh->nlmsg_len = (uint32_t)len;
		bad += queue_pkt_decode(nlh, &p) != -EINVAL;
		free(b);
	}
	TAP_EQ_U(bad, 0, "expected connection cut anywhere: -EINVAL, nothing read past the end");
}

/* A verdict goes back through the generic decoders: what the kernel's nfqnl_recv_verdict and
 * ctnetlink_glue_attach_expect would find. */
static void test_verdict_roundtrip(void)
{
	NLBUF(buf, 512);
	struct nl_msg m;
	struct queue_verdict v;
	struct ct_expect e;
	const struct nlattr *tb[NFQA_MAX + 1], *ct[CTA_MAX + 1], *help[CTA_HELP_MAX + 1],
			    *exp[CTA_EXPECT_MAX + 1];
	struct nfqnl_msg_verdict_hdr vh;
	struct ct_tuple t;

	full_verdict(&v, &e);
	v.id = 0xfffffffe;
	v.verdict = NF_DROP;
	tap_ok(queue_verdict_build(&m, buf, 512, 1, &v) && nl_attr_parse(m.nlh, 4, tb, NFQA_MAX) == 0,
	       "verdict parses back");
	memcpy(&vh, nl_attr_data(tb[NFQA_VERDICT_HDR]), sizeof(vh));
	tap_ok(nl_attr_len(tb[NFQA_VERDICT_HDR]) == 8 && ntohl(vh.id) == 0xfffffffe && ntohl(vh.verdict) == NF_DROP,
	       "round trip: verdict header");
	tap_ok(nl_attr_parse_nested(tb[NFQA_CT], ct, CTA_MAX) == 0 &&
	       nl_attr_parse_nested(ct[CTA_HELP], help, CTA_HELP_MAX) == 0 &&
	       !strcmp(nl_attr_get_str(help[CTA_HELP_NAME]), "ftp") && nl_attr_len(help[CTA_HELP_INFO]) == 3,
	       "round trip: NFQA_CT {CTA_HELP {NAME, INFO}}");
	tap_ok(nl_attr_parse_nested(tb[NFQA_EXP], exp, CTA_EXPECT_MAX) == 0 &&
	       ct_tuple_decode(exp[CTA_EXPECT_TUPLE], &t) == 0 && !memcmp(&t, &e.tuple, sizeof(t)) &&
	       exp[CTA_EXPECT_MASK] && exp[CTA_EXPECT_NAT] && !exp[CTA_EXPECT_MASTER],
	       "round trip: NFQA_EXP tuple, mask, NAT, no master");
	tap_ok(nl_attr_len(tb[NFQA_PAYLOAD]) == 5 && !memcmp(nl_attr_data(tb[NFQA_PAYLOAD]), "hello", 5),
	       "round trip: payload");
}

void test_queue(void)
{
	test_cfg_golden();
	test_verdict_golden();
	test_pkt_decode();
	test_pkt_hostile();
	test_pkt_master();
	test_verdict_roundtrip();
}
