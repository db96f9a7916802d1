/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_ftp_parser: any bytes, as client and as server stream, fed whole, cut once and cut
 * into many pieces, must give the same matches; every match must lie inside its line and
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
#include "ftp_parser.h"

#define MAXM 1024

struct res {
	struct ftp_match m[MAXM];
	size_t n;
	struct ftp_parser end;
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_ftp_parser: %s (match %zu)\n", what, i);
	abort();
}

static void feed(struct ftp_parser *p, const uint8_t *d, size_t len, struct res *r)
{
	struct ftp_match m;
	size_t off = 0, used;

	while (off < len) {
		enum ftp_result rc = ftp_parser_execute(p, d + off, len - off, &used, &m);

		if (used > len - off || (rc == FTP_MORE && used != len - off))
			fail("execute consumed a wrong count", r->n);
		if (rc == FTP_MATCH && r->n < MAXM)
			r->m[r->n++] = m;
		off += used;
	}
}

/* mode 0: whole; 1: cut once at k; 2: pieces of 1..13 bytes sized by the data itself */
static void run(enum ftp_side side, const uint8_t *d, size_t len, int mode, size_t k, struct res *r)
{
	struct ftp_parser p;

	r->n = 0;
	ftp_parser_init(&p, side, 0);
	if (mode == 0) {
		feed(&p, d, len, r);
	} else if (mode == 1) {
		feed(&p, d, k, r);
		feed(&p, d + k, len - k, r);
	} else {
		for (size_t off = 0, i = 0, n; off < len; off += n, i++) {
			n = 1 + d[i % len] % 13;
			if (n > len - off)
				n = len - off;
			feed(&p, d + off, n, r);
		}
	}
	r->end = p;
}

static bool same_match(const struct ftp_match *a, const struct ftp_match *b)
{
	return a->type == b->type && a->family == b->family && !memcmp(a->addr, b->addr, 16) &&
	       a->port == b->port && a->off == b->off && a->len == b->len &&
	       a->line_start == b->line_start && a->line_end == b->line_end;
}

static void compare(const struct res *a, const struct res *b)
{
	if (a->n != b->n)
		fail("match count differs between splits", a->n);
	for (size_t i = 0; i < a->n; i++)
		if (!same_match(&a->m[i], &b->m[i]))
			fail("match differs between splits", i);
	if (a->end.pos != b->end.pos || a->end.line_start != b->end.line_start ||
	    a->end.candidate != b->end.candidate || a->end.in_multiline != b->end.in_multiline ||
	    a->end.cs != b->end.cs)
		fail("end state differs between splits", a->n);
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
static void check_text(const struct ftp_match *m, const uint8_t *d, size_t i)
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

static void check_bounds(const struct res *r, const uint8_t *d, size_t len)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct ftp_match *m = &r->m[i];

		if (!m->len || m->off < m->line_start || m->off + m->len > m->line_end ||
		    m->line_end > len || m->line_end - m->line_start > FTP_LINE_MAX ||
		    d[m->line_end - 1] != '\n' || (i && m->line_start < r->m[i - 1].line_end))
			fail("offsets out of bounds", i);
		check_text(m, d, i);
	}
	if (r->end.pos != len || r->end.line_start > len)
		fail("end position", r->n);
}

/* Differential: d as the address of an EPRT |2| command, against inet_pton. */
static void v6_differential(const uint8_t *d, size_t len)
{
	static const char head[] = "EPRT |2|", tail[] = "|1|\r\n";
	char line[128], addr[64];
	uint8_t a6[16];
	struct res *r = malloc(sizeof(*r));

	if (!r)
		abort();
	if (len >= 60 || !len)
		goto out;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEF:.", d[i]) || !d[i])
			goto out;
	memcpy(addr, d, len);
	addr[len] = 0;
	snprintf(line, sizeof(line), "%s%s%s", head, addr, tail);
	run(FTP_CLIENT, (const uint8_t *)line, strlen(line), 0, 0, r);
	if ((r->n == 1) != (inet_pton(AF_INET6, addr, a6) == 1))
		fail(r->n ? "grammar accepts an address inet_pton refuses" :
			    "grammar refuses an address inet_pton accepts", 0);
	if (r->n && memcmp(a6, r->m[0].addr, 16))
		fail("IPv6 value differs from inet_pton", 0);
out:
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	static struct res a, b;
	size_t k = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		k = k * 31 + d[i];
	k %= len + 1;
	for (int side = FTP_CLIENT; side <= FTP_SERVER; side++) {
		run((enum ftp_side)side, d, len, 0, 0, &a);
		check_bounds(&a, d, len);
		run((enum ftp_side)side, d, len, 1, k, &b);
		compare(&a, &b);
		run((enum ftp_side)side, d, len, 2, 0, &b);
		compare(&a, &b);
	}
	v6_differential(d, len);
	return 0;
}
