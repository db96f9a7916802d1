/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_sip_parser: hand-made SIP/SDP messages (each also fed cut at every byte and byte by
 * byte by the shared split harness, over TCP and as a UDP datagram in pieces) and every SIP
 * capture of tests/corpus, checking values and exact spans. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"
#include "split_sip.h"
#include "tap.h"

#define MAXR 64

static struct split_rec whole_rec[MAXR];
static struct split_run whole = { .rec = whole_rec, .cap = MAXR };

/* The input being checked, for span checks: its stream offset and bytes. */
static const uint8_t *in_d;
static size_t in_len;
static uint64_t in_pos;

static bool span_is(struct sip_span s, const char *want, const char *desc)
{
	size_t wl = strlen(want);
	bool ok = s.len == wl && s.off >= in_pos && s.off + s.len <= in_pos + in_len &&
		  !memcmp(in_d + (s.off - in_pos), want, wl);

	if (!ok && s.off >= in_pos && s.off + s.len <= in_pos + in_len)
		tap_diag("%s: span %llu+%u is \"%.*s\"", desc, (unsigned long long)s.off, s.len,
			 (int)s.len, in_d + (s.off - in_pos));
	return tap_ok(ok, "%s: span is \"%s\"", desc, want);
}

static bool addr_is(uint8_t family, const uint8_t *a, const char *want, const char *desc)
{
	char buf[64] = "-";

	if (family)
		inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	return tap_ok(!strcmp(buf, want), "%s: address %s (want %s)", desc, buf, want);
}

static void hp_is(const struct sip_hostport *h, const char *text, const char *addr,
		  unsigned port, const char *desc)
{
	char d[160];

	snprintf(d, sizeof(d), "%s hostport", desc);
	span_is(h->text, text, d);
	addr_is(h->family, h->addr, addr, d);
	TAP_EQ_U(h->port, port, d);
}

/* Parse s one-shot (TCP: sip_parser_execute once; UDP: one datagram) into *m, after checking
 * that every way of feeding it agrees.  Returns the first result. */
static enum sip_result parse(const char *desc, const char *s, size_t len, bool dgram,
			     struct sip_msg *m, enum sip_bad *bad)
{
	static struct sip_parser p;
	struct split_sip_arg arg = { 1000 };
	size_t used;
	enum sip_result r;

	in_d = (const uint8_t *)s;
	in_len = len;
	in_pos = arg.pos;
	split_check(dgram ? &split_sip_udp : &split_sip_tcp, &arg, in_d, len, &whole, desc);
	sip_parser_init(&p, arg.pos, dgram);
	r = sip_parser_execute(&p, in_d, len, &used, m);
	*bad = (enum sip_bad)p.bad;
	/* the one-shot result is the harness's first record */
	if (whole.n) {
		struct split_rec rec;

		split_sip_rec(r, *bad, m, &rec);
		tap_ok(split_rec_equal(&rec, &whole.rec[0]), "%s: execute agrees with the harness",
		       desc);
	}
	return r;
}

#define S(x) x, sizeof(x) - 1

static const char invite[] =
	"INVITE sip:bob@192.0.2.4:5062;transport=tcp SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK77;received=203.0.113.9;rport=4000\r\n"
	"Via: SIP/2.0/TCP 10.0.0.9;branch=x\r\n"
	"From: \"Alice \\\"A\\\"\" <sip:alice@198.51.100.1>;tag=1\r\n"
	"To: Bob <sip:bob@example.com>\r\n"
	"Call-ID: abc@198.51.100.1\r\n"
	"CSeq: 42 INVITE\r\n"
	"Contact: <sip:alice@198.51.100.1:5070;transport=udp>;expires=300, sip:x@[2001:db8::1]:5080\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 140\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 1 1 IN IP4 198.51.100.1\r\n"
	"s=-\r\n"
	"c=IN IP4 198.51.100.2\r\n"
	"t=0 0\r\n"
	"m=audio 49170 RTP/AVP 0\r\n"
	"c=IN IP4 198.51.100.3/127\r\n"
	"m=video 0 TCP/X 1\r\n";

