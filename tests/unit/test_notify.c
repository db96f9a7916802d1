// SPDX-License-Identifier: GPL-2.0-or-later
/* test_notify: $NOTIFY_SOCKET as systemd sets it — a path and an abstract name — received on a
 * real bound AF_UNIX datagram socket (a folder made inside the build folder, beside the test
 * binary); names that do not fit or are not addresses are refused; unset does nothing; no
 * descriptor stays open; a failure is logged once. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "notify.h"
#include "tap.h"

void test_notify(void);

static char dir[4096];

/* The lowest free descriptor: it moves if a call leaves one open. */
static int lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* A folder of our own next to the test binary, that is inside the build folder. */
static bool make_dir(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	if (snprintf(dir, sizeof(dir), "%s/notify-XXXXXX", dirname(exe)) >= (int)sizeof(dir))
		return false;
	return mkdtemp(dir) != NULL;
}

/* A bound datagram socket at env's address ("/path" or "@name"); -1 on failure. */
static int listener(const char *env)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(env);
	socklen_t salen;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || len >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, env, len);
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	if (env[0] == '@') {
		sa.sun_path[0] = '\0';
		salen--;
	}
	if (bind(fd, (struct sockaddr *)&sa, salen) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The next datagram waiting on fd, NUL-terminated; "" when none is. */
static const char *received(int fd)
{
	static char buf[512];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void check_states(int fd, const char *what)
{
	char want[128];
	int before = lowest_free_fd();

	tap_ok(notify_send("READY=1") == 0 && !strcmp(received(fd), "READY=1"),
	       "notify: %s: one datagram with the state as given", what);
	notify_ready("ftp", "ftp", 21);
	snprintf(want, sizeof(want), "READY=1\nSTATUS=helping ftp on queue 21\nMAINPID=%ld", (long)getpid());
	tap_ok(!strcmp(received(fd), want), "notify: %s: READY=1, the status line and MAINPID", what);
	tap_ok(lowest_free_fd() != before, "notify: %s: READY=1's socket stays open for STOPPING=1 "
	       "(the seccomp filter allows no new socket)", what);
	notify_ready("ftp", "ftp2", 2121);
	snprintf(want, sizeof(want), "READY=1\nSTATUS=helping ftp as ftp2 on queue 2121\nMAINPID=%ld",
		 (long)getpid());
	tap_ok(!strcmp(received(fd), want), "notify: %s: another --name is in the status line", what);
	notify_stopping();
	tap_ok(!strcmp(received(fd), "STOPPING=1"), "notify: %s: STOPPING=1", what);
	tap_ok(!*received(fd), "notify: %s: nothing more was sent", what);
	TAP_EQ_U(lowest_free_fd(), before, "notify: no descriptor stays open after sending");
}

static void test_path(void)
{
	char path[sizeof(dir) + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/notify", dir);
	fd = listener(path);
	if (!tap_ok(fd >= 0, "notify: bind %s", path))
		return;
	setenv("NOTIFY_SOCKET", path, 1);
	check_states(fd, "path");
	close(fd);
	unlink(path);
	/* The manager is gone: the error comes back and nothing stays open. */
	int before = lowest_free_fd();

	TAP_EQ_U(-notify_send("READY=1"), ENOENT, "notify: no socket at the path: ENOENT comes back");
	TAP_EQ_U(lowest_free_fd(), before, "notify: no descriptor stays open after a failure");
}

static void test_abstract(void)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "@nfhelper-test-notify-%ld", (long)getpid());
	fd = listener(name);
	if (!tap_ok(fd >= 0, "notify: bind abstract %s", name))
		return;
	setenv("NOTIFY_SOCKET", name, 1);
	check_states(fd, "abstract name");
	close(fd);
}

static void test_refused(void)
{
	char name[200];
	struct { const char *desc; size_t len; char first; int want; } cases[] = {
		{ "a path of 107 bytes is tried (no socket there)", 107, '/', -ENOENT },
		{ "a path of 108 bytes leaves no room for its NUL", 108, '/', -ENAMETOOLONG },
		{ "a path of 199 bytes", 199, '/', -ENAMETOOLONG },
		{ "an abstract name of 108 bytes fits exactly (nobody bound)", 108, '@', -ECONNREFUSED },
		{ "an abstract name of 109 bytes", 109, '@', -ENAMETOOLONG },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(name, 'x', cases[i].len);
		name[0] = cases[i].first;
		name[cases[i].len] = '\0';
		/* under our own folder, so the 107-byte path names nothing anyone else has */
		if (cases[i].first == '/' && strlen(dir) + 2 < cases[i].len) {
			memcpy(name, dir, strlen(dir));
			name[strlen(dir)] = '/';
		}
		setenv("NOTIFY_SOCKET", name, 1);
		int got = notify_send("READY=1");

		tap_ok(got == cases[i].want, "notify: %s (got %d, want %d)", cases[i].desc, got, cases[i].want);
	}
	setenv("NOTIFY_SOCKET", "notify.sock", 1);
	TAP_EQ_U(-notify_send("READY=1"), EAFNOSUPPORT, "notify: a relative path is refused");
	setenv("NOTIFY_SOCKET", "vsock:2:999", 1);
	TAP_EQ_U(-notify_send("READY=1"), EAFNOSUPPORT, "notify: another address form is refused");
	setenv("NOTIFY_SOCKET", "@", 1);
	TAP_EQ_U(-notify_send("READY=1"), EINVAL, "notify: an empty abstract name is refused");
}

/* Unset or empty: no socket is made, nothing arrives anywhere, success. */
static void test_unset(void)
{
	char path[sizeof(dir) + 16];
	int fd, before = lowest_free_fd();

	snprintf(path, sizeof(path), "%s/unset", dir);
	fd = listener(path);
	if (!tap_ok(fd >= 0, "notify: bind %s", path))
		return;
	unsetenv("NOTIFY_SOCKET");
	tap_ok(notify_send("READY=1") == 0, "notify: unset: nothing to do, no error");
	notify_ready("ftp", "ftp", 21);
	notify_stopping();
	setenv("NOTIFY_SOCKET", "", 1);
	tap_ok(notify_send("READY=1") == 0, "notify: empty: nothing to do, no error");
	tap_ok(!*received(fd), "notify: unset or empty: nothing was sent");
	close(fd);
	unlink(path);
	TAP_EQ_U(lowest_free_fd(), before, "notify: unset: no descriptor opened");
	unsetenv("NOTIFY_SOCKET");
}

/* A failing manager costs one warning for the process's life, not one per state. */
static void test_logged_once(void)
{
	char path[sizeof(dir) + 16], log[512] = "";
	int saved = dup(2), fd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (!tap_ok(fd >= 0 && saved >= 0, "notify: stderr redirected"))
		return;
	fflush(stderr);
	dup2(fd, 2);
	close(fd);
	setenv("NOTIFY_SOCKET", "vsock:2:999", 1);
	notify_ready("ftp", "ftp", 21);
	notify_stopping();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	unsetenv("NOTIFY_SOCKET");
	f = fopen(path, "r");
	size_t n = f ? fread(log, 1, sizeof(log) - 1, f) : 0;

	if (f)
		fclose(f);
	log[n] = '\0';
	unlink(path);
	tap_ok(strstr(log, "cannot notify the service manager (READY=1) through NOTIFY_SOCKET") &&
	       n > 0 && strchr(log, '\n') == log + n - 1, "notify: a failure is one warning line, once");
	tap_diag("logged: %.*s", n > 0 ? (int)strcspn(log, "\n") : 0, log);
}

void test_notify(void)
{
	if (!tap_ok(make_dir(), "notify: a folder in the build folder (%s)", dir))
		return;
	test_path();
	test_abstract();
	test_refused();
	test_unset();
	test_logged_once();
	rmdir(dir);
}
