/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log: one-line messages on stderr, rate-limited on the packet path. */
#ifndef NFHELPER_LOG_H
#define NFHELPER_LOG_H

#include <stdbool.h>
#include <syslog.h> /* LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG */

void log_init(const char *tag, int verbose);
bool log_enabled(int level);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct log_rl_state {
	long window;
	unsigned count, suppressed;
};
/* At most LOG_RL_BURST lines per call site every LOG_RL_SECONDS. */
#define LOG_RL_BURST 5
#define LOG_RL_SECONDS 5
bool log_rl_allow(struct log_rl_state *rl);

/* Packet-path logging: a hostile peer must not be able to flood the log. */
#define log_rl(level, ...)                                                   \
	do {                                                                 \
		static struct log_rl_state rl_;                              \
		if (log_enabled(level) && log_rl_allow(&rl_))                \
			log_msg(level, __VA_ARGS__);                         \
	} while (0)

#endif
