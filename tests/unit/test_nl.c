// SPDX-License-Identifier: GPL-2.0-or-later
/* test_nl: the netlink codec — golden bytes of every put, hostile attribute streams, the
 * receive-buffer walk and NLMSG_ERROR.  Mirrors lib/nlattr.c's rules (nla_ok, nla_parse). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nfnetlink.h>
#include "nl.h"
#include "nlbytes.h"
#include "tap.h"

void test_nl(void);

static void test_put_golden(void)
{
	/* Every put kind once, each followed by its padding; the nest's length covers the
	 * padding of its last member (as the kernel's nla_nest_end). */
	static const uint8_t want[] = {
		NLMSG(92, 0x0102, 0x0001, 0x11223344, 0),	/* ctnetlink DELETE, REQUEST */
		NFGEN(2, 0x0507),				/* AF_INET, res_id 0x0507 */
		NLA(5, 1), 0xab, PAD3,				/* u8 */
		NLA(6, 2), B16(0x1234), PAD2,			/* be16 */
		NLA(8, 3), B32(0xdeadbeef),			/* be32 */
		NLA(7, 4), 'a', 'b', 0, PAD1,			/* strz "ab" */
		NEST(28, 5),					/* nest */
			NLA(4, 1),				/* empty attribute */
			NLA(5, 2), 0x7f, PAD3,			/* u8 */
			NEST(12, 3),				/* nest in nest */
				NLA(8, 1), B32(1),
		NLA(10, 6), 1, 2, 3, 4, 5, 6, PAD2,		/* 6 raw bytes */
	};
	NLBUF(buf, 256);
	struct nl_msg m;
	struct nlattr *n1, *n2;
	const uint8_t raw[6] = { 1, 2, 3, 4, 5, 6 };

	memset(buf, 0xee, 256);
	tap_ok(nl_nfmsg_init(&m, buf, 256, 1, 2, NLM_F_REQUEST, 0x11223344, 2, 0x0507) != NULL,
	       "nl_nfmsg_init returns the header");
	nl_attr_put_u8(&m, 1, 0xab);
	nl_attr_put_be16(&m, 2, 0x1234);
	nl_attr_put_be32(&m, 3, 0xdeadbeef);
	nl_attr_put_strz(&m, 4, "ab");
	n1 = nl_attr_nest_start(&m, 5);
	nl_attr_put(&m, 1, 0, NULL);
	nl_attr_put_u8(&m, 2, 0x7f);
	n2 = nl_attr_nest_start(&m, 3);
	nl_attr_put_be32(&m, 1, 1);
	nl_attr_nest_end(&m, n2);
	nl_attr_nest_end(&m, n1);
	nl_attr_put(&m, 6, sizeof(raw), raw);
	tap_ok(nl_msg_ok(&m), "message fits");
	tap_bytes(buf, m.nlh->nlmsg_len, want, sizeof(want), "golden: every put kind, padding, nests");
}

/* Every capacity short of the message must fail cleanly, never writing past cap (ASan watches
 * the exact-size heap buffer). */
static void test_put_overflow(void)
{
	const size_t need = 16 + 4 + 8 + 12 + 8;
	size_t bad = 0;

	for (size_t cap = 0; cap <= need; cap++) {
		uint32_t *buf = malloc(cap ? cap : 1); /* exact: ASan sees one byte too far */
		struct nl_msg m;
		struct nlattr *n;

		nl_nfmsg_init(&m, buf, cap, 3, 1, NLM_F_REQUEST, 1, 0, 0);
		nl_attr_put_be32(&m, 1, 1);
		n = nl_attr_nest_start(&m, 2);
		nl_attr_put_be32(&m, 1, 2);
		nl_attr_nest_end(&m, n);
		nl_attr_put_u8(&m, 3, 3);
		if (nl_msg_ok(&m) != (cap == need) || (nl_msg_ok(&m) && m.nlh->nlmsg_len != need))
			bad++;
		free(buf);
	}
	TAP_EQ_U(bad, 0, "overflowing builder: fails at every short capacity, fits exactly");
}

