// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the SIP helper without NAT, end to end in userspace: queued datagram → dispatch →
 * verdict, IPv4 and IPv6 — media expectations from SDP, the options, flushes, REGISTER and
 * the call it lets in, refusals, the captures.  NAT: test_sip_nat.c. */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "capture.h"
#include "sip.h"
#include "siptest.h"
#include "tap.h"

void test_sip(void);

/* The suites' shared message builders (siptest.h) under short names. */
#define msg sipt_msg
#define sdp sipt_sdp
#define hp sipt_hp
#define req sipt_req
#define rsp sipt_rsp

static struct sip_kstate kstate(const struct qmsg_conn *c)
{
	struct sip_kstate k;

	memcpy(&k, c->kernel.data, sizeof(k));
	return k;
}

static void test_table(void)
{
	const struct helper_proto *p = helper_find("sip");
	static const char *const names[] = { "signalling", "audio", "video", "image" };
	static const uint32_t max[] = { 1, 4, 4, 2 };
	bool ok = p == &sip_proto && p->npolicy == 4;

	TAP_EQ_U(sip_proto.default_queue, 5060, "sip: default queue 5060");
	tap_ok(sip_proto.nl4 >= 1 && sip_proto.l4[0].proto == IPPROTO_UDP, "sip: UDP");
	for (unsigned i = 0; ok && i < 4; i++)
		ok = !strcmp(p->policy[i].name, names[i]) && p->policy[i].max_expected == max[i] &&
		     p->policy[i].timeout == 180;
	tap_ok(ok, "sip: classes signalling 1, audio 4, video 4, image 2, 180 s each, in the kernel's order");
	ok = sip_proto.nopts == 4 && !strcmp(sip_proto.opts[SIP_OPT_TIMEOUT].name, "sip-timeout") &&
	     sip_proto.opts[SIP_OPT_TIMEOUT].def == 3600 &&
	     !strcmp(sip_proto.opts[SIP_OPT_DIRECT_SIGNALLING].name, "direct-signalling") &&
	     sip_proto.opts[SIP_OPT_DIRECT_SIGNALLING].def == 1 &&
	     !strcmp(sip_proto.opts[SIP_OPT_DIRECT_MEDIA].name, "direct-media") &&
	     sip_proto.opts[SIP_OPT_DIRECT_MEDIA].def == 1 &&
	     !strcmp(sip_proto.opts[SIP_OPT_EXTERNAL_MEDIA].name, "external-media") &&
	     sip_proto.opts[SIP_OPT_EXTERNAL_MEDIA].def == 0;
	tap_ok(ok, "sip: options with the module's names and defaults (3600, 1, 1, 0)");
	tap_ok(sip_proto.priv_data_len == sizeof(struct sip_kstate) && sip_proto.priv_data_len <= 16,
	       "sip: kernel-kept state %u bytes (at most 16)", sip_proto.priv_data_len);
}

/* INVITE with audio and video, its 200 with the callee's media: RTP and RTCP for each, from
 * the signalling peer to the announcing host; the connection lives sip-timeout. */
