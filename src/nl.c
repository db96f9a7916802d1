// SPDX-License-Identifier: GPL-2.0-or-later
/* nl: netlink message and attribute codec, no syscalls.
 * Mirrors lib/nlattr.c and include/net/netlink.h (nla_ok, nla_parse, nla_nest_*). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/genetlink.h>
#include "nl.h"

/* Room for len more bytes (aligned) at the tail, zeroed; NULL and full once it does not fit. */
static void *nl_msg_reserve(struct nl_msg *m, size_t len)
{
	size_t used, alen = NL_ALIGN(len);
	void *p;

	if (m->full || !m->nlh)
		return NULL;
	used = m->nlh->nlmsg_len;
	if (len > UINT32_MAX - 3 || alen > m->cap - used) {
		m->full = true;
		return NULL;
	}
	p = (uint8_t *)m->nlh + used;
	memset(p, 0, alen);
	m->nlh->nlmsg_len = used + alen;
	return p;
}

struct nlmsghdr *nl_msg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t type, uint16_t flags, uint32_t seq)
{
	m->nlh = NULL;
	m->cap = cap > UINT32_MAX ? UINT32_MAX : cap;
	m->full = true;
	/* Attributes are read and written in place: the buffer must be 4-byte aligned. */
	if (!buf || cap < NL_MSG_HDRLEN || ((uintptr_t)buf & 3))
		return NULL;
	m->nlh = buf;
	m->full = false;
	memset(m->nlh, 0, NL_MSG_HDRLEN);
	m->nlh->nlmsg_len = NL_MSG_HDRLEN;
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = flags;
	m->nlh->nlmsg_seq = seq;
	return m->nlh;
}

struct nlmsghdr *nl_nfmsg_init(struct nl_msg *m, void *buf, size_t cap, uint8_t subsys, uint8_t msg,
			       uint16_t flags, uint32_t seq, uint8_t family, uint16_t res_id)
{
	struct nfgenmsg *nfg;

	if (!nl_msg_init(m, buf, cap, (uint16_t)(subsys << 8 | msg), flags, seq))
		return NULL;
	nfg = nl_msg_reserve(m, sizeof(*nfg));
	if (!nfg)
		return NULL;
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = htons(res_id);
	return m->nlh;
}

struct nlmsghdr *nl_genlmsg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t family, uint8_t cmd,
				 uint8_t version, uint16_t flags, uint32_t seq)
{
	struct genlmsghdr *g;

	if (!nl_msg_init(m, buf, cap, family, flags, seq))
		return NULL;
	g = nl_msg_reserve(m, sizeof(*g));
	if (!g)
		return NULL;
	g->cmd = cmd;
	g->version = version;
	g->reserved = 0;
	return m->nlh;
}

bool nl_msg_ok(const struct nl_msg *m)
{
	return m->nlh && !m->full;
}

void nl_attr_put(struct nl_msg *m, uint16_t type, size_t len, const void *data)
{
	struct nlattr *a;

	/* nla_len is 16 bits: a longer payload cannot be expressed at all. */
	if (len > UINT16_MAX - NL_ATTR_HDRLEN) {
		m->full = true;
		return;
	}
	a = nl_msg_reserve(m, NL_ATTR_HDRLEN + len);
	if (!a)
		return;
	a->nla_len = (uint16_t)(NL_ATTR_HDRLEN + len);
	a->nla_type = type;
	if (len && data)
		memcpy((uint8_t *)a + NL_ATTR_HDRLEN, data, len);
}

void nl_attr_put_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	nl_attr_put(m, type, sizeof(v), &v);
}

void nl_attr_put_be16(struct nl_msg *m, uint16_t type, uint16_t host_v)
{
	uint16_t v = htons(host_v);

	nl_attr_put(m, type, sizeof(v), &v);
}

void nl_attr_put_be32(struct nl_msg *m, uint16_t type, uint32_t host_v)
{
	uint32_t v = htonl(host_v);

	nl_attr_put(m, type, sizeof(v), &v);
}

void nl_attr_put_strz(struct nl_msg *m, uint16_t type, const char *s)
{
	if (!s) {
		m->full = true;
		return;
	}
	nl_attr_put(m, type, strlen(s) + 1, s);
}

struct nlattr *nl_attr_nest_start(struct nl_msg *m, uint16_t type)
{
	struct nlattr *a = nl_msg_reserve(m, NL_ATTR_HDRLEN);

	if (!a)
		return NULL;
	a->nla_len = NL_ATTR_HDRLEN;
	a->nla_type = type | NLA_F_NESTED;
	return a;
}

void nl_attr_nest_end(struct nl_msg *m, struct nlattr *nest)
{
	size_t len;

	if (!nest || !nl_msg_ok(m))
		return;
	len = (size_t)((uint8_t *)m->nlh + m->nlh->nlmsg_len - (uint8_t *)nest);
	if (len > UINT16_MAX) {
		m->full = true;
		return;
	}
	nest->nla_len = (uint16_t)len;
}

