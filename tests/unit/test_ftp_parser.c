/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_ftp_parser: hand-made cases (each also fed cut at every byte and byte by byte, by
 * the shared split harness) and every FTP capture of tests/corpus, against expectations
 * read off the transcripts by hand. */
#include <arpa/inet.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"
#include "split_ftp.h"
#include "tap.h"

#define CORPUS "../corpus/ftp/"
#define MAXM 600

static const char *const type_name[] = { "?", "PORT", "EPRT", "PASV", "EPSV" };
#define NTYPES (sizeof(type_name) / sizeof(type_name[0]))

static struct split_rec whole_rec[MAXM];
static struct split_run whole = { .rec = whole_rec, .cap = MAXM };

/* Feed d whole and every other way; true when they agree.  whole holds the result. */
static bool check_stream(const char *desc, enum ftp_side side, uint64_t pos, const uint8_t *d,
			 size_t len)
{
	struct split_ftp_arg arg = { side, pos };

	if (!split_check(&split_ftp, &arg, d, len, &whole, desc))
		return false;
	/* offsets NAT will act on must lie inside the reported line, inside what was fed */
	return tap_ok(split_lines_sane(&whole, d, len, pos, FTP_LINE_MAX), "%s: offsets sane", desc);
}

static void run_whole(enum ftp_side side, uint64_t pos, const uint8_t *d, size_t len)
{
	struct split_ftp_arg arg = { side, pos };

	split_feed_whole(&split_ftp, &arg, d, len, &whole);
}

struct tcase {
	const char *desc;
	enum ftp_side side;
	const char *in;
	size_t len;
	const char *want;
};

#define C(desc, in, want) { desc, FTP_CLIENT, in, sizeof(in) - 1, want }
#define S(desc, in, want) { desc, FTP_SERVER, in, sizeof(in) - 1, want }

