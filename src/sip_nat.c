// SPDX-License-Identifier: GPL-2.0-or-later
/* sip_nat: the SIP headers NAT rewrites — Request-URI, the top Via with maddr=, received=
 * and rport=, every Contact, From and To — only where they name one end of this connection,
 * and Content-Length after the SDP changed.  Mirrors nf_nat_sip.c (map_addr, nf_nat_sip,
 * mangle_content_len); RFC 3261 18.2.1 (received), RFC 3581 (rport). */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "sip.h"

int sip_nat_map(const struct sip_run *r, const struct sip_hostport *hp, char *buf, size_t cap)
{
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	const struct ct_tuple *there = &r->ctx->ct->tuple[!r->ctx->dir];
	uint16_t port = hp->port ? hp->port : SIP_PORT, np;
	union ct_addr a;
	const union ct_addr *na;

	if (!hp->text.len || !sip_addr_get(r, hp->family, hp->addr, &a))
		return 0;	/* a name: never rewritten */
	if (!memcmp(a.all, here->src.all, 16) && port == here->sport) {
		na = &there->dst;	/* the sender, as the receiver sees it */
		np = there->dport;
	} else if (!memcmp(a.all, here->dst.all, 16) && port == here->dport) {
		na = &there->src;	/* the receiver, as it really is */
		np = r->k.forced_dport ? r->k.forced_dport : there->sport;
	} else {
		return 0;
	}
	if (!memcmp(na->all, a.all, 16) && np == port)
		return 0;
	return sip_fmt_addr(here->l3, na, true, np, buf, cap);
}

static void map_field(struct sip_run *r, const struct sip_hostport *hp)
{
	char buf[64];
	int n = sip_nat_map(r, hp, buf, sizeof(buf));

	if (n)
		sip_edit(r, &hp->text, buf, n);
}

/* The top Via of a request names its sender, of a response its receiver: only then is it
 * this connection's to rewrite, and with it the parameters the server added. */
static void nat_via(struct sip_run *r)
{
	const struct sip_msg *m = r->m;
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	const struct ct_tuple *there = &r->ctx->ct->tuple[!r->ctx->dir];
	uint8_t want = here->l4 == IPPROTO_TCP ? SIP_T_TCP : SIP_T_UDP;
	uint16_t port = m->via.port ? m->via.port : SIP_PORT;
	bool req = m->method != SIP_M_NONE;
	union ct_addr a;
	char buf[64];

	if (m->via_transport != want || !sip_addr_get(r, m->via.family, m->via.addr, &a))
		return;
	if (memcmp(a.all, (req ? &here->src : &here->dst)->all, 16) ||
	    port != (req ? here->sport : here->dport))
		return;
	map_field(r, &m->via);
	/* maddr= (where the reply goes, RFC 3261 18.2.2): this side's address as seen there */
	if (sip_addr_get(r, m->via_maddr.family, m->via_maddr.addr, &a) &&
	    !memcmp(a.all, here->src.all, 16) && memcmp(a.all, there->dst.all, 16))
		sip_edit(r, &m->via_maddr.text, buf,
			 sip_fmt_addr(here->l3, &there->dst, r->pay[m->via_maddr.text.off] == '[', -1,
				      buf, sizeof(buf)));
	/* received= (where the server got the request from): the real receiver */
	if (sip_addr_get(r, m->via_received.family, m->via_received.addr, &a) &&
	    !memcmp(a.all, here->dst.all, 16) && memcmp(a.all, there->src.all, 16))
		sip_edit(r, &m->via_received.text, buf,
			 sip_fmt_addr(here->l3, &there->src, r->pay[m->via_received.text.off] == '[', -1,
				      buf, sizeof(buf)));
	/* rport= (RFC 3581 4): the port the server saw, back to the real one */
	if (m->via_rport.len && m->via_rport_val == here->dport && m->via_rport_val != there->sport)
		sip_edit(r, &m->via_rport, buf, snprintf(buf, sizeof(buf), "%u", there->sport));
}

void sip_nat_headers(struct sip_run *r)
{
	const struct sip_msg *m = r->m;

	if (m->method != SIP_M_NONE)
		map_field(r, &m->ruri);
	nat_via(r);
	for (unsigned i = 0; i < m->ncontact && i < SIP_CONTACT_MAX; i++)
		if (!(r->contact_done & 1U << i))
			map_field(r, &m->contact[i].uri);
	map_field(r, &m->from);
	map_field(r, &m->to);
}

void sip_nat_clen(struct sip_run *r)
{
	const struct sip_msg *m = r->m;
	char buf[16];

	if (!r->body_delta || !m->has_clen || r->why)
		return;
	sip_edit(r, &m->clen_text, buf, snprintf(buf, sizeof(buf), "%u",
						 (uint32_t)((int64_t)m->clen + r->body_delta)));
}
