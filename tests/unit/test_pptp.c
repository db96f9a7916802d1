// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the PPTP helper end to end in userspace: queued packet -> dispatch -> verdict and
 * the nfh_pptp module's calls (fakect records them).  Outgoing and incoming calls, teardown,
 * NAT call-ID rewriting both ways, several calls on one connection, colliding call IDs of two
 * clients behind one NAT, one client's bound on NAT IDs, messages split across segments,
 * malformed streams, a capture. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "capture.h"
#include "fakect.h"
#include "kseqadj.h"
#include "pkttest.h"
#include "pptp.h"
#include "tap.h"

static struct helper_cfg cfg = {
	.name = "pptp", .queue = 1723, .policy = { { "gre", 16, 300 } }, .max_conns = 64,
};

/* A control message of RFC 2637's size for type, with its call-ID fields and result set
 * (-1: left zero).  Returns its length. */
static uint32_t msg(uint8_t *b, unsigned type, int call_id, int peer, int result)
{
	unsigned len = pptp_msg_size(type), cid = 0, pid = 0, rs = 0;

	memset(b, 0, len);
	b[0] = (uint8_t)(len >> 8), b[1] = (uint8_t)len, b[3] = 1;
	b[4] = 0x1a, b[5] = 0x2b, b[6] = 0x3c, b[7] = 0x4d;
	b[9] = (uint8_t)type;
	switch (type) {
	case PPTP_SCCRQ: case PPTP_SCCRP:
		b[12] = 1;	/* protocol version 1.0 */
		rs = type == PPTP_SCCRP ? 14 : 0;
		break;
	case PPTP_OCRQ: case PPTP_ICRQ: case PPTP_CCRQ: case PPTP_CDN:
		cid = 12;
		break;
	case PPTP_OCRP: case PPTP_ICRP:
		cid = 12, pid = 14, rs = 16;
		break;
	case PPTP_ICCN: case PPTP_WEN: case PPTP_SLI:
		pid = 12;
		break;
	}
	if (cid && call_id >= 0)
		b[cid] = (uint8_t)(call_id >> 8), b[cid + 1] = (uint8_t)call_id;
	if (pid && peer >= 0)
		b[pid] = (uint8_t)(peer >> 8), b[pid + 1] = (uint8_t)peer;
	if (rs && result >= 0)
		b[rs] = (uint8_t)result;
	return len;
}

struct t {
	struct dispatch dp;
	struct fakect fake;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint8_t b[PPTP_MSG_MAX * 4];
};

/* The conntrack ends (its NAT call IDs go back to the process), then the dispatcher. */
static void t_free(struct t *t)
{
	dispatch_conn_end(&t->dp, t->c.ct.id, &t->c.ct.tuple[CT_DIR_ORIGINAL]);
	dispatch_free(&t->dp);
}

static void t_init(struct t *t, const char *client, uint16_t sport, bool nat, uint32_t id)
{
	memset(&t->fake, 0, sizeof(t->fake));
	dispatch_init(&t->dp, &pptp_proto, &cfg);
	t->dp.ops = &fakect_ops;
	t->dp.ops_arg = &t->fake;
	t->dp.backend = fakect_kmod(&t->fake);
	qmsg_conn_init(&t->c, AF_INET, client, sport, "10.0.2.2", 1723, nat ? "10.0.2.1" : NULL, id);
	pt_handshake(&t->dp, &t->c);
}

/* Send one message (dir 0: the client, the PNS) as one segment. */
static bool send_msg(struct t *t, int dir, unsigned type, int call_id, int peer, int result)
{
	uint32_t n = msg(t->b, type, call_id, peer, result);

	return pt_send_bin(&t->dp, &t->c, dir, 0, t->b, n, NULL, &t->v);
}

static void session(struct t *t)
{
	send_msg(t, 0, PPTP_SCCRQ, -1, -1, -1);
	send_msg(t, 1, PPTP_SCCRP, -1, -1, 1);
}

