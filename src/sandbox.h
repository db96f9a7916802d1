/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sandbox: what nfhelper gives up once it is registered and its sockets are open — root (to
 * a configured user, keeping CAP_NET_ADMIN alone) and every system call its packet loop does
 * not make (a seccomp filter).  A process parsing hostile bytes on a router then holds only
 * what answering packets needs. */
#ifndef NFHELPER_SANDBOX_H
#define NFHELPER_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The exit status after the filter refused a system call (EX_SOFTWARE: a bug of ours). */
#define SANDBOX_EXIT_SYSCALL 70

struct sandbox_user {
	bool set;
	uid_t uid;
	gid_t gid;
};

/* What daemon_run gives up after set-up. */
struct sandbox_cfg {
	struct sandbox_user user;
	bool seccomp;		/* install the filter (--no-seccomp: false) */
};

/* --user SPEC: a user name (its primary group from the passwd file) or UID[:GID] in digits.
 * Read before set-up, while files may still be opened.  0, or -EINVAL with one line in err. */
int sandbox_user_parse(const char *spec, struct sandbox_user *u, char *err, size_t errlen);

/* Whether sandbox_drop can work (started as root), told before set-up: 0, or -EPERM with
 * the line that says what to do instead. */
int sandbox_drop_allowed(char *err, size_t errlen);

/* Become u (when set), keeping CAP_NET_ADMIN alone — effective and permitted, bounding set
 * emptied of every other capability — and check that it happened.  Needs root (uid 0 with
 * CAP_SETUID, CAP_SETGID and CAP_SETPCAP).  0, or -errno with one line in err. */
int sandbox_drop(const struct sandbox_user *u, char *err, size_t errlen);

/* Allow from now on only the system calls of the packet loop and of a clean stop; any other
 * ends the process with one line on stderr and SANDBOX_EXIT_SYSCALL.  Sets no_new_privs.
 * 0, -ENOSYS on an architecture the filter does not know, or the failing call's -errno (a
 * kernel without CONFIG_SECCOMP_FILTER, or qemu-user, which refuses filters). */
int sandbox_seccomp(void);

#endif
