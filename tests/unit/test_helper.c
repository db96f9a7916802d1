// SPDX-License-Identifier: GPL-2.0-or-later
/* test_helper: the protocol contract (src/helper.h) as a protocol sees it — what reaches its
 * help function (the kernel's ctinfo and the direction), which expected connections it is
 * given (its decision, from the master's tuple), the registration backend every protocol
 * names, counts derived from the tables.  A test protocol defined here, not in src/, records
 * what it is given and, as SIP will, asks for the signalling connection its expectation lets
 * in but not for media. */
#include <netinet/in.h>
#include <stdio.h>
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

/* As SIP's REGISTER expectation: the registrar calls back the client's signalling port (the
 * master's source port, same transport).  A connection to any other port is media. */
static bool probe_expected(const struct helper_cfg *cfg, const struct ct_info *ct)
{
	const struct ct_tuple *own = &ct->tuple[CT_DIR_ORIGINAL];

	return own->l4 == ct->master.l4 && own->dport == ct->master.sport;
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
	.help_expected = probe_expected,
};

static bool last_unconfirmed;	/* the last result's help_result.unconfirmed */

/* One packet of c in direction dir through dispatch, a TCP segment or a UDP datagram by c's
 * transport; the verdict into v. */
static bool send_pkt(struct dispatch *dp, struct qmsg_conn *c, int dir, const char *data, uint32_t len,
		     struct qmsg_verdict *v)
{
	static uint8_t pkt[PKT_MAX], msg[PKT_MAX + 4096] __attribute__((aligned(4)));
	static uint32_t id = 1;
	struct help_result res;
	const struct nlmsghdr *out;
	struct nlmsghdr *nlh;
	uint32_t n;

	if (c->ct.tuple[dir].l4 == IPPROTO_UDP) {
		n = qmsg_udp(pkt, c, dir, data, len);
	} else {
		n = qmsg_tcp(pkt, c, dir, c->seq[dir], 0, data, len);
		c->seq[dir] += len;
	}
	nlh = qmsg_packet(msg, sizeof(msg), c, dir, id++, pkt, n);
	out = nlh ? dispatch_packet(dp, nlh, 1, &res) : NULL;
	last_unconfirmed = out && res.unconfirmed;
	return out && qmsg_verdict_decode(out, v) == 0;
}

static bool send_str(struct dispatch *dp, struct qmsg_conn *c, int dir, const char *data,
		     struct qmsg_verdict *v)
{
	return send_pkt(dp, c, dir, data, (uint32_t)strlen(data), v);
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
	tap_ok(send_str(&dp, &c, CT_DIR_ORIGINAL, "x", &v) && seen.calls == 1 &&
	       seen.ctinfo == IP_CT_ESTABLISHED && seen.dir == CT_DIR_ORIGINAL,
	       "contract: ctinfo IP_CT_ESTABLISHED reaches help(), direction original");
	tap_ok(send_str(&dp, &c, CT_DIR_REPLY, "y", &v) && seen.calls == 2 &&
	       seen.ctinfo == IP_CT_ESTABLISHED_REPLY && seen.dir == CT_DIR_REPLY,
	       "contract: ctinfo IP_CT_ESTABLISHED_REPLY reaches help(), direction reply");
	tap_ok(!last_unconfirmed, "contract: a confirmed master: expectations may go ahead of the verdict");
	c.ct.status &= ~(uint32_t)IPS_CONFIRMED;
	tap_ok(send_str(&dp, &c, CT_DIR_ORIGINAL, "z", &v) && last_unconfirmed,
	       "contract: a master not confirmed yet (IPS_CONFIRMED clear in NFQA_CT) is marked, so the "
	       "daemon creates the extra expectations after the verdict");
	dispatch_free(&dp);
}

/* An expected connection of c's (registrar 10.0.2.2 -> client 10.0.1.2 port dport). */
static void child_conn(struct qmsg_conn *child, const struct qmsg_conn *master, uint16_t dport,
		       uint32_t id)
{
	udp_conn(child, "10.0.2.2", 5060, "10.0.1.2", dport, id);
	child->ct.status |= IPS_EXPECTED;
	child->ct.has_master = true;
	child->ct.master = master->ct.tuple[CT_DIR_ORIGINAL];
}

