/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_irc_parser: any bytes, fed whole, cut once, cut into many pieces and byte by byte
 * (the split harness, tests/lib/split.c), must give the same matches, each inside what was fed; and those matches must be exactly what a naive
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
#include "split_irc.h"

/* more than a 4 KB input can hold */
#define MAXM 4096

static struct split_rec whole_rec[MAXM];
static struct split_run whole = { .rec = whole_rec, .cap = MAXM };

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_irc_parser: %s (match %zu)\n", what, i);
	abort();
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

static void check_reference(const struct split_run *r, const uint8_t *d, size_t len)
{
	struct irc_match want;
	struct split_rec w;
	size_t k = 0;

	for (size_t at = 0; at < len;) {
		const uint8_t *nl = memchr(d + at, '\n', len - at);
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - (d + at)) + 1;
		if (ref_line(d + at, n, at, &want)) {
			split_irc_rec(&want, &w);
			if (k >= r->n || !split_rec_equal(&w, &r->rec[k]))
				fail("parser misses or misreads a line the reference matches", k);
			k++;
		} else if (k < r->n && r->rec[k].line_start == at) {
			fail("parser matches a line the reference refuses", k);
		}
		at += n;
	}
	if (k != r->n)
		fail("parser matches outside the reference's lines", k);
	if (r->end.v[SPLIT_IRC_POS] != len || r->end.v[SPLIT_IRC_LINE] > len)
		fail("end position", r->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	static const uint64_t start = 0;

	if (!len)
		return 0;
	/* the cut points come from the input itself */
	split_fuzz(&split_irc, &start, d, len, d, len, &whole);
	if (!split_lines_sane(&whole, d, len, 0, IRC_LINE_MAX))
		fail("offsets out of bounds", whole.n);
	check_reference(&whole, d, len);
	return 0;
}
