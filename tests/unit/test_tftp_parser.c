// SPDX-License-Identifier: GPL-2.0-or-later
/* test_tftp_parser: the TFTP request grammar on hand-made datagrams (every opcode, each
 * option and its digit bounds, every malformed shape), each also fed cut at every byte and
 * byte by byte (the shared split harness), and on every TFTP capture of tests/corpus. */
#include <stdio.h>
#include <string.h>
#include "capture.h"
#include "split_tftp.h"
#include "tap.h"

#define CORPUS "../corpus/tftp/"

static bool req_equal(const struct tftp_request *a, const struct tftp_request *b)
{
	return a->result == b->result && a->reason == b->reason && a->opcode == b->opcode &&
	       a->file_off == b->file_off && a->file_len == b->file_len && a->mode == b->mode &&
	       a->present == b->present && a->blksize == b->blksize && a->timeout == b->timeout &&
	       a->windowsize == b->windowsize && a->tsize == b->tsize && a->unknown == b->unknown;
}

static void fmt_req(const struct tftp_request *r, char *buf, size_t cap)
{
	snprintf(buf, cap, "result %d reason %d (%s) opcode %u file %u+%u mode %d present %#x "
		 "blksize %u timeout %u tsize %llu windowsize %u unknown %u", r->result, r->reason,
		 tftp_bad_str(r->reason), r->opcode, r->file_off, r->file_len, r->mode, r->present,
		 r->blksize, r->timeout, (unsigned long long)r->tsize, r->windowsize, r->unknown);
}

static struct split_rec whole_rec[1];
static struct split_run whole = { .rec = whole_rec, .cap = 1 };

/* Parse d whole, cut at every offset and byte by byte (the shared split harness): every
 * run must agree, and tftp_parse (init + execute + finish in one) must say the same. */
static bool parse_all_ways(const uint8_t *d, size_t len, struct tftp_request *r, const char *desc)
{
	struct split_rec once = { 0 };
	bool same = split_check(&split_tftp, NULL, d, len, &whole, desc);

	tftp_parse(d, len, r);
	split_tftp_rec(r, &once);
	tap_ok(whole.n == 1 && split_rec_equal(&whole.rec[0], &once),
	       "%s: tftp_parse gives what the parser fed in pieces gives", desc);
	return same;
}

/* Datagrams are written as C strings with their NULs; len is sizeof - 1. */
#define D(s) (const uint8_t *)(s), sizeof(s) - 1

struct pcase {
	const char *desc;
	const uint8_t *in;
	size_t len;
	struct tftp_request want; /* result, reason, opcode, file_off/len, mode, present, values */
};

#define REQ(op, flen, m) .result = TFTP_REQUEST, .opcode = op, .file_off = 2, .file_len = flen, .mode = m
#define BAD(op, why) .result = TFTP_MALFORMED, .reason = why, .opcode = op
/* what the parser reports of "\0\1f\0octet\0" before the options */
#define F1 .file_off = 2, .file_len = 1, .mode = TFTP_MODE_OCTET

