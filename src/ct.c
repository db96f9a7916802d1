// SPDX-License-Identifier: GPL-2.0-or-later
/* ct: conntrack tuples, conntrack info and events, expectations as ctnetlink attributes.
 * Mirrors net/netfilter/nf_conntrack_netlink.c (ctnetlink_dump_tuples, ctnetlink_dump_master,
 * ctnetlink_parse_tuple, ctnetlink_glue_attach_expect, ctnetlink_alloc_expect,
 * ctnetlink_parse_expect_nat). */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include "ct.h"

static int ct_addr_decode(const struct nlattr *a, union ct_addr *addr, size_t len)
{
	if (!a || nl_attr_len(a) != len)
		return -EINVAL;
	memcpy(addr->all, nl_attr_data(a), len);
	return 0;
}

static int ct_tuple_ip_decode(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_IP_MAX + 1];

	if (nl_attr_parse_nested(nest, tb, CTA_IP_MAX) < 0)
		return -EINVAL;
	if (tb[CTA_IP_V4_SRC] || tb[CTA_IP_V4_DST]) {
		t->l3 = AF_INET;
		if (ct_addr_decode(tb[CTA_IP_V4_SRC], &t->src, 4) ||
		    ct_addr_decode(tb[CTA_IP_V4_DST], &t->dst, 4))
			return -EINVAL;
		return 0;
	}
	t->l3 = AF_INET6;
	if (ct_addr_decode(tb[CTA_IP_V6_SRC], &t->src, 16) ||
	    ct_addr_decode(tb[CTA_IP_V6_DST], &t->dst, 16))
		return -EINVAL;
	return 0;
}

int ct_tuple_decode(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1], *pb[CTA_PROTO_MAX + 1];

	memset(t, 0, sizeof(*t));
	if (nl_attr_parse_nested(nest, tb, CTA_TUPLE_MAX) < 0 || ct_tuple_ip_decode(tb[CTA_TUPLE_IP], t))
		return -EINVAL;
	if (nl_attr_parse_nested(tb[CTA_TUPLE_PROTO], pb, CTA_PROTO_MAX) < 0 ||
	    !nl_attr_get_u8(pb[CTA_PROTO_NUM], &t->l4))
		return -EINVAL;
	/* Ports exist for TCP, UDP, SCTP, DCCP, GRE (keys); ICMP has id/type/code instead. */
	if ((pb[CTA_PROTO_SRC_PORT] && !nl_attr_get_be16(pb[CTA_PROTO_SRC_PORT], &t->sport)) ||
	    (pb[CTA_PROTO_DST_PORT] && !nl_attr_get_be16(pb[CTA_PROTO_DST_PORT], &t->dport)))
		return -EINVAL;
	return 0;
}

bool ct_tuple_equal(const struct ct_tuple *a, const struct ct_tuple *b)
{
	return a->l3 == b->l3 && a->l4 == b->l4 && a->sport == b->sport && a->dport == b->dport &&
	       !memcmp(a->src.all, b->src.all, 16) && !memcmp(a->dst.all, b->dst.all, 16);
}

void ct_tuple_put(struct nl_msg *m, uint16_t type, const struct ct_tuple *t)
{
	struct nlattr *tuple, *nest;

	/* No other family can be expressed; refuse to build a message the kernel would reject. */
	if (t->l3 != AF_INET && t->l3 != AF_INET6) {
		m->full = true;
		return;
	}
	tuple = nl_attr_nest_start(m, type);
	nest = nl_attr_nest_start(m, CTA_TUPLE_IP);
	if (t->l3 == AF_INET) {
		nl_attr_put(m, CTA_IP_V4_SRC, 4, t->src.all);
		nl_attr_put(m, CTA_IP_V4_DST, 4, t->dst.all);
	} else {
		nl_attr_put(m, CTA_IP_V6_SRC, 16, t->src.all);
		nl_attr_put(m, CTA_IP_V6_DST, 16, t->dst.all);
	}
	nl_attr_nest_end(m, nest);
	/* ctnetlink_parse_tuple wants the protocol and both ports, even in a mask. */
	nest = nl_attr_nest_start(m, CTA_TUPLE_PROTO);
	nl_attr_put_u8(m, CTA_PROTO_NUM, t->l4);
	nl_attr_put_be16(m, CTA_PROTO_SRC_PORT, t->sport);
	nl_attr_put_be16(m, CTA_PROTO_DST_PORT, t->dport);
	nl_attr_nest_end(m, nest);
	nl_attr_nest_end(m, tuple);
}

