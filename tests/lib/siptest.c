// SPDX-License-Identifier: GPL-2.0-or-later
/* siptest: the SIP suites' shared harness (see siptest.h). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include "pkt.h"
#include "pkttest.h"
#include "siptest.h"
#include "tap.h"

#define K(c) [(c) - 'A']

/* A request from the phone ($A its host:port, $R the server); $H more headers, $B the body. */
static const char REQ[] =
	"$N sip:bob@$R SIP/2.0\r\n"
	"Via: SIP/2.0/UDP $A;branch=z9hG4bK1$V\r\n"
	"From: \"Alice 10.0.1.2\" <sip:alice@$A>;tag=1\r\n"
	"To: <sip:bob@$R>\r\n"
	"Call-ID: c1@10.0.1.2\r\n"
	"CSeq: $C $N\r\n"
	"$H$T$L\r\n"
	"\r\n$B";
/* A response ($Z status and reason) to a request of the phone's. */
static const char RSP[] =
	"SIP/2.0 $Z\r\n"
	"Via: SIP/2.0/UDP $A;branch=z9hG4bK1$V\r\n"
	"From: <sip:alice@$A>;tag=1\r\n"
	"To: <sip:bob@$R>;tag=2\r\n"
	"Call-ID: c1@10.0.1.2\r\n"
	"CSeq: $C $N\r\n"
	"$H$T$L\r\n"
	"\r\n$B";
/* An SDP body: $F IP4/IP6, $S the address, $P the audio port, $M more media. */
static const char SDP[] =
	"v=0\r\n"
	"o=alice 1 1 IN $F $S\r\n"
	"s=-\r\n"
	"c=IN $F $S\r\n"
	"t=0 0\r\n"
	"m=audio $P RTP/AVP 0\r\n"
	"$M";
static const char CT_SDP[] = "Content-Type: application/sdp\r\n";

static char sdp_body[4096];
char sipt_msg[65536];
const char *sipt_via_params;

const char *sipt_sdp(uint8_t l3, const char *addr, const char *port, const char *more)
{
	const char *v[26] = { K('F') = l3 == AF_INET ? "IP4" : "IP6", K('S') = addr, K('P') = port,
			      K('M') = more };

	sipt_fill(sdp_body, sizeof(sdp_body), SDP, v);
	return sdp_body;
}

/* The phone's host:port as a URI writes it. */
const char *sipt_hp(uint8_t l3, const char *addr, unsigned port)
{
	static char s[4][64];
	static unsigned i;
	char *o = s[i++ % 4];

	snprintf(o, 64, l3 == AF_INET ? "%s:%u" : "[%s]:%u", addr, port);
	return o;
}

size_t sipt_req(const char *method, const char *cseq, const char *a, const char *r, const char *hdrs,
		  const char *b)
{
	char rb[64];

	/* an IPv6 host in a URI is bracketed (RFC 3261 19.1.1) */
	if (strchr(r, ':') != strrchr(r, ':') && r[0] != '[') {
		snprintf(rb, sizeof(rb), "[%s]", r);
		r = rb;
	}
	const char *v[26] = { K('N') = method, K('C') = cseq, K('A') = a, K('R') = r, K('H') = hdrs,
			      K('V') = sipt_via_params,
			      K('T') = b ? CT_SDP : NULL, K('B') = b };

	return sipt_fill(sipt_msg, sizeof(sipt_msg), REQ, v);
}

size_t sipt_rsp(const char *status, const char *cseq, const char *method, const char *a, const char *r,
		  const char *hdrs, const char *b)
{
	char rb[64];

	/* an IPv6 host in a URI is bracketed (RFC 3261 19.1.1) */
	if (strchr(r, ':') != strrchr(r, ':') && r[0] != '[') {
		snprintf(rb, sizeof(rb), "[%s]", r);
		r = rb;
	}
	const char *v[26] = { K('Z') = status, K('N') = method, K('C') = cseq, K('A') = a, K('R') = r,
			      K('V') = sipt_via_params,
			      K('H') = hdrs, K('T') = b ? CT_SDP : NULL, K('B') = b };

	return sipt_fill(sipt_msg, sizeof(sipt_msg), RSP, v);
}


static uint32_t next_id = 7000;
static uint8_t pktbuf[PKT_MAX], msgbuf[PKT_MAX + 4096] __attribute__((aligned(4)));

void sipt_init(struct sipt *t, bool ops)
{
	memset(t, 0, sizeof(*t));
	helper_cfg_init(&t->cfg, &sip_proto);
	t->cfg.max_conns = 64;
	dispatch_init(&t->dp, &sip_proto, &t->cfg);
	if (ops) {
		t->dp.ops = &fakect_ops;
		t->dp.ops_arg = &t->f;
	}
}

void sipt_free(struct sipt *t)
{
	dispatch_free(&t->dp);
}

