// SPDX-License-Identifier: GPL-2.0-or-later
/* test_helper: the protocol contract (src/helper.h) as a protocol sees it — what reaches its
 * help function (the kernel's ctinfo and the direction), the registration backend every
 * protocol names, counts derived from the tables.  A test protocol defined here, not in src/,
 * records what it is given. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "dispatch.h"
#include "kmod.h"
#include "qmsg.h"
#include "setup.h"
#include "tap.h"

void test_helper(void);

/* What the test protocol's help function saw. */
static struct seen {
	unsigned calls;
	uint32_t ct_id;
	enum ip_conntrack_info ctinfo;
	int dir;
} seen;

static void probe_help(struct help_ctx *ctx, struct help_result *res)
{
	seen.calls++;
	seen.ct_id = ctx->ct->id;
	seen.ctinfo = ctx->ctinfo;
	seen.dir = ctx->dir;
}

static const struct cthelper_policy probe_policy[] = {
	{ .name = "probe", .max_expected = 1, .timeout = 60 },
};
static const struct helper_l4 probe_l4[] = { { IPPROTO_UDP, probe_help } };

static const struct helper_proto probe_proto = {
	.name = "probe",
	.summary = "test protocol: records what its help function gets",
	.default_queue = 5060,
	.l4 = probe_l4,
	.nl4 = ARRAY_SIZE(probe_l4),
	.policy = probe_policy,
	.npolicy = ARRAY_SIZE(probe_policy),
};

/* One UDP datagram of c in direction dir through dispatch; the verdict into v. */
static bool send_udp(struct dispatch *dp, struct qmsg_conn *c, int dir, const char *data,
		     struct qmsg_verdict *v)
{
	static uint8_t pkt[PKT_MAX], msg[PKT_MAX + 4096] __attribute__((aligned(4)));
	static uint32_t id = 1;
	struct help_result res;
	const struct nlmsghdr *out;
	uint32_t n = qmsg_udp(pkt, c, dir, data, (uint32_t)strlen(data));
	struct nlmsghdr *nlh = qmsg_packet(msg, sizeof(msg), c, dir, id++, pkt, n);

	out = nlh ? dispatch_packet(dp, nlh, 1, &res) : NULL;
	return out && qmsg_verdict_decode(out, v) == 0;
}

static void udp_conn(struct qmsg_conn *c, const char *client, uint16_t sport, const char *server,
		     uint16_t dport, uint32_t id)
{
	qmsg_conn_init(c, AF_INET, client, sport, server, dport, NULL, id);
	c->ct.tuple[CT_DIR_ORIGINAL].l4 = c->ct.tuple[CT_DIR_REPLY].l4 = IPPROTO_UDP;
	strcpy(c->ct.helper, "probe");
}

/* The kernel's ctinfo reaches the help function as it is (the stream layer reads it to parse
 * established packets only), and the direction is CTINFO2DIR of it. */
static void test_ctinfo(void)
{
	struct helper_cfg cfg;
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	helper_cfg_init(&cfg, &probe_proto);
	cfg.max_conns = 8;
	dispatch_init(&dp, &probe_proto, &cfg);
	udp_conn(&c, "10.0.1.2", 5060, "10.0.2.2", 5060, 41);
	memset(&seen, 0, sizeof(seen));
	tap_ok(send_udp(&dp, &c, CT_DIR_ORIGINAL, "x", &v) && seen.calls == 1 &&
	       seen.ctinfo == IP_CT_ESTABLISHED && seen.dir == CT_DIR_ORIGINAL,
	       "contract: ctinfo IP_CT_ESTABLISHED reaches help(), direction original");
	tap_ok(send_udp(&dp, &c, CT_DIR_REPLY, "y", &v) && seen.calls == 2 &&
	       seen.ctinfo == IP_CT_ESTABLISHED_REPLY && seen.dir == CT_DIR_REPLY,
	       "contract: ctinfo IP_CT_ESTABLISHED_REPLY reaches help(), direction reply");
	dispatch_free(&dp);
}

/* ARRAY_SIZE refuses a pointer at compile time (IS_ARRAY is what it asserts), and every
 * protocol's counts fit what helper_cfg holds, each entry counted being a real one. */
static void test_counts(void)
{
	static const uint16_t five[5];
	const uint16_t *ptr = five;
	unsigned bad = 0;

	tap_ok(IS_ARRAY(five) && !IS_ARRAY(ptr) && ARRAY_SIZE(five) == 5,
	       "contract: IS_ARRAY tells an array from a pointer; ARRAY_SIZE counts elements");
	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_proto *p = helper_protos[i];

		bad += !p->nl4 || p->nl4 > 2 || !p->npolicy || p->npolicy > HELPER_CLASSES_MAX ||
		       p->nopts > HELPER_OPTS_MAX || (p->nopts && !p->opts);
		for (unsigned j = 0; j < p->nl4; j++)
			bad += !p->l4[j].help;
		for (unsigned j = 0; j < p->npolicy; j++)
			bad += !p->policy[j].name || !p->policy[j].max_expected;
		for (unsigned j = 0; j < p->nopts; j++)
			bad += !p->opts[j].name || !p->opts[j].help;
	}
	TAP_EQ_U(bad, 0, "contract: every protocol's l4, policy and option counts fit and name real entries");
}

/* Every protocol names where it is registered; setup.c calls the backend, never asks which. */
static void test_backends(void)
{
	unsigned bad = 0;

	for (unsigned i = 0; helper_protos[i]; i++) {
		const struct helper_backend *b = helper_protos[i]->backend;

		bad += !b || !b->scope || !b->open || !b->reg || !b->unreg;
	}
	TAP_EQ_U(bad, 0, "contract: every protocol names a registration backend (open, reg, unreg)");
	tap_ok(helper_find("ftp")->backend == &cthelper_backend && helper_find("irc")->backend == &cthelper_backend &&
	       helper_find("tftp")->backend == &cthelper_backend && helper_find("pptp")->backend == &kmod_backend,
	       "contract: FTP, IRC, TFTP on nfnetlink_cthelper, PPTP on the nfh_pptp module");
	tap_ok(!strcmp(cthelper_backend.scope, "IPv4 and IPv6") &&
	       !strcmp(kmod_backend.scope, "IPv4, through the nfh_pptp module"),
	       "contract: the start-up line's scope per backend, as before");
}

void test_helper(void)
{
	test_backends();
	test_ctinfo();
	test_counts();
}
