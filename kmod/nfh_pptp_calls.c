// SPDX-License-Identifier: GPL-2.0
/*
 * nfh_pptp: the calls of each PPTP control connection, their GRE keymap
 * entries and expectations, and their end with the call or the master.
 *
 * The kernel keeps a call's two keymap entries through the helper data of a
 * conntrack (nf_ct_gre_keymap_add/destroy), two slots per conntrack: one call
 * per master, which is why nf_conntrack_pptp cannot track several calls.
 * Here every call has a holder: a template conntrack (never in any table)
 * whose helper extension owns that call's two entries.  The master's own
 * slots stay empty (see struct nfh_pptp_data).
 *
 * Masters are found by the conntrack they are (a counted reference keeps the
 * key valid) and leave with the helper's destroy callback; a periodic sweep
 * catches masters whose helper was taken away first, and a namespace's are
 * freed before it goes.
 */
#include <linux/hashtable.h>
#include <linux/netfilter/nf_conntrack_proto_gre.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include "nfh_pptp.h"

#define NFH_CALLS_MAX		16	/* per control connection */
#define NFH_SWEEP_INTERVAL	(10 * HZ)

struct nfh_call {
	struct list_head list;
	struct nf_conn *holder;
	/* GRE tuples, as the keymap entries and expectations have them */
	struct nf_conntrack_tuple gre[IP_CT_DIR_MAX];
};

struct nfh_master {
	struct hlist_node node;
	struct nf_conn *ct;
	struct list_head calls;
	unsigned int ncalls;
};

static DEFINE_SPINLOCK(nfh_lock);	/* nfh_masters and every call list */
static DEFINE_HASHTABLE(nfh_masters, 8);
static atomic_t nfh_holders_alive = ATOMIC_INIT(0);
static struct delayed_work nfh_sweep_work;

static struct nfh_master *nfh_master_find(const struct nf_conn *ct)
{
	struct nfh_master *m;

	hash_for_each_possible(nfh_masters, m, node, (unsigned long)ct)
		if (m->ct == ct)
			return m;
	return NULL;
}

/*
 * The control connection a request names: by original tuple and CTA_ID,
 * whose bytes are nf_ct_get_id() unswapped (ctnetlink_dump_id).
 */
static struct nf_conn *nfh_master_get(struct net *net,
				      const struct nfh_pptp_req *r)
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple t = {};
	struct nf_conntrack_zone zone;
	struct nf_conn *ct;

	t.src.l3num = NFPROTO_IPV4;
	t.src.u3.ip = r->src;
	t.src.u.tcp.port = r->sport;
	t.dst.u3.ip = r->dst;
	t.dst.u.tcp.port = r->dport;
	t.dst.protonum = IPPROTO_TCP;
	t.dst.dir = IP_CT_DIR_ORIGINAL;
	nf_ct_zone_init(&zone, r->zone, NF_CT_DEFAULT_ZONE_DIR, 0);
	h = nf_conntrack_find_get(net, &zone, &t);
	if (!h)
		return NULL;
	ct = nf_ct_tuplehash_to_ctrack(h);
	if (NF_CT_DIRECTION(h) != IP_CT_DIR_ORIGINAL ||
	    nf_ct_get_id(ct) != (__force u32)r->master_id || !nfh_helper_owns(ct)) {
		nf_ct_put(ct);
		return NULL;
	}
	return ct;
}

/*
 * The call's GRE flows: towards the reply side with the reply side's call ID
 * as key (the original side's as source key, from the keymap), and back with
 * the original side's ID as the reply side knows it (after NAT).
 */
static void nfh_call_tuples(const struct nf_conn *ct,
			    const struct nfh_pptp_req *r,
			    struct nf_conntrack_tuple *t)
{
	enum ip_conntrack_dir dir;

	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++) {
		memset(&t[dir], 0, sizeof(t[dir]));
		t[dir].src.l3num = NFPROTO_IPV4;
		t[dir].src.u3.ip = ct->tuplehash[dir].tuple.src.u3.ip;
		t[dir].dst.u3.ip = ct->tuplehash[dir].tuple.dst.u3.ip;
		t[dir].dst.protonum = IPPROTO_GRE;
		t[dir].dst.dir = dir;
	}
	t[IP_CT_DIR_ORIGINAL].src.u.gre.key = r->orig_call_id;
	t[IP_CT_DIR_ORIGINAL].dst.u.gre.key = r->reply_call_id;
	t[IP_CT_DIR_REPLY].src.u.gre.key = r->reply_call_id;
	t[IP_CT_DIR_REPLY].dst.u.gre.key = r->orig_call_id_nat;
}

