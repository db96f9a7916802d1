/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_irc_parser: hand-made cases (each also fed split at every byte and byte by byte)
 * and every IRC capture of tests/corpus, against DCC offers counted off the transcripts
 * by hand and by a naive line scan written here. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "capture.h"
#include "irc_parser.h"
#include "tap.h"

#define CORPUS "../corpus/irc/"
#define MAXM 64

struct run {
	struct irc_match m[MAXM];
	size_t n;
	bool stuck;             /* execute consumed nothing */
	struct irc_parser end;
};

static const char *const type_name[] = { "?", "SEND", "CHAT", "MOVE", "TSEND", "SCHAT" };

static const char *tname(enum irc_type t)
{
	return type_name[t <= IRC_SCHAT ? t : 0];
}

static void feed(struct irc_parser *p, const uint8_t *d, size_t len, struct run *r)
{
	struct irc_match m;
	size_t off = 0, used;

	while (off < len) {
		if (irc_parser_execute(p, d + off, len - off, &used, &m) == IRC_MATCH && r->n < MAXM)
			r->m[r->n++] = m;
		if (!used) {
			r->stuck = true;
			return;
		}
		off += used;
	}
}

/* Feed in chunks: cut at k (k in 1..len-1), whole when k == len, byte by byte when k == 0. */
static void run_split(uint64_t pos, const uint8_t *d, size_t len, size_t k, struct run *r)
{
	struct irc_parser p;

	memset(r, 0, sizeof(*r));
	irc_parser_init(&p, pos);
	if (k) {
		feed(&p, d, k, r);
		feed(&p, d + k, len - k, r);
	} else {
		for (size_t i = 0; i < len; i++)
			feed(&p, d + i, 1, r);
	}
	r->end = p;
}

static void fmt_addr(const struct irc_match *m, char *buf, size_t cap)
{
	if (!m->family || !inet_ntop(m->family == 6 ? AF_INET6 : AF_INET, m->addr, buf, (socklen_t)cap))
		snprintf(buf, cap, "-");
}

/* "SEND 10.0.0.1 5555 33+14 0-53; ..." plus the end state, for comparing runs. */
static void fmt_run(const struct run *r, char *buf, size_t cap, bool with_state)
{
	size_t w = 0;

	buf[0] = 0;
	for (size_t i = 0; i < r->n && w < cap; i++) {
		const struct irc_match *m = &r->m[i];
		char a[INET6_ADDRSTRLEN];

		fmt_addr(m, a, sizeof(a));
		w += (size_t)snprintf(buf + w, cap - w, "%s%s %s %u %llu+%llu %llu-%llu", i ? "; " : "",
				      tname(m->type), a, m->port, (unsigned long long)m->off,
				      (unsigned long long)m->len, (unsigned long long)m->line_start,
				      (unsigned long long)m->line_end);
	}
	if (with_state && w < cap)
		snprintf(buf + w, cap - w, " | pos=%llu line=%llu cand=%u cs=%d stuck=%d",
			 (unsigned long long)r->end.pos, (unsigned long long)r->end.line_start,
			 r->end.candidate, r->end.cs, r->stuck);
}

/* Offsets NAT will act on lie inside the reported line and cover "<digits> <digits>"
 * (or IPv6 text); the number reported is the one written. */
static bool run_sane(const struct run *r, const uint8_t *d, size_t len, uint64_t pos)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct irc_match *m = &r->m[i];
		const uint8_t *t = d + (m->off - pos);

		if (m->line_start < pos || m->off < m->line_start || m->off + m->len > m->line_end ||
		    m->line_end > pos + len || m->line_end - m->line_start > IRC_LINE_MAX ||
		    m->len < 3 || d[m->line_end - 1 - pos] != '\n' || (m->family != 4 && m->family != 6))
			return false;
		if (m->family == 4) {
			unsigned long long a4 = 0, port = 0, *v = &a4;

			for (uint64_t j = 0; j < m->len; j++) {
				if (t[j] == ' ' && v == &a4)
					v = &port;
				else if (t[j] >= '0' && t[j] <= '9' && *v < 1ULL << 40)
					*v = *v * 10 + (t[j] - '0');
				else
					return false;
			}
			if (v != &port || a4 != m->addr4 || port != m->port ||
			    ((uint32_t)m->addr[0] << 24 | (uint32_t)m->addr[1] << 16 |
			     (uint32_t)m->addr[2] << 8 | m->addr[3]) != m->addr4)
				return false;
		}
	}
	return !r->stuck;
}

