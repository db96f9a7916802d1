/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_irc_parser: any bytes, fed whole, cut once and cut into many pieces, must give the
 * same matches, each inside what was fed; and those matches must be exactly what a naive
 * line-by-line reading of grammars/irc.rl written here finds (IPv6 by inet_pton).
 * Seeds: seeds/irc_parser/<capture>.{client,server} are the first 4 KB of each direction of
 * tests/corpus/irc/<capture>.txt (zeek/zeek, BSD; OISF/suricata-verify, MIT; see
 * tests/corpus/SOURCES.tsv); the others are hand-made. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "irc_parser.h"

#define MAXM 1024

struct res {
	struct irc_match m[MAXM];
	size_t n;
	struct irc_parser end;
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_irc_parser: %s (match %zu)\n", what, i);
	abort();
}

static void feed(struct irc_parser *p, const uint8_t *d, size_t len, struct res *r)
{
	struct irc_match m;
	size_t off = 0, used;

	while (off < len) {
		enum irc_result rc = irc_parser_execute(p, d + off, len - off, &used, &m);

		if (used > len - off || (rc == IRC_MORE && used != len - off))
			fail("execute consumed a wrong count", r->n);
		if (rc == IRC_MATCH && r->n < MAXM)
			r->m[r->n++] = m;
		off += used;
	}
}

/* mode 0: whole; 1: cut once at k; 2: pieces of 1..13 bytes sized by the data itself */
static void run(const uint8_t *d, size_t len, int mode, size_t k, struct res *r)
{
	struct irc_parser p;

	r->n = 0;
	irc_parser_init(&p, 0);
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

static bool same_match(const struct irc_match *a, const struct irc_match *b)
{
	return a->type == b->type && a->family == b->family && !memcmp(a->addr, b->addr, 16) &&
	       a->addr4 == b->addr4 && a->port == b->port && a->off == b->off && a->len == b->len &&
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
	    a->end.candidate != b->end.candidate || a->end.cs != b->end.cs)
		fail("end state differs between splits", a->n);
}

/* bytes no part of a DCC line may hold but where the grammar says */
static bool clean(const uint8_t *s, size_t n, bool allow_ctcp)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || s[i] == '\r' || s[i] == '\n' || (s[i] == 1 && !allow_ctcp))
			return false;
	return true;
}

/* The address token: decimal (1-10 digits, < 2^32) or what inet_pton takes as IPv6. */
static bool ref_address(const uint8_t *s, size_t n, struct irc_match *m)
{
	unsigned long long v = 0;
	char buf[64];
	size_t i;

	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i == n && n && n <= 10 && v <= 0xffffffffULL) {
		m->family = 4;
		m->addr4 = (uint32_t)v;
		for (int k = 0; k < 4; k++)
			m->addr[k] = (uint8_t)(v >> (24 - 8 * k));
		return true;
	}
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = 0;
	m->family = 6;
	return inet_pton(AF_INET6, buf, m->addr) == 1;
}

/* One line [s, s + n), '\n' included, starting at stream offset at: the naive reading. */
static bool ref_line(const uint8_t *s, size_t n, uint64_t at, struct irc_match *m)
{
	static const char *const types[] = { "SEND ", "CHAT ", "MOVE ", "TSEND ", "SCHAT " };
	size_t e = n - 1, i = 7, j, port = 0, pd;

	*m = (struct irc_match){ 0 };
	if (n > IRC_LINE_MAX || s[e] != '\n')
		return false;
	if (e && s[e - 1] == '\r')
		e--;
	while (e && s[e - 1] == ' ')
		e--;
	/* [0, e) must end in the closing \1 and hold no NUL, CR or LF */
	if (e < 8 || s[e - 1] != 1 || !clean(s, e, true) ||
	    strncasecmp((const char *)s, "privmsg", 7))
		return false;
	e--;
	for (j = i; j < e && s[j] == ' '; j++)
		;
	if (j == i || j == e || s[j] == ':')
		return false;
	while (j < e && s[j] != ' ')
		j++;
	for (i = j; j < e && s[j] == ' '; j++)
		;
	if (j == i || e - j < 6 || memcmp(s + j, ":\1DCC ", 6))
		return false;
	j += 6;
	if (!clean(s + j, e - j, false))        /* no \1 inside the CTCP text */
		return false;
	for (i = 0; i < 5; i++)
		if (e - j > strlen(types[i]) && !memcmp(s + j, types[i], strlen(types[i])))
			break;
	if (i == 5)
		return false;
	m->type = (enum irc_type)(IRC_SEND + i);
	j += strlen(types[i]);
	if (j < e && s[j] == '"') {
		for (j++; j < e && s[j] != '"'; j++)
			;
		j++;
	} else {
		for (i = j; j < e && s[j] != ' '; j++)
			;
		if (j == i)
			return false;
	}
	if (j >= e || s[j] != ' ')
		return false;
	m->off = at + ++j;
	for (i = j; j < e && s[j] != ' '; j++)
		;
	if (j >= e || !ref_address(s + i, j - i, m))
		return false;
	for (pd = ++j; j < e && s[j] >= '0' && s[j] <= '9' && j - pd < 6; j++)
		port = port * 10 + (s[j] - '0');
	if (j == pd || j - pd > 5 || port > 65535 || (j < e && s[j] != ' '))
		return false;
	m->port = (uint16_t)port;
	m->len = at + j - m->off;
	m->line_start = at;
	m->line_end = at + n;
	return true;
}

static void check_reference(const struct res *r, const uint8_t *d, size_t len)
{
	struct irc_match want;
	size_t k = 0;

	for (size_t at = 0; at < len;) {
		const uint8_t *nl = memchr(d + at, '\n', len - at);
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - (d + at)) + 1;
		if (ref_line(d + at, n, at, &want)) {
			if (k >= r->n || !same_match(&want, &r->m[k]))
				fail("parser misses or misreads a line the reference matches", k);
			k++;
		} else if (k < r->n && r->m[k].line_start == at) {
			fail("parser matches a line the reference refuses", k);
		}
		at += n;
	}
	if (k != r->n)
		fail("parser matches outside the reference's lines", k);
	if (r->end.pos != len || r->end.line_start > len)
		fail("end position", r->n);
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
	run(d, len, 0, 0, &a);
	if (a.n < MAXM)
		check_reference(&a, d, len);
	run(d, len, 1, k, &b);
	compare(&a, &b);
	run(d, len, 2, 0, &b);
	compare(&a, &b);
	return 0;
}
