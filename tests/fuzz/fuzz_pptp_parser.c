/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_pptp_parser: any bytes, fed whole, cut once and cut into many pieces, must give the
 * same reports and end state; every report lies inside what was fed; and the reports are
 * exactly what a simple reader of the RFC 2637 header written here (a size table and the
 * fields checked one after another) finds, down to the malformed byte and its reason.
 * Seeds: seeds/pptp_parser/tcpdump-pptp.{pns,pac} are the two directions of
 * tests/corpus/pptp/tcpdump-pptp.txt (the-tcpdump-group/tcpdump, BSD; see
 * tests/corpus/SOURCES.tsv), retransmissions left out; the others are hand-made from the
 * RFC layout (one per type, sessions, spoilt headers). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pptp_parser.h"

#define MAXM 8192

struct rep {
	enum pptp_result kind;
	struct pptp_msg m;
};

struct res {
	struct rep r[MAXM];
	size_t n;
	struct pptp_parser end;
};

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len);

static void fail(const char *what, size_t i)
{
	fprintf(stderr, "fuzz_pptp_parser: %s (report %zu)\n", what, i);
	abort();
}

static void feed(struct pptp_parser *p, const uint8_t *d, size_t len, struct res *r)
{
	size_t off = 0, used;
	struct pptp_msg m;

	while (off < len) {
		enum pptp_result rc = pptp_parser_execute(p, d + off, len - off, &used, &m);

		if (used > len - off || (rc == PPTP_MORE && used != len - off) || !used)
			fail("execute consumed a wrong count", r->n);
		if (rc != PPTP_MORE && r->n < MAXM)
			r->r[r->n++] = (struct rep){ rc, m };
		off += used;
	}
}

/* mode 0: whole; 1: cut once at k; 2: pieces of 1..13 bytes sized by the data itself */
static void run(const uint8_t *d, size_t len, int mode, size_t k, struct res *r)
{
	struct pptp_parser p;

	r->n = 0;
	pptp_parser_init(&p, 0);
	if (mode == 0) {
		feed(&p, d, len, r);
	} else if (mode == 1) {
		feed(&p, d, k, r);
		feed(&p, d + k, len - k, r);
	} else {
		for (size_t off = 0, i = 0, n; off < len; off += n, i++) {
			n = 1 + d[i % len] % 13;
			if (n > len - off)
				n = len - off;
			feed(&p, d + off, n, r);
		}
	}
	r->end = p;
}

static bool same_rep(const struct rep *a, const struct rep *b)
{
	const struct pptp_msg *x = &a->m, *y = &b->m;

	return a->kind == b->kind && x->type == y->type && x->fields == y->fields &&
	       x->result == y->result && x->length == y->length && x->call_id == y->call_id &&
	       x->peer_call_id == y->peer_call_id && x->off == y->off && x->len == y->len &&
	       (!(x->fields & PPTP_F_CALL_ID) || x->call_id_off == y->call_id_off) &&
	       (!(x->fields & PPTP_F_PEER_CALL_ID) || x->peer_call_id_off == y->peer_call_id_off) &&
	       x->reason == y->reason && (a->kind != PPTP_MALFORMED || x->bad_off == y->bad_off);
}

static void compare(const struct res *a, const struct res *b)
{
	if (a->n != b->n)
		fail("report count differs between splits", a->n);
	for (size_t i = 0; i < a->n; i++)
		if (!same_rep(&a->r[i], &b->r[i]))
			fail("report differs between splits", i);
	if (a->end.pos != b->end.pos || a->end.msg_start != b->end.msg_start ||
	    a->end.in_msg != b->end.in_msg || a->end.candidate != b->end.candidate ||
	    a->end.dead != b->end.dead || a->end.rewrite_from != b->end.rewrite_from ||
	    a->end.cs != b->end.cs)
		fail("end state differs between splits", a->n);
}

/* RFC 2637 2.1-2.15: size, Call ID, Peer's Call ID and Result Code offsets (0: none). */
static const struct { uint8_t size, cid, pcid, res; } rfc[16] = {
	[1] = { 156, 0, 0, 0 }, [2] = { 156, 0, 0, 14 }, [3] = { 16, 0, 0, 0 },
	[4] = { 16, 0, 0, 0 },  [5] = { 16, 0, 0, 0 },  [6] = { 20, 0, 0, 0 },
	[7] = { 168, 12, 0, 0 }, [8] = { 32, 12, 14, 16 }, [9] = { 220, 12, 0, 0 },
	[10] = { 24, 12, 14, 16 }, [11] = { 28, 0, 12, 0 }, [12] = { 16, 12, 0, 0 },
	[13] = { 148, 12, 0, 0 }, [14] = { 40, 0, 12, 0 }, [15] = { 24, 0, 12, 0 },
};

