// SPDX-License-Identifier: GPL-2.0-or-later
/* pkttest: "packet in, verdict out" for every protocol's unit tests — a TCP segment of a
 * conntrack through dispatch_packet, its verdict decoded and checked. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include "pkttest.h"
#include "tap.h"

static uint32_t next_id = 1;
static uint8_t pktbuf[PKT_MAX], msgbuf[PKT_MAX + 4096] __attribute__((aligned(4)));

/* Send one segment of c in direction dir at its next sequence number (or at seq when
 * given) through dispatch; decode the verdict into v.  Returns false if none came back. */
bool pt_send(struct dispatch *dp, struct qmsg_conn *c, int dir, uint8_t flags, const char *data,
		    const uint32_t *seq, struct qmsg_verdict *v)
{
	return pt_send_bin(dp, c, dir, flags, data, data ? (uint32_t)strlen(data) : 0, seq, v);
}

bool pt_send_bin(struct dispatch *dp, struct qmsg_conn *c, int dir, uint8_t flags, const void *data,
		 uint32_t len, const uint32_t *seq, struct qmsg_verdict *v)
{
	uint32_t s = seq ? *seq : c->seq[dir];
	uint32_t n = qmsg_tcp(pktbuf, c, dir, s, flags, data, len);
	struct nlmsghdr *nlh;
	struct help_result res;
	const struct nlmsghdr *out;

	/* The kernel keeps what the protocol registered: its priv_data_len. */
	if (!c->kernel.bound)
		kstore_bind(&c->kernel, dp->proto);
	nlh = qmsg_packet(msgbuf, sizeof(msgbuf), c, dir, next_id++, pktbuf, n);

	if (!seq)
		c->seq[dir] += len + ((flags & PKT_TCP_SYN) ? 1 : 0);
	if (len > c->seen[dir])
		c->seen[dir] = len;
	out = nlh ? dispatch_packet(dp, nlh, 1, &res) : NULL;
	if (out)
		pt_kernel_apply(c, out);
	if (!out || qmsg_verdict_decode(out, v) < 0 || v->id != next_id - 1)
		return false;
	pt_bound_check(c, dir, pktbuf, n, v);
	return true;
}

/* What the stream layer sends must get through a path that drops what is too long (IPv6,
 * IPv4 with DF; src/stream_bound.c): a rewritten segment is never longer than what came in,
 * or than the longest this direction sent (at least what every path carries: 536 bytes for
 * IPv4, 1220 for IPv6), less the options it carries beyond the fixed headers.  c->seen counts
 * what a segment carried beyond the fixed headers (options and payload). */
void pt_bound_check(const struct qmsg_conn *c, int dir, const uint8_t *in, uint32_t inlen,
		    const struct qmsg_verdict *v)
{
	struct pkt p, q;
	uint32_t fixed, lim;

	if (!v->payload || pkt_parse(in, inlen, &p) < 0 || pkt_parse(v->payload, v->payload_len, &q) < 0 ||
	    p.l4 != IPPROTO_TCP || (p.family == AF_INET && !(v->payload[6] & 0x40)))
		return;	/* unchanged, or IPv4 that a router may fragment */
	fixed = p.family == AF_INET ? 40 : 60;
	lim = c->seen[dir] > (p.family == AF_INET ? 536U : 1220U) ? c->seen[dir] :
	      (p.family == AF_INET ? 536U : 1220U);
	lim = lim > q.off - fixed ? lim - (q.off - fixed) : 0;
	if (q.len > p.len && q.len > lim)
		tap_ok(false, "ct %u: a %u-byte segment left with %u bytes, past the path's bound %u",
		       c->ct.id, p.len, q.len, lim);
}

void pt_kernel_apply(struct qmsg_conn *c, const struct nlmsghdr *verdict)
{
	const char *fault = kstore_apply(&c->kernel, c->ct.helper, verdict);

	if (fault)
		tap_ok(false, "kernel model: ct %u: the verdict would be mishandled: %s", c->ct.id, fault);
}

bool pt_seg(struct dispatch *dp, struct qmsg_conn *c, int dir, const char *data, struct qmsg_verdict *v)
{
	return pt_send(dp, c, dir, 0, data, NULL, v);
}

void pt_handshake(struct dispatch *dp, struct qmsg_conn *c)
{
	struct qmsg_verdict v;

	pt_send(dp, c, 0, PKT_TCP_SYN, NULL, NULL, &v);
	pt_send(dp, c, 1, PKT_TCP_SYN, NULL, NULL, &v);
}

/* The payload of a rewritten packet, checked for valid checksums. */
bool pt_payload_is(const struct qmsg_verdict *v, const char *want, const char *desc)
{
	struct pkt p;

	if (!tap_ok(v->payload != NULL, "%s: packet rewritten", desc))
		return false;
	tap_ok(pkt_parse(v->payload, v->payload_len, &p) == 0 && pkt_l4_csum_ok(v->payload, v->payload_len),
	       "%s: rewritten packet is consistent (lengths, checksum)", desc);
	return tap_bytes(v->payload + p.off, p.len, want, strlen(want), desc);
}

bool pt_addr_is(const union ct_addr *a, uint8_t l3, const char *want)
{
	union ct_addr w;

	memset(&w, 0, sizeof(w));
	inet_pton(l3, want, w.all);
	return !memcmp(a->all, w.all, 16);
}

