// SPDX-License-Identifier: GPL-2.0-or-later
/* test_options: the command line (src/options.c) — what each argument vector does, every
 * error's exact line (tests/vm/errors.sh greps the same words), each protocol option at the
 * ends of its range; the usage texts name every option, class and default; and the man page
 * doc/nfhelper.8 names every option and class of the protocol table, so it cannot go stale. */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"
#include "tap.h"

void test_options(void);

#define NAME_ERR "--name needs 1 to 15 characters, none a quote, backslash, slash, space or " \
	"control character"
#define ARGV(...) ((char *[]){ "nfhelper", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "nfhelper", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) opts_parse(o, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

struct err_case {
	const char *desc;
	int argc;
	char **argv;
	const char *err;
};
#define ERR(desc, want, ...) { desc, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), want }

static void test_errors(void)
{
	const struct err_case cases[] = {
		ERR("unknown protocol", "unknown protocol 'gopher'; see nfhelper --help", "gopher"),
		ERR("unknown option", "unknown option '--bogus' for ftp; see nfhelper ftp --help", "ftp", "--bogus"),
		ERR("another protocol's option", "unknown option '--loose' for irc; see nfhelper irc --help",
		    "irc", "--loose"),
		ERR("a short option that is not ours", "unknown option '-x' for tftp; see nfhelper tftp --help",
		    "tftp", "-x"),
		ERR("queue out of range", "bad value '70000' for --queue: expected 0 to 65535", "ftp", "--queue", "70000"),
		ERR("queue negative", "bad value '-1' for --queue: expected 0 to 65535", "ftp", "--queue", "-1"),
		ERR("queue with a suffix", "bad value '21k' for --queue: expected 0 to 65535", "ftp", "--queue", "21k"),
		ERR("queue empty", "bad value '' for --queue: expected 0 to 65535", "ftp", "--queue", ""),
		ERR("queue overflowing", "bad value '18446744073709551617' for --queue: expected 0 to 65535",
		    "ftp", "--queue", "18446744073709551617"),
		ERR("queue without value", "--queue needs a value; see nfhelper ftp --help", "ftp", "--queue"),
		ERR("name too long", NAME_ERR, "ftp", "--name", "0123456789abcdef"),
		ERR("name empty", NAME_ERR, "ftp", "--name", ""),
		ERR("name missing", NAME_ERR, "ftp", "--name"),
		ERR("stats without a protocol", "stats needs a protocol: nfhelper stats PROTOCOL [--name NAME]",
		    "stats"),
		ERR("stats of an unknown protocol", "unknown protocol 'gopher'; see nfhelper --help", "stats", "gopher"),
		ERR("stats with another option", "nfhelper stats takes a protocol and at most --name NAME",
		    "stats", "ftp", "--queue", "3"),
		ERR("stats with a bad name", NAME_ERR, "stats", "ftp", "--name", "a b"),
		ERR("user without value", "--user needs a user name or UID[:GID]", "ftp", "--user"),
		ERR("name with a quote", NAME_ERR, "ftp", "--name", "f\"tp"),
		ERR("name with a backslash", NAME_ERR, "ftp", "--name", "f\\tp"),
		ERR("name with a slash", NAME_ERR, "ftp", "--name", "f/tp"),
		ERR("name with a space", NAME_ERR, "ftp", "--name", "f tp"),
		ERR("name with a newline", NAME_ERR, "ftp", "--name", "ftp\n"),
		ERR("max-conns under 16", "bad value '15' for --max-conns: expected 16 to 16777216", "ftp",
		    "--max-conns", "15"),
		ERR("max-conns over 2^24", "bad value '16777217' for --max-conns: expected 16 to 16777216", "ftp",
		    "--max-conns", "16777217"),
		ERR("max-expected 0", "bad value '0' for --max-expected: expected 1 to 255", "ftp",
		    "--max-expected", "0"),
		ERR("max-expected of a class 256", "bad value '256' for --max-expected: expected 1 to 255", "irc",
		    "--max-expected", "irc=256"),
		ERR("unknown class", "unknown expectation class in 'sip=3' for --max-expected; ftp has: ftp", "ftp",
		    "--max-expected", "sip=3"),
		ERR("expect-timeout without value", "--expect-timeout needs a value; see nfhelper pptp --help",
		    "pptp", "--expect-timeout"),
		ERR("expect-timeout over a day", "bad value '86401' for --expect-timeout: expected 1 to 86400",
		    "tftp", "--expect-timeout", "86401"),
		ERR("a protocol option's range", "bad value '0' for --max-dcc-channels: expected 1 to 255", "irc",
		    "--max-dcc-channels", "0"),
		ERR("a protocol option without value", "--dcc-timeout needs a value; see nfhelper irc --help", "irc",
		    "--dcc-timeout"),
		ERR("the first error wins, help after it is not reached",
		    "unknown option '--bogus' for ftp; see nfhelper ftp --help", "ftp", "--bogus", "--help"),
	};
	struct opts o;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct err_case *c = &cases[i];
		int rc = opts_parse(&o, c->argc, c->argv);

		if (!tap_ok(rc == -EINVAL && !strcmp(o.err, c->err), "options: %s: exit 2 with its line", c->desc))
			tap_diag("rc %d, err '%s', want '%s'", rc, o.err, c->err);
	}
}

