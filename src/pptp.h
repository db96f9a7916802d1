/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pptp: per-connection state of the PPTP helper (exposed for tests and benchmarks). */
#ifndef NFHELPER_PPTP_H
#define NFHELPER_PPTP_H

#include "helper.h"
#include "pptp_parser.h"
#include "stream.h"

/* Calls one control connection may have at once (the kernel: one). */
#define PPTP_CALLS 8

enum pptp_call_state {
	PPTP_CALL_FREE = 0,
	PPTP_CALL_OUT_REQ,      /* Outgoing-Call-Request seen, the reply awaited */
	PPTP_CALL_IN_REQ,       /* Incoming-Call-Request seen */
	PPTP_CALL_IN_REP,       /* ... and accepted by Incoming-Call-Reply */
	PPTP_CALL_UP,           /* connected: the module tracks its GRE */
};

/* One call, IDs in host order.  The original side (the TCP client, the PNS as the kernel
 * sees it) names the call orig_id; under NAT the reply side knows it as nat_id. */
struct pptp_call {
	uint16_t orig_id, nat_id, reply_id;
	uint8_t state;
	uint8_t reserved;       /* nat_id is held in the process-wide table (pptp.c) */
};

enum pptp_session { PPTP_SESSION_NONE = 0, PPTP_SESSION_REQUESTED, PPTP_SESSION_CONFIRMED,
		    PPTP_SESSION_STOPREQ };

struct pptp_state {
	struct stream_dir sd[2];
	struct pptp_parser parser[2];
	struct stream_kstate k;
	uint8_t session;
	uint32_t pac, nat;      /* network order: the reply side and the NAT address (NAT IDs' scope) */
	uint32_t client;        /* network order: the original side, whose NAT IDs are bounded */
	struct pptp_call call[PPTP_CALLS];
};

extern const struct helper_proto pptp_proto;
/* NAT call IDs held now, process-wide: 0 once every PPTP conntrack has ended (leak checks). */
unsigned pptp_nat_ids_held(void);

#endif
