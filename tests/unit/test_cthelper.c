// SPDX-License-Identifier: GPL-2.0-or-later
/* test_cthelper: nfnetlink_cthelper NEW/DEL/GET bytes, a GET dump reply as
 * nfnl_cthelper_fill_info writes it, hostile entries and a build -> decode round trip. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cthelper.h>
#include "cthelper.h"
#include "nlbytes.h"
#include "tap.h"

void test_cthelper(void);

static const struct cthelper_policy policies[2] = {
	{ .name = "ftp", .max_expected = 1, .timeout = 300 },
	{ .name = "data", .max_expected = 2, .timeout = 60 },
};

static const struct cthelper_reg reg = {
	.name = "ftp", .l3 = AF_INET, .l4 = IPPROTO_TCP, .queue = 5, .priv_data_len = 8,
	.npolicy = 2, .policy = policies,
};

static const uint8_t new_want[] = {
	NLMSG(144, 0x0900 /* CTHELPER << 8 | NEW */, 0x0405 /* REQUEST | ACK | CREATE */, 0x20, 0),
	NFGEN(AF_UNSPEC, 0),
	NLA(8, 1 /* NFCTH_NAME */), 'f', 't', 'p', 0,
	NEST(20, 2 /* NFCTH_TUPLE */),
		NLA(6, 1 /* L3PROTONUM, be16 */), B16(AF_INET), PAD2,
		NLA(5, 2 /* L4PROTONUM, u8 */), IPPROTO_TCP, PAD3,
	NLA(8, 3 /* NFCTH_QUEUE_NUM */), B32(5),
	NEST(72, 4 /* NFCTH_POLICY */),
		NLA(8, 1 /* NFCTH_POLICY_SET_NUM */), B32(2),
		NEST(28, 2 /* NFCTH_POLICY_SET1 */),
			NLA(8, 1 /* NFCTH_POLICY_NAME */), 'f', 't', 'p', 0,
			NLA(8, 2 /* NFCTH_POLICY_EXPECT_MAX */), B32(1),
			NLA(8, 3 /* NFCTH_POLICY_EXPECT_TIMEOUT */), B32(300),
		NEST(32, 3 /* NFCTH_POLICY_SET2 */),
			NLA(9, 1 /* NFCTH_POLICY_NAME */), 'd', 'a', 't', 'a', 0, PAD3,
			NLA(8, 2 /* NFCTH_POLICY_EXPECT_MAX */), B32(2),
			NLA(8, 3 /* NFCTH_POLICY_EXPECT_TIMEOUT */), B32(60),
	NLA(8, 5 /* NFCTH_PRIV_DATA_LEN */), B32(8),
	NLA(8, 6 /* NFCTH_STATUS */), B32(1 /* NFCT_HELPER_STATUS_ENABLED */),
};

static const uint8_t del_want[] = {
	NLMSG(48, 0x0902 /* CTHELPER << 8 | DEL */, 0x0005 /* REQUEST | ACK */, 0x21, 0),
	NFGEN(AF_UNSPEC, 0),
	NLA(8, 1 /* NFCTH_NAME */), 's', 'i', 'p', 0,
	NEST(20, 2 /* NFCTH_TUPLE */),
		NLA(6, 1 /* L3PROTONUM */), B16(AF_INET6), PAD2,
		NLA(5, 2 /* L4PROTONUM */), IPPROTO_UDP, PAD3,
};

static const uint8_t dump_want[] = {
	NLMSG(20, 0x0901 /* CTHELPER << 8 | GET */, 0x0301 /* REQUEST | DUMP (ROOT | MATCH) */, 0x22, 0),
	NFGEN(AF_UNSPEC, 0),
};