static void test_commands(void)
{
	struct opts o;

	tap_ok(PARSE(&o, "--help") == 0 && o.cmd == OPTS_HELP, "options: --help is the overview");
	tap_ok(PARSE(&o, "-h") == 0 && o.cmd == OPTS_HELP, "options: -h is the overview");
	tap_ok(PARSE(&o, "--version") == 0 && o.cmd == OPTS_VERSION, "options: --version");
	tap_ok(PARSE(&o, "ftp", "--help") == 0 && o.cmd == OPTS_PROTO_HELP && o.proto && !strcmp(o.proto->name, "ftp"),
	       "options: ftp --help is ftp's usage");
	tap_ok(PARSE(&o, "pptp", "-h") == 0 && o.cmd == OPTS_PROTO_HELP && !strcmp(o.proto->name, "pptp"),
	       "options: pptp -h is pptp's usage");
	tap_ok(PARSE(&o, "irc", "--queue", "7", "--help", "--bogus") == 0 && o.cmd == OPTS_PROTO_HELP,
	       "options: help after good options wins over what follows");
	tap_ok(PARSE(&o, "ftp", "--name", "--help") == 0 && o.cmd == OPTS_RUN && !strcmp(o.cfg.name, "--help"),
	       "options: a value that looks like --help is a value");
	tap_ok(PARSE(&o, "stats", "ftp") == 0 && o.cmd == OPTS_STATS && !strcmp(o.cfg.name, "ftp"),
	       "options: stats ftp asks the helper named ftp");
	tap_ok(PARSE(&o, "stats", "irc", "--name", "irc2") == 0 && o.cmd == OPTS_STATS &&
	       !strcmp(o.cfg.name, "irc2"), "options: stats irc --name irc2");
	tap_ok(PARSE(&o, "ftp", "--user", "65534", "--no-seccomp") == 0 && o.cmd == OPTS_RUN &&
	       !strcmp(o.user, "65534") && o.no_seccomp, "options: --user and --no-seccomp are kept");
	tap_ok(PARSE(&o, "tftp", "--unregister", "--name", "t2") == 0 && o.cmd == OPTS_UNREGISTER &&
	       !strcmp(o.cfg.name, "t2"), "options: --unregister with a name");
	tap_ok(PARSE(&o, "ftp") == 0 && o.cmd == OPTS_RUN && !strcmp(o.cfg.name, "ftp") && o.cfg.queue == 21 &&
	       o.cfg.max_conns == OPTS_MAX_CONNS_DEFAULT && o.cfg.policy[0].max_expected == 1 &&
	       o.cfg.policy[0].timeout == 300 && o.cfg.opt[0] == 0 && o.cfg.verbose == 0,
	       "options: ftp alone runs with the kernel helper's defaults");
	tap_ok(PARSE(&o, "ftp", "--loose", "--queue", "0", "--max-conns", "16", "-v", "-vv", "--verbose") == 0 &&
	       o.cfg.opt[0] == 1 && o.cfg.queue == 0 && o.cfg.max_conns == 16 && o.cfg.verbose == 4,
	       "options: a switch, the ends of the ranges, -v -vv --verbose add up");
	tap_ok(PARSE(&o, "irc", "--max-expected", "irc=255", "--expect-timeout", "86400", "--queue", "65535",
		     "--max-conns", "16777216") == 0 && o.cfg.policy[0].max_expected == 255 &&
	       o.cfg.policy[0].timeout == 86400 && o.cfg.queue == 65535 && o.cfg.max_conns == 1U << 24,
	       "options: class named and not, upper ends");
	tap_ok(PARSE(&o, "irc", "--max-dcc-channels", "3", "--dcc-timeout", "10") == 0 &&
	       o.cfg.policy[0].max_expected == 3 && o.cfg.policy[0].timeout == 10,
	       "options: irc's module parameter names set class irc");
}

