// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_cthelper_entry: one datagram of a cthelper GET dump — every message through
 * cthelper_entry_decode, and NLMSG_ERROR through nl_msg_error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cthelper.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh;
	size_t off = 0;
	int err;

	memcpy(buf, data, size);
	while ((nlh = nl_msg_next(buf, size, &off, &err))) {
		struct cthelper_entry e;

		if (cthelper_entry_decode(nlh, &e) == 0 && strnlen(e.name, sizeof(e.name)) == sizeof(e.name))
			abort(); /* a decoded name is always NUL-terminated */
		if (nlh->nlmsg_type == NLMSG_ERROR && nl_msg_error(nlh) > 0)
			abort();
	}
	free(buf);
	return 0;
}
