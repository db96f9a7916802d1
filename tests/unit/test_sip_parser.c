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
	BAD_U("UDP Content-Length past the end", "OPTIONS sip:a@b SIP/2.0\r\nl: 5\r\n\r\nabc", LENGTH),
	BAD_U("UDP no blank line", "OPTIONS sip:a@b SIP/2.0\r\n" HDRS, SYNTAX),
	BAD_T("junk before request", "\x00\x00OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("space before request", " OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("lower-case SIP version", "OPTIONS sip:a@b sip/2.0\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("Content-Length not a number", "OPTIONS sip:a@b SIP/2.0\r\nl: bad\r\n\r\n", SYNTAX),
	BAD_T("Content-Length signed", "OPTIONS sip:a@b SIP/2.0\r\nl: +0\r\n\r\n", SYNTAX),
	BAD_T("Content-Length 2^32", "OPTIONS sip:a@b SIP/2.0\r\nl: 4294967296\r\n\r\n", NUMBER),
	BAD_T("Content-Length over SIP_MSG_MAX", "OPTIONS sip:a@b SIP/2.0\r\nl: 65535\r\n\r\n", TOO_LONG),
	BAD_T("two Content-Length", "OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nContent-Length: 0\r\n\r\n", DUPLICATE),
	BAD_T("two CSeq", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 A\r\ncseq: 1 A\r\nl: 0\r\n\r\n", DUPLICATE),
	BAD_T("two Call-ID", "OPTIONS sip:a@b SIP/2.0\r\ni: a\r\nCall-ID: a\r\nl: 0\r\n\r\n", DUPLICATE),
	BAD_T("two From", "OPTIONS sip:a@b SIP/2.0\r\nf: <sip:a@b>\r\nFrom: <sip:a@b>\r\nl: 0\r\n\r\n", DUPLICATE),
	BAD_T("two To", "OPTIONS sip:a@b SIP/2.0\r\nt: <sip:a@b>\r\nTo: <sip:a@b>\r\nl: 0\r\n\r\n", DUPLICATE),
	OK_T("CSeq 2^31-1", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 2147483647 OPTIONS\r\nl: 0\r\n\r\n"),
	BAD_T("CSeq 2^31", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 2147483648 OPTIONS\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("CSeq negative", "OPTIONS sip:a@b SIP/2.0\r\nCSeq: -1 OPTIONS\r\nl: 0\r\n\r\n", SYNTAX),
	OK_T("Expires 2^32-1", "OPTIONS sip:a@b SIP/2.0\r\nExpires: 4294967295\r\nl: 0\r\n\r\n"),
	BAD_T("Expires 2^32", "OPTIONS sip:a@b SIP/2.0\r\nExpires: 4294967296\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("status 99", "SIP/2.0 099 Odd\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("status 700", "SIP/2.0 700 Odd\r\nl: 0\r\n\r\n", NUMBER),
	OK_T("status 699", "SIP/2.0 699 Odd\r\nl: 0\r\n\r\n"),
	BAD_T("status four digits", "SIP/2.0 2000 OK\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("Via port 65536", "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 1.2.3.4:65536\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("URI port 65536", "OPTIONS sip:a@b:65536 SIP/2.0\r\nl: 0\r\n\r\n", NUMBER),
	OK_T("URI password of digits", "OPTIONS sip:a:999999@b:65535 SIP/2.0\r\nl: 0\r\n\r\n"),
	BAD_T("rport 65536", "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;rport=65536\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("Contact expires 2^32", "OPTIONS sip:a@b SIP/2.0\r\nm: <sip:a@b>;expires=4294967296\r\nl: 0\r\n\r\n", NUMBER),
	BAD_T("nine Contacts", "REGISTER sip:b SIP/2.0\r\nm: <sip:1@b>,<sip:2@b>,<sip:3@b>\r\nm: <sip:4@b>,<sip:5@b>,<sip:6@b>\r\nContact: <sip:7@b>, <sip:8@b>, <sip:9@b>\r\nl: 0\r\n\r\n", TOO_MANY),
	OK_T("eight Contacts", "REGISTER sip:b SIP/2.0\r\nm: <sip:1@b>,<sip:2@b>,<sip:3@b>\r\nm: <sip:4@b>,<sip:5@b>,<sip:6@b>\r\nContact: <sip:7@b>, <sip:8@b>\r\nl: 0\r\n\r\n"),
	BAD_T("Contact * with another", "REGISTER sip:b SIP/2.0\r\nm: *\r\nm: <sip:1@b>\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("header without colon", "OPTIONS sip:a@b SIP/2.0\r\nFoo\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("continuation of the start line", "OPTIONS sip:a@b SIP/2.0\r\n x\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("bare CR in a header", "OPTIONS sip:a@b SIP/2.0\r\nX: a\rb\r\nl: 0\r\n\r\n", SYNTAX),
	BAD_T("SDP without v=", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 5\r\n\r\ns=-\r\n", SYNTAX),
	BAD_T("SDP m= port 65536", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 27\r\n\r\nv=0\r\nm=audio 65536 RTP/AVP 0\r\n", NUMBER),
	BAD_T("SDP nine m=", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 86\r\n\r\nv=0\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\nm=a 1 x\r\n", TOO_MANY),
	BAD_T("SDP two o=", "INVITE sip:a@b SIP/2.0\r\nc: application/sdp\r\nl: 53\r\n\r\nv=0\r\no=- 1 1 IN IP4 1.2.3.4\r\no=- 1 1 IN IP4 1.2.3.4\r\n", DUPLICATE),
	OK_T("not SDP: body not read", "INVITE sip:a@b SIP/2.0\r\nc: text/plain\r\nl: 5\r\n\r\ns=-\r\n"),
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

void test_sip_parser(void);
void test_sip_parser(void)
{
	invite_case(false);
	invite_case(true);
	result_cases();
}