static void test_invite(uint8_t l3, const char *phone, const char *server)
{
	struct sipt t;
	struct qmsg_conn c;
	char d[64];
	size_t n;

	sipt_init(&t, false);
	sipt_conn(&c, l3, phone, 5060, server, 5060, NULL, 0);
	snprintf(d, sizeof(d), "sip %s INVITE", l3 == AF_INET ? "IPv4" : "IPv6");
	n = req("INVITE", "1", hp(l3, phone, 5060), server, "Contact: <sip:a@x.example>\r\n",
		sdp(l3, phone, "49170", "m=application 9 TCP/MSRP *\r\nm=video 0 RTP/AVP 31\r\n"
			"m=video 51373 RTP/AVP 31\r\n"));
	sipt_send(&t, &c, 0, msg, n);
	TAP_EQ_U(t.res.nexp, 4, d);
	sipt_exp_is(&t.res.exp[0], l3, IPPROTO_UDP, server, phone, 49170, SIP_CLASS_AUDIO, d);
	sipt_exp_is(&t.res.exp[1], l3, IPPROTO_UDP, server, phone, 49171, SIP_CLASS_AUDIO, d);
	sipt_exp_is(&t.res.exp[2], l3, IPPROTO_UDP, server, phone, 51372, SIP_CLASS_VIDEO, d);
	sipt_exp_is(&t.res.exp[3], l3, IPPROTO_UDP, server, phone, 51373, SIP_CLASS_VIDEO, d);
	tap_ok(t.v.has_exp && t.v.exp_tuple.dport == 51373 && !t.v.exp_nat && !t.v.payload,
	       "%s: the last rides in the verdict, no NAT, payload unchanged", d);
	tap_ok(t.v.has_ct_timeout && t.v.ct_timeout == 3600, "%s: the connection lives 3600 s", d);
	TAP_EQ_U(kstate(&c).invite_cseq, 1, "sip INVITE: its CSeq kept by the kernel");
	n = rsp("200 OK", "1", "INVITE", hp(l3, phone, 5060), server, NULL, sdp(l3, server, "30000", NULL));
	sipt_send(&t, &c, 1, msg, n);
	TAP_EQ_U(t.res.nexp, 2, "sip 200 to INVITE: a pair");
	sipt_exp_is(&t.res.exp[0], l3, IPPROTO_UDP, phone, server, 30000, SIP_CLASS_AUDIO, "sip 200 to INVITE");
	n = req("OPTIONS", "2", hp(l3, phone, 5060), server, NULL, NULL);
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.got && !t.v.has_exp && !t.v.payload && t.res.nexp == 0, "sip OPTIONS: nothing");
	TAP_EQ_U(t.dp.stats.refused, 0, "sip INVITE: nothing refused");
	sipt_free(&t);
}

/* The same media seen by UPDATE, PRACK, ACK and the answers to UPDATE and PRACK; an odd port
 * announced gives the pair of the even one below; image (T.38) its own class. */
static void test_methods(void)
{
	static const struct {
		const char *method;
		bool response;
	} m[] = { { "UPDATE", false }, { "PRACK", false }, { "ACK", false }, { "UPDATE", true }, { "PRACK", true } };
	struct sipt t;
	struct qmsg_conn c;
	char d[64];
	size_t n;

	sipt_init(&t, false);
	sipt_conn(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, NULL, 0);
	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(d, sizeof(d), "sip %s%s", m[i].method, m[i].response ? " 200" : "");
		if (m[i].response)
			n = rsp("200 OK", "3", m[i].method, "10.0.1.2:5060", "10.0.2.2", NULL,
				sdp(AF_INET, "10.0.2.2", "40001", "m=image 40010 udptl t38\r\n"));
		else
			n = req(m[i].method, "3", "10.0.1.2:5060", "10.0.2.2", NULL,
				sdp(AF_INET, "10.0.1.2", "40001", "m=image 40010 udptl t38\r\n"));
		sipt_send(&t, &c, m[i].response, msg, n);
		TAP_EQ_U(t.res.nexp, 4, d);
		sipt_exp_is(&t.res.exp[0], AF_INET, IPPROTO_UDP, m[i].response ? "10.0.1.2" : "10.0.2.2",
			    m[i].response ? "10.0.2.2" : "10.0.1.2", 40000, SIP_CLASS_AUDIO, d);
		sipt_exp_is(&t.res.exp[3], AF_INET, IPPROTO_UDP, m[i].response ? "10.0.1.2" : "10.0.2.2",
			    m[i].response ? "10.0.2.2" : "10.0.1.2", 40011, SIP_CLASS_IMAGE, d);
	}
	/* A 200 to BYE or MESSAGE with SDP opens nothing: only the kernel's methods do. */
	n = rsp("200 OK", "4", "MESSAGE", "10.0.1.2:5060", "10.0.2.2", NULL, sdp(AF_INET, "10.0.2.2", "40001", NULL));
	sipt_send(&t, &c, 1, msg, n);
	tap_ok(t.got && t.res.nexp == 0 && !t.v.has_exp, "sip 200 to MESSAGE with SDP: nothing");
	/* The kernel reads three media at most. */
	n = req("INVITE", "5", "10.0.1.2:5060", "10.0.2.2", NULL,
		sdp(AF_INET, "10.0.1.2", "40000", "m=audio 40100 RTP/AVP 0\r\nm=audio 40200 RTP/AVP 0\r\n"
			"m=audio 40300 RTP/AVP 0\r\n"));
	sipt_send(&t, &c, 0, msg, n);
	TAP_EQ_U(t.res.nexp, 6, "sip INVITE with four audio media: three pairs, as the kernel");
	sipt_free(&t);
}

