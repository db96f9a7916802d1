/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pkttest: send TCP segments of a test conntrack through dispatch and check verdicts. */
#ifndef NFHELPER_PKTTEST_H
#define NFHELPER_PKTTEST_H

#include <stdbool.h>
#include "dispatch.h"
#include "pkt.h"
#include "qmsg.h"

/* Send one segment of c in direction dir at its next sequence number (or at *seq when seq is
 * given, leaving c's numbers alone) through dispatch; decode the verdict into v.  data is a
 * string (NULL for none).  False if no verdict for this packet came back.  The verdict's
 * NFQA_CT is applied to c->kernel (bound to dp's protocol on first use), which the next
 * packet carries back; a verdict the kernel would mishandle is a failed check. */
bool pt_send(struct dispatch *dp, struct qmsg_conn *c, int dir, uint8_t flags, const char *data,
	     const uint32_t *seq, struct qmsg_verdict *v);
/* The same for binary payloads (len bytes). */
bool pt_send_bin(struct dispatch *dp, struct qmsg_conn *c, int dir, uint8_t flags, const void *data,
		 uint32_t len, const uint32_t *seq, struct qmsg_verdict *v);
/* A rewritten segment (in: the packet sent, inlen bytes) that a router would drop when too
 * long (IPv6, IPv4 with DF) must stay within the longest c->seen[dir] or what every path
 * carries; a failed check otherwise.  pt_send does it for every segment. */
void pt_bound_check(const struct qmsg_conn *c, int dir, const uint8_t *in, uint32_t inlen,
		    const struct qmsg_verdict *v);
/* Apply a verdict to c->kernel; a fault is a failed check. */
void pt_kernel_apply(struct qmsg_conn *c, const struct nlmsghdr *verdict);
bool pt_seg(struct dispatch *dp, struct qmsg_conn *c, int dir, const char *data, struct qmsg_verdict *v);
/* SYN from each side. */
void pt_handshake(struct dispatch *dp, struct qmsg_conn *c);
/* The verdict carries a consistent rewritten packet whose payload is want. */
bool pt_payload_is(const struct qmsg_verdict *v, const char *want, const char *desc);
bool pt_addr_is(const union ct_addr *a, uint8_t l3, const char *want);

#endif