/* CTA_PROTOINFO {CTA_PROTOINFO_TCP {CTA_PROTOINFO_TCP_STATE}}; other protocols are ignored. */
static int ct_protoinfo_decode(const struct nlattr *nest, struct ct_info *ct)
{
	const struct nlattr *tb[CTA_PROTOINFO_MAX + 1], *tcp[CTA_PROTOINFO_TCP_MAX + 1];

	if (nl_attr_parse_nested(nest, tb, CTA_PROTOINFO_MAX) < 0)
		return -EINVAL;
	if (!tb[CTA_PROTOINFO_TCP])
		return 0;
	if (nl_attr_parse_nested(tb[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX) < 0)
		return -EINVAL;
	if (tcp[CTA_PROTOINFO_TCP_STATE] && !nl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE], &ct->tcp_state))
		return -EINVAL;
	return 0;
}

static int ct_help_decode(const struct nlattr *nest, struct ct_info *ct)
{
	const struct nlattr *tb[CTA_HELP_MAX + 1];
	const char *name;

	if (nl_attr_parse_nested(nest, tb, CTA_HELP_MAX) < 0)
		return -EINVAL;
	if (tb[CTA_HELP_NAME]) {
		name = nl_attr_get_str(tb[CTA_HELP_NAME]);
		if (!name || strlen(name) >= sizeof(ct->helper))
			return -EINVAL;
		strcpy(ct->helper, name);
	}
	if (tb[CTA_HELP_INFO]) {
		ct->help_info = nl_attr_data(tb[CTA_HELP_INFO]);
		ct->help_info_len = nl_attr_len(tb[CTA_HELP_INFO]);
	}
	return 0;
}

int ct_info_decode_tb(const struct nlattr *const *tb, struct ct_info *ct)
{
	memset(ct, 0, sizeof(*ct));
	if (!tb[CTA_TUPLE_ORIG] || !tb[CTA_TUPLE_REPLY] ||
	    ct_tuple_decode(tb[CTA_TUPLE_ORIG], &ct->tuple[CT_DIR_ORIGINAL]) ||
	    ct_tuple_decode(tb[CTA_TUPLE_REPLY], &ct->tuple[CT_DIR_REPLY]) ||
	    !nl_attr_get_be32(tb[CTA_ID], &ct->id))
		return -EINVAL;
	if (tb[CTA_STATUS] && !nl_attr_get_be32(tb[CTA_STATUS], &ct->status))
		return -EINVAL;
	if (tb[CTA_ZONE] && !nl_attr_get_be16(tb[CTA_ZONE], &ct->zone))
		return -EINVAL;
	if (tb[CTA_PROTOINFO] && ct_protoinfo_decode(tb[CTA_PROTOINFO], ct))
		return -EINVAL;
	if (tb[CTA_HELP] && ct_help_decode(tb[CTA_HELP], ct))
		return -EINVAL;
	/* ctnetlink_dump_master: the master's original tuple, for a conntrack with IPS_EXPECTED.
	 * NFQA_CT carries nothing else of the expectation (__ctnetlink_glue_build).  A malformed
	 * one is ignored rather than failing the rest: an expected connection without a master
	 * passes unread, as every one did before protocols could ask for theirs. */
	if (tb[CTA_TUPLE_MASTER] && ct_tuple_decode(tb[CTA_TUPLE_MASTER], &ct->master) == 0)
		ct->has_master = true;
	else
		memset(&ct->master, 0, sizeof(ct->master));
	return 0;
}

int ct_info_decode(const struct nlattr *nest, struct ct_info *ct)
{
	const struct nlattr *tb[CTA_MAX + 1];

	if (nl_attr_parse_nested(nest, tb, CTA_MAX) < 0) {
		memset(ct, 0, sizeof(*ct));
		return -EINVAL;
	}
	return ct_info_decode_tb(tb, ct);
}

