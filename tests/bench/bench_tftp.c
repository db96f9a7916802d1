// SPDX-License-Identifier: GPL-2.0-or-later
/* bench_tftp: the TFTP request grammar's throughput, and the userspace cost of one queued
 * request through dispatch (decode, state, parse, expectation, verdict) without syscalls. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "dispatch.h"
#include "pkt.h"
#include "qmsg.h"
#include "throughput.h"
#include "tftp_parser.h"

extern const struct helper_proto tftp_proto;

#define D(s) { (const uint8_t *)(s), sizeof(s) - 1 }
/* What reaches the helper: requests (from PXE firmware, tftp-hpa, busybox), some with
 * options, and the odd malformed one. */
static const struct { const uint8_t *d; size_t len; } reqs[] = {
	D("\0\1pxelinux.0\0octet\0tsize\0" "0\0blksize\0" "1456\0"),
	D("\0\1pxelinux.cfg/01-52-54-00-12-34-56\0octet\0blksize\0" "1408\0windowsize\0" "16\0"),
	D("\0\1boot/grub/x86_64-efi/normal.mod\0octet\0"),
	D("\0\2backups/router-config-2026-01-01.txt\0netascii\0tsize\0" "48213\0timeout\0" "3\0"),
	D("\0\1file1\0octet\0"),
	D("\0\1f\0binary\0"),
};
#define NREQ (sizeof(reqs) / sizeof(reqs[0]))
#define SESSIONS 4000
#define ROUNDS 50


static void bench_parser(void)
{
	const unsigned rounds = 2000000;
	struct tftp_request r;
	unsigned long long bytes = 0, ok = 0;
	double t0 = bench_now(), dt;

	for (unsigned i = 0; i < rounds; i++) {
		size_t k = i % NREQ;

		ok += tftp_parse(reqs[k].d, reqs[k].len, &r) == TFTP_REQUEST;
		bytes += reqs[k].len;
	}
	dt = bench_now() - t0;
	printf("tftp_parser: %.0f MB/s, %.0f ns/request (%u requests, %llu bytes, %llu well formed)\n",
	       bytes / dt / 1e6, dt * 1e9 / rounds, rounds, bytes, ok);
}

static void bench_packet(bool nat)
{
	struct helper_cfg cfg = { .name = "tftp", .queue = 69, .policy = { { "tftp", 1, 300 } },
				  .max_conns = SESSIONS * 2 };
	size_t cap = (size_t)SESSIONS * 512, w = 0;
	uint8_t *buf = aligned_alloc(4, cap), pkt[1024];
	static uint32_t off[SESSIONS];
	unsigned long long packets = 0, exps = 0, refused = 0;
	struct help_result res;
	struct dispatch dp;
	double t0 = 0, dt;

	for (uint32_t s = 0; s < SESSIONS; s++) {
		struct qmsg_conn c;
		uint32_t n;
		struct nlmsghdr *nlh;

		qmsg_conn_init(&c, AF_INET, "10.0.1.2", (uint16_t)(20000 + s), "10.0.2.2", 69,
			       nat ? "10.0.2.1" : NULL, 0x1000 + s);
		c.ct.tuple[0].l4 = c.ct.tuple[1].l4 = IPPROTO_UDP;
		strcpy(c.ct.helper, "tftp");
		n = qmsg_udp(pkt, &c, 0, reqs[s % NREQ].d, (uint32_t)reqs[s % NREQ].len);
		nlh = qmsg_packet(buf + w, cap - w, &c, 0, s, pkt, n);
		off[s] = (uint32_t)w;
		w += NL_ALIGN(nlh->nlmsg_len);
	}
	dispatch_init(&dp, &tftp_proto, &cfg);
	for (int r = 0; r <= ROUNDS; r++) {
		if (r == 1)	/* round 0 warms caches and the table */
			t0 = bench_now();
		for (uint32_t s = 0; s < SESSIONS; s++) {
			dispatch_packet(&dp, (const void *)(buf + off[s]), 1, &res);
			if (r) {
				packets++;
				exps += res.nexp;
				refused += res.refused;
			}
		}
		/* the requests' conntracks end: their destroy events free the state */
		for (uint32_t s = 0; s < SESSIONS; s++)
			dispatch_conn_end(&dp, 0x1000 + s, NULL);
	}
	dt = bench_now() - t0;
	printf("tftp_packet %s: %.0f ns/packet (%llu packets: %llu expectations, %llu refused)\n",
	       nat ? "NAT   " : "no NAT", dt * 1e9 / packets, packets, exps, refused);
	dispatch_free(&dp);
	free(buf);
}

void bench_tftp(void)
{
	bench_parser();
	bench_packet(false);
	bench_packet(true);
}