/* The two bytes at off of the verdict's rewritten payload, or -1 when it is not rewritten. */
static int field(const struct qmsg_verdict *v, unsigned off)
{
	struct pkt p;

	if (!v->payload || pkt_parse(v->payload, v->payload_len, &p) || p.len < off + 2 ||
	    !pkt_l4_csum_ok(v->payload, v->payload_len))
		return -1;
	return v->payload[p.off + off] << 8 | v->payload[p.off + off + 1];
}

static bool kcall_is(const struct fakect *f, unsigned i, int add, int orig, int nat, int reply)
{
	const struct fakect_kcall *k = &f->kcall[i];

	if (i >= f->nkcall)
		return false;
	if (orig < 0)
		return k->add == add && k->all;
	return k->add == add && !k->all && k->call.orig_id == orig && k->call.orig_id_nat == nat &&
	       k->call.reply_id == reply;
}

static void test_outgoing(void)
{
	struct t t;

	t_init(&t, "10.0.1.2", 40000, false, 301);
	session(&t);
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	tap_ok(t.v.verdict == 1 && !t.v.payload && !t.v.has_exp, "pptp: Outgoing-Call-Request passes as is");
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 1 && kcall_is(&t.fake, 0, 1, 0x1111, 0x1111, 0x2222) &&
	       t.fake.kcall[0].master_id == 301, "pptp: a connected call goes to the module (ids 1111/1111/2222)");
	tap_ok(!t.v.payload && !t.v.has_exp, "pptp: no rewrite, no expectation in the verdict (the module makes them)");
	send_msg(&t, 0, PPTP_SLI, -1, 0x2222, -1);
	send_msg(&t, 0, PPTP_CCRQ, 0x1111, -1, -1);
	tap_ok(t.fake.nkcall == 1, "pptp: Call-Clear-Request alone does not end the call (as the kernel)");
	send_msg(&t, 1, PPTP_CDN, 0x2222, -1, -1);
	tap_ok(t.fake.nkcall == 2 && kcall_is(&t.fake, 1, 0, 0x1111, 0x1111, 0x2222),
	       "pptp: Call-Disconnect-Notify removes the call from the module");

	t_free(&t);
	t_init(&t, "10.0.1.2", 40001, false, 302);
	session(&t);
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 3);	/* 3: busy */
	tap_ok(t.fake.nkcall == 0, "pptp: a call the PAC refuses opens nothing");

	t_free(&t);
	t_init(&t, "10.0.1.2", 40002, false, 303);
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 0, "pptp: no call before the control connection is started (as the kernel)");

	t_free(&t);
	t_init(&t, "10.0.1.2", 40003, false, 304);
	send_msg(&t, 0, PPTP_SCCRQ, -1, -1, -1);
	send_msg(&t, 1, PPTP_SCCRP, -1, -1, 2);	/* 2: general error */
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 0, "pptp: no call in a session the PAC refused (as the kernel)");
	t_free(&t);
}

static void test_incoming(void)
{
	struct t t;

	t_init(&t, "10.0.1.2", 40010, true, 311);
	session(&t);
	send_msg(&t, 1, PPTP_ICRQ, 0x4444, -1, -1);
	send_msg(&t, 0, PPTP_ICRP, 0x5555, 0x4444, 1);
	send_msg(&t, 1, PPTP_ICCN, -1, 0x5555, -1);
	tap_ok(t.fake.nkcall == 1 && kcall_is(&t.fake, 0, 1, 0x5555, 0x5555, 0x4444),
	       "pptp: an incoming call goes to the module when connected (Incoming-Call-Connected)");
	send_msg(&t, 0, PPTP_STOPCCRQ, -1, -1, -1);
	send_msg(&t, 1, PPTP_STOPCCRP, -1, -1, -1);
	tap_ok(t.fake.nkcall == 2 && kcall_is(&t.fake, 1, 0, -1, -1, -1),
	       "pptp: Stop-Control-Connection-Reply removes every call of the connection");
	t_free(&t);
}

