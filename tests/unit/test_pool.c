// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the pool's limits as the stream layer meets them, through the FTP helper under
 * NAT: one client pins only its share of the blocks, and a rewrite whose journal is missing
 * (never lent, or taken back) is never repeated with its original bytes. */
#include <linux/netfilter.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "ftp.h"
#include "pkttest.h"
#include "tap.h"

/* 64 pool blocks (one per 16 connections, at least 64), room for 128 connections: the table
 * never recycles a holder. */
static struct helper_cfg cfg = {
	.name = "ftp", .queue = 21, .policy = { { "ftp", 4, 300 } }, .max_conns = 128,
};

#define HOLDERS 64

static struct qmsg_conn holder[HOLDERS];

/* Connection id of client 10.0.1.<host>, NATed to 192.168.100.100 (rewrites grow). */
static void conn_open(struct dispatch *dp, struct qmsg_conn *c, unsigned host, uint32_t id)
{
	char addr[32];

	snprintf(addr, sizeof(addr), "10.0.1.%u", host);
	qmsg_conn_init(c, AF_INET, addr, (uint16_t)(40000 + id % 1000), "10.0.2.2", 21,
		       "192.168.100.100", id);
	pt_handshake(dp, c);
}

/* Holder i of client 10.0.1.<host> sends an unfinished PORT: true when its numbers are held. */
static bool hold(struct dispatch *dp, unsigned i, unsigned host)
{
	struct qmsg_verdict v;

	conn_open(dp, &holder[i], host, 1000 + i);
	pt_seg(dp, &holder[i], 0, "PORT 10,0,1,", &v);
	return v.verdict == NF_ACCEPT && v.payload;
}

static unsigned pinned(const struct pool *p)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < p->count; i++)
		n += p->pinned[i] != 0;
	return n;
}

/* One client holding an unfinished command on every connection pins only its share: another
 * client's connection still holds back and still journals its rewrite. */
static void test_share(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	unsigned held = 0;
	uint32_t s1;

	dispatch_init(&dp, &ftp_proto, &cfg);
	for (unsigned i = 0; i < HOLDERS; i++)
		held += hold(&dp, i, 9);
	TAP_EQ_U(held, HOLDERS / POOL_PIN_SHARE, "pool share: one client holds back on its share of 64 connections");
	tap_ok(dp.pool.unheld == HOLDERS - HOLDERS / POOL_PIN_SHARE, "pool share: the others pass unrewritten, "
	       "counted (%llu)", (unsigned long long)dp.pool.unheld);
	conn_open(&dp, &c, 2, 1);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	pt_payload_is(&v, "PORT ", "pool share: another client's connection still holds back");
	pt_seg(&dp, &c, 0, "2,156,64\r\n", &v);
	pt_payload_is(&v, "192,168,100,100,156,64\r\n", "pool share: and completes its command");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,", &s1, &v);
	pt_payload_is(&v, "PORT ", "pool share: its retransmission repeats the first copy (journal)");
	for (unsigned i = 0; i < HOLDERS; i++)
		dispatch_conn_end(&dp, holder[i].ct.id, &holder[i].ct.tuple[CT_DIR_ORIGINAL]);
	dispatch_conn_end(&dp, c.ct.id, &c.ct.tuple[CT_DIR_ORIGINAL]);
	TAP_EQ_U(pinned(&dp.pool), 0, "pool share: every pin given back when the conntracks end");
	held = 0;
	for (unsigned i = 0; i < dp.pool.pin_max; i++)
		held += hold(&dp, i, 9);
	TAP_EQ_U(held, dp.pool.pin_max, "pool share: and the client's share with them");
	dispatch_free(&dp);
}

/* Clients 10.0.1.10 to .17 pin every block between them; false if any hold failed. */
static bool pin_all(struct dispatch *dp)
{
	unsigned held = 0;

	for (unsigned i = 0; i < HOLDERS; i++)
		held += hold(dp, i, 10 + i / dp->pool.pin_max);
	return held == HOLDERS && pinned(&dp->pool) == dp->pool.count;
}

/* Every block pinned: a complete command is still rewritten, but its journal gets no block.
 * Its retransmission must be dropped, not passed with the private address (and the length
 * the kernel's sequence correction no longer matches). */
static void test_unjournalled(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1;

	dispatch_init(&dp, &ftp_proto, &cfg);
	tap_ok(pin_all(&dp), "pool unjournalled: eight clients pin every block");
	conn_open(&dp, &c, 2, 2);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\n", "pool unjournalled: the first copy is rewritten");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\n", &s1, &v);
	tap_ok(v.verdict == NF_DROP, "pool unjournalled: its retransmission is dropped (verdict %u, payload %s)",
	       v.verdict, v.payload ? "rewritten" : "none");
	tap_ok(dp.pool.unrepeated == 1, "pool unjournalled: counted");
	dispatch_free(&dp);
}

/* A journal the pool takes back while the connection is idle, then a new block lent to it
 * for a hold: that block must not pass for the journal. */
static void test_taken_back(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1;

	dispatch_init(&dp, &ftp_proto, &cfg);
	conn_open(&dp, &c, 2, 3);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\n", "pool taken back: the first copy is rewritten");
	tap_ok(pin_all(&dp) && dp.pool.reclaimed == 1, "pool taken back: the holders take its journal");
	pt_seg(&dp, &holder[0], 0, "2,156,70\r\n", &v);	/* one holder done: its block unpinned */
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	pt_payload_is(&v, "PORT ", "pool taken back: a new block holds the next command");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\n", &s1, &v);
	tap_ok(v.verdict == NF_DROP, "pool taken back: the old rewrite's retransmission is dropped "
	       "(verdict %u, payload %s)", v.verdict, v.payload ? "rewritten" : "none");
	dispatch_free(&dp);
}

void test_pool(void);
void test_pool(void)
{
	test_share();
	test_unjournalled();
	test_taken_back();
}
