/* SPDX-License-Identifier: GPL-2.0-or-later */
/* expect: create an expectation synchronously through ctnetlink and learn the outcome,
 * which a verdict's NFQA_EXP never reports. */
#ifndef NFHELPER_EXPECT_H
#define NFHELPER_EXPECT_H

#include "ct.h"
#include "nl.h"

/* zone everywhere: the master's conntrack zone (ct_info.zone).  The kernel looks masters and
 * expectations up in the zone a request names (CTA_EXPECT_ZONE, zone 0 when absent). */

/* IPCTNL_MSG_EXP_GET of the expectation that would catch tuple. */
struct nlmsghdr *expect_get_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				  uint16_t zone, const struct ct_tuple *tuple);
/* IPCTNL_MSG_EXP_DELETE of the expectation with that tuple. */
struct nlmsghdr *expect_del_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				  uint16_t zone, const struct ct_tuple *tuple);
/* Remove it; 0 also when it is gone already. */
int expect_delete(struct nl_sock *s, uint16_t zone, const struct ct_tuple *tuple);
/* What a dump or GET reply (IPCTNL_MSG_EXP_NEW) says of one expectation. */
struct expect_entry {
	struct ct_tuple master, tuple;
	uint32_t class;
};
int expect_entry_decode(const struct nlmsghdr *nlh, struct expect_entry *x);
/* The master tuple (CTA_EXPECT_MASTER) of an IPCTNL_MSG_EXP_NEW reply; 0 or -EINVAL. */
int expect_master_decode(const struct nlmsghdr *nlh, struct ct_tuple *master);
/* IPCTNL_MSG_EXP_GET dump of the expectations of one master conntrack. */
struct nlmsghdr *expect_dump_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				   uint16_t zone, const struct ct_tuple *master);
/* Remove every expectation of master in class (SIP re-creates media expectations on a new
 * INVITE, as nf_conntrack_sip's flush_expectations); 0 or -errno. */
int expect_flush(struct nl_sock *s, uint16_t zone, const struct ct_tuple *master, uint32_t class);

/* 0 when e exists for master afterwards (created; one of this master's that held the tuple
 * is replaced); -EBUSY when the tuple
 * is taken by another connection's expectation; else the kernel's -errno (-ENOENT: master
 * not found, e.g. gone, or asked for in a zone other than its own). */
int expect_create_sync(struct nl_sock *s, uint16_t zone, const struct ct_tuple *master,
		       const struct ct_expect *e);

/* Create n expectations for master in one round trip; errs[i] as expect_create_sync would
 * answer for e[i].  0, or an error for the whole batch. */
int expect_create_batch(struct nl_sock *s, uint16_t zone, const struct ct_tuple *master,
			const struct ct_expect *e, unsigned n, int *errs);

#endif
