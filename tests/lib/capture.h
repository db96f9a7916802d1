/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture: the payload segments of a corpus capture, read from its transcript (<name>.txt).
 * The transcript already names the direction (client or server side, as the corpus author
 * established it), marks retransmissions and holds control-channel segments only; the
 * format is described in tests/corpus/README. */
#ifndef NFHELPER_TEST_CAPTURE_H
#define NFHELPER_TEST_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum capture_proto { CAPTURE_TCP, CAPTURE_UDP, CAPTURE_GRE };

struct capture_seg {
	unsigned frame;        /* frame number in the .pcap */
	unsigned flow;         /* 0, 1, ... per endpoint pair, in order of first appearance */
	enum capture_proto proto;
	bool to_server;        /* "C->S"; GRE blocks have no direction (false) */
	bool retrans;          /* the transcript marks it a retransmission */
	char src[64], dst[64]; /* "addr:port" or "[addr]:port" (GRE: "addr"), as written */
	char note[160];        /* rest of the header line: remarks, GRE's decoded fields */
	const uint8_t *data;   /* payload (none for GRE: the transcript lists headers only) */
	size_t len;
};

struct capture {
	struct capture_seg *seg;
	size_t n;
	uint8_t *bytes;        /* every segment's payload, back to back */
};

/* Load path (a .txt transcript); 0 or a negative errno, with a diagnostic on stdout. */
int capture_load(struct capture *c, const char *path);
void capture_free(struct capture *c);

#endif
