/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_pptp_parser: parser throughput over a synthetic control connection shaped like a
 * long-lived PPTP session (RFC 2637): start-up, many calls (outgoing and incoming, each
 * with Set-Link-Info and a clear-down), echoes between them; both directions in one
 * stream, as the messages a PNS and a PAC exchange. */
#include <stdio.h>
#include <string.h>
#include "pptp_parser.h"
#include "throughput.h"

void bench_pptp_parser(void);

#define STREAM_MAX (1024 * 1024)
#define CALLS 2000

static uint8_t stream[STREAM_MAX];
static size_t nstream, nmsgs;

/* Message of type t (RFC 2637 layout: call IDs at 12 and 14, result at 16 where present). */
static void add(unsigned t, unsigned a, unsigned b)
{
	unsigned size = pptp_msg_size(t);
	uint8_t *m = stream + nstream;

	if (!size || nstream + size > STREAM_MAX)
		return;
	memset(m, 0, size);
	m[0] = (uint8_t)(size >> 8), m[1] = (uint8_t)size;
	m[3] = 1;
	m[4] = 0x1a, m[5] = 0x2b, m[6] = 0x3c, m[7] = 0x4d;
	m[9] = (uint8_t)t;
	m[12] = (uint8_t)(a >> 8), m[13] = (uint8_t)a;
	if (t == PPTP_OCRP || t == PPTP_ICRP) {
		m[14] = (uint8_t)(b >> 8), m[15] = (uint8_t)b;
		m[16] = 1;
	}
	nstream += size;
	nmsgs++;
}

static void session(void)
{
	add(PPTP_SCCRQ, 0, 0);
	add(PPTP_SCCRP, 0, 0);
	for (unsigned c = 1; c <= CALLS; c++) {
		unsigned pns = c, pac = 0x8000 + c;

		if (c % 2) {
			add(PPTP_OCRQ, pns, 0);
			add(PPTP_OCRP, pac, pns);
		} else {
			add(PPTP_ICRQ, pac, 0);
			add(PPTP_ICRP, pns, pac);
			add(PPTP_ICCN, pac, 0);
		}
		add(PPTP_SLI, pac, 0);
		add(PPTP_ECHORQ, 0, 0);
		add(PPTP_ECHORP, 0, 0);
		if (c % 16 == 0)
			add(PPTP_WEN, pns, 0);
		add(PPTP_CCRQ, pns, 0);
		add(PPTP_CDN, pac, 0);
	}
	add(PPTP_STOPCCRQ, 0, 0);
	add(PPTP_STOPCCRP, 0, 0);
}

static size_t parse(const uint8_t *d, size_t len)
{
	struct pptp_parser p;
	struct pptp_msg m;
	size_t off = 0, used, n = 0;

	pptp_parser_init(&p, 0);
	while (off < len) {
		n += pptp_parser_execute(&p, d + off, len - off, &used, &m) == PPTP_MSG;
		off += used;
	}
	return n;
}

static size_t round_stream(void *arg)
{
	return parse(stream, nstream);
}

void bench_pptp_parser(void)
{
	session();
	bench_throughput("pptp_parser", round_stream, NULL, nstream, nmsgs);
}