/* Run d whole, then split at every offset and byte by byte: all runs must agree. */
static bool check_stream(const char *desc, uint64_t pos, const uint8_t *d, size_t len,
			 struct run *whole)
{
	static struct run r;
	static char a[8192], b[8192];

	run_split(pos, d, len, len, whole);
	fmt_run(whole, a, sizeof(a), true);
	for (size_t k = 0; k < len; k++) {
		run_split(pos, d, len, k, &r);
		fmt_run(&r, b, sizeof(b), true);
		if (strcmp(a, b)) {
			tap_ok(false, "%s: same result split at %zu", desc, k);
			tap_diag("whole: %s", a);
			tap_diag("split: %s", b);
			return false;
		}
	}
	return tap_ok(run_sane(whole, d, len, pos), "%s: same result in any split, offsets sane", desc);
}

struct tcase {
	const char *desc;
	const char *in;
	size_t len;
	const char *want;
};

/* \001 is CTCP's quote byte; written as three octal digits so a digit after it is safe. */
#define C(desc, in, want) { desc, in, sizeof(in) - 1, want }

static const struct tcase cases[] = {
	C("SEND (zeek capture line)", "PRIVMSG bob :\001DCC SEND hello.txt 167772161 5555 12\001\r\n",
	  "SEND 10.0.0.1 5555 33+14 0-53"),
	C("CHAT", "PRIVMSG tim1 :\001DCC CHAT CHAT 167772167 59214\001\r\n",
	  "CHAT 10.0.0.7 59214 29+15 0-47"),
	C("MOVE", "PRIVMSG bob :\001DCC MOVE f 3232235777 1024 5\001\r\n",
	  "MOVE 192.168.1.1 1024 25+15 0-45"),
	C("TSEND", "PRIVMSG bob :\001DCC TSEND f 3232235777 1024 5\001\r\n",
	  "TSEND 192.168.1.1 1024 26+15 0-46"),
	C("SCHAT", "PRIVMSG bob :\001DCC SCHAT chat 3232235777 1024\001\r\n",
	  "SCHAT 192.168.1.1 1024 29+15 0-47"),
	C("privmsg lower case, LF only", "privmsg bob :\001DCC SEND f 1 2 3\001\n",
	  "SEND 0.0.0.1 2 25+3 0-32"),
	C("PrivMsg mixed case", "PrivMsg bob :\001DCC CHAT chat 16909060 80\001\r\n",
	  "CHAT 1.2.3.4 80 28+11 0-42"),
	C("several spaces between IRC parameters", "PRIVMSG   bob   :\001DCC CHAT c 16909060 80\001\r\n",
	  "CHAT 1.2.3.4 80 29+11 0-43"),
	C("channel target", "PRIVMSG #chan,bob :\001DCC SEND f 16909060 80 1\001\r\n",
	  "SEND 1.2.3.4 80 31+11 0-47"),
	C("trailing spaces before CRLF", "PRIVMSG b :\001DCC SEND f 16909060 80 1\001  \r\n",
	  "SEND 1.2.3.4 80 23+11 0-41"),
	C("more parameters (size, token)", "PRIVMSG b :\001DCC SEND f 16909060 80 1024 77 x\001\r\n",
	  "SEND 1.2.3.4 80 23+11 0-47"),
	C("address 0, port 0 reported", "PRIVMSG b :\001DCC SEND f 0 0 1\001\r\n",
	  "SEND 0.0.0.0 0 23+3 0-31"),
	C("address 4294967295, port 65535", "PRIVMSG b :\001DCC SEND f 4294967295 65535 1\001\r\n",
	  "SEND 255.255.255.255 65535 23+16 0-44"),
	C("ten digits with leading zeros", "PRIVMSG b :\001DCC SEND f 0016909060 00080\001\r\n",
	  "SEND 1.2.3.4 80 23+16 0-42"),
	C("address 4294967296 (33 bits)", "PRIVMSG b :\001DCC SEND f 4294967296 80 1\001\r\n", ""),
	C("address 9999999999", "PRIVMSG b :\001DCC SEND f 9999999999 80 1\001\r\n", ""),
	C("address of 11 digits", "PRIVMSG b :\001DCC SEND f 00016909060 80 1\001\r\n", ""),
	C("port 65536", "PRIVMSG b :\001DCC SEND f 16909060 65536 1\001\r\n", ""),
	C("port of 6 digits", "PRIVMSG b :\001DCC SEND f 16909060 000080 1\001\r\n", ""),
	C("port letters (zeek malformed-port)", "PRIVMSG b :\001DCC SEND f 3232235876 abc 1\001\r\n", ""),
	C("port missing", "PRIVMSG b :\001DCC CHAT chat 16909060\001\r\n", ""),
	C("port negative", "PRIVMSG b :\001DCC SEND f 16909060 -1 1\001\r\n", ""),
	C("address bytes (zeek malformed-host)",
	  "PRIVMSG b :\001DCC SEND f \001\002\003\004\005 5000 1\001\r\n", ""),
	C("dotted IPv4 address", "PRIVMSG b :\001DCC SEND f 1.2.3.4 80 1\001\r\n", ""),
	C("address with sign", "PRIVMSG b :\001DCC SEND f +16909060 80 1\001\r\n", ""),
	C("two spaces before the address", "PRIVMSG b :\001DCC SEND f  16909060 80 1\001\r\n", ""),
	C("two spaces before the port", "PRIVMSG b :\001DCC SEND f 16909060  80 1\001\r\n", ""),

	C("IPv6 2001:db8::1", "PRIVMSG b :\001DCC SEND f 2001:db8::1 5000 12\001\r\n",
	  "SEND 2001:db8::1 5000 23+16 0-45"),
	C("IPv6 ::1, CHAT", "PRIVMSG b :\001DCC CHAT chat ::1 5000\001\r\n", "CHAT ::1 5000 26+8 0-37"),
	C("IPv6 eight groups, upper case",
	  "PRIVMSG b :\001DCC SEND f FE80:0:0:0:0:0:0:AB 5000 1\001\r\n",
	  "SEND fe80::ab 5000 23+24 0-52"),
	C("IPv6 ::ffff:1.2.3.4", "PRIVMSG b :\001DCC SEND f ::ffff:1.2.3.4 5000 1\001\r\n",
	  "SEND ::ffff:1.2.3.4 5000 23+19 0-47"),
	C("IPv6 gap in the middle", "PRIVMSG b :\001DCC SEND f 1:0:0:2::3 7 1\001\r\n",
	  "SEND 1:0:0:2::3 7 23+12 0-40"),
	C("IPv6 two gaps", "PRIVMSG b :\001DCC SEND f 1::2::3 7 1\001\r\n", ""),
	C("IPv6 five hex digits", "PRIVMSG b :\001DCC SEND f 12345::1 7 1\001\r\n", ""),
	C("IPv6 :::1", "PRIVMSG b :\001DCC SEND f :::1 7 1\001\r\n", ""),
	C("IPv6 nine groups", "PRIVMSG b :\001DCC SEND f 1:2:3:4:5:6:7:8:9 7 1\001\r\n", ""),
	C("IPv6 zone id", "PRIVMSG b :\001DCC SEND f fe80::1%eth0 7 1\001\r\n", ""),
	C("IPv6 bracketed", "PRIVMSG b :\001DCC SEND f [::1] 7 1\001\r\n", ""),
	C("IPv6 dotted 256", "PRIVMSG b :\001DCC SEND f ::1.2.3.256 7 1\001\r\n", ""),

	C("quoted file name with spaces", "PRIVMSG b :\001DCC SEND \"a b.txt\" 16909060 80 5\001\r\n",
	  "SEND 1.2.3.4 80 31+11 0-47"),
	C("quoted name holding numbers", "PRIVMSG b :\001DCC SEND \"1 2 3\" 16909060 80 5\001\r\n",
	  "SEND 1.2.3.4 80 29+11 0-45"),
	C("empty quoted name", "PRIVMSG b :\001DCC SEND \"\" 16909060 80 5\001\r\n",
	  "SEND 1.2.3.4 80 24+11 0-40"),
	C("quoted name not closed", "PRIVMSG b :\001DCC SEND \"a b.txt 16909060 80 5\001\r\n", ""),
	C("quoted name glued to text", "PRIVMSG b :\001DCC SEND \"a\"b 16909060 80 5\001\r\n", ""),
	C("numeric file name", "PRIVMSG b :\001DCC SEND 123 16909060 80 5\001\r\n",
	  "SEND 1.2.3.4 80 25+11 0-41"),

	C("NOTICE instead of PRIVMSG", "NOTICE b :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("PRIVMSGX", "PRIVMSGX b :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("with a :prefix", ":me!u@h PRIVMSG b :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("with IRCv3 tags", "@a=b PRIVMSG b :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("leading space", " PRIVMSG b :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("no \\1DCC at text start", "PRIVMSG b :hi \001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("text without \\1", "PRIVMSG b :DCC SEND f 16909060 80 1\r\n", ""),
	C("no target", "PRIVMSG :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("two middle parameters", "PRIVMSG b c :\001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("text not trailing", "PRIVMSG b \001DCC SEND f 16909060 80 1\001\r\n", ""),
	C("dcc lower case", "PRIVMSG b :\001dcc SEND f 16909060 80 1\001\r\n", ""),
	C("type lower case", "PRIVMSG b :\001DCC send f 16909060 80 1\001\r\n", ""),
	C("type RESUME (no address)", "PRIVMSG b :\001DCC RESUME f 5000 100\001\r\n", ""),
	C("type SENDX", "PRIVMSG b :\001DCC SENDX f 16909060 80 1\001\r\n", ""),
	C("no closing \\1", "PRIVMSG b :\001DCC SEND f 16909060 80 1\r\n", ""),
	C("text after closing \\1", "PRIVMSG b :\001DCC SEND f 16909060 80 1\001x\r\n", ""),
	C("second CTCP after the first", "PRIVMSG b :\001DCC SEND f 16909060 80 1\001\001VERSION\001\r\n", ""),
	C("port glued to text", "PRIVMSG b :\001DCC SEND f 16909060 80x\001\r\n", ""),
	C("NUL inside", "PRIVMSG b :\001DCC SEND f\0 16909060 80 1\001\r\n", ""),
	C("bare CR inside", "PRIVMSG b :\001DCC SEND f 16909060 80 1\r\001\r\n", ""),
	C("CR then text", "PRIVMSG b :\001DCC SEND f 16909060 80 1\001\rx\n", ""),
	C("unfinished", "PRIVMSG b :\001DCC SEND f 16909060 80 1\001", ""),
	C("garbage", "\xff\xfe\x01\x02 :\001DCC SEND f 1 2\001\r\n\r\n\n\0\0", ""),

	C("three DCCs in one segment",
	  "PRIVMSG a :\001DCC SEND f 16909060 1 1\001\r\nPRIVMSG b :\001DCC CHAT chat ::1 2\001\r\n"
	  "PRIVMSG c :\001DCC SEND f 16909060 3 1\001\r\n",
	  "SEND 1.2.3.4 1 23+10 0-38; CHAT ::1 2 64+5 38-72; SEND 1.2.3.4 3 95+10 72-110"),
	C("DCCs between other messages",
	  "NICK a\r\nUSER a 0 * :a\r\nPRIVMSG a :hello\r\nPRIVMSG a :\001DCC SEND f 1 2\001\n"
	  "NOTICE a :\001DCC SEND f 1 2\001\nJOIN #x\r\nPRIVMSG #x :\001DCC CHAT c 3 4\001\r\nQUIT\r\n",
	  "SEND 0.0.0.1 2 64+3 41-69; CHAT 0.0.0.3 4 129+3 105-135"),
	C("malformed line, then DCC",
	  "PRIVMSG a :\001DCC SEND f 4294967296 2\001\r\nPRIVMSG a :\001DCC SEND f 1 2\001\r\n",
	  "SEND 0.0.0.1 2 61+3 38-67"),
};

/* Lines too long to write out: padded to the limit, and huge digit runs. */
static void long_cases(void)
{
	static uint8_t buf[20100];
	static struct run r;
	static char got[512];
	static const struct { const char *desc, *head; char fill; size_t n; const char *tail, *want; } lc[] = {
		{ "line of 512", "PRIVMSG ", 'b', 484, " :\001DCC SEND f 1 2\001\r\n", "SEND 0.0.0.1 2 506+3 0-512" },
		{ "line of 513", "PRIVMSG ", 'b', 485, " :\001DCC SEND f 1 2\001\r\n", "" },
		{ "quoted name of 10000 bytes, then DCC", "PRIVMSG b :\001DCC SEND \"", 'x', 10000,
		  "\" 1 2\001\r\nPRIVMSG b :\001DCC SEND f 1 2\001\r\n", "SEND 0.0.0.1 2 10053+3 10030-10059" },
		{ "address of 10000 digits, then DCC", "PRIVMSG b :\001DCC SEND f ", '1', 10000,
		  " 2\001\r\nPRIVMSG b :\001DCC SEND f 1 2\001\r\n", "SEND 0.0.0.1 2 10051+3 10028-10057" },
		{ "port of 10000 digits", "PRIVMSG b :\001DCC SEND f 1 ", '6', 10000, "\001\r\n", "" },
		{ "IPv6 of 10000 colons", "PRIVMSG b :\001DCC SEND f ", ':', 10000, " 1\001\r\n", "" },
		{ "10000 spaces after PRIVMSG", "PRIVMSG", ' ', 10000, "b :\001DCC SEND f 1 2\001\r\n", "" },
	};

	for (size_t i = 0; i < sizeof(lc) / sizeof(lc[0]); i++) {
		size_t hl = strlen(lc[i].head), tl = strlen(lc[i].tail), len = hl + lc[i].n + tl;

		memcpy(buf, lc[i].head, hl);
		memset(buf + hl, lc[i].fill, lc[i].n);
		memcpy(buf + hl + lc[i].n, lc[i].tail, tl);
		if (!check_stream(lc[i].desc, 0, buf, len, &r))
			continue;
		fmt_run(&r, got, sizeof(got), false);
		tap_ok(!strcmp(got, lc[i].want), "%s: \"%s\" (want \"%s\")", lc[i].desc, got, lc[i].want);
	}
}

/* candidate: could the unfinished line still match (NAT holds such bytes back)? */
static void candidate_cases(void)
{
	static const struct { const char *in; unsigned want; } cc[] = {
		{ "P", 1 }, { "privmsg", 1 }, { "PRIVMSG b :", 1 }, { "PRIVMSG b :\001DCC SEND", 1 },
		{ "PRIVMSG b :\001DCC SEND \"a b", 1 }, { "PRIVMSG b :\001DCC SEND f 2001:db8::", 1 },
		{ "PRIVMSG b :\001DCC SEND f 1 2", 1 }, { "PRIVMSG b :\001DCC SEND f 1 2\001", 1 },
		{ "PRIVMSG b :\001DCC SEND f 1 2\001\r", 1 }, { "PRIVMSG b :\001DCC SEND f 1 2\001\r\nP", 1 },
		{ "N", 0 }, { "NOTICE", 0 }, { "PRIVMSG b :h", 0 }, { "PRIVMSG b :\001VERSION", 0 },
		{ "PRIVMSG b :\001DCC SEND f 4294967296", 0 }, { "PRIVMSG b :\001DCC SEND f 1 2\001\r\n", 0 },
		{ "PRIVMSG b :\001DCC SEND f 1 2\001x", 0 }, { ":x PRIVMSG", 0 }, { "", 0 },
	};
	static uint8_t buf[600];
	static struct run r;

	for (size_t i = 0; i < sizeof(cc) / sizeof(cc[0]); i++) {
		size_t len = strlen(cc[i].in);

		run_split(0, (const uint8_t *)cc[i].in, len, len, &r);
		tap_ok(r.end.candidate == cc[i].want, "candidate after case %zu (%zu bytes) is %u", i,
		       len, cc[i].want);
	}
	/* 511 bytes: the LF still fits in IRC_LINE_MAX; at 512 it cannot */
	memcpy(buf, "PRIVMSG ", 8);
	memset(buf + 8, 'b', sizeof(buf) - 8);
	run_split(0, buf, 511, 511, &r);
	TAP_EQ_U(r.end.candidate, 1, "candidate at 511 bytes");
	run_split(0, buf, 512, 512, &r);
	TAP_EQ_U(r.end.candidate, 0, "candidate at 512 bytes");
	run_split(0, buf, 600, 600, &r);
	TAP_EQ_U(r.end.candidate, 0, "candidate at 600 bytes");
}

static void hand_cases(void)
{
	static struct run r;
	static char got[4096];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		if (!check_stream(c->desc, 0, (const uint8_t *)c->in, c->len, &r))
			continue;
		fmt_run(&r, got, sizeof(got), false);
		tap_ok(!strcmp(got, c->want), "%s: \"%s\" (want \"%s\")", c->desc, got, c->want);
	}
	/* offsets are absolute from the position given to init */
	run_split(1000, (const uint8_t *)cases[0].in, cases[0].len, cases[0].len, &r);
	fmt_run(&r, got, sizeof(got), false);
	tap_ok(!strcmp(got, "SEND 10.0.0.1 5555 1033+14 1000-1053"), "offsets from init pos: %s", got);
	tap_ok(r.n == 1 && r.m[0].addr4 == 167772161, "addr4 is the number as written");
}

/* Expectations read off the transcripts (grep -c '^PRIVMSG [^ ]* :\\x01DCC ' on the C->S
 * blocks, plus the one line of zeek-dcc-send-many split across frames 4 and 5; the two
 * zeek malformed ones are S->C and carry no \1): DCC offers in the client direction,
 * first and last as "TYPE addr port text-NAT-replaces".  The server direction must give
 * none (the helper does not parse it; replies carry a :prefix). */
static const struct {
	const char *name;
	unsigned n;
	const char *first, *last;
} corpus[] = {
	{ "suricata-irc-no-dcc", 0, NULL, NULL },
	{ "zeek-dcc-send-and-chat", 2, "SEND 10.0.0.7 59130 167772167 59130",
	  "CHAT 10.0.0.7 59214 167772167 59214" },
	{ "zeek-dcc-send-first-command", 1, "SEND 10.0.0.1 5555 167772161 5555",
	  "SEND 10.0.0.1 5555 167772161 5555" },
	{ "zeek-dcc-send-malformed-host", 0, NULL, NULL },
	{ "zeek-dcc-send-malformed-port", 0, NULL, NULL },
	{ "zeek-dcc-send-many", 30, "SEND 192.0.2.30 20000 3221226014 20000",
	  "SEND 192.0.2.31 21019 3221226015 21019" },
};

#define MAXFLOW 8
#define STREAM_MAX (1 << 18)
#define CUTS_MAX 1024
#define RUNTEXT 16384

struct stream {
	uint8_t buf[STREAM_MAX];
	size_t len, cut[CUTS_MAX], ncut;
};

/* The naive count: lines starting "PRIVMSG " whose text starts ":\1DCC ". */
static unsigned naive_count(const uint8_t *d, size_t len)
{
	unsigned n = 0;

	for (size_t i = 0; i < len;) {
		const uint8_t *e = memchr(d + i, '\n', len - i);
		size_t l = e ? (size_t)(e - (d + i)) : len - i;
		char line[IRC_LINE_MAX + 1];

		if (l < sizeof(line)) {
			memcpy(line, d + i, l);
			line[l] = 0;
			if (!strncasecmp(line, "PRIVMSG ", 8) && strstr(line, " :\001DCC ") && e)
				n++;
		}
		i += l + 1;
	}
	return n;
}

static void corpus_one(size_t ci, struct stream *st, struct run *seg, struct run *whole,
		       struct run *bytes)
{
	static char got[MAXM][160], a[RUNTEXT], b[RUNTEXT];
	char path[256];
	struct capture c;
	unsigned n = 0, nserver = 0, naive = 0;
	bool same = true, sane = true;

	snprintf(path, sizeof(path), CORPUS "%s.txt", corpus[ci].name);
	if (capture_load(&c, path)) {
		tap_ok(false, "load %s", path);
		return;
	}
	/* Retransmitted bytes were already delivered: the stream carries them once. */
	for (size_t i = 0; i < c.n; i++) {
		const struct capture_seg *g = &c.seg[i];
		struct stream *s = &st[(g->flow % MAXFLOW) * 2 + !g->to_server];

		if (g->retrans || g->flow >= MAXFLOW || s->len + g->len > STREAM_MAX ||
		    s->ncut == CUTS_MAX) {
			tap_ok(g->retrans, "%s: frame %u fits the test's buffers", path, g->frame);
			continue;
		}
		memcpy(s->buf + s->len, g->data, g->len);
		s->len += g->len;
		s->cut[s->ncut++] = s->len;
	}
	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		struct stream *s = &st[k];
		struct irc_parser p;

		if (!s->len)
			continue;
		/* as the capture cut it, whole, and byte by byte */
		memset(seg, 0, sizeof(*seg));
		irc_parser_init(&p, 0);
		for (size_t j = 0, at = 0; j < s->ncut; at = s->cut[j++])
			feed(&p, s->buf + at, s->cut[j] - at, seg);
		seg->end = p;
		run_split(0, s->buf, s->len, s->len, whole);
		run_split(0, s->buf, s->len, 0, bytes);
		fmt_run(seg, a, RUNTEXT, true);
		fmt_run(whole, b, RUNTEXT, true);
		same = same && !strcmp(a, b);
		fmt_run(bytes, b, RUNTEXT, true);
		same = same && !strcmp(a, b);
		sane = sane && run_sane(seg, s->buf, s->len, 0);
		if (k % 2) {
			nserver += (unsigned)seg->n;
		} else {
			naive += naive_count(s->buf, s->len);
			for (size_t j = 0; j < seg->n && n < MAXM; j++) {
				const struct irc_match *m = &seg->m[j];
				char ad[INET6_ADDRSTRLEN];

				fmt_addr(m, ad, sizeof(ad));
				snprintf(got[n++], sizeof(got[0]), "%s %s %u %.*s", tname(m->type), ad,
					 m->port, (int)m->len, (const char *)s->buf + m->off);
			}
		}
		s->len = s->ncut = 0;
	}
	tap_ok(same, "%s: capture segments, whole streams and single bytes agree", corpus[ci].name);
	tap_ok(sane, "%s: match offsets inside their lines", corpus[ci].name);
	tap_ok(n == corpus[ci].n && naive == n, "%s: %u DCC offers (want %u, naive scan %u)",
	       corpus[ci].name, n, corpus[ci].n, naive);
	tap_ok(!nserver, "%s: none in the server direction (got %u)", corpus[ci].name, nserver);
	if (corpus[ci].first && n)
		tap_ok(!strcmp(got[0], corpus[ci].first), "%s: first \"%s\" (want \"%s\")",
		       corpus[ci].name, got[0], corpus[ci].first);
	if (corpus[ci].last && n)
		tap_ok(!strcmp(got[n - 1], corpus[ci].last), "%s: last \"%s\" (want \"%s\")",
		       corpus[ci].name, got[n - 1], corpus[ci].last);
	capture_free(&c);
}

static void corpus_cases(void)
{
	struct stream *st = calloc(2 * MAXFLOW, sizeof(*st));
	static struct run r[3];

	if (!tap_ok(st != NULL, "corpus buffers"))
		return;
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		corpus_one(i, st, &r[0], &r[1], &r[2]);
	free(st);
}

void test_irc_parser(void);
void test_irc_parser(void)
{
	hand_cases();
	long_cases();
	candidate_cases();
	corpus_cases();
}
