// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for edit_set: edits in any order come out sorted, a message is kept or voided whole,
 * the bounds hold (edits, text, offsets at the top of uint64), and a randomized comparison
 * with a plain reference model. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edit_set.h"
#include "tap.h"

static struct edit_set set;	/* large: not on the stack */

/* "off+len=text;" for every edit in offset order, to compare with one string. */
static const char *dump(const struct edit_set *s)
{
	static char buf[2048];
	const struct edit *e;
	size_t n = 0;

	buf[0] = 0;
	for (unsigned i = 0; (e = edit_set_at(s, i)) && n < sizeof(buf) - 64; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%llu+%u=%.*s;", (unsigned long long)e->off,
				      e->len, (int)e->text_len, (const char *)edit_set_text(s, e));
	return buf;
}

static int add(uint64_t off, uint32_t len, const char *text)
{
	return edit_set_add(&set, off, len, text, (uint32_t)strlen(text));
}

static void test_sorted(void)
{
	edit_set_init(&set, 100, 200);
	tap_ok(!add(150, 3, "c") && !add(110, 5, "a") && !add(130, 0, "b"), "edit_set: edits in any order recorded");
	edit_set_close(&set);
	tap_ok(!strcmp(dump(&set), "110+5=a;130+0=b;150+3=c;"), "edit_set: read back in offset order (%s)",
	       dump(&set));
	TAP_EQ_U(edit_set_end(&set), 153, "edit_set: the end is the last edit's");

	edit_set_init(&set, 0, 50);
	tap_ok(!add(10, 4, "R") && !add(10, 0, "x") && !add(14, 0, "z") && !add(10, 0, "y"),
	       "edit_set: insertions at both ends of a replacement recorded");
	edit_set_close(&set);
	tap_ok(!strcmp(dump(&set), "10+0=x;10+0=y;10+4=R;14+0=z;"),
	       "edit_set: insertions go in front of the replacement, in recording order (%s)", dump(&set));
	TAP_EQ_U(edit_set_end(&set), 14, "edit_set: the end after a trailing insertion");
	edit_set_init(&set, 7, 9);
	TAP_EQ_U(edit_set_end(&set), 7, "edit_set: an empty set ends at its start");
}

static void test_overlap(void)
{
	edit_set_init(&set, 0, 100);
	tap_ok(!add(20, 10, "keep"), "edit_set overlap: a first edit (a message of its own)");
	edit_set_begin(&set);
	tap_ok(!add(50, 2, "m1"), "edit_set overlap: the message's first edit is recorded");
	tap_ok(add(25, 1, "x") == -EINVAL, "edit_set overlap: an edit sharing a byte with another message's fails");
	tap_ok(add(60, 1, "late") == -EINVAL, "edit_set overlap: a later edit of the void message fails too");
	tap_ok(edit_set_commit(&set) == -EINVAL, "edit_set overlap: commit reports the message void");
	edit_set_close(&set);
	tap_ok(!strcmp(dump(&set), "20+10=keep;"),
	       "edit_set overlap: none of its edits kept, the other message's kept (%s)", dump(&set));
	tap_ok(set.text_len == 4, "edit_set overlap: the void message's text given back");

	tap_ok(add(25, 0, "in") == -EINVAL, "edit_set overlap: an insertion inside a replacement fails");
	tap_ok(add(19, 2, "ab") == -EINVAL && add(29, 5, "ab") == -EINVAL && add(10, 30, "") == -EINVAL,
	       "edit_set overlap: a replacement over either end or around another fails");
	tap_ok(!add(30, 0, "") && !add(19, 1, "q"), "edit_set overlap: edits touching its ends are fine");
	tap_ok(add(25, 10, "") == -EINVAL, "edit_set overlap: a replacement around an insertion fails");
	tap_ok(add(30, 1, "w") == 0, "edit_set overlap: a replacement starting at an insertion is fine");
	edit_set_close(&set);
	tap_ok(!strcmp(dump(&set), "19+1=q;20+10=keep;30+0=;30+1=w;"), "edit_set overlap: result (%s)", dump(&set));
}

