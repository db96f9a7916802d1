/* SPDX-License-Identifier: GPL-2.0-or-later */
/* edit_set: the replacements one packet makes in its payload (UDP) or in its stream bytes (TCP),
 * recorded in any order, kept sorted by offset, grouped into messages that are kept or voided
 * whole.  The deciding half of nf_nat_helper.c's mangling: nf_nat_sip.c records Content-Length
 * after the body's edits, and a message half rewritten must never leave.  How the packet is
 * written from it is stream.c's (TCP) and dgram.c's (UDP) business.  No allocation. */
#ifndef NFHELPER_EDIT_SET_H
#define NFHELPER_EDIT_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDIT_SET_MAX 32		/* edits one packet may make */
#define EDIT_SET_TEXT 4096	/* replacement bytes one packet may write */

/* Replace len bytes at off by text_len bytes of the set's text at text_off. */
struct edit {
	uint64_t off;
	uint32_t len, text_off, text_len;
	uint32_t pending;	/* recorded by the open message */
};

struct edit_set {
	uint64_t lo, hi;	/* every edit lies within [lo, hi] */
	unsigned n;		/* edits, sorted by (off, len), in recording order on ties */
	uint32_t text_len;
	uint32_t msg_text;	/* text_len when it began: its text is the tail */
	int msg_err;		/* its first failure: it is void */
	bool open;
	struct edit e[EDIT_SET_MAX];
	uint8_t text[EDIT_SET_TEXT];
};

/* An empty set over offsets [lo, hi] (a stream's editable bytes, a payload's 0..len). */
void edit_set_init(struct edit_set *s, uint64_t lo, uint64_t hi);

/* Messages: edits between begin and commit are kept together or not at all.  begin while a
 * message is open aborts that one (it was never committed). */
void edit_set_begin(struct edit_set *s);
/* 0: the message's edits are kept.  Else the first failure of an edit in it (-ENOSPC,
 * -EINVAL): none of them is kept; the caller may undo what the message created. */
int edit_set_commit(struct edit_set *s);
/* Forget the open message's edits. */
void edit_set_abort(struct edit_set *s);

/* Record: replace [off, off + len) with text.  In any order; an edit must lie in [lo, hi] and
 * not overlap another (an insertion, len 0, may stand at either end of a replacement, not
 * inside it).  Outside a message it is a message of its own.  Inside one, a failure voids
 * the whole message now and every later edit of it fails the same.  0, -EINVAL (range,
 * overlap) or -ENOSPC (edits or text full). */
int edit_set_add(struct edit_set *s, uint64_t off, uint32_t len, const void *text, uint32_t text_len);

/* Whether edits more edits with text more bytes of replacement would still fit. */
bool edit_set_room(const struct edit_set *s, unsigned edits, uint32_t text);

/* Close the set for reading: an open message is aborted (it was never committed).  The
 * readers below, on a closed set, see its edits in offset order. */
void edit_set_close(struct edit_set *s);
static inline unsigned edit_set_count(const struct edit_set *s)
{
	return s->n;
}
/* The i-th edit in offset order, NULL past the last. */
static inline const struct edit *edit_set_at(const struct edit_set *s, unsigned i)
{
	return i < s->n ? &s->e[i] : NULL;
}
static inline const uint8_t *edit_set_text(const struct edit_set *s, const struct edit *e)
{
	return s->text + e->text_off;
}
/* The end of the last edit (nothing after it changes), lo when there is none. */
uint64_t edit_set_end(const struct edit_set *s);

#endif