static void invite_case(bool dgram)
{
	const char *d = dgram ? "INVITE with SDP (UDP)" : "INVITE with SDP (TCP)";
	struct sip_msg m;
	enum sip_bad bad;
	enum sip_result r = parse(d, S(invite), dgram, &m, &bad);

	if (!tap_ok(r == SIP_MSG, "%s: SIP_MSG (got %d, %s)", d, r, sip_bad_str(bad)))
		return;
	TAP_EQ_U(m.start, 1000, "start");
	TAP_EQ_U(m.len, sizeof(invite) - 1, "len");
	TAP_EQ_U(m.method, SIP_M_INVITE, "method");
	TAP_EQ_U(m.status, 0, "status");
	hp_is(&m.ruri, "192.0.2.4:5062", "192.0.2.4", 5062, "Request-URI");
	TAP_EQ_U(m.via_transport, SIP_T_UDP, "Via transport");
	hp_is(&m.via, "198.51.100.1:5060", "198.51.100.1", 5060, "Via");
	span_is(m.via.port_text, "5060", "Via port");
	span_is(m.via_received.text, "203.0.113.9", "received");
	addr_is(m.via_received.family, m.via_received.addr, "203.0.113.9", "received");
	tap_ok(m.via_has_rport, "rport");
	span_is(m.via_rport, "4000", "rport");
	TAP_EQ_U(m.via_rport_val, 4000, "rport value");
	hp_is(&m.from, "198.51.100.1", "198.51.100.1", 0, "From");
	hp_is(&m.to, "example.com", "-", 0, "To");
	span_is(m.call_id, "abc@198.51.100.1", "Call-ID");
	TAP_EQ_U(m.cseq, 42, "CSeq");
	TAP_EQ_U(m.cseq_method, SIP_M_INVITE, "CSeq method");
	TAP_EQ_U(m.ncontact, 2, "contacts");
	hp_is(&m.contact[0].uri, "198.51.100.1:5070", "198.51.100.1", 5070, "Contact 0");
	TAP_EQ_U(m.contact[0].transport, SIP_T_UDP, "Contact 0 transport");
	tap_ok(m.contact[0].has_expires && m.contact[0].expires == 300, "Contact 0 expires=300");
	hp_is(&m.contact[1].uri, "[2001:db8::1]:5080", "2001:db8::1", 5080, "Contact 1");
	tap_ok(m.has_clen && m.clen == 140, "Content-Length 140");
	span_is(m.clen_text, "140", "Content-Length");
	tap_ok(m.sdp.present, "SDP present");
	span_is(m.sdp.o.text, "198.51.100.1", "o=");
	addr_is(m.sdp.o.family, m.sdp.o.addr, "198.51.100.1", "o=");
	span_is(m.sdp.c.text, "198.51.100.2", "session c=");
	TAP_EQ_U(m.sdp.nmedia, 2, "media");
	TAP_EQ_U(m.sdp.media[0].type, SDP_MEDIA_AUDIO, "m0 audio");
	TAP_EQ_U(m.sdp.media[0].udp, 1, "m0 RTP/AVP is udp");
	TAP_EQ_U(m.sdp.media[0].port, 49170, "m0 port");
	span_is(m.sdp.media[0].port_text, "49170", "m0 port");
	span_is(m.sdp.media[0].c.text, "198.51.100.3", "m0 c=");
	addr_is(m.sdp.media[0].c.family, m.sdp.media[0].c.addr, "198.51.100.3", "m0 c=");
	TAP_EQ_U(m.sdp.media[1].type, SDP_MEDIA_VIDEO, "m1 video");
	TAP_EQ_U(m.sdp.media[1].udp, 0, "m1 TCP/X not udp");
	TAP_EQ_U(m.sdp.media[1].port, 0, "m1 port 0");
	TAP_EQ_U(m.sdp.media[1].c.family, 0, "m1 no c=");
	TAP_EQ_U(m.body_off, sizeof(invite) - 1 - 140, "body offset");
}

/* Messages with one result each: SIP_MSG, or SIP_BAD for the reason given. */
struct rcase {
	const char *desc;
	bool dgram;
	const char *in;
	size_t len;
	enum sip_result want;
	enum sip_bad why;
};