/* Each option's effect. */
static void test_options(void)
{
	struct sipt t;
	struct qmsg_conn c;
	size_t n;

	sipt_init(&t, false);
	sipt_conn(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, NULL, 0);
	n = req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", NULL, sdp(AF_INET, "10.0.3.3", "20000", NULL));
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.got && t.res.nexp == 0 && !t.v.has_exp && t.res.refused == 0,
	       "sip --direct-media 1: media of another host than the sender: none, nothing refused");
	t.cfg.opt[SIP_OPT_DIRECT_MEDIA] = 0;
	sipt_send(&t, &c, 0, msg, n);
	TAP_EQ_U(t.res.nexp, 2, "sip --direct-media 0: media of another host expected");
	sipt_exp_is(&t.res.exp[0], AF_INET, IPPROTO_UDP, NULL, "10.0.3.3", 20000, SIP_CLASS_AUDIO,
		    "sip --direct-media 0: from anyone");
	t.cfg.opt[SIP_OPT_TIMEOUT] = 120;
	n = req("OPTIONS", "2", "10.0.1.2:5060", "10.0.2.2", NULL, NULL);
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.v.has_ct_timeout && t.v.ct_timeout == 120, "sip --sip-timeout 120: each message sets 120 s");
	n = req("REGISTER", "3", "10.0.1.2:5060", "10.0.2.2", "Contact: <sip:alice@10.0.1.2:5060>\r\nExpires: 600\r\n", NULL);
	sipt_send(&t, &c, 0, msg, n);
	sipt_exp_is(&t.res.exp[0], AF_INET, IPPROTO_UDP, "10.0.2.2", "10.0.1.2", 5060, SIP_CLASS_SIGNALLING,
		    "sip --direct-signalling 1: calls only from the registrar");
	t.cfg.opt[SIP_OPT_DIRECT_SIGNALLING] = 0;
	sipt_send(&t, &c, 0, msg, n);
	sipt_exp_is(&t.res.exp[0], AF_INET, IPPROTO_UDP, NULL, "10.0.1.2", 5060, SIP_CLASS_SIGNALLING,
		    "sip --direct-signalling 0: calls from anyone");
	sipt_free(&t);
}

/* BYE and a failed answer to the INVITE whose CSeq the kernel keeps remove the media
 * expectations (every media class), never the registration's. */
