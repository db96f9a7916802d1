// SPDX-License-Identifier: GPL-2.0-or-later
/* sip: the SIP helper — each message's method (or its answer's CSeq method) decides what it
 * opens or closes: media from SDP, the signalling expectation of a REGISTER; under NAT the
 * message is rewritten as nf_nat_sip does.  Mirrors net/netfilter/nf_conntrack_sip.c
 * (process_sip_msg and the handlers) and nf_nat_sip.c; RFC 3261, RFC 4566. */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "dgram.h"
#include "log.h"
#include "sip.h"

const char *sip_expectfn = "nat-follow-master";

/* nf_nat_sip registers the "sip" expectfn; its module appears here once loaded. */
const char *sip_nat_module_path = "/sys/module/nf_nat_sip";

void sip_start(const struct helper_cfg *cfg)
{
	(void)cfg;
	if (access(sip_nat_module_path, F_OK) == 0) {
		sip_expectfn = "sip";
		return;
	}
	sip_expectfn = "nat-follow-master";
	log_msg(LOG_WARNING, "sip: nf_nat_sip is not loaded, NATed calls use nat-follow-master: "
		"media sent directly between two user agents, media to another host than the "
		"signalling one and media whose port NAT moved lose their return path; for the "
		"full behaviour run 'modprobe nf_conntrack_sip ports=5061' and 'modprobe nf_nat_sip' "
		"before nfhelper");
}

bool sip_addr_get(const struct sip_run *r, uint8_t family, const uint8_t *addr, union ct_addr *out)
{
	uint8_t l3 = r->ctx->ct->tuple[0].l3;

	if (family != (l3 == AF_INET ? 4 : 6))
		return false;
	memset(out, 0, sizeof(*out));
	memcpy(out->all, addr, family == 4 ? 4 : 16);
	return true;
}

int sip_fmt_addr(uint8_t l3, const union ct_addr *a, bool brackets, int port, char *buf, size_t cap)
{
	char s[INET6_ADDRSTRLEN];
	int n;

	if (!inet_ntop(l3, a->all, s, sizeof(s)))
		return -1;
	if (l3 == AF_INET6 && brackets)
		n = port >= 0 ? snprintf(buf, cap, "[%s]:%d", s, port) : snprintf(buf, cap, "[%s]", s);
	else
		n = port >= 0 ? snprintf(buf, cap, "%s:%d", s, port) : snprintf(buf, cap, "%s", s);
	return n > 0 && (size_t)n < cap ? n : -1;
}

bool sip_edit(struct sip_run *r, const struct sip_span *span, const char *text, int len)
{
	if (r->why)
		return false;
	if (len < 0 || !span->len || edit_set_add(r->es, span->off, span->len, text, (uint32_t)len)) {
		sip_fail(r, "the rewrite does not fit");
		return false;
	}
	if (span->off >= r->m->start + r->m->body_off)
		r->body_delta += len - (int32_t)span->len;
	return true;
}

void sip_fail(struct sip_run *r, const char *why)
{
	if (!r->why)
		r->why = why;
}

void sip_expect_plain(struct sip_run *r, const struct ct_expect *e)
{
	struct ct_expect *slot = help_expect_add(r->res);

	if (!slot)
		sip_fail(r, "too many expectations for one message");
	else
		*slot = *e;
}

void sip_expect_natfn(const struct sip_run *r, struct ct_expect *e, const union ct_addr *saved,
		      uint16_t port)
{
	help_expect_follow_master(r->ctx, e, saved, port);
	e->fn = sip_expectfn;
}

int sip_expect_nat(struct sip_run *r, struct ct_expect *e1, struct ct_expect *e2)
{
	struct help_ctx *ctx = r->ctx;
	int port = e2 ? help_expect_nat_pair(ctx, e1, e2, r->res) : help_expect_nat(ctx, e1, r->res);

	if (port >= 0 || !ctx->ops || strcmp(e1->fn, "sip"))
		return port;
	/* The kernel refuses an expectfn it does not know (EINVAL): nf_nat_sip went away after
	 * start-up.  Try the one nf_nat_core always has; if that works, keep to it. */
	e1->fn = "nat-follow-master";
	if (e2)
		e2->fn = e1->fn;
	port = e2 ? help_expect_nat_pair(ctx, e1, e2, r->res) : help_expect_nat(ctx, e1, r->res);
	if (port >= 0 && !strcmp(sip_expectfn, "sip")) {
		sip_expectfn = "nat-follow-master";
		log_msg(LOG_WARNING, "sip: the kernel refuses the \"sip\" expectfn (nf_nat_sip unloaded?); "
			"NATed calls use nat-follow-master from now on");
	}
	return port;
}

