/* SPDX-License-Identifier: GPL-2.0-or-later */
/* packet: a TCP protocol's per-packet benchmark, from one session's script. */
#ifndef NFHELPER_BENCH_PACKET_H
#define NFHELPER_BENCH_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "helper.h"

/* One packet of a session: direction and payload (NULL: the SYN of that direction). */
struct bench_step {
	int dir;
	const char *text;
};

/* Client 10.0.1.2 to server 10.0.2.2:port, NATed to 10.0.2.1 in the NAT run. */
struct bench_session {
	const struct helper_proto *proto;
	uint16_t port;
	const struct bench_step *step;
	size_t n;
	const uint32_t *len;    /* each step's payload length; NULL: the payloads are strings */
};

/* Prints "<proto>_packet no NAT|NAT: N ns/packet ..." and the allocations per packet. */
void bench_packet_run(const struct bench_session *bs);
/* The same for one of the two runs (a protocol whose NAT session differs, e.g. in IDs). */
void bench_packet_run_one(const struct bench_session *bs, bool nat);

#endif
