/* SPDX-License-Identifier: GPL-2.0-or-later */
/* notify: the service manager's readiness protocol (sd_notify(3)) without libsystemd. */
#ifndef NFHELPER_NOTIFY_H
#define NFHELPER_NOTIFY_H

#include <stdint.h>

/* Send state ("READY=1\n...") as one datagram to $NOTIFY_SOCKET: an absolute path, or an
 * abstract name written "@name".  The socket is opened and closed within the call.
 * 0 when sent or when the variable is unset or empty; -EAFNOSUPPORT for another form,
 * -ENAMETOOLONG when the name does not fit sockaddr_un, else the failing call's -errno. */
int notify_send(const char *state);

/* What the daemon says, each failure logged as one warning and never fatal:
 * READY=1 with its status line and MAINPID once the helper is registered and its queue
 * bound, STOPPING=1 when it stops in order.  notify_ready opens the socket (before the seccomp
 * filter, which allows no new one) and notify_stopping sends on it and closes it. */
void notify_ready(const char *proto, const char *name, uint16_t queue);
void notify_stopping(void);

#endif
