/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pkt: read an IPv4/IPv6 TCP or UDP packet and write an edited copy with correct lengths
 * and checksums.  Mirrors nf_nat_helper.c (mangle_contents, nf_nat_mangle_tcp_packet). */
#ifndef NFHELPER_PKT_H
#define NFHELPER_PKT_H

#include <stdbool.h>
#include <stdint.h>

#define PKT_MAX 65535U

/* TCP flag bits as they stand in byte 13 of the header. */
#define PKT_TCP_FIN (1U << 0)
#define PKT_TCP_SYN (1U << 1)
#define PKT_TCP_RST (1U << 2)

/* Where things are in a packet starting at the L3 header. */
struct pkt {
	uint8_t family;   /* AF_INET / AF_INET6 */
	uint8_t l4;       /* IPPROTO_TCP / IPPROTO_UDP */
	uint32_t l4off;   /* transport header */
	uint32_t off;     /* application payload */
	uint32_t len;     /* application payload length */
	uint32_t seq;     /* TCP only */
	uint8_t tcp_flags;
};

/* 0, or -EINVAL for anything that is not a whole, unfragmented TCP/UDP packet. */
int pkt_parse(const uint8_t *data, uint32_t len, struct pkt *p);

/* Replace payload bytes [off, off+len) with rep[0..rep_len).  Edits must be sorted by off
 * and must not overlap; off is relative to the application payload. */
struct pkt_edit {
	uint32_t off, len;
	const uint8_t *rep;
	uint32_t rep_len;
};

/* Write the edited packet into out (cap bytes).  Returns the new total length, or -ENOSPC /
 * -EINVAL; out is then unusable and the caller must accept the original unchanged. */
int pkt_rewrite(const uint8_t *data, const struct pkt *p, const struct pkt_edit *edits,
		unsigned nedits, uint8_t *out, uint32_t cap);

/* pkt_rewrite for a UDP datagram as nf_nat_mangle_udp_packet writes one: dport, when not
 * negative, becomes its destination port (nf_nat_sip moves a request to the port a phone
 * announced in Via); an IPv4 datagram sent without a checksum (0) keeps none.  Also -EINVAL
 * for a packet that is not UDP or a port above 65535. */
int pkt_rewrite_udp(const uint8_t *data, const struct pkt *p, const struct pkt_edit *edits,
		    unsigned nedits, int32_t dport, uint8_t *out, uint32_t cap);

/* Set the TCP sequence number of a whole packet (as pkt_rewrite wrote it) and fix its
 * checksum: the kernel adjusts what the verdict returns, and one correction per direction
 * cannot place every retransmission (see stream.c). */
void pkt_set_seq(uint8_t *data, const struct pkt *p, uint32_t len, uint32_t seq);

/* The MSS option of a TCP SYN (RFC 9293 3.7.1), or 0 when it has none that reads as one: no
 * option, a zero MSS, or an option list that is truncated or has a length below 2 (where
 * Linux's tcp_parse_options stops reading too). */
uint16_t pkt_tcp_mss(const uint8_t *data, const struct pkt *p);

/* IPv4 with DF set: a router drops it when it is too long for the next hop (RFC 1191).
 * IPv6 packets are never fragmented on the way (RFC 8200 5), which is not asked here. */
bool pkt_v4_df(const uint8_t *data, const struct pkt *p);
/* Clear DF in a whole IPv4 packet and fix its header checksum. */
void pkt_v4_clear_df(uint8_t *data, const struct pkt *p);

/* Linux up to at least 6.1 adjusts TCP sequence numbers after an NFQA_PAYLOAD length change
 * with nf_ct_tcp_seqadj_set(), which finds the TCP header at ip_hdrlen(skb) — an IPv4-only
 * reading.  On IPv6 it reads the IHL nibble from the traffic class, takes garbage for the
 * sequence number, and the connection breaks.  Setting the traffic class's high nibble to
 * l4off / 4 makes that reading land on the real TCP header.  The cost: this one packet leaves
 * with DSCP bits changed.  Returns false when the header cannot be reached that way. */
bool pkt_v6_seqadj_workaround(uint8_t *data, const struct pkt *p);

/* Internet checksum helpers (RFC 1071), exposed for tests. */
uint32_t pkt_csum_add(uint32_t sum, const uint8_t *data, uint32_t len);
uint16_t pkt_csum_fold(uint32_t sum);
/* Verify the L4 checksum of a whole packet (tests use it on what pkt_rewrite wrote). */
bool pkt_l4_csum_ok(const uint8_t *data, uint32_t len);

#endif
