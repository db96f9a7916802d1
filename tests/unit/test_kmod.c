// SPDX-License-Identifier: GPL-2.0-or-later
/* test_kmod: the requests nfhelper sends the nfh_pptp module (src/kmod.c), read back with
 * the module's own decoder (kmod/nfh_pptp_req.h), so that both sides agree on every
 * attribute and byte order; and the generic netlink family lookup's reply, hostile ones too. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include "../../kmod/nfh_pptp_req.h"
#include "kmod.h"
#include "nlbytes.h"
#include "tap.h"

void test_kmod(void);

/* The module's view of a request: its genl header checked, its attributes decoded. */
static int module_decode(const struct nlmsghdr *nlh, uint16_t family, struct nfh_pptp_req *r,
			 unsigned *cmd)
{
	const struct genlmsghdr *g = (const void *)((const uint8_t *)nlh + NLMSG_HDRLEN);

	if (nlh->nlmsg_type != family || nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    nlh->nlmsg_flags != (NLM_F_REQUEST | NLM_F_ACK) || g->version != NFH_PPTP_GENL_VERSION)
		return -EPROTO;
	*cmd = g->cmd;
	return nfh_pptp_req_decode(g->cmd, (const uint8_t *)g + GENL_HDRLEN,
				   nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, r);
}

static void master4(struct ct_info *ct, uint16_t zone)
{
	memset(ct, 0, sizeof(*ct));
	ct->id = 0x11223344;
	ct->zone = zone;
	ct->tuple[0] = (struct ct_tuple){ .l3 = AF_INET, .l4 = IPPROTO_TCP, .sport = 40000, .dport = 1723 };
	inet_pton(AF_INET, "10.0.1.2", &ct->tuple[0].src.v4);
	inet_pton(AF_INET, "10.0.2.2", &ct->tuple[0].dst.v4);
	ct->tuple[1] = ct->tuple[0];	/* not sent */
}

static void test_calls(void)
{
	static const struct kmod_call call = { 0x1111, 0x1112, 0x2222 };
	struct nfh_pptp_req r;
	struct ct_info ct;
	struct nl_msg m;
	unsigned cmd = 0;
	NLBUF(buf, 512);

	master4(&ct, 0);
	tap_ok(kmod_call_build(&m, buf, 512, 29, 7, 1, &ct, &call) &&
	       module_decode(m.nlh, 29, &r, &cmd) == 0 && cmd == NFH_PPTP_CMD_CALL_ADD,
	       "kmod: CALL_ADD is what the module accepts (family 29)");
	/* The master id is CTA_ID's bytes as ctnetlink sent them, tuples and IDs big endian. */
	tap_ok(r.master_id == htonl(0x11223344) && r.src == htonl(0x0a000102) && r.dst == htonl(0x0a000202) &&
	       r.sport == htons(40000) && r.dport == htons(1723), "kmod: CALL_ADD's master: id and tuple");
	tap_ok(r.orig_call_id == htons(0x1111) && r.orig_call_id_nat == htons(0x1112) &&
	       r.reply_call_id == htons(0x2222), "kmod: CALL_ADD's call IDs: real, NAT, reply");
	tap_ok(!(r.present & (1U << NFH_PPTP_A_ZONE)), "kmod: zone 0 not sent");
	TAP_EQ_U(m.nlh->nlmsg_seq, 7, "kmod: the sequence number given");

	tap_ok(kmod_call_build(&m, buf, 512, 29, 8, 0, &ct, &call) &&
	       module_decode(m.nlh, 29, &r, &cmd) == 0 && cmd == NFH_PPTP_CMD_CALL_DEL &&
	       r.reply_call_id == htons(0x2222), "kmod: CALL_DEL of one call");
	tap_ok(kmod_call_build(&m, buf, 512, 29, 9, 0, &ct, NULL) &&
	       module_decode(m.nlh, 29, &r, &cmd) == 0 && cmd == NFH_PPTP_CMD_CALL_DEL &&
	       !(r.present & NFH_PPTP_CALL_ATTRS), "kmod: CALL_DEL of every call: no call IDs");
	tap_ok(!kmod_call_build(&m, buf, 512, 29, 9, 1, &ct, NULL), "kmod: CALL_ADD without a call: not built");

	master4(&ct, 0x102);
	tap_ok(kmod_call_build(&m, buf, 512, 29, 10, 1, &ct, &call) && module_decode(m.nlh, 29, &r, &cmd) == 0 &&
	       r.zone == 0x102, "kmod: a master in zone 0x102 is looked up in it");

	ct.tuple[0].l3 = AF_INET6;
	tap_ok(!kmod_call_build(&m, buf, 512, 29, 11, 1, &ct, &call), "kmod: an IPv6 master: not built");
	master4(&ct, 0);
	tap_ok(!kmod_call_build(&m, buf, 40, 29, 12, 1, &ct, &call), "kmod: a buffer too small: not built");
}

