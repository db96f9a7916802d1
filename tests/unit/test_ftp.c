// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the FTP helper end to end in userspace: queued packet → dispatch → verdict,
 * with and without NAT, split commands, retransmissions, restarts, bounce attempts. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "ftp.h"
#include "pkt.h"
#include "fakect.h"
#include "pkttest.h"
#include "qmsg.h"
#include "tap.h"

static struct helper_cfg cfg = {
	.name = "ftp", .queue = 21, .policy = { { "ftp", 1, 300 } }, .max_conns = 64,
};
/* The expectation in v: from src to dst:dport, any source port, full addresses. */
static void expect_is(const struct qmsg_verdict *v, uint8_t l3, const char *src, const char *dst,
		      uint16_t dport, const char *desc)
{
	if (!tap_ok(v->has_exp, "%s: expectation created", desc))
		return;
	tap_ok(pt_addr_is(&v->exp_tuple.src, l3, src) && pt_addr_is(&v->exp_tuple.dst, l3, dst) &&
	       v->exp_tuple.dport == dport && v->exp_tuple.l4 == IPPROTO_TCP,
	       "%s: expectation tuple %s -> %s:%u", desc, src, dst, dport);
	tap_ok(v->exp_mask.sport == 0 && v->exp_mask.dport == 0xffff && v->exp_mask.src.all[0] == 0xff,
	       "%s: mask: any source port, exact addresses and port", desc);
	tap_ok(v->has_ct, "%s: verdict carries NFQA_CT (else the kernel ignores NFQA_EXP)", desc);
}

/* A dispatcher and an unNATed IPv4 control connection 10.0.1.2:40000 -> 10.0.2.2:21, set up. */
static void plain_conn(struct dispatch *dp, struct qmsg_conn *c, uint32_t id)
{
	dispatch_init(dp, &ftp_proto, &cfg);
	qmsg_conn_init(c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, NULL, id);
	pt_handshake(dp, c);
}

static void test_plain(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t seq;

	plain_conn(&dp, &c, 11);
	pt_seg(&dp, &c, 1, "220 ready\r\n", &v);
	tap_ok(!v.has_exp && !v.payload && v.verdict == NF_ACCEPT, "ftp: banner accepted as is");
	seq = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 40000, "ftp: PORT");
	tap_ok(!v.payload && !v.exp_nat && !v.exp_fn[0], "ftp: PORT without NAT: no rewrite, no NAT setup");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\n", &seq, &v);
	tap_ok(!v.has_exp && !v.payload && v.verdict == NF_ACCEPT,
	       "ftp: retransmitted PORT passes as it is; its first copy created the expectation");
	pt_seg(&dp, &c, 1, "227 Entering Passive Mode (10,0,2,2,195,80).\r\n", &v);
	expect_is(&v, AF_INET, "10.0.1.2", "10.0.2.2", 50000, "ftp: 227");
	pt_seg(&dp, &c, 1, "229 Entering Extended Passive Mode (|||50001|)\r\n", &v);
	expect_is(&v, AF_INET, "10.0.1.2", "10.0.2.2", 50001, "ftp: 229");
	pt_seg(&dp, &c, 0, "TYPE I\r\nPORT 10,0,1,2,156,65\r\n", &v);
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 40001, "ftp: PORT after another command in one segment");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,67\r\nPORT 10,0,1,2,156,68\r\n", &v);
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 40004,
		  "ftp: two PORTs in one segment: the verdict carries the last (it wins at max_expected 1)");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,", &v);
	tap_ok(!v.has_exp && !v.payload, "ftp: first half of a split PORT passes untouched");
	pt_seg(&dp, &c, 0, "156,66\r\n", &v);
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 40002, "ftp: split PORT completes in the second segment");
	pt_seg(&dp, &c, 0, "PORT 10,0,3,3,0,80\r\n", &v);
	tap_ok(!v.has_exp && !v.payload, "ftp: bounce (PORT naming a third host) gives no expectation");
	pt_seg(&dp, &c, 1, "227 Entering Passive Mode (10,0,9,9,195,80).\r\n", &v);
	tap_ok(!v.has_exp, "ftp: 227 naming another address ignored unless loose");
	pt_seg(&dp, &c, 0, "EPRT |2|fd00::2|40000|\r\n", &v);
	tap_ok(!v.has_exp, "ftp: EPRT of another family ignored");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,0,0\r\n", &v);
	tap_ok(!v.has_exp, "ftp: PORT with port 0 ignored");
	dispatch_free(&dp);
}