/* Two clients behind one NAT, to one PAC, both with call ID 0x1111. */
static void test_nat_collision(void)
{
	struct t a, b;

	t_init(&a, "10.0.1.2", 40020, true, 321);
	t_init(&b, "10.0.1.3", 40021, true, 322);
	session(&a);
	session(&b);
	send_msg(&a, 0, PPTP_OCRQ, 0x1111, -1, -1);
	tap_ok(!a.v.payload, "pptp nat: the first client keeps its call ID (free)");
	send_msg(&b, 0, PPTP_OCRQ, 0x1111, -1, -1);
	TAP_EQ_U(field(&b.v, 12), 0x1112, "pptp nat: the second client's colliding call ID is moved");
	send_msg(&b, 1, PPTP_OCRP, 0x3333, 0x1112, 1);
	TAP_EQ_U(field(&b.v, 14), 0x1111, "pptp nat: the reply's peer call ID goes back to the real one");
	tap_ok(kcall_is(&b.fake, 0, 1, 0x1111, 0x1112, 0x3333), "pptp nat: the module gets real and NAT ID");
	send_msg(&b, 0, PPTP_CCRQ, 0x1111, -1, -1);
	TAP_EQ_U(field(&b.v, 12), 0x1112, "pptp nat: Call-Clear-Request carries the NAT ID");
	send_msg(&b, 1, PPTP_WEN, -1, 0x1112, -1);
	TAP_EQ_U(field(&b.v, 12), 0x1111, "pptp nat: WAN-Error-Notify's peer call ID back to the real one");
	send_msg(&a, 1, PPTP_OCRP, 0x3334, 0x1111, 1);
	tap_ok(!a.v.payload && kcall_is(&a.fake, 0, 1, 0x1111, 0x1111, 0x3334),
	       "pptp nat: the first client's call as it was");
	send_msg(&b, 1, PPTP_CDN, 0x3333, -1, -1);
	/* b's NAT ID is free again: a third call of a's gets it when its own is taken. */
	send_msg(&a, 0, PPTP_OCRQ, 0x1111, -1, -1);
	TAP_EQ_U(field(&a.v, 12), 0x1112, "pptp nat: a freed NAT ID is given again");
	send_msg(&a, 1, PPTP_OCRP, 0x3335, 0x1112, 1);
	tap_ok(kcall_is(&a.fake, 1, 1, 0x1111, 0x1112, 0x3335), "pptp nat: two calls with one real ID, apart by NAT");
	t_free(&a);
	t_free(&b);
}

static void test_two_calls(void)
{
	struct t t;

	t_init(&t, "10.0.1.2", 40030, false, 331);
	session(&t);
	send_msg(&t, 0, PPTP_OCRQ, 0x0101, -1, -1);
	send_msg(&t, 0, PPTP_OCRQ, 0x0102, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x0202, 0x0102, 1);
	send_msg(&t, 1, PPTP_OCRP, 0x0201, 0x0101, 1);
	tap_ok(t.fake.nkcall == 2 && kcall_is(&t.fake, 0, 1, 0x0102, 0x0102, 0x0202) &&
	       kcall_is(&t.fake, 1, 1, 0x0101, 0x0101, 0x0201),
	       "pptp: two calls on one control connection, answered out of order");
	send_msg(&t, 1, PPTP_CDN, 0x0201, -1, -1);
	tap_ok(t.fake.nkcall == 3 && kcall_is(&t.fake, 2, 0, 0x0101, 0x0101, 0x0201),
	       "pptp: one call ends, the other stays");
	t_free(&t);
}

/* One segment with two messages, then a message cut into two segments under NAT (the stream
 * layer holds its call-ID field back until the message is whole). */
static void test_segments(void)
{
	struct t t;
	uint32_t n;

	t_init(&t, "10.0.1.2", 40040, true, 341);
	n = msg(t.b, PPTP_SCCRQ, -1, -1, -1);
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	n = msg(t.b, PPTP_SCCRP, -1, -1, 1);
	n += msg(t.b + n, PPTP_ICRQ, 0x4444, -1, -1);
	pt_send_bin(&t.dp, &t.c, 1, 0, t.b, n, NULL, &t.v);
	n = msg(t.b, PPTP_ICRP, 0x5555, 0x4444, 1);
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	n = msg(t.b, PPTP_ICCN, -1, 0x5555, -1);
	pt_send_bin(&t.dp, &t.c, 1, 0, t.b, 13, NULL, &t.v);
	tap_ok(t.v.verdict == 1, "pptp: a message's first 13 bytes pass (the call ID is held)");
	pt_send_bin(&t.dp, &t.c, 1, 0, t.b + 13, n - 13, NULL, &t.v);
	tap_ok(t.v.verdict == 1 && t.fake.nkcall == 1 && kcall_is(&t.fake, 0, 1, 0x5555, 0x5555, 0x4444),
	       "pptp: a message over two segments, after a segment with two messages");
	t_free(&t);
}

