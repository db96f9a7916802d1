/* SPDX-License-Identifier: GPL-2.0-or-later */
/* helper: what one protocol provides (struct helper_proto) and what its help function
 * returns for one packet (struct help_result).  The table of protocols is in helpers.c. */
#ifndef NFHELPER_HELPER_H
#define NFHELPER_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "array_size.h"
#include "ct.h"
#include "cthelper.h"
#include "pkt.h"

/* Expectations one packet may create, in the order of the commands.  The last rides in the
 * verdict's NFQA_EXP; the others go ahead of it as ctnetlink IPCTNL_MSG_EXP_NEW (a verdict
 * carries only one), so with max_expected 1 the last command wins, as in the kernel.  16: one
 * SIP message may open its signalling expectation and every media pair its classes allow
 * (nf_conntrack_sip: 1 + audio 4 + video 4 + image 2), and all of them are undone together. */
#define HELP_EXP_MAX 16

/* A protocol's own command-line option (the kernel helper's module parameters): a switch or
 * a number in a range, its value in cfg->opt[index in the protocol's table]; or the kernel
 * module's name for an expectation class's limit or timeout (class index in def). */
enum helper_opt_type { HELPER_OPT_BOOL, HELPER_OPT_UINT, HELPER_OPT_CLASS_MAX, HELPER_OPT_CLASS_TIMEOUT };

struct helper_opt {
	const char *name;
	enum helper_opt_type type;
	uint32_t min, max, def;
	const char *help;
};

#define HELPER_OPTS_MAX 8
#define HELPER_CLASSES_MAX 4  /* NFCTH_POLICY_SET_MAX */

/* Run-time settings: the protocol's defaults, as the command line changed them. */
struct helper_cfg {
	const char *name;         /* helper name registered in the kernel */
	uint16_t queue;
	struct cthelper_policy policy[HELPER_CLASSES_MAX]; /* per expectation class */
	uint32_t opt[HELPER_OPTS_MAX];
	uint32_t max_conns;
	int verbose;
};

struct help_result {
	uint32_t verdict;               /* NF_ACCEPT or NF_DROP */
	const uint8_t *payload;         /* rewritten packet (from L3) or NULL */
	uint32_t payload_len;
	struct ct_expect exp[HELP_EXP_MAX];
	unsigned nexp;
	unsigned created;               /* expectations already created through ctnetlink, */
	struct ct_tuple created_tuple[HELP_EXP_MAX]; /* removed again if the packet is dropped */
	struct ct_tuple master;         /* original tuple, to name the master in EXP_NEW, */
	uint16_t zone;                  /* and its conntrack zone */
	/* The master is not confirmed yet (its first packet: a UDP SIP INVITE).  ctnetlink
	 * cannot find it before the verdict lets the packet through, so the expectations ahead
	 * of the verdict's own are created right after it instead (daemon.c). */
	bool unconfirmed;
	unsigned refused;               /* requests refused as malformed (counted, logged) */
	const uint8_t *help_info;       /* the conntrack's private data as it should be now */
	uint16_t help_info_len;         /* (sent only when the kernel's copy differs) */
	uint32_t ct_timeout;            /* seconds the conntrack lives from now on (the kernel
					 * helper's nf_ct_refresh, SIP's sip_timeout); 0: unchanged */
};

/* ctnetlink as the packet path may use it (the daemon's sockets; NULL in tests and benches
 * that run without a kernel).  zone is the master's conntrack zone: the kernel finds master
 * and expectations only in the zone a request names.  create: 0 when e exists for master
 * afterwards, -EBUSY when another connection's expectation holds the tuple, another -errno
 * when synchronous creation cannot be used.  del: remove the expectation with that tuple;
 * 0 or -errno.  flush: remove every expectation of master in class. */
struct help_ct_ops {
	int (*create)(void *arg, uint16_t zone, const struct ct_tuple *master, const struct ct_expect *e);
	int (*del)(void *arg, uint16_t zone, const struct ct_tuple *tuple);
	int (*flush)(void *arg, uint16_t zone, const struct ct_tuple *master, uint32_t class);
};

struct pool;
struct stream_proto;

/* Everything a help function may use for one packet: what the kernel's help(skb, protoff, ct,
 * ctinfo) gets, and the userspace means.  out/out_cap is scratch for the rewritten packet and
 * tmp for composing its payload, owned by the daemon and reused. */
struct help_ctx {
	const struct helper_cfg *cfg;
	const struct ct_info *ct;
	enum ip_conntrack_info ctinfo; /* as the kernel's help() gets it (NFQA_CT_INFO) */
	const uint8_t *data;     /* the packet from L3 */
	struct pkt pkt;
	int dir;                 /* CT_DIR_ORIGINAL / CT_DIR_REPLY: CTINFO2DIR(ctinfo) */
	void *state;             /* per-conntrack, proto->state_size bytes */
	bool fresh;              /* state was just created (zeroed) */
	uint8_t *out;
	uint32_t out_cap;
	uint8_t *tmp;            /* scratch for composing a new payload, tmp_cap bytes */
	uint32_t tmp_cap;
	struct pool *pool;       /* blocks for held-back bytes and rewrite journals */
	const struct help_ct_ops *ops; /* NULL: expectations only ride in the verdict */
	void *ops_arg;
	/* What the protocol's registration backend offers the packet path (setup_socks'
	 * backend_priv), read only through that backend's own interface (PPTP: struct kmod_link
	 * of kmod_backend); NULL without a kernel. */
	void *backend;
};

