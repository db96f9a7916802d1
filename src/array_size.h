/* SPDX-License-Identifier: GPL-2.0-or-later */
/* array_size: the number of elements of an array, derived, never written by hand (as the
 * kernel's linux/array_size.h): adding an entry to a table cannot leave a stale count. */
#ifndef NFHELPER_ARRAY_SIZE_H
#define NFHELPER_ARRAY_SIZE_H

/* 1 for an array, 0 for a pointer: only an array's type differs from its first element's
 * address's.  A constant expression. */
#define IS_ARRAY(a) (!__builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])))

/* sizeof(a) / sizeof(a[0]), refused at compile time for a pointer (which would give a silent
 * wrong count: the pointer's size over its element's). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]) + 0 * sizeof(struct { \
	_Static_assert(IS_ARRAY(a), "ARRAY_SIZE of a pointer, not an array"); int x; }))

#endif