/* Two keymap entries with the same lookup key would make GRE ambiguous. */
static bool nfh_key_clash(const struct nf_conntrack_tuple *a,
			  const struct nf_conntrack_tuple *b)
{
	return a->src.u3.ip == b->src.u3.ip && a->dst.u3.ip == b->dst.u3.ip &&
	       a->dst.u.gre.key == b->dst.u.gre.key;
}

/* 1: this very call exists (a retransmission); -EBUSY: keys taken. */
static int nfh_call_check(struct net *net, const struct nfh_call *c)
{
	struct nfh_master *m;
	struct nfh_call *o;
	int bkt, d;

	hash_for_each(nfh_masters, bkt, m, node) {
		if (!net_eq(nf_ct_net(m->ct), net))
			continue;
		list_for_each_entry(o, &m->calls, list) {
			if (nf_ct_tuple_equal(&o->gre[0], &c->gre[0]) &&
			    nf_ct_tuple_equal(&o->gre[1], &c->gre[1]))
				return 1;
			for (d = 0; d < IP_CT_DIR_MAX; d++)
				if (nfh_key_clash(&o->gre[d], &c->gre[0]) ||
				    nfh_key_clash(&o->gre[d], &c->gre[1]))
					return -EBUSY;
		}
	}
	return 0;
}

static struct nf_conn *nfh_holder_alloc(struct net *net)
{
	struct nf_conn *h = nf_ct_tmpl_alloc(net, &nf_ct_zone_dflt, GFP_KERNEL);

	if (!h)
		return NULL;
	if (!nf_ct_helper_ext_add(h, GFP_KERNEL)) {
		nf_ct_tmpl_free(h);
		return NULL;
	}
	/*
	 * Extensions of an unconfirmed conntrack vanish when the extension
	 * generation moves on (any helper unregistering), to hide pointers
	 * into unloaded modules.  A holder's hold nothing of the kind, and
	 * must stay findable until it frees its keymap entries: mark them
	 * stable, as confirmation does.
	 */
	h->ext->gen_id = 0;
	atomic_inc(&nfh_holders_alive);
	return h;
}

static void nfh_holder_free(struct nf_conn *h)
{
	nf_ct_gre_keymap_destroy(h);
	nf_ct_tmpl_free(h);
	atomic_dec(&nfh_holders_alive);
}

/* The call's GRE conntrack, or its expectation if no packet came yet. */
static void nfh_sibling_kill(struct net *net, const struct nf_conn *master,
			     const struct nf_conntrack_tuple *t)
{
	const struct nf_conntrack_zone *zone = nf_ct_zone(master);
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_expect *exp;
	struct nf_conn *sibling;

	h = nf_conntrack_find_get(net, zone, t);
	if (h) {
		sibling = nf_ct_tuplehash_to_ctrack(h);
		if (sibling->master == master)
			nf_ct_kill(sibling);
		nf_ct_put(sibling);
		return;
	}
	exp = nf_ct_expect_find_get(net, zone, t);
	if (exp) {
		if (exp->master == master)
			nf_ct_unexpect_related(exp);
		nf_ct_expect_put(exp);
	}
}

static void nfh_call_free(struct nf_conn *master, struct nfh_call *c)
{
	enum ip_conntrack_dir dir;

	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++)
		nfh_sibling_kill(nf_ct_net(master), master, &c->gre[dir]);
	if (c->holder)
		nfh_holder_free(c->holder);
	kfree(c);
}

static void nfh_calls_free(struct nf_conn *master, struct list_head *calls)
{
	struct nfh_call *c, *n;

	list_for_each_entry_safe(c, n, calls, list) {
		list_del(&c->list);
		nfh_call_free(master, c);
	}
}

/*
 * Keymap entries first (the first GRE packet needs them to find its tuple),
 * then one expectation per direction.  All or nothing.  Atomic context.
 */
