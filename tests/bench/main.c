/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmark binary: each bench prints its own figures; nothing here asserts timings. */
#include <stdio.h>
#include <string.h>
#include "log.h"

#include "benches.h"	/* BENCHES(X): every tests/bench/bench_*.c, found by build.sh */
#define DECLARE(b) void bench_##b(void) __attribute__((weak));
BENCHES(DECLARE)

int main(int argc, char **argv)
{
	struct { const char *name; void (*fn)(void); } benches[] = {
#define ENTRY(b) { #b, bench_##b },
		BENCHES(ENTRY)
	};
	int rc = 0;

	log_init("bench", -1);	/* refusals and drops are the point of some inputs: no log lines */

	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (argc > 1 && strcmp(argv[1], benches[i].name))
			continue;
		if (!benches[i].fn) {
			printf("%s: not built\n", benches[i].name);
			rc = 1;
			continue;
		}
		benches[i].fn();
	}
	return rc;
}
