// SPDX-License-Identifier: GPL-2.0-or-later
/* pkt: parse IPv4/IPv6 + TCP/UDP, rewrite the payload, fix lengths and checksums.
 * Mirrors nf_nat_helper.c; RFC 791, RFC 8200 (extension headers), RFC 1071 (checksum). */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "pkt.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* IPv4 header: returns the transport offset or -EINVAL.  Fragments are refused: conntrack
 * reassembles before helpers run, so a fragment here is not ours to edit. */
static int parse_v4(const uint8_t *d, uint32_t len, uint8_t *l4)
{
	uint32_t ihl, tot;

	if (len < 20 || d[0] >> 4 != 4)
		return -EINVAL;
	ihl = (d[0] & 0x0f) * 4U;
	tot = get16(d + 2);
	if (ihl < 20 || tot < ihl || tot != len)
		return -EINVAL;
	if (get16(d + 6) & 0x3fff) /* MF or fragment offset */
		return -EINVAL;
	*l4 = d[9];
	return (int)ihl;
}

/* IPv6 header and the extension headers a transport payload may follow. */
static int parse_v6(const uint8_t *d, uint32_t len, uint8_t *l4)
{
	uint32_t off = 40;
	uint8_t nh;

	if (len < 40 || d[0] >> 4 != 6 || 40U + get16(d + 4) != len)
		return -EINVAL;
	nh = d[6];
	for (;;) {
		switch (nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (off + 8 > len)
				return -EINVAL;
			nh = d[off];
			off += (d[off + 1] + 1U) * 8;
			break;
		case IPPROTO_FRAGMENT:
			return -EINVAL;
		default:
			if (off > len)
				return -EINVAL;
			*l4 = nh;
			return (int)off;
		}
	}
}