static int nfh_call_arm(struct nf_conn *ct, struct nfh_call *c)
{
	struct nf_conntrack_expect *exp[IP_CT_DIR_MAX] = {};
	enum ip_conntrack_dir dir;
	int err;

	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++) {
		err = nf_ct_gre_keymap_add(c->holder, dir, &c->gre[dir]);
		if (err)
			goto undo;
	}
	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++) {
		const struct nf_conntrack_tuple *t = &c->gre[dir];

		exp[dir] = nf_ct_expect_alloc(ct);
		if (!exp[dir]) {
			err = -ENOMEM;
			goto undo;
		}
		nf_ct_expect_init(exp[dir], NF_CT_EXPECT_CLASS_DEFAULT,
				  NFPROTO_IPV4, &t->src.u3, &t->dst.u3,
				  IPPROTO_GRE, &t->src.u.gre.key,
				  &t->dst.u.gre.key);
		exp[dir]->expectfn = nfh_expectfn;
		exp[dir]->dir = dir;
		/* The call ID the expectfn maps the child to (see there). */
		exp[dir]->saved_proto.gre.key = dir == IP_CT_DIR_ORIGINAL ?
			c->gre[IP_CT_DIR_REPLY].dst.u.gre.key :
			c->gre[IP_CT_DIR_ORIGINAL].src.u.gre.key;
		err = nf_ct_expect_related(exp[dir], 0);
		if (err) {
			nf_ct_expect_put(exp[dir]);
			exp[dir] = NULL;
			goto undo;
		}
	}
	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++)
		nf_ct_expect_put(exp[dir]);
	return 0;
undo:
	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++) {
		if (exp[dir]) {
			nf_ct_unexpect_related(exp[dir]);
			nf_ct_expect_put(exp[dir]);
		}
	}
	nf_ct_gre_keymap_destroy(c->holder);
	return err;
}

int nfh_call_add(struct net *net, const struct nfh_pptp_req *r)
{
	struct nfh_master *m, *fresh;
	struct nfh_call *c;
	struct nf_conn *ct;
	int err;

	ct = nfh_master_get(net, r);
	if (!ct)
		return -ENOENT;
	/* Without NAT both sides see the same call ID. */
	if (!(ct->status & IPS_NAT_MASK) &&
	    r->orig_call_id != r->orig_call_id_nat) {
		nf_ct_put(ct);
		return -EINVAL;
	}
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (c)
		c->holder = nfh_holder_alloc(net);
	if (!fresh || !c || !c->holder) {
		err = -ENOMEM;
		goto out;
	}
	nfh_call_tuples(ct, r, c->gre);

	spin_lock_bh(&nfh_lock);
	m = nfh_master_find(ct);
	if (nf_ct_is_dying(ct))
		err = -ENOENT;
	else if (m && m->ncalls >= NFH_CALLS_MAX)
		err = -ENOSPC;
	else
		err = nfh_call_check(net, c);
	if (err == 0)
		err = nfh_call_arm(ct, c);
	if (err == 0) {
		if (!m) {
			m = fresh;
			fresh = NULL;
			m->ct = ct;
			nf_conntrack_get(&ct->ct_general);
			INIT_LIST_HEAD(&m->calls);
			hash_add(nfh_masters, &m->node, (unsigned long)ct);
		}
		list_add_tail(&c->list, &m->calls);
		m->ncalls++;
		c = NULL;
	}
	spin_unlock_bh(&nfh_lock);
	if (err == 1)
		err = 0;
out:
	if (c && c->holder)
		nfh_holder_free(c->holder);
	kfree(c);
	kfree(fresh);
	nf_ct_put(ct);
	return err;
}

int nfh_call_del(struct net *net, const struct nfh_pptp_req *r)
{
	bool all = !(r->present & NFH_PPTP_CALL_ATTRS);
	struct nf_conntrack_tuple t[IP_CT_DIR_MAX];
	struct nfh_master *m, *gone_master = NULL;
	struct nfh_call *c, *n;
	struct nf_conn *ct;
	LIST_HEAD(gone);
	int err = all ? 0 : -ENOENT;

	ct = nfh_master_get(net, r);
	if (!ct)
		return -ENOENT;
	nfh_call_tuples(ct, r, t);

	spin_lock_bh(&nfh_lock);
	m = nfh_master_find(ct);
	if (m) {
		list_for_each_entry_safe(c, n, &m->calls, list) {
			if (!all && (!nf_ct_tuple_equal(&c->gre[0], &t[0]) ||
				     !nf_ct_tuple_equal(&c->gre[1], &t[1])))
				continue;
			list_move_tail(&c->list, &gone);
			m->ncalls--;
			err = 0;
		}
		if (!m->ncalls) {
			hash_del(&m->node);
			gone_master = m;
		}
	}
	spin_unlock_bh(&nfh_lock);

	nfh_calls_free(ct, &gone);
	if (gone_master) {
		nf_ct_put(gone_master->ct);
		kfree(gone_master);
	}
	nf_ct_put(ct);
	return err;
}

