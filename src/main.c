// SPDX-License-Identifier: GPL-2.0-or-later
/* nfhelper: netfilter conntrack helpers in userspace — command line and subcommand table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "helper.h"
#include "log.h"
#include "setup.h"

#ifndef NFHELPER_VERSION
#define NFHELPER_VERSION "0.1.0"
#endif

#define DEFAULT_MAX_CONNS 65536

static void usage(FILE *f)
{
	fprintf(f, "usage: nfhelper PROTOCOL [options]\n"
		"       nfhelper --help | --version\n\n"
		"Runs one netfilter conntrack helper in the foreground: registers it in the kernel\n"
		"(nfnetlink_cthelper), so 'ct helper' objects and '-j CT --helper' rules select it,\n"
		"and answers its packets from an nfnetlink_queue. Run it in the network namespace\n"
		"whose traffic it helps, as root (CAP_NET_ADMIN).\n\nprotocols:\n");
	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];

		fprintf(f, "  %-6s %s (default queue %u)\n", p->name, p->summary, p->default_queue);
		for (unsigned c = 0; c < p->npolicy; c++)
			fprintf(f, "         class %-10s %u expectations, %u s\n", p->policy[c].name,
				p->policy[c].max_expected, p->policy[c].timeout);
		for (unsigned o = 0; o < p->nopts; o++) {
			const struct helper_opt *op = &p->opts[o];

			if (op->type == HELPER_OPT_BOOL)
				fprintf(f, "         --%-16s %s\n", op->name, op->help);
			else
				fprintf(f, "         --%s N\n                            %s (%u-%u)\n",
					op->name, op->help, op->min, op->max);
		}
	}
	fprintf(f, "\noptions:\n"
		"  --name NAME          helper name in the kernel (default: the protocol's name)\n"
		"  --queue N            nfnetlink_queue number (default: per protocol)\n"
		"  --max-expected [CLASS=]N\n"
		"                       pending expectations per connection, 1-255 (default: as the\n"
		"                       kernel; CLASS defaults to the first class)\n"
		"  --expect-timeout [CLASS=]S\n"
		"                       seconds an expectation waits (default: as the kernel)\n"
		"  --max-conns N        connections tracked at once (default %u)\n"
		"  --unregister         remove the kernel registration and exit\n"
		"  -v                   more log; twice for debug\n", DEFAULT_MAX_CONNS);
}

static void need_value(const char *opt, const char *val)
{
	if (!val) {
		fprintf(stderr, "nfhelper: %s needs a value; see nfhelper --help\n", opt);
		exit(2);
	}
}

/* A number within [min, max], or exit with a message. */
static uint32_t number(const char *opt, const char *val, uint32_t min, uint32_t max)
{
	char *end;
	unsigned long v;

	need_value(opt, val);
	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || end == val || val[0] == '-' || v < min || v > max) {
		fprintf(stderr, "nfhelper: bad value '%s' for %s: expected %u to %u\n", val, opt, min, max);
		exit(2);
	}
	return (uint32_t)v;
}

/* "[CLASS=]N" for the per-class policy options: the class named, or the first. */
static struct cthelper_policy *class_value(const struct helper_proto *p, struct helper_cfg *cfg,
					   const char *opt, const char **val)
{
	const char *eq;

	need_value(opt, *val);
	eq = strchr(*val, '=');
	if (!eq)
		return &cfg->policy[0];
	for (unsigned c = 0; c < p->npolicy; c++) {
		if (strlen(p->policy[c].name) == (size_t)(eq - *val) &&
		    !strncmp(p->policy[c].name, *val, (size_t)(eq - *val))) {
			*val = eq + 1;
			return &cfg->policy[c];
		}
	}
	fprintf(stderr, "nfhelper: unknown expectation class in '%s' for %s; %s has:", *val, opt, p->name);
	for (unsigned c = 0; c < p->npolicy; c++)
		fprintf(stderr, " %s", p->policy[c].name);
	fprintf(stderr, "\n");
	exit(2);
}

/* A protocol option: --NAME for a switch, --NAME N for a number.  Returns how many
 * arguments it took (0: not one of the protocol's). */
static int proto_option(const struct helper_proto *p, struct helper_cfg *cfg, const char *a,
			const char *val)
{
	for (unsigned o = 0; a[0] == '-' && a[1] == '-' && o < p->nopts; o++) {
		const struct helper_opt *op = &p->opts[o];

		if (strcmp(op->name, a + 2))
			continue;
		switch (op->type) {
		case HELPER_OPT_BOOL:
			cfg->opt[o] = 1;
			return 1;
		case HELPER_OPT_CLASS_MAX:
			cfg->policy[op->def].max_expected = number(a, val, op->min, op->max);
			return 2;
		case HELPER_OPT_CLASS_TIMEOUT:
			cfg->policy[op->def].timeout = number(a, val, op->min, op->max);
			return 2;
		default:
			cfg->opt[o] = number(a, val, op->min, op->max);
			return 2;
		}
	}
	return 0;
}

/* Parse the options after PROTOCOL; returns true for --unregister. */
static bool parse_options(const struct helper_proto *p, struct helper_cfg *cfg, int argc, char **argv)
{
	bool unregister = false;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		struct cthelper_policy *pol;
		int n;

		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			cfg->verbose++;
		} else if (!strcmp(a, "-vv")) {
			cfg->verbose += 2;
		} else if (!strcmp(a, "--name")) {
			if (!val || !*val || strlen(val) > 15) {
				fprintf(stderr, "nfhelper: --name needs 1 to 15 characters\n");
				exit(2);
			}
			cfg->name = val;
			i++;
		} else if (!strcmp(a, "--queue")) {
			cfg->queue = (uint16_t)number(a, val, 0, 65535), i++;
		} else if (!strcmp(a, "--max-expected")) {
			pol = class_value(p, cfg, a, &val);
			pol->max_expected = number(a, val, 1, 255), i++;
		} else if (!strcmp(a, "--expect-timeout")) {
			pol = class_value(p, cfg, a, &val);
			pol->timeout = number(a, val, 1, 86400), i++;
		} else if (!strcmp(a, "--max-conns")) {
			cfg->max_conns = number(a, val, 16, 1U << 24), i++;
		} else if (!strcmp(a, "--unregister")) {
			unregister = true;
		} else if ((n = proto_option(p, cfg, a, val)) > 0) {
			i += n - 1;
		} else {
			fprintf(stderr, "nfhelper: unknown option '%s' for %s; see nfhelper --help\n", a, p->name);
			exit(2);
		}
	}
	return unregister;
}

int main(int argc, char **argv)
{
	const struct helper_proto *p;
	struct helper_cfg cfg;
	static char tag[32];

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("nfhelper %s\n", NFHELPER_VERSION);
		return 0;
	}
	p = helper_find(argv[1]);
	if (!p) {
		fprintf(stderr, "nfhelper: unknown protocol '%s'; see nfhelper --help\n", argv[1]);
		return 2;
	}
	helper_cfg_init(&cfg, p);
	cfg.max_conns = DEFAULT_MAX_CONNS;
	bool unregister = parse_options(p, &cfg, argc, argv);

	snprintf(tag, sizeof(tag), "nfhelper[%s]", cfg.name);
	log_init(tag, cfg.verbose);
	if (unregister)
		return setup_unregister(p, &cfg) < 0 ? 1 : 0;
	return daemon_run(p, &cfg);
}
