/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_pptp_parser: the PPTP control-message grammar on messages of every type built here
 * from the RFC 2637 section 2 layout (whole, truncated, bad cookie, bad length, unknown
 * type, several per segment, sessions), each also fed split at every byte and byte by
 * byte; and on every PPTP capture of tests/corpus against a naive length walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"
#include "pptp_parser.h"
#include "tap.h"

#define CORPUS "../corpus/pptp/"
#define MAXR 64
#define BUF_MAX 8192

/* RFC 2637 2.1-2.15, written out again here (not read from the parser): each type's size
 * and the message offsets of Call ID, Peer's Call ID and Result Code (0: none). */
static const struct layout {
	unsigned size, cid, pcid, res;
	const char *abbr;
} rfc[16] = {
	[1] = { 156, 0, 0, 0, "SCCRQ" },   [2] = { 156, 0, 0, 14, "SCCRP" },
	[3] = { 16, 0, 0, 0, "StopCCRQ" }, [4] = { 16, 0, 0, 0, "StopCCRP" },
	[5] = { 16, 0, 0, 0, "ECHORQ" },   [6] = { 20, 0, 0, 0, "ECHORP" },
	[7] = { 168, 12, 0, 0, "OCRQ" },   [8] = { 32, 12, 14, 16, "OCRP" },
	[9] = { 220, 12, 0, 0, "ICRQ" },   [10] = { 24, 12, 14, 16, "ICRP" },
	[11] = { 28, 0, 12, 0, "ICCN" },   [12] = { 16, 12, 0, 0, "CCRQ" },
	[13] = { 148, 12, 0, 0, "CDN" },   [14] = { 40, 0, 12, 0, "WEN" },
	[15] = { 24, 0, 12, 0, "SLI" },
};

static void put16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* One message of type t from the RFC layout; the body's other bytes are copies of a valid
 * header (a parser that looked for the cookie inside bodies would be misled). */
static size_t build(uint8_t *b, unsigned t, unsigned cid, unsigned pcid, unsigned res)
{
	static const uint8_t fake[12] = { 0, 16, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, 5, 0, 0 };
	const struct layout *l = &rfc[t];

	for (unsigned i = 12; i < l->size; i++)
		b[i] = fake[(i - 12) % 12];
	put16(b, l->size);
	put16(b + 2, 1);
	b[4] = 0x1a, b[5] = 0x2b, b[6] = 0x3c, b[7] = 0x4d;
	put16(b + 8, t);
	put16(b + 10, 0);
	if (l->cid)
		put16(b + l->cid, cid);
	if (l->pcid)
		put16(b + l->pcid, pcid);
	if (l->res)
		b[l->res] = (uint8_t)res;
	return l->size;
}

struct rec {
	enum pptp_result kind;
	struct pptp_msg m;
};

struct run {
	struct rec r[MAXR];
	size_t n;
	bool stuck, miscount;
	struct pptp_parser end;
};

static void feed(struct pptp_parser *p, const uint8_t *d, size_t len, struct run *r)
{
	size_t off = 0, used;
	struct pptp_msg m;

	while (off < len) {
		enum pptp_result rc = pptp_parser_execute(p, d + off, len - off, &used, &m);

		if (used > len - off || (rc == PPTP_MORE && used != len - off))
			r->miscount = true;
		if (rc != PPTP_MORE && r->n < MAXR)
			r->r[r->n++] = (struct rec){ rc, m };
		if (!used || r->miscount) {
			r->stuck = true;
			return;
		}
		off += used;
	}
}

/* Feed in chunks: cut at k (k in 1..len-1), whole when k == len, byte by byte when k == 0. */
static void run_split(uint64_t pos, const uint8_t *d, size_t len, size_t k, struct run *r)
{
	struct pptp_parser p;

	memset(r, 0, sizeof(*r));
	pptp_parser_init(&p, pos);
	if (k) {
		feed(&p, d, k, r);
		feed(&p, d + k, len - k, r);
	} else {
		for (size_t i = 0; i < len; i++)
			feed(&p, d + i, 1, r);
	}
	r->end = p;
}

static const char *abbr(unsigned t)
{
	return t && t < 16 ? rfc[t].abbr : "?";
}

