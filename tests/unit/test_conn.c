// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for conn: the bounded per-conntrack table (lookup, id reuse, delete, LRU recycling). */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "conn.h"
#include "tap.h"

static struct ct_tuple tuple(uint16_t sport)
{
	struct ct_tuple t;

	memset(&t, 0, sizeof(t));
	t.l3 = AF_INET;
	t.l4 = IPPROTO_TCP;
	t.src.v6[0] = 10;
	t.dst.v6[0] = 10;
	t.sport = sport;
	t.dport = 21;
	return t;
}

static void test_basic(void)
{
	struct conn_table t;
	struct ct_tuple a = tuple(1000), b = tuple(2000);
	bool fresh;
	uint32_t *s1, *s2;

	tap_ok(conn_table_init(&t, 16, sizeof(uint32_t)) == 0, "conn: table of 16 created");
	s1 = conn_get(&t, 7, &a, &fresh);
	tap_ok(s1 && fresh && *s1 == 0, "conn: new id gives zeroed, fresh state");
	*s1 = 42;
	s2 = conn_get(&t, 7, &a, &fresh);
	tap_ok(s2 == s1 && !fresh && *s2 == 42, "conn: same id and tuple find the same state");
	s2 = conn_get(&t, 7, &b, &fresh);
	tap_ok(fresh && *s2 == 0, "conn: a reused id with another tuple starts afresh");
	TAP_EQ_U(t.used, 1, "conn: the stale entry was replaced, not added");
	tap_ok(conn_del(&t, 7, NULL), "conn: delete finds the entry");
	tap_ok(!conn_del(&t, 7, NULL), "conn: second delete finds nothing");
	TAP_EQ_U(t.used, 0, "conn: table empty after delete");
	conn_table_free(&t);
	tap_ok(conn_table_init(&t, 0, 4) < 0, "conn: zero capacity refused");
}

static void test_lru(void)
{
	struct conn_table t;
	struct ct_tuple a = tuple(1);
	bool fresh;
	uint32_t *s;

	conn_table_init(&t, 16, sizeof(uint32_t));
	for (uint32_t id = 1; id <= 16; id++)
		*(uint32_t *)conn_get(&t, id * 0x10000, &a, &fresh) = id;
	conn_get(&t, 1 * 0x10000, &a, &fresh);	/* touch the oldest: id 2 becomes the LRU */
	conn_get(&t, 99, &a, &fresh);
	TAP_EQ_U(t.evicted, 1, "conn: a full table recycles one entry");
	s = conn_get(&t, 1 * 0x10000, &a, &fresh);
	tap_ok(!fresh && *s == 1, "conn: the recently used entry survived");
	s = conn_get(&t, 2 * 0x10000, &a, &fresh);
	tap_ok(fresh, "conn: the least recently used entry was the one recycled");
	TAP_EQ_U(t.used, 16, "conn: never more entries than the capacity");
	/* Deleting everything and refilling must reuse the slots (free list intact). */
	for (uint32_t id = 1; id <= 200; id++)
		conn_del(&t, id * 0x10000, NULL), conn_del(&t, 99, NULL), conn_del(&t, id, NULL);
	for (uint32_t id = 1; id <= 16; id++)
		conn_get(&t, id, &a, &fresh);
	TAP_EQ_U(t.used, 16, "conn: refilled after deleting");
	conn_table_free(&t);
}

void test_conn(void)
{
	test_basic();
	test_lru();
}
