// SPDX-License-Identifier: GPL-2.0-or-later
/* cthelper: nfnetlink_cthelper messages to register, list and remove a userspace helper.
 * Mirrors net/netfilter/nfnetlink_cthelper.c (nfnl_cthelper_new/create, _del, _fill_info). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_cthelper.h>
#include "cthelper.h"

/* nf_conntrack_helper.h: NF_CT_MAX_EXPECT_CLASSES */
#define CTHELPER_MAX_CLASSES 4

static void cthelper_tuple_put(struct nl_msg *m, uint8_t l3, uint8_t l4)
{
	struct nlattr *nest = nl_attr_nest_start(m, NFCTH_TUPLE);

	/* No ports: rules choose which connections get the helper. */
	nl_attr_put_be16(m, NFCTH_TUPLE_L3PROTONUM, l3);
	nl_attr_put_u8(m, NFCTH_TUPLE_L4PROTONUM, l4);
	nl_attr_nest_end(m, nest);
}

static void cthelper_policy_put(struct nl_msg *m, const struct cthelper_reg *r)
{
	struct nlattr *set, *nest;

	/* SET_NUM 1..4 and SET1..SETn: the kernel fails the whole NEW on any gap. */
	if (r->npolicy < 1 || r->npolicy > CTHELPER_MAX_CLASSES || !r->policy) {
		m->full = true;
		return;
	}
	set = nl_attr_nest_start(m, NFCTH_POLICY);
	nl_attr_put_be32(m, NFCTH_POLICY_SET_NUM, r->npolicy);
	for (uint32_t i = 0; i < r->npolicy; i++) {
		nest = nl_attr_nest_start(m, NFCTH_POLICY_SET1 + i);
		nl_attr_put_strz(m, NFCTH_POLICY_NAME, r->policy[i].name);
		nl_attr_put_be32(m, NFCTH_POLICY_EXPECT_MAX, r->policy[i].max_expected);
		nl_attr_put_be32(m, NFCTH_POLICY_EXPECT_TIMEOUT, r->policy[i].timeout);
		nl_attr_nest_end(m, nest);
	}
	nl_attr_nest_end(m, set);
}

struct nlmsghdr *cthelper_new_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				    const struct cthelper_reg *r)
{
	/* Without NLM_F_EXCL an existing registration of ours is updated in place. */
	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_NEW,
		      NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, seq, AF_UNSPEC, 0);
	nl_attr_put_strz(m, NFCTH_NAME, r->name);
	cthelper_tuple_put(m, r->l3, r->l4);
	nl_attr_put_be32(m, NFCTH_QUEUE_NUM, r->queue);
	cthelper_policy_put(m, r);
	/* nfnl_cthelper_create answers EINVAL without it, even for 0. */
	nl_attr_put_be32(m, NFCTH_PRIV_DATA_LEN, r->priv_data_len);
	/* A helper left disabled (the default) lets every packet through unqueued. */
	nl_attr_put_be32(m, NFCTH_STATUS, NFCT_HELPER_STATUS_ENABLED);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

struct nlmsghdr *cthelper_del_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				    const char *name, uint8_t l3, uint8_t l4)
{
	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_DEL,
		      NLM_F_REQUEST | NLM_F_ACK, seq, AF_UNSPEC, 0);
	nl_attr_put_strz(m, NFCTH_NAME, name);
	/* With the tuple only our l3num's registration goes, not its IPv4/IPv6 twin. */
	cthelper_tuple_put(m, l3, l4);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

struct nlmsghdr *cthelper_dump_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq)
{
	/* The dump ends with NLMSG_DONE; the kernel sends no ACK for a dump. */
	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_CTHELPER, NFNL_MSG_CTHELPER_GET,
		      NLM_F_REQUEST | NLM_F_DUMP, seq, AF_UNSPEC, 0);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

static int cthelper_entry_tuple_decode(const struct nlattr *nest, struct cthelper_entry *e)
{
	const struct nlattr *tb[NFCTH_TUPLE_MAX + 1];
	uint16_t l3;

	if (nl_attr_parse_nested(nest, tb, NFCTH_TUPLE_MAX) < 0 ||
	    !nl_attr_get_be16(tb[NFCTH_TUPLE_L3PROTONUM], &l3) || l3 > UINT8_MAX ||
	    !nl_attr_get_u8(tb[NFCTH_TUPLE_L4PROTONUM], &e->l4))
		return -EINVAL;
	e->l3 = (uint8_t)l3;
	return 0;
}

static int cthelper_entry_policy_decode(const struct nlattr *nest, struct cthelper_entry *e)
{
	const struct nlattr *tb[NFCTH_POLICY_SET_MAX + 1];

	if (nl_attr_parse_nested(nest, tb, NFCTH_POLICY_SET_MAX) < 0 ||
	    !nl_attr_get_be32(tb[NFCTH_POLICY_SET_NUM], &e->npolicy))
		return -EINVAL;
	return 0;
}

int cthelper_entry_decode(const struct nlmsghdr *nlh, struct cthelper_entry *e)
{
	const struct nlattr *tb[NFCTH_MAX + 1];
	const char *name;

	memset(e, 0, sizeof(*e));
	if (nlh->nlmsg_type != (NFNL_SUBSYS_CTHELPER << 8 | NFNL_MSG_CTHELPER_NEW) ||
	    nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, NFCTH_MAX) < 0)
		return -EINVAL;
	name = nl_attr_get_str(tb[NFCTH_NAME]);
	if (!name || strlen(name) >= sizeof(e->name) || cthelper_entry_tuple_decode(tb[NFCTH_TUPLE], e))
		return -EINVAL;
	strcpy(e->name, name);
	if ((tb[NFCTH_QUEUE_NUM] && !nl_attr_get_be32(tb[NFCTH_QUEUE_NUM], &e->queue)) ||
	    (tb[NFCTH_STATUS] && !nl_attr_get_be32(tb[NFCTH_STATUS], &e->status)) ||
	    (tb[NFCTH_PRIV_DATA_LEN] && !nl_attr_get_be32(tb[NFCTH_PRIV_DATA_LEN], &e->priv_data_len)) ||
	    (tb[NFCTH_POLICY] && cthelper_entry_policy_decode(tb[NFCTH_POLICY], e)))
		return -EINVAL;
	return 0;
}
