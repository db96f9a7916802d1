// SPDX-License-Identifier: GPL-2.0-or-later
/* options: parse the command line into a struct opts, and print the overview and each
 * protocol's usage from the same tables (the protocol's own in struct helper_proto, the common
 * ones here), so the texts cannot drift from what is accepted.  No exit() here: an error is
 * one line in o->err that says what to do. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"

/* Indices into opts_common[], for the parser's switch. */
enum { C_NAME, C_QUEUE, C_MAX_EXPECTED, C_EXPECT_TIMEOUT, C_MAX_CONNS, C_USER, C_NO_SECCOMP,
       C_UNREGISTER, C_VERBOSE, C_HELP };

const struct opts_common opts_common[] = {
	[C_NAME] = { "name", "NAME", 0, "helper name in the kernel, 1-15 characters" },
	[C_QUEUE] = { "queue", "N", 0, "nfnetlink_queue number, 0-65535" },
	[C_MAX_EXPECTED] = { "max-expected", "[CLASS=]N", 0,
			     "pending expectations per connection in CLASS (the first if not named), 1-255" },
	[C_EXPECT_TIMEOUT] = { "expect-timeout", "[CLASS=]S", 0,
			       "seconds an expectation of CLASS (the first if not named) waits, 1-86400" },
	[C_MAX_CONNS] = { "max-conns", "N", 0, "connections tracked at once, 16-16777216" },
	[C_USER] = { "user", "USER", 0, "started as root: become USER (a name or UID[:GID]) once "
		     "registered, keeping CAP_NET_ADMIN alone" },
	[C_NO_SECCOMP] = { "no-seccomp", NULL, 0, "do not install the seccomp filter (to tell whether "
			   "it stopped nfhelper)" },
	[C_UNREGISTER] = { "unregister", NULL, 0, "remove the kernel registration and exit" },
	[C_VERBOSE] = { "verbose", NULL, 'v', "more log (each expectation); -vv or twice: debug" },
	[C_HELP] = { "help", NULL, 'h', "after PROTOCOL: its usage and defaults" },
	{ NULL, NULL, 0, NULL },
};