static void test_malformed(void)
{
	struct t t;
	uint32_t n;

	t_init(&t, "10.0.1.2", 40050, true, 351);
	session(&t);
	n = msg(t.b, PPTP_OCRQ, 0x1111, -1, -1);
	t.b[4] = 0;	/* bad magic cookie */
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	tap_ok(t.v.verdict == 1 && !t.v.payload, "pptp: a bad magic cookie passes unchanged");
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.v.verdict == 1 && t.fake.nkcall == 0, "pptp: after a malformed message that direction is not read");

	t_free(&t);
	t_init(&t, "10.0.1.2", 40051, true, 352);
	session(&t);
	n = msg(t.b, PPTP_OCRQ, 0x1111, -1, -1);
	t.b[1] = 100;	/* a length of no message */
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	tap_ok(t.v.verdict == 1 && !t.v.payload, "pptp: a bad length passes unchanged");
	t_free(&t);
}

/* The bytes a verdict lets leave: its rewrite, or the segment as sent (none if dropped). */
static uint32_t leaves(const struct qmsg_verdict *v, const uint8_t *sent, uint32_t len, uint8_t *out)
{
	struct pkt p;

	if (v->verdict != 1)
		return 0;
	if (!v->payload) {
		memcpy(out, sent, len);
		return len;
	}
	if (pkt_parse(v->payload, v->payload_len, &p) || !pkt_l4_csum_ok(v->payload, v->payload_len))
		return 0;
	memcpy(out, v->payload + p.off, p.len);
	return p.len;
}

/* An outgoing call under NAT whose call ID another client behind the same address already
 * holds, both streams cut into two segments at every byte: whatever the cut, the bytes that
 * leave are the same NAT'd streams, and the call reaches the module once with the same IDs.
 * (The stream layer holds a cut call-ID field back until its message is whole.) */
static void test_split_nat(void)
{
	uint8_t s[2][256], want[2][256], got[256];
	uint32_t n[2] = { 0, 0 };
	unsigned bad_bytes = 0, bad_calls = 0, cuts = 0;
	struct t hold, t;

	n[0] += msg(s[0] + n[0], PPTP_ECHORQ, -1, -1, -1);
	n[0] += msg(s[0] + n[0], PPTP_OCRQ, 5, -1, -1);
	n[0] += msg(s[0] + n[0], PPTP_SLI, -1, 99, -1);
	n[1] += msg(s[1] + n[1], PPTP_OCRP, 99, 6, 1);
	n[1] += msg(s[1] + n[1], PPTP_WEN, -1, 6, -1);
	memcpy(want, s, sizeof(want));
	want[0][16 + 13] = 6;	/* Outgoing-Call-Request's call ID, moved off the taken 5 */
	want[1][15] = 5;	/* Outgoing-Call-Reply's peer call ID, back to the real one */
	want[1][32 + 13] = 5;	/* WAN-Error-Notify's peer call ID, the same */
	t_init(&hold, "10.0.1.3", 40060, true, 360);
	session(&hold);
	send_msg(&hold, 0, PPTP_OCRQ, 5, -1, -1);
	for (uint32_t k = 1; k < n[0]; k++, cuts++) {
		t_init(&t, "10.0.1.2", 40061, true, 1000 + k);
		session(&t);
		for (int dir = 0; dir < 2; dir++) {
			uint32_t cut = k < n[dir] ? k : n[dir] - 1, glen;

			pt_send_bin(&t.dp, &t.c, dir, 0, s[dir], cut, NULL, &t.v);
			glen = leaves(&t.v, s[dir], cut, got);
			pt_send_bin(&t.dp, &t.c, dir, 0, s[dir] + cut, n[dir] - cut, NULL, &t.v);
			glen += leaves(&t.v, s[dir] + cut, n[dir] - cut, got + glen);
			if ((glen != n[dir] || memcmp(got, want[dir], n[dir])) && !bad_bytes++)
				tap_diag("first wrong bytes: direction %d cut at %u", dir, cut);
		}
		if ((t.fake.nkcall != 1 || !kcall_is(&t.fake, 0, 1, 5, 6, 99)) && !bad_calls++)
			tap_diag("first wrong call: cut at %u, %u module calls", k, t.fake.nkcall);
		t_free(&t);
	}
	t_free(&hold);
	tap_ok(cuts == n[0] - 1 && !bad_bytes, "pptp split nat: the NAT'd streams leave the same at every cut "
	       "(%u cuts, %u wrong)", cuts, bad_bytes);
	tap_ok(!bad_calls, "pptp split nat: the call reaches the module once as 5 (NAT 6) / 99 at every cut "
	       "(%u wrong)", bad_calls);
}

