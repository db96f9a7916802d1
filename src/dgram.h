/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dgram: the UDP half of the message-rewrite path — a datagram written again from an edit set
 * over its payload, and a new destination port.  Mirrors nf_nat_helper.c's
 * nf_nat_mangle_udp_packet (what nf_nat_sip.c calls for each edit, here done once for all);
 * the TCP half composes the same edit set in stream.c. */
#ifndef NFHELPER_DGRAM_H
#define NFHELPER_DGRAM_H

#include <stdint.h>
#include "edit_set.h"
#include "helper.h"

/* A verdict's NFQA_PAYLOAD is one netlink attribute: 65535 minus its 4-byte header, from the
 * L3 header (the limit stream.c's STREAM_PKT_MAX puts on TCP). */
#define DGRAM_PKT_MAX 65531U

/* An edit set for the payload of p: offsets 0 to p->len. */
void dgram_edits_init(struct edit_set *es, const struct pkt *p);

/* Write the UDP packet data (laid out as p, from pkt_parse) into out (cap bytes) with es's
 * edits applied to its payload (es is closed first: an open message is left out) and, when
 * dport is not negative, that destination port; IP total length or IPv6 payload length, UDP
 * length and checksum (an IPv4 zero checksum stays zero) and the IPv4 header checksum set.
 * The new length, or -EINVAL (not UDP, an edit outside the payload, edits out of order or
 * overlapping, a bad port) or -ENOSPC (more than cap or DGRAM_PKT_MAX bytes); out is then
 * unusable. */
int dgram_rewrite(const uint8_t *data, const struct pkt *p, struct edit_set *es, int32_t dport,
		  uint8_t *out, uint32_t cap);

/* dgram_rewrite of ctx's packet into ctx->out, given to res as its new payload.  0 (with nothing
 * to change res is left alone); a negative errno when it cannot be rewritten: res is left
 * alone and the datagram passes unchanged unless the caller drops it. */
int dgram_emit(struct help_ctx *ctx, struct edit_set *es, int32_t dport, struct help_result *res);

#endif
