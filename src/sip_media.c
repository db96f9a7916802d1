// SPDX-License-Identifier: GPL-2.0-or-later
/* sip_media: an SDP offer or answer to RTP/RTCP expectations, and under NAT the SDP's
 * addresses and ports.  Mirrors nf_conntrack_sip.c (process_sdp, set_expected_rtp_rtcp,
 * flush_expectations) and nf_nat_sip.c (nf_nat_sdp_media, _addr, _port, _session);
 * RFC 4566 5.7 and 5.14, RFC 3550 11 (RTCP on the next port up). */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "sip.h"

/* The kernel acts on the first three media with a port and a known type (its loop runs once
 * per entry of sdp_media_types). */
#define SIP_MEDIA_MAX 3

static const uint32_t media_class[] = {
	[SDP_MEDIA_AUDIO] = SIP_CLASS_AUDIO,
	[SDP_MEDIA_VIDEO] = SIP_CLASS_VIDEO,
	[SDP_MEDIA_IMAGE] = SIP_CLASS_IMAGE,
};

void sip_media_flush(struct sip_run *r)
{
	for (uint32_t c = SIP_CLASS_AUDIO; c < SIP_CLASSES; c++)
		help_expect_flush(r->ctx, c);
}

/* Replace the text of an SDP address by a (no brackets in SDP, RFC 4566 9) unless equal. */
static void sdp_addr_set(struct sip_run *r, const struct sip_addr *field, const union ct_addr *a)
{
	uint8_t l3 = r->ctx->ct->tuple[0].l3;
	union ct_addr old;
	char text[64];

	if (!sip_addr_get(r, field->family, field->addr, &old) || !memcmp(old.all, a->all, 16))
		return;
	sip_edit(r, &field->text, text, sip_fmt_addr(l3, a, false, -1, text, sizeof(text)));
}

/* nf_nat_sdp_media: the pair on the address the peer reaches, the port pair NAT finds (the
 * announced one when free), saved where the expectfn sends the media on; the m= port follows.
 * Returns the address the SDP must name, or NULL when the media get no expectation. */
static const union ct_addr *media_nat(struct sip_run *r, const struct sdp_media *md, struct ct_expect *e,
				      const union ct_addr *rtp, union ct_addr *to)
{
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	const struct ct_tuple *there = &r->ctx->ct->tuple[!r->ctx->dir];
	uint16_t base = e[0].tuple.dport;
	char text[8];
	int port;

	/* nat-follow-master sends a child to the master's own host: media another host
	 * receives would go astray (the kernel's "sip" expectfn sends them to the saved one). */
	if (strcmp(sip_expectfn, "sip") && memcmp(rtp->all, here->src.all, 16)) {
		log_rl(LOG_INFO, "sip: ct %u: media for another host under NAT need nf_nat_sip; none expected",
		       r->ctx->ct->id);
		return NULL;
	}
	/* The connection comes from the reply side: to this side's address as the peer sees it. */
	*to = !memcmp(here->src.all, there->dst.all, 16) ? *rtp : there->dst;
	for (int k = 0; k < 2; k++) {
		e[k].tuple.dst = *to;
		sip_expect_natfn(r, &e[k], rtp, (uint16_t)(base + k));
	}
	port = sip_expect_nat(r, &e[0], &e[1]);
	if (port == 0) {
		sip_fail(r, "all ports in use for SDP media");
		return NULL;
	}
	if (port < 0) {	/* no synchronous creation: the verdict carries them, ports unchanged */
		sip_expect_plain(r, &e[0]);
		sip_expect_plain(r, &e[1]);
	} else if (port != base) {
		sip_edit(r, &md->port_text, text, snprintf(text, sizeof(text), "%d", port));
	}
	return to;
}

/* set_expected_rtp_rtcp for one m= line whose media go to rtp.  Returns the address the SDP
 * must name instead under NAT, or NULL. */
