/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options: the command line — what to do, for which protocol, with which settings — and the
 * usage texts; errors come back as one line instead of exiting, so the parser is testable. */
#ifndef NFHELPER_OPTIONS_H
#define NFHELPER_OPTIONS_H

#include <stdio.h>
#include "helper.h"

#define OPTS_MAX_CONNS_DEFAULT 65536

enum opts_cmd {
	OPTS_RUN,          /* nfhelper PROTOCOL [options] */
	OPTS_UNREGISTER,   /* ... --unregister */
	OPTS_HELP,         /* nfhelper --help | -h: the overview */
	OPTS_PROTO_HELP,   /* nfhelper PROTOCOL --help | -h */
	OPTS_VERSION,      /* nfhelper --version */
	OPTS_STATS,        /* nfhelper stats PROTOCOL [--name NAME] */
};

struct opts {
	enum opts_cmd cmd;
	const struct helper_proto *proto;  /* NULL for OPTS_HELP and OPTS_VERSION */
	struct helper_cfg cfg;             /* cfg.name may point into argv */
	const char *user;                  /* --user: the spec as given (sandbox_user_parse), or NULL */
	bool no_seccomp;                   /* --no-seccomp */
	char err[256];                     /* the message of a failed parse, without "nfhelper: " */
};

/* The options every protocol takes, for the usage texts and the man page's check. */
struct opts_common {
	const char *name;   /* without the leading "--" */
	const char *arg;    /* NULL for a switch */
	char short_name;    /* 'v' for -v, or 0 */
	const char *help;
};
extern const struct opts_common opts_common[];

/* argv as main gets it (argv[0] the program, argc >= 2).  0, or -EINVAL with o->err set to
 * one line that says what to do (the caller exits 2). */
int opts_parse(struct opts *o, int argc, char *const argv[]);
/* nfhelper --help: every protocol in brief and the common options. */
void opts_usage(FILE *f);
/* nfhelper PROTOCOL --help: its summary, default queue, classes, own options and the common ones. */
void opts_proto_usage(FILE *f, const struct helper_proto *p);

#endif
