// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the SIP helper under NAT: the rewritten datagram byte for byte (checksums valid),
 * the expectations created through ctnetlink (tuple, class, flags, expectfn, saved address),
 * moved media ports, re-INVITE, REGISTER and its activation, forced_dport, a rewrite that
 * does not fit (rolled back), the expectfn in force and its fall-back, a capture. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "capture.h"
#include "pkttest.h"
#include "sip.h"
#include "siptest.h"
#include "tap.h"

void test_sip_nat(void);

#define hp sipt_hp
#define sdp sipt_sdp

static char in[65536];
static size_t inlen;

/* Keep the message just built as the one to send. */
static void keep(size_t n)
{
	memcpy(in, sipt_msg, n);
	inlen = n;
}

/* The saved part of a NATed expectation: where the expectfn sends the child on. */
static bool saved_is(const struct ct_expect *e, uint8_t l3, const char *addr, uint16_t port, uint32_t dir,
		     const char *fn, const char *desc)
{
	return tap_ok(e && e->nat && pt_addr_is(&e->nat_tuple.src, l3, addr) && e->nat_tuple.sport == port &&
		      e->nat_dir == dir && e->fn && !strcmp(e->fn, fn),
		      "%s: NATed on to %s port %u by %s, replies towards %s", desc, addr, port, fn,
		      dir == CT_DIR_REPLY ? "reply" : "original");
}

/* INVITE from a phone behind NAT and the callee's 200: Via, From, Contact, o= and c= take the
 * NAT address and port (never the display name or Call-ID), the media pair is expected on the
 * NAT address; the 200 is written back for the phone. */
static void test_invite(uint8_t l3, const char *phone, const char *server, const char *nat, const char *fn)
{
	struct sipt t;
	struct qmsg_conn c;
	char d[80], h[128], vp[2][80];
	size_t n;

	snprintf(d, sizeof(d), "sip NAT %s INVITE (%s)", l3 == AF_INET ? "IPv4" : "IPv6", fn);
	sip_expectfn = fn;
	sipt_init(&t, true);
	sipt_conn(&c, l3, phone, 5060, server, 5060, nat, 61000);
	/* maddr= naming the phone (RFC 3261 18.2.2): the NAT address, bracketed for IPv6 */
	snprintf(vp[0], sizeof(vp[0]), l3 == AF_INET ? ";maddr=%s" : ";maddr=[%s]", phone);
	snprintf(vp[1], sizeof(vp[1]), l3 == AF_INET ? ";maddr=%s" : ";maddr=[%s]", nat);
	sipt_via_params = vp[0];
	snprintf(h, sizeof(h), "Contact: <sip:alice@%s>\r\n", hp(l3, phone, 5060));
	keep(sipt_req("INVITE", "1", hp(l3, phone, 5060), server, h, sdp(l3, phone, "49170", NULL)));
	sipt_send(&t, &c, 0, in, inlen);
	sipt_via_params = vp[1];
	snprintf(h, sizeof(h), "Contact: <sip:alice@%s>\r\n", hp(l3, nat, 61000));
	n = sipt_req("INVITE", "1", hp(l3, nat, 61000), server, h, sdp(l3, nat, "49170", NULL));
	sipt_via_params = NULL;
	sipt_payload_is(&t, sipt_msg, n, d);
	tap_ok(t.res.created == 2 && t.f.nlive == 2 && !t.v.has_exp, "%s: the pair created through ctnetlink", d);
	sipt_exp_is(sipt_live(&t, 49170), l3, IPPROTO_UDP, server, nat, 49170, SIP_CLASS_AUDIO, d);
	saved_is(sipt_live(&t, 49170), l3, phone, 49170, CT_DIR_REPLY, fn, d);
	sipt_exp_is(sipt_live(&t, 49171), l3, IPPROTO_UDP, server, nat, 49171, SIP_CLASS_AUDIO, d);
	saved_is(sipt_live(&t, 49171), l3, phone, 49171, CT_DIR_REPLY, fn, d);
	/* the answer: the callee's media need nothing moved; the phone's own headers come back,
	 * with the Via's received= and rport= the server added (RFC 3261 18.2.1, RFC 3581) */
	snprintf(vp[0], sizeof(vp[0]), ";received=%s;rport=61000", nat);
	snprintf(vp[1], sizeof(vp[1]), ";received=%s;rport=5060", phone);
	sipt_via_params = vp[0];
	keep(sipt_rsp("200 OK", "1", "INVITE", hp(l3, nat, 61000), server, NULL, sdp(l3, server, "30000", NULL)));
	sipt_send(&t, &c, 1, in, inlen);
	sipt_via_params = vp[1];
	n = sipt_rsp("200 OK", "1", "INVITE", hp(l3, phone, 5060), server, NULL, sdp(l3, server, "30000", NULL));
	sipt_via_params = NULL;
	sipt_payload_is(&t, sipt_msg, n, "sip NAT 200: Via (received=, rport=) and From back to the phone's own");
	sipt_exp_is(sipt_live(&t, 30000), l3, IPPROTO_UDP, phone, server, 30000, SIP_CLASS_AUDIO, "sip NAT 200");
	saved_is(sipt_live(&t, 30000), l3, server, 30000, CT_DIR_ORIGINAL, fn, "sip NAT 200");
	TAP_EQ_U(t.dp.stats.refused, 0, "sip NAT INVITE: nothing refused");
	sipt_free(&t);
}

