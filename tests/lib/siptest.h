/* SPDX-License-Identifier: GPL-2.0-or-later */
/* siptest: what the SIP suites share — conntracks of SIP calls, messages written from a
 * template with the addresses filled in and Content-Length counted, datagrams through
 * dispatch, the rewritten payload and expectations checked. */
#ifndef NFHELPER_TEST_SIPTEST_H
#define NFHELPER_TEST_SIPTEST_H

#include <stdbool.h>
#include "dispatch.h"
#include "fakect.h"
#include "qmsg.h"

extern const struct helper_proto sip_proto;

/* A test set-up: the protocol's defaults (options changed by the test), a dispatch, and the
 * kernel's expectation table when ops is wanted. */
struct sipt {
	struct helper_cfg cfg;
	struct dispatch dp;
	struct fakect f;
	struct qmsg_verdict v;
	struct help_result res;
	bool got;
};
void sipt_init(struct sipt *t, bool ops);
void sipt_free(struct sipt *t);

/* client:cport -> server:sport over UDP with the sip helper; nat: masqueraded to nat:natport. */
void sipt_conn(struct qmsg_conn *c, uint8_t l3, const char *client, uint16_t cport, const char *server,
	       uint16_t sport, const char *nat, uint16_t natport);

/* Fill tmpl: each "$X" (X one of the letters A-Z) becomes val[X - 'A'] (NULL: ""); a line
 * "$L" becomes Content-Length: N counted over what follows the blank line.  Returns the
 * length of out. */
size_t sipt_fill(char *out, size_t cap, const char *tmpl, const char *const val[26]);

/* One datagram (len bytes) of c in direction dir through t's dispatch, verdict in t->v. */
bool sipt_send(struct sipt *t, struct qmsg_conn *c, int dir, const void *data, size_t len);

/* The verdict passed the datagram unchanged. */
bool sipt_unchanged(const struct sipt *t, const char *desc);
/* The verdict's datagram is consistent (lengths, checksums) and its payload is want. */
bool sipt_payload_is(const struct sipt *t, const char *want, size_t wlen, const char *desc);
/* The verdict's datagram's destination port (-1 when not rewritten). */
int sipt_dport(const struct sipt *t);

/* e is udp/tcp (l4) from src (NULL: any) to dst port dport in class. */
bool sipt_exp_is(const struct ct_expect *e, uint8_t l3, uint8_t l4, const char *src, const char *dst,
		 uint16_t dport, uint32_t class, const char *desc);
/* The live expectation of t->f with that destination port, or NULL. */
const struct ct_expect *sipt_live(const struct sipt *t, uint16_t dport);

/* Messages of a call between a phone ($A: its host:port) and a server ($R), written into
 * sipt_msg (their length returned): a request of the phone's, a response to one (status
 * "200 OK" and so on), with more headers hdrs (NULL: none) and an SDP body b (NULL: none). */
extern char sipt_msg[65536];
extern const char *sipt_via_params;	/* after the top Via's branch (NULL: none) */
size_t sipt_req(const char *method, const char *cseq, const char *a, const char *r, const char *hdrs,
		const char *b);
size_t sipt_rsp(const char *status, const char *cseq, const char *method, const char *a, const char *r,
		const char *hdrs, const char *b);
/* An SDP body: o= and c= name addr, audio on port, more media lines after (NULL: none). */
const char *sipt_sdp(uint8_t l3, const char *addr, const char *port, const char *more);
/* "addr:port", IPv6 bracketed (four buffers in turn). */
const char *sipt_hp(uint8_t l3, const char *addr, unsigned port);

#endif
