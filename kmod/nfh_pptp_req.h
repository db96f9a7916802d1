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
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <linux/netlink.h>
#include <linux/types.h>
#include <stddef.h>
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

/* Where each fixed-size attribute goes, and its exact payload length. */
struct nfh_pptp_field {
	unsigned char off, len;
};

#define NFH_PPTP_FIELD(f, n) { offsetof(struct nfh_pptp_req, f), n }
static const struct nfh_pptp_field nfh_pptp_fields[NFH_PPTP_A_MAX + 1] = {
	[NFH_PPTP_A_QUEUE]		= NFH_PPTP_FIELD(queue, 2),
	[NFH_PPTP_A_MAX_EXPECTED]	= NFH_PPTP_FIELD(max_expected, 4),
	[NFH_PPTP_A_TIMEOUT]		= NFH_PPTP_FIELD(timeout, 4),
	[NFH_PPTP_A_ZONE]		= NFH_PPTP_FIELD(zone, 2),
	[NFH_PPTP_A_MASTER_ID]		= NFH_PPTP_FIELD(master_id, 4),
	[NFH_PPTP_A_MASTER_SRC]		= NFH_PPTP_FIELD(src, 4),
	[NFH_PPTP_A_MASTER_DST]		= NFH_PPTP_FIELD(dst, 4),
	[NFH_PPTP_A_MASTER_SPORT]	= NFH_PPTP_FIELD(sport, 2),
	[NFH_PPTP_A_MASTER_DPORT]	= NFH_PPTP_FIELD(dport, 2),
	[NFH_PPTP_A_ORIG_CALL_ID]	= NFH_PPTP_FIELD(orig_call_id, 2),
	[NFH_PPTP_A_ORIG_CALL_ID_NAT]	= NFH_PPTP_FIELD(orig_call_id_nat, 2),
	[NFH_PPTP_A_REPLY_CALL_ID]	= NFH_PPTP_FIELD(reply_call_id, 2),
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

/* One attribute into r: the name checked, every other one of its exact size. */
static inline int nfh_pptp_attr_put(struct nfh_pptp_req *r, unsigned int type,
				    const void *p, unsigned int len)
{
	const struct nfh_pptp_field *f = &nfh_pptp_fields[type];

	if (type == NFH_PPTP_A_HELPER_NAME) {
		if (!nfh_pptp_name_ok(p, len))
			return -EINVAL;
		memcpy(r->name, p, len);
		return 0;
	}
	if (!f->len || len != f->len)
		return -EINVAL;
	memcpy((unsigned char *)r + f->off, p, len);
	return 0;
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
	if (cmd == NFH_PPTP_CMD_HELPER_SET &&
	    (r->max_expected < 1 || r->max_expected > NFH_PPTP_EXPECTED_MAX ||
	     r->timeout < 1 || r->timeout > NFH_PPTP_TIMEOUT_MAX))
		return -EINVAL;
	return 0;
}

#endif