static const struct tcase cases[] = {
	C("PORT", "PORT 192,168,1,2,4,1\r\n", "PORT 192.168.1.2 1025 5+15 0-22"),
	C("port, LF only", "port 10,0,0,1,0,21\n", "PORT 10.0.0.1 21 5+13 0-19"),
	C("PoRt mixed case", "PoRt 1,2,3,4,5,6\r\n", "PORT 1.2.3.4 1286 5+11 0-18"),
	C("PORT, several spaces", "PORT   1,2,3,4,5,6\r\n", "PORT 1.2.3.4 1286 7+11 0-20"),
	C("PORT, trailing spaces", "PORT 1,2,3,4,5,6   \r\n", "PORT 1.2.3.4 1286 5+11 0-21"),
	C("PORT, trailing space, LF", "PORT 1,2,3,4,5,6 \n", "PORT 1.2.3.4 1286 5+11 0-18"),
	C("PORT, leading zeros", "PORT 001,002,003,004,000,021\r\n", "PORT 1.2.3.4 21 5+23 0-30"),
	C("PORT, all 255", "PORT 255,255,255,255,255,255\r\n", "PORT 255.255.255.255 65535 5+23 0-30"),
	C("PORT, all 0", "PORT 0,0,0,0,0,0\r\n", "PORT 0.0.0.0 0 5+11 0-18"),
	C("PORT 256", "PORT 256,1,1,1,1,1\r\n", ""),
	C("PORT p2 300", "PORT 1,2,3,4,5,300\r\n", ""),
	C("PORT four digits", "PORT 1,2,3,4,5,1000\r\n", ""),
	C("PORT four digits, zeros", "PORT 0001,2,3,4,5,6\r\n", ""),
	C("PORT empty number", "PORT 1,,3,4,5,6\r\n", ""),
	C("PORT five numbers", "PORT 1,2,3,4,5\r\n", ""),
	C("PORT seven numbers", "PORT 1,2,3,4,5,6,7\r\n", ""),
	C("PORT trailing garbage", "PORT 1,2,3,4,5,6x\r\n", ""),
	C("PORT trailing word", "PORT 1,2,3,4,5,6 x\r\n", ""),
	C("PORT bare CR", "PORT 1,2,3,4,5,6\r\r\n", ""),
	C("PORT CR then text", "PORT 1,2,3,4,5,6\rx\n", ""),
	C("PORTX", "PORTX 1,2,3,4,5,6\r\n", ""),
	C("PORT without space", "PORT1,2,3,4,5,6\r\n", ""),
	C("PORT with TAB", "PORT\t1,2,3,4,5,6\r\n", ""),
	C("PORT not at line start", " PORT 1,2,3,4,5,6\r\n", ""),
	C("PORT inside a line", "NOOP PORT 1,2,3,4,5,6\r\n", ""),
	C("PORT with dots", "PORT 1.2.3.4.5.6\r\n", ""),
	C("PORT negative", "PORT -1,2,3,4,5,6\r\n", ""),
	C("PORT unfinished", "PORT 1,2,3,4,5,6", ""),
	C("PORT NUL after", "PORT 1,2,3,4,5,6\0\r\n", ""),
	C("PORT NUL before", "\0PORT 1,2,3,4,5,6\r\n", ""),
	C("PORT NUL inside", "PORT 1,2\0,3,4,5,6\r\n", ""),
	C("NULs, then PORT", "USER \0\0\r\nPORT 1,2,3,4,5,6\r\n", "PORT 1.2.3.4 1286 14+11 9-27"),
	C("garbage line, then PORT", "PORT 1,2,3,4,5,6x\r\nPORT 1,2,3,4,5,6\r\n",
	  "PORT 1.2.3.4 1286 24+11 19-37"),
	C("several commands", "USER a\r\nPORT 1,2,3,4,5,6\r\nLIST\r\nport 7,8,9,10,11,12\nQUIT\r\n",
	  "PORT 1.2.3.4 1286 13+11 8-26; PORT 7.8.9.10 2828 37+14 32-52"),
	C("227 from the client", "227 (1,2,3,4,5,6)\r\n", ""),

	C("EPRT |1| (RFC 2428)", "EPRT |1|132.235.1.2|6275|\r\n", "EPRT 132.235.1.2 6275 5+20 0-27"),
	C("EPRT |2| (RFC 2428)", "EPRT |2|1080::8:800:200C:417A|5282|\r\n",
	  "EPRT 1080::8:800:200c:417a 5282 5+30 0-37"),
	C("eprt, ! delimiter", "eprt !1!10.0.0.1!21!\n", "EPRT 10.0.0.1 21 5+15 0-21"),
	C("EPRT ::", "EPRT |2|::|1|\n", "EPRT :: 1 5+8 0-14"),
	C("EPRT ::1", "EPRT |2|::1|1|\n", "EPRT ::1 1 5+9 0-15"),
	C("EPRT 1::", "EPRT |2|1::|1|\n", "EPRT 1:: 1 5+9 0-15"),
	C("EPRT eight groups", "EPRT |2|1:2:3:4:5:6:7:8|1|\n", "EPRT 1:2:3:4:5:6:7:8 1 5+21 0-27"),
	C("EPRT ::ffff:v4", "EPRT |2|::ffff:1.2.3.4|1|\n", "EPRT ::ffff:1.2.3.4 1 5+20 0-26"),
	C("EPRT six groups + v4", "EPRT |2|1:2:3:4:5:6:1.2.3.4|1|\n", "EPRT 1:2:3:4:5:6:102:304 1 5+25 0-31"),
	C("EPRT mixed case hex", "EPRT |2|FFFF:ffff:0:0:0:0:0:1|1|\n", "EPRT ffff:ffff::1 1 5+27 0-33"),
	C("EPRT gap after zeros", "EPRT |2|1:0:0:2::3|1|\n", "EPRT 1:0:0:2::3 1 5+16 0-22"),
	C("EPRT gap + v4", "EPRT |2|2001:db8::192.168.0.1|1|\n", "EPRT 2001:db8::c0a8:1 1 5+27 0-33"),
	C("EPRT all zeros, long", "EPRT |2|0000:0000:0000:0000:0000:0000:0000:0000|1|\n",
	  "EPRT :: 1 5+45 0-51"),
	C("EPRT port 0", "EPRT |1|1.2.3.4|0|\r\n", "EPRT 1.2.3.4 0 5+13 0-20"),
	C("EPRT port 65535", "EPRT |1|1.2.3.4|65535|\n", "EPRT 1.2.3.4 65535 5+17 0-23"),
	C("EPRT port 00080", "EPRT |1|1.2.3.4|00080|\n", "EPRT 1.2.3.4 80 5+17 0-23"),
	C("EPRT port 000080", "EPRT |1|1.2.3.4|000080|\n", ""),
	C("EPRT port 65536", "EPRT |1|1.2.3.4|65536|\r\n", ""),
	C("EPRT port 123456", "EPRT |1|1.2.3.4|123456|\r\n", ""),
	C("EPRT empty port", "EPRT |1|1.2.3.4||\r\n", ""),
	C("EPRT family 3", "EPRT |3|1.2.3.4|80|\r\n", ""),
	C("EPRT v4 256", "EPRT |1|1.2.3.256|80|\r\n", ""),
	C("EPRT v4 three parts", "EPRT |1|1.2.3|80|\r\n", ""),
	C("EPRT v6 under |1|", "EPRT |1|::1|80|\r\n", ""),
	C("EPRT v4 under |2|", "EPRT |2|1.2.3.4|80|\r\n", ""),
	C("EPRT mixed delimiters", "EPRT |1!1.2.3.4|80|\r\n", ""),
	C("EPRT mixed last delimiter", "EPRT |1|1.2.3.4|80!\r\n", ""),
	C("EPRT digit delimiter", "EPRT 5151.2.3.45805\r\n", ""),
	C("EPRT space delimiter", "EPRT  1 1.2.3.4 80 \r\n", ""),
	C("EPRT DEL delimiter", "EPRT \x7f" "1\x7f" "1.2.3.4\x7f" "80\x7f\r\n", ""),
	C("EPRT '.' delimiter with v4", "EPRT .1.1.2.3.4.80.\r\n", ""),
	C("EPRT ':' delimiter with v6", "EPRT :2:::1:80:\r\n", ""),
	C("EPRT 'a' delimiter with v6", "EPRT a2a::1a80a\r\n", ""),
	C("EPRT two spaces", "EPRT  |1|1.2.3.4|80|\r\n", ""),
	C("EPRT trailing garbage", "EPRT |1|1.2.3.4|80|x\r\n", ""),
	C("EPRT no final delimiter", "EPRT |1|1.2.3.4|80\r\n", ""),
	C("EPRT empty address", "EPRT |2||80|\r\n", ""),
	C("EPRT nine groups", "EPRT |2|1:2:3:4:5:6:7:8:9|1|\n", ""),
	C("EPRT two gaps", "EPRT |2|1::2::3|1|\n", ""),
	C("EPRT five hex digits", "EPRT |2|12345::1|1|\n", ""),
	C("EPRT seven groups", "EPRT |2|1:2:3:4:5:6:7|1|\n", ""),
	C("EPRT :::", "EPRT |2|:::1|1|\n", ""),
	C("EPRT leading single colon", "EPRT |2|:1::|1|\n", ""),
	C("EPRT v6 dotted 256", "EPRT |2|::1.2.3.256|1|\n", ""),
	C("EPRT v6 dotted three parts", "EPRT |2|::1.2.3|1|\n", ""),
	C("EPRT v6 dotted too many groups", "EPRT |2|1:2:3:4:5:6:7:1.2.3.4|1|\n", ""),
	C("EPRT v6 dotted not last", "EPRT |2|::1.2.3.4:5|1|\n", ""),
	C("EPRT v6 non-hex", "EPRT |2|g::1|1|\n", ""),
	C("EPRT v6 zone id", "EPRT |2|fe80::1%eth0|1|\n", ""),
	
	S("227 with parentheses", "227 Entering Passive Mode (192,168,1,2,4,1).\r\n",
	  "PASV 192.168.1.2 1025 27+15 0-46"),
	S("227 with =", "227 =1,2,3,4,5,6\r\n", "PASV 1.2.3.4 1286 5+11 0-18"),
	S("227 without parentheses", "227 Entering Passive Mode 1,2,3,4,5,6\n",
	  "PASV 1.2.3.4 1286 26+11 0-38"),
	S("227 numbers only, LF", "227 1,2,3,4,5,6\n", "PASV 1.2.3.4 1286 4+11 0-16"),
	S("227 trailing text", "227 (1,2,3,4,5,6) trailing text\r\n", "PASV 1.2.3.4 1286 5+11 0-33"),
	S("227 seven numbers", "227 Entering Passive Mode (1,2,3,4,5,6,7)\r\n", ""),
	S("227 other digit first (RFC 1123)", "227 Mode 2 (1,2,3,4,5,6)\r\n", ""),
	S("227 without numbers", "227 Response to PASV command\r\n", ""),
	S("227 256", "227 (1,2,3,4,5,256)\r\n", ""),
	S("227 four digits", "227 (1,2,3,4,5,6666)\r\n", ""),
	S("227 four-digit code", "2270 (1,2,3,4,5,6)\r\n", ""),
	S("227 without space", "227(1,2,3,4,5,6)\r\n", ""),
	S("227 not at line start", " 227 (1,2,3,4,5,6)\r\n", ""),
	S("PORT from the server", "PORT 1,2,3,4,5,6\r\n", ""),
	S("EPRT from the server", "EPRT |1|1.2.3.4|80|\r\n", ""),
	S("229 (RFC 2428)", "229 Entering Extended Passive Mode (|||6446|)\r\n", "EPSV - 6446 39+4 0-47"),
	S("229 ! delimiter, LF", "229 (!!!1!)\n", "EPSV - 1 8+1 0-12"),
	S("229 65535, text after", "229 (|||65535|).\r\n", "EPSV - 65535 8+5 0-18"),
	S("229 mixed delimiters", "229 (|!|6446|)\r\n", ""),
	S("229 without )", "229 (|||6446|\r\n", ""),
	S("229 65536", "229 (|||65536|)\r\n", ""),
	S("229 no last delimiter", "229 (|||6446)\r\n", ""),
	S("229 no parenthesis", "229 |||6446|\r\n", ""),
	S("229 two delimiters", "229 (||6446|)\r\n", ""),
	S("229 no port", "229 (||||)\r\n", ""),
	S("229 digit delimiter", "229 (1116446|)\r\n", ""),
	S("229 earlier parenthesis", "229 Mode (x) (|||1|)\r\n", ""),
	S("227 and 229, LF only", "227 (1,2,3,4,5,6)\n229 (|||2|)\n",
	  "PASV 1.2.3.4 1286 5+11 0-18; EPSV - 2 26+1 18-30"),
	S("227 inside multi-line, then a reply",
	  "211-Features:\r\n227 Entering Passive Mode (1,2,3,4,5,6)\r\n211 End\r\n227 (1,2,3,4,5,6)\r\n",
	  "PASV 1.2.3.4 1286 70+11 65-84"),
	S("227 ending a 227 multi-line reply", "227-Passive\r\n227 (1,2,3,4,5,6)\r\n",
	  "PASV 1.2.3.4 1286 18+11 13-32"),
	S("229/227 inside a banner",
	  "220-Welcome\r\n229 (|||1|)\r\n220-still\r\n227 (1,2,3,4,5,6)\r\n220 ready\r\n", ""),
	S("other code does not end multi-line", "211-a\r\n212 b\r\n227 (1,2,3,4,5,6)\r\n", ""),
	S("ddd- does not end multi-line", "211-a\r\n211-b\r\n227 (1,2,3,4,5,6)\r\n211 c\r\n", ""),
	S("multi-line, LF only, indented 227", "211-a\n 227 (1,2,3,4,5,6)\n211 b\n229 (|||7|)\n",
	  "EPSV - 7 39+1 31-43"),
	S("227 NUL in text", "227 \0x (1,2,3,4,5,6)\r\n", "PASV 1.2.3.4 1286 8+11 0-22"),
	S("long code", "22222222222 (1,2,3,4,5,6)\r\n", ""),
};

