// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_queue_pkt: one recvmsg datagram of a queue socket — every message through
 * queue_pkt_decode (with its nested NFQA_CT via ct_info_decode, an expected connection's
 * CTA_TUPLE_MASTER included: seed pkt4_expected) and ct_event_decode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "ct.h"
#include "queue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every byte the decoders point at, so ASan sees any that lie outside the input. */
static unsigned touch(const uint8_t *p, size_t n)
{
	unsigned sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += p[i];
	return sum;
}

/* A master (CTA_TUPLE_MASTER) is kept only whole: a known family, else none at all. */
static unsigned touch_ct(const struct ct_info *ct)
{
	static const struct ct_tuple none;

	if (ct->helper[sizeof(ct->helper) - 1] || strlen(ct->helper) >= sizeof(ct->helper))
		abort();
	if (ct->has_master ? ct->master.l3 != AF_INET && ct->master.l3 != AF_INET6 :
			     !ct_tuple_equal(&ct->master, &none))
		abort();
	return ct->help_info ? touch(ct->help_info, ct->help_info_len) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly the input's size, 4-byte aligned like a receive buffer. */
	uint8_t *buf = malloc(size ? size : 1);
	const struct nlmsghdr *nlh;
	volatile unsigned sink = 0;
	size_t off = 0;
	int err;

	memcpy(buf, data, size);
	while ((nlh = nl_msg_next(buf, size, &off, &err))) {
		struct queue_pkt p;
		struct ct_info ct;

		if (queue_pkt_decode(nlh, &p) == 0) {
			if (!p.id_valid || !p.payload)
				abort();
			sink += touch(p.payload, p.len);
			if (p.has_ct)
				sink += touch_ct(&p.ct);
		}
		if (ct_event_decode(nlh, &ct) == 0)
			sink += touch_ct(&ct);
	}
	(void)sink;
	free(buf);
	return 0;
}