static int fail(struct opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct opts *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->err, sizeof(o->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int need_value(struct opts *o, const char *opt, const char *val)
{
	if (val)
		return 0;
	return fail(o, "%s needs a value; see nfhelper %s --help", opt, o->proto->name);
}

/* A decimal number within [min, max]: no sign, no suffix, no overflow. */
static int number(struct opts *o, const char *opt, const char *val, uint32_t min, uint32_t max,
		  uint32_t *out)
{
	unsigned long v;
	char *end;

	if (need_value(o, opt, val) < 0)
		return -EINVAL;
	errno = 0;
	v = strtoul(val, &end, 10);
	if (errno || *end || end == val || val[0] == '-' || v < min || v > max)
		return fail(o, "bad value '%s' for %s: expected %u to %u", val, opt, min, max);
	*out = (uint32_t)v;
	return 0;
}

/* "[CLASS=]N" for the per-class policy options: the class named, or the first. */
static struct cthelper_policy *class_value(struct opts *o, const char *opt, const char **val)
{
	const struct helper_proto *p = o->proto;
	const char *eq = strchr(*val, '=');
	size_t used;

	if (!eq)
		return &o->cfg.policy[0];
	for (unsigned c = 0; c < p->npolicy; c++) {
		if (strlen(p->policy[c].name) == (size_t)(eq - *val) &&
		    !strncmp(p->policy[c].name, *val, (size_t)(eq - *val))) {
			*val = eq + 1;
			return &o->cfg.policy[c];
		}
	}
	used = (size_t)snprintf(o->err, sizeof(o->err), "unknown expectation class in '%s' for %s; %s has:",
				*val, opt, p->name);
	for (unsigned c = 0; c < p->npolicy && used < sizeof(o->err); c++)
		used += (size_t)snprintf(o->err + used, sizeof(o->err) - used, " %s", p->policy[c].name);
	return NULL;
}

/* A protocol option: --NAME for a switch, --NAME N for a number.  Returns how many
 * arguments it took, 0 when it is not one of the protocol's, or -EINVAL. */
static int proto_option(struct opts *o, const char *a, const char *val)
{
	const struct helper_proto *p = o->proto;
	struct helper_cfg *cfg = &o->cfg;
	uint32_t *dst;

	for (unsigned i = 0; a[0] == '-' && a[1] == '-' && i < p->nopts && i < HELPER_OPTS_MAX; i++) {
		const struct helper_opt *op = &p->opts[i];

		if (strcmp(op->name, a + 2))
			continue;
		if (op->type == HELPER_OPT_BOOL) {
			cfg->opt[i] = 1;
			return 1;
		}
		dst = op->type == HELPER_OPT_CLASS_MAX ? &cfg->policy[op->def].max_expected :
		      op->type == HELPER_OPT_CLASS_TIMEOUT ? &cfg->policy[op->def].timeout : &cfg->opt[i];
		return number(o, a, val, op->min, op->max, dst) < 0 ? -EINVAL : 2;
	}
	return 0;
}

/* Which common option a is ("--name" or a short alias), or -1. */
static int common_index(const char *a)
{
	if (!strcmp(a, "-v") || !strcmp(a, "-vv"))
		return C_VERBOSE;
	if (!strcmp(a, "-h"))
		return C_HELP;
	for (int i = 0; a[0] == '-' && a[1] == '-' && opts_common[i].name; i++)
		if (!strcmp(opts_common[i].name, a + 2))
			return i;
	return -1;
}

static bool name_has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* One common option; returns how many arguments it took, or -EINVAL. */
static int common_option(struct opts *o, int idx, const char *a, const char *val)
{
	struct cthelper_policy *pol;
	uint32_t v;

	switch (idx) {
	case C_NAME:
		/* The name becomes a label value of the stats text and part of a socket name. */
		if (!val || !*val || strlen(val) > 15 || strpbrk(val, "\"\\ /") ||
		    name_has_control(val))
			return fail(o, "--name needs 1 to 15 characters, none a quote, backslash, slash, "
				    "space or control character");
		o->cfg.name = val;
		return 2;
	case C_QUEUE:
		if (number(o, a, val, 0, 65535, &v) < 0)
			return -EINVAL;
		o->cfg.queue = (uint16_t)v;
		return 2;
	case C_MAX_EXPECTED:
	case C_EXPECT_TIMEOUT:
		if (need_value(o, a, val) < 0 || !(pol = class_value(o, a, &val)))
			return -EINVAL;
		if (idx == C_MAX_EXPECTED)
			return number(o, a, val, 1, 255, &pol->max_expected) < 0 ? -EINVAL : 2;
		return number(o, a, val, 1, 86400, &pol->timeout) < 0 ? -EINVAL : 2;
	case C_MAX_CONNS:
		return number(o, a, val, 16, 1U << 24, &o->cfg.max_conns) < 0 ? -EINVAL : 2;
	case C_USER:
		if (!val || !*val)
			return fail(o, "--user needs a user name or UID[:GID]");
		o->user = val;
		return 2;
	case C_NO_SECCOMP:
		o->no_seccomp = true;
		return 1;
	case C_UNREGISTER:
		o->cmd = OPTS_UNREGISTER;
		return 1;
	case C_VERBOSE:
		o->cfg.verbose += strcmp(a, "-vv") ? 1 : 2;
		return 1;
	default:
		o->cmd = OPTS_PROTO_HELP;
		return 1;
	}
}

/* The options after PROTOCOL, left to right: the first error ends the parse. */
static int parse_proto_options(struct opts *o, int argc, char *const argv[])
{
	for (int i = 2; i < argc; ) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int idx = common_index(a), n;

		n = idx >= 0 ? common_option(o, idx, a, val) : proto_option(o, a, val);
		if (n < 0)
			return n;
		if (n == 0)
			return fail(o, "unknown option '%s' for %s; see nfhelper %s --help", a,
				    o->proto->name, o->proto->name);
		if (o->cmd == OPTS_PROTO_HELP)
			return 0;	/* help asked for: the rest is not checked */
		i += n;
	}
	return 0;
}

/* nfhelper stats PROTOCOL [--name NAME]: which running helper to ask. */
static int parse_stats(struct opts *o, int argc, char *const argv[])
{
	o->cmd = OPTS_STATS;
	if (argc < 3)
		return fail(o, "stats needs a protocol: nfhelper stats PROTOCOL [--name NAME]");
	o->proto = helper_find(argv[2]);
	if (!o->proto)
		return fail(o, "unknown protocol '%s'; see nfhelper --help", argv[2]);
	helper_cfg_init(&o->cfg, o->proto);
	if (argc == 3)
		return 0;
	if (argc == 5 && common_index(argv[3]) == C_NAME)
		return common_option(o, C_NAME, argv[3], argv[4]) < 0 ? -EINVAL : 0;
	return fail(o, "nfhelper stats takes a protocol and at most --name NAME");
}

int opts_parse(struct opts *o, int argc, char *const argv[])
{
	memset(o, 0, sizeof(*o));
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		o->cmd = OPTS_HELP;
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		o->cmd = OPTS_VERSION;
		return 0;
	}
	if (!strcmp(argv[1], "stats"))
		return parse_stats(o, argc, argv);
	o->proto = helper_find(argv[1]);
	if (!o->proto)
		return fail(o, "unknown protocol '%s'; see nfhelper --help", argv[1]);
	helper_cfg_init(&o->cfg, o->proto);
	o->cfg.max_conns = OPTS_MAX_CONNS_DEFAULT;
	o->cmd = OPTS_RUN;
	return parse_proto_options(o, argc, argv);
}