static const union ct_addr *media_expect(struct sip_run *r, const struct sdp_media *md,
					 const union ct_addr *rtp, union ct_addr *to)
{
	const struct ct_info *ct = r->ctx->ct;
	const struct ct_tuple *here = &ct->tuple[r->ctx->dir], *there = &ct->tuple[!r->ctx->dir];
	const union ct_addr *saddr = NULL;
	uint16_t rtp_port = (uint16_t)(md->port & 0xfffe), rtcp_port = (uint16_t)(rtp_port + 1);
	struct ct_expect e[2];

	/* Direct media: only media for the announcing host itself, from its peer. */
	if (r->ctx->cfg->opt[SIP_OPT_DIRECT_MEDIA]) {
		if (memcmp(rtp->all, here->src.all, 16))
			return NULL;
		saddr = &there->src;
	}
	ct_expect_init(&e[0], media_class[md->type], here->l3, saddr, rtp, IPPROTO_UDP, NULL, &rtp_port);
	ct_expect_init(&e[1], media_class[md->type], here->l3, saddr, rtp, IPPROTO_UDP, NULL, &rtcp_port);
	if (r->nat)
		return media_nat(r, md, e, rtp, to);
	sip_expect_plain(r, &e[0]);
	sip_expect_plain(r, &e[1]);
	return NULL;
}

/* nf_nat_sdp_session: o= and the session c= name the address of the last media NATed (this
 * side's address as the peer sees it when none was).  Only when they name this side's own
 * address, or the session c= was the address of NATed media: never another host's. */
static void media_session(struct sip_run *r, const union ct_addr *last, bool c_moved)
{
	const struct sdp_info *sdp = &r->m->sdp;
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	const union ct_addr *to = last ? last : &r->ctx->ct->tuple[!r->ctx->dir].dst;
	union ct_addr a;

	if (sip_addr_get(r, sdp->o.family, sdp->o.addr, &a) && !memcmp(a.all, here->src.all, 16))
		sdp_addr_set(r, &sdp->o, to);
	if (sip_addr_get(r, sdp->c.family, sdp->c.addr, &a) &&
	    (c_moved || !memcmp(a.all, here->src.all, 16)))
		sdp_addr_set(r, &sdp->c, to);
}

void sip_media_process(struct sip_run *r)
{
	const struct sdp_info *sdp = &r->m->sdp;
	union ct_addr caddr, maddr, to, last;
	const union ct_addr *moved;
	bool has_c, has_last = false, c_moved = false;
	unsigned done = 0;

	if (!sdp->present)
		return;
	/* Only a c= of the connection's family counts (the kernel looks for "IN IP4" on IPv4). */
	has_c = sip_addr_get(r, sdp->c.family, sdp->c.addr, &caddr);
	for (unsigned i = 0; i < sdp->nmedia && i < SDP_MEDIA_MAX && done < SIP_MEDIA_MAX && !r->why; i++) {
		const struct sdp_media *md = &sdp->media[i];
		bool has_m;

		if (md->type == SDP_MEDIA_OTHER || md->type >= sizeof(media_class) / sizeof(media_class[0]) ||
		    !md->port)
			continue;	/* port 0: the stream is inactive (RFC 3264 5.1) */
		/* The 2026 kernel refuses media on privileged ports: a call must not open them. */
		if (md->port < 1024)
			return sip_fail(r, "media port below 1024");
		has_m = sip_addr_get(r, md->c.family, md->c.addr, &maddr);
		if (!has_m && !has_c)
			return sip_fail(r, "media without a connection address");
		moved = media_expect(r, md, has_m ? &maddr : &caddr, &to);
		if (moved) {
			last = *moved;
			has_last = true;
			if (has_m)
				sdp_addr_set(r, &md->c, moved);
			else
				c_moved = true;
		}
		done++;
	}
	if (r->nat && !r->why)
		media_session(r, has_last ? &last : NULL, c_moved);
}
