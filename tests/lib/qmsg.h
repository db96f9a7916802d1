/* SPDX-License-Identifier: GPL-2.0-or-later */
/* qmsg: synthetic queued packets (as nfnetlink_queue lays them out) and verdict decoding,
 * for the protocol tests and the per-packet benchmark. */
#ifndef NFHELPER_QMSG_H
#define NFHELPER_QMSG_H

#include <stdint.h>
#include "ct.h"
#include "kstore.h"
#include "nl.h"

/* A conntrack as a test sees it.  Its helper data lives in kernel, not in ct.help_info:
 * qmsg_packet puts it into NFQA_CT, kstore_apply takes each verdict's into it. */
struct qmsg_conn {
	struct ct_info ct;
	uint32_t seq[2];  /* next TCP sequence number per direction */
	uint32_t seen[2]; /* pkttest: the longest payload sent per direction */
	struct kstore kernel;
};

/* A connection client:sport -> server:dport; when nat_addr is set, the reply tuple is
 * masqueraded to it (the router's outside address) and IPS_SRC_NAT is set. */
void qmsg_conn_init(struct qmsg_conn *c, uint8_t l3, const char *client, uint16_t sport,
		    const char *server, uint16_t dport, const char *nat_addr, uint32_t id);

/* Build an IPv4/IPv6 TCP packet of conntrack c in direction dir (flags: PKT_TCP_* plus ACK),
 * payload len bytes at sequence seq; returns its length (checksums valid). */
uint32_t qmsg_tcp(uint8_t *out, const struct qmsg_conn *c, int dir, uint32_t seq, uint8_t flags,
		  const void *payload, uint32_t len);
/* Build an IPv4/IPv6 UDP datagram of conntrack c in direction dir; returns its length
 * (checksums valid).  The ports are the tuple's: set c's tuples to IPPROTO_UDP first. */
uint32_t qmsg_udp(uint8_t *out, const struct qmsg_conn *c, int dir, const void *payload, uint32_t len);
/* Wrap a packet into an NFQNL_MSG_PACKET with NFQA_CT (CTA_HELP_INFO from c->kernel, and
 * CTA_TUPLE_MASTER when c->ct.has_master) and NFQA_CT_INFO. */
struct nlmsghdr *qmsg_packet(void *buf, size_t cap, const struct qmsg_conn *c, int dir,
			     uint32_t id, const uint8_t *pkt, uint32_t len);

/* What a verdict said. */
struct qmsg_verdict {
	uint32_t id, verdict;
	const uint8_t *payload;
	uint32_t payload_len;
	bool has_ct, has_exp, exp_nat;
	bool exp_zone;           /* CTA_EXPECT_ZONE in NFQA_EXP (never wanted: see ct_expect_put) */
	struct ct_tuple exp_tuple, exp_mask, nat_tuple;
	uint32_t nat_dir;
	uint32_t exp_class;      /* CTA_EXPECT_CLASS; UINT32_MAX when absent */
	char exp_fn[32];
	char helper[16];         /* CTA_HELP_NAME, "" when absent */
	uint8_t help_info[32];   /* CTA_HELP_INFO: the private data the verdict sets */
	uint16_t help_info_len;
	bool has_help_info;
	bool has_ct_timeout;     /* CTA_TIMEOUT in NFQA_CT: the conntrack's new timeout */
	uint32_t ct_timeout;
};
int qmsg_verdict_decode(const struct nlmsghdr *nlh, struct qmsg_verdict *v);

#endif