#define USAGE_COL 23	/* where option help starts */
#define USAGE_WIDTH 79

/* text from column col on, wrapped at word boundaries to USAGE_WIDTH, continued at col. */
static void print_wrapped(FILE *f, int col, const char *text)
{
	int at = col;

	while (*text) {
		size_t w = strcspn(text, " ");

		if (at > col && at + 1 + (int)w > USAGE_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", (int)w, text);
		at += (int)w;
		text += w;
		text += strspn(text, " ");
	}
	fputc('\n', f);
}

/* "  -v, --NAME ARG    help", the help on the next line when the left column is full. */
static void print_opt(FILE *f, const char *indent, char short_name, const char *name, const char *arg,
		      const char *help)
{
	char left[64], sh[8] = "";
	int n;

	if (short_name)
		snprintf(sh, sizeof(sh), "-%c, ", short_name);
	n = snprintf(left, sizeof(left), "%s%s--%s%s%s", indent, sh, name, arg ? " " : "", arg ? arg : "");
	if (n < USAGE_COL - 1)	/* two blanks at least between the columns */
		fprintf(f, "%-*s", USAGE_COL, left);
	else
		fprintf(f, "%s\n%*s", left, USAGE_COL, "");
	print_wrapped(f, USAGE_COL, help);
}

/* A protocol's own option with its range and default: what the kernel module calls it. */
static void print_proto_opt(FILE *f, const char *indent, const struct helper_proto *p,
			    const struct helper_opt *op)
{
	char help[256];

	switch (op->type) {
	case HELPER_OPT_BOOL:
		snprintf(help, sizeof(help), "%s (default off)", op->help);
		print_opt(f, indent, 0, op->name, NULL, help);
		return;
	case HELPER_OPT_UINT:
		snprintf(help, sizeof(help), "%s (%u-%u, default %u)", op->help, op->min, op->max, op->def);
		break;
	case HELPER_OPT_CLASS_MAX:
		snprintf(help, sizeof(help), "%s (%u-%u, default %u; --max-expected %s=N)", op->help,
			 op->min, op->max, p->policy[op->def].max_expected, p->policy[op->def].name);
		break;
	case HELPER_OPT_CLASS_TIMEOUT:
		snprintf(help, sizeof(help), "%s (%u-%u, default %u; --expect-timeout %s=S)", op->help,
			 op->min, op->max, p->policy[op->def].timeout, p->policy[op->def].name);
		break;
	}
	print_opt(f, indent, 0, op->name, "N", help);
}

static void print_classes(FILE *f, const char *indent, const struct helper_proto *p)
{
	for (unsigned c = 0; c < p->npolicy; c++)
		fprintf(f, "%sclass %-10s %u expectation%s per connection, %u s\n", indent,
			p->policy[c].name, p->policy[c].max_expected,
			p->policy[c].max_expected == 1 ? "" : "s", p->policy[c].timeout);
}

/* The common options; with p, each with that protocol's default. */
static void print_common(FILE *f, const struct helper_proto *p)
{
	char help[256], def[64];

	for (int i = 0; opts_common[i].name; i++) {
		def[0] = '\0';
		if (i == C_NAME)
			snprintf(def, sizeof(def), " (default %s)", p ? p->name : "the protocol's name");
		else if (i == C_QUEUE && p)
			snprintf(def, sizeof(def), " (default %u)", p->default_queue);
		else if (i == C_QUEUE)
			snprintf(def, sizeof(def), " (default: per protocol)");
		else if (i == C_MAX_EXPECTED || i == C_EXPECT_TIMEOUT)
			snprintf(def, sizeof(def), " (default: the class's%s)", p ? ", above" : ", as the kernel");
		else if (i == C_MAX_CONNS)
			snprintf(def, sizeof(def), " (default %u)", OPTS_MAX_CONNS_DEFAULT);
		snprintf(help, sizeof(help), "%s%s", opts_common[i].help, def);
		print_opt(f, "  ", opts_common[i].short_name, opts_common[i].name, opts_common[i].arg, help);
	}
}

void opts_usage(FILE *f)
{
	fprintf(f, "usage: nfhelper PROTOCOL [options]\n"
		"       nfhelper PROTOCOL --help\n"
		"       nfhelper --help | --version\n\n"
		"Runs one netfilter conntrack helper in the foreground: registers it in the kernel\n"
		"(nfnetlink_cthelper), so 'ct helper' objects and '-j CT --helper' rules select it,\n"
		"and answers its packets from an nfnetlink_queue. Run it in the network namespace\n"
		"whose traffic it helps, as root or with CAP_NET_ADMIN.\n\nprotocols:\n");
	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];

		fprintf(f, "  %-6s %s (default queue %u)\n", p->name, p->summary, p->default_queue);
		print_classes(f, "         ", p);
		for (unsigned o = 0; o < p->nopts; o++)
			print_proto_opt(f, "         ", p, &p->opts[o]);
	}
	fprintf(f, "\noptions (every protocol):\n");
	print_common(f, NULL);
	fprintf(f, "\nSee nfhelper PROTOCOL --help for one protocol's defaults, and nfhelper(8).\n");
}

void opts_proto_usage(FILE *f, const struct helper_proto *p)
{
	fprintf(f, "usage: nfhelper %s [options]\n\n%s\n"
		"Registers conntrack helper \"%s\" (default name) and answers its packets on\n"
		"nfnetlink_queue %u (default queue).\n\n", p->name, p->summary, p->name, p->default_queue);
	fprintf(f, "expectation classes (--max-expected [CLASS=]N, --expect-timeout [CLASS=]S):\n");
	print_classes(f, "  ", p);
	if (p->nopts) {
		fprintf(f, "\n%s options:\n", p->name);
		for (unsigned o = 0; o < p->nopts; o++)
			print_proto_opt(f, "  ", p, &p->opts[o]);
	} else {
		fprintf(f, "\n%s has no options of its own.\n", p->name);
	}
	fprintf(f, "\ncommon options:\n");
	print_common(f, p);
	fprintf(f, "\nExit status 0, 1 when set-up fails (one line says what to do), 2 for a bad\n"
		"command line. See nfhelper(8).\n");
}
