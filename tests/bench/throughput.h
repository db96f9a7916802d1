/* SPDX-License-Identifier: GPL-2.0-or-later */
/* throughput: time a parser over a prepared transcript, the way every parser bench does. */
#ifndef NFHELPER_BENCH_THROUGHPUT_H
#define NFHELPER_BENCH_THROUGHPUT_H

#include <stddef.h>

double bench_now(void);
/* Run round(arg) — one pass over bytes of input, returning the matches it found — for about a
 * second; print "NAME: N MB/s (bytes x rounds)", and a line when a round found other than
 * want matches (the transcript and the parser disagree). */
void bench_throughput(const char *name, size_t (*round)(void *arg), void *arg, size_t bytes, size_t want);

#endif