/* A packet may open HELP_EXP_MAX expectations (what one SIP message needs), no more. */
static void test_many(void)
{
	char seg[HELP_EXP_MAX * 32 + 32] = "", *p = seg;
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint64_t before;

	plain_conn(&dp, &c, 12);
	for (int i = 0; i <= HELP_EXP_MAX; i++)
		p += sprintf(p, "PORT 10,0,1,2,156,%d\r\n", 100 + i);
	before = dp.stats.expectations;
	pt_seg(&dp, &c, 0, seg, &v);
	TAP_EQ_U(dp.stats.expectations - before, HELP_EXP_MAX,
		 "ftp: HELP_EXP_MAX + 1 PORTs in one segment open HELP_EXP_MAX expectations");
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 156 * 256 + 100 + HELP_EXP_MAX - 1,
		  "ftp: the verdict carries the last one taken");
	dispatch_free(&dp);
}

static void test_loose(void)
{
	struct helper_cfg lc = cfg;
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	lc.opt[FTP_OPT_LOOSE] = 1;
	dispatch_init(&dp, &ftp_proto, &lc);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, NULL, 12);
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 1, "227 Entering Passive Mode (10,0,9,9,195,80).\r\n", &v);
	expect_is(&v, AF_INET, "10.0.1.2", "10.0.9.9", 50000, "ftp --loose: 227 naming the server's other address");
	pt_seg(&dp, &c, 0, "PORT 10,0,3,3,0,80\r\n", &v);
	tap_ok(!v.has_exp, "ftp --loose: bounce still refused");
	dispatch_free(&dp);
}

static void test_nat(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t seq;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "10.0.2.1", 21);
	pt_handshake(&dp, &c);
	seq = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	pt_payload_is(&v, "PORT 10,0,2,1,156,64\r\n", "ftp NAT: PORT rewritten to the router's address");
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.2.1", 40000, "ftp NAT: PORT");
	tap_ok(v.exp_nat && !strcmp(v.exp_fn, "nat-follow-master") && v.nat_dir == CT_DIR_REPLY &&
	       v.nat_tuple.sport == 40000, "ftp NAT: PORT expectation follows the master to port 40000");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\n", &seq, &v);
	pt_payload_is(&v, "PORT 10,0,2,1,156,64\r\n", "ftp NAT: retransmission rewritten identically");
	pt_seg(&dp, &c, 1, "227 Entering Passive Mode (10,0,2,2,195,80).\r\n", &v);
	tap_ok(!v.payload, "ftp NAT: 227 from the server needs no rewrite (server side not NATed)");
	expect_is(&v, AF_INET, "10.0.1.2", "10.0.2.2", 50000, "ftp NAT: 227");
	tap_ok(v.exp_nat && v.nat_dir == CT_DIR_ORIGINAL, "ftp NAT: 227 expectation NATed like the master");
	pt_seg(&dp, &c, 0, "EPRT |1|10.0.1.2|40003|\r\n", &v);
	pt_payload_is(&v, "EPRT |1|10.0.2.1|40003|\r\n", "ftp NAT: EPRT rewritten");
	/* A command split across segments is held back and sent whole with the next one. */
	pt_seg(&dp, &c, 0, "NOOP\r\nPORT 10,0,1,", &v);
	pt_payload_is(&v, "NOOP\r\nPORT ", "ftp NAT: the numbers of an unfinished PORT held back");
	tap_ok(!v.has_exp, "ftp NAT: no expectation from half a command");
	pt_seg(&dp, &c, 0, "2,156,70\r\n", &v);
	pt_payload_is(&v, "10,0,2,1,156,70\r\n", "ftp NAT: held-back numbers completed and rewritten");
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.2.1", 40006, "ftp NAT: split PORT");
	pt_seg(&dp, &c, 0, "PO", &v);
	tap_ok(!v.payload, "ftp NAT: a bare command prefix leaves at once (nothing in it changes)");
	pt_seg(&dp, &c, 0, "RT 10,0,1,2,156,71\r\nNOOP\r\n", &v);
	pt_payload_is(&v, "RT 10,0,2,1,156,71\r\nNOOP\r\n", "ftp NAT: the rest of that command rewritten");
	pt_seg(&dp, &c, 0, "USER x", &v);
	tap_ok(!v.payload, "ftp NAT: other unfinished lines are not held");
	pt_seg(&dp, &c, 0, "\r\n", &v);
	dispatch_free(&dp);
}

