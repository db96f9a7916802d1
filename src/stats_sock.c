// SPDX-License-Identifier: GPL-2.0-or-later
/* stats_sock: the stats text over an abstract unix stream socket, "@nfhelper/NAME" in the
 * helper's network namespace: the daemon answers each connection with one snapshot and
 * closes it (accept4, send, close — calls its seccomp filter allows); `nfhelper stats`
 * connects, prints what it gets, and adds the kernel's counters of the helper's queue. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "stats.h"

#define STATS_PREFIX "nfhelper/"
#define STATS_SERVE_MAX 8	/* connections answered per wake-up: readers cannot starve packets */

static socklen_t stats_addr(const char *name, struct sockaddr_un *sa)
{
	size_t n = strlen(name);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (n > 15)
		n = 15;
	/* Abstract: a leading NUL, and the address length says where the name ends. */
	memcpy(sa->sun_path + 1, STATS_PREFIX, sizeof(STATS_PREFIX) - 1);
	memcpy(sa->sun_path + sizeof(STATS_PREFIX), name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + sizeof(STATS_PREFIX) + n);
}

int stats_listen(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len = stats_addr(name, &sa);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), e;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, STATS_SERVE_MAX) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

void stats_serve(int fd, const char *text, size_t len)
{
	for (int i = 0; i < STATS_SERVE_MAX; i++) {
		int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (c < 0)
			return;	/* EAGAIN: nobody else waits */
		/* One non-blocking send: the text is far below a socket buffer, and a reader that
		 * does not read gets what fits, never a stalled helper. */
		(void)!sendto(c, text, len, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
		close(c);
	}
}

/* The queue number the helper's text names (nfhelper_info's queue label), or -1. */
static long stats_queue(const char *text)
{
	const char *q = strstr(text, "queue=\"");

	return q ? strtol(q + 7, NULL, 10) : -1;
}

/* The kernel's line for queue q (proc: STATS_PROC_QUEUE, of this namespace):
 * queue_number peer_portid queue_total copy_mode copy_range queue_dropped user_dropped
 * id_sequence 1. */
static void stats_kernel(long q, const char *proc, const char *name, FILE *out)
{
	unsigned long v[9];
	char line[256];
	FILE *f = fopen(proc, "re");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lu %lu %lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4],
			   &v[5], &v[6], &v[7], &v[8]) != 9 || (long)v[0] != q)
			continue;
		fprintf(out, "# HELP nfhelper_queue_waiting Packets waiting in the kernel's queue now.\n"
			"# TYPE nfhelper_queue_waiting gauge\nnfhelper_queue_waiting{helper=\"%s\"} %lu\n"
			"# HELP nfhelper_queue_dropped_total Packets the kernel's queue dropped (full).\n"
			"# TYPE nfhelper_queue_dropped_total counter\n"
			"nfhelper_queue_dropped_total{helper=\"%s\"} %lu\n"
			"# HELP nfhelper_queue_user_dropped_total Packets the kernel could not send to "
			"nfhelper (its socket buffer full).\n"
			"# TYPE nfhelper_queue_user_dropped_total counter\n"
			"nfhelper_queue_user_dropped_total{helper=\"%s\"} %lu\n",
			name, v[2], name, v[5], name, v[6]);
		break;
	}
	if (f)
		fclose(f);
}

int stats_client(const char *name, const char *proc, FILE *out, char *err, size_t errlen)
{
	static char text[STATS_TEXT_MAX + 1];
	struct sockaddr_un sa;
	socklen_t len = stats_addr(name, &sa);
	size_t got = 0;
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), e;

	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len) < 0) {
		e = errno;
		snprintf(err, errlen, "no nfhelper with helper name '%s' runs in this network namespace "
			 "(nothing answers on @%s%s); start it, or give its --name", name, STATS_PREFIX, name);
		if (fd >= 0)
			close(fd);
		return -e;
	}
	while (got < STATS_TEXT_MAX && (n = read(fd, text + got, STATS_TEXT_MAX - got)) > 0)
		got += (size_t)n;
	close(fd);
	text[got] = 0;
	if (!strstr(text, "nfhelper_info{")) {
		snprintf(err, errlen, "@%s%s answered something that is not nfhelper's stats", STATS_PREFIX, name);
		return -EPROTO;
	}
	fputs(text, out);
	stats_kernel(stats_queue(text), proc, name, out);
	return 0;
}
