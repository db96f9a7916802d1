// SPDX-License-Identifier: GPL-2.0-or-later
/* kmod: requests to the nfh_pptp module over generic netlink, and the registration backend
 * of the protocol whose helper is the module's (PPTP).  The attributes, their byte orders and
 * what the module answers are in kmod/nfh_pptp_uapi.h; the module decodes them with
 * kmod/nfh_pptp_req.h, which tests/unit/test_kmod.c runs on what is built here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include "../kmod/nfh_pptp_uapi.h"
#include "kmod.h"
#include "log.h"
#include "setup.h"

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

/* The nfh_pptp backend: the helper is the module's, registered there under cfg's name and
 * queue (TCP over IPv4); the module's socket stays open for PPTP's calls on the packet path
 * (help_ctx.backend points at kmod_daemon.link). */
static struct kmod_daemon {
	struct kmod_link link;
	struct kmod_sock sock;
} kmod_daemon;

static int kmod_link_call(void *arg, int add, const struct ct_info *master, const struct kmod_call *call)
{
	struct kmod_sock *k = arg;

	return k->nl.fd < 0 ? -ENOTCONN : kmod_call(k, add, master, call);
}

/* The module first: without it nothing else is worth trying. */
static int kmod_backend_open(struct setup_socks *s, const struct helper_proto *proto,
			     const struct helper_cfg *cfg)
{
	int err = kmod_open(&kmod_daemon.sock);

	if (!err) {
		setup_packet_path_timeout(kmod_daemon.sock.nl.fd);
		kmod_daemon.link = (struct kmod_link){ kmod_link_call, &kmod_daemon.sock };
		s->backend_priv = &kmod_daemon.link;
		return 0;
	}
	if (err == -ENOENT)
		log_msg(LOG_ERR, "cannot register helper %s: the nfh_pptp kernel module is not loaded; "
			"load it: modprobe nfh_pptp (installed), or from the source tree: ./build.sh kmod "
			"&& insmod build/kmod/$(uname -r)/nfh_pptp.ko", cfg->name);
	else
		log_msg(LOG_ERR, "cannot reach the nfh_pptp kernel module: %s", strerror(-err));
	return -1;
}

static int kmod_backend_reg(struct setup_socks *s, const struct helper_proto *proto,
			    const struct helper_cfg *cfg)
{
	char what[64];
	int err;

	snprintf(what, sizeof(what), "register helper %s", cfg->name);
	err = kmod_helper_set(&kmod_daemon.sock, cfg->name, cfg->queue, cfg->policy[0].max_expected,
			      cfg->policy[0].timeout);
	if (!err)
		return 0;
	if (setup_common_error(what, err))
		return -1;
	if (err == -EBUSY)
		log_msg(LOG_ERR, "cannot %s: the name is taken (nf_conntrack_pptp is loaded, or a ruleset "
			"holds the module's helper under another name); unload it (modprobe -r nf_nat_pptp "
			"nf_conntrack_pptp), delete those rules, or choose another --name", what);
	else
		log_msg(LOG_ERR, "cannot %s: %s", what, strerror(-err));
	return -1;
}

static void kmod_backend_close(struct setup_socks *s)
{
	kmod_close(&kmod_daemon.sock);
}

static int kmod_backend_unreg(const struct helper_proto *proto, const struct helper_cfg *cfg)
{
	struct kmod_sock k;
	char what[64];
	int err;

	snprintf(what, sizeof(what), "unregister helper %s", cfg->name);
	err = kmod_open(&k);
	if (err == -ENOENT)	/* no module, no registration */
		return 0;
	if (!err) {
		err = kmod_helper_del(&k, cfg->name);
		kmod_close(&k);
	}
	if (!err || err == -ENOENT)
		return 0;
	if (setup_common_error(what, err))
		return -1;
	if (err == -EBUSY)
		log_msg(LOG_ERR, "cannot %s: a ruleset still uses it (nft ct helper object or iptables CT "
			"target); delete those rules first", what);
	else
		log_msg(LOG_ERR, "cannot %s: %s", what, strerror(-err));
	return -1;
}

/* The nfh_pptp module's helper is TCP over IPv4 only; nfnetlink_cthelper's are per family. */
const struct helper_backend kmod_backend = {
	.scope = "IPv4, through the nfh_pptp module",
	.open = kmod_backend_open,
	.reg = kmod_backend_reg,
	.close = kmod_backend_close,
	.unreg = kmod_backend_unreg,
};
