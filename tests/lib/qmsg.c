// SPDX-License-Identifier: GPL-2.0-or-later
/* qmsg: synthetic queued packets and verdict decoding (test and benchmark support). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "pkt.h"
#include "qmsg.h"

static void addr(uint8_t l3, const char *s, union ct_addr *a)
{
	memset(a, 0, sizeof(*a));
	inet_pton(l3, s, a->all);
}

void qmsg_conn_init(struct qmsg_conn *c, uint8_t l3, const char *client, uint16_t sport,
		    const char *server, uint16_t dport, const char *nat_addr, uint32_t id)
{
	struct ct_tuple *o = &c->ct.tuple[CT_DIR_ORIGINAL], *r = &c->ct.tuple[CT_DIR_REPLY];

	memset(c, 0, sizeof(*c));
	c->ct.id = id;
	c->ct.status = IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED;
	strcpy(c->ct.helper, "ftp");
	o->l3 = r->l3 = l3;
	o->l4 = r->l4 = IPPROTO_TCP;
	addr(l3, client, &o->src);
	addr(l3, server, &o->dst);
	o->sport = sport;
	o->dport = dport;
	r->src = o->dst;
	r->sport = dport;
	r->dst = o->src;
	r->dport = sport;
	if (nat_addr) {
		addr(l3, nat_addr, &r->dst);
		c->ct.status |= IPS_SRC_NAT | IPS_SRC_NAT_DONE;
	}
	c->seq[0] = 1000;
	c->seq[1] = 5000000;
}

/* The IP header of a packet of c in direction dir, with addresses as the packet carries them
 * where the helper sees it (after NAT); l4len is the transport header's length.  Returns the
 * transport header's offset.  pkt_rewrite fixes the lengths and checksums afterwards. */
static uint32_t ip_header(uint8_t *hdr, const struct qmsg_conn *c, int dir, uint8_t proto, uint32_t l4len)
{
	const struct ct_tuple *t = &c->ct.tuple[dir], *back = &c->ct.tuple[!dir];
	uint32_t l4;

	if (t->l3 == AF_INET) {
		hdr[0] = 0x45;
		hdr[3] = (uint8_t)(20 + l4len);
		hdr[8] = 64;
		hdr[9] = proto;
		memcpy(hdr + 12, t->src.all, 4);
		memcpy(hdr + 16, back->src.all, 4);
		l4 = 20;
	} else {
		hdr[0] = 0x60;
		hdr[5] = (uint8_t)l4len;
		hdr[6] = proto;
		hdr[7] = 64;
		memcpy(hdr + 8, t->src.all, 16);
		memcpy(hdr + 24, back->src.all, 16);
		l4 = 40;
	}
	hdr[l4] = t->sport >> 8;
	hdr[l4 + 1] = t->sport & 0xff;
	hdr[l4 + 2] = t->dport >> 8;
	hdr[l4 + 3] = t->dport & 0xff;
	return l4;
}

/* The header in hdr (n bytes) with payload appended, lengths and checksums right. */
static uint32_t finish(uint8_t *out, const uint8_t *hdr, uint32_t n, const void *payload, uint32_t len)
{
	struct pkt p;
	struct pkt_edit e = { 0, 0, payload, len };

	pkt_parse(hdr, n, &p);
	return (uint32_t)pkt_rewrite(hdr, &p, &e, 1, out, PKT_MAX);
}

uint32_t qmsg_tcp(uint8_t *out, const struct qmsg_conn *c, int dir, uint32_t seq, uint8_t flags,
		  const void *payload, uint32_t len)
{
	uint8_t hdr[80] = { 0 };
	uint32_t l4 = ip_header(hdr, c, dir, IPPROTO_TCP, 20);

	for (int i = 0; i < 4; i++)
		hdr[l4 + 4 + i] = (uint8_t)(seq >> (24 - 8 * i));
	hdr[l4 + 12] = 5 << 4;
	hdr[l4 + 13] = flags | 0x10;
	hdr[l4 + 14] = 0xff;
	return finish(out, hdr, l4 + 20, payload, len);
}

uint32_t qmsg_udp(uint8_t *out, const struct qmsg_conn *c, int dir, const void *payload, uint32_t len)
{
	uint8_t hdr[48] = { 0 };
	uint32_t l4 = ip_header(hdr, c, dir, IPPROTO_UDP, 8);

	hdr[l4 + 5] = 8;
	return finish(out, hdr, l4 + 8, payload, len);
}

