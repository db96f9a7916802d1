// SPDX-License-Identifier: GPL-2.0-or-later
/* pkttest: "packet in, verdict out" for every protocol's unit tests — a TCP segment of a
 * conntrack through dispatch_packet, its verdict decoded and checked. */
#include <arpa/inet.h>
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
	out = nlh ? dispatch_packet(dp, nlh, 1, &res) : NULL;
	if (out)
		pt_kernel_apply(c, out);
	return out && qmsg_verdict_decode(out, v) == 0 && v->id == next_id - 1;
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

