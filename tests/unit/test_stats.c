// SPDX-License-Identifier: GPL-2.0-or-later
/* test_stats: the counters as Prometheus text (every metric with its help, type and value,
 * the label, nothing when the buffer is short), and `nfhelper stats` against a served socket:
 * the snapshot as sent, the kernel's queue counters added from a nfnetlink_queue file, the one
 * line when nobody serves the name. */
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "helper.h"
#include "stats.h"
#include "tap.h"

void test_stats(void);

static void fill(struct dispatch *dp, const struct helper_cfg *cfg)
{
	memset(dp, 0, sizeof(*dp));
	dp->proto = helper_find("ftp");
	dp->cfg = cfg;
	dp->stats = (struct dispatch_stats){ .packets = 1001, .rewritten = 1002, .expectations = 1003,
		.dropped = 1004, .undecodable = 1005, .unparsed = 1006, .refused = 1007, .children = 1008 };
	dp->conns.used = 17;
	dp->conns.cap = 65536;
	dp->conns.evicted = 1009;
	dp->pool.count = 2048;
	dp->pool.reclaimed = 1010;
	dp->pool.unheld = 1011;
	dp->pool.unrepeated = 1012;
	dp->pool.unplaced = 1013;
	dp->pool.unbounded = 1014;
	dp->pool.dfcleared = 1015;
	dp->pool.overbound = 1016;
}

/* Each "name{helper="ftp2"} value" line present, with its HELP and TYPE lines before it. */
static bool has_metric(const char *text, const char *name, const char *type, unsigned long long v)
{
	char want[160], help[96], typ[96];
	const char *at;

	snprintf(want, sizeof(want), "\nnfhelper_%s{helper=\"ftp2\"} %llu\n", name, v);
	snprintf(help, sizeof(help), "# HELP nfhelper_%s ", name);
	snprintf(typ, sizeof(typ), "# TYPE nfhelper_%s %s\n", name, type);
	at = strstr(text, want);
	return at && strstr(text, help) && strstr(text, help) < at && strstr(text, typ) &&
	       strstr(text, typ) < at;
}

static void test_format(void)
{
	static const struct { const char *name, *type; unsigned long long v; } m[] = {
		{ "packets_total", "counter", 1001 }, { "rewritten_total", "counter", 1002 },
		{ "expectations_total", "counter", 1003 }, { "dropped_total", "counter", 1004 },
		{ "undecodable_total", "counter", 1005 }, { "unparsed_total", "counter", 1006 },
		{ "refused_total", "counter", 1007 }, { "children_total", "counter", 1008 },
		{ "conns", "gauge", 17 }, { "conns_max", "gauge", 65536 },
		{ "conns_evicted_total", "counter", 1009 }, { "pool_blocks", "gauge", 2048 },
		{ "pool_reclaimed_total", "counter", 1010 }, { "pool_unheld_total", "counter", 1011 },
		{ "pool_unrepeated_total", "counter", 1012 }, { "pool_unplaced_total", "counter", 1013 },
		{ "path_unbounded_total", "counter", 1014 }, { "path_dfcleared_total", "counter", 1015 },
		{ "path_overbound_total", "counter", 1016 },
	};
	struct helper_cfg cfg;
	struct dispatch dp;
	char text[STATS_TEXT_MAX];
	int n, lines = 0;

	helper_cfg_init(&cfg, helper_find("ftp"));
	cfg.name = "ftp2";
	cfg.queue = 2121;
	fill(&dp, &cfg);
	n = stats_format(&dp, &cfg, "0.2.0-test", text, sizeof(text));
	if (!tap_ok(n > 0 && (size_t)n == strlen(text) && text[n - 1] == '\n', "stats: formatted (%d bytes)", n))
		return;
	tap_ok(strstr(text, "nfhelper_info{helper=\"ftp2\",protocol=\"ftp\",queue=\"2121\","
		      "version=\"0.2.0-test\"} 1\n") != NULL, "stats: the info line names helper, protocol, "
	       "queue and version");
	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		tap_ok(has_metric(text, m[i].name, m[i].type, m[i].v), "stats: nfhelper_%s %s %llu with its "
		       "help and type", m[i].name, m[i].type, m[i].v);
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	TAP_EQ_U(lines, 3 * (1 + sizeof(m) / sizeof(m[0])), "stats: three lines per metric, nothing else");
	TAP_EQ_U(-stats_format(&dp, &cfg, "0.2.0-test", text, (size_t)n), ENOSPC,
		 "stats: one byte short of the text: -ENOSPC, never a cut text");
}

/* A nfnetlink_queue file as the kernel writes it, in the build folder. */
static bool proc_file(char *path, size_t cap)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;
	int fd;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	snprintf(path, cap, "%s/stats-queue-XXXXXX", dirname(exe));
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		return false;
	fputs("    21  12345     0 2 65535     0     0      457  1\n"
	      "  2121      0     3 2 65535     7     9     1000  1\n", f);
	return fclose(f) == 0;
}

static void test_socket(void)
{
	static const char text[] = "# HELP nfhelper_info x\n# TYPE nfhelper_info gauge\n"
				   "nfhelper_info{helper=\"t\",protocol=\"ftp\",queue=\"2121\",version=\"v\"} 1\n";
	char name[16], path[4200], err[256], w1[96], w2[96], w3[96], *out = NULL;
	size_t outlen = 0;
	FILE *mem;
	pid_t pid;
	int fd, rc, st;

	snprintf(name, sizeof(name), "t%d", (int)getpid() % 100000000);
	fd = stats_listen(name);
	if (!tap_ok(fd >= 0, "stats: listen on @nfhelper/%s", name) || !tap_ok(proc_file(path, sizeof(path)),
										 "stats: a queue file"))
		return;
	TAP_EQ_U(-stats_listen(name), EADDRINUSE, "stats: a second listener on the name: EADDRINUSE");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 5000) == 1)
			stats_serve(fd, text, sizeof(text) - 1);
		_exit(0);
	}
	mem = open_memstream(&out, &outlen);
	rc = stats_client(name, path, mem, err, sizeof(err));
	fclose(mem);
	waitpid(pid, &st, 0);
	close(fd);
	unlink(path);
	tap_ok(rc == 0 && !strncmp(out, text, sizeof(text) - 1), "stats: the client prints the snapshot as served");
	snprintf(w1, sizeof(w1), "\nnfhelper_queue_waiting{helper=\"%s\"} 3\n", name);
	snprintf(w2, sizeof(w2), "\nnfhelper_queue_dropped_total{helper=\"%s\"} 7\n", name);
	snprintf(w3, sizeof(w3), "\nnfhelper_queue_user_dropped_total{helper=\"%s\"} 9\n", name);
	tap_ok(strstr(out, w1) && strstr(out, w2) && strstr(out, w3) && !strstr(out, "} 12345"),
	       "stats: the kernel's counters of queue 2121 (the served queue), not queue 21's, are added");
	free(out);
	rc = stats_client(name, path, stdout, err, sizeof(err));
	tap_ok(rc == -ECONNREFUSED && strstr(err, "no nfhelper with helper name") && !strchr(err, '\n'),
	       "stats: nobody serves the name: one line that says so (%s)", err);
}

void test_stats(void)
{
	test_format();
	test_socket();
}
