/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfh_pptp_req: the decoder of the module's requests.  It walks the raw
 * attributes itself (no kernel API), so the same code runs in the module and
 * in userspace, where tests/fuzz/fuzz_kmod_req.c fuzzes it.  The genetlink
 * policy checks types and lengths too; this is what the module relies on.
 */
#ifndef NFH_PPTP_REQ_H
#define NFH_PPTP_REQ_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/netlink.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <string.h>
#endif
#include "nfh_pptp_uapi.h"

#define NFH_PPTP_NAME_MAX	16	/* NF_CT_HELPER_NAME_LEN, NUL included */
#define NFH_PPTP_TIMEOUT_MAX	86400
#define NFH_PPTP_EXPECTED_MAX	255

struct nfh_pptp_req {
	__u32 present;			/* 1 << NFH_PPTP_A_* seen */
	char name[NFH_PPTP_NAME_MAX];
	__u16 queue;
	__u16 zone;
	__u32 max_expected;
	__u32 timeout;
	__be32 master_id;
	__be32 src, dst;
	__be16 sport, dport;
	__be16 orig_call_id, orig_call_id_nat, reply_call_id;
};

/* The exact payload length of each attribute; 0: a string, checked apart. */
static const unsigned char nfh_pptp_attr_len[NFH_PPTP_A_MAX + 1] = {
	[NFH_PPTP_A_QUEUE] = 2,
	[NFH_PPTP_A_MAX_EXPECTED] = 4,
	[NFH_PPTP_A_TIMEOUT] = 4,
	[NFH_PPTP_A_ZONE] = 2,
	[NFH_PPTP_A_MASTER_ID] = 4,
	[NFH_PPTP_A_MASTER_SRC] = 4,
	[NFH_PPTP_A_MASTER_DST] = 4,
	[NFH_PPTP_A_MASTER_SPORT] = 2,
	[NFH_PPTP_A_MASTER_DPORT] = 2,
	[NFH_PPTP_A_ORIG_CALL_ID] = 2,
	[NFH_PPTP_A_ORIG_CALL_ID_NAT] = 2,
	[NFH_PPTP_A_REPLY_CALL_ID] = 2,
};

#define NFH_PPTP_MASTER_ATTRS \
	((1U << NFH_PPTP_A_MASTER_ID) | (1U << NFH_PPTP_A_MASTER_SRC) | \
	 (1U << NFH_PPTP_A_MASTER_DST) | (1U << NFH_PPTP_A_MASTER_SPORT) | \
	 (1U << NFH_PPTP_A_MASTER_DPORT))
#define NFH_PPTP_CALL_ATTRS \
	((1U << NFH_PPTP_A_ORIG_CALL_ID) | (1U << NFH_PPTP_A_ORIG_CALL_ID_NAT) | \
	 (1U << NFH_PPTP_A_REPLY_CALL_ID))