static void test_helpers(void)
{
	struct nfh_pptp_req r;
	struct nl_msg m;
	unsigned cmd = 0;
	NLBUF(buf, 512);

	tap_ok(kmod_helper_build(&m, buf, 512, 30, 1, 1, "pptp", 1723, 16, 300) &&
	       module_decode(m.nlh, 30, &r, &cmd) == 0 && cmd == NFH_PPTP_CMD_HELPER_SET &&
	       !strcmp(r.name, "pptp") && r.queue == 1723 && r.max_expected == 16 && r.timeout == 300,
	       "kmod: HELPER_SET: name, queue, policy in host order");
	tap_ok(kmod_helper_build(&m, buf, 512, 30, 2, 0, "pptp", 0, 0, 0) &&
	       module_decode(m.nlh, 30, &r, &cmd) == 0 && cmd == NFH_PPTP_CMD_HELPER_DEL &&
	       r.present == 1U << NFH_PPTP_A_HELPER_NAME, "kmod: HELPER_DEL: the name alone");
	tap_ok(kmod_helper_build(&m, buf, 512, 30, 3, 1, "0123456789abcdef", 1, 1, 1) &&
	       module_decode(m.nlh, 30, &r, &cmd) == -EINVAL,
	       "kmod: a 16-character helper name is refused by the module");
	tap_ok(kmod_helper_build(&m, buf, 512, 30, 4, 1, "pptp", 1, 0, 1) &&
	       module_decode(m.nlh, 30, &r, &cmd) == -EINVAL, "kmod: max_expected 0 is refused by the module");
}

/* CTRL_CMD_NEWFAMILY as genl_ctrl_fill_info lays it out (the attributes we read, and one more). */
static const uint8_t newfamily[] __attribute__((aligned(4))) = {
	NLMSG(52, GENL_ID_CTRL, 0, 1, 0),
	CTRL_CMD_NEWFAMILY, 2, 0, 0,
	NLA(13, CTRL_ATTR_FAMILY_NAME), 'n', 'f', 'h', '_', 'p', 'p', 't', 'p', 0, 0, 0, 0,
	NLA(6, CTRL_ATTR_FAMILY_ID), H16(29), 0, 0,	/* NLA_U16: host order */
	NLA(8, CTRL_ATTR_VERSION), 1, 0, 0, 0,
};

static void test_family(void)
{
	uint8_t b[sizeof(newfamily)] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = (void *)b;
	const struct nlattr *tb[CTRL_ATTR_FAMILY_NAME + 1];
	struct nl_msg m;
	uint16_t fam = 0;
	NLBUF(buf, 128);

	tap_ok(kmod_family_build(&m, buf, 128, 5) && m.nlh->nlmsg_type == GENL_ID_CTRL &&
	       nl_attr_parse(m.nlh, GENL_HDRLEN, tb, CTRL_ATTR_FAMILY_NAME) == 0 &&
	       tb[CTRL_ATTR_FAMILY_NAME] && !strcmp(nl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), "nfh_pptp"),
	       "kmod: CTRL_CMD_GETFAMILY asks for \"nfh_pptp\"");
	memcpy(b, newfamily, sizeof(b));
	tap_ok(kmod_family_parse(nlh, &fam) == 0 && fam == 29, "kmod: the family id from CTRL_CMD_NEWFAMILY");
	b[NLMSG_HDRLEN + GENL_HDRLEN + 4] = 'x';
	TAP_EQ_I(kmod_family_parse(nlh, &fam), -EINVAL, "kmod: another family's reply refused");
	memcpy(b, newfamily, sizeof(b));
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + 16;
	TAP_EQ_I(kmod_family_parse(nlh, &fam), -EINVAL, "kmod: a reply without the family id refused");
	memcpy(b, newfamily, sizeof(b));
	((struct nlattr *)(b + NLMSG_HDRLEN + GENL_HDRLEN + 16))->nla_len = 8;	/* a 4-byte id */
	TAP_EQ_I(kmod_family_parse(nlh, &fam), -EINVAL, "kmod: a family id of the wrong size refused");
	memcpy(b, newfamily, sizeof(b));
	((struct nlattr *)(b + NLMSG_HDRLEN + GENL_HDRLEN))->nla_len = 200;	/* beyond the message */
	TAP_EQ_I(kmod_family_parse(nlh, &fam), -EINVAL, "kmod: an attribute beyond the message refused");
	memcpy(b, newfamily, sizeof(b));
	nlh->nlmsg_type = GENL_ID_CTRL + 1;
	TAP_EQ_I(kmod_family_parse(nlh, &fam), -EINVAL, "kmod: a message of another family refused");
}

void test_kmod(void)
{
	test_calls();
	test_helpers();
	test_family();
}
