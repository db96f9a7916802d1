// SPDX-License-Identifier: GPL-2.0-or-later
/* test_sandbox: the seccomp filter lets the packet loop's calls through and stops any other
 * with its one-line message and exit status; --user's switch keeps CAP_NET_ADMIN alone.  Each
 * case runs in a child (a filter and a user switch cannot be undone), making raw system calls
 * so that no libc or sanitizer wrapper decides what reaches the kernel. */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "sandbox.h"
#include "tap.h"

#ifdef SYS_clock_gettime64	/* 32-bit ARM (musl: time64) */
#define SANDBOX_TEST_CLOCK SYS_clock_gettime64
#else
#define SANDBOX_TEST_CLOCK SYS_clock_gettime
#endif
#ifdef SYS_mmap2
#define SANDBOX_TEST_MMAP SYS_mmap2
#else
#define SANDBOX_TEST_MMAP SYS_mmap
#endif

void test_sandbox(void);

enum { CHILD_OK = 0, CHILD_NOFILTER = 3, CHILD_FAIL = 4 };

/* Run fn in a child whose stderr is a pipe: its exit status (or 128 + signal) and stderr. */
static int in_child(int (*fn)(void), char *out, size_t cap)
{
	int p[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 2);
		close(p[0]);
		/* exit_group itself: a sanitizer's _exit would make calls the filter refuses */
		syscall(SYS_exit_group, fn());
	}
	close(p[1]);
	while (cap > 1 && (n = read(p[0], out + got, cap - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = 0;
	close(p[0]);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* What the packet loop and a clean stop do, under the filter: every call comes back. */
static int loop_calls(void)
{
	struct timespec ts;
	char b[4];
	int sp[2];
	void *m;

	int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	/* a listening socket (autobound to an abstract name): accept4 finds nobody waiting,
	 * the stats socket's usual case */
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) < 0 || lfd < 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa_family_t)) < 0 || listen(lfd, 1) < 0)
		return CHILD_FAIL;
	if (sandbox_seccomp() < 0)
		return CHILD_NOFILTER;
	if (syscall(SYS_write, 2, "", 0) != 0 || syscall(SANDBOX_TEST_CLOCK, CLOCK_MONOTONIC, &ts) != 0 ||
	    syscall(SYS_sendto, sp[0], "abc", 3, 0, NULL, 0) != 3 ||
	    syscall(SYS_ppoll, NULL, 0, &(struct timespec){ 0, 0 }, NULL, 8) != 0 ||
	    syscall(SYS_recvfrom, sp[1], b, sizeof(b), 0, NULL, NULL) != 3 ||
	    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, NULL, 8) != 0 ||
	    syscall(SYS_accept4, lfd, NULL, NULL, SOCK_NONBLOCK) != -1 || errno != EAGAIN)
		return CHILD_FAIL;
	m = (void *)syscall(SANDBOX_TEST_MMAP, NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || syscall(SYS_munmap, m, 4096) != 0 || syscall(SYS_close, sp[0]) != 0)
		return CHILD_FAIL;
	return CHILD_OK;
}

static int refused_socket(void)
{
	if (sandbox_seccomp() < 0)
		return CHILD_NOFILTER;
	syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	return CHILD_FAIL;
}

static int refused_exec_mmap(void)
{
	if (sandbox_seccomp() < 0)
		return CHILD_NOFILTER;
	syscall(SANDBOX_TEST_MMAP, NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return CHILD_FAIL;
}

static int refused_mprotect(void)
{
	static char page[8192] __attribute__((aligned(4096)));

	if (sandbox_seccomp() < 0)
		return CHILD_NOFILTER;
	syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_EXEC);
	return CHILD_FAIL;
}

/* The filter cannot be lifted: a second one (which could only narrow it) is itself refused. */
static int refused_prctl(void)
{
	if (sandbox_seccomp() < 0)
		return CHILD_NOFILTER;
	syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return CHILD_FAIL;
}