/* The protocol decides which expected connections it parses, from the master's tuple. */
static void test_expected_asked(void)
{
	struct helper_cfg cfg;
	struct dispatch dp;
	struct qmsg_conn c, sig, media;
	struct qmsg_verdict v;

	helper_cfg_init(&cfg, &probe_proto);
	cfg.max_conns = 8;
	dispatch_init(&dp, &probe_proto, &cfg);
	udp_conn(&c, "10.0.1.2", 5060, "10.0.2.2", 5060, 50);
	child_conn(&sig, &c, 5060, 51);
	child_conn(&media, &c, 16384, 52);
	memset(&seen, 0, sizeof(seen));
	tap_ok(send_str(&dp, &sig, CT_DIR_ORIGINAL, "OPTIONS", &v) && seen.calls == 1 && seen.ct_id == 51 &&
	       dp.stats.children == 0, "expected: the signalling connection the protocol asks for is parsed");
	tap_ok(send_str(&dp, &media, CT_DIR_ORIGINAL, "rtp", &v) && seen.calls == 1 &&
	       dp.stats.children == 1 && v.verdict == NF_ACCEPT && !v.payload && !v.has_exp,
	       "expected: media the protocol does not ask for passes unread");
	sig.ct.has_master = false;
	tap_ok(send_str(&dp, &sig, CT_DIR_ORIGINAL, "OPTIONS", &v) && seen.calls == 1 &&
	       dp.stats.children == 2, "expected: without its master's tuple nothing is parsed");
	tap_ok(send_str(&dp, &c, CT_DIR_ORIGINAL, "REGISTER", &v) && seen.calls == 2 && seen.ct_id == 50,
	       "expected: the master itself is parsed as ever");
	dispatch_free(&dp);
}

/* FTP, IRC, TFTP and PPTP ask for none: an expected connection with its master named passes
 * unread (their behaviour as before), whatever it carries. */
static void test_expected_real(void)
{
	/* What each would act on, were the connection its control connection. */
	static const struct { const char *d; uint32_t len; } text[] = {
		{ "PORT 10,0,2,2,156,64\r\n", 22 },
		{ "PRIVMSG x :\1DCC SEND f 167772674 40000 10\1\r\n", 44 },
		{ "\0\1f\0octet\0", 10 },
	};
	static const char *const names[] = { "ftp", "irc", "tftp", "pptp" };
	unsigned bad = 0, n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		const struct helper_proto *p = helper_find(names[i]);
		struct helper_cfg cfg;
		struct dispatch dp;
		struct qmsg_conn c, child;
		struct qmsg_verdict v;

		helper_cfg_init(&cfg, p);
		cfg.max_conns = 8;
		dispatch_init(&dp, p, &cfg);
		qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", p->default_queue, "10.0.2.1", 60 + i);
		qmsg_conn_init(&child, AF_INET, "10.0.2.2", 20, "10.0.1.2", 40100, "10.0.2.1", 70 + i);
		child.ct.tuple[0].l4 = child.ct.tuple[1].l4 = p->l4[0].proto;
		snprintf(child.ct.helper, sizeof(child.ct.helper), "%s", p->name);
		child.ct.status |= IPS_EXPECTED;
		child.ct.has_master = true;
		child.ct.master = c.ct.tuple[CT_DIR_ORIGINAL];
		for (unsigned t = 0; t < ARRAY_SIZE(text); t++, n++)
			bad += !send_pkt(&dp, &child, CT_DIR_ORIGINAL, text[t].d, text[t].len, &v) ||
			       v.verdict != NF_ACCEPT || v.payload || v.has_exp || dp.stats.children != t + 1;
		bad += p->help_expected != NULL;
		dispatch_free(&dp);
	}
	tap_ok(!bad && n == ARRAY_SIZE(names) * ARRAY_SIZE(text), "expected: FTP, IRC, TFTP and PPTP "
	       "parse none of %u packets of expected connections with a master (no rewrite, no "
	       "expectation)", n);
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
	test_expected_asked();
	test_expected_real();
	test_backends();
	test_ctinfo();
	test_counts();
}
