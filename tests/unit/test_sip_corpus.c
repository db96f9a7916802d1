/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_sip_corpus: the SIP parser on every SIP capture of tests/corpus/sip — each UDP
 * datagram as one message, each TCP direction as one stream (as the capture cut it, whole
 * and byte by byte by the split harness) — against what the transcripts show. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"
#include "split_sip.h"
#include "tap.h"

#define CORPUS "../corpus/sip/"
#define MAXGOT 128
#define STREAM_MAX (1 << 17)
#define CUTS_MAX 64

/* One result the parser gave, with the bytes its offsets point into. */
struct got {
	enum sip_result r;
	enum sip_bad bad;
	struct sip_msg m;
	const uint8_t *d;       /* the datagram or stream; offset 0 is d[0] */
	size_t len;
	unsigned frame;         /* the datagram's frame, or the stream's first */
};

static struct got got[MAXGOT];
static unsigned ngot;
static struct split_rec recs[MAXGOT];
static struct split_run run = { .rec = recs, .cap = MAXGOT };

static bool span_eq(const struct got *g, struct sip_span s, const char *want, const char *desc)
{
	size_t wl = strlen(want);
	bool in = s.off + s.len <= g->len;

	if (in && (s.len != wl || memcmp(g->d + s.off, want, wl)))
		tap_diag("%s: span is \"%.*s\"", desc, (int)s.len, g->d + s.off);
	return tap_ok(in && s.len == wl && !memcmp(g->d + s.off, want, wl), "%s: \"%s\"", desc, want);
}