/* Every message type, from either side, cut into two segments at every byte, then a call:
 * each passes unchanged and the stream stays framed (the call behind it connects), except
 * after a Start-Control-Connection-Request of the PNS or a Stop-Control-Connection message
 * of either side, which leave the session unconfirmed, so that the call opens nothing, as
 * with the kernel (which ignores a PAC's Start-Control-Connection-Request).  A truncated message (its Length says more
 * than comes before the next header) takes the call behind it for its rest. */
static void test_types_split(void)
{
	unsigned bad = 0, total = 0;
	uint8_t b[PPTP_MSG_MAX];
	uint32_t n;
	struct t t;

	for (unsigned type = 1; type <= PPTP_TYPE_MAX; type++) {
		for (int dir = 0; dir < 2; dir++) {
			n = msg(b, type, 3, 4, 1);
			for (uint32_t k = 1; k < n; k++, total++) {
				struct qmsg_verdict v1, v2;
				bool ok;

				t_init(&t, "10.0.1.2", 40070, false, 2000 + k);
				session(&t);
				pt_send_bin(&t.dp, &t.c, dir, 0, b, k, NULL, &v1);
				pt_send_bin(&t.dp, &t.c, dir, 0, b + k, n - k, NULL, &v2);
				send_msg(&t, 0, PPTP_OCRQ, 100, -1, -1);
				send_msg(&t, 1, PPTP_OCRP, 200, 100, 1);
				ok = v1.verdict == 1 && v2.verdict == 1 && !v1.payload && !v2.payload;
				if ((type == PPTP_SCCRQ && dir == 0) || type == PPTP_STOPCCRQ ||
				    type == PPTP_STOPCCRP)
					ok = ok && t.fake.nkcall == 0;
				else
					ok = ok && t.fake.nkcall &&
					     kcall_is(&t.fake, t.fake.nkcall - 1, 1, 100, 100, 200);
				if (!ok && !bad++)
					tap_diag("first wrong: type %u from side %d cut at %u: %u module calls",
						 type, dir, k, t.fake.nkcall);
				t_free(&t);
			}
		}
	}
	tap_ok(!bad, "pptp: every message type from either side, cut at every byte, passes unchanged and "
	       "keeps the framing (%u cases, %u wrong)", total, bad);

	t_init(&t, "10.0.1.2", 40071, false, 2999);
	session(&t);
	n = msg(b, PPTP_OCRQ, 9, -1, -1);
	pt_send_bin(&t.dp, &t.c, 0, 0, b, n / 2, NULL, &t.v);	/* truncated */
	send_msg(&t, 0, PPTP_OCRQ, 100, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 200, 100, 1);
	tap_ok(t.v.verdict == 1 && t.fake.nkcall == 0,
	       "pptp: a truncated message: the call behind it is read as its rest and opens nothing");
	t_free(&t);
}