static bool check_refused(int (*fn)(void), long nr, const char *what)
{
	char out[512], want[96];
	int rc = in_child(fn, out, sizeof(out));
	const char *nl = strchr(out, '\n');

	if (rc == CHILD_NOFILTER)
		return tap_ok(true, "sandbox: %s # SKIP no seccomp filter here (qemu-user refuses them)", what);
	snprintf(want, sizeof(want), "stopped system call %ld,", nr);
	TAP_EQ_U(rc, SANDBOX_EXIT_SYSCALL, what);
	return tap_ok(strstr(out, want) && strstr(out, "--no-seccomp") && nl && !nl[1],
		      "sandbox: %s: one line naming the call and the way around it: %s", what, out);
}

static void test_filter(void)
{
	char out[512];
	int rc = in_child(loop_calls, out, sizeof(out));

	if (rc == CHILD_NOFILTER)
		tap_ok(true, "sandbox: the loop's calls pass # SKIP no seccomp filter here");
	else
		tap_ok(rc == CHILD_OK && !*out, "sandbox: the loop's calls pass the filter (exit %d%s%s)",
		       rc, *out ? ", " : "", out);
	check_refused(refused_socket, SYS_socket, "a new socket is refused");
	check_refused(refused_exec_mmap, SANDBOX_TEST_MMAP, "executable memory is refused");
	check_refused(refused_mprotect, SYS_mprotect, "mprotect is refused");
	check_refused(refused_prctl, SYS_prctl, "prctl is refused");
}

static void test_user_parse(void)
{
	static const char *const bad[] = { "12x", "1:", "1:x", "4294967295", "1:4294967295", "1:2:3" };
	struct sandbox_user u;
	char err[256];

	tap_ok(sandbox_user_parse("65534", &u, err, sizeof(err)) == 0 && u.set && u.uid == 65534 &&
	       u.gid == 65534, "sandbox: --user UID: the group is the same number");
	tap_ok(sandbox_user_parse("1000:100", &u, err, sizeof(err)) == 0 && u.uid == 1000 && u.gid == 100,
	       "sandbox: --user UID:GID");
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(sandbox_user_parse(bad[i], &u, err, sizeof(err)) == -EINVAL && !u.set &&
		       strstr(err, "UID[:GID]") && !strchr(err, '\n'),
		       "sandbox: --user '%s' refused with one line: %s", bad[i], err);
}

/* In a child started as root: become 65534 with CAP_NET_ADMIN alone, and nothing more. */
static int drop_child(void)
{
	struct sandbox_user u = { true, 65534, 65534 };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	char err[256];

	if (sandbox_drop(&u, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s", err);
		return CHILD_FAIL;
	}
	if (syscall(SYS_capget, &h, d) < 0 || d[0].effective != 1U << CAP_NET_ADMIN ||
	    d[0].permitted != 1U << CAP_NET_ADMIN || getuid() != 65534 || getgid() != 65534 ||
	    prctl(PR_CAPBSET_READ, CAP_NET_ADMIN, 0, 0, 0) != 1 ||
	    prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0) != 0 || setuid(0) == 0 ||
	    getgroups(0, NULL) != 1)
		return CHILD_FAIL;
	return CHILD_OK;
}

static void test_drop(void)
{
	struct sandbox_user u = { true, 65534, 65534 };
	char out[512], err[256];
	int rc;

	if (geteuid() != 0) {
		rc = sandbox_drop(&u, err, sizeof(err));
		tap_ok(rc == -EPERM && strstr(err, "started as root"),
		       "sandbox: --user without root is refused with one line: %s", err);
		tap_ok(true, "sandbox: --user as root # SKIP the suite does not run as root");
		return;
	}
	rc = in_child(drop_child, out, sizeof(out));
	tap_ok(rc == CHILD_OK, "sandbox: --user 65534 as root: uid, gid and groups 65534, CAP_NET_ADMIN "
	       "alone (effective, permitted, bounding), no way back to root (exit %d %s)", rc, out);
	u.set = false;
	TAP_EQ_U(sandbox_drop(&u, err, sizeof(err)), 0, "sandbox: no --user: nothing changes");
}

void test_sandbox(void)
{
	test_filter();
	test_user_parse();
	test_drop();
}
