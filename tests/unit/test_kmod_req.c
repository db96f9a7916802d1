// SPDX-License-Identifier: GPL-2.0-or-later
/* test_kmod_req: the nfh_pptp module's request decoder (kmod/nfh_pptp_req.h), run here in
 * userspace: what it accepts it fills in exactly; anything malformed, missing, repeated,
 * unknown or out of range is refused whole. */
#include <arpa/inet.h>
#include <string.h>
#include "../../kmod/nfh_pptp_req.h"
#include "tap.h"

void test_kmod_req(void);

struct msg {
	uint8_t b[512];
	unsigned len;
};

static void put(struct msg *m, uint16_t type, const void *p, uint16_t plen)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + plen), .nla_type = type };

	memcpy(m->b + m->len, &a, sizeof(a));
	memcpy(m->b + m->len + NLA_HDRLEN, p, plen);
	m->len += NLA_ALIGN(a.nla_len);
}

static void put16(struct msg *m, uint16_t type, uint16_t v) { put(m, type, &v, 2); }
static void put32(struct msg *m, uint16_t type, uint32_t v) { put(m, type, &v, 4); }

static void master(struct msg *m)
{
	put32(m, NFH_PPTP_A_MASTER_ID, htonl(77));
	put32(m, NFH_PPTP_A_MASTER_SRC, htonl(0x0a000102));
	put32(m, NFH_PPTP_A_MASTER_DST, htonl(0x0a000202));
	put16(m, NFH_PPTP_A_MASTER_SPORT, htons(40000));
	put16(m, NFH_PPTP_A_MASTER_DPORT, htons(1723));
}

static void call(struct msg *m)
{
	put16(m, NFH_PPTP_A_ORIG_CALL_ID, htons(1));
	put16(m, NFH_PPTP_A_ORIG_CALL_ID_NAT, htons(2));
	put16(m, NFH_PPTP_A_REPLY_CALL_ID, htons(3));
}

static void helper_set(struct msg *m, const char *name)
{
	put(m, NFH_PPTP_A_HELPER_NAME, name, (uint16_t)(strlen(name) + 1));
	put16(m, NFH_PPTP_A_QUEUE, 5);
	put32(m, NFH_PPTP_A_MAX_EXPECTED, 32);
	put32(m, NFH_PPTP_A_TIMEOUT, 300);
}

static int decode(unsigned cmd, const struct msg *m, struct nfh_pptp_req *r)
{
	return nfh_pptp_req_decode(cmd, m->b, m->len, r);
}

static void test_valid(void)
{
	struct nfh_pptp_req r;
	struct msg m = { .len = 0 };

	master(&m);
	call(&m);
	put16(&m, NFH_PPTP_A_ZONE, 9);
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == 0, "CALL_ADD with zone accepted");
	TAP_EQ_U(ntohl(r.master_id), 77, "master id");
	TAP_EQ_U(ntohl(r.src), 0x0a000102, "master src");
	TAP_EQ_U(ntohs(r.dport), 1723, "master dport");
	TAP_EQ_U(ntohs(r.orig_call_id), 1, "orig call id");
	TAP_EQ_U(ntohs(r.orig_call_id_nat), 2, "orig call id after NAT");
	TAP_EQ_U(ntohs(r.reply_call_id), 3, "reply call id");
	TAP_EQ_U(r.zone, 9, "zone");

	m.len = 0;
	master(&m);
	tap_ok(decode(NFH_PPTP_CMD_CALL_DEL, &m, &r) == 0 && !(r.present & NFH_PPTP_CALL_ATTRS),
	       "CALL_DEL without call IDs: every call");
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == -EINVAL, "CALL_ADD without call IDs refused");

	m.len = 0;
	helper_set(&m, "pptp");
	tap_ok(decode(NFH_PPTP_CMD_HELPER_SET, &m, &r) == 0 && !strcmp(r.name, "pptp") && r.queue == 5 &&
	       r.max_expected == 32 && r.timeout == 300, "HELPER_SET decoded");
	tap_ok(decode(NFH_PPTP_CMD_HELPER_DEL, &m, &r) == -EINVAL, "HELPER_DEL refuses HELPER_SET's extras");
	tap_ok(decode(NFH_PPTP_CMD_UNSPEC, &m, &r) == -EINVAL && decode(99, &m, &r) == -EINVAL,
	       "unknown commands refused");
}