/* Cases too long to write out: padded to the line limit, and huge digit runs. */
static void long_cases(void)
{
	static uint8_t buf[20100];
	static char got[512], want[512];
	struct { const char *desc; enum ftp_side side; const char *head; char fill; size_t n;
		 const char *tail; const char *want; } lc[] = {
		{ "PORT line of 128", FTP_CLIENT, "PORT", ' ', 111, "1,2,3,4,5,6\r\n", "PORT 1.2.3.4 1286 115+11 0-128" },
		{ "PORT line of 129", FTP_CLIENT, "PORT", ' ', 112, "1,2,3,4,5,6\r\n", "" },
		{ "227 line of 128", FTP_SERVER, "227 ", 'x', 109, "(1,2,3,4,5,6)\r\n", "PASV 1.2.3.4 1286 114+11 0-128" },
		{ "227 line of 129", FTP_SERVER, "227 ", 'x', 110, "(1,2,3,4,5,6)\r\n", "" },
		{ "EPRT line of 128", FTP_CLIENT, "EPRT |1|1.2.3.4|80|", ' ', 107, "\r\n", "EPRT 1.2.3.4 80 5+14 0-128" },
		{ "EPRT line of 129", FTP_CLIENT, "EPRT |1|1.2.3.4|80|", ' ', 108, "\r\n", "" },
		{ "227 of 10000 bytes, then 227", FTP_SERVER, "227 ", 'x', 10000,
		  "(1,2,3,4,5,6)\r\n227 (1,2,3,4,5,6)\r\n", "PASV 1.2.3.4 1286 10024+11 10019-10038" },
		{ "PORT of 10000 digits, then PORT", FTP_CLIENT, "PORT ", '9', 10000,
		  "\r\nPORT 1,2,3,4,5,6\r\n", "PORT 1.2.3.4 1286 10012+11 10007-10025" },
		{ "227 of 10000 digits", FTP_SERVER, "227 ", '1', 10000, "\r\n", "" },
		{ "EPRT port of 10000 digits", FTP_CLIENT, "EPRT |1|1.2.3.4|", '6', 10000, "|\r\n", "" },
		{ "229 port of 10000 digits", FTP_SERVER, "229 (|||", '0', 10000, "|)\r\n", "" },
		{ "IPv6 of 10000 colons", FTP_CLIENT, "EPRT |2|", ':', 10000, "|1|\r\n", "" },
	};

	for (size_t i = 0; i < sizeof(lc) / sizeof(lc[0]); i++) {
		size_t hl = strlen(lc[i].head), tl = strlen(lc[i].tail), len = hl + lc[i].n + tl;

		memcpy(buf, lc[i].head, hl);
		memset(buf + hl, lc[i].fill, lc[i].n);
		memcpy(buf + hl + lc[i].n, lc[i].tail, tl);
		if (!check_stream(lc[i].desc, lc[i].side, 0, buf, len))
			continue;
		split_line_fmt(&whole, type_name, NTYPES, got, sizeof(got));
		snprintf(want, sizeof(want), "%s", lc[i].want);
		tap_ok(!strcmp(got, want), "%s: \"%s\" (want \"%s\")", lc[i].desc, got, want);
	}
}