static void test_put_limits(void)
{
	NLBUF(buf, 64);
	struct nl_msg m;
	static uint8_t big[65536];

	tap_ok(!nl_msg_init(&m, buf, 15, 1, 0, 0) && !nl_msg_ok(&m), "cap below nlmsghdr: NULL");
	tap_ok(!nl_msg_init(&m, buf + 1, 60, 1, 0, 0), "misaligned buffer refused");
	tap_ok(!nl_nfmsg_init(&m, buf, 19, 1, 0, 0, 0, 0, 0), "cap below nfgenmsg: NULL");
	nl_msg_init(&m, buf, 64, 1, 0, 0);
	nl_attr_put_strz(&m, 1, NULL);
	tap_ok(!nl_msg_ok(&m), "NULL string fails the message");
	tap_ok(!nl_attr_nest_start(&m, 2), "nest_start on a full message: NULL");
	nl_attr_nest_end(&m, NULL);

	/* nla_len is 16 bits: 65531 payload bytes is the most an attribute can hold. */
	uint32_t *huge = malloc(70000);

	nl_msg_init(&m, huge, 70000, 1, 0, 0);
	nl_attr_put(&m, 1, 65532, big);
	tap_ok(!nl_msg_ok(&m), "payload beyond nla_len range fails");
	nl_msg_init(&m, huge, 70000, 1, 0, 0);
	nl_attr_put(&m, 1, 65531, big);
	tap_ok(nl_msg_ok(&m) && ((struct nlattr *)((uint8_t *)huge + 16))->nla_len == 65535,
	       "largest payload fits with nla_len 65535");
	/* A nest that grows past 65535 cannot be closed. */
	struct nlattr *n;

	nl_msg_init(&m, huge, 70000, 1, 0, 0);
	n = nl_attr_nest_start(&m, 1);
	nl_attr_put(&m, 1, 65531, big);
	nl_attr_nest_end(&m, n);
	tap_ok(!nl_msg_ok(&m), "nest longer than 65535 fails the message");
	free(huge);
}

struct parse_case {
	const char *desc;
	uint8_t bytes[40];
	size_t len;  /* attribute stream length */
	int ret;
	int present; /* bit per type 1..4 expected in tb */
};

/* Attribute streams after a 16-byte nlmsghdr (no extra header), max type 4. */
static const struct parse_case parse_cases[] = {
	{ "two attributes", { NLA(8, 1), B32(1), NLA(5, 2), 9, PAD3 }, 16, 0, 0x6 },
	{ "last attribute without its padding", { NLA(8, 1), B32(1), NLA(5, 2), 9 }, 13, 0, 0x6 },
	{ "type above max skipped", { NLA(8, 9), B32(1), NLA(8, 3), B32(3) }, 16, 0, 0x8 },
	{ "NLA_F_NESTED masked off", { NEST(8, 4), NLA(4, 1) }, 8, 0, 0x10 },
	{ "type 0 stored but harmless", { NLA(4, 0), NLA(4, 1) }, 8, 0, 0x3 },
	{ "empty stream", { 0 }, 0, 0, 0 },
	{ "truncated attribute (len beyond stream)", { NLA(8, 1), B32(1), NLA(12, 2), 1, 2, 3, 4 }, 16, -EINVAL, 0 },
	{ "nla_len below header (3)", { NLA(3, 1), 0, 0, 0, 0 }, 8, -EINVAL, 0 },
	{ "nla_len 0 (no endless loop)", { NLA(0, 1), 0, 0, 0, 0 }, 8, -EINVAL, 0 },
	{ "2 trailing bytes", { NLA(4, 1), 0, 0 }, 6, -EINVAL, 0 },
};