/* Send one message on connection c of t's dispatcher (dir 0: the client), as one segment. */
static void conn_msg(struct t *t, struct qmsg_conn *c, int dir, unsigned type, int call_id, int peer, int result)
{
	uint32_t n = msg(t->b, type, call_id, peer, result);

	pt_send_bin(&t->dp, c, dir, 0, t->b, n, NULL, &t->v);
}

static void conn_start(struct t *t, struct qmsg_conn *c, const char *client, uint32_t id)
{
	qmsg_conn_init(c, AF_INET, client, (uint16_t)(30000 + id % 1000), "10.0.2.2", 1723, "10.0.2.1", id);
	pt_handshake(&t->dp, c);
	conn_msg(t, c, 0, PPTP_SCCRQ, -1, -1, -1);
	conn_msg(t, c, 1, PPTP_SCCRP, -1, -1, 1);
}

#define BOUND_CONNS (256 / PPTP_CALLS)	/* NAT_IDS_PER_CLIENT in full sessions */

/* One client (10.0.1.2) holds at most 256 NAT call IDs: past them its calls keep their own
 * IDs (not moved, not held, still tracked), while another client still gets NAT IDs; all go
 * back when the conntracks end. */
static void test_nat_bound(void)
{
	static struct qmsg_conn a[BOUND_CONNS + 2], b;
	unsigned base = pptp_nat_ids_held();
	struct t t;

	t_init(&t, "10.0.1.2", 41000, true, 400);
	for (unsigned i = 0; i < BOUND_CONNS; i++) {
		conn_start(&t, &a[i], "10.0.1.2", 401 + i);
		for (unsigned j = 0; j < PPTP_CALLS; j++)
			conn_msg(&t, &a[i], 0, PPTP_OCRQ, (int)(0x2000 + i * PPTP_CALLS + j), -1, -1);
	}
	TAP_EQ_U(pptp_nat_ids_held() - base, 256, "pptp nat bound: one client's 256 calls hold 256 NAT IDs");
	conn_start(&t, &a[BOUND_CONNS], "10.0.1.2", 401 + BOUND_CONNS);
	conn_msg(&t, &a[BOUND_CONNS], 0, PPTP_OCRQ, 0x20ff, -1, -1);
	tap_ok(field(&t.v, 12) == -1 && pptp_nat_ids_held() - base == 256,
	       "pptp nat bound: its 257th call keeps its colliding ID (0x2100 is free): not moved, no NAT ID held "
	       "(field %d, %u held)", field(&t.v, 12), pptp_nat_ids_held() - base);
	conn_msg(&t, &a[BOUND_CONNS], 1, PPTP_OCRP, 0x7000, 0x20ff, 1);
	tap_ok(kcall_is(&t.fake, 0, 1, 0x20ff, 0x20ff, 0x7000) && !t.fake.kmod_wrong,
	       "pptp nat bound: and is tracked with it, as when no NAT ID is free");
	conn_start(&t, &b, "10.0.1.3", 450);
	conn_msg(&t, &b, 0, PPTP_OCRQ, 0x20ff, -1, -1);
	TAP_EQ_U(field(&t.v, 12), 0x2100, "pptp nat bound: another client's colliding call ID is still moved");
	TAP_EQ_U(pptp_nat_ids_held() - base, 257, "pptp nat bound: and holds its NAT ID");
	for (unsigned i = 0; i <= BOUND_CONNS; i++) {
		dispatch_conn_end(&t.dp, a[i].ct.id, &a[i].ct.tuple[CT_DIR_ORIGINAL]);
		fakect_master_gone(&t.fake, a[i].ct.id);
	}
	dispatch_conn_end(&t.dp, b.ct.id, &b.ct.tuple[CT_DIR_ORIGINAL]);
	TAP_EQ_U(pptp_nat_ids_held(), base, "pptp nat bound: every NAT ID given back when the conntracks end");
	conn_start(&t, &a[BOUND_CONNS + 1], "10.0.1.2", 460);
	conn_msg(&t, &a[BOUND_CONNS + 1], 0, PPTP_OCRQ, 0x2000, -1, -1);
	TAP_EQ_U(pptp_nat_ids_held() - base, 1, "pptp nat bound: and the client may hold NAT IDs again");
	dispatch_conn_end(&t.dp, a[BOUND_CONNS + 1].ct.id, &a[BOUND_CONNS + 1].ct.tuple[CT_DIR_ORIGINAL]);
	tap_ok(!t.fake.kmod_wrong, "pptp nat bound: the module never got a call twice nor one unadded");
	t_free(&t);
}

