/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dispatch: one queued packet in, one verdict out — decode, per-connection state, the
 * protocol's help function, verdict build.  No syscalls, so benchmarks can time it. */
#ifndef NFHELPER_DISPATCH_H
#define NFHELPER_DISPATCH_H

#include <stdint.h>
#include "conn.h"
#include "helper.h"
#include "pool.h"

/* One message holds a whole packet (copy range 0xffff) and its conntrack attributes. */
#define DISPATCH_MSG_MAX (65536 + 8192)

struct dispatch_stats {
	uint64_t packets, rewritten, expectations, dropped, undecodable, unparsed, refused;
	uint64_t children;      /* packets of expected connections, passed unread */
};

struct dispatch {
	const struct helper_proto *proto;
	const struct helper_cfg *cfg;
	struct conn_table conns;
	struct pool pool;               /* held-back bytes and rewrite journals, lent on demand */
	uint8_t *out, *tmp, *verdict;   /* DISPATCH_MSG_MAX each, allocated once */
	struct dispatch_stats stats;
	const struct help_ct_ops *ops;  /* set by the daemon; NULL in tests and benchmarks */
	void *ops_arg;
	void *backend;                  /* help_ctx.backend: set by the daemon, or a test's model */
};

int dispatch_init(struct dispatch *dp, const struct helper_proto *proto, const struct helper_cfg *cfg);
void dispatch_free(struct dispatch *dp);
/* The conntrack ended (a destroy event): free its state if it is still the same connection. */
void dispatch_conn_end(struct dispatch *dp, uint32_t id, const struct ct_tuple *orig);

/* Handle an NFQNL_MSG_PACKET.  Returns the verdict to send (built in dp->verdict), or NULL
 * when the message carries no usable packet id (nothing can be answered).  The verdict
 * carries the last expectation; res->exp[0..nexp-2] are left for the caller to create
 * through ctnetlink, in order, before sending the verdict. */
const struct nlmsghdr *dispatch_packet(struct dispatch *dp, const struct nlmsghdr *nlh,
				       uint32_t seq, struct help_result *res);

#endif
