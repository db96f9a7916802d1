/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The unit-test binary: runs every suite and prints TAP plus a plain summary line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"

static unsigned tap_n, tap_failed;

bool tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%s %u - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void hexline(const char *tag, const uint8_t *p, size_t len)
{
	printf("# %s (%zu):", tag, len);
	for (size_t i = 0; i < len; i++)
		printf("%s%02x", i % 16 ? " " : "\n#   ", p[i]);
	putchar('\n');
}

bool tap_bytes(const void *got, size_t glen, const void *want, size_t wlen, const char *desc)
{
	size_t i = 0;

	while (i < glen && i < wlen && ((const uint8_t *)got)[i] == ((const uint8_t *)want)[i])
		i++;
	if (tap_ok(glen == wlen && i == glen, "%s", desc))
		return true;
	tap_diag("first difference at byte %zu", i);
	hexline("got", got, glen);
	hexline("want", want, wlen);
	return false;
}

uint8_t *tap_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(buf = malloc(n ? n : 1)) || fread(buf, 1, n, f) != (size_t)n) {
		tap_ok(false, "read %s", path);
		free(buf);
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* Each suite lives in its own file.  A suite that is not linked in counts as a failure:
 * nothing is silently skipped. */
#include "suites.h"	/* SUITES(X): every tests/unit/test_*.c, found by build.sh */
#define DECLARE(s) void test_##s(void) __attribute__((weak));
SUITES(DECLARE)

int main(int argc, char **argv)
{
	struct { const char *name; void (*fn)(void); } suites[] = {
#define ENTRY(s) { #s, test_##s },
		SUITES(ENTRY)
	};

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (argc > 1 && strcmp(argv[1], suites[i].name))
			continue;
		printf("# suite %s\n", suites[i].name);
		if (suites[i].fn)
			suites[i].fn();
		else
			tap_ok(false, "suite %s is linked in", suites[i].name);
	}
	printf("1..%u\n", tap_n);
	printf("unit: %u passed, %u failed\n", tap_n - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}