static void test_golden(void)
{
	NLBUF(buf, 256);
	struct nl_msg m;
	struct nlmsghdr *nlh;

#define GOLDEN(call, want, desc) \
	if ((nlh = (call))) \
		tap_bytes(nlh, nlh->nlmsg_len, want, sizeof(want), desc); \
	else \
		tap_ok(false, "%s: builder returned NULL", desc)
	GOLDEN(cthelper_new_build(&m, buf, 256, 0x20, &reg), new_want, "golden: NEW, two expect classes");
	GOLDEN(cthelper_del_build(&m, buf, 256, 0x21, "sip", AF_INET6, IPPROTO_UDP), del_want, "golden: DEL");
	GOLDEN(cthelper_dump_build(&m, buf, 256, 0x22), dump_want, "golden: GET dump");

	size_t bad = 0;

	for (size_t cap = 0; cap < sizeof(new_want); cap++) {
		void *b = malloc(cap ? cap : 1);

		if (cthelper_new_build(&m, b, cap, 0x20, &reg))
			bad++;
		free(b);
	}
	TAP_EQ_U(bad, 0, "NEW: every short buffer refused, none overrun");

	struct cthelper_reg r = reg;

	r.npolicy = 0;
	tap_ok(!cthelper_new_build(&m, buf, 256, 1, &r), "NEW with 0 expect classes refused");
	r.npolicy = 5;
	tap_ok(!cthelper_new_build(&m, buf, 256, 1, &r), "NEW with 5 expect classes refused");
	r.npolicy = 1;
	r.policy = NULL;
	tap_ok(!cthelper_new_build(&m, buf, 256, 1, &r), "NEW without a policy array refused");
	r = reg;
	r.name = NULL;
	tap_ok(!cthelper_new_build(&m, buf, 256, 1, &r), "NEW without a name refused");
}

/* One entry of a GET dump as nfnl_cthelper_fill_info writes it (NAME, QUEUE_NUM, TUPLE,
 * POLICY, PRIV_DATA_LEN, STATUS), then the dump's NLMSG_DONE, in one datagram. */
static const uint8_t dump_reply[] __attribute__((aligned(4))) = {
	NLMSG(112, 0x0900, NLM_F_MULTI, 0x22, 0x4000),
	NFGEN(AF_UNSPEC, 0),
	NLA(8, 1 /* NFCTH_NAME */), 'f', 't', 'p', 0,
	NLA(8, 3 /* NFCTH_QUEUE_NUM */), B32(5),
	NEST(20, 2 /* NFCTH_TUPLE */),
		NLA(6, 1), B16(AF_INET), PAD2,
		NLA(5, 2), IPPROTO_TCP, PAD3,
	NEST(40, 4 /* NFCTH_POLICY */),
		NLA(8, 1 /* SET_NUM */), B32(1),
		NEST(28, 2 /* SET1 */),
			NLA(8, 1), 'f', 't', 'p', 0,
			NLA(8, 2), B32(1),
			NLA(8, 3), B32(300),
	NLA(8, 5 /* NFCTH_PRIV_DATA_LEN */), B32(8),
	NLA(8, 6 /* NFCTH_STATUS */), B32(1),
	NLMSG(20, NLMSG_DONE, NLM_F_MULTI, 0x22, 0x4000), H32(0),
};

static void test_dump_decode(void)
{
	const struct nlmsghdr *a, *b;
	struct cthelper_entry e;
	size_t off = 0;
	int err;

	a = nl_msg_next(dump_reply, sizeof(dump_reply), &off, &err);
	b = nl_msg_next(dump_reply, sizeof(dump_reply), &off, &err);
	tap_ok(a && b && b->nlmsg_type == NLMSG_DONE && !nl_msg_next(dump_reply, sizeof(dump_reply), &off, &err) &&
	       !err, "dump datagram: entry then NLMSG_DONE");
	TAP_EQ_I(cthelper_entry_decode(a, &e), 0, "GET entry decodes");
	tap_ok(!strcmp(e.name, "ftp") && e.l3 == AF_INET && e.l4 == IPPROTO_TCP && e.queue == 5 &&
	       e.status == NFCT_HELPER_STATUS_ENABLED && e.priv_data_len == 8 && e.npolicy == 1,
	       "entry: name, tuple, queue, status, private data length, classes");
	TAP_EQ_I(cthelper_entry_decode(b, &e), -EINVAL, "NLMSG_DONE is no entry");
}

enum spoil { OK, NO_NAME, NAME_NONUL, NAME_16, NO_TUPLE, NO_L4, L3_3, L3_BIG, QUEUE_2, NO_SETNUM, UNKNOWN };

