// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_nl_msgs: the codec over arbitrary buffers — nl_msg_next, nl_msg_error, nl_attr_parse and
 * nested parses to any depth with every getter — then the same bytes as a script of puts into a
 * buffer of input-chosen size, whose result must always parse back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_TYPE 31

static void walk(const struct nlattr *const *tb, int depth)
{
	const struct nlattr *in[MAX_TYPE + 1];
	volatile uint64_t sink = 0;

	for (int t = 0; t <= MAX_TYPE; t++) {
		uint8_t v8;
		uint16_t v16;
		uint32_t v32;
		uint64_t v64;
		const char *s;

		if (!tb[t])
			continue;
		if (nl_attr_get_u8(tb[t], &v8) + nl_attr_get_be16(tb[t], &v16) +
		    nl_attr_get_be32(tb[t], &v32) + nl_attr_get_be64(tb[t], &v64) > 1)
			abort(); /* sizes are exclusive */
		s = nl_attr_get_str(tb[t]);
		if (s)
			sink += strlen(s);
		if (nl_attr_len(tb[t]))
			sink += ((const uint8_t *)nl_attr_data(tb[t]))[nl_attr_len(tb[t]) - 1];
		if (depth < 8 && nl_attr_parse_nested(tb[t], in, MAX_TYPE) == 0)
			walk(in, depth + 1);
	}
	(void)sink;
}

static void parse(const uint8_t *buf, size_t size)
{
	const struct nlattr *tb[MAX_TYPE + 1];
	const struct nlmsghdr *nlh;
	size_t off = 0;
	int err;

	while ((nlh = nl_msg_next(buf, size, &off, &err))) {
		if (nlh->nlmsg_len > size)
			abort();
		if (nlh->nlmsg_type == NLMSG_ERROR && nl_msg_error(nlh) > 0)
			abort();
		/* No extra header, and nfnetlink's 4-byte nfgenmsg. */
		if (nl_attr_parse(nlh, 0, tb, MAX_TYPE) == 0)
			walk(tb, 0);
		if (nl_attr_parse(nlh, 4, tb, MAX_TYPE) == 0)
			walk(tb, 0);
	}
}

/* Ops: 0 u8, 1 be16, 2 be32, 3 strz, 4 raw, 5 nest start, 6 nest end, 7 nfmsg re-init. */
static void build(const uint8_t *data, size_t size)
{
	size_t cap = size ? (size_t)data[0] * 4 : 0;
	uint8_t *buf = malloc(cap ? cap : 1);
	struct nlattr *stack[8];
	int depth = 0;
	struct nl_msg m;

	nl_nfmsg_init(&m, buf, cap, 1, 2, NLM_F_REQUEST, 3, 2, 4);
	for (size_t i = 1; i + 1 < size; i += 2) {
		uint8_t op = data[i] & 7, arg = data[i + 1];
		char str[8] = "abcdefg";

		switch (op) {
		case 0: nl_attr_put_u8(&m, arg, arg); break;
		case 1: nl_attr_put_be16(&m, arg, arg); break;
		case 2: nl_attr_put_be32(&m, arg, arg); break;
		case 3: str[arg & 7] = 0; nl_attr_put_strz(&m, arg, str); break;
		case 4: nl_attr_put(&m, arg & 0x1f, arg < size ? arg : size, data); break;
		case 5:
			if (depth < 8)
				stack[depth++] = nl_attr_nest_start(&m, arg);
			break;
		case 6:
			if (depth)
				nl_attr_nest_end(&m, stack[--depth]);
			break;
		default:
			depth = 0;
			nl_nfmsg_init(&m, buf, cap, 1, 2, NLM_F_REQUEST, 3, 2, 4);
		}
	}
	while (depth)
		nl_attr_nest_end(&m, stack[--depth]);
	if (nl_msg_ok(&m)) {
		const struct nlattr *tb[MAX_TYPE + 1];
		size_t off = 0;
		int err;
		const struct nlmsghdr *nlh = nl_msg_next(buf, m.nlh->nlmsg_len, &off, &err);

		/* Whatever was built is one well-formed message within cap. */
		if (m.nlh->nlmsg_len > cap || !nlh || nl_attr_parse(nlh, 4, tb, MAX_TYPE) != 0)
			abort();
		walk(tb, 0);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	parse(buf, size);
	free(buf);
	build(data, size);
	return 0;
}
