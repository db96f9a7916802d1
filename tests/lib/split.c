// SPDX-License-Identifier: GPL-2.0-or-later
/* split: feed a parser whole, cut, in pieces or byte by byte and compare what it reported
 * (see split.h).  No TAP here: the fuzzers link this file too (split_tap.c is the unit half). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "split.h"

void split_run_init(struct split_run *r, struct split_rec *rec, size_t cap)
{
	r->rec = rec;
	r->cap = cap;
}

static void run_start(const struct split_proto *p, const void *arg, struct split_run *r)
{
	if (p->state_size > SPLIT_STATE_MAX) {
		fprintf(stderr, "split: %s state of %zu bytes exceeds SPLIT_STATE_MAX\n", p->name,
			p->state_size);
		abort();
	}
	r->n = 0;
	r->stuck = r->miscount = false;
	memset(&r->end, 0, sizeof(r->end));
	memset(r->state, 0, sizeof(r->state));
	p->init(r->state, arg);
}

static void run_add(struct split_run *r, const struct split_rec *m)
{
	if (r->n < r->cap)
		r->rec[r->n] = *m;
	r->n++;
}

/* One buffer, however many calls the parser needs for it (it stops after each match). */
static void run_feed(const struct split_proto *p, const uint8_t *d, size_t len, struct split_run *r)
{
	size_t off = 0;

	do {
		struct split_rec m;
		size_t used = 0;
		bool match;

		match = p->feed(r->state, d + off, len - off, &used, &m);
		if (used > len - off || (!match && used != len - off)) {
			r->miscount = true;
			return;
		}
		if (match)
			run_add(r, &m);
		/* a match that consumed nothing would be reported forever */
		if (!used && len - off) {
			r->stuck = true;
			return;
		}
		off += used;
	} while (off < len);
}

static void run_finish(const struct split_proto *p, struct split_run *r)
{
	struct split_rec m;

	if (p->finish) {
		p->finish(r->state, &m);
		run_add(r, &m);
	}
	if (p->end)
		p->end(r->state, &r->end);
}

void split_feed_whole(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		      struct split_run *r)
{
	split_feed_cut(p, arg, d, len, len, r);
}

void split_feed_cut(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		    size_t k, struct split_run *r)
{
	size_t sizes[1] = { k };

	split_feed_pieces(p, arg, d, len, sizes, 1, r);
}

void split_feed_pieces(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		       const size_t *sizes, size_t nsizes, struct split_run *r)
{
	size_t off = 0;

	run_start(p, arg, r);
	for (size_t i = 0; i < nsizes && off < len && !r->stuck && !r->miscount; i++) {
		size_t n = sizes[i] < len - off ? sizes[i] : len - off;

		run_feed(p, d + off, n, r);
		off += n;
	}
	if (off < len && !r->stuck && !r->miscount)
		run_feed(p, d + off, len - off, r);
	run_finish(p, r);
}

void split_feed_bytes(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		      struct split_run *r)
{
	run_start(p, arg, r);
	for (size_t i = 0; i < len && !r->stuck && !r->miscount; i++)
		run_feed(p, d + i, 1, r);
	run_finish(p, r);
}

bool split_rec_equal(const struct split_rec *a, const struct split_rec *b)
{
	for (unsigned i = 0; i < SPLIT_VALS; i++)
		if (a->v[i] != b->v[i])
			return false;
	return a->type == b->type && a->family == b->family && !memcmp(a->addr, b->addr, 16) &&
	       a->port == b->port && a->off == b->off && a->len == b->len &&
	       a->line_start == b->line_start && a->line_end == b->line_end;
}

bool split_run_equal(const struct split_run *a, const struct split_run *b, size_t *at)
{
	size_t kept = a->n < a->cap ? a->n : a->cap;

	*at = 0;
	for (; *at < kept && *at < b->n && *at < b->cap; (*at)++)
		if (!split_rec_equal(&a->rec[*at], &b->rec[*at]))
			return false;
	return a->n == b->n && split_rec_equal(&a->end, &b->end) && a->stuck == b->stuck &&
	       a->miscount == b->miscount;
}

bool split_run_clean(const struct split_run *r)
{
	return !r->stuck && !r->miscount && r->n <= r->cap;
}

void split_rec_fmt(const struct split_rec *r, char *buf, size_t cap)
{
	size_t w;

	w = (size_t)snprintf(buf, cap, "type %u family %u addr ", r->type, r->family);
	for (unsigned i = 0; i < 16 && w < cap; i++)
		w += (size_t)snprintf(buf + w, cap - w, "%02x", r->addr[i]);
	if (w < cap)
		w += (size_t)snprintf(buf + w, cap - w, " port %u v", r->port);
	for (unsigned i = 0; i < SPLIT_VALS && w < cap; i++)
		w += (size_t)snprintf(buf + w, cap - w, "%c%llu", i ? ',' : ' ',
				      (unsigned long long)r->v[i]);
	if (w < cap)
		snprintf(buf + w, cap - w, " text %llu+%llu line %llu-%llu",
			 (unsigned long long)r->off, (unsigned long long)r->len,
			 (unsigned long long)r->line_start, (unsigned long long)r->line_end);
}