static void test_flush(void)
{
	struct sipt t;
	struct qmsg_conn c;
	struct ct_expect a, s;
	uint16_t p1 = 30000, p0 = 5060;
	size_t n;

	sipt_init(&t, true);
	sipt_conn(&c, AF_INET6, "fd00:1::2", 5060, "fd00:2::2", 5060, NULL, 0);
	ct_expect_init(&a, SIP_CLASS_AUDIO, AF_INET6, NULL, &c.ct.tuple[0].src, IPPROTO_UDP, NULL, &p1);
	ct_expect_init(&s, SIP_CLASS_SIGNALLING, AF_INET6, NULL, &c.ct.tuple[0].src, IPPROTO_UDP, NULL, &p0);
	t.f.live[0] = a;
	t.f.live[1] = s;
	t.f.nlive = 2;
	n = req("BYE", "7", "[fd00:1::2]:5060", "fd00:2::2", NULL, NULL);
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(!sipt_live(&t, 30000) && sipt_live(&t, 5060), "sip BYE: media flushed, the registration stays");
	n = req("INVITE", "8", "[fd00:1::2]:5060", "fd00:2::2", NULL, NULL);
	sipt_send(&t, &c, 0, msg, n);
	TAP_EQ_U(kstate(&c).invite_cseq, 8, "sip INVITE without SDP: its CSeq kept");
	t.f.live[t.f.nlive++] = a;
	n = rsp("486 Busy Here", "7", "INVITE", "[fd00:1::2]:5060", "fd00:2::2", NULL, NULL);
	sipt_send(&t, &c, 1, msg, n);
	tap_ok(sipt_live(&t, 30000) != NULL, "sip 486 to an older INVITE: nothing flushed");
	n = rsp("180 Ringing", "8", "INVITE", "[fd00:1::2]:5060", "fd00:2::2", NULL, NULL);
	sipt_send(&t, &c, 1, msg, n);
	tap_ok(sipt_live(&t, 30000) != NULL, "sip 180: nothing flushed");
	n = rsp("486 Busy Here", "8", "INVITE", "[fd00:1::2]:5060", "fd00:2::2", NULL, NULL);
	sipt_send(&t, &c, 1, msg, n);
	tap_ok(!sipt_live(&t, 30000) && sipt_live(&t, 5060), "sip 486 to the INVITE: media flushed");
	sipt_free(&t);
}

/* REGISTER → the inactive expectation; the registrar's 200 activates it; the call it lets in
 * is parsed (its INVITE opens media), that call's media pass unread. */
