/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_sip_parser: any bytes, as a TCP stream and as a UDP datagram, fed whole, cut once, cut
 * into many pieces and byte by byte (the split harness, tests/lib/split.c), must give the
 * same results, and the same as sip_parser_execute in one go; every span of every message
 * must lie inside that message, and a dotted-quad host must say what its text says.
 * Seeds: seeds/sip_parser/ holds datagrams and streams of the tests/corpus/sip captures (from
 * seladb/PcapPlusPlus (Unlicense), OISF/suricata-verify (MIT) and zeek/zeek (BSD), see
 * tests/corpus/SOURCES.tsv) and hand-made messages. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "split_sip.h"

#define MAXR 1024

static struct split_rec whole_rec[MAXR];
static struct split_run whole = { .rec = whole_rec, .cap = MAXR };

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what, uint64_t at)
{
	fprintf(stderr, "fuzz_sip_parser: %s (message at %llu)\n", what, (unsigned long long)at);
	abort();
}

static void span_in(const struct sip_msg *m, struct sip_span s, const char *what)
{
	if (s.len && (s.off < m->start || s.off + s.len > m->start + m->len))
		fail(what, m->start);
}

/* The text of a hostport whose family is 4 is that address (and port). */
static void hp_check(const struct sip_msg *m, const struct sip_hostport *h, const uint8_t *d,
		     const char *what)
{
	unsigned v[4] = { 0 }, k = 0;
	size_t n;

	span_in(m, h->text, what);
	span_in(m, h->port_text, what);
	if (h->family != 4)
		return;
	n = h->text.len - (h->port_text.len ? h->port_text.len + 1 : 0);
	/* re-read by hand: inet_pton refuses the leading zeros a SIP host may carry */
	for (size_t i = 0; i < n; i++) {
		uint8_t c = d[h->text.off + i];

		if (c == '.' && k < 3)
			k++;
		else if (c >= '0' && c <= '9' && v[k] < 1000)
			v[k] = v[k] * 10 + (c - '0');
		else
			fail(what, m->start);
	}
	if (k != 3 || v[0] != h->addr[0] || v[1] != h->addr[1] || v[2] != h->addr[2] ||
	    v[3] != h->addr[3])
		fail(what, m->start);
}

static void msg_check(const struct sip_msg *m, const uint8_t *d, size_t len)
{
	if (m->start + m->len > len || m->body_off > m->len)
		fail("message outside the input", m->start);
	hp_check(m, &m->ruri, d, "Request-URI");
	hp_check(m, &m->via, d, "Via");
	hp_check(m, &m->from, d, "From");
	hp_check(m, &m->to, d, "To");
	span_in(m, m->via_maddr.text, "maddr");
	span_in(m, m->via_received.text, "received");
	span_in(m, m->via_rport, "rport");
	span_in(m, m->call_id, "Call-ID");
	span_in(m, m->clen_text, "Content-Length");
	if (m->ncontact > SIP_CONTACT_MAX || m->sdp.nmedia > SDP_MEDIA_MAX)
		fail("counts", m->start);
	for (unsigned i = 0; i < m->ncontact; i++) {
		hp_check(m, &m->contact[i].uri, d, "Contact");
		span_in(m, m->contact[i].maddr.text, "Contact maddr");
	}
	span_in(m, m->sdp.o.text, "o=");
	span_in(m, m->sdp.c.text, "c=");
	for (unsigned i = 0; i < m->sdp.nmedia; i++) {
		span_in(m, m->sdp.media[i].port_text, "m= port");
		span_in(m, m->sdp.media[i].c.text, "media c=");
		if (m->sdp.media[i].port_text.off < m->start + m->body_off)
			fail("m= port outside the body", m->start);
	}
}

/* sip_parser_execute in one go must give the harness's records, and sane messages. */
static void one_go(bool dgram, const uint8_t *d, size_t len)
{
	static struct sip_parser p;
	struct sip_msg m;
	struct split_rec rec;
	size_t off = 0, used, n = 0;
	enum sip_result r;

	sip_parser_init(&p, 0, dgram);
	do {
		r = sip_parser_execute(&p, d + off, len - off, &used, &m);
		off += used;
		if (r == SIP_MORE)
			break;
		split_sip_rec(r, (enum sip_bad)p.bad, &m, &rec);
		if (n >= whole.n || !split_rec_equal(&rec, &whole.rec[n]))
			fail("sip_parser_execute differs from the harness", m.start);
		n++;
		if (r == SIP_MSG)
			msg_check(&m, d, len);
	} while (r == SIP_MSG && off < len && !dgram);
	if (used > len || off > len)
		fail("used past the input", 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	struct split_sip_arg arg = { 0 };

	if (!len)
		return 0;
	split_fuzz(&split_sip_tcp, &arg, d, len, d, len, &whole);
	one_go(false, d, len);
	split_fuzz(&split_sip_udp, &arg, d, len, d, len, &whole);
	one_go(true, d, len);
	return 0;
}
