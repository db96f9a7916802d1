// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for dgram: a UDP datagram rewritten from an edit set (and a new destination port),
 * IPv4 and IPv6; every result's lengths and checksums recomputed here independently of pkt.c,
 * and checked with pkt_l4_csum_ok too; hostile sets and packets fail without output. */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "dgram.h"
#include "qmsg.h"
#include "stream.h"
#include "tap.h"

_Static_assert(DGRAM_PKT_MAX == STREAM_PKT_MAX, "UDP and TCP rewrites share the netlink limit");

static struct edit_set es;
static uint8_t in[70000], out[70000];

static uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* RFC 1071 written out again: the ones' complement of the ones' complement sum of 16-bit
 * words, a trailing odd byte padded with zero. */
static uint32_t ref_add(uint32_t acc, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		acc += i % 2 ? b[i] : (uint32_t)b[i] << 8;
	return acc;
}

static uint16_t ref_fold(uint32_t acc)
{
	while (acc > 0xffff)
		acc = (acc >> 16) + (acc & 0xffff);
	return (uint16_t)~acc;
}

/* The UDP checksum of the datagram at b (n bytes, l4 at l4off) as RFC 768 / RFC 8200 8.1 build
 * it: pseudo-header, then the UDP header with its checksum field zero, then the payload. */
static uint16_t ref_udp_csum(const uint8_t *b, uint32_t n, uint32_t l4off, int v6)
{
	uint8_t ph[40] = { 0 };
	uint32_t ulen = n - l4off, acc;
	uint8_t hdr[8];
	uint16_t c;

	if (v6) {
		memcpy(ph, b + 8, 32);
		ph[32 + 2] = (uint8_t)(ulen >> 8), ph[32 + 3] = (uint8_t)ulen, ph[39] = IPPROTO_UDP;
		acc = ref_add(0, ph, 40);
	} else {
		memcpy(ph, b + 12, 8);
		ph[9] = IPPROTO_UDP, ph[10] = (uint8_t)(ulen >> 8), ph[11] = (uint8_t)ulen;
		acc = ref_add(0, ph, 12);
	}
	memcpy(hdr, b + l4off, 8);
	hdr[6] = hdr[7] = 0;
	acc = ref_add(acc, hdr, 8);
	c = ref_fold(ref_add(acc, b + l4off + 8, ulen - 8));
	return c ? c : 0xffff;
}

/* Everything a rewritten datagram must be: the payload and port wanted, the addresses and
 * source port of the original, lengths, checksums (or none, when zero_csum). */
static void check(const char *desc, int n, const uint8_t *orig, const char *payload, uint16_t dport,
		  bool zero_csum)
{
	struct pkt p, o;
	int v6 = orig[0] >> 4 == 6;
	uint32_t l4;
	uint8_t ip[60];

	if (!tap_ok(n > 0, "%s: rewritten (%d)", desc, n) ||
	    !tap_ok(pkt_parse(out, (uint32_t)n, &p) == 0 && p.l4 == IPPROTO_UDP, "%s: parses as UDP", desc))
		return;
	pkt_parse(orig, v6 ? 40U + rd16(orig + 4) : rd16(orig + 2), &o);
	l4 = p.l4off;
	tap_bytes(out + p.off, p.len, payload, strlen(payload), desc);
	tap_ok(rd16(out + l4 + 2) == dport && rd16(out + l4) == rd16(orig + o.l4off) &&
	       !memcmp(out + (v6 ? 8 : 12), orig + (v6 ? 8 : 12), v6 ? 32 : 8),
	       "%s: destination port %u, source port and addresses kept", desc, dport);
	tap_ok((v6 ? 40U + rd16(out + 4) : rd16(out + 2)) == (uint32_t)n && rd16(out + l4 + 4) == n - l4,
	       "%s: IP and UDP lengths", desc);
	if (!v6) {
		memcpy(ip, out, l4);
		ip[10] = ip[11] = 0;
		tap_ok(rd16(out + 10) == ref_fold(ref_add(0, ip, l4)), "%s: IPv4 header checksum", desc);
	}
	if (zero_csum)
		tap_ok(rd16(out + l4 + 6) == 0, "%s: no UDP checksum, as sent", desc);
	else
		tap_ok(rd16(out + l4 + 6) == ref_udp_csum(out, (uint32_t)n, l4, v6) && pkt_l4_csum_ok(out, (uint32_t)n),
		       "%s: UDP checksum (recomputed, and pkt_l4_csum_ok)", desc);
}

/* A SIP-shaped datagram client -> server (5062 -> 5060); p parsed. */
static uint32_t build(uint8_t l3, const char *payload, struct pkt *p)
{
	struct qmsg_conn c;
	uint32_t n;

	if (l3 == AF_INET)
		qmsg_conn_init(&c, AF_INET, "10.0.1.2", 5062, "10.0.2.2", 5060, NULL, 1);
	else
		qmsg_conn_init(&c, AF_INET6, "fd00:1::2", 5062, "fd00:2::2", 5060, NULL, 1);
	c.ct.tuple[0].l4 = c.ct.tuple[1].l4 = IPPROTO_UDP;
	n = qmsg_udp(in, &c, CT_DIR_ORIGINAL, payload, (uint32_t)strlen(payload));
	pkt_parse(in, n, p);
	return n;
}

