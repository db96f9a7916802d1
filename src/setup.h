/* SPDX-License-Identifier: GPL-2.0-or-later */
/* setup: everything before the first packet — the conntrack sockets, queue binding, and the
 * helper's registration through its protocol's backend — each failure turned into one line
 * that says what to do. */
#ifndef NFHELPER_SETUP_H
#define NFHELPER_SETUP_H

#include <stdbool.h>
#include "helper.h"
#include "nl.h"

struct setup_socks {
	struct nl_sock queue;   /* nfnetlink_queue: packets in, verdicts out */
	struct nl_sock ctreq;   /* ctnetlink requests: expectations beyond the verdict's one */
	struct nl_sock events;  /* ctnetlink destroy events: frees per-connection state */
	const struct helper_backend *backend; /* the protocol's */
	void *backend_priv;     /* the backend's, from a successful open to close; the packet
				 * path's help_ctx.backend */
};

/* Where a protocol's helper is registered in the kernel (helper_proto.backend):
 * nfnetlink_cthelper (cthelper_backend, setup.c) or a module of the protocol's own
 * (kmod_backend, kmod.c).  open reaches it before the queue is bound and sets backend_priv;
 * reg registers cfg's name and queue after it (its first packet finds the queue bound); close
 * (NULL: nothing to close) lets go; unreg removes the registration (--unregister).  Each
 * returns 0, or -1 after printing "cannot <verb> <object>: <reason>; <what to do>". */
struct helper_backend {
	const char *scope;      /* what is registered, for the start-up line */
	int (*open)(struct setup_socks *s, const struct helper_proto *proto, const struct helper_cfg *cfg);
	int (*reg)(struct setup_socks *s, const struct helper_proto *proto, const struct helper_cfg *cfg);
	void (*close)(struct setup_socks *s);
	int (*unreg)(const struct helper_proto *proto, const struct helper_cfg *cfg);
};

/* 0, or -1 after printing "cannot <verb> <object>: <reason>; <what to do>". */
int setup_open(struct setup_socks *s, const struct helper_proto *proto, const struct helper_cfg *cfg);
void setup_close(struct setup_socks *s);
/* Remove the kernel registration; 0 or -1 after a message. */
int setup_unregister(const struct helper_proto *proto, const struct helper_cfg *cfg);

/* For the backends: the message for a permission error (true when err was one), and the
 * receive timeout of a socket the packet path makes requests on. */
bool setup_common_error(const char *what, int err);
void setup_packet_path_timeout(int fd);

#endif
