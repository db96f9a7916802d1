// SPDX-License-Identifier: GPL-2.0-or-later
/* expect: synchronous expectation creation over ctnetlink, with the ownership check that
 * NLM_F_EXCL makes necessary.  Mirrors ctnetlink_new_expect / ctnetlink_get_expect. */
#include <errno.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <string.h>
#include "expect.h"

/* An expectation request naming one tuple (attr CTA_EXPECT_TUPLE or CTA_EXPECT_MASTER) in a
 * zone.  Every request built here reads CTA_EXPECT_ZONE: ctnetlink_get_expect (the tuple's
 * expectation), ctnetlink_dump_exp_ct (the master) and ctnetlink_del_expect (by tuple) look
 * in that zone only, zone 0 when absent. */
static struct nlmsghdr *expect_msg(struct nl_msg *m, void *buf, size_t cap, uint32_t seq, uint8_t type,
				   uint16_t flags, uint16_t attr, uint16_t zone, const struct ct_tuple *t)
{
	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_CTNETLINK_EXP, type, NLM_F_REQUEST | flags, seq, t->l3, 0);
	ct_tuple_put(m, attr, t);
	ct_expect_zone_put(m, zone);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

struct nlmsghdr *expect_get_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				  uint16_t zone, const struct ct_tuple *tuple)
{
	return expect_msg(m, buf, cap, seq, IPCTNL_MSG_EXP_GET, NLM_F_ACK, CTA_EXPECT_TUPLE, zone, tuple);
}

struct nlmsghdr *expect_del_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				  uint16_t zone, const struct ct_tuple *tuple)
{
	return expect_msg(m, buf, cap, seq, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, CTA_EXPECT_TUPLE, zone, tuple);
}

int expect_delete(struct nl_sock *s, uint16_t zone, const struct ct_tuple *tuple)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	struct nl_msg m;
	struct nlmsghdr *nlh = expect_del_build(&m, buf, sizeof(buf), 0, zone, tuple);
	int err;

	if (!nlh)
		return -EMSGSIZE;
	err = nl_sock_request(s, nlh, NULL, NULL);
	return err == -ENOENT ? 0 : err;	/* gone already (used or expired) */
}

int expect_entry_decode(const struct nlmsghdr *nlh, struct expect_entry *x)
{
	const struct nlattr *tb[CTA_EXPECT_MAX + 1];

	memset(x, 0, sizeof(*x));
	if (NFNL_SUBSYS_ID(nlh->nlmsg_type) != NFNL_SUBSYS_CTNETLINK_EXP ||
	    NFNL_MSG_TYPE(nlh->nlmsg_type) != IPCTNL_MSG_EXP_NEW ||
	    nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, CTA_EXPECT_MAX) < 0 ||
	    !tb[CTA_EXPECT_MASTER] || !tb[CTA_EXPECT_TUPLE] ||
	    ct_tuple_decode(tb[CTA_EXPECT_MASTER], &x->master) < 0 ||
	    ct_tuple_decode(tb[CTA_EXPECT_TUPLE], &x->tuple) < 0)
		return -EINVAL;
	/* Kernels before CTA_EXPECT_CLASS reported none: class 0. */
	if (tb[CTA_EXPECT_CLASS] && !nl_attr_get_be32(tb[CTA_EXPECT_CLASS], &x->class))
		return -EINVAL;
	return 0;
}

int expect_master_decode(const struct nlmsghdr *nlh, struct ct_tuple *master)
{
	struct expect_entry x;
	int err = expect_entry_decode(nlh, &x);

	if (!err)
		*master = x.master;
	return err;
}

struct nlmsghdr *expect_dump_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				   uint16_t zone, const struct ct_tuple *master)
{
	/* ctnetlink_get_expect: a dump that names a master lists that conntrack's expectations. */
	return expect_msg(m, buf, cap, seq, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, CTA_EXPECT_MASTER, zone, master);
}

struct flush {
	uint32_t class;
	struct ct_tuple found[32];
	unsigned n;
};

static int flush_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct flush *f = arg;
	struct expect_entry x;

	if (expect_entry_decode(nlh, &x) == 0 && x.class == f->class && f->n < 32)
		f->found[f->n++] = x.tuple;
	return 0;
}

