/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap: the smallest TAP producer — one binary, many suites, table-driven cases. */
#ifndef NFHELPER_TAP_H
#define NFHELPER_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Record one check; returns cond so callers can stop a case early. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Compare bytes; on mismatch print both as hex with the first differing offset. */
bool tap_bytes(const void *got, size_t glen, const void *want, size_t wlen, const char *desc);
/* Read a whole file (tests run from tests/unit); NULL and a failed check when it is missing. */
uint8_t *tap_slurp(const char *path, size_t *len);

#define TAP_EQ_U(got, want, desc) \
	tap_ok((unsigned long long)(got) == (unsigned long long)(want), "%s (got %llu, want %llu)", \
	       desc, (unsigned long long)(got), (unsigned long long)(want))

#endif