/* Printable, single-line rendering of test input for TAP descriptions. */
static const char *esc(const char *in)
{
	static char out[256];
	size_t w = 0;

	for (; *in && w + 5 < sizeof(out); in++) {
		if (*in == '\r' || *in == '\n')
			w += (size_t)snprintf(out + w, sizeof(out) - w, "\\%c", *in == '\r' ? 'r' : 'n');
		else
			out[w++] = *in;
	}
	out[w] = 0;
	return out;
}

/* candidate: could the unfinished line still match (NAT holds such bytes back)? */
static void candidate_cases(void)
{
	static const struct { enum ftp_side side; const char *in; unsigned want; } cc[] = {
		{ FTP_CLIENT, "P", 1 }, { FTP_CLIENT, "PORT 1,2", 1 }, { FTP_CLIENT, "PORT 1,2,3,4,5,6", 1 },
		{ FTP_CLIENT, "PORT 1,2,3,4,5,6 \r", 1 }, { FTP_CLIENT, "EPRT |2|::", 1 },
		{ FTP_CLIENT, "PORT 1,2,3,4,5,6\r\nPO", 1 }, { FTP_CLIENT, "U", 0 },
		{ FTP_CLIENT, "PORTX", 0 }, { FTP_CLIENT, "PORT 1,2,3,4,5,6\r\n", 0 },
		{ FTP_CLIENT, "PORT 1,2,3,4,5,6x", 0 },
		{ FTP_SERVER, "2", 1 }, { FTP_SERVER, "22", 1 }, { FTP_SERVER, "227", 1 },
		{ FTP_SERVER, "227 x", 1 }, { FTP_SERVER, "229 (|||1", 1 }, { FTP_SERVER, "229 (|||1|) x", 1 },
		{ FTP_SERVER, "21", 0 }, { FTP_SERVER, "200", 0 }, { FTP_SERVER, "200 ", 0 },
		{ FTP_SERVER, "227-", 0 }, { FTP_SERVER, "99 x", 0 },
		{ FTP_SERVER, "211-x\r\n227 (1", 0 }, { FTP_SERVER, "211-x\r\n211 y\r\n227 (1", 1 },
		{ FTP_SERVER, "211-x\r\n2", 1 }, { FTP_SERVER, "211-x\r\n22", 0 },
		{ FTP_SERVER, "227-x\r\n227", 1 }, { FTP_SERVER, "227-x\r\n229", 0 },
	};
	static uint8_t buf[200];

	for (size_t i = 0; i < sizeof(cc) / sizeof(cc[0]); i++) {
		run_whole(cc[i].side, 0, (const uint8_t *)cc[i].in, strlen(cc[i].in));
		tap_ok(whole.end.v[SPLIT_FTP_CAND] == cc[i].want, "candidate after %s\"%s\" is %u",
		       cc[i].side == FTP_SERVER ? "server " : "", esc(cc[i].in), cc[i].want);
	}
	/* "227 " plus 123 bytes is 127: the LF still fits in FTP_LINE_MAX; one more does not */
	memcpy(buf, "227 ", 4);
	memset(buf + 4, 'x', sizeof(buf) - 4);
	run_whole(FTP_SERVER, 0, buf, 127);
	TAP_EQ_U(whole.end.v[SPLIT_FTP_CAND], 1, "candidate at 127 bytes");
	run_whole(FTP_SERVER, 0, buf, 128);
	TAP_EQ_U(whole.end.v[SPLIT_FTP_CAND], 0, "candidate at 128 bytes");
	run_whole(FTP_SERVER, 0, buf, 200);
	TAP_EQ_U(whole.end.v[SPLIT_FTP_CAND], 0, "candidate at 200 bytes");
}