static void test_parse_cases(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		NLBUF(buf, 64);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		const struct nlattr *tb[5];
		int present = 0, ret;

		memset(buf, 0, 64);
		nlh->nlmsg_len = 16 + c->len;
		memcpy(buf + 16, c->bytes, c->len);
		ret = nl_attr_parse(nlh, 0, tb, 4);
		for (int t = 0; t <= 4; t++)
			present |= tb[t] ? 1 << t : 0;
		if (c->ret)
			present = 0; /* contents unspecified on failure */
		tap_ok(ret == c->ret && present == c->present, "parse: %s (ret %d, tb %#x)",
		       c->desc, ret, present);
	}
}

static void test_parse_nested(void)
{
	/* Outer is fine; the nest's own length lies about its payload (inner attr says 12 in an
	 * 8-byte payload): the outer parse succeeds, the nested parse fails. */
	static const uint8_t lie[] __attribute__((aligned(4))) = {
		NLMSG(32, 1, 0, 0, 0),
		NEST(12, 1),
			NLA(12, 1), B32(1),
		NLA(4, 2),
	};
	const struct nlattr *tb[3], *in[2];

	tap_ok(nl_attr_parse((const void *)lie, 0, tb, 2) == 0 && tb[1] && tb[2], "outer parse of lying nest");
	tap_ok(nl_attr_parse_nested(tb[1], in, 1) == -EINVAL, "nested parse: inner length beyond nest");
	tap_ok(nl_attr_parse_nested(NULL, in, 1) == -EINVAL && !in[0] && !in[1], "nested parse of NULL");

	tap_ok(nl_attr_parse((const void *)lie, 20, tb, 2) == -EINVAL, "extra header beyond nlmsg_len");
}

static void test_getters(void)
{
	static const uint8_t a[] __attribute__((aligned(4))) = {
		NLA(5, 1), 0x42, PAD3,
		NLA(6, 2), B16(0xbeef), PAD2,
		NLA(8, 3), B32(0x01020304),
		NLA(12, 4), B32(0x01020304), B32(0x05060708),
		NLA(7, 5), 'a', 'b', 'c', PAD1,		/* no NUL */
		NLA(8, 6), 'a', 'b', 0, 'c',		/* NUL inside */
		NLA(4, 7),				/* empty */
	};
	const struct nlattr *u8a = (const void *)a, *b16 = (const void *)(a + 8),
			    *b32 = (const void *)(a + 16), *b64 = (const void *)(a + 24),
			    *nonul = (const void *)(a + 36), *nul = (const void *)(a + 44),
			    *empty = (const void *)(a + 52);
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	uint32_t v32 = 0;
	uint64_t v64 = 0;

	tap_ok(nl_attr_get_u8(u8a, &v8) && v8 == 0x42, "get_u8");
	tap_ok(nl_attr_get_be16(b16, &v16) && v16 == 0xbeef, "get_be16 converts to host order");
	tap_ok(nl_attr_get_be32(b32, &v32) && v32 == 0x01020304, "get_be32 converts to host order");
	tap_ok(nl_attr_get_be64(b64, &v64) && v64 == 0x0102030405060708ULL, "get_be64 (4-aligned payload)");
	tap_ok(!nl_attr_get_u8(b16, &v8) && !nl_attr_get_be16(u8a, &v16) && !nl_attr_get_be16(b32, &v16) &&
	       !nl_attr_get_be32(b16, &v32) && !nl_attr_get_be32(b64, &v32) && !nl_attr_get_be64(b32, &v64),
	       "getters refuse every other payload size");
	tap_ok(!nl_attr_get_u8(NULL, &v8) && !nl_attr_get_be32(NULL, &v32) && !nl_attr_get_str(NULL),
	       "getters refuse a missing attribute");
	tap_ok(!nl_attr_get_str(nonul), "string without NUL refused");
	tap_ok(nl_attr_get_str(nul) && !strcmp(nl_attr_get_str(nul), "ab"), "string NUL-terminated inside payload");
	tap_ok(!nl_attr_get_str(empty), "empty payload is no string");
	TAP_EQ_U(nl_attr_type((const void *)a), 1, "nl_attr_type");
	TAP_EQ_U(nl_attr_len(b64), 8, "nl_attr_len is the payload length");
}

