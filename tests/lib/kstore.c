// SPDX-License-Identifier: GPL-2.0-or-later
/* kstore: the kernel's per-conntrack helper data and what a verdict does to it (test support).
 * Mirrors nfnetlink_queue.c (nfqnl_recv_verdict), nf_conntrack_netlink.c
 * (ctnetlink_glue_parse_ct, ctnetlink_change_helper), nfnetlink_cthelper.c and
 * kmod/nfh_pptp_helper.c (to/from_nlattr). */
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <stdio.h>
#include <string.h>
#include "kmod.h"
#include "kstore.h"

void kstore_bind(struct kstore *ks, const struct helper_proto *proto)
{
	memset(ks, 0, sizeof(*ks));
	ks->data_len = (uint16_t)proto->priv_data_len;
	ks->module = proto->backend == &kmod_backend;
	ks->bound = true;
}

void kstore_reset(struct kstore *ks)
{
	memset(ks->data, 0, sizeof(ks->data));
}

/* nfnetlink_cthelper dumps data_len bytes whenever data_len > 0 (zeroes before any verdict
 * set them); the module always its user[]. */
void kstore_put(struct nl_msg *m, const struct kstore *ks)
{
	if (ks->data_len)
		nl_attr_put(m, CTA_HELP_INFO, ks->data_len, ks->data);
}

static char why[256];

/* CTA_HELP_INFO through the helper's from_nlattr.  The module refuses more than its user[];
 * nfnetlink_cthelper copies up to 32 bytes whatever data_len is, so bytes past data_len (16-31
 * are read as pointers on kernels without the GRE keymap fix) would be written. */
static const char *info_apply(struct kstore *ks, const struct nlattr *info)
{
	uint16_t len = nl_attr_len(info), cap = ks->module ? KSTORE_MODULE_MAX : KSTORE_MAX;
	bool over = len > ks->data_len;

	if (over)
		snprintf(why, sizeof(why), "CTA_HELP_INFO of %u bytes, the helper keeps %u: %s", len,
			 ks->data_len, ks->module ? "the nfh_pptp module refuses it" :
			 "nfnetlink_cthelper writes past its data_len");
	/* The module refuses; nfnetlink_cthelper returns at once for data_len 0. */
	if (over && (ks->module || !ks->data_len))
		return why;
	/* nla_memcpy zero-fills the rest of the destination. */
	len = len < cap ? len : cap;
	memcpy(ks->data, nl_attr_data(info), len);
	memset(ks->data + len, 0, cap - len);
	return over ? why : NULL;
}

/* ctnetlink_change_helper for a conntrack without master. */
static const char *help_apply(struct kstore *ks, const char *helper, const struct nlattr *nest)
{
	const struct nlattr *tb[CTA_HELP_MAX + 1];
	const char *name;

	if (nl_attr_parse_nested(nest, tb, CTA_HELP_MAX) < 0 || !tb[CTA_HELP_NAME] ||
	    !(name = nl_attr_get_str(tb[CTA_HELP_NAME])))
		return "CTA_HELP without a CTA_HELP_NAME: NFQA_CT fails (EINVAL), NFQA_EXP is ignored";
	if (!name[0])
		return "an empty CTA_HELP_NAME: the kernel detaches the conntrack's helper";
	if (strcmp(name, helper)) {
		snprintf(why, sizeof(why), "CTA_HELP_NAME \"%s\" is not the conntrack's helper \"%s\": "
			 "NFQA_CT fails (EBUSY), NFQA_EXP is ignored", name, helper);
		return why;
	}
	if (tb[CTA_HELP_INFO])
		return info_apply(ks, tb[CTA_HELP_INFO]);
	/* nfnetlink_cthelper's from_nlattr returns at once for data_len 0 (and for NULL). */
	if (ks->data_len)
		return "CTA_HELP_NAME without CTA_HELP_INFO: the kernel calls the helper's "
		       "from_nlattr(NULL, ct) (the nfh_pptp module dereferenced it: a crash)";
	return NULL;
}

const char *kstore_apply(struct kstore *ks, const char *helper, const struct nlmsghdr *verdict)
{
	const struct nlattr *tb[NFQA_MAX + 1], *ct[CTA_MAX + 1];

	if (nl_attr_parse(verdict, sizeof(struct nfgenmsg), tb, NFQA_MAX) < 0)
		return "the verdict does not parse";
	if (!tb[NFQA_CT])
		return tb[NFQA_EXP] ? "NFQA_EXP without NFQA_CT: the kernel ignores the expectation" : NULL;
	if (nl_attr_parse_nested(tb[NFQA_CT], ct, CTA_MAX) < 0)
		return "NFQA_CT does not parse";
	return ct[CTA_HELP] ? help_apply(ks, helper, ct[CTA_HELP]) : NULL;
}
