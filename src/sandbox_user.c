// SPDX-License-Identifier: GPL-2.0-or-later
/* sandbox_user: --user — started as root, become another user once the sockets are open and
 * the helper registered, keeping CAP_NET_ADMIN alone: answering a queued packet and creating
 * an expectation are nfnetlink requests, which the kernel checks for CAP_NET_ADMIN at each
 * message, so that one capability must stay; nothing else may. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox.h"

static int id_number(const char *s, const char *end, uint32_t *out)
{
	unsigned long v;
	char *e;

	if (s == end || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || e != end || v >= 0xffffffffUL)	/* (uid_t)-1 means "unchanged" */
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int sandbox_user_parse(const char *spec, struct sandbox_user *u, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	const struct passwd *pw;
	uint32_t uid, gid;

	memset(u, 0, sizeof(*u));
	if (spec[0] >= '0' && spec[0] <= '9') {
		/* UID[:GID]; without a group the user's own number (as systemd's DynamicUser) */
		if (id_number(spec, colon ? colon : spec + strlen(spec), &uid) < 0 ||
		    (colon && id_number(colon + 1, colon + 1 + strlen(colon + 1), &gid) < 0)) {
			snprintf(err, errlen, "bad value '%s' for --user: give a user name or UID[:GID]", spec);
			return -EINVAL;
		}
		*u = (struct sandbox_user){ true, uid, colon ? gid : uid };
		return 0;
	}
	pw = getpwnam(spec);
	if (!pw) {
		snprintf(err, errlen, "unknown user '%s' for --user: give a user of /etc/passwd or UID[:GID]", spec);
		return -EINVAL;
	}
	*u = (struct sandbox_user){ true, pw->pw_uid, pw->pw_gid };
	return 0;
}

static int caps_set(uint32_t keep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = keep;
	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* What the process holds now is exactly uid/gid and CAP_NET_ADMIN. */
static bool caps_check(const struct sandbox_user *u)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (syscall(SYS_capget, &h, d) < 0 || getresuid(&r, &e, &s) < 0 || getresgid(&gr, &ge, &gs) < 0)
		return false;
	return r == u->uid && e == u->uid && s == u->uid && gr == u->gid && ge == u->gid &&
	       gs == u->gid && d[0].effective == 1U << CAP_NET_ADMIN &&
	       d[0].permitted == 1U << CAP_NET_ADMIN && !d[0].inheritable && !d[1].effective &&
	       !d[1].permitted && !d[1].inheritable &&
	       prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) == 0;
}

int sandbox_drop_allowed(char *err, size_t errlen)
{
	if (geteuid() == 0)
		return 0;
	snprintf(err, errlen, "--user needs nfhelper started as root; started as a user, give it "
		 "CAP_NET_ADMIN instead (setpriv, or the systemd unit) and leave --user out");
	return -EPERM;
}

int sandbox_drop(const struct sandbox_user *u, char *err, size_t errlen)
{
	const char *step;
	int e;

	if (!u->set)
		return 0;
	if ((e = sandbox_drop_allowed(err, errlen)) < 0)
		return e;
	/* Every capability but CAP_NET_ADMIN leaves the bounding set while CAP_SETPCAP is
	 * still held; past the last one the kernel knows, PR_CAPBSET_DROP fails with EINVAL. */
	step = "PR_CAPBSET_DROP";
	for (unsigned long cap = 0; cap < 64; cap++)
		if (cap != CAP_NET_ADMIN && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;
			goto fail;
		}
	step = "PR_SET_KEEPCAPS";
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		goto fail;
	step = "setgroups";
	if (setgroups(1, &u->gid) < 0)
		goto fail;
	step = "setresgid";
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		goto fail;
	step = "setresuid";
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		goto fail;
	step = "capset";
	if ((e = caps_set(1U << CAP_NET_ADMIN)) < 0) {
		errno = -e;
		goto fail;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (!caps_check(u)) {
		snprintf(err, errlen, "--user: after the switch the process still holds more than user "
			 "%u with CAP_NET_ADMIN; stopping", (unsigned)u->uid);
		return -EPERM;
	}
	return 0;
fail:
	e = errno;
	snprintf(err, errlen, "--user: %s failed (%s); run nfhelper as root, or as the user with "
		 "CAP_NET_ADMIN and without --user", step, strerror(e));
	return -e;
}