/* tcpdump's pptp.pcap: Windows NT's PNS, one outgoing call (both IDs 0), no NAT. */
static void test_capture(void)
{
	struct capture cap;
	struct t t;
	unsigned passed = 0, segs = 0;

	if (capture_load(&cap, "../corpus/pptp/tcpdump-pptp.txt"))
		return;
	t_init(&t, "10.1.1.11", 3025, false, 361);
	for (size_t i = 0; i < cap.n; i++) {
		const struct capture_seg *s = &cap.seg[i];

		if (s->proto != CAPTURE_TCP || s->retrans)
			continue;
		segs++;
		if (pt_send_bin(&t.dp, &t.c, s->to_server ? 0 : 1, 0, s->data, (uint32_t)s->len, NULL, &t.v) &&
		    t.v.verdict == 1 && !t.v.payload)
			passed++;
	}
	TAP_EQ_U(passed, segs, "pptp capture: every control segment passes unchanged");
	tap_ok(t.fake.nkcall >= 1 && kcall_is(&t.fake, 0, 1, 0, 0, 0), "pptp capture: its call (IDs 0 and 0) goes to the module");
	capture_free(&cap);
	t_free(&t);
}

/* The PNS's view of the PAC's stream through the router: nfhelper's verdicts, then the kernel's
 * sequence adjustment (kseqadj), then reassembly by wire sequence number. */
struct lossy {
	struct t t;
	struct kseqadj adj;
	uint32_t base;          /* sequence number of message byte 0, on both sides */
	uint32_t una;           /* the sender's acknowledged offset */
	uint8_t rcv[64], have[64];
	uint32_t rcv_nxt;
	bool bad;               /* a copy landed outside the message or disagreed with another */
};

static void lossy_deliver(struct lossy *l, uint32_t wire, const uint8_t *d, uint32_t n)
{
	uint32_t pos = wire - l->base, ack;

	if (pos > sizeof(l->rcv) || n > sizeof(l->rcv) - pos) {
		l->bad = true;
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (l->have[pos + i] && l->rcv[pos + i] != d[i])
			l->bad = true;
		l->rcv[pos + i] = d[i];
		l->have[pos + i] = 1;
	}
	while (l->rcv_nxt < sizeof(l->rcv) && l->have[l->rcv_nxt])
		l->rcv_nxt++;
	ack = kseqadj_ack(&l->adj, l->base + l->rcv_nxt) - l->base;
	if ((int32_t)ack > (int32_t)l->una)
		l->una = ack;
}

/* Message bytes [a, b) from the PAC at base + a through nfhelper and the kernel; lost: the
 * router passed it but the PNS never got it.  False when nfhelper dropped it. */
static bool lossy_send(struct lossy *l, const uint8_t *m, uint32_t a, uint32_t b, bool lost)
{
	uint32_t seq = l->base + a, n = b - a;
	const uint8_t *d = m + a;
	struct pkt p;

	if (!pt_send_bin(&l->t.dp, &l->t.c, 1, 0, d, n, &seq, &l->t.v) || l->t.v.verdict != 1)
		return false;
	if (l->t.v.payload) {
		if (pkt_parse(l->t.v.payload, l->t.v.payload_len, &p) ||
		    !pkt_l4_csum_ok(l->t.v.payload, l->t.v.payload_len)) {
			l->bad = true;
			return true;
		}
		seq = p.seq;
		d = l->t.v.payload + p.off;
		kseqadj_set(&l->adj, seq, (int32_t)p.len - (int32_t)n);
		n = p.len;
	}
	if (!lost)
		lossy_deliver(l, kseqadj_seq(&l->adj, seq), d, n);
	return true;
}

