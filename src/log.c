// SPDX-License-Identifier: GPL-2.0-or-later
/* log: one-line messages on stderr, rate-limited per call site on the packet path. */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

static const char *log_tag = "nfhelper";
static int log_level = LOG_WARNING;

void log_init(const char *tag, int verbose)
{
	log_tag = tag;
	log_level = verbose >= 2 ? LOG_DEBUG : verbose == 1 ? LOG_INFO : verbose == 0 ? LOG_WARNING : LOG_ERR;
}

bool log_enabled(int level)
{
	return level <= log_level;
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(level))
		return;
	fprintf(stderr, "%s: ", log_tag);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool log_rl_allow(struct log_rl_state *rl)
{
	struct timespec ts;
	long window;

	/* The coarse clock is read from the vDSO: no syscall on the packet path. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	window = ts.tv_sec / LOG_RL_SECONDS;
	if (window != rl->window) {
		if (rl->suppressed)
			log_msg(LOG_WARNING, "(%u similar messages suppressed)", rl->suppressed);
		rl->window = window;
		rl->count = rl->suppressed = 0;
	}
	if (rl->count < LOG_RL_BURST) {
		rl->count++;
		return true;
	}
	rl->suppressed++;
	return false;
}