struct nlmsghdr *qmsg_packet(void *buf, size_t cap, const struct qmsg_conn *c, int dir,
			     uint32_t id, const uint8_t *pkt, uint32_t len)
{
	struct nfqnl_msg_packet_hdr ph = { htonl(id), htons(c->ct.tuple[0].l3 == AF_INET ? 0x0800 : 0x86dd),
					   NF_INET_POST_ROUTING };
	struct nl_msg m;
	struct nlattr *ct, *help;
	struct nlmsghdr *nlh = nl_nfmsg_init(&m, buf, cap, NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET, 0, 0,
					     c->ct.tuple[0].l3, 21);

	nl_attr_put(&m, NFQA_PACKET_HDR, sizeof(ph), &ph);
	ct = nl_attr_nest_start(&m, NFQA_CT);
	ct_tuple_put(&m, CTA_TUPLE_ORIG, &c->ct.tuple[0]);
	ct_tuple_put(&m, CTA_TUPLE_REPLY, &c->ct.tuple[1]);
	if (c->ct.zone)	/* ctnetlink_dump_zone_id: a zone of both directions, never 0 */
		nl_attr_put_be16(&m, CTA_ZONE, c->ct.zone);
	nl_attr_put_be32(&m, CTA_STATUS, c->ct.status);
	nl_attr_put_be32(&m, CTA_ID, c->ct.id);
	help = nl_attr_nest_start(&m, CTA_HELP);
	nl_attr_put_strz(&m, CTA_HELP_NAME, c->ct.helper);
	kstore_put(&m, &c->kernel);
	nl_attr_nest_end(&m, help);
	if (c->ct.has_master)	/* ctnetlink_dump_master, after the helper as the kernel does */
		ct_tuple_put(&m, CTA_TUPLE_MASTER, &c->ct.master);
	nl_attr_nest_end(&m, ct);
	nl_attr_put_be32(&m, NFQA_CT_INFO, dir ? IP_CT_ESTABLISHED_REPLY : IP_CT_ESTABLISHED);
	nl_attr_put(&m, NFQA_PAYLOAD, len, pkt);
	return nl_msg_ok(&m) ? nlh : NULL;
}

static int exp_decode(const struct nlattr *nest, struct qmsg_verdict *v)
{
	const struct nlattr *tb[CTA_EXPECT_MAX + 1], *nb[CTA_EXPECT_NAT_MAX + 1];
	const char *fn;

	if (nl_attr_parse_nested(nest, tb, CTA_EXPECT_MAX) < 0 ||
	    ct_tuple_decode(tb[CTA_EXPECT_TUPLE], &v->exp_tuple) < 0 ||
	    ct_tuple_decode(tb[CTA_EXPECT_MASK], &v->exp_mask) < 0)
		return -EINVAL;
	v->exp_zone = tb[CTA_EXPECT_ZONE] != NULL;
	if (!tb[CTA_EXPECT_CLASS] || !nl_attr_get_be32(tb[CTA_EXPECT_CLASS], &v->exp_class))
		v->exp_class = UINT32_MAX;
	if (tb[CTA_EXPECT_FN] && (fn = nl_attr_get_str(tb[CTA_EXPECT_FN])))
		snprintf(v->exp_fn, sizeof(v->exp_fn), "%s", fn);
	if (tb[CTA_EXPECT_NAT]) {
		if (nl_attr_parse_nested(tb[CTA_EXPECT_NAT], nb, CTA_EXPECT_NAT_MAX) < 0 ||
		    !nl_attr_get_be32(nb[CTA_EXPECT_NAT_DIR], &v->nat_dir) ||
		    ct_tuple_decode(nb[CTA_EXPECT_NAT_TUPLE], &v->nat_tuple) < 0)
			return -EINVAL;
		v->exp_nat = true;
	}
	v->has_exp = true;
	return 0;
}

static void help_decode(const struct nlattr *nest, struct qmsg_verdict *v)
{
	const struct nlattr *ct[CTA_MAX + 1], *help[CTA_HELP_MAX + 1];
	const char *name;

	if (nl_attr_parse_nested(nest, ct, CTA_MAX) < 0)
		return;
	if (ct[CTA_TIMEOUT] && nl_attr_get_be32(ct[CTA_TIMEOUT], &v->ct_timeout))
		v->has_ct_timeout = true;
	if (!ct[CTA_HELP] || nl_attr_parse_nested(ct[CTA_HELP], help, CTA_HELP_MAX) < 0)
		return;
	if (help[CTA_HELP_NAME] && (name = nl_attr_get_str(help[CTA_HELP_NAME])))
		snprintf(v->helper, sizeof(v->helper), "%s", name);
	if (help[CTA_HELP_INFO] && nl_attr_len(help[CTA_HELP_INFO]) <= sizeof(v->help_info)) {
		v->help_info_len = nl_attr_len(help[CTA_HELP_INFO]);
		memcpy(v->help_info, nl_attr_data(help[CTA_HELP_INFO]), v->help_info_len);
		v->has_help_info = true;
	}
}

int qmsg_verdict_decode(const struct nlmsghdr *nlh, struct qmsg_verdict *v)
{
	const struct nlattr *tb[NFQA_MAX + 1];
	const struct nfqnl_msg_verdict_hdr *vh;

	memset(v, 0, sizeof(*v));
	if (nl_attr_parse(nlh, sizeof(struct nfgenmsg), tb, NFQA_MAX) < 0 || !tb[NFQA_VERDICT_HDR] ||
	    nl_attr_len(tb[NFQA_VERDICT_HDR]) != sizeof(*vh))
		return -EINVAL;
	vh = nl_attr_data(tb[NFQA_VERDICT_HDR]);
	v->verdict = ntohl(vh->verdict);
	v->id = ntohl(vh->id);
	if (tb[NFQA_PAYLOAD]) {
		v->payload = nl_attr_data(tb[NFQA_PAYLOAD]);
		v->payload_len = nl_attr_len(tb[NFQA_PAYLOAD]);
	}
	v->has_ct = tb[NFQA_CT] != NULL;
	if (v->has_ct)
		help_decode(tb[NFQA_CT], v);
	return tb[NFQA_EXP] ? exp_decode(tb[NFQA_EXP], v) : 0;
}