static void test_messages(void)
{
	edit_set_init(&set, 0, 1000);
	edit_set_begin(&set);
	tap_ok(!add(500, 3, "body") && !add(10, 2, "uri"), "edit_set messages: first message recorded");
	tap_ok(edit_set_commit(&set) == 0, "edit_set messages: first message committed");
	edit_set_begin(&set);
	tap_ok(!add(700, 1, "x"), "edit_set messages: second message, first edit");
	tap_ok(add(990, 20, "y") == -EINVAL, "edit_set messages: second message, an edit past the end fails");
	tap_ok(edit_set_commit(&set) == -EINVAL, "edit_set messages: the second message is void");
	edit_set_begin(&set);
	tap_ok(!add(800, 1, "aborted"), "edit_set messages: third message recorded");
	edit_set_abort(&set);
	edit_set_begin(&set);
	tap_ok(!add(900, 1, "left open"), "edit_set messages: fourth message recorded");
	edit_set_begin(&set);	/* never committed: gone */
	tap_ok(!add(950, 1, "open"), "edit_set messages: fifth message recorded");
	edit_set_close(&set);
	tap_ok(!strcmp(dump(&set), "10+2=uri;500+3=body;"),
	       "edit_set messages: only the committed message stays (%s)", dump(&set));
	tap_ok(set.text_len == 7, "edit_set messages: the text of every other message given back");
	tap_ok(edit_set_commit(&set) == 0, "edit_set messages: commit with no message open says nothing failed");
}

static void test_bounds(void)
{
	static char big[EDIT_SET_TEXT + 1];
	unsigned i;

	memset(big, 'b', sizeof(big) - 1);
	edit_set_init(&set, 0, 10000);
	tap_ok(edit_set_add(&set, 0, 0, big, EDIT_SET_TEXT - 1) == 0,
	       "edit_set bounds: text to one byte short of full");
	tap_ok(edit_set_room(&set, 1, 1) && !edit_set_room(&set, 1, 2),
	       "edit_set bounds: room for one byte, not two");
	edit_set_begin(&set);
	tap_ok(!add(5, 1, "") && add(6, 1, "xy") == -ENOSPC, "edit_set bounds: text past the buffer fails");
	tap_ok(edit_set_commit(&set) == -ENOSPC, "edit_set bounds: the message that ran out of room is void");
	tap_ok(add(6, 1, "z") == 0 && !edit_set_room(&set, 0, 1), "edit_set bounds: the last byte of text fits");
	tap_ok(add(7, 0, "") == 0, "edit_set bounds: a deletion needs no text");

	edit_set_init(&set, 0, 10000);
	for (i = 0; i < EDIT_SET_MAX && add(i * 10, 1, "e") == 0; i++)
		;
	TAP_EQ_U(i, EDIT_SET_MAX, "edit_set bounds: EDIT_SET_MAX edits fit");
	tap_ok(add(9000, 1, "e") == -ENOSPC, "edit_set bounds: one more fails");
	TAP_EQ_U(edit_set_count(&set), EDIT_SET_MAX, "edit_set bounds: and is not kept");

	edit_set_init(&set, UINT64_MAX - 10, UINT64_MAX);
	tap_ok(!add(UINT64_MAX - 1, 1, "a") && !add(UINT64_MAX, 0, "b"),
	       "edit_set bounds: edits at the top of uint64 (the last byte, an insertion at the end)");
	tap_ok(add(UINT64_MAX - 1, 2, "c") == -EINVAL && add(UINT64_MAX, 1, "c") == -EINVAL,
	       "edit_set bounds: an edit past UINT64_MAX fails");
	tap_ok(add(UINT64_MAX - 2, UINT32_MAX, "c") == -EINVAL && add(UINT64_MAX - 11, 1, "c") == -EINVAL,
	       "edit_set bounds: a length that would wrap, an offset below the start fail");
	edit_set_close(&set);
	TAP_EQ_U(edit_set_count(&set), 2, "edit_set bounds: two kept at the top");
	tap_ok(edit_set_end(&set) == UINT64_MAX, "edit_set bounds: they end at UINT64_MAX");
}

/* The reference model: a plain list of edits with a recording number; every check written
 * out again, the order found by qsort. */
struct ref_edit {
	uint64_t off;
	uint32_t len, seq;
	char text[400];
	uint32_t text_len;
	int msg;	/* 1: of the open message */
};

struct ref {
	uint64_t lo, hi;
	struct ref_edit e[64];
	unsigned n, seq;
	uint32_t text;
	bool open;
	int err;
};

static bool ref_clash(const struct ref_edit *a, uint64_t off, uint32_t len)
{
	uint64_t s = a->off > off ? a->off : off;
	uint64_t e = a->off + a->len < off + len ? a->off + a->len : off + len;

	if (s < e)
		return true;	/* a byte in both */
	if (!len && a->len)
		return a->off < off && off < a->off + a->len;
	if (len && !a->len)
		return off < a->off && a->off < off + len;
	return false;
}

static void ref_void(struct ref *r)
{
	unsigned k = 0;

	for (unsigned i = 0; i < r->n; i++)
		if (r->e[i].msg)
			r->text -= r->e[i].text_len;
		else
			r->e[k++] = r->e[i];
	r->n = k;
}