static void sip_refuse(const struct help_ctx *ctx, struct help_result *res, const char *what)
{
	static struct log_rl_state rl;

	help_refuse(ctx, res, &rl, "sip", what, "; the message passes unchanged");
}

/* Many phones send requests from a high port but take replies on the port their Via names:
 * nf_nat_sip then sends replies there (forced_dport). */
static void sip_forced_dport(struct sip_run *r)
{
	const struct sip_msg *m = r->m;
	const struct ct_tuple *here = &r->ctx->ct->tuple[r->ctx->dir];
	uint16_t port = m->via.port ? m->via.port : SIP_PORT;
	union ct_addr a;

	if (m->via_transport != SIP_T_UDP || !sip_addr_get(r, m->via.family, m->via.addr, &a))
		return;
	if (port != here->sport && !memcmp(a.all, here->src.all, 16))
		r->k.forced_dport = port;
}

static void sip_request(struct sip_run *r)
{
	const struct sip_msg *m = r->m;

	sip_forced_dport(r);
	switch (m->method) {
	case SIP_M_INVITE: case SIP_M_UPDATE: case SIP_M_ACK: case SIP_M_PRACK:
	case SIP_M_BYE: case SIP_M_REGISTER:
		if (!m->cseq)
			return sip_fail(r, "CSeq 0");
		break;
	default:
		return;
	}
	switch (m->method) {
	case SIP_M_INVITE:
		sip_media_flush(r);
		sip_media_process(r);
		if (!r->why)
			r->k.invite_cseq = m->cseq;
		break;
	case SIP_M_UPDATE: case SIP_M_ACK: case SIP_M_PRACK:
		sip_media_process(r);
		break;
	case SIP_M_BYE:
		sip_media_flush(r);
		break;
	default:
		sip_reg_request(r);
	}
}

static void sip_response(struct sip_run *r)
{
	const struct sip_msg *m = r->m;

	if (!m->cseq)
		return sip_fail(r, "a response without CSeq");
	switch (m->cseq_method) {
	case SIP_M_INVITE: case SIP_M_UPDATE: case SIP_M_PRACK:
		if (m->status < 300)
			sip_media_process(r);
		else if (r->k.invite_cseq == m->cseq)
			sip_media_flush(r);
		break;
	case SIP_M_REGISTER:
		sip_reg_response(r);
		break;
	default:
		break;
	}
}

/* The kernel's private data as it stands (zero when absent or short: a new connection). */
static void sip_kstate_load(const struct help_ctx *ctx, struct sip_kstate *k)
{
	memset(k, 0, sizeof(*k));
	if (ctx->ct->help_info && ctx->ct->help_info_len >= sizeof(*k))
		memcpy(k, ctx->ct->help_info, sizeof(*k));
}

/* One whole message m in the payload: handled all or nothing. */
static void sip_msg_handle(struct help_ctx *ctx, struct help_result *res, const struct sip_msg *m)
{
	static struct sip_conn spare;	/* when the table has no state (never in practice) */
	struct sip_conn *conn = ctx->state ? ctx->state : &spare;
	struct edit_set es;
	struct sip_run r = { .ctx = ctx, .res = res, .m = m, .pay = ctx->data + ctx->pkt.off,
			     .es = &es, .nat = help_ct_natted(ctx->ct) };
	unsigned nexp = res->nexp;
	int32_t dport = -1;

	sip_kstate_load(ctx, &r.k);
	dgram_edits_init(&es, &ctx->pkt);
	edit_set_begin(&es);
	if (m->method != SIP_M_NONE)
		sip_request(&r);
	else
		sip_response(&r);
	if (!r.why && r.nat) {
		sip_nat_headers(&r);
		sip_nat_clen(&r);
		if (ctx->dir == CT_DIR_REPLY && r.k.forced_dport)
			dport = r.k.forced_dport;
	}
	if (edit_set_commit(&es) && !r.why)
		r.why = "the rewrite does not fit";
	if (!r.why && dgram_emit(ctx, &es, dport, res) < 0)
		r.why = "the rewritten datagram cannot be written";
	if (r.why) {
		help_expect_rollback(ctx, res);
		res->nexp = nexp;
		res->payload = NULL;
		res->payload_len = 0;
		sip_refuse(ctx, res, r.why);
		return;
	}
	/* dispatch sends it only when the kernel's copy differs */
	conn->k = r.k;
	res->help_info = (const uint8_t *)&conn->k;
	res->help_info_len = sizeof(conn->k);
}

