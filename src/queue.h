/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue: nfnetlink_queue messages — queue configuration, packet decode, verdict build.
 * Mirrors net/netfilter/nfnetlink_queue.c (nfqnl_recv_config, nfqnl_build_packet_message,
 * nfqnl_recv_verdict). No syscalls here. */
#ifndef NFHELPER_QUEUE_H
#define NFHELPER_QUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include "ct.h"
#include "nl.h"

/* One queued packet, pointing into the receive buffer. */
struct queue_pkt {
	uint32_t id;
	uint16_t hw_protocol; /* host order, ETH_P_IP / ETH_P_IPV6 */
	uint8_t hook;
	const uint8_t *payload; /* from the L3 header */
	uint32_t len;
	uint32_t cap_len;       /* NFQA_CAP_LEN if present (original length), else len */
	bool has_ct;
	struct ct_info ct;
	uint32_t ctinfo;        /* NFQA_CT_INFO (enum ip_conntrack_info) */
	bool id_valid;          /* NFQA_PACKET_HDR was decoded: id is usable */
	uint8_t family;         /* nfgen_family: NFPROTO_IPV4 / NFPROTO_IPV6 */
	uint16_t queue;         /* queue number (nfgen res_id) */
};

/* Decode an NFQNL_MSG_PACKET; 0, or -EINVAL when malformed or missing id/payload.  Even on
 * -EINVAL, when p->id_valid the packet waits for a verdict: accept it (fail open). */
int queue_pkt_decode(const struct nlmsghdr *nlh, struct queue_pkt *p);

/* Configuration messages, each with NLM_F_ACK. */
struct nlmsghdr *queue_cfg_cmd_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				     uint16_t queue, uint8_t cmd /* NFQNL_CFG_CMD_* */);
/* Copy mode PACKET with copy_range, queue maxlen (0: left unchanged), and flags (mask = flags:
 * bits only set, never cleared). */
struct nlmsghdr *queue_cfg_params_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
					uint16_t queue, uint32_t copy_range, uint32_t maxlen, uint32_t flags);
/* BIND and the parameters above in one message: no packet slips in before they apply. */
struct nlmsghdr *queue_cfg_bind_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				      uint16_t queue, uint32_t copy_range, uint32_t maxlen, uint32_t flags);

/* A verdict (no NLM_F_ACK).  ct_helper: when non-NULL and non-empty, an NFQA_CT {CTA_HELP
 * {CTA_HELP_NAME [, CTA_HELP_INFO]}} is attached — without NFQA_CT the kernel ignores NFQA_EXP
 * and does no sequence adjustment.  An empty name is never sent: it would detach the helper.
 * Leave ct_help_info NULL only for a helper without private data: the kernel passes a missing
 * CTA_HELP_INFO to the helper's from_nlattr as NULL (see dispatch.c, verdict_ct). */
struct queue_verdict {
	uint16_t queue;
	uint32_t id;
	uint32_t verdict;          /* NF_ACCEPT / NF_DROP */
	const uint8_t *payload;    /* replacement packet from L3, NULL to keep it */
	uint32_t payload_len;
	const char *ct_helper;
	const struct ct_expect *exp; /* NFQA_EXP, NULL for none */
	const uint8_t *ct_help_info; /* CTA_HELP_INFO: the private data to keep */
	uint16_t ct_help_info_len;
	uint32_t ct_timeout;       /* CTA_TIMEOUT in NFQA_CT (seconds, 0: none): the conntrack's
				    * new timeout (ctnetlink_glue_parse_ct applies it) */
};
struct nlmsghdr *queue_verdict_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				     const struct queue_verdict *v);

#endif
