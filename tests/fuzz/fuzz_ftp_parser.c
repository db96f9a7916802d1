/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_ftp_parser: any bytes, as client and as server stream, fed whole, cut once, cut
 * into many pieces and byte by byte (the split harness, tests/lib/split.c), must give the
 * same matches; every match must lie inside its line and
 * say what its text says (re-read here independently, IPv6 by inet_pton).  Short inputs
 * are also tried as the address of "EPRT |2|...|1|": the grammar must agree with inet_pton.
 * Seeds: seeds/ftp_parser/<capture>.{client,server} are the first 4 KB of each direction of
 * tests/corpus/ftp/<capture>.txt (retransmissions dropped); those captures come from
 * OISF/suricata-verify (MIT) and zeek/zeek (BSD), see tests/corpus/SOURCES.tsv. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "split_ftp.h"

/* more than a 4 KB input can hold (a match takes a line of at least 16 bytes) */
#define MAXM 4096

static struct split_rec whole_rec[MAXM];
static struct split_run whole = { .rec = whole_rec, .cap = MAXM };

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_ftp_parser: %s (match %zu)\n", what, i);
	abort();
}

/* Up to n decimal numbers separated by sep, each into v[]; returns how many. */
static size_t numbers(const uint8_t *s, size_t len, char sep, unsigned *v, size_t n)
{
	size_t k = 0;

	v[0] = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == (uint8_t)sep && k + 1 < n)
			v[++k] = 0;
		else if (s[i] >= '0' && s[i] <= '9' && v[k] < 100000)
			v[k] = v[k] * 10 + (s[i] - '0');
		else
			return 0;
	}
	return k + 1;
}

/* Re-read the replaced text of one match and compare with what the parser reported. */
static void check_text(const struct split_rec *m, const uint8_t *d, size_t i)
{
	const uint8_t *t = d + m->off;
	unsigned v[6];
	uint8_t a6[16];
	char buf[64];

	switch (m->type) {
	case FTP_PORT:
	case FTP_PASV:
		if (m->family != 4 || numbers(t, m->len, ',', v, 6) != 6 ||
		    v[0] != m->addr[0] || v[1] != m->addr[1] || v[2] != m->addr[2] ||
		    v[3] != m->addr[3] || v[4] > 255 || v[5] > 255 || v[4] * 256 + v[5] != m->port)
			fail("PORT/227 text disagrees", i);
		break;
	case FTP_EPSV:
		if (m->family || numbers(t, m->len, ',', v, 1) != 1 || v[0] != m->port ||
		    m->off < 4 || t[-1] != t[-2] || t[-1] != t[-3] || t[m->len] != t[-1])
			fail("229 text disagrees", i);
		break;
	case FTP_EPRT: {
		const uint8_t *a = t + 3, *e = memchr(a, t[0], m->len - 3), *pe;

		if (m->len < 8 || t[2] != t[0] || t[m->len - 1] != t[0] || !e || e - a >= 48 ||
		    t[1] != (m->family == 4 ? '1' : '2'))
			fail("EPRT framing disagrees", i);
		pe = memchr(e + 1, t[0], (size_t)(t + m->len - e - 1));
		if (pe != t + m->len - 1 || numbers(e + 1, (size_t)(pe - e - 1), ',', v, 1) != 1 ||
		    v[0] != m->port)
			fail("EPRT port disagrees", i);
		memcpy(buf, a, (size_t)(e - a));
		buf[e - a] = 0;
		if (m->family == 4 && (numbers(a, (size_t)(e - a), '.', v, 4) != 4 || v[0] != m->addr[0] ||
				       v[1] != m->addr[1] || v[2] != m->addr[2] || v[3] != m->addr[3]))
			fail("EPRT |1| address disagrees", i);
		if (m->family == 6 && (inet_pton(AF_INET6, buf, a6) != 1 || memcmp(a6, m->addr, 16)))
			fail("EPRT |2| address disagrees with inet_pton", i);
		break;
	}
	default:
		fail("bad type", i);
	}
}

static void check_bounds(const struct split_run *r, const uint8_t *d, size_t len)
{
	if (!split_lines_sane(r, d, len, 0, FTP_LINE_MAX))
		fail("offsets out of bounds", r->n);
	for (size_t i = 0; i < r->n; i++)
		check_text(&r->rec[i], d, i);
	if (r->end.v[SPLIT_FTP_POS] != len || r->end.v[SPLIT_FTP_LINE] > len)
		fail("end position", r->n);
}

/* Differential: d as the address of an EPRT |2| command, against inet_pton. */
static void v6_differential(const uint8_t *d, size_t len)
{
	static const char head[] = "EPRT |2|", tail[] = "|1|\r\n";
	static const struct split_ftp_arg client = { FTP_CLIENT, 0 };
	char line[128], addr[64];
	uint8_t a6[16];

	if (len >= 60 || !len)
		return;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEF:.", d[i]) || !d[i])
			return;
	memcpy(addr, d, len);
	addr[len] = 0;
	snprintf(line, sizeof(line), "%s%s%s", head, addr, tail);
	split_feed_whole(&split_ftp, &client, (const uint8_t *)line, strlen(line), &whole);
	if ((whole.n == 1) != (inet_pton(AF_INET6, addr, a6) == 1))
		fail(whole.n ? "grammar accepts an address inet_pton refuses" :
			       "grammar refuses an address inet_pton accepts", 0);
	if (whole.n && memcmp(a6, whole.rec[0].addr, 16))
		fail("IPv6 value differs from inet_pton", 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	if (!len)
		return 0;
	for (int side = FTP_CLIENT; side <= FTP_SERVER; side++) {
		struct split_ftp_arg arg = { (enum ftp_side)side, 0 };

		/* the cut points come from the input itself */
		split_fuzz(&split_ftp, &arg, d, len, d, len, &whole);
		check_bounds(&whole, d, len);
	}
	v6_differential(d, len);
	return 0;
}
