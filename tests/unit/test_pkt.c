// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for pkt: parsing, payload rewriting, lengths and checksums, on real captured packets. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "pkt.h"
#include "tap.h"

/* Frame 140 of tests/corpus/ftp/suricata-ipv4-port-pasv.pcap (OISF/suricata-verify, MIT),
 * Ethernet header removed: "PORT 172,23,0,3,178,241\r\n" with its real TCP checksum. */
static const char v4_port_hex[] =
	"4500004dcb17400040061760ac170003ac170002ea4e0015b76e6c77fd5fdd568018003fc944000001"
	"01080ae7f30bcc6b22799f504f5254203137322c32332c302c332c3137382c3234310d0a";
/* Frame 90 of tests/corpus/ftp/zeek-ipv6-eprt-epsv.pcap (zeek/zeek, BSD), Ethernet removed:
 * "EPRT |2|2001:470:1f11:81f:c999:d94:aa7c:2e3e|49189|\r\n". */
static const char v6_eprt_hex[] =
	"6000000000550640200104701f11081fc9990d94aa7c2e3e20010470486700990000000000000021c021"
	"0015268a7ef6067303ca8018804c9ddb00000101080a3a022e630000002345505254207c327c32303031"
	"3a3437303a316631313a3831663a633939393a6439343a616137633a326533657c34393138397c0d0a";

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		unsigned v;

		sscanf(hex, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void test_parse_real(void)
{
	uint8_t b[256];
	size_t n = unhex(v4_port_hex, b);
	struct pkt p;

	tap_ok(pkt_parse(b, (uint32_t)n, &p) == 0, "pkt: IPv4 PORT segment parses");
	tap_ok(p.family == AF_INET && p.l4 == IPPROTO_TCP && p.l4off == 20 && p.off == 52 && p.len == 25,
	       "pkt: IPv4 offsets (l4 20, payload 52+25)");
	TAP_EQ_U(p.seq, 0xb76e6c77, "pkt: IPv4 TCP sequence number");
	tap_ok(pkt_l4_csum_ok(b, (uint32_t)n), "pkt: captured IPv4 TCP checksum verifies");
	n = unhex(v6_eprt_hex, b);
	tap_ok(pkt_parse(b, (uint32_t)n, &p) == 0, "pkt: IPv6 EPRT segment parses");
	tap_ok(p.family == AF_INET6 && p.l4off == 40 && p.off == 72 && p.len == 53,
	       "pkt: IPv6 offsets (l4 40, payload 72+53)");
	tap_ok(pkt_l4_csum_ok(b, (uint32_t)n), "pkt: captured IPv6 TCP checksum verifies");
}

/* Rewrite [off, off+len) of the payload of hex's packet with rep, check the result. */
static void check_rewrite(const char *desc, const char *hex, uint32_t off, uint32_t len, const char *rep,
			  const char *want_payload)
{
	uint8_t in[256], out[512];
	size_t n = unhex(hex, in);
	struct pkt p, q;
	struct pkt_edit e = { off, len, (const uint8_t *)rep, (uint32_t)strlen(rep) };
	int w;

	pkt_parse(in, (uint32_t)n, &p);
	w = pkt_rewrite(in, &p, &e, 1, out, sizeof(out));
	if (!tap_ok(w > 0, "%s: rewrite succeeds", desc))
		return;
	tap_ok(pkt_parse(out, (uint32_t)w, &q) == 0, "%s: result parses (lengths consistent)", desc);
	tap_bytes(out + q.off, q.len, want_payload, strlen(want_payload), desc);
	tap_ok(pkt_l4_csum_ok(out, (uint32_t)w), "%s: TCP checksum verifies", desc);
	if (p.family == AF_INET)
		tap_ok(pkt_csum_fold(pkt_csum_add(0, out, 20)) == 0, "%s: IPv4 header checksum verifies", desc);
}

static void test_rewrite(void)
{
	uint8_t in[256], out[512];
	size_t n = unhex(v4_port_hex, in);
	struct pkt p;
	struct pkt_edit same = { 5, 18, (const uint8_t *)"172,23,0,3,178,241", 18 };
	int w;

	pkt_parse(in, (uint32_t)n, &p);
	w = pkt_rewrite(in, &p, &same, 1, out, sizeof(out));
	/* The strongest checksum test: rewriting nothing reproduces the captured bytes. */
	tap_bytes(out, w > 0 ? (size_t)w : 0, in, n, "pkt: identity rewrite reproduces the capture");
	check_rewrite("pkt: shrink IPv4", v4_port_hex, 5, 18, "10,0,0,1,178,241", "PORT 10,0,0,1,178,241\r\n");
	check_rewrite("pkt: grow IPv4", v4_port_hex, 5, 18, "203,113,100,200,178,241",
		      "PORT 203,113,100,200,178,241\r\n");
	check_rewrite("pkt: cut the payload to nothing", v4_port_hex, 0, 25, "", "");
	check_rewrite("pkt: insert in front", v4_port_hex, 0, 0, "NOOP\r\n", "NOOP\r\nPORT 172,23,0,3,178,241\r\n");
	check_rewrite("pkt: IPv6 EPRT", v6_eprt_hex, 5, 46, "|2|fd00::1|49189|", "EPRT |2|fd00::1|49189|\r\n");
}

/* A retransmission moved for the kernel's sequence correction: seq set, checksums right, the
 * rest untouched; setting the old number back gives the original bytes. */
static void test_set_seq(void)
{
	static const char *const hex[2] = { v4_port_hex, v6_eprt_hex };

	for (unsigned i = 0; i < 2; i++) {
		uint8_t in[256], out[256];
		uint32_t n = (uint32_t)unhex(hex[i], in);
		struct pkt p, q;

		pkt_parse(in, n, &p);
		memcpy(out, in, n);
		pkt_set_seq(out, &p, n, p.seq - 1);
		tap_ok(pkt_parse(out, n, &q) == 0 && q.seq == p.seq - 1 && pkt_l4_csum_ok(out, n) &&
		       !memcmp(out + p.off, in + p.off, p.len), "pkt: IPv%d sequence number set, checksum "
		       "verifies, payload kept", i ? 6 : 4);
		pkt_set_seq(out, &p, n, p.seq);
		tap_bytes(out, n, in, n, i ? "pkt: IPv6 sequence number set back: the capture again" :
			  "pkt: IPv4 sequence number set back: the capture again");
	}
}

static void test_hostile(void)
{
	uint8_t b[256], out[512];
	size_t n = unhex(v4_port_hex, b);
	struct pkt p;
	struct pkt_edit e[2] = { { 10, 5, (const uint8_t *)"x", 1 }, { 8, 1, (const uint8_t *)"y", 1 } };

	tap_ok(pkt_parse(b, 19, &p) < 0, "pkt: truncated IPv4 header refused");
	tap_ok(pkt_parse(b, (uint32_t)n - 1, &p) < 0, "pkt: total length mismatch refused");
	b[0] = 0x44;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: IHL below 5 refused");
	b[0] = 0x4f;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: IHL past the TCP header refused");
	b[0] = 0x45;
	b[6] = 0x20;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: fragment (MF) refused");
	b[6] = 0x40;
	b[32] = 0xf0;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: TCP data offset past the end refused");
	b[32] = 0x80;
	b[9] = IPPROTO_ICMP;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: not TCP/UDP refused");
	b[9] = IPPROTO_TCP;
	pkt_parse(b, (uint32_t)n, &p);
	tap_ok(pkt_rewrite(b, &p, e, 2, out, sizeof(out)) == -EINVAL, "pkt: unsorted edits refused");
	e[0].off = 20;
	e[0].len = 10;
	tap_ok(pkt_rewrite(b, &p, e, 1, out, sizeof(out)) == -EINVAL, "pkt: edit past the payload refused");
	e[0].len = 1;
	tap_ok(pkt_rewrite(b, &p, e, 1, out, 60) == -ENOSPC, "pkt: output too small refused");

	n = unhex(v6_eprt_hex, b);
	b[6] = IPPROTO_DSTOPTS;	/* an extension header whose length runs past the packet */
	b[40] = IPPROTO_TCP;
	b[41] = 200;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: IPv6 extension header past the end refused");
	b[6] = IPPROTO_FRAGMENT;
	tap_ok(pkt_parse(b, (uint32_t)n, &p) < 0, "pkt: IPv6 fragment refused");
}

void test_pkt(void)
{
	test_parse_real();
	test_rewrite();
	test_set_seq();
	test_hostile();
}
