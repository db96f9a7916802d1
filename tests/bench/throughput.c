// SPDX-License-Identifier: GPL-2.0-or-later
/* throughput: the timing loop every parser bench shares (see throughput.h). */
#include <stdio.h>
#include <time.h>
#include "throughput.h"

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void bench_throughput(const char *name, size_t (*round)(void *arg), void *arg, size_t bytes, size_t want)
{
	volatile size_t sink = 0;
	size_t rounds = 0;
	double t0 = bench_now(), t;

	do {
		sink += round(arg);
		rounds++;
	} while ((t = bench_now() - t0) < 1.0);
	if (sink != rounds * want)
		printf("%s: expected %zu matches a round, got %zu\n", name, want, sink / rounds);
	printf("%s: %.0f MB/s (%zu bytes x %zu rounds)\n", name, bytes * rounds / t / 1e6, bytes, rounds);
}
