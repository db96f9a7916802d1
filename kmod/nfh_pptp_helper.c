// SPDX-License-Identifier: GPL-2.0
/*
 * nfh_pptp: the conntrack helper nfhelper's PPTP packets pass through, and
 * the expectfn of the GRE children.
 *
 * The helper is a userspace helper in all but registration: its help function
 * queues every packet to nfhelper's queue as nfnetlink_cthelper's does, and
 * NF_CT_HELPER_F_USERSPACE makes the queue's reinject path confirm the
 * conntrack and adjust sequence numbers.  It is registered here, not through
 * nfnetlink_cthelper, for its private data: nf_conntrack_pptp's layout with
 * the kernel part hidden from userspace (to/from_nlattr move only user[]).
 */
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_nat.h>
#include "nfh_pptp.h"

/* The GRE children's timeouts, as nf_conntrack_pptp sets them. */
#define NFH_GRE_TIMEOUT		(10 * 60 * HZ)
#define NFH_GRE_STREAM_TIMEOUT	(5 * 60 * 60 * HZ)

static struct nf_conntrack_helper nfh_helper_ops;
static DEFINE_MUTEX(nfh_helper_mutex);	/* registration and policy */
static bool nfh_registered;

static struct nf_conntrack_expect_policy nfh_policy = {
	.name		= "gre",
	.max_expected	= 32,
	.timeout	= 5 * 60,
};

static int nfh_help(struct sk_buff *skb, unsigned int protoff,
		    struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	/*
	 * Only the control connection is nfhelper's.  On 6.12 the GRE children
	 * were seen with this helper too: queued, a child stays unconfirmed in
	 * userspace, and the other side's first packet, no longer expected,
	 * makes a conntrack of its own that wins the child's reply tuple.
	 */
	if (ct->master)
		return NF_ACCEPT;
	/* No listener on the queue: the packet passes uninspected. */
	return NF_QUEUE_NR(READ_ONCE(nfh_helper_ops.queue_num)) |
	       NF_VERDICT_FLAG_QUEUE_BYPASS;
}

static int nfh_to_nlattr(struct sk_buff *skb, const struct nf_conn *ct)
{
	const struct nfh_pptp_data *d = nfct_help_data(ct);

	if (!d)
		return 0;
	return nla_put(skb, CTA_HELP_INFO, sizeof(d->user), d->user);
}

/*
 * Only user[]: a longer CTA_HELP_INFO is refused, not cut.  ctnetlink calls
 * this with attr NULL when CTA_HELP names the helper without CTA_HELP_INFO
 * (ctnetlink_change_helper, ctnetlink_create_conntrack): nothing to change.
 */
static int nfh_from_nlattr(struct nlattr *attr, struct nf_conn *ct)
{
	struct nfh_pptp_data *d = nfct_help_data(ct);

	if (!attr || !d)
		return 0;
	if (nla_len(attr) > sizeof(d->user))
		return -EINVAL;
	nla_memcpy(d->user, attr, sizeof(d->user));
	return 0;
}

static void nfh_destroy(struct nf_conn *ct)
{
	if (!ct->master)	/* a GRE child (see nfh_help) is no master */
		nfh_calls_master_gone(ct);
}

static struct nf_conntrack_helper nfh_helper_ops = {
	.me			= THIS_MODULE,
	.expect_policy		= &nfh_policy,
	.expect_class_max	= 0,
	.tuple.src.l3num	= NFPROTO_IPV4,
	.tuple.dst.protonum	= IPPROTO_TCP,
	.help			= nfh_help,
	.destroy		= nfh_destroy,
	.from_nlattr		= nfh_from_nlattr,
	.to_nlattr		= nfh_to_nlattr,
	.flags			= NF_CT_HELPER_F_USERSPACE |
				  NF_CT_HELPER_F_CONFIGURED,
	.data_len		= sizeof(struct nfh_pptp_data),
};

bool nfh_helper_owns(const struct nf_conn *ct)
{
	const struct nf_conn_help *help = nfct_help(ct);
	bool ours;

	if (!help)
		return false;
	rcu_read_lock();
	ours = rcu_dereference(help->helper) == &nfh_helper_ops;
	rcu_read_unlock();
	return ours;
}

static void nfh_policy_set(const struct nfh_pptp_req *r)
{
	WRITE_ONCE(nfh_helper_ops.queue_num, r->queue);
	WRITE_ONCE(nfh_policy.max_expected, r->max_expected);
	WRITE_ONCE(nfh_policy.timeout, r->timeout);
}

/*
 * Register, or update queue and policy.  A new name needs a re-registration,
 * which is refused while a ruleset holds the helper (its refcount above 1),
 * the rule nfnetlink_cthelper follows for DEL.
 */
int nfh_helper_set(const struct nfh_pptp_req *r)
{
	int err = 0;

	mutex_lock(&nfh_helper_mutex);
	if (nfh_registered && !strcmp(nfh_helper_ops.name, r->name)) {
		nfh_policy_set(r);
		goto out;
	}
	if (nfh_registered) {
		if (!refcount_dec_if_one(&nfh_helper_ops.refcnt)) {
			err = -EBUSY;
			goto out;
		}
		nf_conntrack_helper_unregister(&nfh_helper_ops);
		nfh_registered = false;
	}
	strscpy(nfh_helper_ops.name, r->name, sizeof(nfh_helper_ops.name));
	nfh_policy_set(r);
	err = nf_conntrack_helper_register(&nfh_helper_ops);
	if (!err)
		nfh_registered = true;
out:
	mutex_unlock(&nfh_helper_mutex);
	return err;
}