/* Every protocol option takes its range's ends and refuses one beyond (a switch takes no value). */
static void test_proto_ranges(void)
{
	struct opts o;
	char opt[64], lo[16], hi[16], over[16];

	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];

		for (unsigned k = 0; k < p->nopts; k++) {
			const struct helper_opt *op = &p->opts[k];

			snprintf(opt, sizeof(opt), "--%s", op->name);
			if (op->type == HELPER_OPT_BOOL) {
				tap_ok(PARSE(&o, (char *)p->name, opt) == 0 && o.cfg.opt[k] == 1,
				       "options: %s %s switches on", p->name, opt);
				continue;
			}
			snprintf(lo, sizeof(lo), "%u", op->min);
			snprintf(hi, sizeof(hi), "%u", op->max);
			snprintf(over, sizeof(over), "%u", op->max + 1);
			tap_ok(PARSE(&o, (char *)p->name, opt, lo) == 0 && PARSE(&o, (char *)p->name, opt, hi) == 0 &&
			       PARSE(&o, (char *)p->name, opt, over) == -EINVAL && strstr(o.err, "bad value"),
			       "options: %s %s takes %s and %s, refuses %s", p->name, opt, lo, hi, over);
		}
	}
}

/* What was printed, NUL-terminated, each run of blanks and newlines one blank (caller frees). */
static char *printed(void (*fn)(FILE *, const struct helper_proto *), const struct helper_proto *p,
		     void (*overview)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (fn)
		fn(f, p);
	else
		overview(f);
	fclose(f);
	/* Words only: the texts wrap and pad as the terminal width needs. */
	size_t n = 0;

	for (size_t i = 0; buf && buf[i]; i++)
		if (!(buf[i] == ' ' || buf[i] == '\n') || (n && buf[n - 1] != ' '))
			buf[n++] = buf[i] == '\n' ? ' ' : buf[i];
	if (buf)
		buf[n] = '\0';
	return buf;
}

static bool has(const char *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool has(const char *text, const char *fmt, ...)
{
	char want[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	return text && strstr(text, want);
}

/* Each protocol's --help: summary, default queue, classes with defaults, own options with
 * range and default, every common option with this protocol's defaults. */
static void test_proto_usage(void)
{
	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];
		char *t = printed(opts_proto_usage, p, NULL);
		bool ok = has(t, "usage: nfhelper %s [options]", p->name) && has(t, "%s ", p->summary) &&
			  has(t, "nfnetlink_queue %u (default queue)", p->default_queue) &&
			  has(t, "--queue N") && has(t, "(default %u)", p->default_queue) &&
			  has(t, "(default %s)", p->name);

		for (unsigned c = 0; c < p->npolicy; c++)
			ok = ok && has(t, "class %s %u expectation%s per connection, %u s ", p->policy[c].name,
				       p->policy[c].max_expected, p->policy[c].max_expected == 1 ? "" : "s",
				       p->policy[c].timeout);
		for (unsigned k = 0; k < p->nopts; k++) {
			const struct helper_opt *op = &p->opts[k];

			ok = ok && has(t, "--%s", op->name);
			if (op->type == HELPER_OPT_BOOL)
				ok = ok && has(t, "%s (default off)", op->help);
			else
				ok = ok && has(t, "%s (%u-%u, default %u", op->help, op->min, op->max,
					       op->type == HELPER_OPT_UINT ? op->def :
					       op->type == HELPER_OPT_CLASS_MAX ? p->policy[op->def].max_expected :
					       p->policy[op->def].timeout);
		}
		for (unsigned k = 0; opts_common[k].name; k++)
			ok = ok && has(t, "--%s", opts_common[k].name);
		if (!tap_ok(ok, "options: %s --help names its summary, queue, classes and every option with "
			    "its range and default", p->name))
			tap_diag("%s", t ? t : "(nothing)");
		free(t);
	}
	char *t = printed(NULL, NULL, opts_usage);
	bool ok = has(t, "usage: nfhelper PROTOCOL [options]") && has(t, "nfhelper PROTOCOL --help");

	for (unsigned i = 0; helper_protos[i]; i++) {
		ok = ok && has(t, " %s %s (default queue %u)", helper_protos[i]->name, helper_protos[i]->summary,
			       helper_protos[i]->default_queue);
		for (unsigned k = 0; k < helper_protos[i]->nopts; k++)
			ok = ok && has(t, "--%s", helper_protos[i]->opts[k].name);
	}
	tap_ok(ok, "options: --help names every protocol and its options");
	free(t);
}

