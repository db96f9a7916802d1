/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_sip_parser: parser throughput over SIP messages from the corpus: the raw messages of
 * tests/fuzz/seeds/sip_parser (datagrams and streams cut out of tests/corpus/sip, and two
 * hand-made ones), the datagrams as UDP, the "tcp" and "pipelined" ones as TCP streams. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sip_parser.h"
#include "throughput.h"

void bench_sip_parser(void);

#define SEG_MAX 256

struct seg {
	const uint8_t *d;
	size_t len;
	bool dgram;
};

static struct seg segs[SEG_MAX];
static size_t nsegs, nbytes;

static size_t parse(const struct seg *s)
{
	static struct sip_parser p;
	struct sip_msg m;
	size_t off = 0, used, n = 0;
	enum sip_result r;

	sip_parser_init(&p, 0, s->dgram);
	do {
		r = sip_parser_execute(&p, s->d + off, s->len - off, &used, &m);
		off += used;
		n += r == SIP_MSG;
	} while (r == SIP_MSG && off < s->len && !s->dgram);
	return n;
}

static size_t round_all(void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < nsegs; i++)
		n += parse(&segs[i]);
	return n;
}

static uint8_t store[64 * 1024];
static size_t nstore;

/* Run from the tree's top (build.sh bench) or from tests/unit. */
static void load(void)
{
	glob_t g;

	if (glob("tests/fuzz/seeds/sip_parser/*", 0, NULL, &g) &&
	    glob("../fuzz/seeds/sip_parser/*", 0, NULL, &g))
		return;
	for (size_t i = 0; i < g.gl_pathc && nsegs < SEG_MAX; i++) {
		FILE *f = fopen(g.gl_pathv[i], "rb");
		size_t n;

		if (!f)
			continue;
		n = fread(store + nstore, 1, sizeof(store) - nstore, f);
		fclose(f);
		segs[nsegs++] = (struct seg){ store + nstore, n, !strstr(g.gl_pathv[i], "tcp") &&
					      !strstr(g.gl_pathv[i], "pipelined") };
		nstore += n;
		nbytes += n;
	}
	globfree(&g);
}

void bench_sip_parser(void)
{
	size_t want;

	load();
	if (!nsegs) {
		printf("sip_parser: no corpus found (run from the tree's top)\n");
		return;
	}
	want = round_all(NULL);
	bench_throughput("sip_parser", round_all, NULL, nbytes, want);
}