static void test_msg_next(void)
{
	/* What one recvmsg of a dump may return: an entry, NLMSG_DONE with its errno. */
	static const uint8_t two[] __attribute__((aligned(4))) = {
		NLMSG(21, 0x0900, NLM_F_MULTI, 7, 0x100), NFGEN(0, 0), 'x', PAD3,	/* odd length */
		NLMSG(20, NLMSG_DONE, NLM_F_MULTI, 7, 0x100), H32(0),
	};
	const struct nlmsghdr *a, *b, *c;
	size_t off = 0;
	int err = 1;

	a = nl_msg_next(two, sizeof(two), &off, &err);
	b = nl_msg_next(two, sizeof(two), &off, &err);
	c = nl_msg_next(two, sizeof(two), &off, &err);
	tap_ok(a == (const void *)two && b == (const void *)(two + 24) && !c && !err,
	       "walk: two messages (first with unaligned nlmsg_len), then end");

	struct { size_t len; const char *desc; } bad[] = {
		{ 10, "header cut short" },
		{ 30, "second header cut short" },
		{ 40, "second message beyond buffer" },
	};
	for (size_t i = 0; i < 3; i++) {
		off = 0;
		while (nl_msg_next(two, bad[i].len, &off, &err))
			;
		tap_ok(err == -EINVAL, "walk: %s -> -EINVAL", bad[i].desc);
	}
	static const uint8_t tiny[] __attribute__((aligned(4))) = { NLMSG(8, 1, 0, 0, 0) };
	off = 0;
	tap_ok(!nl_msg_next(tiny, sizeof(tiny), &off, &err) && err == -EINVAL, "walk: nlmsg_len below header");
	off = 0;
	tap_ok(!nl_msg_next(two + 2, sizeof(two) - 2, &off, &err) && err == -EINVAL, "walk: misaligned buffer");
	off = 0;
	tap_ok(!nl_msg_next(two, 0, &off, &err) && err == 0, "walk: empty buffer");
}

static void test_msg_error(void)
{
	/* NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK: errno + the request header. */
	static const uint8_t ebusy[] __attribute__((aligned(4))) = {
		NLMSG(36, NLMSG_ERROR, 0x100 /* NLM_F_CAPPED */, 5, 0x100),
		H32(-EBUSY),
		NLMSG(112, 0x0900, 0x405, 5, 0),
	};
	static const uint8_t ack[] __attribute__((aligned(4))) = {
		NLMSG(36, NLMSG_ERROR, 0x100, 5, 0x100), H32(0), NLMSG(28, 0x0302, 0x5, 5, 0),
	};
	static const uint8_t shortmsg[] __attribute__((aligned(4))) = {
		NLMSG(20, NLMSG_ERROR, 0, 5, 0x100), H32(-EPERM),
	};
	static const uint8_t positive[] __attribute__((aligned(4))) = {
		NLMSG(36, NLMSG_ERROR, 0, 5, 0x100), H32(1), NLMSG(16, 1, 0, 0, 0),
	};
	static const uint8_t notanerror[] __attribute__((aligned(4))) = {
		NLMSG(36, NLMSG_DONE, 0, 5, 0x100), H32(-EPERM), NLMSG(16, 1, 0, 0, 0),
	};

	TAP_EQ_I(nl_msg_error((const void *)ebusy), -EBUSY, "NLMSG_ERROR EBUSY");
	TAP_EQ_I(nl_msg_error((const void *)ack), 0, "NLMSG_ERROR 0 is an ACK");
	TAP_EQ_I(nl_msg_error((const void *)shortmsg), -EINVAL, "NLMSG_ERROR without the request header");
	TAP_EQ_I(nl_msg_error((const void *)positive), -EINVAL, "NLMSG_ERROR with a positive errno");
	TAP_EQ_I(nl_msg_error((const void *)notanerror), -EINVAL, "not an NLMSG_ERROR");
}

void test_nl(void)
{
	test_put_golden();
	test_put_overflow();
	test_put_limits();
	test_parse_cases();
	test_parse_nested();
	test_getters();
	test_msg_next();
	test_msg_error();
}
