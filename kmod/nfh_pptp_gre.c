// SPDX-License-Identifier: GPL-2.0
/*
 * nfh_pptp: what the kernel is asked for one PPTP call: its control
 * connection found, its GRE tuples, a holder conntrack owning its two keymap
 * entries, its two expectations, and all of it undone.  nfh_pptp_calls.c
 * keeps the calls; this file keeps nothing.  Mirrors exp_gre() and
 * pptp_destroy_siblings() of nf_conntrack_pptp.c.
 */
#include <linux/netfilter/nf_conntrack_proto_gre.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_expect.h>
#include <net/netfilter/nf_conntrack_zones.h>
#include "nfh_pptp.h"

/*
 * The control connection a request names: by original tuple and CTA_ID,
 * whose bytes are nf_ct_get_id() unswapped (ctnetlink_dump_id).
 */
struct nf_conn *nfh_master_get(struct net *net, const struct nfh_pptp_req *r)
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
void nfh_call_tuples(const struct nf_conn *ct, const struct nfh_pptp_req *r,
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

struct nf_conn *nfh_holder_alloc(struct net *net)
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
	return h;
}

void nfh_holder_free(struct nf_conn *h)
{
	nf_ct_gre_keymap_destroy(h);
	nf_ct_tmpl_free(h);
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

/* A call's expectations or GRE conntracks, its keymap entries and holder. */
void nfh_gre_release(struct nf_conn *master, struct nf_conn *holder,
		     const struct nf_conntrack_tuple *gre)
{
	enum ip_conntrack_dir dir;

	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++)
		nfh_sibling_kill(nf_ct_net(master), master, &gre[dir]);
	nfh_holder_free(holder);
}

/*
 * Both keymap entries at once.  The May 2026 fix "nf_conntrack_gre: fix gre
 * keymap list corruption" made nf_ct_gre_keymap_add take the pair; Kbuild
 * tells which prototype the target kernel has.
 */
static int nfh_keymap_add(struct nf_conn *holder, struct nf_conntrack_tuple *t)
{
#ifdef NFH_GRE_KEYMAP_ADD_PAIR
	return nf_ct_gre_keymap_add(holder, &t[IP_CT_DIR_ORIGINAL],
				    &t[IP_CT_DIR_REPLY]) ? 0 : -EBUSY;
#else
	int err = nf_ct_gre_keymap_add(holder, IP_CT_DIR_ORIGINAL,
				       &t[IP_CT_DIR_ORIGINAL]);

	if (!err)
		err = nf_ct_gre_keymap_add(holder, IP_CT_DIR_REPLY,
					   &t[IP_CT_DIR_REPLY]);
	if (err)
		nf_ct_gre_keymap_destroy(holder);
	return err;
#endif
}

/*
 * Keymap entries first (the first GRE packet needs them to find its tuple),
 * then one expectation per direction.  All or nothing.  Atomic context.
 */
int nfh_gre_arm(struct nf_conn *ct, struct nf_conn *holder,
		struct nf_conntrack_tuple *gre)
{
	struct nf_conntrack_expect *exp[IP_CT_DIR_MAX] = {};
	enum ip_conntrack_dir dir;
	int err;

	err = nfh_keymap_add(holder, gre);
	if (err)
		return err;
	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++) {
		const struct nf_conntrack_tuple *t = &gre[dir];

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
			gre[IP_CT_DIR_REPLY].dst.u.gre.key :
			gre[IP_CT_DIR_ORIGINAL].src.u.gre.key;
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
	nf_ct_gre_keymap_destroy(holder);
	return err;
}