static void hand_cases(void)
{
	static char got[4096];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		if (!check_stream(c->desc, c->side, 0, (const uint8_t *)c->in, c->len))
			continue;
		split_line_fmt(&whole, type_name, NTYPES, got, sizeof(got));
		tap_ok(!strcmp(got, c->want), "%s: \"%s\" (want \"%s\")", c->desc, got, c->want);
	}
	/* offsets are absolute from the position given to init */
	check_stream("PORT from position 1000", FTP_CLIENT, 1000, (const uint8_t *)"PORT 1,2,3,4,5,6\r\n", 18);
	split_line_fmt(&whole, type_name, NTYPES, got, sizeof(got));
	tap_ok(!strcmp(got, "PORT 1.2.3.4 1286 1005+11 1000-1018"), "offsets from init pos: %s", got);
}

/* Expectations read off the transcripts (grep '^PORT\|^EPRT\|^227\|^229', retransmissions
 * and multi-line replies excluded by hand): matches per side, first and last of each side
 * as "TYPE addr port text-NAT-replaces". */
static const struct {
	const char *name;
	unsigned nclient, nserver;
	const char *c_first, *c_last, *s_first, *s_last;
} corpus[] = {
	{ "suricata-bounce-port-thirdparty", 2, 0, /* the second PORT names a third host */
	  "PORT 1.1.1.2 59549 1,1,1,2,232,157", "PORT 2.2.2.3 80 2,2,2,3,0,80", NULL, NULL },
	{ "suricata-eprt-ipv6-on-ipv4-ctrl", 1, 0,
	  "EPRT 2601:191:8500:2e00:7c0f:78e0:dc5b:f7c1 34325 |2|2601:191:8500:2e00:7c0f:78e0:dc5b:f7c1|34325|",
	  "EPRT 2601:191:8500:2e00:7c0f:78e0:dc5b:f7c1 34325 |2|2601:191:8500:2e00:7c0f:78e0:dc5b:f7c1|34325|",
	  NULL, NULL },
	{ "suricata-ipv4-epsv", 0, 4, NULL, NULL, "EPSV - 58612 58612", "EPSV - 35656 35656" },
	{ "suricata-ipv4-port-pasv", 7, 7,
	  "PORT 172.23.0.3 45809 172,23,0,3,178,241", "PORT 172.23.0.3 35495 172,23,0,3,138,167",
	  "PASV 172.23.0.2 21008 172,23,0,2,82,16", "PASV 172.23.0.2 21005 172,23,0,2,82,13" },
	{ "suricata-ipv6-eprt-epsv", 7, 7,
	  "EPRT fd00:10:16:1::3 40467 |2|fd00:10:16:1::3|40467|",
	  "EPRT fd00:10:16:1::3 37533 |2|fd00:10:16:1::3|37533|",
	  "EPSV - 21008 21008", "EPSV - 21009 21009" },
	{ "suricata-port-foreign-addr-multi", 20, 0, /* 10 connections, 40 retransmitted PORTs */
	  "PORT 192.168.0.13 59914 192,168,0,13,234,10", "PORT 192.168.0.13 59926 192,168,0,13,234,22",
	  NULL, NULL },
	{ "suricata-too-long-command", 0, 1, NULL, NULL, /* RETR of 5007 bytes: no match */
	  "PASV 2.2.2.2 47373 2,2,2,2,185,13", "PASV 2.2.2.2 47373 2,2,2,2,185,13" },
	{ "zeek-500-port-commands", 500, 0,
	  "PORT 10.0.0.200 20001 10,0,0,200,78,33", "PORT 10.0.0.200 20500 10,0,0,200,80,20", NULL, NULL },
	{ "zeek-invalid-reply-code", 0, 0, NULL, NULL, NULL, NULL },
	{ "zeek-ipv4-port-pasv", 2, 2, /* 230- banner split mid-line across segments */
	  "PORT 141.142.220.235 33582 141,142,220,235,131,46",
	  "PORT 141.142.220.235 37835 141,142,220,235,147,203",
	  "PASV 199.233.217.249 56666 199,233,217,249,221,90",
	  "PASV 199.233.217.249 56667 199,233,217,249,221,91" },
	{ "zeek-ipv6-eprt-epsv", 2, 3,
	  "EPRT 2001:470:1f11:81f:c999:d94:aa7c:2e3e 49189 |2|2001:470:1f11:81f:c999:d94:aa7c:2e3e|49189|",
	  "EPRT 2001:470:1f11:81f:c999:d94:aa7c:2e3e 49190 |2|2001:470:1f11:81f:c999:d94:aa7c:2e3e|49190|",
	  "EPSV - 57086 57086", "EPSV - 57088 57088" },
	{ "zeek-ipv6-epsv-multiline", 0, 1, NULL, NULL, "EPSV - 60931 60931", "EPSV - 60931 60931" },
	{ "zeek-malformed-port-227", 0, 0, NULL, NULL, NULL, NULL }, /* "PORT 114,115", "227 Response" */
	{ "zeek-pasv-natted-server", 0, 29, NULL, NULL,
	  "PASV 205.167.25.101 62459 205,167,25,101,243,251",
	  "PASV 205.167.25.101 65308 205,167,25,101,255,28" },
};

