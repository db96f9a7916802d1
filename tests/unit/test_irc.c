// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the IRC helper end to end in userspace: queued packet -> dispatch -> verdict.
 * DCC offers with and without NAT, forged offers, several per segment, split PRIVMSGs,
 * retransmissions, IPv6, and the kernel parameter names. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "fakect.h"
#include "irc.h"
#include "pkttest.h"
#include "tap.h"

static struct helper_cfg cfg = {
	.name = "irc", .queue = 6667, .policy = { { "irc", 8, 300 } }, .max_conns = 64,
};

/* 10.0.1.2 is 167772418; the router's outside address 10.0.2.1 is 167772673. */
#define PRIV "PRIVMSG bob :\1DCC "

static void exp_is(const struct qmsg_verdict *v, uint8_t l3, const char *dst, uint16_t port,
		   const char *desc)
{
	union ct_addr zero = { 0 };

	if (!tap_ok(v->has_exp, "%s: expectation created", desc))
		return;
	tap_ok(pt_addr_is(&v->exp_tuple.dst, l3, dst) && v->exp_tuple.dport == port &&
	       v->exp_tuple.l4 == IPPROTO_TCP && !memcmp(v->exp_mask.src.all, zero.all, 16) &&
	       v->exp_mask.sport == 0 && v->has_ct,
	       "%s: from anyone to %s:%u (source address and port wildcards)", desc, dst, port);
}

static void test_plain(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s;

	dispatch_init(&dp, &irc_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 6667, NULL, 201);
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, "NICK alice\r\nUSER a 0 * :a\r\n", &v);
	tap_ok(!v.has_exp && !v.payload, "irc: registration passes untouched");
	s = c.seq[0];
	pt_seg(&dp, &c, 0, PRIV "SEND file.bin 167772418 5000 1234\1\r\n", &v);
	exp_is(&v, AF_INET, "10.0.1.2", 5000, "irc: DCC SEND");
	tap_ok(!v.payload && !v.exp_nat, "irc: no NAT: no rewrite, no NAT setup");
	pt_send(&dp, &c, 0, 0, PRIV "SEND file.bin 167772418 5000 1234\1\r\n", &s, &v);
	tap_ok(!v.has_exp && !v.payload, "irc: retransmission passes as its first copy did");
	pt_seg(&dp, &c, 0, PRIV "CHAT chat 167772418 5001\1\r\n", &v);
	exp_is(&v, AF_INET, "10.0.1.2", 5001, "irc: DCC CHAT");
	pt_seg(&dp, &c, 0, PRIV "SEND f 167772419 5002 1\1\r\n", &v);
	tap_ok(!v.has_exp, "irc: forged DCC (another host's address) opens nothing");
	pt_seg(&dp, &c, 0, PRIV "SEND f 167772418 0 1\1\r\n", &v);
	tap_ok(!v.has_exp, "irc: DCC with port 0 opens nothing");
	pt_seg(&dp, &c, 0, "NOTICE bob :\1DCC SEND f 167772418 5003 1\1\r\n", &v);
	tap_ok(!v.has_exp, "irc: NOTICE is no offer");
	pt_seg(&dp, &c, 1, ":bob!b@h PRIVMSG alice :\1DCC SEND f 167772418 5004 1\1\r\n", &v);
	tap_ok(!v.has_exp, "irc: the server's direction is not parsed (as the kernel)");
	pt_seg(&dp, &c, 0, PRIV "SEND a 167772418 5005 1\1\r\n" PRIV "SEND b 167772418 5006 1\1\r\n", &v);
	tap_ok(v.has_exp && v.exp_tuple.dport == 5006, "irc: two offers in one segment: both seen, "
	       "the verdict carries the last");
	pt_seg(&dp, &c, 0, PRIV "SEND a 1677", &v);
	tap_ok(!v.has_exp, "irc: half an offer opens nothing yet");
	pt_seg(&dp, &c, 0, "72418 5007 1\1\r\n", &v);
	exp_is(&v, AF_INET, "10.0.1.2", 5007, "irc: offer split across segments");
	dispatch_free(&dp);
}

