// SPDX-License-Identifier: GPL-2.0-or-later
/* helpers: the static table of protocols (no constructors: a static link would drop them). */
#include <string.h>
#include "helper.h"

extern const struct helper_proto ftp_proto, irc_proto, pptp_proto, sip_proto, tftp_proto;

const struct helper_proto *const helper_protos[] = {
	&ftp_proto,
	&irc_proto,
	&pptp_proto,
	&sip_proto,
	&tftp_proto,
	NULL,
};

void helper_cfg_init(struct helper_cfg *cfg, const struct helper_proto *p)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = p->name;
	cfg->queue = p->default_queue;
	for (unsigned i = 0; i < p->npolicy && i < ARRAY_SIZE(cfg->policy); i++)
		cfg->policy[i] = p->policy[i];
	for (unsigned i = 0; i < p->nopts && i < ARRAY_SIZE(cfg->opt); i++)
		if (p->opts[i].type == HELPER_OPT_BOOL || p->opts[i].type == HELPER_OPT_UINT)
			cfg->opt[i] = p->opts[i].def;
}

const struct helper_l4 *helper_l4_find(const struct helper_proto *p, uint8_t l4)
{
	for (unsigned i = 0; i < p->nl4; i++)
		if (p->l4[i].proto == l4)
			return &p->l4[i];
	return NULL;
}

const struct helper_proto *helper_find(const char *name)
{
	for (unsigned i = 0; helper_protos[i]; i++)
		if (!strcmp(helper_protos[i]->name, name))
			return helper_protos[i];
	return NULL;
}
