/* SPDX-License-Identifier: GPL-2.0 */
/* nfh_pptp: what the module's parts share (see nfh_pptp_uapi.h for why it exists). */
#ifndef NFH_PPTP_H
#define NFH_PPTP_H

#include <linux/netfilter/nf_conntrack_pptp.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include "nfh_pptp_req.h"

/*
 * The helper's private data, in nf_conntrack_pptp's layout.  Kernels without
 * the 2026 fix read keymap[] of any GRE child's master when the child dies
 * (destroy_gre_conntrack), whatever the master's helper: those bytes stay
 * zero, so that read finds nothing.  The keymap entries of our calls live in
 * holders instead (nfh_pptp_calls.c).  user[] is nfhelper's, exposed through
 * CTA_HELP_INFO; nothing of the kernel's is ever stored there.
 */
#define NFH_PPTP_USER_LEN	16
struct nfh_pptp_data {
	u8 user[NFH_PPTP_USER_LEN];
	struct nf_ct_gre_keymap *keymap_always_null[IP_CT_DIR_MAX];
};

/* nfh_pptp_helper.c: the conntrack helper and the GRE children's expectfn */
int nfh_helper_set(const struct nfh_pptp_req *r);
int nfh_helper_del(const struct nfh_pptp_req *r);
bool nfh_helper_owns(const struct nf_conn *ct);
void nfh_helper_exit(void);
int nfh_expectfn_init(void);
void nfh_expectfn_exit(void);
void nfh_expectfn(struct nf_conn *ct, struct nf_conntrack_expect *exp);

/* nfh_pptp_gre.c: the kernel's side of one call */
struct nf_conn *nfh_master_get(struct net *net, const struct nfh_pptp_req *r);
void nfh_call_tuples(const struct nf_conn *ct, const struct nfh_pptp_req *r,
		     struct nf_conntrack_tuple *t);
struct nf_conn *nfh_holder_alloc(struct net *net);
void nfh_holder_free(struct nf_conn *h);
int nfh_gre_arm(struct nf_conn *ct, struct nf_conn *holder,
		struct nf_conntrack_tuple *gre);
void nfh_gre_release(struct nf_conn *master, struct nf_conn *holder,
		     const struct nf_conntrack_tuple *gre);

/* nfh_pptp_calls.c: the calls of each master, their keymaps and expectations */
int nfh_call_add(struct net *net, const struct nfh_pptp_req *r);
int nfh_call_del(struct net *net, const struct nfh_pptp_req *r);
void nfh_calls_master_gone(struct nf_conn *ct);
int nfh_calls_init(void);
void nfh_calls_exit(void);

#endif