/* An expected connection whose packets reach the helper (Debian's 6.12.95 gives children
 * their master's helper): its bytes are data, never commands, even when they read as one. */
static void test_child(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40100, "10.0.2.2", 21, "10.0.2.1", 22);
	c.ct.status |= IPS_EXPECTED;
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	tap_ok(v.verdict == 1 && !v.payload && !v.has_exp && dp.stats.children == 3,
	       "ftp: an expected connection's \"PORT\" passes unread (no rewrite, no expectation)");
	dispatch_free(&dp);
}

static void test_nat_v6(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET6, "fd00:1::2", 40000, "fd00:2::2", 21, "fd00:2::1", 31);
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, "EPRT |2|fd00:1::2|40000|\r\n", &v);
	/* nf_nat_ftp prints the address with %pI6: uncompressed; the oracle test compares bytes. */
	pt_payload_is(&v, "EPRT |2|fd00:0002:0000:0000:0000:0000:0000:0001|40000|\r\n", "ftp NAT IPv6: EPRT rewritten");
	expect_is(&v, AF_INET6, "fd00:2::2", "fd00:2::1", 40000, "ftp NAT IPv6: EPRT");
	pt_seg(&dp, &c, 1, "229 Entering Extended Passive Mode (|||50000|)\r\n", &v);
	tap_ok(!v.payload, "ftp NAT IPv6: 229 left alone (the port does not change)");
	expect_is(&v, AF_INET6, "fd00:1::2", "fd00:2::2", 50000, "ftp NAT IPv6: 229");
	dispatch_free(&dp);
}

/* A restarted helper meets connections mid-stream: it waits for a line end, then parses. */
static void test_restart(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t ahead;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, NULL, 41);
	c.seq[0] = 777777;
	pt_seg(&dp, &c, 0, "ORT 10,0,1,2,156,64\r\n", &v);
	tap_ok(!v.has_exp, "ftp restart: the first segment seen may start mid-line: not parsed");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,65\r\n", &v);
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 40001, "ftp restart: next line parsed");
	ahead = c.seq[0] + 100;
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,66\r\n", &ahead, &v);
	tap_ok(!v.has_exp, "ftp restart: a segment after a gap is not trusted");
	c.seq[0] = ahead + 22;
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,67\r\n", &v);
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.1.2", 40003, "ftp restart: resynchronised after the gap");
	dispatch_free(&dp);
}