static bool v4_eq(uint8_t family, const uint8_t *a, const char *want, const char *desc)
{
	char buf[64] = "-";

	if (family)
		inet_ntop(family == 6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	return tap_ok(!strcmp(buf, want), "%s: %s (want %s)", desc, buf, want);
}

static void keep(enum sip_result r, enum sip_bad bad, const struct sip_msg *m, const uint8_t *d,
		 size_t len, unsigned frame)
{
	if (ngot < MAXGOT)
		got[ngot++] = (struct got){ r, bad, *m, d, len, frame };
}

/* A datagram: fed in pieces every way must agree with one sip_parser_execute. */
static bool one_datagram(const struct capture_seg *s)
{
	struct split_sip_arg arg = { 0 };
	struct sip_parser p;
	struct sip_msg m;
	struct split_rec rec;
	size_t used;
	enum sip_result r;
	bool ok;

	ok = split_agree_pieces(&split_sip_udp, &arg, s->data, s->len, NULL, 0, &run);
	sip_parser_init(&p, 0, true);
	r = sip_parser_execute(&p, s->data, s->len, &used, &m);
	split_sip_rec(r, (enum sip_bad)p.bad, &m, &rec);
	ok = ok && run.n >= 1 && split_rec_equal(&rec, &run.rec[0]) && used == s->len;
	keep(r, (enum sip_bad)p.bad, &m, s->data, s->len, s->frame);
	return ok;
}

/* A TCP direction: its segments back to back. */
struct stream {
	uint8_t buf[STREAM_MAX];
	size_t len, sizes[CUTS_MAX], nsizes;
	unsigned frame;
};

static bool one_stream(const struct stream *st)
{
	struct split_sip_arg arg = { 0 };
	struct sip_parser p;
	struct sip_msg m;
	size_t off = 0, used;
	enum sip_result r;
	bool ok;

	ok = split_agree_pieces(&split_sip_tcp, &arg, st->buf, st->len, st->sizes, st->nsizes, &run);
	sip_parser_init(&p, 0, false);
	do {
		r = sip_parser_execute(&p, st->buf + off, st->len - off, &used, &m);
		off += used;
		if (r != SIP_MORE)
			keep(r, (enum sip_bad)p.bad, &m, st->buf, st->len, st->frame);
	} while (r == SIP_MSG && off < st->len);
	return ok;
}

/* Load name and parse all of it into got[]; false when it cannot be loaded. */
static bool load(const char *name)
{
	static struct stream streams[8]; /* flows 0 to 3, each direction */
	char path[256];
	struct capture c;
	bool same = true;

	ngot = 0;
	snprintf(path, sizeof(path), CORPUS "%s.txt", name);
	if (!tap_ok(!capture_load(&c, path), "%s: loads", name))
		return false;
	memset(streams, 0, sizeof(streams));
	for (size_t i = 0; i < c.n; i++) {
		const struct capture_seg *s = &c.seg[i];
		struct stream *st = &streams[(s->flow & 3) * 2 + !s->to_server];

		if (s->proto == CAPTURE_UDP) {
			same = one_datagram(s) && same;
		} else if (s->proto == CAPTURE_TCP && !s->retrans && s->flow < 4 &&
			   st->len + s->len <= STREAM_MAX && st->nsizes < CUTS_MAX) {
			if (!st->len)
				st->frame = s->frame;
			memcpy(st->buf + st->len, s->data, s->len);
			st->len += s->len;
			st->sizes[st->nsizes++] = s->len;
		}
	}
	for (unsigned k = 0; k < 8; k++)
		if (streams[k].len)
			same = one_stream(&streams[k]) && same;
	tap_ok(same, "%s: every datagram and stream agrees fed whole, as captured, byte by byte",
	       name);
	/* got[] keeps pointers into c's bytes for UDP: copy them out of the capture */
	for (unsigned i = 0; i < ngot; i++) {
		static uint8_t copies[MAXGOT][2048];

		if (got[i].d >= c.bytes && got[i].len <= sizeof(copies[0])) {
			memcpy(copies[i], got[i].d, got[i].len);
			got[i].d = copies[i];
		}
	}
	capture_free(&c);
	return true;
}

static void counts(const char *name, unsigned nmsg, unsigned nbad)
{
	unsigned m = 0, b = 0;

	for (unsigned i = 0; i < ngot; i++) {
		m += got[i].r == SIP_MSG;
		b += got[i].r == SIP_BAD;
		if (got[i].r == SIP_BAD)
			tap_diag("%s: frame %u: SIP_BAD %s", name, got[i].frame, sip_bad_str(got[i].bad));
	}
	tap_ok(m == nmsg && b == nbad, "%s: %u messages, %u refused (want %u, %u)", name, m, b,
	       nmsg, nbad);
}

static void pcpp_requests(void)
{
	const struct got *g = got;

	if (!load("pcpp-sip-requests"))
		return;
	counts("pcpp-sip-requests", 2, 2);
	if (ngot < 4)
		return;
	/* INVITE with SDP */
	TAP_EQ_U(g->m.method, SIP_M_INVITE, "pcpp INVITE");
	span_eq(g, g->m.ruri.text, "bestel.com:55060", "pcpp INVITE Request-URI");
	span_eq(g, g->m.via.text, "200.57.7.195", "pcpp INVITE top Via");
	span_eq(g, g->m.contact[0].uri.text, "200.57.7.195:5060", "pcpp INVITE Contact");
	span_eq(g, g->m.clen_text, "229", "pcpp INVITE Content-Length");
	TAP_EQ_U(g->m.clen, 229, "pcpp INVITE Content-Length");
	span_eq(g, g->m.sdp.o.text, "200.57.7.196", "pcpp INVITE o=");
	span_eq(g, g->m.sdp.c.text, "200.57.7.196", "pcpp INVITE c=");
	span_eq(g, g->m.sdp.media[0].port_text, "40376", "pcpp INVITE m=audio port");
	TAP_EQ_U(g->m.sdp.media[0].udp, 1, "pcpp INVITE m=audio RTP/AVP");
	/* CANCEL: Content-Length 0 then Max-Forwards */
	TAP_EQ_U(got[1].m.method, SIP_M_CANCEL, "pcpp CANCEL");
	tap_ok(got[1].m.via_has_rport && !got[1].m.via_rport.len, "pcpp CANCEL: bare ;rport");
	/* ACK: the capture holds no blank line (the datagram ends after a header): refused */
	tap_ok(got[2].r == SIP_BAD && got[2].bad == SIP_BAD_SYNTAX, "pcpp ACK without blank line refused");
	/* BYE: cut by the capture's snap length inside "Content-Length" */
	tap_ok(got[3].r == SIP_BAD && got[3].bad == SIP_BAD_SYNTAX, "pcpp truncated BYE refused");
}

static void compact_form(void)
{
	const struct got *g = got;

	if (!load("suricata-compact-form-invite"))
		return;
	counts("suricata-compact-form-invite", 1, 0);
	if (!ngot)
		return;
	span_eq(g, g->m.via.text, "192.168.1.2:5060", "compact v:");
	tap_ok(g->m.via_has_rport, "compact v: ;rport");
	span_eq(g, g->m.from.text, "voip.brurjula.net", "compact f: (backslashed display name)");
	span_eq(g, g->m.to.text, "voip.brujula.net", "compact t:");
	span_eq(g, g->m.clen_text, "272", "compact l:");
	tap_ok(g->m.sdp.present, "compact c: application/sdp");
	span_eq(g, g->m.sdp.c.text, "192.168.1.2", "compact SDP c=");
	v4_eq(g->m.sdp.c.family, g->m.sdp.c.addr, "192.168.1.2", "compact SDP c=");
	/* l: 272 ends the body 100 bytes before the datagram does, before m=: the rest is
	 * ignored (RFC 3261 18.3), the message is 794 of the 894 bytes */
	TAP_EQ_U(g->m.len, 794, "compact: Content-Length ends the message");
	TAP_EQ_U(g->m.sdp.nmedia, 0, "compact: m= lies past Content-Length");
	tap_ok(g->m.has_expires && g->m.expires == 120, "compact Expires: 120");
}

static void multi_value(void)
{
	if (!load("suricata-header-multi-value"))
		return;
	counts("suricata-header-multi-value", 0, 1);
	if (ngot)
		TAP_EQ_U(got[0].bad, SIP_BAD_DUPLICATE, "t: and To: in one message: duplicate");
}

static void pcpp_responses(void)
{
	const struct got *g;

	if (!load("pcpp-sip-responses"))
		return;
	counts("pcpp-sip-responses", 7, 0);
	if (ngot < 7)
		return;
	TAP_EQ_U(got[0].m.status, 100, "pcpp 100 Trying");
	TAP_EQ_U(got[2].m.status, 200, "pcpp 200 Ok");
	span_eq(&got[2], got[2].m.sdp.c.text, "200.57.7.204", "pcpp 200 SDP c=");
	span_eq(&got[2], got[2].m.sdp.media[0].port_text, "8000", "pcpp 200 m= port");
	/* the one TCP segment is parsed last, as a stream: a 401 with received= and rport= */
	g = &got[6];
	TAP_EQ_U(g->m.status, 401, "pcpp TCP 401");
	TAP_EQ_U(g->m.via_transport, SIP_T_TCP, "pcpp TCP 401 Via transport");
	span_eq(g, g->m.via_rport, "51806", "pcpp TCP 401 rport=");
	span_eq(g, g->m.via_received.text, "10.129.34.51", "pcpp TCP 401 received=");
	span_eq(g, g->m.clen_text, "0", "pcpp TCP 401 Content-Length after two spaces");
	span_eq(g, g->m.call_id, "198676278", "pcpp TCP 401 Call-ID");
}

static void invite_200_sdp(void)
{
	if (!load("suricata-invite-200-sdp"))
		return;
	counts("suricata-invite-200-sdp", 2, 0);
	if (ngot < 2)
		return;
	TAP_EQ_U(got[0].m.method, SIP_M_INVITE, "suricata INVITE");
	TAP_EQ_U(got[1].m.status, 200, "suricata 200");
	tap_ok(got[0].m.sdp.present && got[1].m.sdp.present, "suricata INVITE and 200 carry SDP");
	span_eq(&got[1], got[1].m.sdp.o.text, "192.168.1.2", "suricata 200 o=");
	/* Content-Length: 272 ends both bodies before their m= line (the datagram goes on) */
	TAP_EQ_U(got[1].m.len, 791, "suricata 200: 791 of 993 bytes by Content-Length");
	TAP_EQ_U(got[1].m.sdp.nmedia, 0, "suricata 200: m= past Content-Length");
}

/* Content-Length 65536: the body alone is longer than SIP_MSG_MAX, so the message is refused
 * at its blank line, before a byte of the body; the server's answer still parses. */
static void tcp_64k(void)
{
	if (!load("suricata-tcp-invite-64k-body"))
		return;
	counts("suricata-tcp-invite-64k-body", 1, 1);
	if (ngot < 2)
		return;
	tap_ok(got[0].r == SIP_BAD && got[0].bad == SIP_BAD_TOO_LONG && got[0].m.start == 0,
	       "64 KB INVITE over TCP: SIP_BAD_TOO_LONG at offset 0");
	tap_ok(got[1].r == SIP_MSG && got[1].m.status, "64 KB INVITE: the response parses");
}

static void register_2seg(void)
{
	const struct got *g = got;

	if (!load("suricata-tcp-register-2seg"))
		return;
	counts("suricata-tcp-register-2seg", 2, 0);
	if (ngot < 2)
		return;
	TAP_EQ_U(g->m.method, SIP_M_REGISTER, "REGISTER in two segments");
	span_eq(g, g->m.contact[0].uri.text, "192.168.43.1:48376", "REGISTER Contact");
	TAP_EQ_U(g->m.contact[0].transport, SIP_T_TCP, "REGISTER Contact ;transport=tcp");
	tap_ok(g->m.has_expires && g->m.expires == 600, "REGISTER Expires: 600 (second segment)");
	TAP_EQ_U(g->m.len, 585, "REGISTER: both segments are one message");
	g = &got[1];
	TAP_EQ_U(g->m.status, 200, "REGISTER 200");
	tap_ok(g->m.ncontact == 1 && g->m.contact[0].has_expires && g->m.contact[0].expires == 600,
	       "REGISTER 200 Contact ;expires=600");
	span_eq(g, g->m.via_rport, "43168", "REGISTER 200 rport=");
}

static void invalid_clen(void)
{
	if (!load("zeek-invalid-content-length"))
		return;
	counts("zeek-invalid-content-length", 0, 2);
	for (unsigned i = 0; i < ngot; i++)
		TAP_EQ_U(got[i].bad, SIP_BAD_SYNTAX, "Content-Length: not digits");
}

static void junk_before(void)
{
	if (!load("zeek-junk-before-request"))
		return;
	counts("zeek-junk-before-request", 1, 1);
	if (ngot < 2)
		return;
	tap_ok(got[0].r == SIP_BAD && got[0].bad == SIP_BAD_SYNTAX, "four NULs: SIP_BAD at once");
	tap_ok(got[1].r == SIP_MSG && got[1].m.method == SIP_M_REGISTER && !got[1].m.has_clen,
	       "the REGISTER datagram after it: no Content-Length, UDP");
}

static void wireshark_call(void)
{
	unsigned sdp = 0;
	const struct got *g = NULL;

	if (!load("zeek-wireshark-sample-udp"))
		return;
	counts("zeek-wireshark-sample-udp", 81, 0);
	for (unsigned i = 0; i < ngot; i++) {
		sdp += got[i].m.sdp.present;
		if (got[i].frame == 74)
			g = &got[i];
	}
	TAP_EQ_U(sdp, 12, "wireshark call: messages with SDP");
	if (!tap_ok(g != NULL, "wireshark call: frame 74 (200 with SDP)"))
		return;
	span_eq(g, g->m.sdp.c.text, "212.242.33.36", "frame 74 c=");
	v4_eq(g->m.sdp.c.family, g->m.sdp.c.addr, "212.242.33.36", "frame 74 c=");
	span_eq(g, g->m.sdp.media[0].port_text, "40392", "frame 74 m= port");
}

void test_sip_corpus(void);
void test_sip_corpus(void)
{
	pcpp_requests();
	pcpp_responses();
	compact_form();
	multi_value();
	invite_200_sdp();
	tcp_64k();
	register_2seg();
	invalid_clen();
	junk_before();
	wireshark_call();
}