int nfh_helper_del(const struct nfh_pptp_req *r)
{
	int err = 0;

	mutex_lock(&nfh_helper_mutex);
	if (!nfh_registered || strcmp(nfh_helper_ops.name, r->name))
		err = -ENOENT;
	else if (!refcount_dec_if_one(&nfh_helper_ops.refcnt))
		err = -EBUSY;
	else
		nf_conntrack_helper_unregister(&nfh_helper_ops);
	if (!err)
		nfh_registered = false;
	mutex_unlock(&nfh_helper_mutex);
	return err;
}

/* Module exit: nothing can reference the helper now (rules pin the module). */
void nfh_helper_exit(void)
{
	mutex_lock(&nfh_helper_mutex);
	if (nfh_registered)
		nf_conntrack_helper_unregister(&nfh_helper_ops);
	nfh_registered = false;
	mutex_unlock(&nfh_helper_mutex);
}

/*
 * One manipulation of a GRE child under NAT, as nf_nat_pptp maps it: the
 * master's address on that side, and on the side facing the expectation's
 * sender the call ID the expectation saved (the original side's real ID
 * towards it, the NAT ID away from it).
 */
static void nfh_nat_map(struct nf_conn *ct, const struct nf_conntrack_expect *exp,
			enum nf_nat_manip_type manip)
{
	const struct nf_conntrack_tuple *m = &ct->master->tuplehash[!exp->dir].tuple;
	struct nf_nat_range2 range = { .flags = NF_NAT_RANGE_MAP_IPS };
	bool src = manip == NF_NAT_MANIP_SRC;
	bool from_orig = exp->dir == IP_CT_DIR_ORIGINAL;

	range.min_addr = src ? m->dst.u3 : m->src.u3;
	range.max_addr = range.min_addr;
	if (src == from_orig) {
		range.flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
		range.min_proto = exp->saved_proto;
		range.max_proto = exp->saved_proto;
	}
	nf_nat_setup_info(ct, &range, manip);
}

/*
 * The first GRE packet of a call, from either side, matched one of the call's
 * two expectations.  The other direction's expectation is then redundant: the
 * child's reply tuple (after NAT) is exactly its tuple.
 *
 * The expectfn is registered by name, so anyone who may create expectations
 * (ctnetlink: CAP_NET_ADMIN over a namespace) can attach it to any master:
 * it acts only on a GRE child of a master of our helper, and leaves any
 * other connection as the kernel made it.
 */
void nfh_expectfn(struct nf_conn *ct, struct nf_conntrack_expect *exp)
{
	const struct nf_conn *master = ct->master;
	struct nf_conntrack_expect *other;
	struct nf_conntrack_tuple t;

	if (!master || nf_ct_protonum(ct) != IPPROTO_GRE ||
	    nf_ct_l3num(ct) != NFPROTO_IPV4 || !nfh_helper_owns(master))
		return;
	ct->proto.gre.timeout = NFH_GRE_TIMEOUT;
	ct->proto.gre.stream_timeout = NFH_GRE_STREAM_TIMEOUT;

	if (master->status & IPS_NAT_MASK &&
	    !(ct->status & IPS_NAT_DONE_MASK)) {
		nfh_nat_map(ct, exp, NF_NAT_MANIP_SRC);
		nfh_nat_map(ct, exp, NF_NAT_MANIP_DST);
		t = ct->tuplehash[IP_CT_DIR_REPLY].tuple;
	} else {
		nf_ct_invert_tuple(&t, &exp->tuple);
	}

	other = nf_ct_expect_find_get(nf_ct_net(ct), nf_ct_zone(ct), &t);
	if (other) {
		if (other->master == master)
			nf_ct_unexpect_related(other);
		nf_ct_expect_put(other);
	}
}

/* Registered by name so that it can be named (conntrack -L expect shows it). */
static struct nf_ct_helper_expectfn nfh_expectfn_reg = {
	.name		= NFH_PPTP_EXPECTFN,
	.expectfn	= nfh_expectfn,
};

int nfh_expectfn_init(void)
{
	nf_ct_helper_expectfn_register(&nfh_expectfn_reg);
	return 0;
}

static bool nfh_expect_ours(struct nf_conntrack_expect *exp, void *data)
{
	return exp->expectfn == nfh_expectfn;
}

/*
 * No expectation may outlive the module with a pointer to nfh_expectfn:
 * ours go with the helper, but one on another helper's master (named in
 * CTA_EXPECT_FN) would stay.  Creators find the expectfn by name under RCU
 * (ctnetlink and the queue's verdict path alike), so once a grace period
 * has passed after unregistering, none can appear: destroy what is left.
 * The caller waits for packets already past the lookup (synchronize_net).
 */
void nfh_expectfn_exit(void)
{
	nf_ct_helper_expectfn_unregister(&nfh_expectfn_reg);
	synchronize_rcu();
	nf_ct_expect_iterate_destroy(nfh_expect_ours, NULL);
}