/* "OCRQ 0+168 c=4660@12; BAD cookie 168@172" with offsets relative to pos, then the end. */
static void fmt_run(const struct run *r, uint64_t pos, char *buf, size_t cap, bool with_state)
{
	size_t w = 0;

	buf[0] = 0;
	for (size_t i = 0; i < r->n && w < cap; i++) {
		const struct pptp_msg *m = &r->r[i].m;

		if (r->r[i].kind == PPTP_MALFORMED) {
			w += (size_t)snprintf(buf + w, cap - w, "%sBAD %s %llu@%llu t%u", i ? "; " : "",
					      pptp_bad_str(m->reason), (unsigned long long)(m->off - pos),
					      (unsigned long long)(m->bad_off - pos), m->type);
			continue;
		}
		w += (size_t)snprintf(buf + w, cap - w, "%s%s %llu+%llu", i ? "; " : "", abbr(m->type),
				      (unsigned long long)(m->off - pos), (unsigned long long)m->len);
		if (w < cap && m->fields & PPTP_F_CALL_ID)
			w += (size_t)snprintf(buf + w, cap - w, " c=%u@%llu", m->call_id,
					      (unsigned long long)(m->call_id_off - m->off));
		if (w < cap && m->fields & PPTP_F_PEER_CALL_ID)
			w += (size_t)snprintf(buf + w, cap - w, " p=%u@%llu", m->peer_call_id,
					      (unsigned long long)(m->peer_call_id_off - m->off));
		if (w < cap && m->fields & PPTP_F_RESULT)
			w += (size_t)snprintf(buf + w, cap - w, " r=%u", m->result);
	}
	if (with_state && w < cap)
		snprintf(buf + w, cap - w, " | pos=%llu start=%llu in=%u cand=%u dead=%u from=%llu "
			 "cs=%d stuck=%d mis=%d", (unsigned long long)r->end.pos,
			 (unsigned long long)r->end.msg_start, r->end.in_msg, r->end.candidate,
			 r->end.dead, (unsigned long long)r->end.rewrite_from, r->end.cs, r->stuck,
			 r->miscount);
}

/* Read from the bytes themselves: every report lies inside what was fed, messages follow
 * each other without gaps, each has the Length it claims and the call IDs at its offsets,
 * a malformed report is the last one and its byte lies in its message's header. */
static bool run_sane(const struct run *r, const uint8_t *d, size_t len, uint64_t pos)
{
	uint64_t at = pos;

	for (size_t i = 0; i < r->n; i++) {
		const struct pptp_msg *m = &r->r[i].m;
		const uint8_t *b = d + (m->off - pos);

		if (m->off != at)
			return false;
		if (r->r[i].kind == PPTP_MALFORMED)
			return i + 1 == r->n && m->reason != PPTP_BAD_NONE && m->bad_off >= m->off &&
			       m->bad_off < m->off + PPTP_HDR_LEN && m->bad_off < pos + len &&
			       r->end.dead && !r->end.in_msg && !r->end.candidate;
		if (m->off + m->len > pos + len || m->len < PPTP_HDR_LEN || m->type < 1 ||
		    m->type > 15 || m->len != rfc[m->type].size || (uint64_t)(b[0] << 8 | b[1]) != m->len ||
		    m->length != m->len || (b[8] << 8 | b[9]) != m->type)
			return false;
		if ((m->fields & PPTP_F_CALL_ID) &&
		    (m->call_id_off != m->off + rfc[m->type].cid ||
		     (d[m->call_id_off - pos] << 8 | d[m->call_id_off - pos + 1]) != m->call_id))
			return false;
		if ((m->fields & PPTP_F_PEER_CALL_ID) &&
		    (m->peer_call_id_off != m->off + rfc[m->type].pcid ||
		     (d[m->peer_call_id_off - pos] << 8 | d[m->peer_call_id_off - pos + 1]) != m->peer_call_id))
			return false;
		if (!!(m->fields & PPTP_F_CALL_ID) != !!rfc[m->type].cid ||
		    !!(m->fields & PPTP_F_PEER_CALL_ID) != !!rfc[m->type].pcid ||
		    !!(m->fields & PPTP_F_RESULT) != !!rfc[m->type].res ||
		    ((m->fields & PPTP_F_RESULT) && b[rfc[m->type].res] != m->result))
			return false;
		at = m->off + m->len;
	}
	return !r->stuck && !r->miscount && r->end.pos == pos + len &&
	       (r->end.dead || (r->end.msg_start == at && r->end.in_msg == (at != pos + len)));
}

/* Run d whole, then split at every offset and byte by byte: all runs must agree.  (Moves
 * onto tests/lib/split.h's split_check once that harness is in main.) */
