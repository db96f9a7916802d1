// SPDX-License-Identifier: GPL-2.0-or-later
/* split_tap: the unit-test half of split.h — every cut of a case, one TAP line for it. */
#include <stdio.h>
#include <string.h>
#include "capture.h"
#include "split.h"
#include "tap.h"

/* The first record where two runs part, or their end states, as diagnostics. */
static void diag_difference(const struct split_run *a, const struct split_run *b, size_t at)
{
	char buf[512];

	tap_diag("records: whole %zu, other %zu; stuck %d/%d; miscount %d/%d", a->n, b->n, a->stuck,
		 b->stuck, a->miscount, b->miscount);
	if (at < a->n && at < a->cap) {
		split_rec_fmt(&a->rec[at], buf, sizeof(buf));
		tap_diag("whole [%zu]: %s", at, buf);
	}
	if (at < b->n && at < b->cap) {
		split_rec_fmt(&b->rec[at], buf, sizeof(buf));
		tap_diag("other [%zu]: %s", at, buf);
	}
	split_rec_fmt(&a->end, buf, sizeof(buf));
	tap_diag("whole end: %s", buf);
	split_rec_fmt(&b->end, buf, sizeof(buf));
	tap_diag("other end: %s", buf);
}

static struct split_rec other_rec[1024];
static struct split_run other;

bool split_check(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
		 struct split_run *whole, const char *desc)
{
	size_t at;

	split_run_init(&other, other_rec, sizeof(other_rec) / sizeof(other_rec[0]));
	split_feed_whole(p, arg, d, len, whole);
	if (!split_run_clean(whole))
		return tap_ok(false, "%s: fed whole, the parser consumed every byte (stuck %d, "
			      "miscount %d, %zu records for %zu places)", desc, whole->stuck,
			      whole->miscount, whole->n, whole->cap);
	for (size_t k = 0; k < len; k++) {
		split_feed_cut(p, arg, d, len, k, &other);
		if (!split_run_equal(whole, &other, &at)) {
			tap_ok(false, "%s: same result cut at %zu", desc, k);
			diag_difference(whole, &other, at);
			return false;
		}
	}
	split_feed_bytes(p, arg, d, len, &other);
	if (!split_run_equal(whole, &other, &at)) {
		tap_ok(false, "%s: same result byte by byte", desc);
		diag_difference(whole, &other, at);
		return false;
	}
	return tap_ok(true, "%s: same result whole, cut at every offset and byte by byte", desc);
}

bool split_agree_pieces(const struct split_proto *p, const void *arg, const uint8_t *d, size_t len,
			const size_t *sizes, size_t nsizes, struct split_run *pieces)
{
	static struct split_rec rec[2][1024];
	static struct split_run r[2];
	size_t at;

	split_run_init(&r[0], rec[0], sizeof(rec[0]) / sizeof(rec[0][0]));
	split_run_init(&r[1], rec[1], sizeof(rec[1]) / sizeof(rec[1][0]));
	split_feed_pieces(p, arg, d, len, sizes, nsizes, pieces);
	split_feed_whole(p, arg, d, len, &r[0]);
	split_feed_bytes(p, arg, d, len, &r[1]);
	if (!split_run_equal(&r[0], pieces, &at)) {
		diag_difference(&r[0], pieces, at);
		return false;
	}
	if (!split_run_equal(&r[0], &r[1], &at)) {
		diag_difference(&r[0], &r[1], at);
		return false;
	}
	return split_run_clean(pieces);
}

void split_streams_add(const struct capture *c, struct split_stream *st, unsigned nflows,
		       const char *path)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct capture_seg *g = &c->seg[i];
		struct split_stream *s = &st[(g->flow % nflows) * 2 + !g->to_server];

		if (g->retrans || g->flow >= nflows || g->len > s->cap - s->len ||
		    s->nsizes == s->sizes_cap) {
			tap_ok(g->retrans, "%s: frame %u fits the test's buffers", path, g->frame);
			continue;
		}
		memcpy(s->buf + s->len, g->data, g->len);
		s->len += g->len;
		s->sizes[s->nsizes++] = g->len;
	}
}