static int ref_add(struct ref *r, uint64_t off, uint32_t len, const char *text, uint32_t tl)
{
	int err = 0;

	if (r->open && r->err)
		return r->err;
	if (off < r->lo || off > r->hi || (uint64_t)len > r->hi - off)
		err = -EINVAL;
	for (unsigned i = 0; !err && i < r->n; i++)
		if (ref_clash(&r->e[i], off, len))
			err = -EINVAL;
	if (!err && (r->n >= EDIT_SET_MAX || r->text + tl > EDIT_SET_TEXT))
		err = -ENOSPC;
	if (err) {
		if (r->open) {
			ref_void(r);
			r->err = err;
		}
		return err;
	}
	r->e[r->n] = (struct ref_edit){ .off = off, .len = len, .seq = r->seq++, .text_len = tl, .msg = r->open };
	memcpy(r->e[r->n].text, text, tl);
	r->n++;
	r->text += tl;
	return 0;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct ref_edit *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->seq < y->seq ? -1 : 1;
}

static uint64_t rng_state;
static unsigned nospc, voided;	/* how often the cases reached a limit or voided a message */

static uint64_t rnd(uint64_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? rng_state % n : rng_state;
}

/* One random case: messages and single edits against the model; false and a diagnostic
 * at the first disagreement. */
static bool random_case(unsigned seed)
{
	static struct ref r;
	static const uint64_t los[] = { 0, 1000, UINT64_MAX - 64 };
	char text[400];
	unsigned ops = 1 + (unsigned)rnd(60);
	uint32_t tmax = rnd(3) ? 40 : 400;

	memset(&r, 0, sizeof(r));
	r.lo = rnd(4) == 3 ? rnd(0) % (UINT64_MAX - 64) : los[rnd(3)];
	r.hi = r.lo + rnd(65);
	edit_set_init(&set, r.lo, r.hi);
	for (unsigned op = 0; op < ops; op++) {
		unsigned what = (unsigned)rnd(10);
		uint64_t off = r.lo - 2 + rnd(r.hi - r.lo + 5);
		uint32_t len = rnd(4) ? (uint32_t)rnd(6) : 0, tl = (uint32_t)rnd(tmax);
		int got, want;

		for (uint32_t i = 0; i < tl; i++)
			text[i] = (char)('a' + rnd(26));
		if (what == 0) {
			edit_set_begin(&set);
			if (r.open)
				ref_void(&r);
			r.open = true, r.err = 0;
			continue;
		}
		if (what == 1 || what == 2) {
			got = what == 1 ? edit_set_commit(&set) : (edit_set_abort(&set), 0);
			want = r.open && what == 1 ? r.err : 0;
			voided += want != 0;
			if (r.open && what == 2)
				ref_void(&r);
			for (unsigned i = 0; i < r.n; i++)
				r.e[i].msg = 0;
			r.open = false;
		} else {
			got = edit_set_add(&set, off, len, text, tl);
			want = ref_add(&r, off, len, text, tl);
			nospc += want == -ENOSPC;
		}
		if (got != want) {
			tap_diag("edit_set random seed %u op %u: got %d, want %d", seed, op, got, want);
			return false;
		}
	}
	edit_set_close(&set);
	if (r.open)
		ref_void(&r);
	qsort(r.e, r.n, sizeof(r.e[0]), ref_cmp);
	if (edit_set_count(&set) != r.n || set.text_len != r.text) {
		tap_diag("edit_set random seed %u: %u edits, %u text; want %u, %u", seed, edit_set_count(&set),
			 set.text_len, r.n, r.text);
		return false;
	}
	for (unsigned i = 0; i < r.n; i++) {
		const struct edit *e = edit_set_at(&set, i);

		if (e->off != r.e[i].off || e->len != r.e[i].len || e->text_len != r.e[i].text_len ||
		    memcmp(edit_set_text(&set, e), r.e[i].text, e->text_len) ||
		    (i && e->off < r.e[i - 1].off + r.e[i - 1].len)) {
			tap_diag("edit_set random seed %u: edit %u differs (%s)", seed, i, dump(&set));
			return false;
		}
	}
	return edit_set_end(&set) == (r.n ? r.e[r.n - 1].off + r.e[r.n - 1].len : r.lo);
}

static void test_random(void)
{
	unsigned seed, bad = 0;

	for (seed = 1; seed <= 5000 && bad < 3; seed++) {
		rng_state = 0x9e3779b97f4a7c15ULL * seed;
		bad += !random_case(seed);
	}
	tap_ok(!bad, "edit_set: 5000 random cases agree with the reference model");
	tap_ok(nospc > 100 && voided > 100, "edit_set: the random cases ran out of room (%u) and voided "
	       "messages (%u)", nospc, voided);
}

void test_edit_set(void)
{
	test_sorted();
	test_overlap();
	test_messages();
	test_bounds();
	test_random();
}
