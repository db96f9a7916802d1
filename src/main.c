// SPDX-License-Identifier: GPL-2.0-or-later
/* nfhelper: netfilter conntrack helpers in userspace — the entry point: parse (options.c),
 * then help, version, unregister or run one protocol's helper (daemon.c). */
#include <stdio.h>
#include "daemon.h"
#include "log.h"
#include "options.h"
#include "sandbox.h"
#include "stats.h"
#include "setup.h"

/* The build embeds the VERSION file (and git describe) as -DNFHELPER_VERSION="..."; a build
 * without it says so rather than print a number that may be stale. */
#ifndef NFHELPER_VERSION
#define NFHELPER_VERSION "unknown (built without the VERSION file)"
#endif

int main(int argc, char **argv)
{
	static char tag[32];
	struct sandbox_cfg sb = { .seccomp = true };
	struct opts o;

	if (argc < 2) {
		opts_usage(stderr);
		return 2;
	}
	if (opts_parse(&o, argc, argv) < 0) {
		fprintf(stderr, "nfhelper: %s\n", o.err);
		return 2;
	}
	switch (o.cmd) {
	case OPTS_HELP:
		opts_usage(stdout);
		return 0;
	case OPTS_PROTO_HELP:
		opts_proto_usage(stdout, o.proto);
		return 0;
	case OPTS_VERSION:
		printf("nfhelper %s\n", NFHELPER_VERSION);
		return 0;
	case OPTS_STATS:
		if (stats_client(o.cfg.name, STATS_PROC_QUEUE, stdout, o.err, sizeof(o.err)) < 0) {
			fprintf(stderr, "nfhelper: %s\n", o.err);
			return 1;
		}
		return 0;
	default:
		break;
	}
	snprintf(tag, sizeof(tag), "nfhelper[%s]", o.cfg.name);
	log_init(tag, o.cfg.verbose);
	if (o.cmd == OPTS_UNREGISTER)
		return setup_unregister(o.proto, &o.cfg) < 0 ? 1 : 0;
	/* The passwd file is read now, before anything is set up. */
	if (o.user && sandbox_user_parse(o.user, &sb.user, o.err, sizeof(o.err)) < 0) {
		fprintf(stderr, "nfhelper: %s\n", o.err);
		return 2;
	}
	if (sb.user.set && sandbox_drop_allowed(o.err, sizeof(o.err)) < 0) {
		fprintf(stderr, "nfhelper: %s\n", o.err);
		return 1;
	}
	sb.seccomp = !o.no_seccomp;
	return daemon_run(o.proto, &o.cfg, &sb, NFHELPER_VERSION);
}
