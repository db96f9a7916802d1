/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kstore: the private data the kernel keeps per conntrack for a userspace helper, as the unit
 * tests and fuzzers model it — what NFQA_CT carries out, what a verdict's NFQA_CT does to it.
 * Mirrors nfnetlink_cthelper.c (to/from_nlattr), nf_conntrack_netlink.c
 * (ctnetlink_change_helper) and kmod/nfh_pptp_helper.c. */
#ifndef NFHELPER_KSTORE_H
#define NFHELPER_KSTORE_H

#include <stdbool.h>
#include <stdint.h>
#include "helper.h"
#include "nl.h"

#define KSTORE_MAX 32           /* nf_conn_help.data */
#define KSTORE_MODULE_MAX 16    /* nfh_pptp's user[]: its from_nlattr refuses more */

struct kstore {
	uint8_t data[KSTORE_MAX];
	uint16_t data_len;      /* the helper's registered length: the protocol's priv_data_len */
	bool module;            /* registered by the nfh_pptp module (its backend kmod_backend) */
	bool bound;             /* data_len and module are set */
};

/* The conntrack got a helper registered for proto: its private data starts zeroed. */
void kstore_bind(struct kstore *ks, const struct helper_proto *proto);
/* A new conntrack of the same helper: zeroed again (nf_ct_ext_add). */
void kstore_reset(struct kstore *ks);
/* CTA_HELP_INFO inside CTA_HELP, as the helper's to_nlattr dumps it: data_len bytes when
 * data_len > 0, else nothing. */
void kstore_put(struct nl_msg *m, const struct kstore *ks);
/* Apply a verdict's NFQA_CT to the store of a conntrack whose helper is named helper.
 * Returns NULL, or what the kernel would mishandle in it (a fault of nfhelper's). */
const char *kstore_apply(struct kstore *ks, const char *helper, const struct nlmsghdr *verdict);

#endif
