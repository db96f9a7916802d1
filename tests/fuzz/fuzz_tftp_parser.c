/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_tftp_parser: any bytes as one datagram, fed whole, cut once, cut into many pieces
 * and byte by byte (the split harness, tests/lib/split.c), must give the same result, and
 * tftp_parse the same again; and the result must agree with a plain re-reading of
 * RFC 1350 / 2347 written here independently (split on NULs): a datagram is a request
 * exactly when that reading accepts it, with the same filename, mode and option values.
 * Seeds: seeds/tftp_parser/ holds the datagrams of tests/corpus/tftp (zeek/spicy-tftp,
 * BSD-style; the-tcpdump-group/tcpdump, BSD; see tests/corpus/SOURCES.tsv) and hand-made
 * requests with every option, malformed ones and an oversized one. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "split_tftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_tftp_parser: %s\n", what);
	abort();
}

static const struct { const char *name; uint32_t bit; unsigned digits; } known[] = {
	{ "blksize", TFTP_OPT_BLKSIZE, 5 }, { "timeout", TFTP_OPT_TIMEOUT, 3 },
	{ "tsize", TFTP_OPT_TSIZE, 19 }, { "windowsize", TFTP_OPT_WINDOWSIZE, 5 },
};

/* The reference reading: is d a well-formed request?  If so, *ref holds what it says. */
static bool ref_request(const uint8_t *d, size_t len, struct tftp_request *ref)
{
	static const char *const modes[] = { NULL, "netascii", "octet", "mail" };
	char tok[2][TFTP_REQ_MAX + 1];
	unsigned ntok = 0;
	size_t off = 2;

	memset(ref, 0, sizeof(*ref));
	if (len < 2 || len > TFTP_REQ_MAX || (d[0] << 8 | d[1]) < 1 || (d[0] << 8 | d[1]) > 2 ||
	    d[len - 1] != 0)
		return false;
	ref->opcode = (uint16_t)(d[0] << 8 | d[1]);
	while (off < len) {
		size_t n = strlen((const char *)d + off);	/* d[len - 1] is 0 */
		char *t = tok[ntok % 2];

		memcpy(t, d + off, n + 1);
		if (ntok == 0) {
			if (!n)
				return false;
			ref->file_off = (uint16_t)off;
			ref->file_len = (uint16_t)n;
		} else if (ntok == 1) {
			int m = 1;

			while (m < 4 && strcasecmp(t, modes[m]))
				m++;
			if (m == 4)
				return false;
			ref->mode = (enum tftp_mode)m;
		} else if (ntok % 2 == 0) {
			if (!n)
				return false;	/* empty option name */
		} else {
			unsigned i = 0;

			while (i < 4 && strcasecmp(tok[0], known[i].name))
				i++;
			if (i == 4) {
				ref->unknown++;
			} else {
				if (!n || n > known[i].digits || strspn(t, "0123456789") != n ||
				    (ref->present & known[i].bit))
					return false;
				ref->present |= known[i].bit;
				uint64_t v = strtoull(t, NULL, 10);

				if (i == 0)
					ref->blksize = (uint32_t)v;
				else if (i == 1)
					ref->timeout = (uint32_t)v;
				else if (i == 2)
					ref->tsize = v;
				else
					ref->windowsize = (uint32_t)v;
			}
		}
		ntok++;
		off += n + 1;
	}
	return ntok >= 2 && ntok % 2 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	static struct split_rec rec[1];
	static struct split_run run = { .rec = rec, .cap = 1 };
	struct split_rec once = { 0 }, refrec = { 0 };
	struct tftp_request whole, ref;
	bool req;

	/* the cut points come from the input itself */
	split_fuzz(&split_tftp, NULL, d, len, d, len, &run);
	tftp_parse(d, len, &whole);
	split_tftp_rec(&whole, &once);
	if (run.n != 1 || !split_rec_equal(&rec[0], &once))
		fail("tftp_parse differs from init, execute in pieces, finish");
	if ((whole.result == TFTP_MALFORMED) != (whole.reason != TFTP_BAD_NONE))
		fail("a reason exactly when malformed");
	if ((len < 2) != (whole.reason == TFTP_BAD_SHORT))
		fail("short exactly below two bytes");
	if (len >= 2 && (whole.opcode != (d[0] << 8 | d[1]) ||
			 (whole.result == TFTP_OTHER) != (whole.opcode != TFTP_RRQ && whole.opcode != TFTP_WRQ)))
		fail("other exactly for opcodes but RRQ and WRQ");
	req = ref_request(d, len, &ref);
	if (req != (whole.result == TFTP_REQUEST))
		fail(req ? "reference accepts a request the grammar refuses"
			 : "grammar accepts a request the reference refuses");
	split_tftp_rec(&ref, &refrec);
	if (req && !split_rec_equal(&once, &refrec))
		fail("request's fields differ from the reference reading");
	if (whole.reason == TFTP_BAD_OVERSIZE && len <= TFTP_REQ_MAX)
		fail("oversized at 512 bytes or less");
	return 0;
}
