/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nl: a small libmnl-shaped netlink codec (messages, attributes) plus the socket calls.
 * Mirrors the shape of libmnl's API; every put is bounds-checked against the buffer. */
#ifndef NFHELPER_NL_H
#define NFHELPER_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/netlink.h>

#define NL_ALIGN(len) (((len) + 3U) & ~3U)
#define NL_MSG_HDRLEN NL_ALIGN(sizeof(struct nlmsghdr))
#define NL_ATTR_HDRLEN NL_ALIGN(sizeof(struct nlattr))

/* A message being built in a caller-owned buffer.  Once a put does not fit, `full` is set,
 * nothing more is written, and nl_msg_ok() reports false: callers check once at the end. */
struct nl_msg {
	struct nlmsghdr *nlh;
	size_t cap;
	bool full;
};

/* Building.  buf must be 4-byte aligned (NULL otherwise); flags are used as given, so requests
 * pass NLM_F_REQUEST.  nl_msg_init/nl_nfmsg_init return NULL once the header does not fit. */
struct nlmsghdr *nl_msg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t type, uint16_t flags, uint32_t seq);
/* nfnetlink: type is (subsys << 8 | msg); adds the struct nfgenmsg header. */
struct nlmsghdr *nl_nfmsg_init(struct nl_msg *m, void *buf, size_t cap, uint8_t subsys, uint8_t msg,
			       uint16_t flags, uint32_t seq, uint8_t family, uint16_t res_id);
/* Generic netlink: type is the family id; adds the struct genlmsghdr header. */
struct nlmsghdr *nl_genlmsg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t family, uint8_t cmd,
				 uint8_t version, uint16_t flags, uint32_t seq);
bool nl_msg_ok(const struct nl_msg *m);
void nl_attr_put(struct nl_msg *m, uint16_t type, size_t len, const void *data);
void nl_attr_put_u8(struct nl_msg *m, uint16_t type, uint8_t v);
void nl_attr_put_be16(struct nl_msg *m, uint16_t type, uint16_t host_v);
void nl_attr_put_be32(struct nl_msg *m, uint16_t type, uint32_t host_v);
void nl_attr_put_strz(struct nl_msg *m, uint16_t type, const char *s); /* NULL s: message fails */
/* Nests: start returns NULL once the message is full; end accepts NULL. NLA_F_NESTED is set. */
struct nlattr *nl_attr_nest_start(struct nl_msg *m, uint16_t type);
void nl_attr_nest_end(struct nl_msg *m, struct nlattr *nest);

/* Parsing.  tb[] (max + 1 entries) is indexed by type (NLA_TYPE_MASK applied) and zeroed first;
 * attributes with a type above max are skipped, a repeated type keeps the last (as the kernel);
 * a truncated or misaligned attribute makes the parse fail (-EINVAL).  nlh must come from
 * nl_msg_next (its nlmsg_len checked against the buffer). */
int nl_attr_parse(const struct nlmsghdr *nlh, size_t extra_hdr, const struct nlattr **tb, uint16_t max);
int nl_attr_parse_nested(const struct nlattr *nest, const struct nlattr **tb, uint16_t max);
uint16_t nl_attr_type(const struct nlattr *a);
uint16_t nl_attr_len(const struct nlattr *a); /* payload length */
const void *nl_attr_data(const struct nlattr *a);
/* Typed getters validate the payload length; false when missing or of the wrong size. */
bool nl_attr_get_u8(const struct nlattr *a, uint8_t *v);
bool nl_attr_get_be16(const struct nlattr *a, uint16_t *host_v);
bool nl_attr_get_be32(const struct nlattr *a, uint32_t *host_v);
bool nl_attr_get_be64(const struct nlattr *a, uint64_t *host_v);
/* A NUL-terminated string within the payload; NULL otherwise. */
const char *nl_attr_get_str(const struct nlattr *a);

/* Walking a receive buffer (4-byte aligned) from *off = 0: next message or NULL at the end;
 * sets *err (-EINVAL) on a malformed or misaligned buffer, else 0. */
const struct nlmsghdr *nl_msg_next(const void *buf, size_t len, size_t *off, int *err);
/* NLMSG_ERROR payload: 0 for an ACK, else the negative errno; -EINVAL when malformed. */
int nl_msg_error(const struct nlmsghdr *nlh);

/* Sockets (the only part of nl that makes syscalls). */
struct nl_sock {
	int fd;
	uint32_t portid;
	uint32_t seq;
};
/* groups: bind-time multicast bitmask, bit (group - 1), e.g. 1 << (NFNLGRP_CONNTRACK_DESTROY - 1).
 * Also sets NETLINK_CAP_ACK: error replies echo only the request's header. */
int nl_sock_open(struct nl_sock *s, int protocol, uint32_t groups);
void nl_sock_close(struct nl_sock *s);
int nl_sock_set_bufs(struct nl_sock *s, int rcvbuf, int sndbuf); /* tries SO_*BUFFORCE first */
int nl_sock_set_no_enobufs(struct nl_sock *s);
int nl_sock_send(struct nl_sock *s, const struct nlmsghdr *nlh);
/* Receive one datagram from the kernel (others are dropped); -ENOBUFS / -ENOSPC (MSG_TRUNC) /
 * -errno on error, else bytes.  buf must be 4-byte aligned for nl_msg_next. */
ssize_t nl_sock_recv(struct nl_sock *s, void *buf, size_t cap);
/* Send a request with NLM_F_REQUEST|NLM_F_ACK and a fresh seq (overwriting nlmsg_seq) and wait
 * for its NLMSG_ERROR (ACK) or, for a dump, NLMSG_DONE; replies with our seq and portid in
 * between go to cb (may be NULL).  Messages not ours (queued packets, events) are skipped and
 * lost: bind a queue with queue_cfg_bind_build in one request.  Returns 0, the kernel's -errno,
 * the first negative cb return, or a socket error.  Not reentrant (one static buffer). */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *arg); /* 0 or -errno */
int nl_sock_request(struct nl_sock *s, struct nlmsghdr *nlh, nl_msg_cb cb, void *arg);
/* n requests laid one after another in msgs (len bytes), sent in one datagram (one round
 * trip); each gets a fresh seq and NLM_F_REQUEST|NLM_F_ACK, and errs[i] its ACK's result.
 * Returns 0, or a socket error (errs then may hold -ETIMEDOUT for unanswered ones). */
int nl_sock_batch(struct nl_sock *s, void *msgs, size_t len, unsigned n, int *errs);

#endif
