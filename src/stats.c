// SPDX-License-Identifier: GPL-2.0-or-later
/* stats: the helper's counters as Prometheus text — one table of metrics, each with its help
 * line and type, read straight from the dispatcher, the connection table and the pool.  No
 * allocation: the daemon formats into a buffer it owns when a reader connects. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include "array_size.h"
#include "stats.h"

struct stats_metric {
	const char *name;
	const char *type;	/* "counter" or "gauge" */
	const char *help;
	uint64_t (*get)(const struct dispatch *dp);
};

#define GET(field) static uint64_t get_##field(const struct dispatch *dp) { return dp->field; }
#define GETS(field) static uint64_t get_##field(const struct dispatch *dp) { return dp->stats.field; }
#define GETP(field) static uint64_t get_pool_##field(const struct dispatch *dp) { return dp->pool.field; }
GETS(packets) GETS(rewritten) GETS(expectations) GETS(dropped) GETS(undecodable) GETS(unparsed)
GETS(refused) GETS(children)
GETP(reclaimed) GETP(unheld) GETP(unrepeated) GETP(unplaced) GETP(unbounded) GETP(dfcleared)
GETP(overbound) GETP(count)
static uint64_t get_conns(const struct dispatch *dp) { return dp->conns.used; }
static uint64_t get_conns_max(const struct dispatch *dp) { return dp->conns.cap; }
static uint64_t get_evicted(const struct dispatch *dp) { return dp->conns.evicted; }
#undef GET
#undef GETS
#undef GETP

static const struct stats_metric stats_metrics[] = {
	{ "packets_total", "counter", "Packets the kernel queued to the helper and it answered.", get_packets },
	{ "rewritten_total", "counter", "Packets answered with a rewritten payload (NAT).", get_rewritten },
	{ "expectations_total", "counter", "Expectations created (verdict and ctnetlink).", get_expectations },
	{ "dropped_total", "counter", "Packets dropped as the kernel's helper would (no NAT port, "
	  "a rewrite impossible).", get_dropped },
	{ "refused_total", "counter", "Requests refused as malformed or hostile: nothing opened, the "
	  "packet passed unchanged.", get_refused },
	{ "undecodable_total", "counter", "Queue messages that could not be decoded.", get_undecodable },
	{ "unparsed_total", "counter", "Packets accepted unread: not a whole packet of a helped transport.",
	  get_unparsed },
	{ "children_total", "counter", "Packets of expected connections passed unread (kernels that "
	  "queue them with their master's helper).", get_children },
	{ "conns", "gauge", "Connections tracked now.", get_conns },
	{ "conns_max", "gauge", "Connections that can be tracked at once (--max-conns).", get_conns_max },
	{ "conns_evicted_total", "counter", "Connections whose state was recycled while still open "
	  "(the table is too small).", get_evicted },
	{ "pool_blocks", "gauge", "Blocks of the hold-back and journal pool.", get_pool_count },
	{ "pool_reclaimed_total", "counter", "Pool blocks taken back from a connection still using "
	  "them.", get_pool_reclaimed },
	{ "pool_unheld_total", "counter", "Unfinished messages not held back (no block, or over the "
	  "client's share).", get_pool_unheld },
	{ "pool_unrepeated_total", "counter", "Retransmissions dropped: their rewrite's journal was "
	  "gone.", get_pool_unrepeated },
	{ "pool_unplaced_total", "counter", "Segments dropped: no sequence number the kernel's "
	  "correction maps right.", get_pool_unplaced },
	{ "path_unbounded_total", "counter", "Rewrites given up (passed unrewritten) to stay within "
	  "the path's MSS.", get_pool_unbounded },
	{ "path_dfcleared_total", "counter", "IPv4 segments sent over the path's bound with DF "
	  "cleared.", get_pool_dfcleared },
	{ "path_overbound_total", "counter", "IPv6 segments over the path's bound (may stall).",
	  get_pool_overbound },
};

/* Append to buf; false once it no longer fits. */
static bool put(char *buf, size_t cap, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool put(char *buf, size_t cap, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at >= cap)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, cap - *at, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *at)
		return false;
	*at += (size_t)n;
	return true;
}

int stats_format(const struct dispatch *dp, const struct helper_cfg *cfg, const char *version,
		 char *buf, size_t cap)
{
	size_t at = 0;
	bool ok;

	/* Label values are the helper name (1-15 bytes of argv) and the version: neither may
	 * carry a quote or backslash into the text unescaped, so those are refused at --name. */
	ok = put(buf, cap, &at, "# HELP nfhelper_info The helper: protocol, queue and version.\n"
		 "# TYPE nfhelper_info gauge\nnfhelper_info{helper=\"%s\",protocol=\"%s\",queue=\"%u\","
		 "version=\"%s\"} 1\n", cfg->name, dp->proto->name, cfg->queue, version);
	for (unsigned i = 0; ok && i < ARRAY_SIZE(stats_metrics); i++) {
		const struct stats_metric *m = &stats_metrics[i];

		ok = put(buf, cap, &at, "# HELP nfhelper_%s %s\n# TYPE nfhelper_%s %s\n"
			 "nfhelper_%s{helper=\"%s\"} %llu\n", m->name, m->help, m->name, m->type,
			 m->name, cfg->name, (unsigned long long)m->get(dp));
	}
	return ok ? (int)at : -ENOSPC;
}
