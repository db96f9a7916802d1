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

/* The kernel draws further candidates at random from [port, 65535); a hash of the connection
 * and the attempt is as good here and keeps the choice reproducible in tests. */
static uint16_t candidate(uint32_t id, uint16_t want, unsigned attempt)
{
	uint32_t range = 65535U - want, x = id * 2654435761U ^ (attempt * 0x9e3779b9U);

	x ^= x >> 15;
	x *= 0x85ebca6bU;
	x ^= x >> 13;
	return range ? (uint16_t)(want + x % range) : want;
}

int help_expect_nat(struct help_ctx *ctx, struct ct_expect *e, uint16_t hint)
{
	const unsigned max_attempts = 128;	/* as nf_nat_exp_find_port */
	uint16_t want = e->tuple.dport, port;
	int err = -EBUSY;

	if (!ctx->expect_now)
		return -1;
	for (unsigned i = 0; i <= max_attempts + 1; i++) {
		if (i == 0 && (!hint || hint == want))
			continue;
		port = i == 0 ? hint : i == 1 ? want : candidate(ctx->ct->id, want, i);
		e->tuple.dport = port;
		err = ctx->expect_now(ctx->expect_arg, &ctx->ct->tuple[CT_DIR_ORIGINAL], e);
		if (!err) {
			help_log_expect(ctx->ct->id, e);
			return port;
		}
		if (err != -EBUSY)
			break;
	}
	e->tuple.dport = want;
	return err == -EBUSY ? 0 : -1;
}