static bool check_stream(const char *desc, uint64_t pos, const uint8_t *d, size_t len,
			 struct run *whole)
{
	static struct run r;
	static char a[8192], b[8192];

	run_split(pos, d, len, len, whole);
	fmt_run(whole, pos, a, sizeof(a), true);
	for (size_t k = 0; k < len; k++) {
		run_split(pos, d, len, k, &r);
		fmt_run(&r, pos, b, sizeof(b), true);
		if (strcmp(a, b)) {
			tap_ok(false, "%s: same result split at %zu", desc, k);
			tap_diag("whole: %s", a);
			tap_diag("split: %s", b);
			return false;
		}
	}
	if (tap_ok(run_sane(whole, d, len, pos), "%s: same result in any split, offsets sane", desc))
		return true;
	tap_diag("%s", a);
	return false;
}

/* check_stream, then the reports must read want. */
static void expect(const char *desc, uint64_t pos, const uint8_t *d, size_t len, const char *want)
{
	static struct run r;
	static char got[4096];

	if (!check_stream(desc, pos, d, len, &r))
		return;
	fmt_run(&r, pos, got, sizeof(got), false);
	tap_ok(!strcmp(got, want), "%s: \"%s\" (want \"%s\")", desc, got, want);
}

/* Every type whole, at a non-zero stream offset, with distinct call IDs. */
static void type_cases(void)
{
	static uint8_t b[BUF_MAX];
	char desc[96], want[128];

	for (unsigned t = 1; t <= 15; t++) {
		const struct layout *l = &rfc[t];
		size_t n = build(b, t, 0x1234 + t, 0xfedc - t, t == 8 ? 1 : 3), w;

		w = (size_t)snprintf(want, sizeof(want), "%s 0+%u", l->abbr, l->size);
		if (l->cid)
			w += (size_t)snprintf(want + w, sizeof(want) - w, " c=%u@%u", 0x1234 + t, l->cid);
		if (l->pcid)
			w += (size_t)snprintf(want + w, sizeof(want) - w, " p=%u@%u", 0xfedc - t, l->pcid);
		if (l->res)
			snprintf(want + w, sizeof(want) - w, " r=%u", t == 8 ? 1 : 3);
		snprintf(desc, sizeof(desc), "%s (type %u, %u bytes)", pptp_type_str(t), t, l->size);
		expect(desc, 70000, b, n, want);
		TAP_EQ_U(pptp_msg_size(t), l->size, "pptp_msg_size agrees with RFC 2637");
	}
	TAP_EQ_U(pptp_msg_size(0) + pptp_msg_size(16) + pptp_msg_size(255), 0, "no size for unknown types");
}

/* Each type cut short by one byte, and every prefix's state. */
static void truncated_cases(void)
{
	static uint8_t b[BUF_MAX];
	static struct run r;
	char desc[96];

	for (unsigned t = 1; t <= 15; t++) {
		size_t n = build(b, t, 7, 8, 1);
		bool ok = true;

		snprintf(desc, sizeof(desc), "%s cut short by one byte", rfc[t].abbr);
		expect(desc, 0, b, n - 1, "");
		for (size_t k = 1; k < n && ok; k++) {
			bool cand = k < 10 || rfc[t].cid || rfc[t].pcid;

			run_split(100, b, k, k, &r);
			ok = !r.n && r.end.in_msg && !r.end.dead && r.end.msg_start == 100 &&
			     r.end.candidate == cand && r.end.rewrite_from == (cand ? 112U : 0U);
			if (!ok)
				tap_diag("prefix of %zu: in=%u cand=%u from=%llu", k, r.end.in_msg,
					 r.end.candidate, (unsigned long long)r.end.rewrite_from);
		}
		tap_ok(ok, "%s: every prefix is a message in progress, candidate %s", rfc[t].abbr,
		       rfc[t].cid || rfc[t].pcid ? "throughout" : "until its type is read");
	}
	run_split(5, b, 0, 0, &r);
	tap_ok(!r.n && !r.end.in_msg && !r.end.candidate && r.end.pos == 5, "nothing fed: idle");
}

/* The header's fields spoilt one at a time, each followed by a good message that must not
 * be reported (dead), and a trailing kilobyte of garbage. */
