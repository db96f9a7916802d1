/* SPDX-License-Identifier: GPL-2.0-or-later */
/* split: "whole versus split feeding must agree" for every resumable parser, shared by the
 * unit tests (a TAP line per case) and the fuzzers (abort on disagreement).  A parser plugs
 * in with a struct split_proto (tests/lib/split_<proto>.c); the kernel helpers' own parsers have no
 * such property to mirror: it is what lets nfhelper keep state across TCP segments. */
#ifndef NFHELPER_TEST_SPLIT_H
#define NFHELPER_TEST_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPLIT_VALS 10
#define SPLIT_STATE_MAX 4096 /* the largest parser state a run can hold */
#define SPLIT_FUZZ_BYTES_MAX 512

/* One match (or a datagram's result, or a parser's end state) in a shape every protocol
 * shares, so that runs compare field by field without knowing the protocol. */
struct split_rec {
	uint32_t type;          /* the protocol's match type or result */
	uint8_t family;         /* 4 or 6 when an address was given, else 0 */
	uint8_t addr[16];       /* network order; v4 in addr[0..3] */
	uint32_t port;
	uint64_t v[SPLIT_VALS]; /* the protocol's other fields, in its own order */
	uint64_t off, len;      /* the text NAT replaces (stream or datagram offsets) */
	uint64_t line_start, line_end;
};

struct split_proto {
	const char *name;
	size_t state_size;      /* at most SPLIT_STATE_MAX */
	/* Start a stream or datagram; arg is the protocol's (side, start position, ...). */
	void (*init)(void *state, const void *arg);
	/* Feed len bytes; true with *r filled when a match completed after *used bytes (every
	 * field: zero those the protocol does not use; r is not cleared before). */
	bool (*feed)(void *state, const uint8_t *d, size_t len, size_t *used, struct split_rec *r);
	/* Datagram parsers: the datagram ended, *r (every field) is its result (NULL for
	 * streams). */
	void (*finish)(void *state, struct split_rec *r);
	/* The state that the next byte meets (optional; *r comes zeroed): runs must end in
	 * the same one. */
	void (*end)(const void *state, struct split_rec *r);
};

/* What one way of feeding gave. */
struct split_run {
	struct split_rec *rec;  /* caller's storage for cap records */
	size_t cap, n;          /* n counts every record, also those past cap (not kept) */
	bool stuck;             /* feed matched without consuming a byte of a non-empty buffer */
	bool miscount;          /* feed claimed more bytes than given, or fewer without a match */
	struct split_rec end;   /* the end state (zero when the protocol has none) */
	_Alignas(16) unsigned char state[SPLIT_STATE_MAX]; /* the parser as the run left it */
};

void split_run_init(struct split_run *r, struct split_rec *rec, size_t cap);

/* The ways of feeding [d, d + len); each starts afresh with init(arg) and ends with finish. */
void split_feed_whole(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		      struct split_run *r);
/* Two pieces: [0, k) and [k, len) (k is clipped to len). */
void split_feed_cut(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		    size_t k, struct split_run *r);
/* Pieces of sizes[0], sizes[1], ... bytes (0: an empty call, past the end: clipped); what the
 * sizes leave is fed as one last piece. */
void split_feed_pieces(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		       const size_t *sizes, size_t nsizes, struct split_run *r);
void split_feed_bytes(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		      struct split_run *r);

bool split_rec_equal(const struct split_rec *a, const struct split_rec *b);
/* Same records, same end state, same stuck/miscount.  *at: index of the first differing
 * record (n when the counts or the end state differ). */
bool split_run_equal(const struct split_run *a, const struct split_run *b, size_t *at);
/* Every field, for diagnostics. */
void split_rec_fmt(const struct split_rec *r, char *buf, size_t cap);
/* A run whose feeding went wrong or that overflowed its storage. */
bool split_run_clean(const struct split_run *r);

/* Unit tests: whole, cut at every offset and byte by byte must agree; one TAP line
 * "<desc>: same result whole, cut at every offset and byte by byte", diagnostics on the
 * first difference.  *whole is left filled for the caller's own checks. */
bool split_check(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		 struct split_run *whole, const char *desc);
/* The same for pieces a capture gave (sizes[]): they, whole and byte by byte agree.  No
 * TAP line: the caller reports over many streams. */
bool split_agree_pieces(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
			const size_t *sizes, size_t nsizes, struct split_run *pieces);

/* One direction of one flow of a corpus capture: its bytes once (retransmissions were
 * already delivered) and the sizes of the segments the capture cut them into. */
struct capture;
struct split_stream {
	uint8_t *buf;
	size_t len, cap;
	size_t *sizes;
	size_t nsizes, sizes_cap;
};
/* Append c's segments to st[flow * 2 + !to_server] for flows below nflows.  A segment that
 * does not fit (or a retransmission, skipped) gets a TAP line naming its frame. */
void split_streams_add(const struct capture *c, struct split_stream *st, unsigned nflows,
		       const char *path);

/* Fuzzers: whole, cut once, pieces of 0..13 bytes and (up to SPLIT_FUZZ_BYTES_MAX bytes)
 * byte by byte, the cut points read from cuts[0, ncuts) (often the input itself); abort() with both runs on stderr when they differ
 * or feeding went wrong.  *whole is left filled. */
void split_fuzz(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		const uint8_t *cuts, size_t ncuts, struct split_run *whole);

/* Line protocols (FTP, IRC, SIP): "NAME addr port off+len start-end; ..." of a run, as the
 * tests' expectations are written; the address "-" when there is none. */
void split_line_fmt(const struct split_run *r, const char *const *names, size_t nnames, char *buf,
		    size_t cap);
/* Each record's replaceable text lies inside its line, its line inside [pos, pos + len),
 * ends in '\n', is at most line_max long, and lines come in order.  d starts at pos. */
bool split_lines_sane(const struct split_run *r, const uint8_t *d, size_t len, uint64_t pos,
		      uint64_t line_max);

#endif