/* Walk a stream of attributes like the kernel's nla_for_each_attr + nla_ok: each header and
 * each length must lie inside the stream; the last attribute may omit its padding. */
static int nl_attr_parse_stream(const void *buf, size_t len, const struct nlattr **tb, uint16_t max)
{
	const uint8_t *p = buf;

	memset(tb, 0, (max + 1U) * sizeof(*tb));
	if ((uintptr_t)p & 3)
		return -EINVAL;
	while (len > 0) {
		const struct nlattr *a = (const void *)p;
		size_t step;

		if (len < NL_ATTR_HDRLEN || a->nla_len < NL_ATTR_HDRLEN || a->nla_len > len)
			return -EINVAL;
		if ((a->nla_type & NLA_TYPE_MASK) <= max)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
		step = NL_ALIGN(a->nla_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}

int nl_attr_parse(const struct nlmsghdr *nlh, size_t extra_hdr, const struct nlattr **tb, uint16_t max)
{
	size_t off = NL_MSG_HDRLEN + NL_ALIGN(extra_hdr);

	if (extra_hdr > UINT32_MAX || nlh->nlmsg_len < off) {
		memset(tb, 0, (max + 1U) * sizeof(*tb));
		return -EINVAL;
	}
	return nl_attr_parse_stream((const uint8_t *)nlh + off, nlh->nlmsg_len - off, tb, max);
}

int nl_attr_parse_nested(const struct nlattr *nest, const struct nlattr **tb, uint16_t max)
{
	if (!nest) {
		memset(tb, 0, (max + 1U) * sizeof(*tb));
		return -EINVAL;
	}
	return nl_attr_parse_stream(nl_attr_data(nest), nl_attr_len(nest), tb, max);
}

uint16_t nl_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

uint16_t nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NL_ATTR_HDRLEN;
}

const void *nl_attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NL_ATTR_HDRLEN;
}

/* memcpy, not a cast: payloads are only 4-byte aligned (a be64 may not be 8-aligned). */
static bool nl_attr_get(const struct nlattr *a, void *v, size_t len)
{
	if (!a || nl_attr_len(a) != len)
		return false;
	memcpy(v, nl_attr_data(a), len);
	return true;
}

bool nl_attr_get_u8(const struct nlattr *a, uint8_t *v)
{
	return nl_attr_get(a, v, sizeof(*v));
}

bool nl_attr_get_be16(const struct nlattr *a, uint16_t *host_v)
{
	uint16_t v;

	if (!nl_attr_get(a, &v, sizeof(v)))
		return false;
	*host_v = ntohs(v);
	return true;
}

bool nl_attr_get_be32(const struct nlattr *a, uint32_t *host_v)
{
	uint32_t v;

	if (!nl_attr_get(a, &v, sizeof(v)))
		return false;
	*host_v = ntohl(v);
	return true;
}

bool nl_attr_get_be64(const struct nlattr *a, uint64_t *host_v)
{
	uint32_t v[2];

	if (!nl_attr_get(a, v, sizeof(v)))
		return false;
	*host_v = (uint64_t)ntohl(v[0]) << 32 | ntohl(v[1]);
	return true;
}

const char *nl_attr_get_str(const struct nlattr *a)
{
	if (!a || !nl_attr_len(a) || !memchr(nl_attr_data(a), 0, nl_attr_len(a)))
		return NULL;
	return nl_attr_data(a);
}

const struct nlmsghdr *nl_msg_next(const void *buf, size_t len, size_t *off, int *err)
{
	const struct nlmsghdr *nlh;
	size_t rem, step;

	*err = 0;
	if (*off >= len)
		return NULL;
	rem = len - *off;
	nlh = (const void *)((const uint8_t *)buf + *off);
	if ((((uintptr_t)nlh) & 3) || rem < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) ||
	    nlh->nlmsg_len > rem) {
		*err = -EINVAL;
		*off = len;
		return NULL;
	}
	step = NL_ALIGN(nlh->nlmsg_len);
	*off += step > rem ? rem : step;
	return nlh;
}

int nl_msg_error(const struct nlmsghdr *nlh)
{
	struct nlmsgerr e;

	/* The kernel always sends the whole nlmsgerr (errno + the request's header, more unless
	 * NETLINK_CAP_ACK); anything shorter did not come from it. */
	if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_len < NL_MSG_HDRLEN + sizeof(e))
		return -EINVAL;
	memcpy(&e, (const uint8_t *)nlh + NL_MSG_HDRLEN, sizeof(e));
	if (e.error > 0 || e.error < -4095)
		return -EINVAL;
	return e.error;
}