static void malformed_cases(void)
{
	static uint8_t b[BUF_MAX];
	static const struct { unsigned at, val; const char *want; } spoil[] = {
		{ 4, 0x1b, "BAD bad magic cookie 0@4 t0" },
		{ 5, 0x00, "BAD bad magic cookie 0@5 t0" },
		{ 6, 0xff, "BAD bad magic cookie 0@6 t0" },
		{ 7, 0x4c, "BAD bad magic cookie 0@7 t0" },
		{ 3, 2, "BAD message type not control 0@3 t0" },
		{ 3, 0, "BAD message type not control 0@3 t0" },
		{ 2, 1, "BAD message type not control 0@2 t0" },
		{ 8, 1, "BAD unknown control message type 0@8 t0" },
		{ 0, 1, "BAD length of no control message 0@0 t0" },
	};
	char desc[96], want[128];

	for (unsigned t = 1; t <= 15; t++) {
		for (size_t i = 0; i < sizeof(spoil) / sizeof(spoil[0]); i++) {
			size_t n = build(b, t, 1, 2, 1);

			b[spoil[i].at] = (uint8_t)spoil[i].val;
			n += build(b + n, 7, 3, 0, 0);
			memset(b + n, 0xa5, 1024);
			snprintf(desc, sizeof(desc), "%s with byte %u = %#x", rfc[t].abbr, spoil[i].at,
				 spoil[i].val);
			expect(desc, 0, b, n + 1024, spoil[i].want);
		}
	}
	/* Length: off by one, header only, zero, huge, and every other type's size. */
	for (unsigned t = 1; t <= 15; t++) {
		const unsigned lens[] = { rfc[t].size + 1, rfc[t].size - 1, 12, 0, 0xffff, 0x0110 };

		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			unsigned v = lens[i], other = 0;
			size_t n = build(b, t, 1, 2, 1);

			for (unsigned u = 1; u <= 15; u++)
				other |= rfc[u].size == v;
			put16(b, v);
			snprintf(desc, sizeof(desc), "%s with Length %u", rfc[t].abbr, v);
			if (other)
				snprintf(want, sizeof(want), "BAD length not the size of its type 0@9 t%u", t);
			else
				snprintf(want, sizeof(want), "BAD length of no control message 0@%u t0", v >> 8 ? 0 : 1);
			expect(desc, 0, b, n, want);
		}
		for (unsigned u = 1; u <= 15; u++) {
			size_t n;

			if (rfc[u].size == rfc[t].size)
				continue;
			n = build(b, t, 1, 2, 1);
			put16(b, rfc[u].size);
			snprintf(desc, sizeof(desc), "%s with %s's Length %u", rfc[t].abbr, rfc[u].abbr,
				 rfc[u].size);
			snprintf(want, sizeof(want), "BAD length not the size of its type 0@9 t%u", t);
			expect(desc, 0, b, n, want);
		}
	}
	/* Unknown control message types, with a Length the table has. */
	{
		static const unsigned types[] = { 0, 16, 17, 255, 0x0107, 0xff01 };

		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			size_t n = build(b, 5, 0, 0, 0);
			unsigned hi = types[i] >> 8;

			put16(b + 8, types[i]);
			snprintf(desc, sizeof(desc), "control message type %u", types[i]);
			snprintf(want, sizeof(want), "BAD unknown control message type 0@%u t%u",
				 hi ? 8 : 9, hi ? 0 : types[i]);
			expect(desc, 0, b, n, want);
		}
	}
	/* A good message, then a bad one: the first is reported, the stream then dies. */
	{
		size_t n = build(b, 7, 0x0102, 0, 0);

		n += build(b + n, 5, 0, 0, 0);
		b[n - 16 + 4] = 0; /* the echo's cookie */
		n += build(b + n, 8, 9, 0x0102, 1);
		expect("OCRQ, echo with a bad cookie, OCRP", 0, b, n,
		       "OCRQ 0+168 c=258@12; BAD bad magic cookie 168@172 t0");
	}
	/* Not PPTP at all (an HTTP request to port 1723). */
	{
		static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

		expect("HTTP on the PPTP port", 0, (const uint8_t *)http, sizeof(http) - 1,
		       "BAD length of no control message 0@0 t0");
	}
	/* Lenient as the kernel: Reserved0 and reserved body bytes are not checked. */
	{
		size_t n = build(b, 12, 0x4321, 0, 0);

		b[10] = 0xff, b[11] = 0xee, b[14] = 0xdd, b[15] = 0xcc;
		expect("CCRQ with Reserved0 and Reserved1 set", 0, b, n, "CCRQ 0+16 c=17185@12");
	}
}