static void test_names(void)
{
	static const char *bad[] = { "", "a-name-of-16-chr", "sp ace", "tab\t", "\x7f" };
	struct nfh_pptp_req r;
	struct msg m;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.len = 0;
		helper_set(&m, bad[i]);
		tap_ok(decode(NFH_PPTP_CMD_HELPER_SET, &m, &r) == -EINVAL, "name '%s' refused", bad[i]);
	}
	m.len = 0;
	put(&m, NFH_PPTP_A_HELPER_NAME, "pptp", 4);	/* no NUL */
	tap_ok(decode(NFH_PPTP_CMD_HELPER_DEL, &m, &r) == -EINVAL, "name without NUL refused");
	m.len = 0;
	put(&m, NFH_PPTP_A_HELPER_NAME, "exactly-15-chrs", 16);
	tap_ok(decode(NFH_PPTP_CMD_HELPER_DEL, &m, &r) == 0, "15 characters accepted");
}

static void test_hostile(void)
{
	struct nfh_pptp_req r;
	struct msg m;

	m.len = 0;
	master(&m);
	call(&m);
	put16(&m, NFH_PPTP_A_ORIG_CALL_ID, 1);
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == -EINVAL, "repeated attribute refused");

	m.len = 0;
	master(&m);
	put16(&m, NFH_PPTP_A_ORIG_CALL_ID, 1);
	tap_ok(decode(NFH_PPTP_CMD_CALL_DEL, &m, &r) == -EINVAL, "CALL_DEL with part of a call refused");

	m.len = 0;
	master(&m);
	call(&m);
	put32(&m, NFH_PPTP_A_MAX_EXPECTED + 100, 1);
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == -EINVAL, "unknown attribute refused");

	m.len = 0;
	master(&m);
	call(&m);
	put32(&m, NFH_PPTP_A_ZONE, 1);
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == -EINVAL, "wrong size refused");

	m.len = 0;
	master(&m);
	call(&m);
	put32(&m, NFH_PPTP_A_TIMEOUT, 300);
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == -EINVAL, "another command's attribute refused");

	for (uint32_t v = 0; v < 2; v++) {
		m.len = 0;
		put(&m, NFH_PPTP_A_HELPER_NAME, "pptp", 5);
		put16(&m, NFH_PPTP_A_QUEUE, 5);
		put32(&m, NFH_PPTP_A_MAX_EXPECTED, v ? 256 : 0);
		put32(&m, NFH_PPTP_A_TIMEOUT, v ? 86401 : 0);
		tap_ok(decode(NFH_PPTP_CMD_HELPER_SET, &m, &r) == -EINVAL, "out-of-range policy %u refused", v);
	}

	/* An attribute claiming more than is there, and one shorter than its header. */
	m.len = 0;
	master(&m);
	call(&m);
	tap_ok(nfh_pptp_req_decode(NFH_PPTP_CMD_CALL_ADD, m.b, m.len - 2, &r) == 0,
	       "the last attribute's padding may be left out");
	for (unsigned cut = 3; cut < 8; cut++)
		tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &(struct msg){ .len = 0 }, &r) == -EINVAL &&
		       nfh_pptp_req_decode(NFH_PPTP_CMD_CALL_ADD, m.b, m.len - cut, &r) == -EINVAL,
		       "message cut by %u bytes refused", cut);
	m.b[0] = 2;	/* nla_len 2 < NLA_HDRLEN */
	m.b[1] = 0;
	tap_ok(decode(NFH_PPTP_CMD_CALL_ADD, &m, &r) == -EINVAL, "attribute shorter than its header refused");
}

void test_kmod_req(void)
{
	test_valid();
	test_names();
	test_hostile();
}
