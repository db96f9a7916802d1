// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the TFTP helper end to end in userspace: queued datagram → dispatch → verdict,
 * IPv4 and IPv6, NAT and not, malformed requests refused, replies and data left alone. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "capture.h"
#include "dispatch.h"
#include "pkt.h"
#include "pkttest.h"
#include "qmsg.h"
#include "tap.h"
#include "tftp_parser.h"

extern const struct helper_proto tftp_proto;

static struct helper_cfg cfg = {
	.name = "tftp", .queue = 69, .policy = { { "tftp", 1, 300 } }, .max_conns = 64,
};
static uint32_t next_id = 1;
static uint8_t pktbuf[PKT_MAX], msgbuf[PKT_MAX + 4096] __attribute__((aligned(4)));

/* A client:sport -> server:69 UDP conntrack with the tftp helper; under NAT the router
 * (nat) masquerades the client and moves its port to nat_port. */
static void conn(struct qmsg_conn *c, uint8_t l3, const char *client, const char *server,
		 const char *nat, uint16_t nat_port)
{
	qmsg_conn_init(c, l3, client, 40000, server, 69, nat, next_id);
	c->ct.tuple[0].l4 = c->ct.tuple[1].l4 = IPPROTO_UDP;
	strcpy(c->ct.helper, "tftp");
	if (nat)
		c->ct.tuple[CT_DIR_REPLY].dport = nat_port;
}

/* One datagram through dispatch; the verdict decoded into v.  False if none came back. */
static bool dgram(struct dispatch *dp, struct qmsg_conn *c, int dir, const void *data, size_t len,
		  struct qmsg_verdict *v, struct help_result *res)
{
	uint32_t n = qmsg_udp(pktbuf, c, dir, data, (uint32_t)len);
	struct nlmsghdr *nlh;
	const struct nlmsghdr *out;

	if (!c->kernel.bound)
		kstore_bind(&c->kernel, dp->proto);
	nlh = qmsg_packet(msgbuf, sizeof(msgbuf), c, dir, next_id++, pktbuf, n);
	out = nlh ? dispatch_packet(dp, nlh, 1, res) : NULL;
	if (out)
		pt_kernel_apply(c, out);
	return out && qmsg_verdict_decode(out, v) == 0 && v->id == next_id - 1;
}

#define D(s) (const void *)(s), sizeof(s) - 1

static bool addr_is(const union ct_addr *a, uint8_t l3, const char *want)
{
	union ct_addr w;

	memset(&w, 0, sizeof(w));
	inet_pton(l3, want, w.all);
	return !memcmp(a->all, w.all, 16);
}

/* The verdict accepts the datagram unchanged and opens nothing. */
static void nothing(const struct qmsg_verdict *v, bool got, const char *desc)
{
	tap_ok(got && v->verdict == NF_ACCEPT && !v->payload && !v->has_exp && !v->has_ct,
	       "%s: accepted unchanged, no expectation", desc);
}

/* The kernel's TFTP expectation: from the server (any port) to where the client's request
 * came from as the server saw it, class 0, UDP; exact addresses and port. */
static void expect_is(const struct qmsg_verdict *v, bool got, uint8_t l3, const char *src,
		      const char *dst, uint16_t dport, const char *desc)
{
	unsigned alen = l3 == AF_INET ? 4 : 16;
	uint8_t ones[16];

	memset(ones, 0xff, sizeof(ones));
	if (!tap_ok(got && v->verdict == NF_ACCEPT && v->has_exp, "%s: accepted with an expectation", desc))
		return;
	tap_ok(v->exp_tuple.l3 == l3 && v->exp_tuple.l4 == IPPROTO_UDP && addr_is(&v->exp_tuple.src, l3, src) &&
	       addr_is(&v->exp_tuple.dst, l3, dst) && v->exp_tuple.sport == 0 && v->exp_tuple.dport == dport,
	       "%s: tuple udp %s any port -> %s port %u (got port %u)", desc, src, dst, dport, v->exp_tuple.dport);
	tap_ok(!memcmp(v->exp_mask.src.all, ones, alen) && !memcmp(v->exp_mask.dst.all, ones, alen) &&
	       v->exp_mask.sport == 0 && v->exp_mask.dport == 0xffff,
	       "%s: mask: exact addresses and destination port, any source port", desc);
	TAP_EQ_U(v->exp_class, 0, "expectation class 0 (the policy \"tftp\")");
	tap_ok(v->has_ct && !v->payload, "%s: NFQA_CT names the helper, payload not rewritten", desc);
}

