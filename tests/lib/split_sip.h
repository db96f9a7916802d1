/* SPDX-License-Identifier: GPL-2.0-or-later */
/* split_sip: the SIP parser's struct split_proto (src/sip_parser.h), for a TCP stream and for
 * a UDP datagram fed in pieces (sip_parser_feed, then sip_parser_finish). */
#ifndef NFHELPER_TEST_SPLIT_SIP_H
#define NFHELPER_TEST_SPLIT_SIP_H

#include "sip_parser.h"
#include "split.h"

/* init takes the stream position.  A record is one sip_parser result (type: SIP_MSG or
 * SIP_BAD; a datagram's finish also SIP_MORE): off/len the message's start and length, the
 * top Via's address and port, v[] = a hash of every byte of the struct sip_msg, then the
 * fields named below.  End state: v[] = pos, phase, cs, bad. */
struct split_sip_arg {
	uint64_t pos;
};
enum {
	SPLIT_SIP_HASH, SPLIT_SIP_BAD, SPLIT_SIP_METHOD, SPLIT_SIP_STATUS, SPLIT_SIP_BODY,
	SPLIT_SIP_NCONTACT, SPLIT_SIP_NMEDIA, SPLIT_SIP_CLEN, SPLIT_SIP_CSEQ,
};
extern const struct split_proto split_sip_tcp, split_sip_udp;
void split_sip_rec(enum sip_result r, enum sip_bad bad, const struct sip_msg *m,
		   struct split_rec *rec);
uint64_t split_sip_hash(const struct sip_msg *m);

#endif