/* A stand-in for the daemon's ctnetlink create: ports in taken[] belong to others. */
static void test_nat_port(void)
{
	struct fakect f = { .taken = { 40000 } };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	char want[64];
	uint32_t seq;
	uint16_t port;

	dispatch_init(&dp, &ftp_proto, &cfg);
	dp.ops = &fakect_ops;
	dp.ops_arg = &f;
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "10.0.2.1", 51);
	pt_handshake(&dp, &c);
	seq = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	port = f.last.tuple.dport;
	tap_ok(f.calls >= 2 && port > 40000, "ftp NAT port: a taken port is skipped (got %u after %u tries)",
	       port, f.calls);
	tap_ok(f.last.nat && f.last.nat_tuple.sport == 40000 && !strcmp(f.last.fn, "nat-follow-master"),
	       "ftp NAT port: the data connection still goes to the client's port 40000");
	snprintf(want, sizeof(want), "PORT 10,0,2,1,%u,%u\r\n", port >> 8, port & 0xff);
	pt_payload_is(&v, want, "ftp NAT port: PORT announces the port NAT got");
	tap_ok(!v.has_exp && v.has_ct, "ftp NAT port: created synchronously, not again in the verdict");
	f.taken[1] = 40000 + 1;	/* nothing else changes: the retransmission must get the same port */
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\n", &seq, &v);
	pt_payload_is(&v, want, "ftp NAT port: retransmission announces the same port");
	/* The passive forms announce the port the same way: it moves too, in the reply. */
	f.taken[2] = 50000;
	pt_seg(&dp, &c, 1, "229 Entering Extended Passive Mode (|||50000|)\r\n", &v);
	port = f.last.tuple.dport;
	snprintf(want, sizeof(want), "229 Entering Extended Passive Mode (|||%u|)\r\n", port);
	tap_ok(port != 50000 && f.last.nat_tuple.sport == 50000, "ftp NAT port: 229 port moved (to %u)", port);
	pt_payload_is(&v, want, "ftp NAT port: 229 announces the port NAT got");
	pt_seg(&dp, &c, 1, "227 Entering Passive Mode (10,0,2,2,195,80).\r\n", &v);
	port = f.last.tuple.dport;
	snprintf(want, sizeof(want), "227 Entering Passive Mode (10,0,2,2,%u,%u).\r\n", port >> 8, port & 0xff);
	pt_payload_is(&v, want, "ftp NAT port: 227 announces the port NAT got");
	f.fail = -ENOENT;
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,80\r\n", &v);
	pt_payload_is(&v, "PORT 10,0,2,1,156,80\r\n", "ftp NAT port: without ctnetlink the port is kept");
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.2.1", 40016, "ftp NAT port: ... and the verdict carries it");
	f.fail = -EBUSY;
	seq = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,81\r\n", &v);
	tap_ok(v.verdict == NF_DROP && !v.payload && !v.has_exp,
	       "ftp NAT port: no free port: dropped, as nf_nat_ftp does");
	/* 2 (busy, then free) + 0 (a retransmission repeats its first copy) + 2 (229: busy,
	 * then free) + 2 (227: busy, then the same port as 229, its own, replaced) + 1 (ENOENT)
	 * + 129 (announced + 128 others) */
	TAP_EQ_U(f.calls, 2 + 0 + 2 + 2 + 1 + 129, "ftp NAT port: gives up after the kernel's 128 further tries");
	/* A dropped segment never reached the peer: its retransmission must meet the stream as
	 * the first copy did (here: in order, with the held-back half of a command in front). */
	f.fail = 0;
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,81\r\n", &seq, &v);
	tap_ok(v.payload && v.verdict == NF_ACCEPT, "ftp NAT port: the dropped PORT's retransmission is rewritten");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	pt_payload_is(&v, "PORT ", "ftp NAT port: first half's numbers held back");
	f.fail = -EBUSY;
	seq = c.seq[0];
	pt_seg(&dp, &c, 0, "2,156,82\r\n", &v);
	tap_ok(v.verdict == NF_DROP, "ftp NAT port: second half dropped (no free port)");
	f.fail = 0;
	pt_send(&dp, &c, 0, 0, "2,156,82\r\n", &seq, &v);
	pt_payload_is(&v, "10,0,2,1,156,82\r\n", "ftp NAT port: its retransmission completes the held command");
	dispatch_free(&dp);
}

/* A master in conntrack zone 5 (CTA_ZONE in NFQA_CT): the NAT port search asks ctnetlink
 * in zone 5, where alone the kernel finds the master (fakect answers -ENOENT elsewhere, and
 * the announced, taken port would then ride in the verdict).  NFQA_EXP names no zone: the
 * kernel gives it the queued conntrack's. */
