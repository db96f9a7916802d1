// SPDX-License-Identifier: GPL-2.0-or-later
/* edit_set: a bounded, sorted set of edits, kept or voided a message at a time (see
 * edit_set.h).  The edits stay sorted as they are recorded (at most EDIT_SET_MAX, so an
 * insertion sort is cheapest); an open message's text is the tail of the text buffer, so
 * voiding it gives its room back at once. */
#include <errno.h>
#include <string.h>
#include "edit_set.h"

void edit_set_init(struct edit_set *s, uint64_t lo, uint64_t hi)
{
	s->lo = lo;
	s->hi = hi < lo ? lo : hi;
	s->n = 0;
	s->text_len = 0;
	s->msg_text = 0;
	s->msg_err = 0;
	s->open = false;
}

void edit_set_begin(struct edit_set *s)
{
	if (s->open)
		edit_set_abort(s);
	s->open = true;
	s->msg_text = s->text_len;
	s->msg_err = 0;
}

/* Drop the open message's edits (wherever sorting put them) and give back its text. */
static void msg_void(struct edit_set *s)
{
	unsigned k = 0;

	for (unsigned i = 0; i < s->n; i++)
		if (!s->e[i].pending)
			s->e[k++] = s->e[i];
	s->n = k;
	s->text_len = s->msg_text;
}

void edit_set_abort(struct edit_set *s)
{
	if (!s->open)
		return;
	msg_void(s);
	s->open = false;
}

int edit_set_commit(struct edit_set *s)
{
	int err = s->open ? s->msg_err : 0;

	for (unsigned i = 0; i < s->n; i++)
		s->e[i].pending = 0;
	s->open = false;
	return err;
}

/* Two edits overlap when they share a byte, or when one inserts strictly inside the other
 * (its text would cut the replaced bytes in two).  Ends never pass hi: no overflow. */
static bool overlaps(const struct edit *a, uint64_t off, uint32_t len)
{
	uint64_t aend = a->off + a->len, end = off + len;

	if (a->len && len)
		return off < aend && a->off < end;
	if (!len)
		return a->off < off && off < aend;
	return off < a->off && a->off < end;
}

static int check(const struct edit_set *s, uint64_t off, uint32_t len, uint32_t text_len)
{
	if (off < s->lo || off > s->hi || len > s->hi - off)
		return -EINVAL;
	for (unsigned i = 0; i < s->n; i++)
		if (overlaps(&s->e[i], off, len))
			return -EINVAL;
	if (!edit_set_room(s, 1, text_len))
		return -ENOSPC;
	return 0;
}

/* Sorted by offset, an insertion before a replacement at the same offset (its text goes in
 * front of the replaced bytes); equal keys keep recording order (several insertions at one
 * place come out as they were recorded). */
static void insert_sorted(struct edit_set *s, const struct edit *e)
{
	unsigned i = s->n;

	while (i > 0 && (s->e[i - 1].off > e->off || (s->e[i - 1].off == e->off && s->e[i - 1].len > e->len))) {
		s->e[i] = s->e[i - 1];
		i--;
	}
	s->e[i] = *e;
	s->n++;
}

int edit_set_add(struct edit_set *s, uint64_t off, uint32_t len, const void *text, uint32_t text_len)
{
	bool own = !s->open;
	int err;

	if (own)
		edit_set_begin(s);
	else if (s->msg_err)
		return s->msg_err;	/* the message is void already */
	err = check(s, off, len, text_len);
	if (err) {
		msg_void(s);
		s->msg_err = err;
	} else {
		if (text_len)
			memcpy(s->text + s->text_len, text, text_len);
		insert_sorted(s, &(struct edit){ off, len, s->text_len, text_len, 1 });
		s->text_len += text_len;
	}
	if (own)
		edit_set_commit(s);
	return err;
}

bool edit_set_room(const struct edit_set *s, unsigned edits, uint32_t text)
{
	return edits <= EDIT_SET_MAX - s->n && text <= EDIT_SET_TEXT - s->text_len;
}

void edit_set_close(struct edit_set *s)
{
	edit_set_abort(s);
}

uint64_t edit_set_end(const struct edit_set *s)
{
	/* Sorted by (off, len) and disjoint: no edit ends after the last one. */
	return s->n ? s->e[s->n - 1].off + s->e[s->n - 1].len : s->lo;
}
