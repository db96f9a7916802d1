// SPDX-License-Identifier: GPL-2.0-or-later
/* kmod: requests to the nfh_pptp module over generic netlink.  The attributes, their byte
 * orders and what the module answers are in kmod/nfh_pptp_uapi.h; the module decodes them with
 * kmod/nfh_pptp_req.h, which tests/unit/test_kmod.c runs on what is built here. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include "../kmod/nfh_pptp_uapi.h"
#include "kmod.h"

#define KMOD_BUF 512

struct nlmsghdr *kmod_family_build(struct nl_msg *m, void *buf, size_t cap, uint32_t seq)
{
	if (!nl_genlmsg_init(m, buf, cap, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
			     NLM_F_REQUEST | NLM_F_ACK, seq))
		return NULL;
	nl_attr_put_strz(m, CTRL_ATTR_FAMILY_NAME, NFH_PPTP_GENL_NAME);
	return nl_msg_ok(m) ? m->nlh : NULL;
}

int kmod_family_parse(const struct nlmsghdr *nlh, uint16_t *family)
{
	const struct nlattr *tb[CTRL_ATTR_FAMILY_NAME + 1];
	const char *name;
	uint16_t id;

	if (nlh->nlmsg_type != GENL_ID_CTRL ||
	    nl_attr_parse(nlh, GENL_HDRLEN, tb, CTRL_ATTR_FAMILY_NAME) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID] || nl_attr_len(tb[CTRL_ATTR_FAMILY_ID]) != 2 ||
	    !(name = nl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME])) || strcmp(name, NFH_PPTP_GENL_NAME))
		return -EINVAL;
	memcpy(&id, nl_attr_data(tb[CTRL_ATTR_FAMILY_ID]), 2);	/* host order (NLA_U16) */
	*family = id;
	return 0;
}

struct nlmsghdr *kmod_helper_build(struct nl_msg *m, void *buf, size_t cap, uint16_t family, uint32_t seq,
				   int set, const char *name, uint16_t queue, uint32_t max_expected,
				   uint32_t timeout)
{
	if (!nl_genlmsg_init(m, buf, cap, family, set ? NFH_PPTP_CMD_HELPER_SET : NFH_PPTP_CMD_HELPER_DEL,
			     NFH_PPTP_GENL_VERSION, NLM_F_REQUEST | NLM_F_ACK, seq))
		return NULL;
	nl_attr_put_strz(m, NFH_PPTP_A_HELPER_NAME, name);
	if (set) {
		nl_attr_put(m, NFH_PPTP_A_QUEUE, 2, &queue);
		nl_attr_put(m, NFH_PPTP_A_MAX_EXPECTED, 4, &max_expected);
		nl_attr_put(m, NFH_PPTP_A_TIMEOUT, 4, &timeout);
	}
	return nl_msg_ok(m) ? m->nlh : NULL;
}

struct nlmsghdr *kmod_call_build(struct nl_msg *m, void *buf, size_t cap, uint16_t family, uint32_t seq,
				 int add, const struct ct_info *master, const struct kmod_call *call)
{
	const struct ct_tuple *t = &master->tuple[CT_DIR_ORIGINAL];

	if ((add && !call) || !nl_genlmsg_init(m, buf, cap, family, add ? NFH_PPTP_CMD_CALL_ADD : NFH_PPTP_CMD_CALL_DEL,
			     NFH_PPTP_GENL_VERSION, NLM_F_REQUEST | NLM_F_ACK, seq))
		return NULL;
	/* CTA_ID's bytes as ctnetlink sent them: ct_info keeps them in host order. */
	nl_attr_put_be32(m, NFH_PPTP_A_MASTER_ID, master->id);
	nl_attr_put(m, NFH_PPTP_A_MASTER_SRC, 4, &t->src.v4);
	nl_attr_put(m, NFH_PPTP_A_MASTER_DST, 4, &t->dst.v4);
	nl_attr_put_be16(m, NFH_PPTP_A_MASTER_SPORT, t->sport);
	nl_attr_put_be16(m, NFH_PPTP_A_MASTER_DPORT, t->dport);
	if (master->zone)	/* the module finds the master in its zone (uapi: host order) */
		nl_attr_put(m, NFH_PPTP_A_ZONE, 2, &master->zone);
	if (call) {
		nl_attr_put_be16(m, NFH_PPTP_A_ORIG_CALL_ID, call->orig_id);
		nl_attr_put_be16(m, NFH_PPTP_A_ORIG_CALL_ID_NAT, call->orig_id_nat);
		nl_attr_put_be16(m, NFH_PPTP_A_REPLY_CALL_ID, call->reply_id);
	}
	return nl_msg_ok(m) && t->l3 == AF_INET ? m->nlh : NULL;	/* PPTP is IPv4 only */
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	return kmod_family_parse(nlh, arg);
}

int kmod_open(struct kmod_sock *k)
{
	uint8_t buf[KMOD_BUF] __attribute__((aligned(4)));
	struct nl_msg m;
	int err;

	k->family = 0;
	err = nl_sock_open(&k->nl, NETLINK_GENERIC, 0);
	if (err)
		return err;
	if (!kmod_family_build(&m, buf, sizeof(buf), ++k->nl.seq))
		err = -EMSGSIZE;
	else
		err = nl_sock_request(&k->nl, m.nlh, family_cb, &k->family);
	if (!err && !k->family)
		err = -ENOENT;
	if (err)
		kmod_close(k);
	return err;
}

void kmod_close(struct kmod_sock *k)
{
	nl_sock_close(&k->nl);
}

int kmod_helper_set(struct kmod_sock *k, const char *name, uint16_t queue, uint32_t max_expected,
		    uint32_t timeout)
{
	uint8_t buf[KMOD_BUF] __attribute__((aligned(4)));
	struct nl_msg m;

	if (!kmod_helper_build(&m, buf, sizeof(buf), k->family, ++k->nl.seq, 1, name, queue,
			       max_expected, timeout))
		return -EMSGSIZE;
	return nl_sock_request(&k->nl, m.nlh, NULL, NULL);
}

int kmod_helper_del(struct kmod_sock *k, const char *name)
{
	uint8_t buf[KMOD_BUF] __attribute__((aligned(4)));
	struct nl_msg m;

	if (!kmod_helper_build(&m, buf, sizeof(buf), k->family, ++k->nl.seq, 0, name, 0, 0, 0))
		return -EMSGSIZE;
	return nl_sock_request(&k->nl, m.nlh, NULL, NULL);
}

int kmod_call(struct kmod_sock *k, int add, const struct ct_info *master, const struct kmod_call *call)
{
	uint8_t buf[KMOD_BUF] __attribute__((aligned(4)));
	struct nl_msg m;

	if (!kmod_call_build(&m, buf, sizeof(buf), k->family, ++k->nl.seq, add, master, call))
		return -EINVAL;
	return nl_sock_request(&k->nl, m.nlh, NULL, NULL);
}
