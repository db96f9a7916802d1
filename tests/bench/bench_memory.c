// SPDX-License-Identifier: GPL-2.0-or-later
/* bench_memory: what nfhelper's memory is with many helped connections — the resident set of
 * the dispatcher at start (--max-conns reserved, nothing touched), then with 10 000 and
 * 100 000 FTP control connections tracked at once (a SYN each way and a command each), and
 * with 100 000 connections each holding back an unfinished line under NAT (the pool's share
 * bounds how many get a block).  Figures only; RSS read from /proc/self/status. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "pkt.h"
#include "qmsg.h"

#define CONNS_MAX 100000

static long rss_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			sscanf(line + 6, "%ld", &kb);
	if (f)
		fclose(f);
	return kb;
}

/* Connection s: SYN, SYN-ACK, then text from the client (built and answered one by one: no
 * big buffer of messages skews the figure). */
static void one_conn(struct dispatch *dp, uint32_t s, bool nat, const char *text)
{
	static uint8_t pkt[2048], msg[4096];
	struct help_result res;
	struct qmsg_conn c;
	uint32_t n;

	/* distinct tuples: 250 client addresses x 400 ports */
	char client[32];

	snprintf(client, sizeof(client), "10.1.%u.%u", s / 400 / 250 % 250, s / 400 % 250 + 1);
	qmsg_conn_init(&c, AF_INET, client, (uint16_t)(20000 + s % 400), "10.0.2.2", 21,
		       nat ? "10.0.2.1" : NULL, 0x10000 + s);
	for (int d = 0; d < 2; d++) {
		n = qmsg_tcp(pkt, &c, d, c.seq[d], PKT_TCP_SYN, NULL, 0);
		c.seq[d]++;
		dispatch_packet(dp, qmsg_packet(msg, sizeof(msg), &c, d, s, pkt, n), 1, &res);
	}
	n = qmsg_tcp(pkt, &c, 0, c.seq[0], 0, text, (uint32_t)strlen(text));
	dispatch_packet(dp, qmsg_packet(msg, sizeof(msg), &c, 0, s, pkt, n), 1, &res);
}

static void run(const char *what, bool nat, const char *text)
{
	struct helper_cfg cfg;
	struct dispatch dp;
	long base, idle, at10k = 0, at100k;

	helper_cfg_init(&cfg, helper_find("ftp"));
	cfg.max_conns = CONNS_MAX;
	base = rss_kb();
	dispatch_init(&dp, helper_find("ftp"), &cfg);
	idle = rss_kb();
	for (uint32_t s = 0; s < CONNS_MAX; s++) {
		one_conn(&dp, s, nat, text);
		if (s + 1 == 10000)
			at10k = rss_kb();
	}
	at100k = rss_kb();
	printf("memory ftp --max-conns %u, %s: idle %.1f MB; 10000 connections %.1f MB; 100000 "
	       "connections %.1f MB (%.0f bytes each); %u tracked, %llu evicted, %llu not held back\n",
	       CONNS_MAX, what, (idle - base) / 1024.0, (at10k - base) / 1024.0, (at100k - base) / 1024.0,
	       (at100k - idle) * 1024.0 / CONNS_MAX, dp.conns.used, (unsigned long long)dp.conns.evicted,
	       (unsigned long long)dp.pool.unheld);
	dispatch_free(&dp);
}

void bench_memory(void)
{
	run("a whole command each", false, "USER anonymous\r\n");
	run("NAT, an unfinished PORT line each (held)", true, "PORT 10,1,0,1,");
}
