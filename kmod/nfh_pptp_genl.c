// SPDX-License-Identifier: GPL-2.0
/*
 * nfh_pptp: the generic netlink family nfhelper talks to, and the module's
 * life.  Generic netlink because an out-of-tree module cannot add an
 * nfnetlink subsystem (the IDs are mainline's) and a family is resolved by
 * name, works per network namespace and checks capabilities per command.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "nfh_pptp.h"

static const struct nla_policy nfh_policy[NFH_PPTP_A_MAX + 1] = {
	[NFH_PPTP_A_HELPER_NAME]	= { .type = NLA_NUL_STRING,
					    .len = NFH_PPTP_NAME_MAX - 1 },
	[NFH_PPTP_A_QUEUE]		= { .type = NLA_U16 },
	[NFH_PPTP_A_MAX_EXPECTED]	= { .type = NLA_U32 },
	[NFH_PPTP_A_TIMEOUT]		= { .type = NLA_U32 },
	[NFH_PPTP_A_ZONE]		= { .type = NLA_U16 },
	[NFH_PPTP_A_MASTER_ID]		= { .type = NLA_BE32 },
	[NFH_PPTP_A_MASTER_SRC]		= { .type = NLA_BE32 },
	[NFH_PPTP_A_MASTER_DST]		= { .type = NLA_BE32 },
	[NFH_PPTP_A_MASTER_SPORT]	= { .type = NLA_BE16 },
	[NFH_PPTP_A_MASTER_DPORT]	= { .type = NLA_BE16 },
	[NFH_PPTP_A_ORIG_CALL_ID]	= { .type = NLA_BE16 },
	[NFH_PPTP_A_ORIG_CALL_ID_NAT]	= { .type = NLA_BE16 },
	[NFH_PPTP_A_REPLY_CALL_ID]	= { .type = NLA_BE16 },
};

static int nfh_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;
	struct nfh_pptp_req r;
	int err;

	err = nfh_pptp_req_decode(cmd, nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
				  nlmsg_attrlen(info->nlhdr, GENL_HDRLEN), &r);
	if (err) {
		GENL_SET_ERR_MSG(info, "nfh_pptp: malformed request");
		return err;
	}
	switch (cmd) {
	case NFH_PPTP_CMD_HELPER_SET:
		return nfh_helper_set(&r);
	case NFH_PPTP_CMD_HELPER_DEL:
		return nfh_helper_del(&r);
	case NFH_PPTP_CMD_CALL_ADD:
		return nfh_call_add(genl_info_net(info), &r);
	case NFH_PPTP_CMD_CALL_DEL:
		return nfh_call_del(genl_info_net(info), &r);
	}
	return -EOPNOTSUPP;
}

/*
 * Helpers are global to the host: registering one needs CAP_NET_ADMIN in the
 * initial user namespace (as nfnetlink_cthelper).  Calls belong to the
 * caller's namespace: CAP_NET_ADMIN over it is enough.
 */
static const struct genl_small_ops nfh_ops[] = {
	{ .cmd = NFH_PPTP_CMD_HELPER_SET, .doit = nfh_doit,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = NFH_PPTP_CMD_HELPER_DEL, .doit = nfh_doit,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = NFH_PPTP_CMD_CALL_ADD, .doit = nfh_doit,
	  .flags = GENL_UNS_ADMIN_PERM },
	{ .cmd = NFH_PPTP_CMD_CALL_DEL, .doit = nfh_doit,
	  .flags = GENL_UNS_ADMIN_PERM },
};

static struct genl_family nfh_family __ro_after_init = {
	.name		= NFH_PPTP_GENL_NAME,
	.version	= NFH_PPTP_GENL_VERSION,
	.maxattr	= NFH_PPTP_A_MAX,
	.policy		= nfh_policy,
	.netnsok	= true,
	.module		= THIS_MODULE,
	.small_ops	= nfh_ops,
	.n_small_ops	= ARRAY_SIZE(nfh_ops),
	.resv_start_op	= NFH_PPTP_CMD_MAX + 1,
};

static int __init nfh_init(void)
{
	int err;

	BUILD_BUG_ON(sizeof(struct nfh_pptp_data) !=
		     sizeof(struct nf_ct_pptp_master));
	BUILD_BUG_ON(offsetof(struct nfh_pptp_data, keymap_always_null) !=
		     offsetof(struct nf_ct_pptp_master, keymap));
	err = nfh_calls_init();
	if (err)
		return err;
	nfh_expectfn_init();
	err = genl_register_family(&nfh_family);
	if (err) {
		nfh_expectfn_exit();
		nfh_calls_exit();
	}
	return err;
}

/*
 * No request first, then no helper (which takes the GRE expectations with
 * it and stops the destroy callbacks), then every call's state, then the
 * expectfn once no packet can still be on its way to it.
 */
static void __exit nfh_exit(void)
{
	genl_unregister_family(&nfh_family);
	nfh_helper_exit();
	synchronize_rcu();
	nfh_calls_exit();
	nfh_expectfn_exit();
	synchronize_net();
}

module_init(nfh_init);
module_exit(nfh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PPTP GRE call tracking and call-ID NAT for nfhelper");
MODULE_ALIAS_GENL_FAMILY(NFH_PPTP_GENL_NAME);
