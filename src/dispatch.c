// SPDX-License-Identifier: GPL-2.0-or-later
/* dispatch: queued packet → help function → verdict; the packet path fails open.
 * Mirrors what nf_conntrack_helper's help hook does around a helper's help() call. */
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <stdlib.h>
#include <string.h>
#include "dispatch.h"
#include "log.h"
#include "queue.h"
#include "stream.h"

static void dispatch_release(void *state, void *arg)
{
	struct dispatch *dp = arg;

	if (dp->proto->destroy)
		dp->proto->destroy(&dp->pool, state);
}

/* One pool block per sixteen connections, at least 64: held-back messages are rare and short
 * lived, and journals only exist for connections whose payload was rewritten. */
static uint32_t pool_count(const struct helper_cfg *cfg)
{
	return cfg->max_conns / 16 > 64 ? cfg->max_conns / 16 : 64;
}

int dispatch_init(struct dispatch *dp, const struct helper_proto *proto, const struct helper_cfg *cfg)
{
	int err;

	memset(dp, 0, sizeof(*dp));
	dp->proto = proto;
	dp->cfg = cfg;
	err = conn_table_init(&dp->conns, cfg->max_conns, proto->state_size);
	if (err < 0)
		return err;
	dp->conns.release = dispatch_release;
	dp->conns.release_arg = dp;
	if (proto->stream && (err = pool_init(&dp->pool, pool_count(cfg), stream_block_size(proto->stream))) < 0) {
		conn_table_free(&dp->conns);
		return err;
	}
	dp->out = malloc(DISPATCH_MSG_MAX);
	dp->tmp = malloc(DISPATCH_MSG_MAX);
	dp->verdict = malloc(DISPATCH_MSG_MAX);
	if (!dp->out || !dp->tmp || !dp->verdict) {
		dispatch_free(dp);
		return -ENOMEM;
	}
	return 0;
}

void dispatch_free(struct dispatch *dp)
{
	dp->conns.release = NULL;	/* the pool goes as a whole */
	conn_table_free(&dp->conns);
	pool_free(&dp->pool);
	free(dp->out);
	free(dp->tmp);
	free(dp->verdict);
	dp->out = dp->tmp = dp->verdict = NULL;
}

/* The IP protocol (IPv6: first next header) of a packet, for the log: -1 when unreadable. */
static int ip_proto(const struct queue_pkt *qp)
{
	const uint8_t *p = qp->payload;

	if (qp->len >= 20 && p[0] >> 4 == 4)
		return p[9];
	if (qp->len >= 40 && p[0] >> 4 == 6)
		return p[6];
	return -1;
}

/* Whether an expected connection is the protocol's to parse: only when it asks, and never
 * without the master (the only thing that tells what the connection was expected for). */
static bool dispatch_expected(const struct dispatch *dp, const struct ct_info *ct)
{
	return ct->has_master && dp->proto->help_expected && dp->proto->help_expected(dp->cfg, ct);
}