static int add(uint64_t off, uint32_t len, const char *text)
{
	return edit_set_add(&es, off, len, text, (uint32_t)strlen(text));
}

static void test_edits(void)
{
	static const char v4[] = "REGISTER sip:10.0.1.2 SIP/2.0\r\nVia: 10.0.1.2:5062\r\n"
				 "Content-Length: 3\r\n\r\nabc";
	static const char v6[] = "Via: [fd00:1::2]:5062\r\nContact: <sip:[fd00:1::2]:5062>\r\n"
				 "Content-Length: 0\r\n\r\n";
	struct pkt p;
	int n;

	build(AF_INET, v4, &p);
	dgram_edits_init(&es, &p);
	edit_set_begin(&es);	/* Content-Length first, as nf_nat_sip fixes it last in the message */
	tap_ok(!add(67, 1, "13") && !add(36, 13, "203.0.113.200:1024") && !add(13, 8, "203.0.113.200") &&
	       !add(72, 3, "abcdefghijklm"), "dgram IPv4: four edits recorded out of order");
	tap_ok(edit_set_commit(&es) == 0, "dgram IPv4: the message is kept");
	n = dgram_rewrite(in, &p, &es, -1, out, sizeof(out));
	check("dgram IPv4 grow, edits sorted", n, in, "REGISTER sip:203.0.113.200 SIP/2.0\r\n"
	      "Via: 203.0.113.200:1024\r\nContent-Length: 13\r\n\r\nabcdefghijklm", 5060, false);

	build(AF_INET6, v6, &p);
	dgram_edits_init(&es, &p);
	tap_ok(!add(37, 16, "[::1]:5") && !add(5, 16, "[::1]:5"), "dgram IPv6: two edits recorded out of order");
	n = dgram_rewrite(in, &p, &es, -1, out, sizeof(out));
	check("dgram IPv6 shrink", n, in, "Via: [::1]:5\r\nContact: <sip:[::1]:5>\r\nContent-Length: 0\r\n\r\n",
	      5060, false);

	build(AF_INET, "SIP/2.0 200 OK\r\n", &p);
	dgram_edits_init(&es, &p);
	tap_ok(!add(16, 0, "\r\n") && !add(0, 0, "X:") && !add(3, 4, "") && !add(0, 0, "Y"),
	       "dgram: insertions and a deletion recorded");
	n = dgram_rewrite(in, &p, &es, -1, out, sizeof(out));
	check("dgram: insertions at both ends (in recording order) and a deletion", n, in, "X:YSIP 200 OK\r\n\r\n",
	      5060, false);
}

static void test_port(void)
{
	static const char *const pl = "OPTIONS sip:x SIP/2.0\r\n\r\n";
	uint8_t l3[2] = { AF_INET, AF_INET6 };
	struct pkt p;
	int n;

	for (int i = 0; i < 2; i++) {
		const char *v = i ? "IPv6" : "IPv4";
		char d[64];

		build(l3[i], pl, &p);
		dgram_edits_init(&es, &p);
		n = dgram_rewrite(in, &p, &es, 5070, out, sizeof(out));
		snprintf(d, sizeof(d), "dgram %s: port change alone", v);
		check(d, n, in, pl, 5070, false);
		tap_ok(n > 0 && !memcmp(out + p.off, in + p.off, p.len) &&
		       rd16(out + p.l4off + 6) != rd16(in + p.l4off + 6), "dgram %s: the checksum follows the port", v);
		tap_ok(!add(8, 5, "sip:yy"), "dgram %s: an edit", v);
		n = dgram_rewrite(in, &p, &es, 0, out, sizeof(out));
		snprintf(d, sizeof(d), "dgram %s: port change plus an edit", v);
		check(d, n, in, "OPTIONS sip:yy SIP/2.0\r\n\r\n", 0, false);
	}
}

/* An IPv4 datagram sent without a checksum is rewritten without one (nf_nat_mangle_udp_packet);
 * IPv6 knows no such datagram: a zero there gets a computed checksum. */
static void test_zero_csum(void)
{
	struct pkt p;
	int n;

	build(AF_INET, "INVITE sip:a@10.0.1.2 SIP/2.0\r\n", &p);
	in[p.l4off + 6] = in[p.l4off + 7] = 0;
	dgram_edits_init(&es, &p);
	add(13, 8, "192.0.2.77");
	n = dgram_rewrite(in, &p, &es, 5080, out, sizeof(out));
	check("dgram IPv4 zero checksum", n, in, "INVITE sip:a@192.0.2.77 SIP/2.0\r\n", 5080, true);

	build(AF_INET6, "INVITE sip:a@[fd00:1::2] SIP/2.0\r\n", &p);
	in[p.l4off + 6] = in[p.l4off + 7] = 0;
	dgram_edits_init(&es, &p);
	add(14, 9, "::2");
	n = dgram_rewrite(in, &p, &es, -1, out, sizeof(out));
	check("dgram IPv6 zero checksum computed", n, in, "INVITE sip:a@[::2] SIP/2.0\r\n", 5060, false);
}