#define MAXFLOW 16
#define STREAM_MAX (1 << 20)
#define CUTS_MAX 4096

static void fmt_corpus(const struct split_rec *m, const uint8_t *stream, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	if (!m->family || !inet_ntop(m->family == 6 ? AF_INET6 : AF_INET, m->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "-");
	snprintf(buf, cap, "%s %s %u %.*s", type_name[m->type < NTYPES ? m->type : 0], a, m->port,
		 (int)m->len, (const char *)stream + m->off);
}

/* Check side's matches (collected in capture order) against the table. */
static void corpus_side(const char *name, const char *side, char (*got)[160], unsigned n,
			unsigned want, const char *first, const char *last)
{
	tap_ok(n == want, "%s: %u %s matches (want %u)", name, n, side, want);
	if (first && n)
		tap_ok(!strcmp(got[0], first), "%s: first %s \"%s\" (want \"%s\")", name, side, got[0], first);
	if (last && n)
		tap_ok(!strcmp(got[n - 1], last), "%s: last %s \"%s\" (want \"%s\")", name, side,
		       got[n - 1], last);
}

static void corpus_one(size_t ci, struct split_stream *st)
{
	static char got[2][MAXM][160];
	char path[256];
	struct capture c;
	unsigned n[2] = { 0, 0 };
	bool same = true, sane = true, closed = true;

	snprintf(path, sizeof(path), CORPUS "%s.txt", corpus[ci].name);
	if (capture_load(&c, path)) {
		tap_ok(false, "load %s", path);
		return;
	}
	split_streams_add(&c, st, MAXFLOW, path);
	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		struct split_stream *s = &st[k];
		struct split_ftp_arg arg = { k % 2 ? FTP_SERVER : FTP_CLIENT, 0 };

		if (!s->len)
			continue;
		/* as the capture cut it, whole, and byte by byte */
		same = split_agree_pieces(&split_ftp, &arg, s->buf, s->len, s->sizes, s->nsizes,
					  &whole) && same;
		sane = sane && split_lines_sane(&whole, s->buf, s->len, 0, FTP_LINE_MAX);
		closed = closed && !whole.end.v[SPLIT_FTP_ML];
		for (size_t j = 0; j < whole.n && j < whole.cap && n[k % 2] < MAXM; j++)
			fmt_corpus(&whole.rec[j], s->buf, got[k % 2][n[k % 2]++], sizeof(got[0][0]));
		s->len = s->nsizes = 0;
	}
	tap_ok(same, "%s: capture segments, whole streams and single bytes agree", corpus[ci].name);
	tap_ok(sane, "%s: match offsets inside their lines", corpus[ci].name);
	tap_ok(closed, "%s: every multi-line reply closed", corpus[ci].name);
	corpus_side(corpus[ci].name, "client", got[0], n[0], corpus[ci].nclient, corpus[ci].c_first,
		    corpus[ci].c_last);
	corpus_side(corpus[ci].name, "server", got[1], n[1], corpus[ci].nserver, corpus[ci].s_first,
		    corpus[ci].s_last);
	capture_free(&c);
}