/* Free masters taken out of the table (their calls with them). */
static void nfh_masters_free(struct hlist_head *list)
{
	struct hlist_node *n;
	struct nfh_master *m;

	hlist_for_each_entry_safe(m, n, list, node) {
		hlist_del(&m->node);
		nfh_calls_free(m->ct, &m->calls);
		nf_ct_put(m->ct);
		kfree(m);
	}
}

/* The helper's destroy callback: the control connection is going. */
void nfh_calls_master_gone(struct nf_conn *ct)
{
	struct nfh_master *m;
	HLIST_HEAD(gone);

	spin_lock_bh(&nfh_lock);
	m = nfh_master_find(ct);
	if (m) {
		hash_del(&m->node);
		hlist_add_head(&m->node, &gone);
	}
	spin_unlock_bh(&nfh_lock);
	nfh_masters_free(&gone);
}

/*
 * Take out every master of net (NULL: all) that is gone or, unless all, no
 * longer ours (its helper was removed: no destroy callback will come).
 */
static void nfh_masters_sweep(struct net *net, bool all)
{
	struct hlist_node *n;
	struct nfh_master *m;
	HLIST_HEAD(gone);
	int bkt;

	spin_lock_bh(&nfh_lock);
	hash_for_each_safe(nfh_masters, bkt, n, m, node) {
		if (net && !net_eq(nf_ct_net(m->ct), net))
			continue;
		if (!all && !nf_ct_is_dying(m->ct) && nfh_helper_owns(m->ct))
			continue;
		hash_del(&m->node);
		hlist_add_head(&m->node, &gone);
	}
	spin_unlock_bh(&nfh_lock);
	nfh_masters_free(&gone);
}

static void nfh_sweep(struct work_struct *work)
{
	nfh_masters_sweep(NULL, false);
	schedule_delayed_work(&nfh_sweep_work, NFH_SWEEP_INTERVAL);
}

/* /proc/net/nfh_pptp: what the module holds for this namespace. */
static int nfh_proc_show(struct seq_file *s, void *v)
{
	unsigned int masters = 0, calls = 0, keymaps = 0, holders = 0;
	struct net *net = s->private;	/* a single_open_net file */
	const struct nf_ct_pptp_master *k;
	struct nfh_master *m;
	struct nfh_call *c;
	int bkt, d;

	spin_lock_bh(&nfh_lock);
	hash_for_each(nfh_masters, bkt, m, node) {
		if (!net_eq(nf_ct_net(m->ct), net))
			continue;
		masters++;
		list_for_each_entry(c, &m->calls, list) {
			calls++;
			holders++;
			k = nfct_help_data(c->holder);
			for (d = 0; d < IP_CT_DIR_MAX; d++)
				keymaps += !!k->keymap[d];
		}
	}
	spin_unlock_bh(&nfh_lock);
	seq_printf(s, "masters %u\ncalls %u\nkeymaps %u\nholders %u\n",
		   masters, calls, keymaps, holders);
	seq_printf(s, "holders_all_namespaces %d\n",
		   atomic_read(&nfh_holders_alive));
	return 0;
}

static int __net_init nfh_net_init(struct net *net)
{
	if (!proc_create_net_single(NFH_PPTP_PROC, 0444, net->proc_net,
				    nfh_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

/* Before conntrack's own exit: the masters' references must be dropped. */
static void __net_exit nfh_net_pre_exit(struct net *net)
{
	nfh_masters_sweep(net, true);
}

static void __net_exit nfh_net_exit(struct net *net)
{
	remove_proc_entry(NFH_PPTP_PROC, net->proc_net);
}

static struct pernet_operations nfh_net_ops = {
	.init		= nfh_net_init,
	.pre_exit	= nfh_net_pre_exit,
	.exit		= nfh_net_exit,
};

int nfh_calls_init(void)
{
	int err = register_pernet_subsys(&nfh_net_ops);

	if (err)
		return err;
	INIT_DELAYED_WORK(&nfh_sweep_work, nfh_sweep);
	schedule_delayed_work(&nfh_sweep_work, NFH_SWEEP_INTERVAL);
	return 0;
}

/* After the helper is gone: no destroy callback and no request can come. */
void nfh_calls_exit(void)
{
	cancel_delayed_work_sync(&nfh_sweep_work);
	nfh_masters_sweep(NULL, true);
	unregister_pernet_subsys(&nfh_net_ops);
	rcu_barrier();	/* the keymap entries' kfree_rcu */
}