/* An Outgoing-Call-Reply under NAT in segments cut at cut[0..ncut), the one numbered lose lost
 * after the router; a segment nfhelper drops is sent again once; then the sender retransmits
 * from the lost segment on in one segment, then from what the kernel maps the PNS's
 * acknowledgements to, until all is acknowledged.  True when the PNS got the message byte for
 * byte (its call IDs need no rewrite: the PNS's ID is its own). */
static bool lossy_run(const uint32_t *cut, unsigned ncut, unsigned lose)
{
	static struct lossy l;
	uint8_t m[64];
	uint32_t n, a = 0, again = 0;
	bool ok;

	memset(&l, 0, sizeof(l));
	t_init(&l.t, "10.0.1.2", 40070, true, 77);
	session(&l.t);
	send_msg(&l.t, 0, PPTP_OCRQ, 0x101, -1, -1);
	n = msg(m, PPTP_OCRP, 0x201, 0x101, 1);
	l.base = l.t.c.seq[1];
	for (unsigned i = 0; i <= ncut; i++) {
		uint32_t b = i < ncut ? cut[i] : n;

		if (!lossy_send(&l, m, a, b, i == lose))
			lossy_send(&l, m, a, b, i == lose);
		again = i == lose ? a : again;
		a = b;
	}
	/* The sender's queue from the lost segment on, as one segment (Linux collapses), as
	 * in the VM. */
	lossy_send(&l, m, again, n, false);
	for (unsigned i = 0; i < 8 && l.una < n; i++)
		lossy_send(&l, m, l.una, n, false);
	ok = !l.bad && l.rcv_nxt == n && !memcmp(l.rcv, m, n);
	t_free(&l.t);
	return ok;
}

/* The VM's pptp/split-nat: byte 12 (the PAC's call ID) held back from the second segment,
 * which the PNS loses; the third segment carries it (a correction of -1, then one of +1
 * behind it); the retransmission from byte 2 must land where its first copy did, not where
 * the kernel's newer correction would put it. */
static void test_split_lossy_nat(void)
{
	static const uint32_t vm[] = { 2, 13, 15 };
	uint32_t cut[2], bad = 0, first = 0;

	tap_ok(lossy_run(vm, 3, 1), "pptp: split Outgoing-Call-Reply, the held segment lost after NAT: "
	       "the retransmission lands where its first copy did");
	for (cut[0] = 1; cut[0] < 32; cut[0]++) {
		for (cut[1] = cut[0] + 1; cut[1] < 32; cut[1]++) {
			for (unsigned lose = 0; lose < 3; lose++) {
				if (!lossy_run(cut, 2, lose) && !bad++)
					first = cut[0] << 16 | cut[1] << 8 | lose;
			}
		}
	}
	tap_ok(!bad, "pptp: Outgoing-Call-Reply cut at every pair of offsets, each segment lost "
	       "after NAT in turn: the PNS gets it whole (%u failed, first [%u,%u) lost #%u)",
	       bad, first >> 16, (first >> 8) & 0xff, first & 0xff);
}

/* The module is PPTP's registration backend, and its calls reach it through the dispatch's
 * backend link alone: with or without ctnetlink (the generic ops), never without a link. */
static void test_backend(void)
{
	struct t t;

	tap_ok(pptp_proto.backend == &kmod_backend, "pptp: registered through the nfh_pptp module's backend");
	t_init(&t, "10.0.1.2", 40030, false, 331);
	t.dp.ops = NULL;
	session(&t);
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 1 && kcall_is(&t.fake, 0, 1, 0x1111, 0x1111, 0x2222),
	       "pptp: without ctnetlink a connected call still reaches the module (backend link)");
	t_free(&t);
	t_init(&t, "10.0.1.2", 40031, false, 332);
	t.dp.backend = NULL;
	session(&t);
	send_msg(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	send_msg(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 0 && t.v.verdict == 1,
	       "pptp: with ctnetlink but no backend link no module call is made; the packet passes");
	t_free(&t);
}

void test_pptp(void);
void test_pptp(void)
{
	test_backend();
	test_outgoing();
	test_incoming();
	test_nat_collision();
	test_nat_bound();
	test_two_calls();
	test_segments();
	test_malformed();
	test_split_nat();
	test_types_split();
	test_capture();
	test_split_lossy_nat();
}