/* A helper name: 1..15 characters, NUL-terminated, printable ASCII. */
static inline int nfh_pptp_name_ok(const char *s, unsigned int len)
{
	unsigned int i;

	if (len < 2 || len > NFH_PPTP_NAME_MAX || s[len - 1])
		return 0;
	for (i = 0; i < len - 1; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

static inline int nfh_pptp_attr_put(struct nfh_pptp_req *r, unsigned int type,
				    const void *p, unsigned int len)
{
	switch (type) {
	case NFH_PPTP_A_HELPER_NAME:
		if (!nfh_pptp_name_ok(p, len))
			return -EINVAL;
		memcpy(r->name, p, len);
		return 0;
	case NFH_PPTP_A_QUEUE:
		memcpy(&r->queue, p, 2);
		return 0;
	case NFH_PPTP_A_ZONE:
		memcpy(&r->zone, p, 2);
		return 0;
	case NFH_PPTP_A_MAX_EXPECTED:
		memcpy(&r->max_expected, p, 4);
		return r->max_expected >= 1 &&
		       r->max_expected <= NFH_PPTP_EXPECTED_MAX ? 0 : -EINVAL;
	case NFH_PPTP_A_TIMEOUT:
		memcpy(&r->timeout, p, 4);
		return r->timeout >= 1 &&
		       r->timeout <= NFH_PPTP_TIMEOUT_MAX ? 0 : -EINVAL;
	case NFH_PPTP_A_MASTER_ID:
		memcpy(&r->master_id, p, 4);
		return 0;
	case NFH_PPTP_A_MASTER_SRC:
		memcpy(&r->src, p, 4);
		return 0;
	case NFH_PPTP_A_MASTER_DST:
		memcpy(&r->dst, p, 4);
		return 0;
	case NFH_PPTP_A_MASTER_SPORT:
		memcpy(&r->sport, p, 2);
		return 0;
	case NFH_PPTP_A_MASTER_DPORT:
		memcpy(&r->dport, p, 2);
		return 0;
	case NFH_PPTP_A_ORIG_CALL_ID:
		memcpy(&r->orig_call_id, p, 2);
		return 0;
	case NFH_PPTP_A_ORIG_CALL_ID_NAT:
		memcpy(&r->orig_call_id_nat, p, 2);
		return 0;
	case NFH_PPTP_A_REPLY_CALL_ID:
		memcpy(&r->reply_call_id, p, 2);
		return 0;
	}
	return -EINVAL;
}

/*
 * Decode the attributes of a request for cmd (buf: the bytes after the
 * genetlink header).  Every attribute once at most, each of its exact size,
 * none unknown, and the ones the command needs present: 0 or -EINVAL.
 */
static inline int nfh_pptp_req_decode(unsigned int cmd, const void *buf,
				      unsigned int len, struct nfh_pptp_req *r)
{
	const unsigned char *p = buf;
	__u32 need, allow, calls;

	memset(r, 0, sizeof(*r));
	while (len >= NLA_HDRLEN) {
		struct nlattr a;
		unsigned int type, plen, step;

		memcpy(&a, p, sizeof(a));
		type = a.nla_type & NLA_TYPE_MASK;
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			return -EINVAL;
		plen = a.nla_len - NLA_HDRLEN;
		if (type == NFH_PPTP_A_UNSPEC || type > NFH_PPTP_A_MAX ||
		    (r->present & (1U << type)))
			return -EINVAL;
		if (nfh_pptp_attr_len[type] && plen != nfh_pptp_attr_len[type])
			return -EINVAL;
		if (nfh_pptp_attr_put(r, type, p + NLA_HDRLEN, plen))
			return -EINVAL;
		r->present |= 1U << type;
		step = NLA_ALIGN(a.nla_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	switch (cmd) {
	case NFH_PPTP_CMD_HELPER_SET:
		need = (1U << NFH_PPTP_A_HELPER_NAME) | (1U << NFH_PPTP_A_QUEUE) |
		       (1U << NFH_PPTP_A_MAX_EXPECTED) | (1U << NFH_PPTP_A_TIMEOUT);
		allow = need;
		break;
	case NFH_PPTP_CMD_HELPER_DEL:
		need = 1U << NFH_PPTP_A_HELPER_NAME;
		allow = need;
		break;
	case NFH_PPTP_CMD_CALL_ADD:
		need = NFH_PPTP_MASTER_ATTRS | NFH_PPTP_CALL_ATTRS;
		allow = need | (1U << NFH_PPTP_A_ZONE);
		break;
	case NFH_PPTP_CMD_CALL_DEL:
		need = NFH_PPTP_MASTER_ATTRS;
		allow = need | NFH_PPTP_CALL_ATTRS | (1U << NFH_PPTP_A_ZONE);
		break;
	default:
		return -EINVAL;
	}
	/* CALL_DEL names one call (all three IDs) or none (every call). */
	calls = r->present & NFH_PPTP_CALL_ATTRS;
	if ((r->present & need) != need || (r->present & ~allow) ||
	    (calls && calls != NFH_PPTP_CALL_ATTRS))
		return -EINVAL;
	return 0;
}

#endif
