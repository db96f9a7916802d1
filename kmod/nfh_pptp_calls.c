// SPDX-License-Identifier: GPL-2.0
/*
 * nfh_pptp: the calls of each PPTP control connection, and their end with
 * the call or the master.  Each call has a holder conntrack owning its GRE
 * keymap entries (nfh_pptp_gre.c), so a master may have several calls.
 *
 * Everything is per network namespace (net_generic) and bounded: an admin of
 * a user namespace may send CALL_ADD, so calls are limited per master, per
 * namespace and for the host (module parameters), and a refusal is counted.
 * Masters are found by the conntrack they are (a counted reference keeps the
 * key valid) and leave with the helper's destroy callback; a periodic sweep
 * catches masters whose helper was taken away first, and a namespace's are
 * freed before it goes.
 */
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/netfilter/nf_conntrack_proto_gre.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netfilter/nf_conntrack_core.h>
#include "nfh_pptp.h"

#define NFH_CALLS_MAX		16	/* per control connection */
#define NFH_SWEEP_INTERVAL	(10 * HZ)

/*
 * A call costs a holder (a conntrack with its helper extension), two keymap
 * entries and this module's records: about 1 KB.  The defaults allow a busy
 * PPTP concentrator behind one router and bound the host at about 16 MB.
 */
static unsigned int max_calls_per_net __read_mostly = 1024;
module_param(max_calls_per_net, uint, 0644);
MODULE_PARM_DESC(max_calls_per_net, "PPTP calls tracked per network namespace (default 1024)");
static unsigned int max_calls __read_mostly = 16384;
module_param(max_calls, uint, 0644);
MODULE_PARM_DESC(max_calls, "PPTP calls tracked on the host, all namespaces (default 16384)");

/* One GRE flow of a call in its namespace's index (nfh_net.keys). */
struct nfh_key {
	struct hlist_node node;
	struct nfh_call *call;
	enum ip_conntrack_dir dir;
};

struct nfh_call {
	struct list_head list;
	struct nfh_key key[IP_CT_DIR_MAX];
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

/* One network namespace's calls. */
struct nfh_net {
	spinlock_t lock;		/* everything below */
	DECLARE_HASHTABLE(masters, 6);	/* by conntrack */
	DECLARE_HASHTABLE(keys, 8);	/* every call's GRE flows, by key */
	unsigned int ncalls;
	unsigned long refused;		/* CALL_ADDs over a limit */
	bool dying;
	struct delayed_work sweep;
};

static unsigned int nfh_net_id __read_mostly;
static atomic_t nfh_calls_alive = ATOMIC_INIT(0);	/* all namespaces */

static struct nfh_net *nfh_pernet(const struct net *net)
{
	return net_generic(net, nfh_net_id);
}

static struct nfh_master *nfh_master_find(struct nfh_net *nn,
					  const struct nf_conn *ct)
{
	struct nfh_master *m;

	hash_for_each_possible(nn->masters, m, node, (unsigned long)ct)
		if (m->ct == ct)
			return m;
	return NULL;
}

/*
 * Two keymap entries with the same lookup key (addresses and the key GRE
 * carries) would make GRE ambiguous: calls are indexed by it.
 */
static u32 nfh_key_hash(const struct nf_conntrack_tuple *t)
{
	return jhash_3words((__force u32)t->src.u3.ip, (__force u32)t->dst.u3.ip,
			    (__force u32)t->dst.u.gre.key, 0);
}

static bool nfh_key_clash(const struct nf_conntrack_tuple *a,
			  const struct nf_conntrack_tuple *b)
{
	return a->src.u3.ip == b->src.u3.ip && a->dst.u3.ip == b->dst.u3.ip &&
	       a->dst.u.gre.key == b->dst.u.gre.key;
}

/* 1: this very call exists (a retransmission); -EBUSY: keys taken. */
static int nfh_call_check(struct nfh_net *nn, const struct nfh_call *c)
{
	const struct nfh_call *o;
	const struct nfh_key *k;
	int d;

	for (d = 0; d < IP_CT_DIR_MAX; d++) {
		hash_for_each_possible(nn->keys, k, node,
				       nfh_key_hash(&c->gre[d])) {
			o = k->call;
			if (!nfh_key_clash(&o->gre[k->dir], &c->gre[d]))
				continue;
			if (nf_ct_tuple_equal(&o->gre[0], &c->gre[0]) &&
			    nf_ct_tuple_equal(&o->gre[1], &c->gre[1]))
				return 1;
			return -EBUSY;
		}
	}
	return 0;
}

/* Room for one more call here and on the host, or -ENOSPC (counted). */
static int nfh_call_reserve(struct nfh_net *nn, const struct nfh_master *m)
{
	if (m && m->ncalls >= NFH_CALLS_MAX)
		goto refuse;
	if (nn->ncalls >= READ_ONCE(max_calls_per_net))
		goto refuse;
	if (atomic_inc_return(&nfh_calls_alive) > READ_ONCE(max_calls)) {
		atomic_dec(&nfh_calls_alive);
		goto refuse;
	}
	return 0;
refuse:
	nn->refused++;
	net_info_ratelimited("nfh_pptp: call refused: limit reached (%u a control connection, max_calls_per_net %u, max_calls %u)\n",
			     NFH_CALLS_MAX, READ_ONCE(max_calls_per_net),
			     READ_ONCE(max_calls));
	return -ENOSPC;
}

/* A call taken out of its namespace's tables (nfh_call_unlink): free it. */
static void nfh_call_free(struct nf_conn *master, struct nfh_call *c)
{
	nfh_gre_release(master, c->holder, c->gre);
	kfree(c);
	atomic_dec(&nfh_calls_alive);
}

/* Under nn->lock: out of the key index and the count, onto a free list. */
static void nfh_call_unlink(struct nfh_net *nn, struct nfh_master *m,
			    struct nfh_call *c, struct list_head *gone)
{
	hash_del(&c->key[IP_CT_DIR_ORIGINAL].node);
	hash_del(&c->key[IP_CT_DIR_REPLY].node);
	list_move_tail(&c->list, gone);
	m->ncalls--;
	nn->ncalls--;
}

static void nfh_calls_free(struct nf_conn *master, struct list_head *calls)
{
	struct nfh_call *c, *n;

	list_for_each_entry_safe(c, n, calls, list) {
		list_del(&c->list);
		nfh_call_free(master, c);
	}
}

/* Under nn->lock: the call joins its master (new or known) and the index. */
static void nfh_call_link(struct nfh_net *nn, struct nfh_master *m,
			  struct nfh_call *c)
{
	enum ip_conntrack_dir d;

