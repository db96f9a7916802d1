/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_irc_parser: hand-made cases (each also fed cut at every byte and byte by byte, by
 * the shared split harness) and every IRC capture of tests/corpus, against DCC offers
 * counted off the transcripts by hand and by a naive line scan written here. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "capture.h"
#include "split_irc.h"
#include "tap.h"

#define CORPUS "../corpus/irc/"
#define MAXM 64

static const char *const type_name[] = { "?", "SEND", "CHAT", "MOVE", "TSEND", "SCHAT" };
#define NTYPES (sizeof(type_name) / sizeof(type_name[0]))

static struct split_rec whole_rec[MAXM];
static struct split_run whole = { .rec = whole_rec, .cap = MAXM };

static void fmt_addr(const struct split_rec *m, char *buf, size_t cap)
{
	if (!m->family || !inet_ntop(m->family == 6 ? AF_INET6 : AF_INET, m->addr, buf, (socklen_t)cap))
		snprintf(buf, cap, "-");
}

/* Beyond the shared line checks: the replaced text covers "<digits> <digits>" (or IPv6
 * text), and the numbers reported are the ones written. */
static bool dcc_sane(const struct split_run *r, const uint8_t *d, size_t len, uint64_t pos)
{
	if (!split_lines_sane(r, d, len, pos, IRC_LINE_MAX))
		return false;
	for (size_t i = 0; i < r->n; i++) {
		const struct split_rec *m = &r->rec[i];
		const uint8_t *t = d + (m->off - pos);

		if (m->len < 3 || (m->family != 4 && m->family != 6))
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
			if (v != &port || a4 != m->v[SPLIT_IRC_ADDR4] || port != m->port ||
			    ((uint32_t)m->addr[0] << 24 | (uint32_t)m->addr[1] << 16 |
			     (uint32_t)m->addr[2] << 8 | m->addr[3]) != m->v[SPLIT_IRC_ADDR4])
				return false;
		}
	}
	return true;
}

/* Feed d whole and every other way; true when they agree.  whole holds the result. */
static bool check_stream(const char *desc, uint64_t pos, const uint8_t *d, size_t len)
{
	if (!split_check(&split_irc, &pos, d, len, &whole, desc))
		return false;
	return tap_ok(dcc_sane(&whole, d, len, pos), "%s: offsets sane", desc);
}

static void run_whole(uint64_t pos, const uint8_t *d, size_t len)
{
	split_feed_whole(&split_irc, &pos, d, len, &whole);
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
		if (!check_stream(lc[i].desc, 0, buf, len))
			continue;
		split_line_fmt(&whole, type_name, NTYPES, got, sizeof(got));
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

	for (size_t i = 0; i < sizeof(cc) / sizeof(cc[0]); i++) {
		size_t len = strlen(cc[i].in);

		run_whole(0, (const uint8_t *)cc[i].in, len);
		tap_ok(whole.end.v[SPLIT_IRC_CAND] == cc[i].want, "candidate after case %zu (%zu bytes) is %u",
		       i, len, cc[i].want);
	}
	/* 511 bytes: the LF still fits in IRC_LINE_MAX; at 512 it cannot */
	memcpy(buf, "PRIVMSG ", 8);
	memset(buf + 8, 'b', sizeof(buf) - 8);
	run_whole(0, buf, 511);
	TAP_EQ_U(whole.end.v[SPLIT_IRC_CAND], 1, "candidate at 511 bytes");
	run_whole(0, buf, 512);
	TAP_EQ_U(whole.end.v[SPLIT_IRC_CAND], 0, "candidate at 512 bytes");
	run_whole(0, buf, 600);
	TAP_EQ_U(whole.end.v[SPLIT_IRC_CAND], 0, "candidate at 600 bytes");
}

static void hand_cases(void)
{
	static char got[4096];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		if (!check_stream(c->desc, 0, (const uint8_t *)c->in, c->len))
			continue;
		split_line_fmt(&whole, type_name, NTYPES, got, sizeof(got));
		tap_ok(!strcmp(got, c->want), "%s: \"%s\" (want \"%s\")", c->desc, got, c->want);
	}
	/* offsets are absolute from the position given to init */
	check_stream("first case from position 1000", 1000, (const uint8_t *)cases[0].in, cases[0].len);
	split_line_fmt(&whole, type_name, NTYPES, got, sizeof(got));
	tap_ok(!strcmp(got, "SEND 10.0.0.1 5555 1033+14 1000-1053"), "offsets from init pos: %s", got);
	tap_ok(whole.n == 1 && whole.rec[0].v[SPLIT_IRC_ADDR4] == 167772161,
	       "addr4 is the number as written");
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

static void corpus_one(size_t ci, struct split_stream *st)
{
	static char got[MAXM][160];
	char path[256];
	struct capture c;
	unsigned n = 0, nserver = 0, naive = 0;
	bool same = true, sane = true;
	uint64_t pos = 0;

	snprintf(path, sizeof(path), CORPUS "%s.txt", corpus[ci].name);
	if (capture_load(&c, path)) {
		tap_ok(false, "load %s", path);
		return;
	}
	split_streams_add(&c, st, MAXFLOW, path);
	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		struct split_stream *s = &st[k];

		if (!s->len)
			continue;
		/* as the capture cut it, whole, and byte by byte */
		same = split_agree_pieces(&split_irc, &pos, s->buf, s->len, s->sizes, s->nsizes,
					  &whole) && same;
		sane = sane && dcc_sane(&whole, s->buf, s->len, 0);
		if (k % 2) {
			nserver += (unsigned)whole.n;
		} else {
			naive += naive_count(s->buf, s->len);
			for (size_t j = 0; j < whole.n && j < whole.cap && n < MAXM; j++) {
				const struct split_rec *m = &whole.rec[j];
				char ad[INET6_ADDRSTRLEN];

				fmt_addr(m, ad, sizeof(ad));
				snprintf(got[n++], sizeof(got[0]), "%s %s %u %.*s",
					 type_name[m->type < NTYPES ? m->type : 0], ad, m->port,
					 (int)m->len, (const char *)s->buf + m->off);
			}
		}
		s->len = s->nsizes = 0;
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
	static struct split_stream st[2 * MAXFLOW];
	bool ok = true;

	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		st[k].buf = malloc(STREAM_MAX);
		st[k].sizes = malloc(CUTS_MAX * sizeof(size_t));
		st[k].cap = STREAM_MAX;
		st[k].sizes_cap = CUTS_MAX;
		ok = ok && st[k].buf && st[k].sizes;
	}
	if (tap_ok(ok, "corpus buffers"))
		for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
			corpus_one(i, st);
	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		free(st[k].buf);
		free(st[k].sizes);
	}
}

void test_irc_parser(void);
void test_irc_parser(void)
{
	hand_cases();
	long_cases();
	candidate_cases();
	corpus_cases();
}