static void test_nat_zone(void)
{
	struct fakect f = { .taken = { 40000 }, .zone = 5 };
	uint8_t pkt[128], msg[512] __attribute__((aligned(4)));
	struct help_result res;
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	char want[64];
	uint16_t port;

	dispatch_init(&dp, &ftp_proto, &cfg);
	dp.ops = &fakect_ops;
	dp.ops_arg = &f;
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "10.0.2.1", 52);
	c.ct.zone = 5;
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	port = f.last.tuple.dport;
	tap_ok(!f.wrong_zone && f.nlive == 1 && port > 40000 && f.last.nat_tuple.sport == 40000,
	       "ftp NAT zone 5: created in the master's zone on a free port (%u)", port);
	snprintf(want, sizeof(want), "PORT 10,0,2,1,%u,%u\r\n", port >> 8, port & 0xff);
	pt_payload_is(&v, want, "ftp NAT zone 5: PORT announces the port NAT got");
	tap_ok(!v.has_exp && v.has_ct && v.verdict == NF_ACCEPT,
	       "ftp NAT zone 5: created synchronously, not again in the verdict");
	dp.ops = NULL;	/* no ctnetlink: the expectation rides in the verdict */
	pt_seg(&dp, &c, 1, "227 Entering Passive Mode (10,0,2,2,195,80).\r\n", &v);
	expect_is(&v, AF_INET, "10.0.1.2", "10.0.2.2", 50000, "ftp NAT zone 5: 227 in the verdict");
	tap_ok(v.has_exp && !v.exp_zone, "ftp NAT zone 5: NFQA_EXP carries no CTA_EXPECT_ZONE");
	/* What the daemon's batch of extra expectations (EXP_NEW) is built from. */
	qmsg_packet(msg, sizeof(msg), &c, 0, 99, pkt, qmsg_tcp(pkt, &c, 0, c.seq[0], 0, "NOOP\r\n", 6));
	tap_ok(dispatch_packet(&dp, (struct nlmsghdr *)msg, 1, &res) && res.zone == 5 &&
	       ct_tuple_equal(&res.master, &c.ct.tuple[0]), "ftp zone 5: the result names the master's zone");
	dispatch_free(&dp);
}

/* kill -9 and restart: the kernel kept where the lines start, so the new process parses the
 * very next command of an open connection. */
static void test_restart_kernel_state(void)
{
	struct dispatch a, b;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	struct stream_kstate k;
	uint8_t kept[32];

	dispatch_init(&a, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "10.0.2.1", 61);
	pt_handshake(&a, &c);
	pt_seg(&a, &c, 0, "USER anonymous\r\n", &v);
	tap_ok(v.has_ct && v.help_info_len == 16, "ftp restart: the verdict stores 16 bytes of line state in the conntrack");
	memcpy(kept, v.help_info, sizeof(kept));
	tap_ok(c.kernel.data_len == 16 && !memcmp(c.kernel.data, kept, 16),
	       "ftp restart: the kernel keeps those bytes (the next packet carries them)");
	dispatch_free(&a);	/* kill -9: the conntrack, and c.kernel with it, lives on */
	dispatch_init(&b, &ftp_proto, &cfg);
	pt_seg(&b, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	pt_payload_is(&v, "PORT 10,0,2,1,156,64\r\n", "ftp restart: first command after the restart rewritten");
	expect_is(&v, AF_INET, "10.0.2.2", "10.0.2.1", 40000, "ftp restart: first command after the restart");
	pt_seg(&b, &c, 1, "200 PORT command successful\r\n", &v);
	memcpy(&k, v.help_info, sizeof(k));
	tap_ok(v.help_info_len == sizeof(k) && k.valid[0] && k.valid[1] && ntohl(k.seq[0]) == c.seq[0] &&
	       ntohl(k.seq[1]) == c.seq[1],
	       "ftp restart: the kernel keeps where the next line of each direction starts");
	dispatch_free(&b);
}

void test_ftp(void)
{
	test_plain();
	test_many();
	test_loose();
	test_nat();
	test_child();
	test_nat_v6();
	test_nat_port();
	test_nat_zone();
	test_restart();
	test_restart_kernel_state();
}
