// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_harness_check: fuzz_stream's failures and tracing, the receiver's stream checked line
 * by line against what the client wrote and its NAT rewrite (the model's), and the counts of
 * each protocol printed at exit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stream_harness.h"

struct stats st, st_model[MODELS_MAX];
int tracing = -1, strict;

static void stats_print_one(const char *name, const struct stats *t, bool stateful)
{
	fprintf(stderr, "fuzz_stream %s: %lu inputs, %lu segments, %lu router drops; %lu lines, %lu "
		"rewritable: %lu rewritten, %lu left unrewritten after an unclean passage; %lu "
		"stale copies (before rcv_nxt) that differed; kernel single-correction limit hit in %lu "
		"inputs (%lu acks mis-mapped, %lu segments misplaced after one); a length change behind bytes "
		"passed ahead in %lu; resegmented bytes before a change mapped with it in %lu; %lu of "
		"these inputs broke the stream", name, t->inputs, t->segments, t->drops, t->lines,
		t->rewritable, t->rewritten, t->unclean_plain, t->stale_differ, t->limited, t->misacked,
		t->misplaced, t->overtaken, t->reseg, t->limited_fail);
	if (stateful)
		fprintf(stderr, "; %lu messages with other values where the harness lost track of "
			"the state", t->varied);
	fputc('\n', stderr);
}

/* The counts at exit: the path model's, then what each protocol's inputs added to st. */
static void stats_print(void) __attribute__((destructor));
static void stats_print(void)
{
	mss_stats_print();
	for (unsigned i = 0; models[i]; i++)
		if (st_model[i].inputs)
			stats_print_one(models[i]->name, &st_model[i], models[i]->stateful);
}

void stats_add(unsigned i, const struct stats *before)
{
	const unsigned long *a = (const unsigned long *)&st, *b = (const unsigned long *)before;
	unsigned long *t = (unsigned long *)&st_model[i];

	for (size_t k = 0; k < sizeof(st) / sizeof(unsigned long); k++)
		t[k] += a[k] - b[k];
}

void dump(const char *tag, const uint8_t *p, uint32_t len)
{
	fprintf(stderr, "  %s (%u): \"", tag, len);
	for (uint32_t i = 0; i < len; i++) {
		if (p[i] == '\r')
			fputs("\\r", stderr);
		else if (p[i] == '\n')
			fputs("\\n", stderr);
		else
			fputc(p[i] >= 32 && p[i] < 127 ? p[i] : '?', stderr);
	}
	fputs("\"\n", stderr);
}

static void vfail(const char *fmt, va_list ap) __attribute__((noreturn));
static void vfail(const char *fmt, va_list ap)
{
	fputs("fuzz_stream: FAILED: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n  kernel limits met before: single correction %s, change behind bytes passed "
		"ahead %s, resegmented %s\n  sender una %u nxt %u; router hwm %u; receiver rcv_nxt %u; seqadj pos "
		"%u (stream %d) before %d after %d\n", w.limited ? "yes" : "no",
		w.overtaken ? "yes" : "no", w.reseg ? "yes" : "no", w.una, w.nxt, w.hwm, w.rcv_nxt,
		w.adj.pos, (int32_t)(w.adj.pos - w.isn), w.adj.before, w.adj.after);
	dump("application", w.app, w.app_len);
	dump("receiver", w.rcv, w.rcv_nxt);
	abort();
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap);
}

/* A broken stream after the kernel demonstrably mis-mapped (two corrections in flight: it
 * keeps one) is that limit's consequence: counted, not failed, unless FUZZ_STREAM_STRICT. */
void fail_stream(const char *fmt, ...)
{
	va_list ap;

	if ((w.limited || w.overtaken || w.reseg) && !strict) {
		st.limited_fail++;
		longjmp(w.out, 1);
	}
	va_start(ap, fmt);
	vfail(fmt, ap);
}

/* The verdict as the kernel takes it: its helper data for the next packet. */
void kernel_apply(const struct nlmsghdr *verdict)
{
	const char *fault = kstore_apply(&w.c.kernel, w.c.ct.helper, verdict);

	if (fault)
		fail("packet %u: the kernel would mishandle the verdict: %s", w.id, fault);
}

void trace(const char *fmt, ...)
{
	va_list ap;

	if (tracing <= 0)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A stateful protocol's message after the harness lost track of its state: its length, and
 * every byte but the ones the model says may vary, as sent. */
static bool varied(const struct line *l, const uint8_t *got, uint32_t avail)
{
	const uint8_t *o = w.app + l->off;
	uint32_t v = l->vary, e = l->vary + l->nvary;

	if (!w.model->stateful || !l->nvary || e > l->len || avail < l->len)
		return false;
	return !memcmp(got, o, v) && !memcmp(got + e, o + e, l->len - e);
}

/* The receiver's stream, line by line: each the line itself or its rewrite. */
void check_stream(void)
{
	uint32_t r = 0;
	bool lost = false;	/* a stateful model no longer knows the state (an unclean line) */

	if (w.rcv_end > w.rcv_nxt)
		fail_stream("the receiver holds bytes up to %u, past its stream's end %u", w.rcv_end, w.rcv_nxt);
	for (unsigned i = 0; i < w.nline; i++) {
		const struct line *l = &w.line[i];
		bool same = r + l->len <= w.rcv_nxt && !memcmp(w.rcv + r, w.app + l->off, l->len);
		bool rw = !same && l->rewritable && r + l->alt_len <= w.rcv_nxt &&
			  !memcmp(w.rcv + r, w.alt + l->alt, l->alt_len);
		bool other;

		lost |= w.model->stateful && l->unclean;
		other = !same && !rw && lost && varied(l, w.rcv + r, w.rcv_nxt - r);
		if (!same && !rw && !other) {
			dump("line sent", w.app + l->off, l->len);
			if (l->rewritable)
				dump("its rewrite", w.alt + l->alt, l->alt_len);
			dump("received there", w.rcv + r, w.rcv_nxt - r < 160 ? w.rcv_nxt - r : 160);
			fail_stream("line %u (stream offset %u, receiver offset %u) arrived corrupted", i, l->off, r);
		}
		st.lines++;
		st.rewritable += l->rewritable;
		st.rewritten += rw;
		st.varied += other;
		if (l->rewritable && same && !l->unclean && !lost)
			fail("line %u (stream offset %u) reached the router cleanly but was not rewritten",
			     i, l->off);
		st.unclean_plain += l->rewritable && same;
		r += rw ? l->alt_len : l->len;
	}
	if (r != w.rcv_nxt)
		fail_stream("the receiver got %u bytes more than were sent", w.rcv_nxt - r);
}