static void test_register(uint8_t l3, const char *phone, const char *reg)
{
	struct sipt t;
	struct qmsg_conn c, call, media;
	char hdr[160], d[64];
	const struct ct_expect *e;
	size_t n;

	snprintf(d, sizeof(d), "sip %s REGISTER", l3 == AF_INET ? "IPv4" : "IPv6");
	sipt_init(&t, true);
	sipt_conn(&c, l3, phone, 5060, reg, 5060, NULL, 0);
	snprintf(hdr, sizeof(hdr), "Contact: <sip:alice@%s>;expires=3600\r\nExpires: 0\r\n", hp(l3, phone, 5060));
	n = req("REGISTER", "1", hp(l3, phone, 5060), reg, hdr, NULL);
	sipt_send(&t, &c, 0, msg, n);
	TAP_EQ_U(t.res.nexp, 1, d);
	sipt_exp_is(&t.res.exp[0], l3, IPPROTO_UDP, reg, phone, 5060, SIP_CLASS_SIGNALLING, d);
	tap_ok(t.res.exp[0].flags == (NF_CT_EXPECT_PERMANENT | NF_CT_EXPECT_INACTIVE) && t.res.exp[0].helper &&
	       !strcmp(t.res.exp[0].helper, "sip") && t.v.has_exp,
	       "%s: permanent, inactive, the child gets the sip helper (the Contact's expires= wins)", d);
	TAP_EQ_U(kstate(&c).register_cseq, 1, "sip REGISTER: its CSeq kept by the kernel");
	t.f.live[t.f.nlive++] = t.res.exp[0];	/* the kernel created it from the verdict */
	n = rsp("200 OK", "9", "REGISTER", hp(l3, phone, 5060), reg, hdr, NULL);
	sipt_send(&t, &c, 1, msg, n);
	e = sipt_live(&t, 5060);
	tap_ok(e && e->flags == NF_CT_EXPECT_INACTIVE + NF_CT_EXPECT_PERMANENT && !t.f.dels,
	       "%s: a 200 to another CSeq activates nothing", d);
	n = rsp("200 OK", "1", "REGISTER", hp(l3, phone, 5060), reg, hdr, NULL);
	sipt_send(&t, &c, 1, msg, n);
	e = sipt_live(&t, 5060);
	tap_ok(e && e->flags == NF_CT_EXPECT_PERMANENT && t.f.dels == 1 && t.f.nlive == 1,
	       "%s 200: the inactive one replaced by an active one", d);
	sipt_exp_is(e, l3, IPPROTO_UDP, reg, phone, 5060, SIP_CLASS_SIGNALLING, d);
	/* The call the registration lets in: an expected connection, parsed as SIP. */
	sipt_conn(&call, l3, reg, 5060, phone, 5060, NULL, 0);
	call.ct.status |= IPS_EXPECTED;
	call.ct.has_master = true;
	call.ct.master = c.ct.tuple[CT_DIR_ORIGINAL];
	tap_ok(sip_proto.help_expected(&t.cfg, &call.ct), "%s: the incoming call is SIP's", d);
	n = req("INVITE", "1", hp(l3, reg, 5060), phone, NULL, sdp(l3, reg, "40000", NULL));
	sipt_send(&t, &call, 0, msg, n);
	TAP_EQ_U(t.res.nexp, 2, "sip incoming INVITE: media expected");
	sipt_exp_is(&t.res.exp[0], l3, IPPROTO_UDP, phone, reg, 40000, SIP_CLASS_AUDIO, "sip incoming INVITE");
	snprintf(hdr, sizeof(hdr), "Contact: <sip:bob@%s>\r\nExpires: 60\r\n", hp(l3, reg, 5060));
	n = req("REGISTER", "2", hp(l3, reg, 5060), phone, hdr, NULL);
	sipt_send(&t, &call, 0, msg, n);
	tap_ok(t.res.nexp == 0 && !t.res.refused, "sip: an expected connection registers nothing");
	sipt_conn(&media, l3, reg, 40000, phone, 49170, NULL, 0);
	media.ct.status |= IPS_EXPECTED;
	media.ct.has_master = true;
	media.ct.master = c.ct.tuple[CT_DIR_ORIGINAL];
	tap_ok(!sip_proto.help_expected(&t.cfg, &media.ct), "%s: media children are not SIP's", d);
	sipt_send(&t, &media, 0, msg, n);
	tap_ok(t.got && !t.v.payload && !t.v.has_exp && !t.v.has_ct && t.dp.stats.children == 1,
	       "%s: a media packet passes unread", d);
	/* Expiry 0 in the registrar's answer (and a failure) removes it. */
	n = req("REGISTER", "2", hp(l3, phone, 5060), reg, "Contact: <sip:alice@x.example>\r\nExpires: 0\r\n", NULL);
	sipt_send(&t, &c, 0, msg, n);
	TAP_EQ_U(kstate(&c).register_cseq, 1, "sip REGISTER with a name only: nothing kept");
	snprintf(hdr, sizeof(hdr), "Contact: <sip:alice@%s>\r\nExpires: 0\r\n", hp(l3, phone, 5060));
	n = req("REGISTER", "3", hp(l3, phone, 5060), reg, hdr, NULL);
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.res.nexp == 0 && kstate(&c).register_cseq == 3, "%s expires 0: no expectation, CSeq kept", d);
	n = rsp("200 OK", "3", "REGISTER", hp(l3, phone, 5060), reg, hdr, NULL);
	sipt_send(&t, &c, 1, msg, n);
	tap_ok(!sipt_live(&t, 5060), "%s: the 200 with expiry 0 removes the expectation", d);
	snprintf(hdr, sizeof(hdr), "Contact: <sip:alice@%s>\r\nExpires: 60\r\n", hp(l3, phone, 5060));
	n = req("REGISTER", "4", hp(l3, phone, 5060), reg, hdr, NULL);
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.res.nexp == 1 && kstate(&c).register_cseq == 4, "%s with Expires 60: expected again", d);
	t.f.live[t.f.nlive++] = t.res.exp[0];
	n = rsp("403 Forbidden", "4", "REGISTER", hp(l3, phone, 5060), reg, NULL, NULL);
	sipt_send(&t, &c, 1, msg, n);
	tap_ok(!sipt_live(&t, 5060), "%s 403: removed", d);
	TAP_EQ_U(t.dp.stats.refused, 0, "sip REGISTER: nothing refused");
	sipt_free(&t);
}