static void sip_help_udp(struct help_ctx *ctx, struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	struct sip_parser parser;
	struct sip_msg m;
	enum sip_result rc;
	size_t used = 0;
	char why[64];

	if (!p->len)
		return;
	/* nf_conntrack_sip refreshes the connection on every datagram with data. */
	res->ct_timeout = ctx->cfg->opt[SIP_OPT_TIMEOUT];
	if (p->len < sizeof("SIP/2.0 200") - 1)
		return;	/* keep-alives (RFC 5626 4.4.1: CRLF) and the like */
	sip_parser_init(&parser, 0, true);
	rc = sip_parser_execute(&parser, ctx->data + p->off, p->len, &used, &m);
	if (rc != SIP_MSG) {
		snprintf(why, sizeof(why), "malformed message (%s)",
			 rc == SIP_BAD ? sip_bad_str((enum sip_bad)parser.bad) : "incomplete");
		sip_refuse(ctx, res, why);
		return;
	}
	sip_msg_handle(ctx, res, &m);
}

/* The connection a REGISTER's expectation lets in goes to the Contact the phone registered,
 * its own address (third-party registrations are refused) and its signalling port: after
 * any NAT, the child's reply comes from there.  Media go to RTP ports of their own. */
static bool sip_help_expected(const struct helper_cfg *cfg, const struct ct_info *ct)
{
	const struct ct_tuple *back = &ct->tuple[CT_DIR_REPLY], *m = &ct->master;

	(void)cfg;
	return back->l4 == m->l4 && back->l3 == m->l3 && !memcmp(back->src.all, m->src.all, 16) &&
	       (back->sport == m->sport || back->sport == SIP_PORT);
}

static const struct cthelper_policy sip_policy[] = {
	/* nf_conntrack_sip.c sip_exp_policy: classes in its order, its limits */
	[SIP_CLASS_SIGNALLING] = { .name = "signalling", .max_expected = 1, .timeout = 3 * 60 },
	[SIP_CLASS_AUDIO] = { .name = "audio", .max_expected = 4, .timeout = 3 * 60 },
	[SIP_CLASS_VIDEO] = { .name = "video", .max_expected = 4, .timeout = 3 * 60 },
	[SIP_CLASS_IMAGE] = { .name = "image", .max_expected = 2, .timeout = 3 * 60 },
};

static const struct helper_opt sip_opts[] = {
	[SIP_OPT_TIMEOUT] = { "sip-timeout", HELPER_OPT_UINT, 1, 604800, 3600,
			      "seconds a SIP connection lives after its last message (nf_conntrack_sip's sip_timeout)" },
	[SIP_OPT_DIRECT_SIGNALLING] = { "direct-signalling", HELPER_OPT_UINT, 0, 1, 1,
					"1: calls to a registered phone only from its registrar (sip_direct_signalling)" },
	[SIP_OPT_DIRECT_MEDIA] = { "direct-media", HELPER_OPT_UINT, 0, 1, 1,
				   "1: media only from the signalling peer to the announcing host (sip_direct_media)" },
	[SIP_OPT_EXTERNAL_MEDIA] = { "external-media", HELPER_OPT_UINT, 0, 1, 0,
				     "accepted for sip_external_media; not applied (no route lookup)" },
};

static const struct helper_l4 sip_l4[] = { { IPPROTO_UDP, sip_help_udp } };

const struct helper_proto sip_proto = {
	.name = "sip",
	.summary = "SIP over UDP: SDP media, REGISTER signalling, with NAT",
	.default_queue = 5060,
	.l4 = sip_l4,
	.nl4 = ARRAY_SIZE(sip_l4),
	.priv_data_len = HELPER_PRIV_DATA_LEN(struct sip_kstate),
	.policy = sip_policy,
	.npolicy = ARRAY_SIZE(sip_policy),
	.opts = sip_opts,
	.nopts = ARRAY_SIZE(sip_opts),
	.state_size = sizeof(struct sip_conn),
	/* no destroy: the state holds nothing outside its slot in the table */
	.help_expected = sip_help_expected,
	.start = sip_start,
	.backend = &cthelper_backend,
};