static const struct pcase cases[] = {
	/* RFC 1350 requests and modes */
	{ "RRQ octet", D("\0\1file1\0octet\0"), { REQ(1, 5, TFTP_MODE_OCTET) } },
	{ "WRQ NETASCII (modes in any case)", D("\0\2up/load.bin\0NETASCII\0"),
	  { REQ(2, 11, TFTP_MODE_NETASCII) } },
	{ "RRQ mail", D("\0\1f\0MaIl\0"), { REQ(1, 1, TFTP_MODE_MAIL) } },
	{ "RRQ with a high-bit filename", D("\0\1\xc3\xa9t\xc3\xa9\0octet\0"), { REQ(1, 5, TFTP_MODE_OCTET) } },
	/* what real peers sent on loopback (tftp-hpa 5.2, busybox 1.35, curl 7.88; see README) */
	{ "tftp-hpa get", D("\0\1hello.bin\0octet\0"), { REQ(1, 9, TFTP_MODE_OCTET) } },
	{ "busybox tftp -g -b 1024", D("\0\1hello.bin\0octet\0blksize\0" "1024\0tsize\0" "0\0"),
	  { REQ(1, 9, TFTP_MODE_OCTET), .present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE, .blksize = 1024 } },
	{ "busybox tftp -p (tsize is the file's)", D("\0\2bbup4.txt\0octet\0blksize\0" "1024\0tsize\0" "3\0"),
	  { REQ(2, 9, TFTP_MODE_OCTET), .present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE, .blksize = 1024, .tsize = 3 } },
	{ "curl --tftp-blksize 1428", D("\0\1hello.bin\0octet\0tsize\0" "0\0blksize\0" "1428\0timeout\0" "6\0"),
	  { REQ(1, 9, TFTP_MODE_OCTET), .present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT,
	    .blksize = 1428, .timeout = 6 } },
	/* RFC 2347 options */
	{ "RRQ every known option", D("\0\1f\0octet\0blksize\0" "1428\0tsize\0" "0\0timeout\0" "5\0windowsize\0" "16\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE | TFTP_OPT_TIMEOUT |
	    TFTP_OPT_WINDOWSIZE, .blksize = 1428, .tsize = 0, .timeout = 5, .windowsize = 16 } },
	{ "option names in any case", D("\0\1f\0octet\0BlkSize\0" "512\0TSIZE\0" "77\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .present = TFTP_OPT_BLKSIZE | TFTP_OPT_TSIZE, .blksize = 512, .tsize = 77 } },
	{ "unknown options counted, their values not read",
	  D("\0\1f\0octet\0utimeout\0" "1000\0blksize2\0" "9\0x\0\0rollover\0" "0\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .unknown = 4 } },
	{ "an unknown option twice is two unknown options", D("\0\1f\0octet\0x\0" "1\0x\0" "2\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .unknown = 2 } },
	{ "blksize: five digits", D("\0\1f\0octet\0blksize\0" "99999\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .present = TFTP_OPT_BLKSIZE, .blksize = 99999 } },
	{ "blksize: six digits", D("\0\1f\0octet\0blksize\0" "065464\0"), { BAD(1, TFTP_BAD_VALUE), F1 } },
	{ "blksize: empty", D("\0\1f\0octet\0blksize\0\0"), { BAD(1, TFTP_BAD_VALUE), F1 } },
	{ "blksize: not a number", D("\0\1f\0octet\0blksize\0" "51x\0"), { BAD(1, TFTP_BAD_VALUE), F1 } },
	{ "blksize: signed", D("\0\1f\0octet\0blksize\0-1\0"), { BAD(1, TFTP_BAD_VALUE), F1 } },
	{ "timeout: three digits", D("\0\1f\0octet\0timeout\0" "255\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .present = TFTP_OPT_TIMEOUT, .timeout = 255 } },
	{ "timeout: four digits", D("\0\1f\0octet\0timeout\0" "1000\0"), { BAD(1, TFTP_BAD_VALUE), F1 } },
	{ "tsize: nineteen digits", D("\0\2f\0octet\0tsize\0" "9999999999999999999\0"),
	  { REQ(2, 1, TFTP_MODE_OCTET), .present = TFTP_OPT_TSIZE, .tsize = 9999999999999999999ULL } },
	{ "tsize: twenty digits", D("\0\2f\0octet\0tsize\0" "18446744073709551617\0"), { BAD(2, TFTP_BAD_VALUE), F1 } },
	{ "windowsize: five digits", D("\0\1f\0octet\0windowsize\0" "65535\0"),
	  { REQ(1, 1, TFTP_MODE_OCTET), .present = TFTP_OPT_WINDOWSIZE, .windowsize = 65535 } },
	{ "windowsize: six digits", D("\0\1f\0octet\0windowsize\0" "100000\0"), { BAD(1, TFTP_BAD_VALUE), F1 } },
	{ "blksize given twice", D("\0\1f\0octet\0blksize\0" "512\0blksize\0" "1024\0"), { BAD(1, TFTP_BAD_DUPLICATE), F1,
	  .present = TFTP_OPT_BLKSIZE, .blksize = 512 } },
	/* other opcodes open nothing */
	{ "DATA", D("\0\3\0\1hello"), { .result = TFTP_OTHER, .opcode = 3 } },
	{ "ACK", D("\0\4\0\0"), { .result = TFTP_OTHER, .opcode = 4 } },
	{ "ERROR", D("\0\5\0\1File not found\0"), { .result = TFTP_OTHER, .opcode = 5 } },
	{ "OACK", D("\0\6blksize\0" "256\0"), { .result = TFTP_OTHER, .opcode = 6 } },
	{ "opcode 0", D("\0\0f\0octet\0"), { .result = TFTP_OTHER, .opcode = 0 } },
	{ "opcode 7", D("\0\7f\0octet\0"), { .result = TFTP_OTHER, .opcode = 7 } },
	{ "opcode 0x0101 (a request's low byte is not enough)", D("\1\1f\0octet\0"), { .result = TFTP_OTHER, .opcode = 0x101 } },
	{ "opcode 0xff02", D("\xff\2f\0octet\0"), { .result = TFTP_OTHER, .opcode = 0xff02 } },
	{ "opcode only: ACK", D("\0\4"), { .result = TFTP_OTHER, .opcode = 4 } },
	/* malformed: garbage or probes */
	{ "empty datagram", D(""), { BAD(0, TFTP_BAD_SHORT) } },
	{ "one byte", D("\0"), { BAD(0, TFTP_BAD_SHORT) } },
	{ "RRQ opcode alone (the kernel opens for this)", D("\0\1"), { BAD(1, TFTP_BAD_FILENAME) } },
	{ "empty filename", D("\0\1\0octet\0"), { BAD(1, TFTP_BAD_FILENAME) } },
	{ "unterminated filename", D("\0\1file1"), { BAD(1, TFTP_BAD_UNTERMINATED), .file_off = 2 } },
	{ "no mode", D("\0\1file1\0"), { BAD(1, TFTP_BAD_UNTERMINATED), .file_off = 2, .file_len = 5 } },
	{ "unterminated mode", D("\0\1f\0octet"), { BAD(1, TFTP_BAD_UNTERMINATED), .file_off = 2, .file_len = 1 } },
	{ "partial mode", D("\0\1f\0oct"), { BAD(1, TFTP_BAD_UNTERMINATED), .file_off = 2, .file_len = 1 } },
	{ "unknown mode", D("\0\1f\0binary\0"), { BAD(1, TFTP_BAD_MODE), .file_off = 2, .file_len = 1 } },
	{ "mode with a suffix", D("\0\1f\0octets\0"), { BAD(1, TFTP_BAD_MODE), .file_off = 2, .file_len = 1 } },
	{ "mode prefix", D("\0\1f\0oct\0"), { BAD(1, TFTP_BAD_MODE), .file_off = 2, .file_len = 1 } },
	{ "empty mode", D("\0\1f\0\0"), { BAD(1, TFTP_BAD_MODE), .file_off = 2, .file_len = 1 } },
	{ "empty option name", D("\0\1f\0octet\0\0"), { BAD(1, TFTP_BAD_OPTION), F1 } },
	{ "unterminated option name", D("\0\1f\0octet\0blksize"), { BAD(1, TFTP_BAD_UNTERMINATED),
	  F1 } },
	{ "option without a value", D("\0\1f\0octet\0blksize\0"), { BAD(1, TFTP_BAD_UNTERMINATED),
	  F1 } },
	{ "unterminated option value", D("\0\1f\0octet\0blksize\0" "512"), { BAD(1, TFTP_BAD_UNTERMINATED),
	  F1 } },
	{ "unknown option without a value", D("\0\1f\0octet\0foo\0"), { BAD(1, TFTP_BAD_UNTERMINATED),
	  F1 } },
	{ "trailing garbage after the mode", D("\0\1f\0octet\0garbage"), { BAD(1, TFTP_BAD_UNTERMINATED),
	  F1 } },
};

static void hand_cases(void)
{
	char a[256], b[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];
		struct tftp_request got;

		parse_all_ways(c->in, c->len, &got, c->desc);
		fmt_req(&got, a, sizeof(a));
		fmt_req(&c->want, b, sizeof(b));
		if (!tap_ok(req_equal(&got, &c->want), "%s: %s", c->desc, a))
			tap_diag("want %s", b);
	}
}

/* RFC 2347: 512 bytes at most; a problem earlier in the bytes is named first. */
static void size_cases(void)
{
	uint8_t d[600];
	struct tftp_request r;

	/* "\0\1" + name + "\0octet\0" is 2 + n + 7 bytes */
	memset(d, 'a', sizeof(d));
	d[0] = 0, d[1] = 1;
	memcpy(d + 2 + 503, "\0octet", 7);
	parse_all_ways(d, 512, &r, "a request of exactly 512 bytes");
	tap_ok(r.result == TFTP_REQUEST && r.file_len == 503, "a request of exactly 512 bytes is one");
	memset(d + 2, 'a', sizeof(d) - 2);
	memcpy(d + 2 + 504, "\0octet", 7);
	parse_all_ways(d, 513, &r, "a request of 513 bytes");
	tap_ok(r.result == TFTP_MALFORMED && r.reason == TFTP_BAD_OVERSIZE, "a request of 513 bytes: oversized");
	memset(d + 2, 'a', sizeof(d) - 2);
	memcpy(d + 2 + 504, "\0octet\0x\0", 10);
	parse_all_ways(d, 600, &r, "a request of 600 bytes");
	tap_ok(r.result == TFTP_MALFORMED && r.reason == TFTP_BAD_OVERSIZE, "a request of 600 bytes: oversized");
	memcpy(d + 2, "f\0binary\0", 9);
	parse_all_ways(d, 600, &r, "600 bytes with a bad mode");
	tap_ok(r.result == TFTP_MALFORMED && r.reason == TFTP_BAD_MODE, "600 bytes with a bad mode: the mode is named");
	d[1] = 3;
	parse_all_ways(d, 516, &r, "DATA of 516 bytes");
	tap_ok(r.result == TFTP_OTHER && r.opcode == 3, "DATA of 516 bytes (blksize 512) is no request");
}

/* The corpus' datagrams, and what each holds (read off the transcripts' summaries). */
static const struct {
	const char *name;
	unsigned frame;
	enum tftp_result result;
	uint16_t opcode;
	const char *file;         /* for requests */
	enum tftp_bad reason;
	uint32_t present, blksize;
} corpus[] = {
	{ "spicy-rrq-blksize-oack", 1, TFTP_REQUEST, TFTP_RRQ, "hello.txt", 0, TFTP_OPT_BLKSIZE, 256 },
	{ "spicy-rrq-blksize-oack", 2, TFTP_OTHER, TFTP_OACK, NULL, 0, 0, 0 },
	{ "spicy-rrq-blksize-oack", 3, TFTP_OTHER, TFTP_ACK, NULL, 0, 0, 0 },
	{ "tcpdump-rrq", 1, TFTP_REQUEST, TFTP_RRQ, "file1", 0, 0, 0 },
	{ "tcpdump-rrq", 2, TFTP_OTHER, TFTP_DATA, NULL, 0, 0, 0 },
	/* "\0\1" "00" with no NUL: the kernel opens a pinhole for it */
	{ "tcpdump-heapoverflow-malformed", 1, TFTP_MALFORMED, TFTP_RRQ, NULL, TFTP_BAD_UNTERMINATED, 0, 0 },
};

static void corpus_cases(void)
{
	const char *loaded = NULL;
	struct capture c = { 0 };
	unsigned seen = 0, ndgram = 0;
	char path[128], desc[160];

	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++) {
		const struct capture_seg *g = NULL;
		struct tftp_request r;

		if (!loaded || strcmp(loaded, corpus[i].name)) {
			ndgram += loaded ? (unsigned)c.n : 0;
			capture_free(&c);
			snprintf(path, sizeof(path), CORPUS "%s.txt", corpus[i].name);
			if (!tap_ok(capture_load(&c, path) == 0, "load %s", path))
				continue;
			loaded = corpus[i].name;
		}
		for (size_t j = 0; j < c.n; j++)
			if (c.seg[j].frame == corpus[i].frame && c.seg[j].proto == CAPTURE_UDP)
				g = &c.seg[j];
		snprintf(desc, sizeof(desc), "%s frame %u", corpus[i].name, corpus[i].frame);
		if (!tap_ok(g != NULL, "%s: in the transcript", desc))
			continue;
		seen++;
		parse_all_ways(g->data, g->len, &r, desc);
		tap_ok(r.result == corpus[i].result && r.opcode == corpus[i].opcode && r.reason == corpus[i].reason,
		       "%s: result %d opcode %u reason %s", desc, r.result, r.opcode, tftp_bad_str(r.reason));
		if (corpus[i].file)
			tap_ok(r.file_len == strlen(corpus[i].file) && r.file_off + r.file_len < g->len &&
			       !memcmp(g->data + r.file_off, corpus[i].file, r.file_len) &&
			       r.mode == TFTP_MODE_OCTET && r.present == corpus[i].present &&
			       r.blksize == corpus[i].blksize && !r.unknown,
			       "%s: filename '%s', octet, options as captured", desc, corpus[i].file);
	}
	ndgram += (unsigned)c.n;
	capture_free(&c);
	/* every datagram of the TFTP transcripts is in the table */
	TAP_EQ_U(seen, ndgram, "every datagram of the TFTP captures checked");
}

void test_tftp_parser(void)
{
	hand_cases();
	size_cases();
	corpus_cases();
}