static bool is_size(unsigned v)
{
	for (unsigned t = 1; t < 16; t++)
		if (rfc[t].size == v)
			return true;
	return false;
}

/* The header of the message at d[0..avail): 0 when it is good so far (*t its type once
 * read), else the reason, *at the offending byte. */
static enum pptp_bad ref_header(const uint8_t *d, size_t avail, size_t *at, unsigned *t)
{
	static const uint8_t fixed[8] = { 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0 };

	*t = 0;
	if (avail > 0 && d[0]) {
		*at = 0;
		return PPTP_BAD_LENGTH;
	}
	if (avail > 1 && !is_size(d[1])) {
		*at = 1;
		return PPTP_BAD_LENGTH;
	}
	for (size_t i = 2; i < 9 && i < avail; i++) {
		if (d[i] != fixed[i - 2]) {
			*at = i;
			return i < 4 ? PPTP_BAD_MSG_TYPE : i < 8 ? PPTP_BAD_COOKIE : PPTP_BAD_CTRL_TYPE;
		}
	}
	if (avail > 9) {
		*at = 9;
		if (!d[9] || d[9] > 15) {
			*t = d[9];
			return PPTP_BAD_CTRL_TYPE;
		}
		*t = d[9];
		if (rfc[*t].size != d[1])
			return PPTP_BAD_SIZE;
	}
	return PPTP_BAD_NONE;
}

static uint16_t be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void check_reference(const struct res *r, const uint8_t *d, size_t len)
{
	size_t i = 0, k = 0;

	while (i < len) {
		size_t avail = len - i, at = 0;
		unsigned t;
		enum pptp_bad bad = ref_header(d + i, avail, &at, &t);
		const struct rep *g = k < r->n ? &r->r[k] : NULL;

		if (bad) {
			if (!g || g->kind != PPTP_MALFORMED || g->m.off != i || g->m.bad_off != i + at ||
			    g->m.reason != bad || (at == 9 && g->m.type != t))
				fail("malformed report differs from the reference", k);
			if (k + 1 != r->n || !r->end.dead || r->end.in_msg || r->end.candidate)
				fail("reports or state after a malformed message", k);
			return;
		}
		if (avail < 10 || avail < rfc[t].size) {
			bool cand = avail < 10 || rfc[t].cid || rfc[t].pcid;

			if (g || !r->end.in_msg || r->end.msg_start != i || r->end.candidate != cand ||
			    r->end.rewrite_from != (cand ? i + PPTP_CALL_ID_AT : 0) || r->end.dead)
				fail("message in progress differs from the reference", k);
			return;
		}
		if (!g || g->kind != PPTP_MSG || g->m.off != i || g->m.len != rfc[t].size ||
		    g->m.type != t || g->m.length != rfc[t].size)
			fail("message differs from the reference", k);
		if (!!(g->m.fields & PPTP_F_CALL_ID) != !!rfc[t].cid ||
		    !!(g->m.fields & PPTP_F_PEER_CALL_ID) != !!rfc[t].pcid ||
		    !!(g->m.fields & PPTP_F_RESULT) != !!rfc[t].res)
			fail("message fields differ from the RFC layout", k);
		if ((rfc[t].cid && (g->m.call_id_off != i + rfc[t].cid ||
				    g->m.call_id != be16(d + i + rfc[t].cid))) ||
		    (rfc[t].pcid && (g->m.peer_call_id_off != i + rfc[t].pcid ||
				     g->m.peer_call_id != be16(d + i + rfc[t].pcid))) ||
		    (rfc[t].res && g->m.result != d[i + rfc[t].res]))
			fail("call IDs or result differ from the bytes", k);
		i += rfc[t].size;
		k++;
	}
	if (k != r->n || r->end.in_msg || r->end.candidate || r->end.dead || r->end.msg_start != len)
		fail("reports or state at a message boundary", k);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t len)
{
	static struct res a, b;
	size_t k = 0;

	if (!len)
		return 0;
	for (size_t i = 0; i < len; i++)
		k = k * 31 + d[i];
	k %= len + 1;
	run(d, len, 0, 0, &a);
	if (a.end.pos != len)
		fail("end position", a.n);
	if (a.n < MAXM)
		check_reference(&a, d, len);
	run(d, len, 1, k, &b);
	compare(&a, &b);
	run(d, len, 2, 0, &b);
	compare(&a, &b);
	return 0;
}