/* One transport protocol a helper serves (SIP: UDP and TCP under one name). */
struct helper_l4 {
	uint8_t proto;             /* IPPROTO_TCP / IPPROTO_UDP */
	void (*help)(struct help_ctx *ctx, struct help_result *res);
};

/* The kernel keeps at most this much per conntrack for a userspace helper that stays safe on
 * kernels without the 2026 GRE keymap fix (they read bytes 16-31 as pointers). */
#define HELPER_KSTATE_MAX 16
/* priv_data_len of a protocol: the size of its kernel-kept struct, checked at compile time. */
#define HELPER_PRIV_DATA_LEN(type) \
	(sizeof(type) + 0 * sizeof(struct { _Static_assert(sizeof(type) <= HELPER_KSTATE_MAX, \
		"kernel-kept state over 16 bytes"); int x; }))

/* Where a helper is registered (setup.h); nfnetlink_cthelper's is setup.c's. */
struct helper_backend;
extern const struct helper_backend cthelper_backend;

struct helper_proto {
	const char *name;          /* subcommand and default helper name */
	const char *summary;
	uint16_t default_queue;
	const struct helper_l4 *l4;
	unsigned nl4;
	uint32_t priv_data_len;    /* HELPER_PRIV_DATA_LEN(the protocol's kernel-kept struct) */
	const struct cthelper_policy *policy; /* the expectation classes, class 0 first */
	uint32_t npolicy;
	const struct helper_opt *opts;
	unsigned nopts;
	size_t state_size;
	/* The conntrack ended (or its entry is recycled): give back what the state holds. */
	void (*destroy)(struct pool *pool, void *state);
	const struct stream_proto *stream; /* TCP stream protocols: sizes the pool's blocks */
	/* An expected connection (IPS_EXPECTED) whose packets reach the helper: whether it is
	 * parsed as one of the protocol's own (SIP: the signalling connection a REGISTER
	 * expectation lets in, never its media), told from its master's original tuple
	 * (ct->master: the kernel gives no expectation class) and its own.  NULL: never (FTP
	 * data, a DCC, a TFTP transfer, GRE); those packets pass unread. */
	bool (*help_expected)(const struct helper_cfg *cfg, const struct ct_info *ct);
	/* Once the helper is registered, before the first packet (NULL: nothing): what depends
	 * on the running kernel (SIP: whether nf_nat_sip's "sip" expectfn exists). */
	void (*start)(const struct helper_cfg *cfg);
	/* Where the helper is registered: nfnetlink_cthelper (cthelper_backend: every l4 over
	 * IPv4 and IPv6) or a kernel module of the protocol's own (PPTP: kmod_backend, kmod.h). */
	const struct helper_backend *backend;
};

/* The table: one entry per protocol file. */
const struct helper_proto *helper_find(const char *name);
/* The protocol's defaults (name, queue, classes, options); max_conns is the caller's. */
void helper_cfg_init(struct helper_cfg *cfg, const struct helper_proto *p);
/* The help function for an L4 protocol, NULL if the helper does not serve it. */
const struct helper_l4 *helper_l4_find(const struct helper_proto *p, uint8_t l4);
extern const struct helper_proto *const helper_protos[];

/* Whether the conntrack is NATed (IPS_SRC_NAT | IPS_DST_NAT): rewriting is needed and the
 * kernel adjusts TCP sequence numbers for a length change. */
bool help_ct_natted(const struct ct_info *ct);
/* Add an expectation slot to res; NULL when HELP_EXP_MAX are already taken. */
struct ct_expect *help_expect_add(struct help_result *res);
/* Under NAT the related connection is NATed as its master (the kernel's "nat-follow-master"
 * expectfn, nf_nat_follow_master): the kernel maps it on to addr:port, the announcing host's
 * own address and port as the payload named them before the rewrite. */
void help_expect_follow_master(const struct help_ctx *ctx, struct ct_expect *e,
			       const union ct_addr *addr, uint16_t port);
/* A request refused as malformed or hostile: res->refused++ and, rate-limited per call site
 * (rl) before anything is formatted, one warning naming the connection:
 * "PROTO: ct ID SRC port S -> DST port D: WHAT" followed by tail. */
struct log_rl_state;
void help_refuse(const struct help_ctx *ctx, struct help_result *res, struct log_rl_state *rl,
		 const char *proto, const char *what, const char *tail);
/* One rate-limited -v line per expectation: what a user watching a helper wants to see. */
void help_log_expect(uint32_t ct_id, const struct ct_expect *e);
/* nf_nat_exp_find_port: create e (NATed) right away on its own destination port, else on
 * another free one (at most 128 tries, fewer when the range above the port is smaller).
 * Returns the port it got (e->tuple.dport is set to it); 0 when every port tried is taken
 * (the kernel then drops the packet); -1 when synchronous creation is unavailable (no
 * ctnetlink, or the master not confirmed yet): e is unchanged and must ride in the verdict.
 * What it creates is part of res's transaction. */
int help_expect_nat(struct help_ctx *ctx, struct ct_expect *e, struct help_result *res);
/* The same for a pair that must get consecutive ports, the first even (RTP and RTCP, as
 * nf_nat_sip's port search): both or neither. */
int help_expect_nat_pair(struct help_ctx *ctx, struct ct_expect *e1, struct ct_expect *e2,
			 struct help_result *res);
/* Remove the connection's expectations of a class (nf_conntrack_sip flush_expectations);
 * 0, -1 without ctnetlink, or -errno. */
int help_expect_flush(struct help_ctx *ctx, uint32_t class);
/* Remove what res created through ctnetlink (the packet is dropped after all). */
void help_expect_rollback(struct help_ctx *ctx, struct help_result *res);

#endif