int pkt_parse(const uint8_t *data, uint32_t len, struct pkt *p)
{
	int l4off;
	uint32_t hl;

	memset(p, 0, sizeof(*p));
	if (len < 1 || len > PKT_MAX)
		return -EINVAL;
	if (data[0] >> 4 == 4) {
		p->family = AF_INET;
		l4off = parse_v4(data, len, &p->l4);
	} else {
		p->family = AF_INET6;
		l4off = parse_v6(data, len, &p->l4);
	}
	if (l4off < 0)
		return l4off;
	p->l4off = (uint32_t)l4off;
	if (p->l4 == IPPROTO_TCP) {
		if (p->l4off + 20 > len)
			return -EINVAL;
		hl = (data[p->l4off + 12] >> 4) * 4U;
		if (hl < 20 || p->l4off + hl > len)
			return -EINVAL;
		p->seq = get32(data + p->l4off + 4);
		p->tcp_flags = data[p->l4off + 13];
	} else if (p->l4 == IPPROTO_UDP) {
		hl = 8;
		if (p->l4off + hl > len || get16(data + p->l4off + 4) != len - p->l4off)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	p->off = p->l4off + hl;
	p->len = len - p->off;
	return 0;
}

uint32_t pkt_csum_add(uint32_t sum, const uint8_t *data, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(data + i);
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	return sum;
}

uint16_t pkt_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The pseudo-header sum: addresses, protocol and transport length (RFC 793, RFC 8200 8.1). */
static uint32_t pseudo_sum(const uint8_t *d, uint8_t family, uint8_t l4, uint32_t l4len)
{
	uint32_t sum;

	if (family == AF_INET)
		sum = pkt_csum_add(0, d + 12, 8);
	else
		sum = pkt_csum_add(0, d + 8, 32);
	return sum + l4 + (l4len & 0xffff) + (l4len >> 16);
}

/* Checksum offset within the transport header. */
static uint32_t l4_csum_off(uint8_t l4)
{
	return l4 == IPPROTO_TCP ? 16 : 6;
}

/* Lengths and checksums of a packet of total bytes laid out as p says.  no_udp_csum: an IPv4
 * UDP datagram sent without a checksum keeps none (nf_nat_mangle_udp_packet). */
static void fix_checksums(uint8_t *d, const struct pkt *p, uint32_t total, bool no_udp_csum)
{
	uint32_t l4len = total - p->l4off;
	uint8_t *l4 = d + p->l4off;
	uint16_t c;

	if (p->family == AF_INET) {
		put16(d + 2, (uint16_t)total);
		put16(d + 10, 0);
		put16(d + 10, pkt_csum_fold(pkt_csum_add(0, d, p->l4off)));
	} else {
		put16(d + 4, (uint16_t)(total - 40));
	}
	if (p->l4 == IPPROTO_UDP)
		put16(l4 + 4, (uint16_t)l4len);
	put16(l4 + l4_csum_off(p->l4), 0);
	if (no_udp_csum)
		return;
	c = pkt_csum_fold(pseudo_sum(d, p->family, p->l4, l4len) + pkt_csum_add(0, l4, l4len));
	/* UDP sends 0 as "no checksum"; a computed 0 goes out as all ones (RFC 768). */
	if (p->l4 == IPPROTO_UDP && c == 0)
		c = 0xffff;
	put16(l4 + l4_csum_off(p->l4), c);
}

void pkt_set_seq(uint8_t *data, const struct pkt *p, uint32_t len, uint32_t seq)
{
	uint8_t *s = data + p->l4off + 4;

	s[0] = seq >> 24, s[1] = (seq >> 16) & 0xff, s[2] = (seq >> 8) & 0xff, s[3] = seq & 0xff;
	fix_checksums(data, p, len, false);
}

uint16_t pkt_tcp_mss(const uint8_t *data, const struct pkt *p)
{
	const uint8_t *o = data + p->l4off + 20;
	uint32_t n = p->off - p->l4off - 20, i = 0;

	if (p->l4 != IPPROTO_TCP)
		return 0;
	while (i < n && o[i] != 0) {	/* 0: end of the option list */
		if (o[i] == 1) {	/* no-operation */
			i++;
			continue;
		}
		if (n - i < 2 || o[i + 1] < 2 || o[i + 1] > n - i)
			return 0;	/* malformed: nothing after it can be trusted */
		if (o[i] == 2 && o[i + 1] == 4)
			return get16(o + i + 2);
		i += o[i + 1];
	}
	return 0;
}

bool pkt_v4_df(const uint8_t *data, const struct pkt *p)
{
	return p->family == AF_INET && (data[6] & 0x40);
}

void pkt_v4_clear_df(uint8_t *data, const struct pkt *p)
{
	if (p->family != AF_INET)
		return;
	data[6] &= (uint8_t)~0x40;
	put16(data + 10, 0);
	put16(data + 10, pkt_csum_fold(pkt_csum_add(0, data, p->l4off)));
}

bool pkt_v6_seqadj_workaround(uint8_t *data, const struct pkt *p)
{
	if (p->family != AF_INET6 || p->l4 != IPPROTO_TCP || p->l4off % 4 || p->l4off > 60)
		return false;
	/* Byte 0 is version (6) and the traffic class's high nibble, which ip_hdrlen() reads. */
	data[0] = (uint8_t)(0x60 | (p->l4off / 4));
	return true;
}

bool pkt_l4_csum_ok(const uint8_t *data, uint32_t len)
{
	struct pkt p;
	uint32_t l4len;

	if (pkt_parse(data, len, &p) < 0)
		return false;
	l4len = len - p.l4off;
	return pkt_csum_fold(pseudo_sum(data, p.family, p.l4, l4len) +
			     pkt_csum_add(0, data + p.l4off, l4len)) == 0;
}

/* The headers and the edited payload into out; the new total length or -errno. */
static int rewrite_payload(const uint8_t *data, const struct pkt *p, const struct pkt_edit *edits,
			   unsigned nedits, uint8_t *out, uint32_t cap)
{
	uint32_t in = 0, w = p->off;
	const uint8_t *pl = data + p->off;

	if (cap > PKT_MAX)
		cap = PKT_MAX;
	if (p->off > cap)
		return -ENOSPC;
	memcpy(out, data, p->off);
	for (unsigned i = 0; i < nedits; i++) {
		const struct pkt_edit *e = &edits[i];

		if (e->off < in || e->off > p->len || e->len > p->len - e->off)
			return -EINVAL;
		if (w + (e->off - in) + e->rep_len > cap)
			return -ENOSPC;
		memcpy(out + w, pl + in, e->off - in);
		w += e->off - in;
		if (e->rep_len)
			memcpy(out + w, e->rep, e->rep_len);
		w += e->rep_len;
		in = e->off + e->len;
	}
	if (w + (p->len - in) > cap)
		return -ENOSPC;
	memcpy(out + w, pl + in, p->len - in);
	w += p->len - in;
	return (int)w;
}

int pkt_rewrite(const uint8_t *data, const struct pkt *p, const struct pkt_edit *edits,
		unsigned nedits, uint8_t *out, uint32_t cap)
{
	int w = rewrite_payload(data, p, edits, nedits, out, cap);

	if (w >= 0)
		fix_checksums(out, p, (uint32_t)w, false);
	return w;
}

int pkt_rewrite_udp(const uint8_t *data, const struct pkt *p, const struct pkt_edit *edits,
		    unsigned nedits, int32_t dport, uint8_t *out, uint32_t cap)
{
	bool none;
	int w;

	if (p->l4 != IPPROTO_UDP || dport > 0xffff)
		return -EINVAL;
	w = rewrite_payload(data, p, edits, nedits, out, cap);
	if (w < 0)
		return w;
	/* IPv6 has no "no checksum" (RFC 8200 8.1): there one is always computed. */
	none = p->family == AF_INET && !get16(data + p->l4off + 6);
	if (dport >= 0)
		put16(out + p->l4off + 2, (uint16_t)dport);
	fix_checksums(out, p, (uint32_t)w, none);
	return w;
}