/* Fuzz side: both runs on stderr, then abort so libFuzzer keeps the input. */
static void fuzz_fail(const struct split_proto *p, const char *how, const struct split_run *a,
		      const struct split_run *b, size_t at)
{
	char buf[512];

	fprintf(stderr, "split %s: %s differs from whole at record %zu (n %zu/%zu, stuck %d/%d, "
		"miscount %d/%d)\n", p->name, how, at, a->n, b->n, a->stuck, b->stuck, a->miscount,
		b->miscount);
	if (at < a->n && at < a->cap) {
		split_rec_fmt(&a->rec[at], buf, sizeof(buf));
		fprintf(stderr, "  whole: %s\n", buf);
	}
	if (at < b->n && at < b->cap) {
		split_rec_fmt(&b->rec[at], buf, sizeof(buf));
		fprintf(stderr, "  %s: %s\n", how, buf);
	}
	split_rec_fmt(&a->end, buf, sizeof(buf));
	fprintf(stderr, "  whole end: %s\n", buf);
	split_rec_fmt(&b->end, buf, sizeof(buf));
	fprintf(stderr, "  %s end: %s\n", how, buf);
	abort();
}

static void fuzz_compare(const struct split_proto *p, const char *how, const struct split_run *a,
			 const struct split_run *b)
{
	size_t at;

	if (!split_run_equal(a, b, &at))
		fuzz_fail(p, how, a, b, at);
}

#define FUZZ_PIECES 4096

void split_fuzz(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		const uint8_t *cuts, size_t ncuts, struct split_run *whole)
{
	static struct split_rec rec[1024];
	static struct split_run other;
	static size_t sizes[FUZZ_PIECES];
	size_t k = 0, n = 0;

	split_run_init(&other, rec, sizeof(rec) / sizeof(rec[0]));
	split_feed_whole(p, arg, d, len, whole);
	if (whole->stuck || whole->miscount) {
		fprintf(stderr, "split %s: feeding went wrong (stuck %d, miscount %d)\n", p->name,
			whole->stuck, whole->miscount);
		abort();
	}
	for (size_t i = 0; i < ncuts; i++)
		k = k * 31 + cuts[i];
	split_feed_cut(p, arg, d, len, len ? k % (len + 1) : 0, &other);
	fuzz_compare(p, "cut once", whole, &other);
	/* pieces of 0..13 bytes: empty calls are legal and must change nothing */
	for (size_t off = 0; off < len && n < FUZZ_PIECES && ncuts; n++) {
		sizes[n] = cuts[n % ncuts] % 14;
		off += sizes[n];
	}
	split_feed_pieces(p, arg, d, len, sizes, n, &other);
	fuzz_compare(p, "pieces", whole, &other);
	/* one call per byte costs the fuzzer most of its speed on long inputs; the pieces
	 * above already hold many single bytes */
	if (len <= SPLIT_FUZZ_BYTES_MAX) {
		split_feed_bytes(p, arg, d, len, &other);
		fuzz_compare(p, "byte by byte", whole, &other);
	}
}

void split_line_fmt(const struct split_run *r, const char *const *names, size_t nnames, char *buf,
		    size_t cap)
{
	size_t w = 0;

	buf[0] = 0;
	for (size_t i = 0; i < r->n && i < r->cap && w < cap; i++) {
		const struct split_rec *m = &r->rec[i];
		char a[INET6_ADDRSTRLEN];

		if (!m->family || !inet_ntop(m->family == 6 ? AF_INET6 : AF_INET, m->addr, a, sizeof(a)))
			snprintf(a, sizeof(a), "-");
		w += (size_t)snprintf(buf + w, cap - w, "%s%s %s %u %llu+%llu %llu-%llu", i ? "; " : "",
				      names[m->type < nnames ? m->type : 0], a, m->port,
				      (unsigned long long)m->off, (unsigned long long)m->len,
				      (unsigned long long)m->line_start, (unsigned long long)m->line_end);
	}
}

bool split_lines_sane(const struct split_run *r, const uint8_t *d, size_t len, uint64_t pos,
		      uint64_t line_max)
{
	for (size_t i = 0; i < r->n && i < r->cap; i++) {
		const struct split_rec *m = &r->rec[i];

		if (m->line_start < pos || m->off < m->line_start || m->off + m->len > m->line_end ||
		    m->line_end > pos + len || m->line_end - m->line_start > line_max || !m->len ||
		    d[m->line_end - 1 - pos] != '\n' || (i && m->line_start < r->rec[i - 1].line_end))
			return false;
	}
	return split_run_clean(r);
}
