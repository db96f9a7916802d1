/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cthelper: nfnetlink_cthelper messages — register, query and remove a userspace helper.
 * Mirrors net/netfilter/nfnetlink_cthelper.c. No syscalls here. */
#ifndef NFHELPER_CTHELPER_H
#define NFHELPER_CTHELPER_H

#include <stdint.h>
#include "nl.h"

struct cthelper_policy {
	const char *name;      /* expect class name, <= 15 chars */
	uint32_t max_expected; /* <= 255 */
	uint32_t timeout;      /* seconds */
};

struct cthelper_reg {
	const char *name;      /* <= 15 chars */
	uint8_t l3;            /* AF_INET / AF_INET6 */
	uint8_t l4;            /* IPPROTO_TCP / IPPROTO_UDP */
	uint32_t queue;
	uint32_t priv_data_len; /* <= 32; the kernel requires the attribute */
	uint32_t npolicy;       /* 1..4 */
	const struct cthelper_policy *policy;
};

/* NFNL_MSG_CTHELPER_NEW with NLM_F_CREATE|NLM_F_ACK, status enabled; NULL also when npolicy is
 * not 1..4 or a name is NULL.  Other limits are the kernel's to check (it answers EINVAL). */
struct nlmsghdr *cthelper_new_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				    const struct cthelper_reg *r);
/* NFNL_MSG_CTHELPER_DEL of name + tuple, NLM_F_ACK. */
struct nlmsghdr *cthelper_del_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq,
				    const char *name, uint8_t l3, uint8_t l4);
/* NFNL_MSG_CTHELPER_GET dump of every userspace helper. */
struct nlmsghdr *cthelper_dump_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq);

/* One entry of a GET dump. */
struct cthelper_entry {
	char name[16];
	uint8_t l3, l4;
	uint32_t queue;
	uint32_t status;
	uint32_t priv_data_len;
	uint32_t npolicy;      /* NFCTH_POLICY_SET_NUM, 0 if absent */
};
/* 0, or -EINVAL when not an NFNL_MSG_CTHELPER_NEW entry, malformed, or missing name/tuple. */
int cthelper_entry_decode(const struct nlmsghdr *nlh, struct cthelper_entry *e);

#endif