/* Run the protocol on a decoded packet; anything not understood leaves res as "accept". */
static void dispatch_help(struct dispatch *dp, const struct queue_pkt *qp, struct help_result *res)
{
	struct help_ctx ctx = {
		.cfg = dp->cfg,
		.ct = &qp->ct,
		.ctinfo = (enum ip_conntrack_info)qp->ctinfo,
		.data = qp->payload,
		.out = dp->out,
		.out_cap = DISPATCH_MSG_MAX,
		.tmp = dp->tmp,
		.tmp_cap = DISPATCH_MSG_MAX,
		.pool = &dp->pool,
		.ops = dp->ops,
		.ops_arg = dp->ops_arg,
		.backend = dp->backend,
	};

	const struct helper_l4 *l4;

	/* An expected connection (FTP data, a DCC, a TFTP transfer, PPTP's GRE) is none of our
	 * control connections unless its protocol says so (help_expected: SIP's signalling
	 * connection let in by a REGISTER), but Debian's 6.12.95 gives expected connections
	 * their master's helper, so its kernel queues their packets here too.  The others pass
	 * unread: read as control traffic, a file holding "PORT ..." would be rewritten. */
	if ((qp->ct.status & IPS_EXPECTED) && !dispatch_expected(dp, &qp->ct)) {
		dp->stats.children++;
		return;
	}
	if (qp->cap_len != qp->len || pkt_parse(qp->payload, qp->len, &ctx.pkt) < 0 ||
	    !(l4 = helper_l4_find(dp->proto, ctx.pkt.l4))) {
		dp->stats.unparsed++;
		log_rl(LOG_INFO, "packet %u: ct %u: not a whole %s packet (IP protocol %d, %u of %u bytes), "
		       "accepted as is", qp->id, qp->ct.id, dp->proto->name, ip_proto(qp), qp->cap_len, qp->len);
		return;
	}
	/* The kernel's CTINFO2DIR: IP_CT_IS_REPLY is added for the reply direction. */
	ctx.dir = ctx.ctinfo >= IP_CT_IS_REPLY ? CT_DIR_REPLY : CT_DIR_ORIGINAL;
	ctx.state = conn_get(&dp->conns, qp->ct.id, &qp->ct.tuple[CT_DIR_ORIGINAL], &ctx.fresh);
	l4->help(&ctx, res);
	/* A length change under NAT makes the kernel adjust TCP sequence numbers, which it gets
	 * wrong for IPv6 (see pkt_v6_seqadj_workaround).  The rewritten packet is dp->out and
	 * keeps the input's headers, so ctx.pkt still describes it. */
	if (res->payload == dp->out && res->payload_len != qp->len && help_ct_natted(&qp->ct) &&
	    ctx.pkt.family == AF_INET6 && !pkt_v6_seqadj_workaround(dp->out, &ctx.pkt))
		log_rl(LOG_WARNING, "packet %u: IPv6 extension headers too long for the sequence "
		       "adjustment workaround", qp->id);
	if (log_enabled(LOG_DEBUG))
		log_msg(LOG_DEBUG, "packet %u: ct %u dir %d seq %u len %u%s -> %s, payload %u, %u expectations",
			qp->id, qp->ct.id, ctx.dir, ctx.pkt.seq, ctx.pkt.len, ctx.fresh ? " (new)" : "",
			res->verdict == NF_ACCEPT ? "accept" : "drop", res->payload_len, res->nexp);
}

static bool help_info_changed(const struct ct_info *ct, const struct help_result *res)
{
	return res->help_info && (!ct->help_info || ct->help_info_len < res->help_info_len ||
				  memcmp(ct->help_info, res->help_info, res->help_info_len));
}

/* NFQA_CT {CTA_HELP {NAME, INFO}}; false when no safe one exists.  INFO always rides along:
 * ctnetlink_change_helper hands a missing one to the helper's from_nlattr as NULL, which
 * nfnetlink_cthelper's survives and the nfh_pptp module's did not (a kernel crash).  It is
 * the protocol's new restart record, else the kernel's own copy echoed back (a no-op).
 * Neither exists when the helper keeps nothing (priv_data_len 0, TFTP): nfnetlink_cthelper's
 * from_nlattr returns at once there, so the bare name is safe.  With priv_data_len > 0 the
 * kernel always dumps INFO (nfnetlink_cthelper data_len bytes, the module its 16), so only a
 * packet whose conntrack lost its helper while queued (no CTA_HELP at all) lacks it; nothing
 * sent for that one could apply anyway. */
static bool verdict_ct(const struct dispatch *dp, const struct queue_pkt *qp,
		       const struct help_result *res, struct queue_verdict *v)
{
	if (res->help_info) {
		v->ct_help_info = res->help_info;
		v->ct_help_info_len = res->help_info_len;
	} else if (qp->ct.help_info) {
		v->ct_help_info = qp->ct.help_info;
		v->ct_help_info_len = qp->ct.help_info_len;
	} else if (dp->proto->priv_data_len) {
		return false;
	}
	v->ct_helper = qp->ct.helper[0] ? qp->ct.helper : dp->cfg->name;
	return true;
}

