// SPDX-License-Identifier: GPL-2.0-or-later
/* packet: the per-packet benchmark every TCP protocol shares — the userspace cost of one
 * queued packet (decode, per-connection state, parse, NAT rewrite, verdict build) with no
 * syscalls, over many sessions of a protocol's script, and heap allocations per packet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "packet.h"
#include "pkt.h"
#include "qmsg.h"
#include "throughput.h"

/* Count every heap allocation in the process, libc's own included (glibc lets a program
 * interpose malloc); the figure after warm-up must be zero. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
static unsigned long long allocs;
void *malloc(size_t n) { allocs++; return __libc_malloc(n); }
void *calloc(size_t n, size_t m) { allocs++; return __libc_calloc(n, m); }
void *realloc(void *p, size_t n) { allocs++; return __libc_realloc(p, n); }

#define SESSIONS 2000
#define ROUNDS 20

struct msg {
	uint32_t off;
};

static uint8_t *build_sessions(const struct bench_session *bs, bool nat, struct msg *msgs, size_t *total)
{
	size_t cap = (size_t)SESSIONS * bs->n * 1024, w = 0;
	uint8_t *buf = aligned_alloc(4, cap), pkt[2048];

	for (uint32_t s = 0; s < SESSIONS; s++) {
		struct qmsg_conn c;

		qmsg_conn_init(&c, AF_INET, "10.0.1.2", (uint16_t)(20000 + s), "10.0.2.2", bs->port,
			       nat ? "10.0.2.1" : NULL, 0x1000 + s);
		for (size_t i = 0; i < bs->n; i++) {
			const struct bench_step *st = &bs->step[i];
			uint32_t len = !st->text ? 0 : bs->len ? bs->len[i] : (uint32_t)strlen(st->text);
			uint8_t flags = st->text ? 0 : PKT_TCP_SYN;
			uint32_t n = qmsg_tcp(pkt, &c, st->dir, c.seq[st->dir], flags, st->text, len);
			struct nlmsghdr *nlh = qmsg_packet(buf + w, cap - w, &c, st->dir,
							   (uint32_t)(s * bs->n + i), pkt, n);

			c.seq[st->dir] += len + (flags ? 1 : 0);
			msgs[s * bs->n + i].off = (uint32_t)w;
			w += NL_ALIGN(nlh->nlmsg_len);
		}
	}
	*total = w;
	return buf;
}


void bench_packet_run_one(const struct bench_session *bs, bool nat)
{
	struct msg *msgs = calloc((size_t)SESSIONS * bs->n, sizeof(*msgs));
	struct helper_cfg cfg;
	struct dispatch dp;
	struct help_result res;
	size_t bytes;
	uint8_t *buf = build_sessions(bs, nat, msgs, &bytes);

	helper_cfg_init(&cfg, bs->proto);
	cfg.max_conns = SESSIONS * 2;
	unsigned long long before = 0, packets = 0, exps = 0, rewritten = 0;
	double t0 = 0;

	dispatch_init(&dp, bs->proto, &cfg);
	for (int r = 0; r <= ROUNDS; r++) {
		if (r == 1) {	/* round 0 warms caches and the table */
			before = allocs;
			t0 = bench_now();
		}
		for (size_t i = 0; i < SESSIONS * bs->n; i++) {
			const struct nlmsghdr *v = dispatch_packet(&dp, (const void *)(buf + msgs[i].off), 1, &res);

			if (r) {
				packets++;
				exps += res.nexp;
				rewritten += res.payload != NULL;
			}
			(void)v;
		}
		/* The sessions end: their destroy events free the state. */
		for (uint32_t s = 0; s < SESSIONS; s++)
			dispatch_conn_end(&dp, 0x1000 + s, NULL);
	}
	double dt = bench_now() - t0;
	printf("%s_packet %s: %.0f ns/packet (%llu packets: %llu expectations, %llu rewritten)\n",
	       bs->proto->name, nat ? "NAT   " : "no NAT", dt * 1e9 / packets, packets, exps, rewritten);
	printf("%s_packet %s: heap allocations per packet after warm-up: %.3f (%llu in %llu packets)\n",
	       bs->proto->name, nat ? "NAT   " : "no NAT", (double)(allocs - before) / packets,
	       allocs - before, packets);
	dispatch_free(&dp);
	free(buf);
	free(msgs);
}

void bench_packet_run(const struct bench_session *bs)
{
	bench_packet_run_one(bs, false);
	bench_packet_run_one(bs, true);
}
