// SPDX-License-Identifier: GPL-2.0-or-later
/* helpers: the static table of protocols (no constructors: a static link would drop them). */
#include <linux/netfilter/nf_conntrack_common.h>
#include <string.h>
#include "helper.h"

extern const struct helper_proto ftp_proto;

const struct helper_proto *const helper_protos[] = {
	&ftp_proto,
	NULL,
};

const struct helper_proto *helper_find(const char *name)
{
	for (unsigned i = 0; helper_protos[i]; i++)
		if (!strcmp(helper_protos[i]->name, name))
			return helper_protos[i];
	return NULL;
}

bool help_ct_natted(const struct ct_info *ct)
{
	return ct->status & IPS_NAT_MASK;
}

struct ct_expect *help_expect_add(struct help_result *res)
{
	if (res->nexp >= HELP_EXP_MAX)
		return NULL;
	memset(&res->exp[res->nexp], 0, sizeof(res->exp[0]));
	return &res->exp[res->nexp++];
}