void sipt_conn(struct qmsg_conn *c, uint8_t l3, const char *client, uint16_t cport, const char *server,
	       uint16_t sport, const char *nat, uint16_t natport)
{
	qmsg_conn_init(c, l3, client, cport, server, sport, nat, next_id++);
	c->ct.tuple[0].l4 = c->ct.tuple[1].l4 = IPPROTO_UDP;
	strcpy(c->ct.helper, "sip");
	if (nat)
		c->ct.tuple[CT_DIR_REPLY].dport = natport;
}

size_t sipt_fill(char *out, size_t cap, const char *tmpl, const char *const val[26])
{
	static char tmp[PKT_MAX];
	size_t n = 0, hdr = 0, cl = 0;
	const char *body;

	for (const char *p = tmpl; *p && n + 1 < sizeof(tmp); p++) {
		if (p[0] == '$' && p[1] >= 'A' && p[1] <= 'Z') {
			const char *v = p[1] == 'L' ? "Content-Length: #####" : val[p[1] - 'A'];

			if (p[1] == 'L')
				cl = n + strlen("Content-Length: ");
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s", v ? v : "");
			p++;
			continue;
		}
		tmp[n++] = *p;
	}
	tmp[n < sizeof(tmp) ? n : sizeof(tmp) - 1] = 0;
	body = strstr(tmp, "\r\n\r\n");
	hdr = body ? (size_t)(body + 4 - tmp) : n;
	if (cl) {
		char d[8];
		size_t dl = (size_t)snprintf(d, sizeof(d), "%zu", n - hdr);

		/* the placeholder is five characters: shift the rest to fit the digits */
		memmove(tmp + cl + dl, tmp + cl + 5, n - cl - 5 + 1);
		memcpy(tmp + cl, d, dl);
		n = n - 5 + dl;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, tmp, n);
	out[n] = 0;
	return n;
}

bool sipt_send(struct sipt *t, struct qmsg_conn *c, int dir, const void *data, size_t len)
{
	uint32_t n = qmsg_udp(pktbuf, c, dir, data, (uint32_t)len);
	struct nlmsghdr *nlh;
	const struct nlmsghdr *out;

	if (!c->kernel.bound)
		kstore_bind(&c->kernel, &sip_proto);
	nlh = qmsg_packet(msgbuf, sizeof(msgbuf), c, dir, next_id++, pktbuf, n);
	out = nlh ? dispatch_packet(&t->dp, nlh, 1, &t->res) : NULL;
	if (out)
		pt_kernel_apply(c, out);
	t->got = out && qmsg_verdict_decode(out, &t->v) == 0 && t->v.id == next_id - 1;
	return t->got;
}

bool sipt_unchanged(const struct sipt *t, const char *desc)
{
	return tap_ok(t->got && t->v.verdict == NF_ACCEPT && !t->v.payload, "%s: passes unchanged", desc);
}

bool sipt_payload_is(const struct sipt *t, const char *want, size_t wlen, const char *desc)
{
	struct pkt p;

	if (!tap_ok(t->got && t->v.verdict == NF_ACCEPT && t->v.payload, "%s: rewritten", desc))
		return false;
	tap_ok(pkt_parse(t->v.payload, t->v.payload_len, &p) == 0 &&
	       pkt_l4_csum_ok(t->v.payload, t->v.payload_len), "%s: lengths and checksums valid", desc);
	return tap_bytes(t->v.payload + p.off, p.len, want, wlen, desc);
}

int sipt_dport(const struct sipt *t)
{
	struct pkt p;

	if (!t->v.payload || pkt_parse(t->v.payload, t->v.payload_len, &p))
		return -1;
	return t->v.payload[p.l4off + 2] << 8 | t->v.payload[p.l4off + 3];
}

bool sipt_exp_is(const struct ct_expect *e, uint8_t l3, uint8_t l4, const char *src, const char *dst,
		 uint16_t dport, uint32_t class, const char *desc)
{
	unsigned alen = l3 == AF_INET ? 4 : 16;
	uint8_t ones[16], zero[16];
	bool ok;

	memset(ones, 0xff, sizeof(ones));
	memset(zero, 0, sizeof(zero));
	if (!tap_ok(e != NULL, "%s: an expectation", desc))
		return false;
	ok = e->tuple.l3 == l3 && e->tuple.l4 == l4 && pt_addr_is(&e->tuple.dst, l3, dst) &&
	     e->tuple.dport == dport && e->class == class && e->mask.dport == 0xffff &&
	     e->mask.sport == 0 && !memcmp(e->mask.dst.all, ones, alen) &&
	     (src ? pt_addr_is(&e->tuple.src, l3, src) && !memcmp(e->mask.src.all, ones, alen)
		  : !memcmp(e->mask.src.all, zero, 16));
	return tap_ok(ok, "%s: %s %s -> %s port %u, class %u (got port %u class %u)", desc,
		      l4 == IPPROTO_UDP ? "udp" : "tcp", src ? src : "any", dst, dport, class,
		      e->tuple.dport, e->class);
}

const struct ct_expect *sipt_live(const struct sipt *t, uint16_t dport)
{
	for (unsigned i = 0; i < t->f.nlive; i++)
		if (t->f.live[i].tuple.dport == dport)
			return &t->f.live[i];
	return NULL;
}
