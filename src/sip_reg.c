// SPDX-License-Identifier: GPL-2.0-or-later
/* sip_reg: a REGISTER opens the way for calls to the phone (an inactive expectation for its
 * Contact), the registrar's 2xx activates it, a failure or expiry 0 removes it.  Mirrors
 * nf_conntrack_sip.c (process_register_request, process_register_response,
 * refresh_signalling_expectation) and nf_nat_sip.c (nf_nat_sip_expect); RFC 3261 10. */
#include <netinet/in.h>
#include <errno.h>
#include <string.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "log.h"
#include "sip.h"

/* The transport a Contact asks for, which must be the connection's own (ct_sip_parse_transport);
 * 0 when it is another. */
static uint8_t contact_proto(const struct sip_run *r, const struct sip_contact *c)
{
	uint8_t l4 = r->ctx->ct->tuple[0].l4;

	if (c->transport == SIP_T_NONE)
		return l4;
	if ((c->transport == SIP_T_UDP && l4 == IPPROTO_UDP) || (c->transport == SIP_T_TCP && l4 == IPPROTO_TCP))
		return l4;
	return 0;
}

/* nf_nat_sip_expect: the expectation on the address the registrar reaches, on the port NAT
 * gave the phone's signalling port (else the Contact's), the Contact rewritten to match. */
static void reg_nat(struct sip_run *r, struct ct_expect *e, unsigned idx, const union ct_addr *a)
{
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	const struct ct_tuple *there = &r->ctx->ct->tuple[!r->ctx->dir];
	uint16_t port = e->tuple.dport, src = r->k.forced_dport ? r->k.forced_dport : here->sport;
	char buf[64];
	int got;

	sip_expect_natfn(r, e, a, port);
	if (memcmp(here->src.all, there->dst.all, 16))
		e->tuple.dst = there->dst;
	e->tuple.dport = port == src ? there->dport : port;
	got = sip_expect_nat(r, e, NULL);
	if (got == 0)
		return sip_fail(r, "all ports in use for SIP");
	if (got < 0) {
		sip_expect_plain(r, e);
		got = e->tuple.dport;
	}
	if (!memcmp(e->tuple.dst.all, a->all, 16) && got == port)
		return;
	if (sip_edit(r, &r->m->contact[idx].uri.text, buf,
		     sip_fmt_addr(here->l3, &e->tuple.dst, true, got, buf, sizeof(buf))))
		r->contact_done |= 1U << idx;
}

void sip_reg_request(struct sip_run *r)
{
	const struct sip_msg *m = r->m;
	const struct ct_info *ct = r->ctx->ct;
	const struct ct_tuple *here = &ct->tuple[r->ctx->dir], *there = &ct->tuple[!r->ctx->dir];
	uint32_t expires = m->has_expires ? m->expires : 0;
	const struct sip_contact *c = NULL;
	struct ct_expect e;
	union ct_addr a;
	uint16_t port;
	uint8_t proto;
	unsigned i;

	if (ct->status & IPS_EXPECTED)
		return;	/* a connection that came in through a registration registers nothing */
	/* The first Contact that names an address of the connection's family (the kernel's
	 * ct_sip_parse_header_uri skips names). */
	for (i = 0; i < m->ncontact && i < SIP_CONTACT_MAX && !c; i++)
		if (sip_addr_get(r, m->contact[i].uri.family, m->contact[i].uri.addr, &a))
			c = &m->contact[i];
	if (!c)
		return;
	i--;
	if (memcmp(a.all, here->src.all, 16))
		return sip_fail(r, "a third-party registration (Contact is not the sender)");
	if (!(proto = contact_proto(r, c)))
		return;
	if (c->has_expires)
		expires = c->expires;	/* the Contact's own expires= wins (RFC 3261 10.2.1.1) */
	if (expires) {
		port = c->uri.port ? c->uri.port : SIP_PORT;
		ct_expect_init(&e, SIP_CLASS_SIGNALLING, here->l3,
			       r->ctx->cfg->opt[SIP_OPT_DIRECT_SIGNALLING] ? &there->src : NULL,
			       &a, proto, NULL, &port);
		e.flags = NF_CT_EXPECT_PERMANENT | NF_CT_EXPECT_INACTIVE;
		e.helper = r->ctx->cfg->name;	/* the incoming call is SIP: parsed here */
		if (r->nat)
			reg_nat(r, &e, i, &a);
		else
			sip_expect_plain(r, &e);
		if (r->why)
			return;
		r->k.reg_port = port;
	}
	r->k.register_cseq = m->cseq;
}

/* refresh_signalling_expectation: userspace cannot clear INACTIVE in place (ctnetlink changes
 * only an existing expectation's timeout), so the inactive one goes and an active one takes its
 * tuple.  False when there was none to activate. */
static bool reg_activate(struct sip_run *r, const union ct_addr *a, uint8_t proto, uint16_t port)
{
	struct help_ctx *ctx = r->ctx;
	const struct ct_tuple *here = &ctx->ct->tuple[ctx->dir], *there = &ctx->ct->tuple[!ctx->dir];
	struct ct_expect e;
	int err;

	ct_expect_init(&e, SIP_CLASS_SIGNALLING, here->l3,
		       ctx->cfg->opt[SIP_OPT_DIRECT_SIGNALLING] ? &here->src : NULL, a, proto, NULL, &port);
	e.flags = NF_CT_EXPECT_PERMANENT;
	e.helper = ctx->cfg->name;
	if (r->nat) {
		/* as the REGISTER set it up: on to the phone's own address and Contact port */
		sip_expect_natfn(r, &e, &there->src, r->k.reg_port ? r->k.reg_port : port);
		e.nat_dir = ctx->dir;
	}
	if (!ctx->ops) {
		/* In the verdict: nf_ct_expect_related replaces the master's own of that tuple. */
		sip_expect_plain(r, &e);
		return true;
	}
	err = ctx->ops->del(ctx->ops_arg, ctx->ct->zone, &e.tuple);
	if (err)
		return false;
	/* Not part of the message's transaction: the inactive one is gone already. */
	err = ctx->ops->create(ctx->ops_arg, ctx->ct->zone, &ctx->ct->tuple[CT_DIR_ORIGINAL], &e);
	if (err)
		log_rl(LOG_WARNING, "sip: ct %u: cannot activate the registration's expectation: %s",
		       ctx->ct->id, strerror(-err));
	else
		help_log_expect(ctx->ct->id, &e);
	return true;
}

void sip_reg_response(struct sip_run *r)
{
	const struct sip_msg *m = r->m;
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	uint32_t expires = m->has_expires ? m->expires : 0;

	/* Only the answer to the REGISTER that opened it (a late answer to an older one is not). */
	if (r->k.register_cseq != m->cseq || m->status < 200)
		return;
	for (unsigned i = 0; m->status < 300 && i < m->ncontact && i < SIP_CONTACT_MAX; i++) {
		const struct sip_contact *c = &m->contact[i];
		uint32_t c_expires = c->has_expires ? c->expires : expires;
		union ct_addr a;
		uint8_t proto;

		/* The binding of this phone: its address as the registrar sees it. */
		if (!sip_addr_get(r, c->uri.family, c->uri.addr, &a) || memcmp(a.all, here->dst.all, 16) ||
		    !(proto = contact_proto(r, c)))
			continue;
		if (!c_expires)
			break;
		if (reg_activate(r, &a, proto, c->uri.port ? c->uri.port : SIP_PORT))
			return;
	}
	help_expect_flush(r->ctx, SIP_CLASS_SIGNALLING);
}
