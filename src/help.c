// SPDX-License-Identifier: GPL-2.0-or-later
/* help: what every protocol's help function shares — NAT state, expectation slots, and the
 * NAT port search of net/netfilter/nf_nat_helper.c (nf_nat_exp_find_port). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <string.h>
#include "helper.h"
#include "log.h"

bool help_ct_natted(const struct ct_info *ct)
{
	return ct->status & IPS_NAT_MASK;
}

struct ct_expect *help_expect_add(struct help_result *res)
{
	if (res->nexp >= HELP_EXP_MAX)
		return NULL;
	memset(&res->exp[res->nexp], 0, sizeof(res->exp[0]));
	return &res->exp[res->nexp++];
}

void help_expect_follow_master(const struct help_ctx *ctx, struct ct_expect *e,
			       const union ct_addr *addr, uint16_t port)
{
	e->fn = "nat-follow-master";
	e->nat = true;
	e->nat_dir = !ctx->dir;
	e->nat_tuple = e->tuple;
	e->nat_tuple.src = *addr;
	e->nat_tuple.sport = port;
}

void help_log_expect(uint32_t ct_id, const struct ct_expect *e)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	inet_ntop(e->tuple.l3, e->tuple.src.all, src, sizeof(src));
	inet_ntop(e->tuple.l3, e->tuple.dst.all, dst, sizeof(dst));
	if (e->nat)
		log_rl(LOG_INFO, "ct %u: expecting %s -> %s port %u, NATed on to port %u", ct_id, src, dst,
		       e->tuple.dport, e->nat_tuple.sport);
	else
		log_rl(LOG_INFO, "ct %u: expecting %s -> %s port %u", ct_id, src, dst, e->tuple.dport);
}

/* The ports tried after the announced one.  The kernel draws them at random above the
 * announced port; a walk over that range in an order keyed by the connection is as good,
 * never tries a port twice and keeps the choice reproducible in tests. */
struct port_walk {
	uint32_t v, step, mask, span, left;
};

static void walk_init(struct port_walk *w, uint32_t id, uint32_t span)
{
	uint32_t x = id * 2654435761U;

	x ^= x >> 15;
	w->mask = 1;
	while (w->mask < span)
		w->mask <<= 1;
	w->left = w->mask;
	w->mask -= 1;
	w->v = x & w->mask;
	w->step = ((x >> 7) | 1) & w->mask;	/* odd: visits every residue once */
	if (!w->step)
		w->step = 1;
	w->span = span;
}

static bool walk_next(struct port_walk *w, uint32_t *out)
{
	while (w->left) {
		w->left--;
		w->v = (w->v + w->step) & w->mask;
		if (w->v && w->v < w->span) {
			*out = w->v;
			return true;
		}
	}
	return false;
}

static void tx_add(struct help_result *res, const struct ct_expect *e)
{
	if (res->created < HELP_EXP_MAX)
		res->created_tuple[res->created++] = e->tuple;
	else
		log_rl(LOG_WARNING, "more than %d expectations for one packet: a drop would leave one",
		       HELP_EXP_MAX);
}

/* nf_nat_exp_find_port for one expectation (e2 NULL) or a pair on consecutive ports: the
 * announced port first, then up to 128 others, never more than the range above it holds. */
static int find_port(struct help_ctx *ctx, struct ct_expect *e1, struct ct_expect *e2,
		     struct help_result *res)
{
	const struct ct_tuple *master = &ctx->ct->tuple[CT_DIR_ORIGINAL];
	uint16_t zone = ctx->ct->zone;
	unsigned step = e2 ? 2 : 1;
	uint16_t want = e2 ? e1->tuple.dport & ~1U : e1->tuple.dport;
	uint32_t span = (65535U - want - (step - 1)) / step + 1, v = 0;
	struct port_walk w;
	int err = -EBUSY;

	walk_init(&w, ctx->ct->id, span);
	for (unsigned tries = 0; tries <= 128; tries++) {
		if (tries && !walk_next(&w, &v))
			break;
		e1->tuple.dport = (uint16_t)(want + step * v);
		err = ctx->ops->create(ctx->ops_arg, zone, master, e1);
		if (!err && e2) {
			e2->tuple.dport = e1->tuple.dport + 1;
			err = ctx->ops->create(ctx->ops_arg, zone, master, e2);
			/* As nf_nat_sip: the first of a pair goes again when the second fails. */
			if (err)
				ctx->ops->del(ctx->ops_arg, zone, &e1->tuple);
		}
		if (!err) {
			tx_add(res, e1);
			if (e2)
				tx_add(res, e2);
			return e1->tuple.dport;
		}
		if (err != -EBUSY)
			break;
	}
	return err == -EBUSY ? 0 : -1;
}

/* ctnetlink finds a master only once it is confirmed: the first packet of a connection (a
 * UDP SIP INVITE) cannot have its expectations made, let alone searched for a port, before
 * its verdict (help_result.unconfirmed). */
static bool sync_possible(const struct help_ctx *ctx)
{
	return ctx->ops && (ctx->ct->status & IPS_CONFIRMED);
}

int help_expect_nat(struct help_ctx *ctx, struct ct_expect *e, struct help_result *res)
{
	uint16_t want = e->tuple.dport;
	int port;

	if (!sync_possible(ctx))
		return -1;
	port = find_port(ctx, e, NULL, res);
	if (port > 0)
		help_log_expect(ctx->ct->id, e);
	else
		e->tuple.dport = want;
	return port;
}

int help_expect_nat_pair(struct help_ctx *ctx, struct ct_expect *e1, struct ct_expect *e2,
			 struct help_result *res)
{
	uint16_t w1 = e1->tuple.dport, w2 = e2->tuple.dport;
	int port;

	if (!sync_possible(ctx))
		return -1;
	port = find_port(ctx, e1, e2, res);
	if (port <= 0) {
		e1->tuple.dport = w1;
		e2->tuple.dport = w2;
	}
	return port;
}

int help_expect_flush(struct help_ctx *ctx, uint32_t class)
{
	if (!ctx->ops || !ctx->ops->flush)
		return -1;
	return ctx->ops->flush(ctx->ops_arg, ctx->ct->zone, &ctx->ct->tuple[CT_DIR_ORIGINAL], class);
}

void help_expect_rollback(struct help_ctx *ctx, struct help_result *res)
{
	for (unsigned i = 0; ctx->ops && i < res->created && i < HELP_EXP_MAX; i++) {
		int err = ctx->ops->del(ctx->ops_arg, ctx->ct->zone, &res->created_tuple[i]);

		if (err && err != -ENOENT)
			log_rl(LOG_WARNING, "ct %u: cannot remove an expectation of a dropped packet: %s",
			       ctx->ct->id, strerror(-err));
	}
	res->created = 0;
}

void help_refuse(const struct help_ctx *ctx, struct help_result *res, struct log_rl_state *rl,
		 const char *proto, const char *what, const char *tail)
{
	const struct ct_tuple *t = &ctx->ct->tuple[CT_DIR_ORIGINAL];
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	res->refused++;
	/* A warning: the peer's request will fail, and this line says why.  Rate-limited before
	 * formatting, so a flood of garbage costs no more than its count. */
	if (!log_enabled(LOG_WARNING) || !log_rl_allow(rl))
		return;
	inet_ntop(t->l3, t->src.all, src, sizeof(src));
	inet_ntop(t->l3, t->dst.all, dst, sizeof(dst));
	log_msg(LOG_WARNING, "%s: ct %u %s port %u -> %s port %u: %s%s", proto, ctx->ct->id,
		src, t->sport, dst, t->dport, what, tail);
}
