// SPDX-License-Identifier: GPL-2.0-or-later
/* helpers: the static table of protocols (no constructors: a static link would drop them). */
#include <string.h>
#include "helper.h"

extern const struct helper_proto ftp_proto, tftp_proto;

const struct helper_proto *const helper_protos[] = {
	&ftp_proto,
	&tftp_proto,
	NULL,
};

const struct helper_proto *helper_find(const char *name)
{
	for (unsigned i = 0; helper_protos[i]; i++)
		if (!strcmp(helper_protos[i]->name, name))
			return helper_protos[i];
	return NULL;
}