static void test_hostile(void)
{
	static char big[65600];
	struct pkt p, t;
	uint32_t len;
	int n;

	len = build(AF_INET, "0123456789", &p);
	edit_set_init(&es, 0, 1000);	/* a set not made for this payload */
	add(500, 1, "x");
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, sizeof(out)) == -EINVAL, "dgram: an edit past the payload fails");
	edit_set_init(&es, 0, 1000);
	add(8, 3, "x");
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, sizeof(out)) == -EINVAL,
	       "dgram: an edit running past the end fails");

	dgram_edits_init(&es, &p);
	add(2, 4, "ab");
	add(7, 1, "c");
	es.e[1].off = 4;	/* overlapping: only a set written by hand can hold it */
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, sizeof(out)) == -EINVAL, "dgram: overlapping edits fail");
	es.e[1].off = 0;
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, sizeof(out)) == -EINVAL, "dgram: edits out of order fail");
	es.e[1].text_off = EDIT_SET_TEXT;
	es.e[1].off = 7;
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, sizeof(out)) == -EINVAL, "dgram: text outside the set fails");

	dgram_edits_init(&es, &p);
	tap_ok(dgram_rewrite(in, &p, &es, 65536, out, sizeof(out)) == -EINVAL, "dgram: a port above 65535 fails");
	tap_ok(pkt_parse(in, len - 1, &t) < 0, "dgram: a truncated datagram does not parse (nothing to rewrite)");
	in[p.l4off + 5]++;
	tap_ok(pkt_parse(in, len, &t) < 0, "dgram: a UDP length that disagrees with the packet does not parse");
	in[p.l4off + 5]--;
	t = p;
	t.l4 = IPPROTO_TCP;
	tap_ok(dgram_rewrite(in, &t, &es, -1, out, sizeof(out)) == -EINVAL, "dgram: not UDP fails");
	add(0, 0, "x");
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, len) == -ENOSPC, "dgram: output too small fails");

	edit_set_begin(&es);	/* a message that failed: none of it */
	add(5, 1, "y");
	tap_ok(add(4, 3, "z") == -EINVAL && edit_set_commit(&es) == -EINVAL,
	       "dgram: a message voided by an overlap");
	edit_set_begin(&es);	/* and one never committed */
	add(9, 1, "w");
	n = dgram_rewrite(in, &p, &es, -1, out, sizeof(out));
	check("dgram: only committed messages", n, in, "x0123456789", 5060, false);

	memset(big, 'a', sizeof(big) - 1);
	big[65500 - 28] = 0;	/* 65500 bytes in all */
	len = build(AF_INET, big, &p);
	dgram_edits_init(&es, &p);
	add(0, 0, "0123456789012345678901234567890");	/* 31 more: 65531 */
	n = dgram_rewrite(in, &p, &es, -1, out, sizeof(out));
	tap_ok(len == 65500 && n == (int)DGRAM_PKT_MAX, "dgram: a datagram growing to the netlink limit is written");
	add(0, 0, "!");
	tap_ok(dgram_rewrite(in, &p, &es, -1, out, sizeof(out)) == -ENOSPC,
	       "dgram: one byte past the netlink limit fails");
}

/* dgram_emit gives the result to the verdict, or leaves it alone. */
static void test_emit(void)
{
	struct ct_info ct = { .id = 7 };
	struct help_ctx ctx = { .ct = &ct, .data = in, .out = out, .out_cap = sizeof(out) };
	struct help_result res = { 0 };

	build(AF_INET, "BYE sip:10.0.1.2 SIP/2.0\r\n", &ctx.pkt);
	dgram_edits_init(&es, &ctx.pkt);
	tap_ok(dgram_emit(&ctx, &es, 5060, &res) == 0 && !res.payload, "dgram emit: nothing to change, no payload");
	add(8, 8, "192.0.2.1");
	tap_ok(dgram_emit(&ctx, &es, -1, &res) == 0 && res.payload == out,
	       "dgram emit: the verdict carries the result");
	check("dgram emit", (int)res.payload_len, in, "BYE sip:192.0.2.1 SIP/2.0\r\n", 5060, false);
	res.payload = NULL;
	ctx.out_cap = 40;
	tap_ok(dgram_emit(&ctx, &es, -1, &res) == -ENOSPC && !res.payload,
	       "dgram emit: a failed rewrite leaves the verdict alone (the datagram passes unchanged)");
}

void test_dgram(void)
{
	test_edits();
	test_port();
	test_zero_csum();
	test_hostile();
	test_emit();
}