/* Malformed, ambiguous or refused: unchanged, nothing created, counted. */
static void test_refused(void)
{
	static const char *const bad[] = {
		"INVITE sip:bob@10.0.2.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.1.2\r\n",
		"GARBAGE GARBAGE GARBAGE\r\n\r\n",
		"INVITE sip:bob@10.0.2.2 SIP/2.0\r\nCSeq: 1 INVITE\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nContent-Length: 10\r\n\r\nv=0\r\n",
		"\x16\x03\x01\x02\x10\x01\x02\x03\x01\xfc\x03\x03\xaa\xbb\xcc\xdd",
	};
	struct sipt t;
	struct qmsg_conn c;
	char d[64];
	size_t n;

	sipt_init(&t, true);
	sipt_conn(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, NULL, 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(d, sizeof(d), "sip refused: malformed %u", i);
		sipt_send(&t, &c, 0, bad[i], strlen(bad[i]));
		sipt_unchanged(&t, d);
		tap_ok(t.res.refused == 1 && !t.v.has_exp && t.res.nexp == 0, "%s: counted, nothing created", d);
	}
	n = req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", NULL,
		sdp(AF_INET, "10.0.1.2", "20000", "m=audio 1023 RTP/AVP 0\r\n"));
	sipt_send(&t, &c, 0, msg, n);
	sipt_unchanged(&t, "sip refused: a media port below 1024");
	tap_ok(t.res.refused == 1 && t.res.nexp == 0 && !t.v.has_exp && !t.f.calls,
	       "sip refused: a media port below 1024 — nothing of the message created, counted");
	n = req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", NULL,
		"v=0\r\no=a 1 1 IN IP4 10.0.1.2\r\ns=-\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\n");
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.res.refused == 1 && t.res.nexp == 0, "sip refused: media without a connection address");
	n = req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", NULL, sdp(AF_INET6, "fd00::1", "20000", NULL));
	sipt_send(&t, &c, 0, msg, n);
	tap_ok(t.res.refused == 1 && t.res.nexp == 0, "sip refused: only an IPv6 c= on an IPv4 call");
	n = req("REGISTER", "1", "10.0.1.2:5060", "10.0.2.2",
		"Contact: <sip:mallory@10.0.1.99:5060>\r\nExpires: 3600\r\n", NULL);
	sipt_send(&t, &c, 0, msg, n);
	sipt_unchanged(&t, "sip refused: a third-party REGISTER");
	tap_ok(t.res.refused == 1 && t.res.nexp == 0 && kstate(&c).register_cseq == 0,
	       "sip refused: a third-party REGISTER opens nothing");
	sipt_send(&t, &c, 0, "SIP/2.0 20", 10);
	tap_ok(t.got && t.res.refused == 0 && !t.v.payload, "sip: a datagram shorter than a status line is let be");
	sipt_free(&t);
}