static void test_plain(uint8_t l3, const char *client, const char *server)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	struct help_result res;
	char desc[64];
	bool got;

	dispatch_init(&dp, &tftp_proto, &cfg);
	conn(&c, l3, client, server, NULL, 0);
	snprintf(desc, sizeof(desc), "tftp %s", l3 == AF_INET ? "IPv4" : "IPv6");
	got = dgram(&dp, &c, 0, D("\0\1file1\0octet\0"), &v, &res);
	expect_is(&v, got, l3, server, client, 40000, "RRQ");
	tap_ok(!v.exp_nat && !v.exp_fn[0], "%s RRQ without NAT: no NAT set-up", desc);
	got = dgram(&dp, &c, 0, D("\0\1file1\0octet\0"), &v, &res);
	expect_is(&v, got, l3, server, client, 40000, "retransmitted RRQ: the same again");
	got = dgram(&dp, &c, 0, D("\0\2up.bin\0netascii\0tsize\0" "12345\0blksize\0" "1428\0"), &v, &res);
	expect_is(&v, got, l3, server, client, 40000, "WRQ with options");
	got = dgram(&dp, &c, 0, D("\0\1f\0octet\0blksize\0" "8\0timeout\0" "1\0windowsize\0" "1\0"), &v, &res);
	expect_is(&v, got, l3, server, client, 40000, "RRQ with the lowest option values");
	got = dgram(&dp, &c, 0, D("\0\1f\0octet\0blksize\0" "65464\0timeout\0" "255\0windowsize\0" "65535\0"), &v, &res);
	expect_is(&v, got, l3, server, client, 40000, "RRQ with the highest option values");
	TAP_EQ_U(dp.stats.refused, 0, "well-formed requests: none refused");
	TAP_EQ_U(dp.stats.expectations, 5, "one expectation per request");
	dispatch_free(&dp);
}

static void test_nat(uint8_t l3, const char *client, const char *server, const char *router)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	struct help_result res;
	bool got;

	dispatch_init(&dp, &tftp_proto, &cfg);
	conn(&c, l3, client, server, router, 61000);
	got = dgram(&dp, &c, 0, D("\0\1pxelinux.0\0octet\0tsize\0" "0\0blksize\0" "1456\0"), &v, &res);
	/* the server answers the router's address and the port masquerading gave the client */
	expect_is(&v, got, l3, server, router, 61000, l3 == AF_INET ? "NAT IPv4 RRQ" : "NAT IPv6 RRQ");
	tap_ok(v.exp_nat && !strcmp(v.exp_fn, "nat-follow-master") && v.nat_dir == CT_DIR_REPLY,
	       "NAT %s: the reply follows the master (nat-follow-master, direction reply, as nf_nat_tftp)",
	       l3 == AF_INET ? "IPv4" : "IPv6");
	tap_ok(addr_is(&v.nat_tuple.src, l3, client) && v.nat_tuple.sport == 40000,
	       "NAT %s: ... on to the client's own address and port 40000 (got %u)",
	       l3 == AF_INET ? "IPv4" : "IPv6", v.nat_tuple.sport);
	got = dgram(&dp, &c, 0, D("\0\1f\0bogus\0"), &v, &res);
	nothing(&v, got, "NAT: malformed RRQ");
	TAP_EQ_U(res.refused, 1, "NAT: the malformed RRQ is refused");
	dispatch_free(&dp);
}

/* Every malformed shape reaches no expectation and is counted; the datagram still passes
 * (fail open: the server answers garbage itself, and its reply finds no pinhole). */
static const struct {
	const char *desc;
	const char *in;
	size_t len;
} refused[] = {
#define R(d, s) { d, s, sizeof(s) - 1 }
	R("empty datagram", ""),
	R("one byte", "\1"),
	R("RRQ opcode alone", "\0\1"),
	R("empty filename", "\0\1\0octet\0"),
	R("unterminated filename", "\0\1file"),
	R("no mode", "\0\2file\0"),
	R("unknown mode", "\0\1file\0binary\0"),
	R("empty option name", "\0\1f\0octet\0\0"),
	R("option without value", "\0\1f\0octet\0blksize\0"),
	R("bad blksize digits", "\0\1f\0octet\0blksize\0" "1k\0"),
	R("blksize given twice", "\0\1f\0octet\0blksize\0" "512\0blksize\0" "512\0"),
	R("blksize 7 (RFC 2348: 8 at least)", "\0\1f\0octet\0blksize\0" "7\0"),
	R("blksize 65465 (RFC 2348: 65464 at most)", "\0\1f\0octet\0blksize\0" "65465\0"),
	R("timeout 0 (RFC 2349: 1 at least)", "\0\1f\0octet\0timeout\0" "0\0"),
	R("timeout 256 (RFC 2349: 255 at most)", "\0\1f\0octet\0timeout\0" "256\0"),
	R("windowsize 0 (RFC 7440: 1 at least)", "\0\1f\0octet\0windowsize\0" "0\0"),
	R("the heap-overflow capture's RRQ", "\0\1" "00"),
#undef R
};

