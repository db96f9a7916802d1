/* SPDX-License-Identifier: GPL-2.0-or-later */
/* helper: what one protocol provides (struct helper_proto) and what its help function
 * returns for one packet (struct help_result).  The table of protocols is in helpers.c. */
#ifndef NFHELPER_HELPER_H
#define NFHELPER_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ct.h"
#include "cthelper.h"
#include "pkt.h"
#include "queue.h"

/* Expectations one packet may create, in the order of the commands.  The last rides in the
 * verdict's NFQA_EXP; the others go ahead of it as ctnetlink IPCTNL_MSG_EXP_NEW (a verdict
 * carries only one), so with max_expected 1 the last command wins, as in the kernel. */
#define HELP_EXP_MAX 4

/* A protocol-specific switch (the kernel helper's boolean module parameters). */
struct helper_flag {
	const char *name;
	uint32_t bit;
	const char *help;
};

/* Run-time settings shared by every protocol. */
struct helper_cfg {
	const char *name;         /* helper name registered in the kernel */
	uint16_t queue;
	uint32_t flags;           /* helper_flag bits */
	uint32_t max_expected;    /* policy of class 0 */
	uint32_t expect_timeout;
	uint32_t max_conns;
	int verbose;
};

struct help_result {
	uint32_t verdict;               /* NF_ACCEPT or NF_DROP */
	const uint8_t *payload;         /* rewritten packet (from L3) or NULL */
	uint32_t payload_len;
	struct ct_expect exp[HELP_EXP_MAX];
	unsigned nexp;
	unsigned created;               /* expectations already created through ctnetlink */
	unsigned refused;               /* requests refused as malformed (counted, logged) */
	struct ct_tuple master;         /* original tuple, to name the master in EXP_NEW */
	const uint8_t *help_info;       /* the conntrack's private data as it should be now */
	uint16_t help_info_len;         /* (sent only when the kernel's copy differs) */
};

/* Create an expectation now and report the outcome (the daemon's ctnetlink call): 0 when it
 * exists for master afterwards, -EBUSY when another connection's expectation holds the tuple,
 * another -errno when synchronous creation cannot be used. */
typedef int (*help_expect_now_fn)(void *arg, const struct ct_tuple *master, const struct ct_expect *e);

/* Everything a help function may use for one packet.  out/out_cap is scratch for the
 * rewritten packet and tmp for composing its payload, owned by the daemon and reused. */
struct help_ctx {
	const struct helper_cfg *cfg;
	const struct queue_pkt *qp;
	const struct ct_info *ct;
	const uint8_t *data;     /* the packet from L3 */
	struct pkt pkt;
	int dir;                 /* CT_DIR_ORIGINAL / CT_DIR_REPLY */
	void *state;             /* per-conntrack, proto->state_size bytes */
	bool fresh;              /* state was just created (zeroed) */
	uint8_t *out;
	uint32_t out_cap;
	uint8_t *tmp;            /* scratch for composing a new payload, tmp_cap bytes */
	uint32_t tmp_cap;
	help_expect_now_fn expect_now; /* NULL: expectations only ride in the verdict */
	void *expect_arg;
};

struct helper_proto {
	const char *name;          /* subcommand and default helper name */
	const char *summary;
	uint8_t l4;                /* IPPROTO_TCP / IPPROTO_UDP */
	uint16_t default_queue;
	uint32_t priv_data_len;    /* what the kernel keeps per conntrack for us (<= 32) */
	const struct cthelper_policy *policy; /* class 0 first */
	uint32_t npolicy;
	const struct helper_flag *flags;      /* NULL-terminated by name */
	size_t state_size;
	void (*help)(struct help_ctx *ctx, struct help_result *res);
};

/* The table: one entry per protocol file. */
const struct helper_proto *helper_find(const char *name);
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
/* One rate-limited -v line per expectation: what a user watching a helper wants to see. */
void help_log_expect(uint32_t ct_id, const struct ct_expect *e);
/* nf_nat_exp_find_port: create e (NATed) right away on port hint (a port this connection was
 * given before, or 0), else its own destination port, else another free one.  Returns the
 * port it got; 0 when every port tried is taken (the kernel then drops the packet); -1 when
 * synchronous creation is unavailable: e is unchanged and must ride in the verdict. */
int help_expect_nat(struct help_ctx *ctx, struct ct_expect *e, uint16_t hint);

#endif