static void test_nat(void)
{
	struct fakect f = { .taken = { 5001 } };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	char want[128];
	uint32_t s;

	dispatch_init(&dp, &irc_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 6667, "10.0.2.1", 202);
	pt_handshake(&dp, &c);
	s = c.seq[0];
	pt_seg(&dp, &c, 0, PRIV "SEND file.bin 167772418 5000 1234\1\r\n", &v);
	pt_payload_is(&v, PRIV "SEND file.bin 167772673 5000 1234\1\r\n", "irc NAT: address rewritten");
	exp_is(&v, AF_INET, "10.0.2.1", 5000, "irc NAT: DCC SEND");
	tap_ok(v.exp_nat && !strcmp(v.exp_fn, "nat-follow-master") && v.nat_dir == CT_DIR_REPLY &&
	       v.nat_tuple.sport == 5000 && pt_addr_is(&v.nat_tuple.src, AF_INET, "10.0.1.2"),
	       "irc NAT: the peer's connection follows the master to 10.0.1.2:5000");
	pt_send(&dp, &c, 0, 0, PRIV "SEND file.bin 167772418 5000 1234\1\r\n", &s, &v);
	pt_payload_is(&v, PRIV "SEND file.bin 167772673 5000 1234\1\r\n", "irc NAT: retransmission identical");
	pt_seg(&dp, &c, 0, PRIV "SEND f 167772673 5010 1\1\r\n", &v);
	tap_ok(v.has_exp && !v.payload, "irc NAT: an offer naming the NAT address is the client's own: "
	       "expectation, nothing to rewrite");
	/* A split offer: the address is held back and sent with the rest. */
	pt_seg(&dp, &c, 0, PRIV "SEND a 1677", &v);
	pt_payload_is(&v, PRIV "SEND a ", "irc NAT: the start of the address is held back");
	pt_seg(&dp, &c, 0, "72418 5007 1\1\r\n", &v);
	pt_payload_is(&v, "167772673 5007 1\1\r\n", "irc NAT: completed and rewritten");
	dispatch_free(&dp);
	/* A taken port moves, as nf_nat_irc's port search. */
	dispatch_init(&dp, &irc_proto, &cfg);
	dp.ops = &fakect_ops;
	dp.ops_arg = &f;
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 6667, "10.0.2.1", 203);
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, PRIV "CHAT chat 167772418 5001\1\r\n", &v);
	snprintf(want, sizeof(want), PRIV "CHAT chat 167772673 %u\1\r\n", f.last.tuple.dport);
	tap_ok(f.last.tuple.dport != 5001 && f.last.nat_tuple.sport == 5001,
	       "irc NAT port: taken port 5001 moved to %u", f.last.tuple.dport);
	pt_payload_is(&v, want, "irc NAT port: the offer announces the port NAT got");
	dispatch_free(&dp);
}

static void test_v6(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	dispatch_init(&dp, &irc_proto, &cfg);
	qmsg_conn_init(&c, AF_INET6, "fd00:1::2", 40000, "fd00:2::2", 6667, NULL, 204);
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, PRIV "SEND f fd00:1::2 5000 1\1\r\n", &v);
	exp_is(&v, AF_INET6, "fd00:1::2", 5000, "irc IPv6: DCC SEND with a textual address");
	pt_seg(&dp, &c, 0, PRIV "SEND f fd00:1::3 5001 1\1\r\n", &v);
	tap_ok(!v.has_exp, "irc IPv6: another host's address is forged");
	pt_seg(&dp, &c, 0, PRIV "SEND f 167772418 5002 1\1\r\n", &v);
	tap_ok(!v.has_exp, "irc IPv6: an IPv4 number on an IPv6 connection opens nothing");
	dispatch_free(&dp);
	dispatch_init(&dp, &irc_proto, &cfg);
	qmsg_conn_init(&c, AF_INET6, "fd00:1::2", 40000, "fd00:2::2", 6667, "fd00:2::1", 205);
	pt_handshake(&dp, &c);
	pt_seg(&dp, &c, 0, PRIV "SEND f fd00:1::2 5000 1\1\r\n", &v);
	pt_payload_is(&v, PRIV "SEND f fd00:2::1 5000 1\1\r\n", "irc IPv6 NAT: address rewritten as text");
	dispatch_free(&dp);
}

void test_irc(void)
{
	test_plain();
	test_nat();
	test_v6();
}