static void corpus_cases(void)
{
	static struct split_stream st[2 * MAXFLOW];

	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		st[k].buf = malloc(STREAM_MAX);
		st[k].sizes = malloc(CUTS_MAX * sizeof(size_t));
		st[k].cap = st[k].buf ? STREAM_MAX : 0;
		st[k].sizes_cap = st[k].sizes ? CUTS_MAX : 0;
	}
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		corpus_one(i, st);
	for (unsigned k = 0; k < 2 * MAXFLOW; k++) {
		free(st[k].buf);
		free(st[k].sizes);
	}
}

/* The shared reader on every transcript of the corpus, text, hex and GRE-only alike. */
static void capture_cases(void)
{
	static const uint8_t rrq[] = "\0\1file1\0octet";
	struct capture c;
	glob_t g;
	size_t len;

	if (!tap_ok(!glob("../corpus/*/*.txt", 0, NULL, &g) && g.gl_pathc >= 30,
		    "capture: corpus transcripts found"))
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		uint8_t *t = tap_slurp(g.gl_pathv[i], &len);
		size_t blocks = 0;

		for (size_t j = 0; t && j + 4 < len; j++)
			blocks += !memcmp(t + j, "\n### ", 5);
		tap_ok(t && !capture_load(&c, g.gl_pathv[i]) && c.n == blocks,
		       "capture: %s loads, %zu blocks", g.gl_pathv[i] + 23, blocks);
		capture_free(&c);
		free(t);
	}
	globfree(&g);
	if (tap_ok(!capture_load(&c, "../corpus/tftp/tcpdump-rrq.txt"), "capture: load tcpdump-rrq.txt")) {
		tap_bytes(c.seg[0].data, c.seg[0].len, rrq, sizeof(rrq), "capture: hex dump decoded");
		tap_ok(c.seg[0].proto == CAPTURE_UDP && c.seg[0].to_server && c.seg[1].flow == 1,
		       "capture: udp, C->S, a new flow for the reply from another port");
		capture_free(&c);
	}
	if (tap_ok(!capture_load(&c, "../corpus/pptp/zeek-gre-pptp-only.txt"), "capture: load zeek-gre-pptp-only.txt")) {
		tap_ok(c.n == 2 && c.seg[0].proto == CAPTURE_GRE && !c.seg[0].len &&
		       strstr(c.seg[0].note, "call_id=6016"), "capture: GRE header-only blocks");
		capture_free(&c);
	}
}

void test_ftp_parser(void);
void test_ftp_parser(void)
{
	hand_cases();
	long_cases();
	candidate_cases();
	corpus_cases();
	capture_cases();
}