/* Several messages per segment: every type twice in a row, and whole sessions. */
static void stream_cases(void)
{
	static uint8_t b[BUF_MAX];
	char desc[96], want[512];
	size_t n, w;

	for (unsigned t = 1; t <= 15; t++) {
		n = build(b, t, 11, 22, 1);
		n += build(b + n, t, 33, 44, 2);
		snprintf(desc, sizeof(desc), "two %s in one segment", rfc[t].abbr);
		w = (size_t)snprintf(want, sizeof(want), "%s 0+%u", rfc[t].abbr, rfc[t].size);
		w += (size_t)snprintf(want + w, sizeof(want) - w, "%s%s%s; %s %u+%u", rfc[t].cid ? " c=11@12" : "",
				      rfc[t].pcid ? (rfc[t].cid ? " p=22@14" : " p=22@12") : "",
				      rfc[t].res ? " r=1" : "", rfc[t].abbr, rfc[t].size, rfc[t].size);
		snprintf(want + w, sizeof(want) - w, "%s%s%s", rfc[t].cid ? " c=33@12" : "",
			 rfc[t].pcid ? (rfc[t].cid ? " p=44@14" : " p=44@12") : "",
			 rfc[t].res ? " r=2" : "");
		expect(desc, 0, b, n, want);
	}
	/* A PNS-initiated session (RFC 2637 fig. 1 order), echo, outgoing call, teardown. */
	n = build(b, 1, 0, 0, 0);
	n += build(b + n, 2, 0, 0, 1);
	n += build(b + n, 5, 0, 0, 0);
	n += build(b + n, 6, 0, 0, 0);
	n += build(b + n, 7, 0x8001, 0, 0);
	n += build(b + n, 8, 0x0042, 0x8001, 1);
	n += build(b + n, 15, 0, 0x0042, 0);
	n += build(b + n, 14, 0, 0x8001, 0);
	n += build(b + n, 12, 0x8001, 0, 0);
	n += build(b + n, 13, 0x0042, 0, 0);
	n += build(b + n, 3, 0, 0, 0);
	n += build(b + n, 4, 0, 0, 0);
	expect("outgoing-call session, both directions in one stream", 0, b, n,
	       "SCCRQ 0+156; SCCRP 156+156 r=1; ECHORQ 312+16; ECHORP 328+20; OCRQ 348+168 c=32769@12; "
	       "OCRP 516+32 c=66@12 p=32769@14 r=1; SLI 548+24 p=66@12; WEN 572+40 p=32769@12; "
	       "CCRQ 612+16 c=32769@12; CDN 628+148 c=66@12; StopCCRQ 776+16; StopCCRP 792+16");
	/* PAC-initiated calls: incoming request, reply, connected, for three calls at once. */
	n = 0;
	for (unsigned c = 1; c <= 3; c++)
		n += build(b + n, 9, 0x100 * c, 0, 0);
	for (unsigned c = 1; c <= 3; c++)
		n += build(b + n, 10, 0x10 * c, 0x100 * c, c == 2 ? 3 : 1);
	for (unsigned c = 1; c <= 3; c++)
		n += build(b + n, 11, 0, 0x10 * c, 0);
	expect("three incoming calls", 5, b, n,
	       "ICRQ 0+220 c=256@12; ICRQ 220+220 c=512@12; ICRQ 440+220 c=768@12; "
	       "ICRP 660+24 c=16@12 p=256@14 r=1; ICRP 684+24 c=32@12 p=512@14 r=3; "
	       "ICRP 708+24 c=48@12 p=768@14 r=1; ICCN 732+28 p=16@12; ICCN 760+28 p=32@12; "
	       "ICCN 788+28 p=48@12");
	/* A whole message, then half of the next: reported, then in progress. */
	n = build(b, 12, 5, 0, 0);
	n += build(b + n, 8, 6, 7, 1) / 2;
	expect("CCRQ and half an OCRP", 0, b, n, "CCRQ 0+16 c=5@12");
}

/* Expected from the transcript's decoded summaries (tcpdump-pptp.txt, retransmissions
 * left out): per direction, the types in order and "cid/pcid/result" of the call
 * messages.  The other two captures hold GRE packets only: no control bytes at all. */
static const struct {
	const char *name;
	unsigned gre;              /* GRE blocks in the transcript */
	const char *client, *server;
} corpus[] = {
	{ "tcpdump-pptp", 1, "SCCRQ 0+156; OCRQ 156+168 c=0@12; SLI 324+24 p=0@12",
	  "SCCRP 0+156 r=1; OCRP 156+32 c=0@12 p=0@14 r=1" },
	{ "zeek-gre-pptp-only", 2, "", "" },
	{ "pcpp-gre-v0-v1-mixed", 7, "", "" },
};

