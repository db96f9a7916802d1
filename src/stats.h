/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stats: what a running helper has done, as Prometheus text (exposition format 0.0.4), served
 * on an abstract unix socket of its network namespace, "@nfhelper/NAME" (NAME the helper's
 * name in the kernel), and printed by `nfhelper stats PROTOCOL`.  A socket, not a file: the
 * seccomp filter lets the loop open nothing, no directory has to exist, and a reader gets a
 * consistent snapshot made at the moment it asks.  No TCP listener: a scraper runs
 * `nfhelper stats` (node_exporter's textfile collector, or a cron job). */
#ifndef NFHELPER_STATS_H
#define NFHELPER_STATS_H

#include <stddef.h>
#include <stdio.h>
#include "dispatch.h"

#define STATS_TEXT_MAX 8192	/* the whole text; every metric fits with room to spare */

/* The counters of dp as Prometheus text into buf: its length (< cap), or -ENOSPC. */
int stats_format(const struct dispatch *dp, const struct helper_cfg *cfg, const char *version,
		 char *buf, size_t cap);

/* The listening socket for helper name (non-blocking, close-on-exec), or -errno
 * (-EADDRINUSE: another process in this namespace serves that name). */
int stats_listen(const char *name);
/* Answer the connections waiting on fd (a bounded number per call), each with text. */
void stats_serve(int fd, const char *text, size_t len);

#define STATS_PROC_QUEUE "/proc/net/netfilter/nfnetlink_queue"

/* `nfhelper stats`: what the helper named name in this namespace serves, then the kernel's
 * counters of its queue (the lines of proc, STATS_PROC_QUEUE; none when it cannot be read),
 * to out.  0, or -errno with one line in err. */
int stats_client(const char *name, const char *proc, FILE *out, char *err, size_t errlen);

#endif
