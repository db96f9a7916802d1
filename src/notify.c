// SPDX-License-Identifier: GPL-2.0-or-later
/* notify: readiness for Type=notify units, one AF_UNIX datagram per state change, the wire
 * format of sd_notify(3) ("VAR=value" lines); no libsystemd; the socket READY=1 opened
 * is closed by STOPPING=1. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "log.h"
#include "notify.h"

/* "/path" or "@abstract" into sa; returns the address length or a -errno. */
static int notify_addr(const char *env, struct sockaddr_un *sa)
{
	size_t len = strlen(env);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (env[0] != '/' && env[0] != '@')
		return -EAFNOSUPPORT;	/* "vsock:..." and relative paths: not ours to guess */
	if (len < 2)
		return -EINVAL;
	/* An abstract name is its bytes after a leading NUL, the address length says where it
	 * ends; a path keeps its terminating NUL.  Cut short, either would name another socket. */
	if (env[0] == '@') {
		if (len > sizeof(sa->sun_path))
			return -ENAMETOOLONG;
		memcpy(sa->sun_path + 1, env + 1, len - 1);
		return (int)(offsetof(struct sockaddr_un, sun_path) + len);
	}
	if (len >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, env, len);
	return (int)(offsetof(struct sockaddr_un, sun_path) + len + 1);
}

/* A socket for $NOTIFY_SOCKET, its address in sa: the descriptor, 0 when the variable is unset
 * or empty (nothing to tell), or a -errno. */
static int notify_open(struct sockaddr_un *sa, int *salen)
{
	const char *env = getenv("NOTIFY_SOCKET");
	int fd;

	if (!env || !*env)
		return 0;
	*salen = notify_addr(env, sa);
	if (*salen < 0)
		return *salen;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

static int notify_sendto(int fd, const struct sockaddr_un *sa, int salen, const char *state)
{
	/* MSG_NOSIGNAL: a manager gone away must not kill us with SIGPIPE. */
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (const struct sockaddr *)sa, (socklen_t)salen) < 0)
		return -errno;
	return 0;
}

int notify_send(const char *state)
{
	struct sockaddr_un sa;
	int salen, err, fd = notify_open(&sa, &salen);

	if (fd <= 0)
		return fd;
	err = notify_sendto(fd, &sa, salen, state);
	close(fd);
	return err;
}

/* READY=1's socket stays open for STOPPING=1: by then the seccomp filter (sandbox.h) lets no
 * socket be opened. */
static struct {
	int fd;
	int salen;
	struct sockaddr_un sa;
} held = { .fd = -1 };

static void notify_log(const char *what, int err)
{
	static int logged;

	/* Never fatal: the helper works the same, only the manager is not told. */
	if (err < 0 && !logged++)
		log_msg(LOG_WARNING, "cannot notify the service manager (%s) through NOTIFY_SOCKET: %s",
			what, strerror(-err));
}

void notify_ready(const char *proto, const char *name, uint16_t queue)
{
	char msg[128];

	if (strcmp(proto, name))
		snprintf(msg, sizeof(msg), "READY=1\nSTATUS=helping %s as %s on queue %u\nMAINPID=%ld",
			 proto, name, queue, (long)getpid());
	else
		snprintf(msg, sizeof(msg), "READY=1\nSTATUS=helping %s on queue %u\nMAINPID=%ld",
			 proto, queue, (long)getpid());
	if (held.fd < 0) {
		int fd = notify_open(&held.sa, &held.salen);

		if (fd <= 0) {
			notify_log("READY=1", fd);
			return;
		}
		held.fd = fd;
	}
	notify_log("READY=1", notify_sendto(held.fd, &held.sa, held.salen, msg));
}

void notify_stopping(void)
{
	if (held.fd < 0)
		return;
	notify_log("STOPPING=1", notify_sendto(held.fd, &held.sa, held.salen, "STOPPING=1"));
	close(held.fd);
	held.fd = -1;
}
