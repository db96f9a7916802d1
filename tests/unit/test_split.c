// SPDX-License-Identifier: GPL-2.0-or-later
/* test_split: the split harness itself must see a parser that depends on how it is fed,
 * one that stops consuming and one that claims bytes it was not given. */
#include <string.h>
#include "split.h"
#include "tap.h"

/* A toy line parser: one record per '\n' at its stream offset.  mode 1 also reports the
 * start of every call (depends on the cuts), 2 reports a match before an 'x' without
 * ever consuming it, 3
 * claims one byte more than given at an 'y'. */
struct toy {
	uint64_t pos;
	int mode;
};

static void toy_init(void *s, const void *arg)
{
	((struct toy *)s)->mode = *(const int *)arg;
}

static bool toy_feed(void *s, const uint8_t *d, size_t len, size_t *used, struct split_rec *r)
{
	struct toy *t = s;

	memset(r, 0, sizeof(*r));
	if (t->mode == 1 && len) {
		r->type = 2;
		r->off = t->pos;
	}
	for (size_t i = 0; i < len; i++) {
		if (t->mode == 2 && d[i] == 'x') {
			r->type = 3;
			*used = i;
			return true;
		}
		if (t->mode == 3 && d[i] == 'y') {
			*used = len + 1;
			return false;
		}
		if (d[i] == '\n') {
			r->type = 1;
			r->off = t->pos + i;
			t->pos += i + 1;
			*used = i + 1;
			return true;
		}
	}
	t->pos += len;
	*used = len;
	return t->mode == 1 && len;
}

static void toy_end(const void *s, struct split_rec *r)
{
	r->v[0] = ((const struct toy *)s)->pos;
}

static const struct split_proto toy = {
	.name = "toy", .state_size = sizeof(struct toy), .init = toy_init, .feed = toy_feed,
	.end = toy_end,
};

void test_split(void)
{
	static const uint8_t d[] = "ab\ncd\n\nef", dx[] = "ab\ncxd\n", dy[] = "ab\ncyd\n";
	static struct split_rec rec[16];
	struct split_run r = { .rec = rec, .cap = 16 };
	size_t sizes[] = { 1, 0, 3, 2 }, at;
	int mode = 0;

	tap_ok(split_agree_pieces(&toy, &mode, d, sizeof(d) - 1, sizes, 4, &r) && r.n == 3 &&
	       rec[1].off == 5 && r.end.v[0] == 9, "split: an honest parser agrees in any pieces");
	split_check(&toy, &mode, d, sizeof(d) - 1, &r, "split: the toy parser");
	mode = 1;
	tap_diag("split: the next three disagreements are expected");
	tap_ok(!split_agree_pieces(&toy, &mode, d, sizeof(d) - 1, sizes, 4, &r),
	       "split: a parser that depends on the cuts is caught");
	mode = 2;
	split_feed_whole(&toy, &mode, dx, sizeof(dx) - 1, &r);
	tap_ok(r.stuck && !split_run_clean(&r), "split: a parser that matches without consuming is stuck");
	tap_ok(!split_agree_pieces(&toy, &mode, dx, sizeof(dx) - 1, sizes, 4, &r),
	       "split: ... and refused");
	mode = 3;
	split_feed_whole(&toy, &mode, dy, sizeof(dy) - 1, &r);
	tap_ok(r.miscount && !split_run_clean(&r), "split: claiming more bytes than given is a miscount");
	tap_ok(!split_agree_pieces(&toy, &mode, dy, sizeof(dy) - 1, sizes, 4, &r),
	       "split: ... and refused");
	{
		static struct split_rec ra[16], rb[16];
		struct split_run a = { .rec = ra, .cap = 16 }, b = { .rec = rb, .cap = 16 };

		mode = 0;
		split_feed_whole(&toy, &mode, d, sizeof(d) - 1, &a);
		split_feed_whole(&toy, &mode, d, sizeof(d) - 2, &b);
		tap_ok(!split_run_equal(&a, &b, &at) && at == 3,
		       "split: runs that differ only in their end state differ (at %zu)", at);
	}
}
