/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kmod: nfhelper's side of the nfh_pptp kernel module (kmod/, its generic netlink family
 * kmod/nfh_pptp_uapi.h): the helper registered through the module (kmod_backend), and PPTP
 * calls (struct kmod_link). */
#ifndef NFHELPER_KMOD_H
#define NFHELPER_KMOD_H

#include <stdint.h>
#include "ct.h"
#include "nl.h"

struct kmod_sock {
	struct nl_sock nl;
	uint16_t family;        /* the family id the kernel gave "nfh_pptp" */
};

/* A call as the module knows it: the original side's (the TCP client's) own call ID, the
 * same as the reply side sees it (NAT's choice), and the reply side's. Host order. */
struct kmod_call {
	uint16_t orig_id, orig_id_nat, reply_id;
};

/* The module as PPTP's help function reaches it: help_ctx.backend of a protocol registered
 * through kmod_backend (the daemon's socket to the module; a model of the module in tests).
 * call: CALL_ADD of a call of master (add, call given) or CALL_DEL (call given, or NULL:
 * every call of master); 0 or -errno. */
struct kmod_link {
	int (*call)(void *arg, int add, const struct ct_info *master, const struct kmod_call *call);
	void *arg;
};

/* Registration through the module (setup.h's struct helper_backend): its helper is TCP over
 * IPv4 only. */
struct helper_backend;
extern const struct helper_backend kmod_backend;

/* Open a generic netlink socket and find the family: 0; -ENOENT when the module is not
 * loaded; another -errno. */
int kmod_open(struct kmod_sock *k);
void kmod_close(struct kmod_sock *k);
/* HELPER_SET / HELPER_DEL: 0 or the kernel's -errno. */
int kmod_helper_set(struct kmod_sock *k, const char *name, uint16_t queue, uint32_t max_expected,
		    uint32_t timeout);
int kmod_helper_del(struct kmod_sock *k, const char *name);
/* CALL_ADD (call given) or CALL_DEL (call given, or NULL: every call of the master). */
int kmod_call(struct kmod_sock *k, int add, const struct ct_info *master, const struct kmod_call *call);

/* The messages, for the above and for tests. */
struct nlmsghdr *kmod_family_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq);
int kmod_family_parse(const struct nlmsghdr *nlh, uint16_t *family);
struct nlmsghdr *kmod_helper_build(struct nl_msg *m, void *buf, size_t cap, uint16_t family, uint32_t seq,
				   int set, const char *name, uint16_t queue, uint32_t max_expected,
				   uint32_t timeout);
struct nlmsghdr *kmod_call_build(struct nl_msg *m, void *buf, size_t cap, uint16_t family, uint32_t seq,
				 int add, const struct ct_info *master, const struct kmod_call *call);

#endif