	list_add_tail(&c->list, &m->calls);
	for (d = IP_CT_DIR_ORIGINAL; d < IP_CT_DIR_MAX; d++) {
		c->key[d].call = c;
		c->key[d].dir = d;
		hash_add(nn->keys, &c->key[d].node, nfh_key_hash(&c->gre[d]));
	}
	m->ncalls++;
	nn->ncalls++;
}

static struct nfh_master *nfh_master_add(struct nfh_net *nn, struct nfh_master *m,
					 struct nf_conn *ct)
{
	m->ct = ct;
	nf_conntrack_get(&ct->ct_general);
	INIT_LIST_HEAD(&m->calls);
	hash_add(nn->masters, &m->node, (unsigned long)ct);
	if (!delayed_work_pending(&nn->sweep))
		schedule_delayed_work(&nn->sweep, NFH_SWEEP_INTERVAL);
	return m;
}

/* Under nn->lock: check, reserve and arm; 1 for a call that exists. */
static int nfh_call_try(struct nfh_net *nn, struct nf_conn *ct,
			struct nfh_master **m, struct nfh_call *c)
{
	int err;

	*m = nfh_master_find(nn, ct);
	if (nn->dying || nf_ct_is_dying(ct))
		return -ENOENT;
	err = nfh_call_check(nn, c);
	if (err)
		return err;
	err = nfh_call_reserve(nn, *m);
	if (err)
		return err;
	err = nfh_gre_arm(ct, c->holder, c->gre);
	if (err)
		atomic_dec(&nfh_calls_alive);
	return err;
}

int nfh_call_add(struct net *net, const struct nfh_pptp_req *r)
{
	struct nfh_net *nn = nfh_pernet(net);
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
	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (c)
		c->holder = nfh_holder_alloc(net);
	if (!fresh || !c || !c->holder) {
		err = -ENOMEM;
		goto out;
	}
	nfh_call_tuples(ct, r, c->gre);

	spin_lock_bh(&nn->lock);
	err = nfh_call_try(nn, ct, &m, c);
	if (err == 0) {
		if (!m) {
			m = nfh_master_add(nn, fresh, ct);
			fresh = NULL;
		}
		nfh_call_link(nn, m, c);
		c = NULL;
	}
	spin_unlock_bh(&nn->lock);
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
	struct nfh_net *nn = nfh_pernet(net);
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

	spin_lock_bh(&nn->lock);
	m = nfh_master_find(nn, ct);
	if (m) {
		list_for_each_entry_safe(c, n, &m->calls, list) {
			if (!all && (!nf_ct_tuple_equal(&c->gre[0], &t[0]) ||
				     !nf_ct_tuple_equal(&c->gre[1], &t[1])))
				continue;
			nfh_call_unlink(nn, m, c, &gone);
			err = 0;
		}
		if (!m->ncalls) {
			hash_del(&m->node);
			gone_master = m;
		}
	}
	spin_unlock_bh(&nn->lock);

	nfh_calls_free(ct, &gone);
	if (gone_master) {
		nf_ct_put(gone_master->ct);
		kfree(gone_master);
	}
	nf_ct_put(ct);
	return err;
}

/* Under nn->lock: a master and its calls out of the tables, onto gone. */
static void nfh_master_unlink(struct nfh_net *nn, struct nfh_master *m,
			      struct hlist_head *gone)
{
	struct nfh_call *c;