/* The naive count: walk Length fields from the start; types as the header says. */
static void naive_walk(const uint8_t *d, size_t len, unsigned *n, unsigned types[16])
{
	for (size_t i = 0; i + 12 <= len;) {
		unsigned l = (unsigned)(d[i] << 8 | d[i + 1]), t = (unsigned)(d[i + 8] << 8 | d[i + 9]);

		if (l < 12 || i + l > len)
			return;
		(*n)++;
		types[t < 16 ? t : 0]++;
		i += l;
	}
}

static void corpus_one(size_t ci)
{
	static uint8_t st[2][BUF_MAX];
	static struct run seg, whole, bytes;
	static char a[4096], b[4096];
	size_t len[2] = { 0, 0 }, cut[2][64], ncut[2] = { 0, 0 };
	unsigned gre = 0, nwalk = 0, walk_types[16] = { 0 }, got_types[16] = { 0 }, nmsg = 0;
	bool same = true, sane = true, fits = true;
	char path[256];
	struct capture c;

	snprintf(path, sizeof(path), CORPUS "%s.txt", corpus[ci].name);
	if (capture_load(&c, path)) {
		tap_ok(false, "load %s", path);
		return;
	}
	/* One flow in these captures; retransmitted bytes were already delivered. */
	for (size_t i = 0; i < c.n; i++) {
		const struct capture_seg *g = &c.seg[i];
		int k = !g->to_server;

		if (g->proto == CAPTURE_GRE) {
			gre++;
			continue;
		}
		if (g->retrans)
			continue;
		if (g->proto != CAPTURE_TCP || g->flow || len[k] + g->len > BUF_MAX || ncut[k] == 64) {
			fits = false;
			continue;
		}
		memcpy(st[k] + len[k], g->data, g->len);
		len[k] += g->len;
		cut[k][ncut[k]++] = len[k];
	}
	tap_ok(fits, "%s: one TCP flow that fits the test's buffers", corpus[ci].name);
	TAP_EQ_U(gre, corpus[ci].gre, "GRE blocks in the transcript");
	for (int k = 0; k < 2; k++) {
		struct pptp_parser p;

		memset(&seg, 0, sizeof(seg));
		pptp_parser_init(&p, 0);
		for (size_t j = 0, at = 0; j < ncut[k]; at = cut[k][j++])
			feed(&p, st[k] + at, cut[k][j] - at, &seg);
		seg.end = p;
		run_split(0, st[k], len[k], len[k], &whole);
		run_split(0, st[k], len[k], 0, &bytes);
		fmt_run(&seg, 0, a, sizeof(a), true);
		fmt_run(&whole, 0, b, sizeof(b), true);
		same = same && !strcmp(a, b);
		fmt_run(&bytes, 0, b, sizeof(b), true);
		same = same && !strcmp(a, b);
		sane = sane && run_sane(&seg, st[k], len[k], 0) && !seg.end.in_msg && !seg.end.dead;
		naive_walk(st[k], len[k], &nwalk, walk_types);
		for (size_t j = 0; j < seg.n; j++) {
			nmsg += seg.r[j].kind == PPTP_MSG;
			got_types[seg.r[j].m.type < 16 ? seg.r[j].m.type : 0]++;
		}
		fmt_run(&seg, 0, a, sizeof(a), false);
		tap_ok(!strcmp(a, k ? corpus[ci].server : corpus[ci].client), "%s %s: \"%s\" (want \"%s\")",
		       corpus[ci].name, k ? "PAC->PNS" : "PNS->PAC", a, k ? corpus[ci].server : corpus[ci].client);
	}
	tap_ok(same, "%s: capture segments, whole streams and single bytes agree", corpus[ci].name);
	tap_ok(sane, "%s: offsets sane, both directions end at a message boundary", corpus[ci].name);
	tap_ok(nmsg == nwalk && !memcmp(walk_types, got_types, sizeof(got_types)),
	       "%s: %u messages, types as a naive Length walk finds them (%u)", corpus[ci].name, nmsg,
	       nwalk);
	capture_free(&c);
}

void test_pptp_parser(void);
void test_pptp_parser(void)
{
	type_cases();
	truncated_cases();
	malformed_cases();
	stream_cases();
	for (size_t i = 0; i < sizeof(corpus) / sizeof(corpus[0]); i++)
		corpus_one(i);
}