const struct nlmsghdr *dispatch_packet(struct dispatch *dp, const struct nlmsghdr *nlh,
				       uint32_t seq, struct help_result *res)
{
	struct queue_pkt qp;
	struct queue_verdict v;
	struct nl_msg m;
	const struct nlmsghdr *out;

	/* Field by field: the expectation arrays are written before they are read, and zeroing
	 * them for every packet is most of what a packet without a command costs. */
	res->verdict = NF_ACCEPT;
	res->payload = NULL;
	res->payload_len = 0;
	res->nexp = res->created = res->refused = 0;
	res->help_info = NULL;
	res->help_info_len = 0;
	res->ct_timeout = 0;
	if (queue_pkt_decode(nlh, &qp) < 0) {
		dp->stats.undecodable++;
		if (!qp.id_valid) {
			log_rl(LOG_WARNING, "queue message without a packet id ignored");
			return NULL;
		}
		/* The packet waits for a verdict: let it pass as it is. */
		log_rl(LOG_WARNING, "packet %u: malformed queue message, accepted as is", qp.id);
		qp.has_ct = false;
	}
	dp->stats.packets++;
	if (qp.has_ct)
		dispatch_help(dp, &qp, res);
	res->master = qp.ct.tuple[CT_DIR_ORIGINAL];
	res->zone = qp.ct.zone;
	res->unconfirmed = !(qp.ct.status & IPS_CONFIRMED);
	memset(&v, 0, sizeof(v));
	v.queue = dp->cfg->queue;
	v.id = qp.id;
	v.verdict = res->verdict;
	if (res->verdict == NF_ACCEPT) {
		v.payload = res->payload;
		v.payload_len = res->payload_len;
		v.exp = res->nexp ? &res->exp[res->nexp - 1] : NULL;
	}
	/* Without NFQA_CT the kernel ignores NFQA_EXP and skips sequence adjustment; a packet
	 * that needs none of it (a pure ACK) gets the minimal verdict. */
	if (res->verdict == NF_ACCEPT && qp.has_ct)
		v.ct_timeout = res->ct_timeout;
	if ((v.payload || v.exp || v.ct_timeout || (qp.has_ct && help_info_changed(&qp.ct, res))) &&
	    !verdict_ct(dp, &qp, res, &v)) {
		log_rl(LOG_WARNING, "packet %u: ct %u: no helper data to send with NFQA_CT, accepted as is",
		       qp.id, qp.ct.id);
		v.payload = NULL;
		v.exp = NULL;
		v.ct_timeout = 0;
		res->nexp = 0;
	}
	out = queue_verdict_build(&m, dp->verdict, DISPATCH_MSG_MAX, seq, &v);
	if (!out || !nl_msg_ok(&m)) {
		/* Cannot happen with a buffer sized for the copy range; stay fail-open anyway. */
		v.payload = NULL;
		v.exp = NULL;
		v.ct_helper = NULL;
		v.ct_help_info = NULL;
		v.ct_timeout = 0;
		res->nexp = 0;
		out = queue_verdict_build(&m, dp->verdict, DISPATCH_MSG_MAX, seq, &v);
	}
	for (unsigned i = 0; i < res->nexp && log_enabled(LOG_INFO); i++)
		help_log_expect(qp.ct.id, &res->exp[i]);
	dp->stats.rewritten += v.payload != NULL;
	dp->stats.expectations += res->nexp + res->created;
	dp->stats.dropped += res->verdict != NF_ACCEPT;
	dp->stats.refused += res->refused;
	return out;
}

void dispatch_conn_end(struct dispatch *dp, uint32_t id, const struct ct_tuple *orig)
{
	conn_del(&dp->conns, id, orig);
}