int expect_flush(struct nl_sock *s, uint16_t zone, const struct ct_tuple *master, uint32_t class)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	struct flush f = { .class = class };
	struct nl_msg m;
	int err;

	if (!expect_dump_build(&m, buf, sizeof(buf), 0, zone, master))
		return -EMSGSIZE;
	err = nl_sock_request(s, m.nlh, flush_cb, &f);
	if (err)
		return err;
	/* A master's expectations are in its zone (ctnetlink_alloc_expect). */
	for (unsigned i = 0; i < f.n; i++)
		if ((err = expect_delete(s, zone, &f.found[i])))
			return err;
	return 0;
}


struct owner {
	const struct ct_tuple *want;
	bool ours, seen;
};

static int owner_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct owner *o = arg;
	struct ct_tuple master;

	if (expect_master_decode(nlh, &master) == 0) {
		o->seen = true;
		o->ours = ct_tuple_equal(&master, o->want);
	}
	return 0;
}

int expect_create_sync(struct nl_sock *s, uint16_t zone, const struct ct_tuple *master,
		       const struct ct_expect *e)
{
	uint8_t buf[1024] __attribute__((aligned(4)));
	struct nl_msg m;
	struct owner o = { .want = master };
	struct nlmsghdr *nlh;
	int err;

	if (!(nlh = ct_expect_new_build(&m, buf, sizeof(buf), ++s->seq, zone, master, e)))
		return -EMSGSIZE;
	/* Without NLM_F_EXCL an existing expectation that catches the tuple would be "updated"
	 * and reported as success even when it belongs to another connection. */
	nlh->nlmsg_flags |= NLM_F_EXCL;
	err = nl_sock_request(s, nlh, NULL, NULL);
	if (err != -EEXIST)
		return err;
	/* Taken: ours (a retransmitted command) or another connection's?  The reply names no
	 * zone (ctnetlink_exp_dump_expect puts none), but the GET only finds expectations of
	 * masters in our zone, so the master tuple alone tells. */
	if (!(nlh = expect_get_build(&m, buf, sizeof(buf), ++s->seq, zone, &e->tuple)))
		return -EMSGSIZE;
	err = nl_sock_request(s, nlh, owner_cb, &o);
	if (err == -ENOENT)	/* it expired in between: count it as taken, another port will do */
		return -EBUSY;
	if (err)
		return err;
	if (!o.seen || !o.ours)
		return -EBUSY;
	/* Ours, from an earlier message of this connection: it may map elsewhere (another
	 * announced port), so it is replaced, as nf_ct_expect_related replaces an equal
	 * expectation of the same master. */
	err = expect_delete(s, zone, &e->tuple);
	if (err)
		return err;
	if (!(nlh = ct_expect_new_build(&m, buf, sizeof(buf), 0, zone, master, e)))
		return -EMSGSIZE;
	nlh->nlmsg_flags |= NLM_F_EXCL;
	err = nl_sock_request(s, nlh, NULL, NULL);
	return err == -EEXIST ? -EBUSY : err;
}

int expect_create_batch(struct nl_sock *s, uint16_t zone, const struct ct_tuple *master,
			const struct ct_expect *e, unsigned n, int *errs)
{
	uint8_t buf[4096] __attribute__((aligned(4)));
	unsigned first = 0, k;
	struct nl_msg m;
	int err;

	/* As many messages per send as fit the buffer (an IPv6 one is about 300 bytes). */
	for (; first < n; first = k) {
		size_t len = 0;

		for (k = first; k < n; k++) {
			struct nlmsghdr *nlh = ct_expect_new_build(&m, buf + len, sizeof(buf) - len, 0,
								   zone, master, &e[k]);

			if (!nlh)
				break;
			nlh->nlmsg_flags |= NLM_F_EXCL;
			len += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		if (k == first)
			return -EMSGSIZE;
		err = nl_sock_batch(s, buf, len, k - first, errs + first);
		if (err)
			return err;
	}
	/* Taken: by this connection's earlier message (replaced) or another's (reported). */
	for (unsigned i = 0; i < n; i++)
		if (errs[i] == -EEXIST)
			errs[i] = expect_create_sync(s, zone, master, &e[i]);
	return 0;
}
