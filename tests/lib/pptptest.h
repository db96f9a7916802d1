/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pptptest: the PPTP suites' set-up (test_pptp.c, test_pptp_nat.c) — RFC 2637 control
 * messages, a PPTP dispatcher whose module calls fakect records, one control connection. */
#ifndef NFHELPER_PPTPTEST_H
#define NFHELPER_PPTPTEST_H

#include <stdbool.h>
#include <stdint.h>
#include "dispatch.h"
#include "fakect.h"
#include "pptp.h"
#include "qmsg.h"

/* A dispatcher for PPTP, its fake ctnetlink and module, one control connection, the last
 * verdict and a message buffer. */
struct ppt {
	struct dispatch dp;
	struct fakect fake;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint8_t b[PPTP_MSG_MAX * 4];
};

/* A control message of RFC 2637's size for type, with its call-ID fields and result set
 * (-1: left zero).  Returns its length. */
uint32_t ppt_msg(uint8_t *b, unsigned type, int call_id, int peer, int result);
/* The dispatcher and the connection client:sport -> 10.0.2.2:1723 (NATed to 10.0.2.1 when
 * nat), conntrack id, after its handshake. */
void ppt_init(struct ppt *t, const char *client, uint16_t sport, bool nat, uint32_t id);
/* The conntrack ends (its NAT call IDs go back to the process), then the dispatcher. */
void ppt_free(struct ppt *t);
/* Send one message (dir 0: the client, the PNS) as one segment. */
bool ppt_send(struct ppt *t, int dir, unsigned type, int call_id, int peer, int result);
/* Start-Control-Connection-Request and a Reply that accepts it. */
void ppt_session(struct ppt *t);
/* The two bytes at off of the verdict's rewritten payload, or -1 when it is not rewritten. */
int ppt_field(const struct qmsg_verdict *v, unsigned off);
/* The module's call i is an add (add 1) or a delete (0) of those IDs; orig < 0: a delete of
 * every call of the connection. */
bool ppt_kcall_is(const struct fakect *f, unsigned i, int add, int orig, int nat, int reply);

#endif
