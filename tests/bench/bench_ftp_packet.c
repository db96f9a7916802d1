// SPDX-License-Identifier: GPL-2.0-or-later
/* bench_ftp_packet: userspace cost of one queued packet — decode, per-connection state, FTP
 * parse, NAT rewrite, verdict build — with no syscalls, and heap allocations per packet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "dispatch.h"
#include "ftp.h"
#include "pkt.h"
#include "qmsg.h"

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

/* One control session as the queue delivers it: handshake, login, a PORT and a PASV
 * transfer, a few other commands; each session's packets are prebuilt messages. */
static const struct { int dir; const char *text; } script[] = {
	{ 0, NULL }, { 1, NULL },
	{ 1, "220 (vsFTPd 3.0.3)\r\n" }, { 0, "USER anonymous\r\n" },
	{ 1, "331 Please specify the password.\r\n" }, { 0, "PASS guest@\r\n" },
	{ 1, "230 Login successful.\r\n" }, { 0, "TYPE I\r\n" }, { 1, "200 Switching to Binary mode.\r\n" },
	{ 0, "PORT 10,0,1,2,156,64\r\n" }, { 1, "200 PORT command successful. Consider using PASV.\r\n" },
	{ 0, "RETR file.bin\r\n" }, { 1, "150 Opening BINARY mode data connection for file.bin (1048576 bytes).\r\n" },
	{ 1, "226 Transfer complete.\r\n" }, { 0, "PASV\r\n" },
	{ 1, "227 Entering Passive Mode (10,0,2,2,195,80).\r\n" }, { 0, "LIST\r\n" },
	{ 1, "150 Here comes the directory listing.\r\n" }, { 1, "226 Directory send OK.\r\n" },
	{ 0, "QUIT\r\n" }, { 1, "221 Goodbye.\r\n" },
};
#define NSCRIPT (sizeof(script) / sizeof(script[0]))

struct msg {
	uint32_t off;
};

static uint8_t *build_sessions(bool nat, struct msg *msgs, size_t *total)
{
	size_t cap = (size_t)SESSIONS * NSCRIPT * 512, w = 0;
	uint8_t *buf = aligned_alloc(4, cap), pkt[2048];

	for (uint32_t s = 0; s < SESSIONS; s++) {
		struct qmsg_conn c;

		qmsg_conn_init(&c, AF_INET, "10.0.1.2", (uint16_t)(20000 + s), "10.0.2.2", 21,
			       nat ? "10.0.2.1" : NULL, 0x1000 + s);
		for (size_t i = 0; i < NSCRIPT; i++) {
			uint32_t len = script[i].text ? (uint32_t)strlen(script[i].text) : 0;
			uint8_t flags = script[i].text ? 0 : PKT_TCP_SYN;
			uint32_t n = qmsg_tcp(pkt, &c, script[i].dir, c.seq[script[i].dir], flags, script[i].text, len);
			struct nlmsghdr *nlh = qmsg_packet(buf + w, cap - w, &c, script[i].dir,
							   (uint32_t)(s * NSCRIPT + i), pkt, n);

			c.seq[script[i].dir] += len + (flags ? 1 : 0);
			msgs[s * NSCRIPT + i].off = (uint32_t)w;
			w += NL_ALIGN(nlh->nlmsg_len);
		}
	}
	*total = w;
	return buf;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(bool nat)
{
	static struct msg msgs[SESSIONS * NSCRIPT];
	struct helper_cfg cfg = { .name = "ftp", .queue = 21, .policy = { { "ftp", 1, 300 } },
				  .max_conns = SESSIONS * 2 };
	struct dispatch dp;
	struct help_result res;
	size_t bytes;
	uint8_t *buf = build_sessions(nat, msgs, &bytes);
	unsigned long long before = 0, packets = 0, exps = 0, rewritten = 0;
	double t0 = 0;

	dispatch_init(&dp, &ftp_proto, &cfg);
	for (int r = 0; r <= ROUNDS; r++) {
		if (r == 1) {	/* round 0 warms caches and the table */
			before = allocs;
			t0 = now();
		}
		for (size_t i = 0; i < SESSIONS * NSCRIPT; i++) {
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
	double dt = now() - t0;
	printf("ftp_packet %s: %.0f ns/packet (%llu packets: %llu expectations, %llu rewritten)\n",
	       nat ? "NAT   " : "no NAT", dt * 1e9 / packets, packets, exps, rewritten);
	printf("ftp_packet %s: heap allocations per packet after warm-up: %.3f (%llu in %llu packets)\n",
	       nat ? "NAT   " : "no NAT", (double)(allocs - before) / packets, allocs - before, packets);
	dispatch_free(&dp);
	free(buf);
}

void bench_ftp_packet(void)
{
	run(false);
	run(true);
}