#define HDRS "Via: SIP/2.0/UDP 192.0.2.1\r\nCSeq: 1 OPTIONS\r\n"
#define OK_T(d, x) { d, false, x, sizeof(x) - 1, SIP_MSG, SIP_BAD_NONE }
#define OK_U(d, x) { d, true, x, sizeof(x) - 1, SIP_MSG, SIP_BAD_NONE }
#define BAD_T(d, x, w) { d, false, x, sizeof(x) - 1, SIP_BAD, SIP_BAD_##w }
#define BAD_U(d, x, w) { d, true, x, sizeof(x) - 1, SIP_BAD, SIP_BAD_##w }

static const struct rcase rcases[] = {
	OK_T("minimal request", "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n"),
	OK_T("bare LF lines", "OPTIONS sip:a@b SIP/2.0\nContent-Length: 0\n\n"),
	OK_U("UDP without Content-Length", "OPTIONS sip:a@b SIP/2.0\r\n" HDRS "\r\nbody"),
	BAD_T("TCP without Content-Length", "OPTIONS sip:a@b SIP/2.0\r\n" HDRS "\r\n", LENGTH),
	BAD_U("UDP Content-Length past the end", "OPTIONS sip:a@b SIP/2.0\r\nl: 5\r\n\r\n"
		"abc", LENGTH),
	BAD_U("UDP no blank line", "OPTIONS sip:a@b SIP/2.0\r\n" HDRS, SYNTAX),
	BAD_T("junk before request", "\x00\x00OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("space before request", " OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("lower-case SIP version", "OPTIONS sip:a@b sip/2.0\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("Content-Length not a number", "OPTIONS sip:a@b SIP/2.0\r\nl: bad\r\n\r\n", SYNTAX),
	BAD_T("Content-Length signed", "OPTIONS sip:a@b SIP/2.0\r\nl: +0\r\n\r\n", SYNTAX),
	BAD_T("Content-Length 2^32", "OPTIONS sip:a@b SIP/2.0\r\nl: 4294967296\r\n\r\n", NUMBER),
	BAD_T("Content-Length over SIP_MSG_MAX", "OPTIONS sip:a@b SIP/2.0\r\nl: 65535\r\n"
		"\r\n", TOO_LONG),
	BAD_T("two Content-Length", "OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nContent-Length: 0\r\n"
		"\r\n", DUPLICATE),
	BAD_T("two CSeq", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 A\r\ncseq: 1 A\r\nl: 0\r\n"
		"\r\n", DUPLICATE),
	BAD_T("two Call-ID", "OPTIONS sip:a@b SIP/2.0\r\ni: a\r\nCall-ID: a\r\nl: 0\r\n"
		"\r\n", DUPLICATE),
	BAD_T("two From", "OPTIONS sip:a@b SIP/2.0\r\nf: <sip:a@b>\r\nFrom: <sip:a@b>\r\nl: 0\r\n"
		"\r\n", DUPLICATE),
	BAD_T("two To", "OPTIONS sip:a@b SIP/2.0\r\nt: <sip:a@b>\r\nTo: <sip:a@b>\r\nl: 0\r\n"
		"\r\n", DUPLICATE),
	OK_T("CSeq 2^31-1", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 2147483647 OPTIONS\r\nl: 0\r\n\r\n"),
	BAD_T("CSeq 2^31", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 2147483648 OPTIONS\r\nl: 0\r\n"
		"\r\n", NUMBER),
	BAD_T("CSeq negative", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: -1 OPTIONS\r\nl: 0\r\n"
		"\r\n", SYNTAX),
	OK_T("Expires 2^32-1", "OPTIONS sip:a@b SIP/2.0\r\nExpires: 4294967295\r\nl: 0\r\n\r\n"),
	BAD_T("Expires 2^32", "OPTIONS sip:a@b SIP/2.0\r\nExpires: 4294967296\r\nl: 0\r\n"
		"\r\n", NUMBER),
	BAD_T("status 99", "SIP/2.0 099 Odd\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("status 700", "SIP/2.0 700 Odd\r\nl: 0\r\n\r\n", NUMBER),
	OK_T("status 699", "SIP/2.0 699 Odd\r\nl: 0\r\n\r\n"),
	BAD_T("status four digits", "SIP/2.0 2000 OK\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("Via port 65536", "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4:65536\r\n"
		"l: 0\r\n\r\n", NUMBER),
	BAD_T("URI port 65536", "OPTIONS sip:a@b:65536 SIP/2.0\r\nl: 0\r\n\r\n", NUMBER),
	OK_T("URI password of digits", "OPTIONS sip:a:999999@b:65535 SIP/2.0\r\nl: 0\r\n\r\n"),
	BAD_T("rport 65536", "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;rport=65536\r\n"
		"l: 0\r\n\r\n", NUMBER),
	BAD_T("Contact expires 2^32", "OPTIONS sip:a@b SIP/2.0\r\n"
		"m: <sip:a@b>;expires=4294967296\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("nine Contacts", "REGISTER sip:b SIP/2.0\r\nm: <sip:1@b>,<sip:2@b>,<sip:3@b>\r\n"
		"m: <sip:4@b>,<sip:5@b>,<sip:6@b>\r\nContact: <sip:7@b>, <sip:8@b>, <sip:9@b>\r\n"
		"l: 0\r\n\r\n", TOO_MANY),
	OK_T("eight Contacts", "REGISTER sip:b SIP/2.0\r\nm: <sip:1@b>,<sip:2@b>,<sip:3@b>\r\n"
		"m: <sip:4@b>,<sip:5@b>,<sip:6@b>\r\nContact: <sip:7@b>, <sip:8@b>\r\nl: 0\r\n"
		"\r\n"),
	BAD_T("Contact * with another", "REGISTER sip:b SIP/2.0\r\nm: *\r\nm: <sip:1@b>\r\n"
		"l: 0\r\n\r\n", SYNTAX),
	BAD_T("header without colon", "OPTIONS sip:a@b SIP/2.0\r\nFoo\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("continuation of the start line", "OPTIONS sip:a@b SIP/2.0\r\n x\r\nl: 0\r\n"
		"\r\n", SYNTAX),
	BAD_T("bare CR in a header", "OPTIONS sip:a@b SIP/2.0\r\nX: a\rb\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("SDP without v=", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 5\r\n\r\n"
		"s=-\r\n", SYNTAX),
	BAD_T("SDP m= port 65536", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 27\r\n\r\n"
		"v=0\r\nm=audio 65536 RTP/AVP 0\r\n", NUMBER),
	BAD_T("SDP nine m=", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 86\r\n\r\nv=0\r\n"
		"m=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\n"
		"m=a 1 x\r\nm=a 1 x\r\n", TOO_MANY),
	BAD_T("SDP two o=", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 53\r\n\r\nv=0\r\n"
		"o=- 1 1 IN IP4 1.2.3.4\r\no=- 1 1 IN IP4 1.2.3.4\r\n", DUPLICATE),
	OK_T("not SDP: body not read", "INVITE sip:a@b SIP/2.0\r\nc: text/plain\r\nl: 5\r\n\r\n"
		"s=-\r\n"),
};

static void result_cases(void)
{
	for (size_t i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		const struct rcase *c = &rcases[i];
		struct sip_msg m;
		enum sip_bad bad;
		enum sip_result r = parse(c->desc, c->in, c->len, c->dgram, &m, &bad);

		tap_ok(r == c->want && (r != SIP_BAD || bad == c->why),
		       "%s: %s %s (want %s %s)", c->desc, r == SIP_MSG ? "MSG" : r == SIP_BAD ? "BAD" : "MORE",
		       r == SIP_BAD ? sip_bad_str(bad) : "", c->want == SIP_MSG ? "MSG" : "BAD",
		       c->want == SIP_BAD ? sip_bad_str(c->why) : "");
		if (r == SIP_BAD)
			TAP_EQ_U(m.start, 1000, "SIP_BAD: start of the message");
	}
}

/* Parse a message that must be whole; false (and a failed check) when it is not. */
static bool msg_ok(const char *desc, const char *in, size_t len, bool dgram, struct sip_msg *m)
{
	enum sip_bad bad;
	enum sip_result r = parse(desc, in, len, dgram, m, &bad);

	return tap_ok(r == SIP_MSG, "%s: SIP_MSG (got %d, %s)", desc, r, sip_bad_str(bad));
}

#define MSG(d, x, dg, m) msg_ok(d, x, sizeof(x) - 1, dg, m)

static void header_forms(void)
{
	struct sip_msg m;

	if (MSG("compact forms", "MESSAGE sip:a@h SIP/2.0\r\nv: SIP/2.0/TCP h:1\r\n"
		"m: <sip:c@1.1.1.1>\r\nf: <sip:f@2.2.2.2>\r\nt: <sip:t@3.3.3.3>\r\n"
		"i: cid\r\nc: application/sdp\r\nl: 0\r\n\r\n", false, &m)) {
		TAP_EQ_U(m.method, SIP_M_MESSAGE, "compact: MESSAGE");
		TAP_EQ_U(m.via_transport, SIP_T_TCP, "v: TCP");
		span_is(m.contact[0].uri.text, "1.1.1.1", "m:");
		span_is(m.from.text, "2.2.2.2", "f:");
		span_is(m.to.text, "3.3.3.3", "t:");
		span_is(m.call_id, "cid", "i:");
		tap_ok(m.has_clen && !m.clen && !m.sdp.present, "l: 0, c: sdp without body");
	}
	if (MSG("names without case, spaces around the colon, folded values",
		"NOTIFY sip:a@h SIP/2.0\r\nVIA :SIP/2.0/UDP\r\n 4.4.4.4:7\r\n\t;rport\r\n"
		"cONTACT\t:  <sip:x@5.5.5.5>\r\ncall-id:\r\n  c1\r\nContent-LENGTH : 0\r\n\r\n",
		false, &m)) {
		TAP_EQ_U(m.method, SIP_M_NOTIFY, "NOTIFY");
		span_is(m.via.text, "4.4.4.4:7", "folded Via sent-by");
		tap_ok(m.via_has_rport && !m.via_rport.len, "folded ;rport, bare");
		span_is(m.contact[0].uri.text, "5.5.5.5", "Contact after TAB colon");
		span_is(m.call_id, "c1", "Call-ID on a continuation line");
	}
	if (MSG("top Via only; params in any order", "BYE sip:a@h SIP/2.0\r\n"
		"Via: SIP/2.0/SCTP h1.example:5060;ttl=3;RECEIVED=9.9.9.9;maddr=8.8.8.8;branch=z;rport=77, "
		"SIP/2.0/UDP 6.6.6.6\r\nVia: SIP/2.0/UDP 7.7.7.7;received=1.1.1.1\r\nl: 0\r\n\r\n",
		false, &m)) {
		TAP_EQ_U(m.via_transport, SIP_T_SCTP, "Via SCTP");
		hp_is(&m.via, "h1.example:5060", "-", 5060, "Via with a name: family 0");
		span_is(m.via_received.text, "9.9.9.9", "received= of the top Via");
		span_is(m.via_maddr.text, "8.8.8.8", "maddr= of the top Via");
		addr_is(m.via_maddr.family, m.via_maddr.addr, "8.8.8.8", "maddr=");
		span_is(m.via_rport, "77", "rport=77 last");
		TAP_EQ_U(m.via_rport_val, 77, "rport value");
	}
	if (MSG("Via IPv6, received= bare IPv6, other transport", "ACK sip:a@h SIP/2.0\r\n"
		"Via: SIP/2.0/WS [2001:db8::1]:8080;received=2001:db8::2\r\nl: 0\r\n"
		"\r\n", false, &m)) {
		TAP_EQ_U(m.via_transport, SIP_T_OTHER, "Via WS: other");
		hp_is(&m.via, "[2001:db8::1]:8080", "2001:db8::1", 8080, "Via IPv6");
		span_is(m.via.port_text, "8080", "Via IPv6 port");
		span_is(m.via_received.text, "2001:db8::2", "received= bare IPv6");
		addr_is(m.via_received.family, m.via_received.addr, "2001:db8::2", "received=");
	}
}

static void address_forms(void)
{
	struct sip_msg m;

	if (MSG("Contact list: display names, addr-spec, header params", "REGISTER sip:r SIP/2.0\r\n"
		"Contact: \"A, \\\"q\\\" <x>\" <sip:u:pw@1.2.3.4:5;maddr=10.0.0.1;transport=TLS?h=v>"
		";expires=60,Bob Smith <sips:[::1]>, sip:u@h.example;transport=tcp;expires=0,"
		"<tel:+1-555>, urn:x:y\r\nl: 0\r\n\r\n", false, &m)) {
		TAP_EQ_U(m.ncontact, 5, "five Contact values");
		hp_is(&m.contact[0].uri, "1.2.3.4:5", "1.2.3.4", 5, "quoted name with comma and <");
		TAP_EQ_U(m.contact[0].transport, SIP_T_TLS, "transport=TLS");
		span_is(m.contact[0].maddr.text, "10.0.0.1", "URI maddr=");
		tap_ok(m.contact[0].has_expires && m.contact[0].expires == 60, "expires=60");
		hp_is(&m.contact[1].uri, "[::1]", "::1", 0, "token display name, sips, IPv6");
		hp_is(&m.contact[2].uri, "h.example", "-", 0, "addr-spec");
		TAP_EQ_U(m.contact[2].transport, SIP_T_NONE, "addr-spec: ;transport= is a header param");
		tap_ok(m.contact[2].has_expires && !m.contact[2].expires, "addr-spec expires=0");
		tap_ok(!m.contact[3].uri.family && !m.contact[3].uri.text.len, "tel: URI: no host");
		tap_ok(!m.contact[4].uri.family && !m.contact[4].uri.text.len, "urn: addr-spec: no host");
	}
	if (MSG("Contact: *", "REGISTER sip:r SIP/2.0\r\nContact: *\r\nExpires: 0\r\nl: 0\r\n\r\n",
		false, &m)) {
		tap_ok(m.contact_star && !m.ncontact, "star, no values");
		tap_ok(m.has_expires && !m.expires, "Expires: 0");
	}
	if (MSG("Request-URI forms", "INVITE sip:+1;phone-context=x@gw.example;user=phone SIP/2.0\r\n"
		"From: sip:me@[2001:db8::7]:5070;tag=1\r\nTo: <sip:you@9.8.7.6>;tag=2\r\n"
		"CSeq: 7 REFER\r\nl: 0\r\n\r\n", false, &m)) {
		hp_is(&m.ruri, "gw.example", "-", 0, "user with ';' in a Request-URI");
		hp_is(&m.from, "[2001:db8::7]:5070", "2001:db8::7", 5070, "From addr-spec IPv6");
		hp_is(&m.to, "9.8.7.6", "9.8.7.6", 0, "To");
		TAP_EQ_U(m.cseq_method, SIP_M_REFER, "CSeq REFER");
	}
	if (MSG("tel: Request-URI, other method", "FOO tel:+15551234 SIP/2.0\r\nl: 0\r\n\r\n",
		false, &m)) {
		TAP_EQ_U(m.method, SIP_M_OTHER, "FOO is another method");
		tap_ok(!m.ruri.family && !m.ruri.text.len, "tel: Request-URI: no host");
	}
	if (MSG("host that only looks like a quad", "OPTIONS sip:1.2.3.256 SIP/2.0\r\n"
		"To: <sip:1.2.3.4.5>\r\nFrom: <sip:01.002.3.4>\r\nl: 0\r\n\r\n", false, &m)) {
		tap_ok(!m.ruri.family, "1.2.3.256 is a name");
		tap_ok(!m.to.family, "1.2.3.4.5 is a name");
		addr_is(m.from.family, m.from.addr, "1.2.3.4", "leading zeros read as FTP's are");
	}
	TAP_EQ_U(sip_method_str(SIP_M_SUBSCRIBE)[0], 'S', "sip_method_str");
	tap_ok(!strcmp(sip_bad_str(SIP_BAD_TOO_MANY), "too many"), "sip_bad_str");
}

static const char two[] =
	"\r\n\r\nOPTIONS sip:a@1.2.3.4 SIP/2.0\r\nl: 0\r\n\r\n\r\n\r\n"
	"SIP/2.0 200 OK\r\nContent-Length: 3\r\n\r\nabcINFO sip:b SIP/2.0\r\nl:1\r\n\r\nx";

static void stream_cases(void)
{
	static struct sip_parser p;
	struct sip_msg m;
	size_t off = 0, used;
	unsigned n = 0;
	enum sip_bad bad;
	const uint64_t want_start[3] = { 1004, 1047, 1087 };

	parse("keep-alives and three messages in one segment", two, sizeof(two) - 1, false, &m, &bad);
	TAP_EQ_U(whole.n, 3, "three messages");
	sip_parser_init(&p, 1000, false);
	tap_ok(sip_parser_idle(&p) && sip_parser_msg_start(&p) == UINT64_MAX, "idle after init");
	while (off < sizeof(two) - 1 && n < 3) {
		enum sip_result r = sip_parser_execute(&p, (const uint8_t *)two + off,
						       sizeof(two) - 1 - off, &used, &m);

		if (!tap_ok(r == SIP_MSG, "message %u", n))
			break;
		TAP_EQ_U(m.start, want_start[n], "start after the CRLFs");
		off += used;
		n++;
	}
	TAP_EQ_U(off, sizeof(two) - 1, "all consumed");
	TAP_EQ_U(m.method, SIP_M_INFO, "the third is INFO");
	TAP_EQ_U(m.len, 28, "its length");
	sip_parser_init(&p, 0, false);
	sip_parser_execute(&p, (const uint8_t *)"OPT", 3, &used, &m);
	tap_ok(!sip_parser_idle(&p) && sip_parser_msg_start(&p) == 0, "mid-message: not idle");
}

/* UDP: Content-Length shorter than the datagram ends the message; the rest is ignored. */
static void udp_cases(void)
{
	static struct sip_parser p;
	static const char d[] = "SIP/2.0 180 Ringing\r\nl: 2\r\n\r\nabJUNK";
	struct sip_msg m;
	size_t used;

	if (MSG("UDP: Content-Length ends the message early", d, true, &m)) {
		TAP_EQ_U(m.len, sizeof(d) - 1 - 4, "message ends after 2 body bytes");
		TAP_EQ_U(m.body_off, sizeof(d) - 1 - 6, "body offset");
		TAP_EQ_U(m.status, 180, "180");
	}
	sip_parser_init(&p, 500, true);
	tap_ok(sip_parser_execute(&p, (const uint8_t *)d, sizeof(d) - 1, &used, &m) == SIP_MSG &&
	       used == sizeof(d) - 1, "UDP: the whole datagram is consumed");
	tap_ok(sip_parser_execute(&p, (const uint8_t *)d, sizeof(d) - 1, &used, &m) == SIP_MSG &&
	       m.start == 500 + sizeof(d) - 1, "UDP: the next datagram is a new message");
	tap_ok(sip_parser_execute(&p, (const uint8_t *)"\r\n\r\n", 4, &used, &m) == SIP_MORE &&
	       used == 4, "UDP: a CRLF keep-alive datagram is no message");
	tap_ok(sip_parser_execute(&p, (const uint8_t *)"x", 1, &used, &m) == SIP_BAD,
	       "UDP: junk datagram");
	tap_ok(sip_parser_execute(&p, (const uint8_t *)d, sizeof(d) - 1, &used, &m) == SIP_BAD &&
	       !used, "after SIP_BAD nothing is read until init");
}

/* SIP_MSG_MAX: a message of exactly 65535 bytes passes, one byte more does not. */
static void length_cases(void)
{
	static char big[SIP_MSG_MAX + 64];
	static const char head[] = "OPTIONS sip:a@b SIP/2.0\r\nX: ";
	static const char tail[] = "\r\nl: 0\r\n\r\n";
	struct sip_msg m;
	enum sip_bad bad;
	size_t fill = SIP_MSG_MAX - (sizeof(head) - 1) - (sizeof(tail) - 1);
	enum sip_result r;

	for (int extra = 0; extra <= 1; extra++) {
		memcpy(big, head, sizeof(head) - 1);
		memset(big + sizeof(head) - 1, 'y', fill + (size_t)extra);
		memcpy(big + sizeof(head) - 1 + fill + extra, tail, sizeof(tail) - 1);
		r = parse(extra ? "65536-byte message" : "65535-byte message", big,
			  SIP_MSG_MAX + (size_t)extra, false, &m, &bad);
		tap_ok(extra ? r == SIP_BAD && bad == SIP_BAD_TOO_LONG : r == SIP_MSG && m.len == SIP_MSG_MAX,
		       "SIP_MSG_MAX %s", extra ? "+1 refused" : "taken");
	}
	/* headers that never end: refused once SIP_MSG_MAX bytes are read, not waited for */
	memcpy(big, head, sizeof(head) - 1);
	memset(big + sizeof(head) - 1, 'y', sizeof(big) - sizeof(head) + 1);
	r = parse("headers longer than SIP_MSG_MAX, no end", big, sizeof(big), false, &m, &bad);
	tap_ok(r == SIP_BAD && bad == SIP_BAD_TOO_LONG, "TCP: endless header refused as too long");
	memcpy(big, "OPTIONS sip:a@b SIP/2.0\r\n\r\n", 27);
	memset(big + 27, 'z', SIP_MSG_MAX);
	r = parse("UDP body without Content-Length past SIP_MSG_MAX", big, SIP_MSG_MAX + 27, true, &m,
		  &bad);
	tap_ok(r == SIP_BAD && bad == SIP_BAD_TOO_LONG, "UDP: too long without Content-Length");
	tap_ok(sizeof(struct sip_parser) <= 4096, "struct sip_parser is %zu bytes",
	       sizeof(struct sip_parser));
}

static void sdp_cases(void)
{
	struct sip_msg m;

	if (MSG("SDP: IP6, names, ttl, LF lines, image/udptl, other media, no last line end",
		"INVITE sip:a@b SIP/2.0\r\nContent-Type: APPLICATION/SDP ; charset=utf-8\r\n\r\n"
		"v=0\no=alice 2890844526 2890844527 IN IP6 2001:db8::a\nc=IN IP6 gw.example\n"
		"t=0 0\nm=image 6000/2 udptl t38\nc=IN IP4 224.2.1.1/127/3\n"
		"m=application 9 TCP/BFCP *\nm=audio 4000 RTP/SAVPF 0 101\nc=IN IP6 ff15::101/3\na=x",
		true, &m)) {
		tap_ok(m.sdp.present, "SDP with parameters and upper case");
		span_is(m.sdp.o.text, "2001:db8::a", "o= IP6");
		addr_is(m.sdp.o.family, m.sdp.o.addr, "2001:db8::a", "o= IP6");
		span_is(m.sdp.c.text, "gw.example", "c= name");
		TAP_EQ_U(m.sdp.c.family, 0, "c= name: family 0");
		TAP_EQ_U(m.sdp.nmedia, 3, "three media");
		TAP_EQ_U(m.sdp.media[0].type, SDP_MEDIA_IMAGE, "image");
		TAP_EQ_U(m.sdp.media[0].udp, 1, "udptl");
		span_is(m.sdp.media[0].port_text, "6000", "port before /2");
		span_is(m.sdp.media[0].c.text, "224.2.1.1", "media c= with /ttl/n");
		TAP_EQ_U(m.sdp.media[1].type, SDP_MEDIA_OTHER, "application: other");
		TAP_EQ_U(m.sdp.media[1].udp, 0, "TCP/BFCP");
		TAP_EQ_U(m.sdp.media[1].c.family, 0, "no media c=");
		TAP_EQ_U(m.sdp.media[2].udp, 1, "RTP/SAVPF");
		span_is(m.sdp.media[2].c.text, "ff15::101", "c= IP6 multicast /n");
		addr_is(m.sdp.media[2].c.family, m.sdp.media[2].c.addr, "ff15::101", "c= IP6");
	}
	if (MSG("SDP under another Content-Type is not read", "INVITE sip:a@b SIP/2.0\r\n"
		"Content-Type: application/sdpx\r\nl: 15\r\n\r\nv=0\r\nc=IN IP4 1\r\n", false, &m))
		tap_ok(!m.sdp.present && !m.sdp.c.text.len, "application/sdpx: no SDP");
}

void test_sip_parser(void);
void test_sip_parser(void)
{
	invite_case(false);
	invite_case(true);
	result_cases();
	header_forms();
	address_forms();
	stream_cases();
	udp_cases();
	length_cases();
	sdp_cases();
}
