/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon: the foreground loop of one protocol's helper. */
#ifndef NFHELPER_DAEMON_H
#define NFHELPER_DAEMON_H

#include "helper.h"
#include "sandbox.h"

/* Set up, give up what sb says (sandbox.h), serve packets (and the stats text, stats.h, which
 * names version) until SIGTERM/SIGINT, tear down.  Returns the exit status. */
int daemon_run(const struct helper_proto *proto, const struct helper_cfg *cfg,
	       const struct sandbox_cfg *sb, const char *version);

#endif
