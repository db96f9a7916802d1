// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the kernel model the protocol tests and fuzzers run against (kstore.c): what a
 * verdict's NFQA_CT does to the conntrack's helper data, and which verdicts it flags. */
#include <linux/netfilter.h>
#include <string.h>
#include <sys/socket.h>
#include "ftp.h"
#include "pptp.h"
#include "qmsg.h"
#include "queue.h"
#include "tap.h"

extern const struct helper_proto tftp_proto;

static uint8_t buf[1024] __attribute__((aligned(4)));

/* A verdict with NFQA_CT naming helper (NULL: no NFQA_CT) and info of len bytes (NULL: none),
 * applied to ks. */
static const char *apply(struct kstore *ks, const char *helper, const uint8_t *info, uint16_t len,
			 bool exp)
{
	static const struct ct_expect e = { .tuple = { .l3 = AF_INET, .l4 = 6 }, .mask = { .l3 = AF_INET, .l4 = 6 } };
	struct queue_verdict v = { .queue = 21, .id = 1, .verdict = NF_ACCEPT, .ct_helper = helper,
				   .ct_help_info = info, .ct_help_info_len = len, .exp = exp ? &e : NULL };
	struct nl_msg m;
	struct nlmsghdr *nlh = queue_verdict_build(&m, buf, sizeof(buf), 1, &v);

	return nlh ? kstore_apply(ks, "ftp", nlh) : "verdict not built";
}

static void test_rules(void)
{
	static const uint8_t info[40] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
	struct kstore ks;

	kstore_bind(&ks, &ftp_proto);
	tap_ok(ks.data_len == 16 && !ks.module, "kstore: ftp keeps its priv_data_len, 16 bytes");
	tap_ok(!apply(&ks, NULL, NULL, 0, false), "kstore: no NFQA_CT changes nothing");
	tap_ok(apply(&ks, NULL, NULL, 0, true) != NULL, "kstore: NFQA_EXP without NFQA_CT is flagged (ignored)");
	tap_ok(apply(&ks, "ftp", NULL, 0, true) != NULL,
	       "kstore: CTA_HELP_NAME without CTA_HELP_INFO is flagged (from_nlattr(NULL))");
	tap_ok(apply(&ks, "irc", info, 16, true) != NULL, "kstore: another helper's name is flagged (EBUSY)");
	tap_ok(!apply(&ks, "ftp", info, 16, true) && !memcmp(ks.data, info, 16),
	       "kstore: CTA_HELP_INFO replaces the stored bytes");
	tap_ok(!apply(&ks, "ftp", info + 8, 4, false) && !memcmp(ks.data, info + 8, 4) && !ks.data[4],
	       "kstore: a shorter one is zero-filled (nla_memcpy)");
	tap_ok(apply(&ks, "ftp", info, 17, false) != NULL && ks.data[16] == 17,
	       "kstore: one longer than data_len is flagged (nfnetlink_cthelper writes past it)");
	kstore_bind(&ks, &pptp_proto);
	tap_ok(ks.module && apply(&ks, "ftp", info, 17, false) != NULL && !ks.data[0],
	       "kstore: the nfh_pptp module refuses more than 16 bytes, the store unchanged");
	kstore_bind(&ks, &tftp_proto);
	tap_ok(!apply(&ks, "ftp", NULL, 0, true), "kstore: a helper without private data takes the bare name");
	tap_ok(apply(&ks, "ftp", info, 1, false) != NULL, "kstore: ... and flags any CTA_HELP_INFO");
}

/* The queued packet carries what the store holds, as the helper's to_nlattr dumps it. */
static void test_dump(void)
{
	static uint8_t pkt[128], msg[1024] __attribute__((aligned(4)));
	struct qmsg_conn c;
	struct queue_pkt qp;
	uint32_t n;

	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, NULL, 1);
	kstore_bind(&c.kernel, &ftp_proto);
	c.kernel.data[3] = 9;
	n = qmsg_tcp(pkt, &c, 0, 1, 0, NULL, 0);
	tap_ok(queue_pkt_decode(qmsg_packet(msg, sizeof(msg), &c, 0, 1, pkt, n), &qp) == 0 &&
	       qp.ct.help_info_len == 16 && qp.ct.help_info[3] == 9,
	       "kstore: NFQA_CT carries the stored data_len bytes");
	kstore_bind(&c.kernel, &tftp_proto);
	tap_ok(queue_pkt_decode(qmsg_packet(msg, sizeof(msg), &c, 0, 1, pkt, n), &qp) == 0 && !qp.ct.help_info,
	       "kstore: and nothing for a helper without private data");
}

void test_kstore(void)
{
	test_rules();
	test_dump();
}