	list_for_each_entry(c, &m->calls, list) {
		hash_del(&c->key[IP_CT_DIR_ORIGINAL].node);
		hash_del(&c->key[IP_CT_DIR_REPLY].node);
	}
	nn->ncalls -= m->ncalls;
	hash_del(&m->node);
	hlist_add_head(&m->node, gone);
}

/* Free masters taken out of the tables (their calls with them). */
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
	struct nfh_net *nn = nfh_pernet(nf_ct_net(ct));
	struct nfh_master *m;
	HLIST_HEAD(gone);

	spin_lock_bh(&nn->lock);
	m = nfh_master_find(nn, ct);
	if (m)
		nfh_master_unlink(nn, m, &gone);
	spin_unlock_bh(&nn->lock);
	nfh_masters_free(&gone);
}

/*
 * Take out every master of the namespace that is gone or, unless all, no
 * longer ours (its helper was removed: no destroy callback will come).
 * Returns whether masters remain.
 */
static bool nfh_masters_sweep(struct nfh_net *nn, bool all)
{
	struct hlist_node *n;
	struct nfh_master *m;
	HLIST_HEAD(gone);
	bool left;
	int bkt;

	spin_lock_bh(&nn->lock);
	hash_for_each_safe(nn->masters, bkt, n, m, node) {
		if (!all && !nf_ct_is_dying(m->ct) && nfh_helper_owns(m->ct))
			continue;
		nfh_master_unlink(nn, m, &gone);
	}
	left = !hash_empty(nn->masters);
	spin_unlock_bh(&nn->lock);
	nfh_masters_free(&gone);
	return left;
}

/* Runs while the namespace has masters (armed by the first one). */
static void nfh_sweep(struct work_struct *work)
{
	struct nfh_net *nn = container_of(to_delayed_work(work), struct nfh_net,
					  sweep);

	if (nfh_masters_sweep(nn, false) && !READ_ONCE(nn->dying))
		schedule_delayed_work(&nn->sweep, NFH_SWEEP_INTERVAL);
}

/*
 * /proc/net/nfh_pptp: what the module holds for this namespace, and how
 * many calls its limits refused.  The host's total only in the initial
 * namespace: other namespaces must not see each other's activity.
 */
static int nfh_proc_show(struct seq_file *s, void *v)
{
	unsigned int masters = 0, calls = 0, keymaps = 0, holders = 0;
	struct net *net = s->private;	/* a single_open_net file */
	struct nfh_net *nn = nfh_pernet(net);
	const struct nf_ct_pptp_master *k;
	struct nfh_master *m;
	struct nfh_call *c;
	unsigned long refused;
	int bkt, d;

	spin_lock_bh(&nn->lock);
	hash_for_each(nn->masters, bkt, m, node) {
		masters++;
		list_for_each_entry(c, &m->calls, list) {
			calls++;
			holders++;
			k = nfct_help_data(c->holder);
			for (d = 0; d < IP_CT_DIR_MAX; d++)
				keymaps += !!k->keymap[d];
		}
	}
	refused = nn->refused;
	spin_unlock_bh(&nn->lock);
	seq_printf(s, "masters %u\ncalls %u\nkeymaps %u\nholders %u\n",
		   masters, calls, keymaps, holders);
	seq_printf(s, "refused_limit %lu\n", refused);
	if (net_eq(net, &init_net))
		seq_printf(s, "calls_all_namespaces %d\n",
			   atomic_read(&nfh_calls_alive));
	return 0;
}

static int __net_init nfh_net_init(struct net *net)
{
	struct nfh_net *nn = nfh_pernet(net);

	spin_lock_init(&nn->lock);
	hash_init(nn->masters);
	hash_init(nn->keys);
	INIT_DELAYED_WORK(&nn->sweep, nfh_sweep);
	if (!proc_create_net_single(NFH_PPTP_PROC, 0444, net->proc_net,
				    nfh_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

/*
 * Before conntrack's own exit (the masters' references must be dropped),
 * and again at exit for module unload.  No request can come from a
 * namespace that is going; the sweep is stopped first.
 */
static void nfh_net_release(struct net *net)
{
	struct nfh_net *nn = nfh_pernet(net);

	spin_lock_bh(&nn->lock);
	nn->dying = true;
	spin_unlock_bh(&nn->lock);
	cancel_delayed_work_sync(&nn->sweep);
	nfh_masters_sweep(nn, true);
}

static void __net_exit nfh_net_pre_exit(struct net *net)
{
	nfh_net_release(net);
}

static void __net_exit nfh_net_exit(struct net *net)
{
	nfh_net_release(net);
	remove_proc_entry(NFH_PPTP_PROC, net->proc_net);
}

static struct pernet_operations nfh_net_ops = {
	.init		= nfh_net_init,
	.pre_exit	= nfh_net_pre_exit,
	.exit		= nfh_net_exit,
	.id		= &nfh_net_id,
	.size		= sizeof(struct nfh_net),
};

int nfh_calls_init(void)
{
	return register_pernet_subsys(&nfh_net_ops);
}

/*
 * After the helper is gone: no destroy callback and no request can come.
 * Unregistering runs every namespace's pre_exit and exit.
 */
void nfh_calls_exit(void)
{
	unregister_pernet_subsys(&nfh_net_ops);
	rcu_barrier();	/* the keymap entries' kfree_rcu */
}
