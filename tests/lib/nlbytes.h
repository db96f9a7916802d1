/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nlbytes: spelling netlink messages byte by byte for golden and decode tests.
 * Netlink headers are host order (linux/netlink.h); nfgenmsg res_id and every netfilter
 * attribute value are network order (nfnetlink.h). */
#ifndef NFHELPER_NLBYTES_H
#define NFHELPER_NLBYTES_H

#include <stdint.h>

#define BYTE(x) ((uint8_t)((x) & 0xff))
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define H16(x) BYTE(x), BYTE((x) >> 8)
#define H32(x) BYTE(x), BYTE((x) >> 8), BYTE((x) >> 16), BYTE((x) >> 24)
#else
#define H16(x) BYTE((x) >> 8), BYTE(x)
#define H32(x) BYTE((x) >> 24), BYTE((x) >> 16), BYTE((x) >> 8), BYTE(x)
#endif
#define B16(x) BYTE((x) >> 8), BYTE(x)
#define B32(x) BYTE((x) >> 24), BYTE((x) >> 16), BYTE((x) >> 8), BYTE(x)

/* struct nlmsghdr: len, type, flags, seq, pid */
#define NLMSG(len, type, flags, seq, pid) H32(len), H16(type), H16(flags), H32(seq), H32(pid)
/* struct nfgenmsg: family, version NFNETLINK_V0, res_id (big endian) */
#define NFGEN(family, res_id) BYTE(family), 0, B16(res_id)
/* struct nlattr: nla_len (header + payload, unpadded), nla_type */
#define NLA(len, type) H16(len), H16(type)
/* ... with NLA_F_NESTED (0x8000), as nla_nest_start and our nests set it */
#define NEST(len, type) H16(len), H16((type) | 0x8000)
/* Padding to the next 4-byte boundary. */
#define PAD1 0
#define PAD2 0, 0
#define PAD3 0, 0, 0

#define V4(a, b, c, d) a, b, c, d
/* 2001:db8::x */
#define V6DB8(x) 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, x
#define V6ONES 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
	       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff

/* A ctnetlink IPv4 tuple nest of TYPE: 52 bytes.
 *   TYPE(52) { CTA_TUPLE_IP(20) {V4_SRC(8), V4_DST(8)},
 *              CTA_TUPLE_PROTO(28) {PROTO_NUM(5)+3, SRC_PORT(6)+2, DST_PORT(6)+2} } */
#define TUPLE4(type, src, dst, l4, sport, dport) \
	NEST(52, type), \
		NEST(20, 1 /* CTA_TUPLE_IP */), \
			NLA(8, 1 /* CTA_IP_V4_SRC */), src, \
			NLA(8, 2 /* CTA_IP_V4_DST */), dst, \
		NEST(28, 2 /* CTA_TUPLE_PROTO */), \
			NLA(5, 1 /* CTA_PROTO_NUM */), l4, PAD3, \
			NLA(6, 2 /* CTA_PROTO_SRC_PORT */), B16(sport), PAD2, \
			NLA(6, 3 /* CTA_PROTO_DST_PORT */), B16(dport), PAD2
/* The same for IPv6: 76 bytes (CTA_TUPLE_IP 44 = V6_SRC(20) + V6_DST(20)). */
#define TUPLE6(type, src, dst, l4, sport, dport) \
	NEST(76, type), \
		NEST(44, 1 /* CTA_TUPLE_IP */), \
			NLA(20, 3 /* CTA_IP_V6_SRC */), src, \
			NLA(20, 4 /* CTA_IP_V6_DST */), dst, \
		NEST(28, 2 /* CTA_TUPLE_PROTO */), \
			NLA(5, 1 /* CTA_PROTO_NUM */), l4, PAD3, \
			NLA(6, 2 /* CTA_PROTO_SRC_PORT */), B16(sport), PAD2, \
			NLA(6, 3 /* CTA_PROTO_DST_PORT */), B16(dport), PAD2

/* CTA_PROTOINFO of an established TCP conntrack as ctnetlink_dump_protoinfo lays it out: 48 bytes
 * (state, both window scales, both flag pairs). */
#define PROTOINFO_TCP_ESTABLISHED \
	NEST(48, 4 /* CTA_PROTOINFO */), \
		NEST(44, 1 /* CTA_PROTOINFO_TCP */), \
			NLA(5, 1 /* STATE */), 3 /* ESTABLISHED */, PAD3, \
			NLA(5, 2 /* WSCALE_ORIGINAL */), 7, PAD3, \
			NLA(5, 3 /* WSCALE_REPLY */), 7, PAD3, \
			NLA(6, 4 /* FLAGS_ORIGINAL */), 0x23, 0x23, PAD2, \
			NLA(6, 5 /* FLAGS_REPLY */), 0x23, 0x23, PAD2

/* Test buffers: 4-byte aligned like the kernel's. */
#define NLBUF(name, size) uint32_t name##_words[((size) + 3) / 4]; uint8_t *name = (uint8_t *)name##_words

/* Signed comparison for return codes (-errno). */
#define TAP_EQ_I(got, want, desc) \
	tap_ok((long long)(got) == (long long)(want), "%s (got %lld, want %lld)", desc, \
	       (long long)(got), (long long)(want))

#endif
