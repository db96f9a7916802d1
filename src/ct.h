/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ct: conntrack and expectation attributes (ctnetlink, nfnetlink_conntrack.h) in and out.
 * Mirrors net/netfilter/nf_conntrack_netlink.c: tuple, status, help; expect tuple/mask/NAT. */
#ifndef NFHELPER_CT_H
#define NFHELPER_CT_H

#include <stdbool.h>
#include <stdint.h>
#include "nl.h"

union ct_addr {
	uint8_t v6[16];
	uint32_t v4; /* network order, in the first four bytes */
	uint8_t all[16];
};

/* A conntrack tuple as the kernel reports it; ports in host order. */
struct ct_tuple {
	uint8_t l3; /* AF_INET or AF_INET6 */
	uint8_t l4; /* IPPROTO_TCP, IPPROTO_UDP, ... */
	union ct_addr src, dst;
	uint16_t sport, dport;
};

enum { CT_DIR_ORIGINAL = 0, CT_DIR_REPLY = 1 };

/* What the helper needs of NFQA_CT. */
struct ct_info {
	uint32_t id;
	uint32_t status;  /* IPS_* bits */
	struct ct_tuple tuple[2]; /* [CT_DIR_ORIGINAL], [CT_DIR_REPLY] */
	uint16_t zone;     /* CTA_ZONE (only sent for a zone other than 0), 0 if absent */
	uint8_t tcp_state; /* CTA_PROTOINFO_TCP_STATE, 0 if absent */
	char helper[16];   /* CTA_HELP_NAME, "" if absent */
	const uint8_t *help_info; /* CTA_HELP_INFO payload, NULL if absent */
	uint16_t help_info_len;
	/* An expected connection's master (CTA_TUPLE_MASTER: its original tuple).  The kernel
	 * keeps no expectation class in the conntrack, so a protocol tells what the connection
	 * was expected for from this and the connection's own tuples. */
	bool has_master;
	struct ct_tuple master;
};

/* Decode a CTA_* nest (NFQA_CT, or the body of an IPCTNL_MSG_CT_* message given as tb).
 * Requires both tuples and the id; 0 or -EINVAL.  A malformed CTA_TUPLE_MASTER is left out
 * (has_master false), the rest stands. */
int ct_info_decode(const struct nlattr *nest, struct ct_info *ct);
int ct_info_decode_tb(const struct nlattr *const *tb, struct ct_info *ct);
int ct_tuple_decode(const struct nlattr *nest, struct ct_tuple *t);
/* A ctnetlink conntrack event (IPCTNL_MSG_CT_DELETE from NFNLGRP_CONNTRACK_DESTROY, or
 * IPCTNL_MSG_CT_NEW): id, status and both tuples into ct.  0; -ENOMSG when nlh is no
 * CT_NEW/CT_DELETE message (check NFNL_MSG_TYPE(nlh->nlmsg_type) for which); -EINVAL when
 * malformed.  ct->help_info points into nlh. */
int ct_event_decode(const struct nlmsghdr *nlh, struct ct_info *ct);
/* Field by field (the struct has padding): same family, protocol, addresses and ports. */
bool ct_tuple_equal(const struct ct_tuple *a, const struct ct_tuple *b);
/* Put a tuple nest (CTA_TUPLE_IP + CTA_TUPLE_PROTO {NUM, SRC_PORT, DST_PORT}) of the given
 * attribute type; l3 other than AF_INET/AF_INET6 makes the message fail. */
void ct_tuple_put(struct nl_msg *m, uint16_t type, const struct ct_tuple *t);

/* An expectation to create.  mask uses the same layout: all-ones bytes are compared. */
struct ct_expect {
	struct ct_tuple tuple;
	struct ct_tuple mask;
	uint32_t class;
	uint32_t flags;
	const char *fn;         /* CTA_EXPECT_FN, e.g. "nat-follow-master"; NULL for none */
	const char *helper;     /* CTA_EXPECT_HELP_NAME for the child; NULL for none */
	bool nat;               /* put CTA_EXPECT_NAT {nat_dir, nat_tuple} */
	uint32_t nat_dir;
	struct ct_tuple nat_tuple; /* the kernel keeps nat_tuple.src (addr, port) as saved addr/proto */
};

/* Put the expectation's attributes (tuple, mask, class, flags, fn, helper, NAT) into the
 * message.  Used inside NFQA_EXP and at the top of IPCTNL_MSG_EXP_NEW.  No zone: the verdict
 * path takes the queued conntrack's own (see ct_expect_zone_put). */
void ct_expect_put(struct nl_msg *m, const struct ct_expect *e);
/* CTA_EXPECT_ZONE for a request about an expectation of a master in zone (ct_info.zone):
 * put only when zone is not 0, so requests in zone 0 stay as they always were. */
void ct_expect_zone_put(struct nl_msg *m, uint16_t zone);
/* Build a whole IPCTNL_MSG_EXP_NEW (with CTA_EXPECT_MASTER = master, found in zone) asking
 * for an ACK. */
struct nlmsghdr *ct_expect_new_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				     uint16_t zone, const struct ct_tuple *master,
				     const struct ct_expect *e);
/* Shaped like the kernel's nf_ct_expect_init: an expectation of class for l3/l4 towards
 * daddr:dport; saddr and sport NULL mean any (a zero mask).  Addresses are taken whole. */
void ct_expect_init(struct ct_expect *e, uint32_t class, uint8_t l3, const union ct_addr *saddr,
		    const union ct_addr *daddr, uint8_t l4, const uint16_t *sport, const uint16_t *dport);

#endif