/* The captures: an INVITE and its 200, and a softphone's calls to two servers. */
static void test_corpus(void)
{
	struct sipt t;
	struct qmsg_conn c, c2;
	struct capture cap;
	unsigned refused = 0, exps = 0, invites = 0, registers = 0, granted = 0;

	sipt_init(&t, false);
	sipt_conn(&c, AF_INET, "192.168.1.2", 5555, "2.2.2.2", 5060, NULL, 0);
	if (tap_ok(capture_load(&cap, "../corpus/sip/suricata-invite-200-sdp.txt") == 0 && cap.n == 2,
		   "sip corpus: invite-200-sdp loads")) {
		/* Its Content-Length (272) ends the body before m=: RFC 3261 18.3 discards the
		 * rest of the datagram (the kernel reads on to its end). */
		sipt_send(&t, &c, 0, cap.seg[0].data, cap.seg[0].len);
		tap_ok(t.got && t.res.nexp == 0 && !t.res.refused && !t.v.payload,
		       "sip corpus INVITE: no m= within its Content-Length: nothing, not refused");
		sipt_send(&t, &c, 1, cap.seg[1].data, cap.seg[1].len);
		tap_ok(t.got && t.res.nexp == 0 && !t.res.refused, "sip corpus 200: nothing either");
		capture_free(&cap);
	}
	sipt_conn(&c, AF_INET, "192.168.1.2", 5060, "212.242.33.35", 5060, NULL, 0);
	sipt_conn(&c2, AF_INET, "192.168.1.2", 5060, "200.68.120.81", 5060, NULL, 0);
	if (tap_ok(capture_load(&cap, "../corpus/sip/zeek-wireshark-sample-udp.txt") == 0 && cap.n > 10,
		   "sip corpus: wireshark sample loads")) {
		for (size_t i = 0; i < cap.n; i++) {
			const struct capture_seg *g = &cap.seg[i];
			bool other = strstr(g->src, "200.68.120.81") || strstr(g->dst, "200.68.120.81");

			/* the phone's offers name itself: each opens its audio pair */
			invites += g->to_server && g->len > 7 && !memcmp(g->data, "INVITE ", 7) &&
				   memmem(g->data, g->len, "c=IN IP4 192.168.1.2", 20) &&
				   memmem(g->data, g->len, "m=audio ", 8);
			/* and its registrations (with an expiry) the way in for calls */
			registers += g->to_server && g->len > 9 && !memcmp(g->data, "REGISTER ", 9) &&
				     memmem(g->data, g->len, "@192.168.1.2", 12) &&
				     !memmem(g->data, g->len, "xpires: 0\r", 11) &&
				     !memmem(g->data, g->len, "expires=0", 9);
			/* and the registrar's 2xx that grant them, which activate it (in the verdict) */
			granted += !g->to_server && g->len > 9 && !memcmp(g->data, "SIP/2.0 2", 9) &&
				   memmem(g->data, g->len, " REGISTER\r", 10) &&
				   memmem(g->data, g->len, "@192.168.1.2", 12) &&
				   !memmem(g->data, g->len, "expires=0", 9);
			sipt_send(&t, other ? &c2 : &c, !g->to_server, g->data, g->len);
			refused += t.res.refused;
			exps += t.res.nexp;
		}
		TAP_EQ_U(refused, 0, "sip corpus wireshark sample: nothing refused");
		tap_ok(invites > 0 && registers > 0 && granted > 0 && exps == 2 * invites + registers + granted,
		       "sip corpus wireshark sample: a pair per offer of the phone's, one per registration "
		       "and per grant (%u for %u, %u, %u)", exps, invites, registers, granted);
		capture_free(&cap);
	}
	sipt_free(&t);
}

void test_sip(void)
{
	test_table();
	test_invite(AF_INET, "10.0.1.2", "10.0.2.2");
	test_invite(AF_INET6, "fd00:1::2", "fd00:2::2");
	test_methods();
	test_options();
	test_flush();
	test_register(AF_INET, "10.0.1.2", "10.0.2.2");
	test_register(AF_INET6, "fd00:1::2", "fd00:2::2");
	test_refused();
	test_corpus();
}