/* "--max-dcc-channels" as roff writes it: "\-\-max\-dcc\-channels". */
static void roff_option(char *out, size_t cap, const char *name)
{
	size_t n = 0;

	n += (size_t)snprintf(out, cap, "\\-\\-");
	for (const char *s = name; *s && n + 3 < cap; s++) {
		if (*s == '-')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n] = '\0';
}

/* ".BR CLASS :" followed by the line "N expectation(s) per ..., T s." */
static bool class_line(const char *man, const struct cthelper_policy *pol)
{
	char head[64], want[64];
	const char *at, *eol;

	snprintf(head, sizeof(head), "\n.BR %s :\n", pol->name);
	at = strstr(man, head);
	if (!at)
		return false;
	at += strlen(head);
	eol = strchr(at, '\n');
	snprintf(want, sizeof(want), "%u expectation", pol->max_expected);
	if (!eol || strncmp(at, want, strlen(want)))
		return false;
	snprintf(want, sizeof(want), ", %u s.", pol->timeout);
	return (size_t)(eol - at) >= strlen(want) && !strncmp(eol - strlen(want), want, strlen(want));
}

/* The man page (tests run in tests/unit: the repository's doc/ is two folders up). */
static void test_man_page(void)
{
	size_t len;
	uint8_t *raw = tap_slurp("../../doc/nfhelper.8", &len);
	char *man, want[96];

	if (!raw)
		return;
	man = realloc(raw, len + 1);
	man[len] = '\0';
	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];
		bool ok = has(man, ".SS %s\n", p->name) && has(man, "Default queue %u.", p->default_queue);

		for (unsigned c = 0; c < p->npolicy; c++)
			ok = ok && class_line(man, &p->policy[c]);
		for (unsigned k = 0; k < p->nopts; k++) {
			roff_option(want, sizeof(want), p->opts[k].name);
			ok = ok && has(man, "\n.B%s %s", p->opts[k].type == HELPER_OPT_BOOL ? "" : "I", want);
		}
		tap_ok(ok, "options: nfhelper.8 has a section for %s with its queue, classes and options", p->name);
	}
	bool ok = true;

	for (unsigned k = 0; opts_common[k].name; k++) {
		roff_option(want, sizeof(want), opts_common[k].name);
		if (!has(man, "%s", want)) {
			tap_diag("nfhelper.8 lacks %s", want);
			ok = false;
		}
	}
	tap_ok(ok, "options: nfhelper.8 describes every common option");
	free(man);
}

/* What the package installs per protocol (packaging/deb.sh takes every default/ file). */
static void test_packaging(void)
{
	char path[96], want[64];
	size_t len;

	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];
		uint8_t *env, *nft;
		char *t;

		snprintf(path, sizeof(path), "../../packaging/default/nfhelper-%s", p->name);
		env = tap_slurp(path, &len);
		if (env)
			tap_ok(memmem(env, len, "\nNFHELPER_OPTS=", 15) != NULL, "options: %s has its options file", p->name);
		snprintf(path, sizeof(path), "../../packaging/nftables/%s.nft", p->name);
		nft = tap_slurp(path, &len);
		if (nft && (t = realloc(nft, len + 1))) {
			nft = (uint8_t *)t;
			t[len] = '\0';
			snprintf(want, sizeof(want), "type \"%s\" protocol %s", p->name,
				 p->l4[0].proto == IPPROTO_UDP ? "udp" : "tcp");
			tap_ok(strstr(t, want) && has(t, "dport %u ct helper set", p->default_queue),
			       "options: %s.nft names helper %s on port %u", p->name, p->name, p->default_queue);
		}
		free(env);
		free(nft);
	}
}

void test_options(void)
{
	test_errors();
	test_commands();
	test_proto_ranges();
	test_proto_usage();
	test_man_page();
	test_packaging();
}
