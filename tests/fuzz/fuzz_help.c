// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_help: "packet in, verdict out" for every protocol of helper_protos[] (src/helpers.c):
 * a whole connection of TCP segments or UDP datagrams in either direction, retransmissions,
 * gaps, conntrack ends, with and without NAT, IPv4 and IPv6, expectations created through a
 * fake ctnetlink (tests/lib/fakect.c) or riding in the verdict — every verdict checked.
 * PPTP's calls go to fakect's model of the nfh_pptp module: never added twice, never removed
 * unadded; once the conntrack has ended no NAT call ID and no pool pin may stay held.
 *
 * Input: the protocol's name and a NUL ("ftp\0"; a name helper_find does not know ends the
 * input: seeds never change meaning when a protocol joins the table), two bytes of settings,
 * then records [flags][len][len bytes] (flag bit 6: len is two bytes, big-endian, so a record
 * may exceed 255 bytes: a TFTP request over 512, a full segment).
 *   byte 0: bits 0-2 unused (they were the protocol's index), bit 3 the transport (index
 *           into the protocol's l4[], modulo), bit 4 NAT, bit 5 IPv6,
 *           bits 6-7 expectation creation: 0 in the verdict only, 1 fakect, 2 fakect with
 *           ports taken (byte 1), 3 fakect failing (-ENOENT: synchronous creation unusable).
 *   byte 1: bits 0-2 the protocol's first three switches (HELPER_OPT_BOOL, e.g. ftp --loose),
 *           bit 3 NAT also moves the client's port, bits 4-7 h: fakect takes every port from
 *           h * 4096 up (h = 15: every port), none when h = 0.
 *   flags:  bit 0 direction (reply), bit 1 send the previous packet of that direction again,
 *           bit 2 SYN, bit 3 skip 1000 bytes ahead (a gap), bit 4 the conntrack ends before
 *           this packet and a new one (next id, same tuple) starts, bit 5 another
 *           connection now holds the port of fakect's last expectation and the next one
 *           (a clash for a retransmission or the next command); TCP only: bits 2-3.
 * The conntrack's helper data is modelled as the kernel keeps it (tests/lib/kstore.c): each
 * packet carries it in NFQA_CT, each verdict's NFQA_CT is applied, and a verdict the kernel
 * would mishandle (CTA_HELP_NAME without CTA_HELP_INFO, a record longer than priv_data_len,
 * another helper's name, NFQA_EXP without NFQA_CT) aborts. */
#include <errno.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "fakect.h"
#include "pkt.h"
#include "pptp.h"
#include "qmsg.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pktbuf[PKT_MAX], msgbuf[PKT_MAX + 4096] __attribute__((aligned(4)));

static void fail(const struct helper_proto *p, uint32_t id, const char *what)
{
	fprintf(stderr, "fuzz_help: %s packet %u: %s\n", p->name, id, what);
	abort();
}

/* The protocol the input names: up to PROTO_NAME_MAX bytes and a NUL.  *used is past it. */
#define PROTO_NAME_MAX 16
static const struct helper_proto *proto_named(const uint8_t *d, size_t size, size_t *used)
{
	const uint8_t *nul = memchr(d, 0, size < PROTO_NAME_MAX ? size : PROTO_NAME_MAX);
	char name[PROTO_NAME_MAX];

	if (!nul)
		return NULL;
	memcpy(name, d, (size_t)(nul - d) + 1);
	*used = (size_t)(nul - d) + 1;
	return helper_find(name);
}

/* Expectations in fakect before a packet: a dropped packet must leave no new one behind
 * (what it created through ctnetlink is rolled back, as the kernel never saw the packet). */
struct live {
	struct ct_tuple t[FAKECT_LIVE];
	unsigned n;
};

static void live_save(const struct fakect *f, struct live *l)
{
	l->n = f->nlive;
	for (unsigned i = 0; i < f->nlive; i++)
		l->t[i] = f->live[i].tuple;
}

static bool live_new(const struct fakect *f, const struct live *before)
{
	for (unsigned i = 0; i < f->nlive; i++) {
		unsigned j = 0;

		while (j < before->n && !ct_tuple_equal(&before->t[j], &f->live[i].tuple))
			j++;
		if (j == before->n)
			return true;
	}
	return false;
}

/* One verdict: decodes, answers this packet, ACCEPT or DROP; a rewrite parses with valid
 * checksums and grows by at most the held-back message and HELP_EXP_MAX longer addresses;
 * NFQA_CT (naming the helper) rides with any expectation or rewrite. */
static void check_verdict(const struct helper_proto *p, const struct nlmsghdr *out, uint32_t id,
			  uint32_t inlen)
{
	uint32_t hold = p->stream ? p->stream->hold_max : 0;
	struct qmsg_verdict v;
	struct pkt pk;

	if (!out)
		fail(p, id, "no verdict");
	if (qmsg_verdict_decode(out, &v) < 0 || v.id != id)
		fail(p, id, "verdict does not decode or names another packet");
	if (v.verdict != NF_ACCEPT && v.verdict != NF_DROP)
		fail(p, id, "verdict neither ACCEPT nor DROP");
	if (v.payload && (pkt_parse(v.payload, v.payload_len, &pk) < 0 ||
			  !pkt_l4_csum_ok(v.payload, v.payload_len)))
		fail(p, id, "rewritten packet inconsistent");
	if (v.payload && v.payload_len > inlen + hold + HELP_EXP_MAX * 96)
		fail(p, id, "rewritten packet grew too much");
	if ((v.has_exp || v.payload) && !v.has_ct)
		fail(p, id, "expectation or rewrite without NFQA_CT");
	if (v.verdict == NF_DROP && (v.has_exp || v.payload))
		fail(p, id, "a drop carries an expectation or a rewrite");
}

struct run {
	const struct helper_proto *proto;
	uint8_t l4;
	struct dispatch dp;
	struct qmsg_conn c;
	struct fakect fake;
	uint32_t id;
	uint32_t last_seq[2];
	const uint8_t *last[2];   /* the previous packet's payload per direction (UDP resend) */
	uint32_t last_len[2];
	unsigned ntaken;
};

static void setup_conn(struct run *r, uint8_t s0, uint8_t s1)
{
	static const char *const v4[] = { "10.0.1.2", "10.0.2.2", "10.0.2.1" };
	static const char *const v6[] = { "fd00:1::2", "fd00:2::2", "fd00:2::1" };
	const char *const *a = (s0 & 0x20) ? v6 : v4;

	qmsg_conn_init(&r->c, (s0 & 0x20) ? AF_INET6 : AF_INET, a[0], 40000, a[1],
		       r->proto->default_queue, (s0 & 0x10) ? a[2] : NULL, 7);
	r->c.ct.tuple[CT_DIR_ORIGINAL].l4 = r->c.ct.tuple[CT_DIR_REPLY].l4 = r->l4;
	snprintf(r->c.ct.helper, sizeof(r->c.ct.helper), "%s", r->proto->name);
	kstore_bind(&r->c.kernel, r->proto);
	if ((s0 & 0x10) && (s1 & 8))
		r->c.ct.tuple[CT_DIR_REPLY].dport = 40001;
}

static void setup(struct run *r, struct helper_cfg *cfg, const struct helper_proto *p, uint8_t s0,
		  uint8_t s1)
{
	unsigned h = s1 >> 4;

	r->proto = p;
	r->l4 = p->l4[((s0 >> 3) & 1) % p->nl4].proto;
	helper_cfg_init(cfg, p);
	cfg->max_conns = 16;
	for (unsigned i = 0; i < p->nopts && i < 3; i++)
		if (p->opts[i].type == HELPER_OPT_BOOL)
			cfg->opt[i] = (s1 >> i) & 1;
	if (dispatch_init(&r->dp, p, cfg) < 0)
		fail(p, 0, "dispatch_init");
	memset(&r->fake, 0, sizeof(r->fake));
	if (s0 >> 6) {
		r->dp.ops = &fakect_ops;
		r->dp.ops_arg = &r->fake;
		r->dp.backend = fakect_kmod(&r->fake);
	}
	if ((s0 >> 6) == 2 && h)
		r->fake.taken_from = h == 15 ? 1 : (uint16_t)(h * 4096);
	if ((s0 >> 6) == 3)
		r->fake.fail = -ENOENT;
	setup_conn(r, s0, s1);
	r->id = 1;
}

/* The verdict as the kernel takes it: its helper data for the next packet. */
static void kernel_apply(struct run *r, const struct nlmsghdr *out)
{
	const char *fault = kstore_apply(&r->c.kernel, r->c.ct.helper, out);

	if (fault)
		fail(r->proto, r->id, fault);
}

/* Build one packet of the record: a TCP segment at the direction's sequence number (or the
 * previous one's again), or a UDP datagram (or the previous one again). */
static uint32_t build(struct run *r, uint8_t fl, const uint8_t *d, uint32_t len)
{
	int dir = fl & 1;
	uint32_t seq;

	if (r->l4 != IPPROTO_TCP) {
		if ((fl & 2) && r->last[dir]) {
			d = r->last[dir];
			len = r->last_len[dir];
		}
		r->last[dir] = d;
		r->last_len[dir] = len;
		return qmsg_udp(pktbuf, &r->c, dir, d, len);
	}
	if (fl & 2) {
		seq = r->last_seq[dir];
	} else {
		if (fl & 8)
			r->c.seq[dir] += 1000;
		seq = r->c.seq[dir];
		r->c.seq[dir] += len + ((fl & 4) ? 1 : 0);
	}
	r->last_seq[dir] = seq;
	return qmsg_tcp(pktbuf, &r->c, dir, seq, (fl & 4) ? PKT_TCP_SYN : 0, d, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct run r;
	const struct helper_proto *p;
	struct helper_cfg cfg;
	size_t off;

	p = proto_named(data, size, &off);
	if (!p || size < off + 2)
		return 0;
	memset(&r, 0, sizeof(r));
	setup(&r, &cfg, p, data[off], data[off + 1]);
	off += 2;
	while (off + 2 <= size) {
		uint8_t fl = data[off];
		uint32_t len = data[off + 1];
		struct help_result res;
		struct nlmsghdr *nlh;
		struct qmsg_verdict v;
		const struct nlmsghdr *out;
		struct live before;
		uint32_t n;

		off += 2;
		if ((fl & 0x40) && off < size)
			len = len << 8 | data[off++];
		if (len > size - off)
			len = (uint32_t)(size - off);
		if ((fl & 0x20) && r.fake.calls) {
			r.fake.taken[r.ntaken++ % 8] = r.fake.last.tuple.dport;
			r.fake.taken[r.ntaken++ % 8] = (uint16_t)(r.fake.last.tuple.dport + 1);
		}
		if (fl & 0x10) {
			dispatch_conn_end(&r.dp, r.c.ct.id, &r.c.ct.tuple[CT_DIR_ORIGINAL]);
			fakect_master_gone(&r.fake, r.c.ct.id);
			r.c.ct.id++;
			kstore_reset(&r.c.kernel);
		}
		n = build(&r, fl, data + off, len);
		nlh = qmsg_packet(msgbuf, sizeof(msgbuf), &r.c, fl & 1, r.id, pktbuf, n);
		if (!nlh)
			fail(r.proto, r.id, "qmsg_packet");
		live_save(&r.fake, &before);
		out = dispatch_packet(&r.dp, nlh, 1, &res);
		check_verdict(r.proto, out, r.id, n);
		kernel_apply(&r, out);
		if (qmsg_verdict_decode(out, &v) == 0 && v.verdict == NF_DROP && live_new(&r.fake, &before))
			fail(r.proto, r.id, "dropped, yet an expectation it created stays in ctnetlink");
		if (r.fake.kmod_wrong)
			fail(r.proto, r.id, "a PPTP call added to the module twice, or removed unadded");
		r.id++;
		off += len;
	}
	dispatch_conn_end(&r.dp, r.c.ct.id, &r.c.ct.tuple[CT_DIR_ORIGINAL]);
	if (pptp_nat_ids_held())
		fail(r.proto, r.id, "NAT call IDs still held after the conntrack ended");
	for (uint32_t i = 0; i < r.dp.pool.count; i++)
		if (r.dp.pool.pinned[i])
			fail(r.proto, r.id, "a pool block still pinned after the conntrack ended");
	dispatch_free(&r.dp);
	return 0;
}
