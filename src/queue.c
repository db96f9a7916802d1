// SPDX-License-Identifier: GPL-2.0-or-later
/* queue: nfnetlink_queue configuration, packet decode and verdict messages.
 * Mirrors net/netfilter/nfnetlink_queue.c (nfqnl_recv_config, nfqnl_build_packet_message,
 * nfqnl_recv_verdict, nfqnl_ct_parse). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include "queue.h"

static int queue_pkt_hdr_decode(const struct nlattr *a, struct queue_pkt *p)
{
	struct nfqnl_msg_packet_hdr ph;

	if (!a || nl_attr_len(a) != sizeof(ph))
		return -EINVAL;
	memcpy(&ph, nl_attr_data(a), sizeof(ph));
	p->id = ntohl(ph.packet_id);
	p->hw_protocol = ntohs(ph.hw_protocol);
	p->hook = ph.hook;
	p->id_valid = true;
	return 0;
}

int queue_pkt_decode(const struct nlmsghdr *nlh, struct queue_pkt *p)
{
	const struct nlattr *tb[NFQA_MAX + 1];
	struct nfgenmsg nfg;

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_type != (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET) ||
	    nl_attr_parse(nlh, sizeof(nfg), tb, NFQA_MAX) < 0)
		return -EINVAL;
	memcpy(&nfg, (const uint8_t *)nlh + NL_MSG_HDRLEN, sizeof(nfg));
	p->family = nfg.nfgen_family;
	p->queue = ntohs(nfg.res_id);
	/* The id first: whatever else is wrong, the packet still needs a verdict. */
	if (queue_pkt_hdr_decode(tb[NFQA_PACKET_HDR], p) || !tb[NFQA_PAYLOAD])
		return -EINVAL;
	p->payload = nl_attr_data(tb[NFQA_PAYLOAD]);
	p->len = nl_attr_len(tb[NFQA_PAYLOAD]);
	p->cap_len = p->len;
	if (tb[NFQA_CAP_LEN] && !nl_attr_get_be32(tb[NFQA_CAP_LEN], &p->cap_len))
		return -EINVAL;
	if (tb[NFQA_CT_INFO] && !nl_attr_get_be32(tb[NFQA_CT_INFO], &p->ctinfo))
		return -EINVAL;
	if (tb[NFQA_CT]) {
		if (ct_info_decode(tb[NFQA_CT], &p->ct))
			return -EINVAL;
		p->has_ct = true;
	}
	return 0;
}

static void queue_cfg_cmd_put(struct nl_msg *m, uint8_t cmd)
{
	/* pf only matters for the obsolete PF_(UN)BIND commands. */
	struct nfqnl_msg_config_cmd c = { .command = cmd, .pf = htons(AF_UNSPEC) };

	nl_attr_put(m, NFQA_CFG_CMD, sizeof(c), &c);
}

static void queue_cfg_params_put(struct nl_msg *m, uint32_t copy_range, uint32_t maxlen, uint32_t flags)
{
	struct nfqnl_msg_config_params cp = { .copy_range = htonl(copy_range),
					      .copy_mode = NFQNL_COPY_PACKET };

	/* sizeof is 5 (packed): nfqa_cfg_policy wants at least that. */
	nl_attr_put(m, NFQA_CFG_PARAMS, sizeof(cp), &cp);
	/* A maxlen of 0 would make the kernel drop every packet as "queue full". */
	if (maxlen)
		nl_attr_put_be32(m, NFQA_CFG_QUEUE_MAXLEN, maxlen);
	/* The kernel changes only the flags in MASK and wants both or neither. */
	nl_attr_put_be32(m, NFQA_CFG_MASK, flags);
	nl_attr_put_be32(m, NFQA_CFG_FLAGS, flags);
}

static struct nlmsghdr *queue_cfg_init(struct nl_msg *m, void *buf, size_t cap, uint32_t seq, uint16_t queue)
{
	return nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG,
			     NLM_F_REQUEST | NLM_F_ACK, seq, AF_UNSPEC, queue);
}

struct nlmsghdr *queue_cfg_cmd_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				     uint16_t queue, uint8_t cmd)
{
	queue_cfg_init(m, buf, cap, seq, queue);
	queue_cfg_cmd_put(m, cmd);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

struct nlmsghdr *queue_cfg_params_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
					uint16_t queue, uint32_t copy_range, uint32_t maxlen, uint32_t flags)
{
	queue_cfg_init(m, buf, cap, seq, queue);
	queue_cfg_params_put(m, copy_range, maxlen, flags);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

struct nlmsghdr *queue_cfg_bind_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				      uint16_t queue, uint32_t copy_range, uint32_t maxlen, uint32_t flags)
{
	/* nfqnl_recv_config runs the command first, then applies the parameters to the new
	 * instance: one message, so no packet arrives before the flags (CONNTRACK) are set. */
	queue_cfg_init(m, buf, cap, seq, queue);
	queue_cfg_cmd_put(m, NFQNL_CFG_CMD_BIND);
	queue_cfg_params_put(m, copy_range, maxlen, flags);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

static void queue_verdict_ct_put(struct nl_msg *m, const struct queue_verdict *v)
{
	struct nlattr *ct, *help;

	/* An empty CTA_HELP_NAME would detach the helper (ctnetlink_change_helper): never send
	 * one. The name must equal the conntrack's helper, else the parse fails (EBUSY) and the
	 * kernel silently skips NFQA_EXP. */
	if (!v->ct_helper || !v->ct_helper[0])
		return;
	ct = nl_attr_nest_start(m, NFQA_CT);
	help = nl_attr_nest_start(m, CTA_HELP);
	nl_attr_put_strz(m, CTA_HELP_NAME, v->ct_helper);
	/* Replaces the per-conntrack private data (the kernel copies at most its data_len). */
	if (v->ct_help_info)
		nl_attr_put(m, CTA_HELP_INFO, v->ct_help_info_len, v->ct_help_info);
	nl_attr_nest_end(m, help);
	if (v->ct_timeout)
		nl_attr_put_be32(m, CTA_TIMEOUT, v->ct_timeout);
	nl_attr_nest_end(m, ct);
}

struct nlmsghdr *queue_verdict_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				     const struct queue_verdict *v)
{
	struct nfqnl_msg_verdict_hdr vh = { .verdict = htonl(v->verdict), .id = htonl(v->id) };
	struct nlattr *exp;

	/* No NLM_F_ACK: one ACK per packet would double the traffic; errors still come back. */
	nl_nfmsg_init(m, buf, cap, NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT, NLM_F_REQUEST, seq,
		      AF_UNSPEC, v->queue);
	nl_attr_put(m, NFQA_VERDICT_HDR, sizeof(vh), &vh);
	queue_verdict_ct_put(m, v);
	if (v->exp) {
		exp = nl_attr_nest_start(m, NFQA_EXP);
		ct_expect_put(m, v->exp);
		nl_attr_nest_end(m, exp);
	}
	if (v->payload)
		nl_attr_put(m, NFQA_PAYLOAD, v->payload_len, v->payload);
	return nl_msg_ok(m) ? m->nlh : NULL;
}
