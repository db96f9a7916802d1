// SPDX-License-Identifier: GPL-2.0-or-later
/* nl_sock: the netlink socket calls (open, send, receive, request/ACK) — the only syscalls of nl.
 * Mirrors libmnl's socket.c and the kernel side in net/netlink/af_netlink.c (netlink_ack,
 * netlink_dump_done). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Large enough for any dump datagram: the kernel sizes those to what recvmsg offered, at most
 * SKB_WITH_OVERHEAD(32768). */
#define NL_REQUEST_BUF 32768

int nl_sock_open(struct nl_sock *s, int protocol, uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	socklen_t salen = sizeof(sa);
	int one = 1;

	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0) {
		int err = -errno;

		nl_sock_close(s);
		return err;
	}
	if (salen != sizeof(sa) || sa.nl_family != AF_NETLINK) {
		nl_sock_close(s);
		return -EINVAL;
	}
	s->portid = sa.nl_pid;
	s->seq = (uint32_t)time(NULL);
	/* Errors then echo only the request's header: a failed verdict carrying a 64 KiB payload
	 * must not come back larger than the receive buffer. Best effort (Linux >= 4.2). */
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void nl_sock_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static int nl_sock_set_buf(struct nl_sock *s, int force_opt, int opt, int val)
{
	if (val <= 0)
		return 0;
	/* The FORCE variants ignore rmem_max/wmem_max but need CAP_NET_ADMIN. */
	if (setsockopt(s->fd, SOL_SOCKET, force_opt, &val, sizeof(val)) == 0)
		return 0;
	if (setsockopt(s->fd, SOL_SOCKET, opt, &val, sizeof(val)) == 0)
		return 0;
	return -errno;
}

int nl_sock_set_bufs(struct nl_sock *s, int rcvbuf, int sndbuf)
{
	int err = nl_sock_set_buf(s, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf);

	return err ? err : nl_sock_set_buf(s, SO_SNDBUFFORCE, SO_SNDBUF, sndbuf);
}

int nl_sock_set_no_enobufs(struct nl_sock *s)
{
	int one = 1;

	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

int nl_sock_send(struct nl_sock *s, const struct nlmsghdr *nlh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(s->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == nlh->nlmsg_len ? 0 : -EIO;
}

/* One datagram from the kernel; *trunc tells MSG_TRUNC (n is then what was kept). Datagrams from
 * other sockets (nl_pid != 0) are dropped: only the kernel may talk to us. */
static ssize_t nl_sock_recv_raw(struct nl_sock *s, void *buf, size_t cap, bool *trunc)
{
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { .iov_base = buf, .iov_len = cap };
		struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(s->fd, &msg, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (msg.msg_namelen != sizeof(sa) || sa.nl_family != AF_NETLINK || sa.nl_pid != 0)
			continue;
		*trunc = msg.msg_flags & MSG_TRUNC;
		return (size_t)n > cap ? (ssize_t)cap : n;
	}
}

ssize_t nl_sock_recv(struct nl_sock *s, void *buf, size_t cap)
{
	bool trunc;
	ssize_t n = nl_sock_recv_raw(s, buf, cap, &trunc);

	if (n >= 0 && trunc)
		return -ENOSPC;
	return n;
}

/* 0 to keep reading, 1 when the request is answered (*ret set), for one reply message. */
static int nl_sock_reply(const struct nlmsghdr *nlh, nl_msg_cb cb, void *arg, int *cb_err, int *ret)
{
	int32_t done_err;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		*ret = nl_msg_error(nlh);
		return 1;
	case NLMSG_DONE:
		/* netlink_dump_done puts the dump's errno after the header. */
		*ret = 0;
		if (nlh->nlmsg_len >= NL_MSG_HDRLEN + sizeof(done_err)) {
			memcpy(&done_err, (const uint8_t *)nlh + NL_MSG_HDRLEN, sizeof(done_err));
			if (done_err < 0 && done_err > -4096)
				*ret = done_err;
		}
		return 1;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return 0;
	}
	/* After a callback error keep draining to the end, so the next request starts clean. */
	if (cb && !*cb_err)
		*cb_err = cb(nlh, arg);
	return 0;
}

int nl_sock_request(struct nl_sock *s, struct nlmsghdr *nlh, nl_msg_cb cb, void *arg)
{
	static uint32_t buf[NL_REQUEST_BUF / 4];
	int err, cb_err = 0, ret = 0;

	/* Queue packets carry seq 0: never use it for a request. */
	if (++s->seq == 0)
		s->seq = 1;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = s->seq;
	err = nl_sock_send(s, nlh);
	if (err)
		return err;
	for (;;) {
		const struct nlmsghdr *r = (const void *)buf;
		size_t off = 0;
		bool trunc;
		ssize_t n = nl_sock_recv_raw(s, buf, sizeof(buf), &trunc);

		if (n < 0)
			return (int)n;
		/* A queue socket also receives packets meanwhile (seq 0, pid 0): a truncated
		 * datagram is skipped when its header says it is not ours. */
		if (trunc) {
			if ((size_t)n < sizeof(*r) || (r->nlmsg_seq == s->seq && r->nlmsg_pid == s->portid))
				return -ENOSPC;
			continue;
		}
		while ((r = nl_msg_next(buf, (size_t)n, &off, &err))) {
			if (r->nlmsg_seq != s->seq || r->nlmsg_pid != s->portid)
				continue;
			if (nl_sock_reply(r, cb, arg, &cb_err, &ret))
				return cb_err < 0 ? cb_err : ret;
		}
		if (err)
			return err;
	}
}

int nl_sock_batch(struct nl_sock *s, void *msgs, size_t len, unsigned n, int *errs)
{
	static uint32_t buf[NL_REQUEST_BUF / 4];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	const struct nlmsghdr *r;
	struct nlmsghdr *nlh;
	uint32_t first;
	unsigned i = 0, left = n;
	size_t off = 0;
	int err = 0;
	ssize_t sent;

	if (++s->seq == 0)
		s->seq = 1;
	first = s->seq;
	while ((nlh = (struct nlmsghdr *)nl_msg_next(msgs, len, &off, &err)) && i < n) {
		nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
		nlh->nlmsg_seq = first + i;
		errs[i++] = -ETIMEDOUT;	/* until its answer arrives */
	}
	if (err || i != n)
		return -EINVAL;
	s->seq = first + n - 1;
	do
		sent = sendto(s->fd, msgs, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return -errno;
	while (left) {
		bool trunc;
		ssize_t got = nl_sock_recv_raw(s, buf, sizeof(buf), &trunc);

		if (got < 0)
			return (int)got;
		off = 0;
		while ((r = nl_msg_next(buf, (size_t)got, &off, &err))) {
			uint32_t k = r->nlmsg_seq - first;

			if (r->nlmsg_pid != s->portid || k >= n || r->nlmsg_type != NLMSG_ERROR ||
			    errs[k] != -ETIMEDOUT)
				continue;
			errs[k] = nl_msg_error(r);
			left--;
		}
	}
	return 0;
}