/* The announced pair is taken: NAT finds another even/odd pair, m= names it, Content-Length
 * follows the body; a re-INVITE that moves the media replaces the expectations. */
static void test_moved(void)
{
	struct sipt t;
	struct qmsg_conn c;
	const struct ct_expect *e = NULL;
	char port[8];
	size_t n;

	sip_expectfn = "sip";
	sipt_init(&t, true);
	t.f.taken[0] = 49170;
	sipt_conn(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "203.0.113.10", 5060);
	keep(sipt_req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", NULL, sdp(AF_INET, "10.0.1.2", "49170", NULL)));
	sipt_send(&t, &c, 0, in, inlen);
	for (unsigned i = 0; i < t.f.nlive; i++)
		if (t.f.live[i].nat_tuple.sport == 49170)
			e = &t.f.live[i];
	if (!tap_ok(e && e->tuple.dport != 49170 && !(e->tuple.dport & 1) && sipt_live(&t, e->tuple.dport + 1),
		    "sip NAT moved: another even/odd pair (%u)", e ? e->tuple.dport : 0))
		return sipt_free(&t);
	snprintf(port, sizeof(port), "%u", e->tuple.dport);
	n = sipt_req("INVITE", "1", "203.0.113.10:5060", "10.0.2.2", NULL, sdp(AF_INET, "203.0.113.10", port, NULL));
	sipt_payload_is(&t, sipt_msg, n, "sip NAT moved: m= names the new port, Content-Length follows");
	keep(sipt_req("INVITE", "2", "10.0.1.2:5060", "10.0.2.2", NULL, sdp(AF_INET, "10.0.1.2", "49180", NULL)));
	sipt_send(&t, &c, 0, in, inlen);
	tap_ok(!sipt_live(&t, (uint16_t)atoi(port)) && sipt_live(&t, 49180) && sipt_live(&t, 49181) &&
	       t.f.nlive == 2, "sip NAT re-INVITE: the old pair removed, the new one expected");
	sipt_free(&t);
}

/* The call the registration lets in, NATed on to the phone by the expectfn: the Request-URI
 * and To name the phone itself, the phone's answer the NAT address for its media. */
static void test_incoming(struct sipt *t, const struct qmsg_conn *master, uint8_t l3, const char *phone,
			  const char *reg, const char *nat)
{
	struct qmsg_conn call;
	size_t n;

	sipt_conn(&call, l3, reg, 5060, nat, 61000, NULL, 0);
	call.ct.tuple[CT_DIR_REPLY].src = master->ct.tuple[CT_DIR_ORIGINAL].src;
	call.ct.tuple[CT_DIR_REPLY].sport = 5060;
	call.ct.status |= IPS_EXPECTED | IPS_DST_NAT | IPS_DST_NAT_DONE;
	call.ct.has_master = true;
	call.ct.master = master->ct.tuple[CT_DIR_ORIGINAL];
	tap_ok(sip_proto.help_expected(&t->cfg, &call.ct), "sip NAT incoming call: SIP's to parse");
	keep(sipt_req("INVITE", "1", hp(l3, reg, 5060), hp(l3, nat, 61000), NULL, sdp(l3, reg, "40000", NULL)));
	sipt_send(t, &call, 0, in, inlen);
	n = sipt_req("INVITE", "1", hp(l3, reg, 5060), hp(l3, phone, 5060), NULL, sdp(l3, reg, "40000", NULL));
	sipt_payload_is(t, sipt_msg, n, "sip NAT incoming INVITE: Request-URI and To name the phone");
	sipt_exp_is(sipt_live(t, 40000), l3, IPPROTO_UDP, phone, reg, 40000, SIP_CLASS_AUDIO,
		    "sip NAT incoming INVITE: the caller's media from the phone");
	keep(sipt_rsp("200 OK", "1", "INVITE", hp(l3, reg, 5060), hp(l3, phone, 5060), NULL,
		      sdp(l3, phone, "49170", NULL)));
	sipt_send(t, &call, 1, in, inlen);
	n = sipt_rsp("200 OK", "1", "INVITE", hp(l3, reg, 5060), hp(l3, nat, 61000), NULL,
		     sdp(l3, nat, "49170", NULL));
	sipt_payload_is(t, sipt_msg, n, "sip NAT incoming 200: To and the SDP name the NAT address");
	sipt_exp_is(sipt_live(t, 49170), l3, IPPROTO_UDP, reg, nat, 49170, SIP_CLASS_AUDIO,
		    "sip NAT incoming 200: the phone's media on the NAT address");
	saved_is(sipt_live(t, 49170), l3, phone, 49170, CT_DIR_ORIGINAL, "sip", "sip NAT incoming 200");
}

/* REGISTER behind NAT: the Contact names the NAT address and the port NAT gave the phone's
 * signalling port; the expectation waits there, inactive; the 200 activates it. */
static void test_register(uint8_t l3, const char *phone, const char *reg, const char *nat)
{
	struct sipt t;
	struct qmsg_conn c;
	const struct ct_expect *e;
	char d[64], h[160];
	size_t n;

	snprintf(d, sizeof(d), "sip NAT %s REGISTER", l3 == AF_INET ? "IPv4" : "IPv6");
	sip_expectfn = "sip";
	sipt_init(&t, true);
	sipt_conn(&c, l3, phone, 5060, reg, 5060, nat, 61000);
	snprintf(h, sizeof(h), "Contact: <sip:alice@%s>;expires=3600\r\n", hp(l3, phone, 5060));
	keep(sipt_req("REGISTER", "1", hp(l3, phone, 5060), reg, h, NULL));
	sipt_send(&t, &c, 0, in, inlen);
	snprintf(h, sizeof(h), "Contact: <sip:alice@%s>;expires=3600\r\n", hp(l3, nat, 61000));
	n = sipt_req("REGISTER", "1", hp(l3, nat, 61000), reg, h, NULL);
	sipt_payload_is(&t, sipt_msg, n, d);
	e = sipt_live(&t, 61000);
	sipt_exp_is(e, l3, IPPROTO_UDP, reg, nat, 61000, SIP_CLASS_SIGNALLING, d);
	saved_is(e, l3, phone, 5060, CT_DIR_REPLY, "sip", d);
	tap_ok(e && e->flags == (NF_CT_EXPECT_PERMANENT | NF_CT_EXPECT_INACTIVE) && e->helper &&
	       !strcmp(e->helper, "sip"), "%s: permanent, inactive, the sip helper", d);
	keep(sipt_rsp("200 OK", "1", "REGISTER", hp(l3, nat, 61000), reg, h, NULL));
	sipt_send(&t, &c, 1, in, inlen);
	snprintf(h, sizeof(h), "Contact: <sip:alice@%s>;expires=3600\r\n", hp(l3, phone, 5060));
	n = sipt_rsp("200 OK", "1", "REGISTER", hp(l3, phone, 5060), reg, h, NULL);
	sipt_payload_is(&t, sipt_msg, n, "sip NAT REGISTER 200: the phone's own Contact again");
	e = sipt_live(&t, 61000);
	tap_ok(e && e->flags == NF_CT_EXPECT_PERMANENT && t.f.dels == 1 && t.f.nlive == 1,
	       "%s 200: activated (the inactive one deleted, an active one created)", d);
	saved_is(e, l3, phone, 5060, CT_DIR_REPLY, "sip", "sip NAT REGISTER 200");
	test_incoming(&t, &c, l3, phone, reg, nat);
	sipt_free(&t);
}

/* A phone that sends from port 40000 but names 5060 in its Via gets its replies on 5060. */
static void test_forced_dport(void)
{
	struct sipt t;
	struct qmsg_conn c;
	struct sip_kstate k;

	sipt_init(&t, true);
	sipt_conn(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 5060, "203.0.113.10", 61000);
	keep(sipt_req("OPTIONS", "1", "10.0.1.2:5060", "10.0.2.2", NULL, NULL));
	sipt_send(&t, &c, 0, in, inlen);
	memcpy(&k, c.kernel.data, sizeof(k));
	TAP_EQ_U(k.forced_dport, 5060, "sip forced_dport: the Via's port kept by the kernel");
	keep(sipt_rsp("200 OK", "1", "OPTIONS", "10.0.1.2:5060", "10.0.2.2", NULL, NULL));
	sipt_send(&t, &c, 1, in, inlen);
	sipt_payload_is(&t, in, inlen, "sip forced_dport: the reply's text unchanged");
	TAP_EQ_U(sipt_dport(&t), 5060, "sip forced_dport: the reply goes to port 5060");
	sipt_send(&t, &c, 0, in, inlen);
	tap_ok(t.got && !t.v.payload, "sip forced_dport: only replies move");
	c.ct.status &= ~(uint32_t)IPS_NAT_MASK;
	sipt_send(&t, &c, 1, in, inlen);
	sipt_unchanged(&t, "sip forced_dport without NAT");
	sipt_free(&t);
}

/* A rewrite that makes the datagram too long: unchanged, what the message created undone. */
static void test_too_long(void)
{
	static char pad[65536];
	struct sipt t;
	struct qmsg_conn c;
	size_t n = 0;

	sip_expectfn = "sip";
	sipt_init(&t, true);
	sipt_conn(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "203.0.113.10", 5060);
	while (n + 220 < 65503 - 420)
		n += (size_t)snprintf(pad + n, sizeof(pad) - n, "X-Pad: %0200u\r\n", 0);
	keep(sipt_req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", pad, sdp(AF_INET, "10.0.1.2", "49170", NULL)));
	/* A longer user part in the Request-URI: 65500 bytes, which the rewrite grows past what
	 * one verdict carries (65503 bytes of UDP payload over IPv4). */
	if (inlen < 65500) {
		memmove(in + 11 + (65500 - inlen), in + 11, inlen - 11);
		memset(in + 11, 'x', 65500 - inlen);
		inlen = 65500;
	}
	sipt_send(&t, &c, 0, in, inlen);
	sipt_unchanged(&t, "sip NAT too long");
	tap_ok(t.res.refused == 1 && t.f.nlive == 0 && t.f.dels == 2 && !t.v.has_exp,
	       "sip NAT too long: counted, the media pair it created removed again");
	sipt_free(&t);
}

/* The expectfn: "sip" when nf_nat_sip is loaded, else nat-follow-master, which cannot send
 * media to another host; a kernel that refuses "sip" makes it fall back, once. */
static void test_expectfn(void)
{
	struct sipt t;
	struct qmsg_conn c;
	size_t n;

	sip_expectfn = "nat-follow-master";
	sip_nat_module_path = "/";
	sip_start(NULL);
	tap_ok(!strcmp(sip_expectfn, "sip"), "sip start-up: nf_nat_sip present: the \"sip\" expectfn");
	sip_nat_module_path = "/nonexistent/nf_nat_sip";
	sip_expectfn = "sip";
	sip_start(NULL);
	tap_ok(!strcmp(sip_expectfn, "nat-follow-master"), "sip start-up: no nf_nat_sip: nat-follow-master");
	sipt_init(&t, true);
	t.cfg.opt[SIP_OPT_DIRECT_MEDIA] = 0;
	sipt_conn(&c, AF_INET, "10.0.1.2", 5060, "10.0.2.2", 5060, "203.0.113.10", 5060);
	keep(sipt_req("INVITE", "1", "10.0.1.2:5060", "10.0.2.2", NULL,
		      "v=0\r\no=a 1 1 IN IP4 10.0.1.2\r\ns=-\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\nc=IN IP4 10.0.1.3\r\n"));
	sipt_send(&t, &c, 0, in, inlen);
	tap_ok(t.f.nlive == 0 && t.res.refused == 0, "sip nat-follow-master: media for another host not expected");
	sip_expectfn = "sip";
	sipt_send(&t, &c, 0, in, inlen);
	sipt_exp_is(sipt_live(&t, 20000), AF_INET, IPPROTO_UDP, NULL, "203.0.113.10", 20000, SIP_CLASS_AUDIO,
		    "sip \"sip\" expectfn: media for another host");
	saved_is(sipt_live(&t, 20000), AF_INET, "10.0.1.3", 20000, CT_DIR_REPLY, "sip", "sip \"sip\" expectfn");
	n = sipt_req("INVITE", "1", "203.0.113.10:5060", "10.0.2.2", NULL,
		     "v=0\r\no=a 1 1 IN IP4 203.0.113.10\r\ns=-\r\nt=0 0\r\nm=audio 20000 RTP/AVP 0\r\nc=IN IP4 203.0.113.10\r\n");
	sipt_payload_is(&t, sipt_msg, n, "sip \"sip\" expectfn: the media's c= names the NAT address");
	t.f.bad_fn = "sip";
	t.f.nlive = 0;
	t.cfg.opt[SIP_OPT_DIRECT_MEDIA] = 1;
	keep(sipt_req("INVITE", "2", "10.0.1.2:5060", "10.0.2.2", NULL, sdp(AF_INET, "10.0.1.2", "49170", NULL)));
	sipt_send(&t, &c, 0, in, inlen);
	tap_ok(sipt_live(&t, 49170) && !strcmp(sipt_live(&t, 49170)->fn, "nat-follow-master") &&
	       !strcmp(sip_expectfn, "nat-follow-master"),
	       "sip: the kernel refuses \"sip\": nat-follow-master from then on");
	sipt_free(&t);
}

static void replace(char *s, size_t *len, const char *from, const char *to)
{
	char *p;

	while ((p = memmem(s, *len, from, strlen(from)))) {
		memmove(p + strlen(to), p + strlen(from), *len - (size_t)(p - s) - strlen(from));
		memcpy(p, to, strlen(to));
		*len = *len - strlen(from) + strlen(to);
	}
}

/* The captured INVITE behind NAT: the SDP's three addresses and Content-Length rewritten, the
 * Via's other port remembered; its 200 only moved to that port. */
static void test_corpus(void)
{
	struct sipt t;
	struct qmsg_conn c;
	struct capture cap;

	sip_expectfn = "sip";
	sipt_init(&t, true);
	sipt_conn(&c, AF_INET, "192.168.1.2", 5555, "2.2.2.2", 5060, "1.1.1.1", 5555);
	if (!tap_ok(capture_load(&cap, "../corpus/sip/suricata-invite-200-sdp.txt") == 0 && cap.n == 2,
		    "sip NAT corpus: loads"))
		return sipt_free(&t);
	sipt_send(&t, &c, 0, cap.seg[0].data, cap.seg[0].len);
	memcpy(in, cap.seg[0].data, cap.seg[0].len);
	inlen = cap.seg[0].len;
	/* Its Content-Length (272) ends the SDP before m=: o= and the session c= are rewritten,
	 * what follows the body (the media's c=) is left as the receiver discards it. */
	replace(in, &inlen, "IN IP4 192.168.1.2\r\ns=", "IN IP4 1.1.1.1\r\ns=");
	replace(in, &inlen, "IN IP4 192.168.1.2\r\nb=", "IN IP4 1.1.1.1\r\nb=");
	replace(in, &inlen, "Content-Length: 272", "Content-Length: 264");
	sipt_payload_is(&t, in, inlen, "sip NAT corpus INVITE: o=, the session c= and Content-Length");
	tap_ok(t.f.nlive == 0, "sip NAT corpus INVITE: no media within the body, none expected");
	sipt_send(&t, &c, 1, cap.seg[1].data, cap.seg[1].len);
	sipt_payload_is(&t, (const char *)cap.seg[1].data, cap.seg[1].len, "sip NAT corpus 200: text unchanged");
	TAP_EQ_U(sipt_dport(&t), 5060, "sip NAT corpus 200: to the Via's port 5060");
	capture_free(&cap);
	sipt_free(&t);
}

void test_sip_nat(void)
{
	const char *saved = sip_expectfn;

	test_invite(AF_INET, "10.0.1.2", "10.0.2.2", "203.0.113.10", "sip");
	test_invite(AF_INET, "10.0.1.2", "10.0.2.2", "203.0.113.10", "nat-follow-master");
	test_invite(AF_INET6, "fd00:1::2", "fd00:2::2", "2001:db8:ffff::10", "sip");
	test_moved();
	test_register(AF_INET, "10.0.1.2", "10.0.2.2", "203.0.113.10");
	test_register(AF_INET6, "fd00:1::2", "fd00:2::2", "2001:db8:ffff::10");
	test_forced_dport();
	test_too_long();
	test_expectfn();
	test_corpus();
	sip_expectfn = saved;
}