static void test_refused(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	struct help_result res;
	uint8_t big[600];
	unsigned n = 0;
	char desc[96];
	bool got;

	dispatch_init(&dp, &tftp_proto, &cfg);
	conn(&c, AF_INET, "10.0.1.2", "10.0.2.2", NULL, 0);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++, n++) {
		snprintf(desc, sizeof(desc), "refused: %s", refused[i].desc);
		got = dgram(&dp, &c, 0, refused[i].in, refused[i].len, &v, &res);
		nothing(&v, got, desc);
		TAP_EQ_U(res.refused, 1, desc);
	}
	memset(big, 'a', sizeof(big));
	big[0] = 0, big[1] = 2;
	memcpy(big + 2 + 504, "\0octet", 7);
	got = dgram(&dp, &c, 0, big, 513, &v, &res);
	nothing(&v, got, "refused: a WRQ of 513 bytes");
	TAP_EQ_U(res.refused, 1, "refused: a WRQ of 513 bytes");
	n++;
	TAP_EQ_U(dp.stats.refused, n, "every refusal counted in the daemon's statistics");
	TAP_EQ_U(dp.stats.expectations, 0, "no expectation for any of them");
	dispatch_free(&dp);
}

/* What flows on the master besides requests opens nothing and refuses nothing. */
static void test_others(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	struct help_result res;
	bool got;

	dispatch_init(&dp, &tftp_proto, &cfg);
	conn(&c, AF_INET6, "fd00:1::2", "fd00:2::2", NULL, 0);
	got = dgram(&dp, &c, 1, D("\0\5\0\1File not found\0"), &v, &res);
	nothing(&v, got, "ERROR from the server's port 69");
	got = dgram(&dp, &c, 1, D("\0\6blksize\0" "512\0"), &v, &res);
	nothing(&v, got, "OACK from port 69");
	got = dgram(&dp, &c, 1, D("\0\3\0\1data"), &v, &res);
	nothing(&v, got, "DATA from port 69");
	got = dgram(&dp, &c, 0, D("\0\4\0\1"), &v, &res);
	nothing(&v, got, "ACK to port 69");
	got = dgram(&dp, &c, 0, D("\0\7whatever\0"), &v, &res);
	nothing(&v, got, "unknown opcode 7");
	TAP_EQ_U(dp.stats.refused, 0, "replies and data are not refusals");
	/* The kernel opens the same pinhole for an RRQ from the server's side; we do not. */
	got = dgram(&dp, &c, 1, D("\0\1file1\0octet\0"), &v, &res);
	nothing(&v, got, "RRQ from the server's side");
	TAP_EQ_U(res.refused, 1, "RRQ from the server's side is refused");
	dispatch_free(&dp);
}

/* The captures' master datagrams (client to port 69) replayed through the packet path. */
static void test_corpus(void)
{
	static const struct {
		const char *name;
		bool open;
	} caps[] = {
		{ "spicy-rrq-blksize-oack", true },
		{ "tcpdump-rrq", true },
		{ "tcpdump-heapoverflow-malformed", false },
	};
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	struct help_result res;
	struct capture cap;
	char path[128];

	dispatch_init(&dp, &tftp_proto, &cfg);
	conn(&c, AF_INET, "192.168.1.2", "192.168.1.1", NULL, 0);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		snprintf(path, sizeof(path), "../corpus/tftp/%s.txt", caps[i].name);
		if (!tap_ok(capture_load(&cap, path) == 0 && cap.n, "load %s", path))
			continue;
		/* the first datagram is the one that made the conntrack: its original direction */
		bool got = dgram(&dp, &c, 0, cap.seg[0].data, cap.seg[0].len, &v, &res);

		if (caps[i].open)
			expect_is(&v, got, AF_INET, "192.168.1.1", "192.168.1.2", 40000, caps[i].name);
		else
			nothing(&v, got, caps[i].name);
		TAP_EQ_U(res.refused, !caps[i].open, caps[i].name);
		capture_free(&cap);
	}
	dispatch_free(&dp);
}

void test_tftp(void)
{
	TAP_EQ_U(tftp_proto.nl4 == 1 ? tftp_proto.l4[0].proto : 0, IPPROTO_UDP, "tftp: UDP");
	TAP_EQ_U(tftp_proto.default_queue, 69, "tftp: default queue 69");
	tap_ok(!strcmp(tftp_proto.name, "tftp") && tftp_proto.npolicy == 1 &&
	       !strcmp(tftp_proto.policy[0].name, "tftp") && tftp_proto.policy[0].max_expected == 1 &&
	       tftp_proto.policy[0].timeout == 300, "tftp: policy as nf_conntrack_tftp (1 expectation, 300 s)");
	test_plain(AF_INET, "10.0.1.2", "10.0.2.2");
	test_plain(AF_INET6, "fd00:1::2", "fd00:2::2");
	test_nat(AF_INET, "10.0.1.2", "10.0.2.2", "10.0.2.1");
	test_nat(AF_INET6, "fd00:1::2", "fd00:2::2", "fd00:2::1");
	test_refused();
	test_others();
	test_corpus();
}
