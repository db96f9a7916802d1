/* SPDX-License-Identifier: GPL-2.0-or-later */
/* setup: everything before the first packet — helper registration, queue binding, the
 * conntrack sockets — each failure turned into one line that says what to do. */
#ifndef NFHELPER_SETUP_H
#define NFHELPER_SETUP_H

#include "helper.h"
#include "kmod.h"
#include "nl.h"

struct setup_socks {
	struct nl_sock queue;   /* nfnetlink_queue: packets in, verdicts out */
	struct nl_sock ctreq;   /* ctnetlink requests: expectations beyond the verdict's one */
	struct nl_sock events;  /* ctnetlink destroy events: frees per-connection state */
	struct kmod_sock kmod;  /* the nfh_pptp module (protocols with proto->kmod) */
};

/* 0, or -1 after printing "cannot <verb> <object>: <reason>; <what to do>". */
int setup_open(struct setup_socks *s, const struct helper_proto *proto, const struct helper_cfg *cfg);
void setup_close(struct setup_socks *s);
/* Remove the kernel registration (IPv4 and IPv6); 0 or -1 after a message. */
int setup_unregister(const struct helper_proto *proto, const struct helper_cfg *cfg);

#endif