int ct_event_decode(const struct nlmsghdr *nlh, struct ct_info *ct)
{
	const struct nlattr *tb[CTA_MAX + 1];
	uint16_t msg = NFNL_MSG_TYPE(nlh->nlmsg_type);

	memset(ct, 0, sizeof(*ct));
	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_CTNETLINK ||
	    (msg != IPCTNL_MSG_CT_NEW && msg != IPCTNL_MSG_CT_DELETE))
		return -ENOMSG;
	if (nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, CTA_MAX) < 0)
		return -EINVAL;
	return ct_info_decode_tb(tb, ct);
}

void ct_expect_put(struct nl_msg *m, const struct ct_expect *e)
{
	struct ct_tuple mask = e->mask;
	struct nlattr *nat;

	/* No CTA_EXPECT_ZONE here: in NFQA_EXP, ctnetlink_glue_attach_expect never reads it and
	 * ctnetlink_alloc_expect gives the expectation the queued conntrack's zone itself. */
	ct_tuple_put(m, CTA_EXPECT_TUPLE, &e->tuple);
	/* The kernel parses the mask with the master's family whatever the mask says. */
	mask.l3 = e->tuple.l3;
	ct_tuple_put(m, CTA_EXPECT_MASK, &mask);
	/* Checked against the master's helper; kernels without the 2026 ctnetlink_alloc_expect fix
	 * honour CLASS only together with HELP_NAME (class 0 otherwise). */
	nl_attr_put_be32(m, CTA_EXPECT_CLASS, e->class);
	nl_attr_put_be32(m, CTA_EXPECT_FLAGS, e->flags);
	if (e->fn)
		nl_attr_put_strz(m, CTA_EXPECT_FN, e->fn);
	if (e->helper)
		nl_attr_put_strz(m, CTA_EXPECT_HELP_NAME, e->helper);
	if (!e->nat)
		return;
	/* ctnetlink_parse_expect_nat wants both; only nat_tuple.src is kept (saved addr/proto). */
	nat = nl_attr_nest_start(m, CTA_EXPECT_NAT);
	nl_attr_put_be32(m, CTA_EXPECT_NAT_DIR, e->nat_dir);
	ct_tuple_put(m, CTA_EXPECT_NAT_TUPLE, &e->nat_tuple);
	nl_attr_nest_end(m, nat);
}

void ct_expect_zone_put(struct nl_msg *m, uint16_t zone)
{
	/* ctnetlink_parse_zone: absent means zone 0, and a kernel without
	 * CONFIG_NF_CONNTRACK_ZONES refuses the attribute (EOPNOTSUPP) even for 0. */
	if (zone)
		nl_attr_put_be16(m, CTA_EXPECT_ZONE, zone);
}

struct nlmsghdr *ct_expect_new_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				     uint16_t zone, const struct ct_tuple *master,
				     const struct ct_expect *e)
{
	/* Without NLM_F_CREATE ctnetlink_new_expect only updates an existing one (ENOENT). */
	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW,
		      NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, seq, master->l3, 0);
	ct_tuple_put(m, CTA_EXPECT_MASTER, master);
	/* ctnetlink_new_expect looks for an existing expectation in the zone, and
	 * ctnetlink_create_expect for the master there: another zone's master is not found. */
	ct_expect_zone_put(m, zone);
	ct_expect_put(m, e);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

void ct_expect_init(struct ct_expect *e, uint32_t class, uint8_t l3, const union ct_addr *saddr,
		    const union ct_addr *daddr, uint8_t l4, const uint16_t *sport, const uint16_t *dport)
{
	size_t alen = l3 == AF_INET6 ? 16 : 4;

	memset(e, 0, sizeof(*e));
	e->class = class;
	e->tuple.l3 = e->mask.l3 = l3;
	e->tuple.l4 = e->mask.l4 = l4;
	/* A NULL source is a wildcard: its mask stays zero, as nf_ct_expect_init leaves it. */
	if (saddr) {
		memcpy(e->tuple.src.all, saddr->all, alen);
		memset(e->mask.src.all, 0xff, alen);
	}
	memcpy(e->tuple.dst.all, daddr->all, alen);
	memset(e->mask.dst.all, 0xff, alen);
	if (sport) {
		e->tuple.sport = *sport;
		e->mask.sport = 0xffff;
	}
	/* The destination port is always exact (the kernel keeps no destination mask). */
	e->tuple.dport = dport ? *dport : 0;
	e->mask.dport = 0xffff;
}