static const struct nlmsghdr *build_entry(struct nl_msg *m, void *buf, size_t cap, enum spoil s)
{
	struct nlattr *n;

	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_NEW, NLM_F_MULTI, 1, AF_UNSPEC, 0);
	if (s == NAME_NONUL)
		nl_attr_put(m, NFCTH_NAME, 3, "ftp");
	else if (s != NO_NAME)
		nl_attr_put_strz(m, NFCTH_NAME, s == NAME_16 ? "0123456789abcdef" : "ftp");
	if (s == UNKNOWN) {
		nl_attr_put_be32(m, 77, 1);
		nl_attr_put(m, NFCTH_UNSPEC, 1, "x");
	}
	nl_attr_put(m, NFCTH_QUEUE_NUM, s == QUEUE_2 ? 2 : 4, "\0\0\0\x05");
	if (s != NO_TUPLE) {
		n = nl_attr_nest_start(m, NFCTH_TUPLE);
		if (s == L3_3)
			nl_attr_put(m, NFCTH_TUPLE_L3PROTONUM, 3, "\0\x02\0");
		else
			nl_attr_put_be16(m, NFCTH_TUPLE_L3PROTONUM, s == L3_BIG ? 0x0102 : AF_INET);
		if (s != NO_L4)
			nl_attr_put_u8(m, NFCTH_TUPLE_L4PROTONUM, IPPROTO_TCP);
		nl_attr_nest_end(m, n);
	}
	n = nl_attr_nest_start(m, NFCTH_POLICY);
	if (s != NO_SETNUM)
		nl_attr_put_be32(m, NFCTH_POLICY_SET_NUM, 1);
	nl_attr_nest_end(m, n);
	return m->nlh;
}

static void test_entry_hostile(void)
{
	static const struct { enum spoil s; int ret; const char *desc; } cases[] = {
		{ OK, 0, "well formed" },
		{ UNKNOWN, 0, "unknown attributes skipped" },
		{ NO_NAME, -EINVAL, "missing NFCTH_NAME" },
		{ NAME_NONUL, -EINVAL, "name without NUL" },
		{ NAME_16, -EINVAL, "name of 16 characters" },
		{ NO_TUPLE, -EINVAL, "missing NFCTH_TUPLE" },
		{ NO_L4, -EINVAL, "tuple without L4PROTONUM" },
		{ L3_3, -EINVAL, "3-byte L3PROTONUM" },
		{ L3_BIG, -EINVAL, "L3PROTONUM above 255" },
		{ QUEUE_2, -EINVAL, "2-byte NFCTH_QUEUE_NUM" },
		{ NO_SETNUM, -EINVAL, "policy without SET_NUM" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		NLBUF(buf, 256);
		struct nl_msg m;
		struct cthelper_entry e;
		const struct nlmsghdr *nlh = build_entry(&m, buf, 256, cases[i].s);
		int ret = nl_msg_ok(&m) ? cthelper_entry_decode(nlh, &e) : -ENOSPC;

		tap_ok(ret == cases[i].ret, "entry: %s (got %d)", cases[i].desc, ret);
	}
}

static void test_roundtrip(void)
{
	NLBUF(buf, 256);
	struct nl_msg m;
	struct cthelper_entry e;
	struct cthelper_reg r = reg;

	r.name = "fifteen-chars-x";
	r.l3 = AF_INET6;
	r.l4 = IPPROTO_UDP;
	r.queue = 0x10001;
	r.priv_data_len = 32;
	tap_ok(cthelper_new_build(&m, buf, 256, 1, &r) && cthelper_entry_decode(m.nlh, &e) == 0 &&
	       !strcmp(e.name, r.name) && e.l3 == AF_INET6 && e.l4 == IPPROTO_UDP && e.queue == 0x10001 &&
	       e.priv_data_len == 32 && e.status == 1 && e.npolicy == 2,
	       "NEW -> entry decode round trip (15-character name)");
}

void test_cthelper(void)
{
	test_golden();
	test_dump_decode();
	test_entry_hostile();
	test_roundtrip();
}
