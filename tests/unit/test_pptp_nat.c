// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the PPTP helper under NAT, end to end in userspace (set-up: tests/lib/pptptest.c):
 * call-ID rewriting both ways, colliding call IDs of two clients behind one NAT, one client's
 * bound on NAT IDs, a NATed call cut at every byte, and a split message whose segments are
 * lost after the router (the kernel's sequence adjustment modelled by kseqadj). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "kseqadj.h"
#include "pkttest.h"
#include "pptptest.h"
#include "tap.h"

/* Two clients behind one NAT, to one PAC, both with call ID 0x1111. */
static void test_nat_collision(void)
{
	struct ppt a, b;

	ppt_init(&a, "10.0.1.2", 40020, true, 321);
	ppt_init(&b, "10.0.1.3", 40021, true, 322);
	ppt_session(&a);
	ppt_session(&b);
	ppt_send(&a, 0, PPTP_OCRQ, 0x1111, -1, -1);
	tap_ok(!a.v.payload, "pptp nat: the first client keeps its call ID (free)");
	ppt_send(&b, 0, PPTP_OCRQ, 0x1111, -1, -1);
	TAP_EQ_U(ppt_field(&b.v, 12), 0x1112, "pptp nat: the second client's colliding call ID is moved");
	ppt_send(&b, 1, PPTP_OCRP, 0x3333, 0x1112, 1);
	TAP_EQ_U(ppt_field(&b.v, 14), 0x1111, "pptp nat: the reply's peer call ID goes back to the real one");
	tap_ok(ppt_kcall_is(&b.fake, 0, 1, 0x1111, 0x1112, 0x3333), "pptp nat: the module gets real and NAT ID");
	ppt_send(&b, 0, PPTP_CCRQ, 0x1111, -1, -1);
	TAP_EQ_U(ppt_field(&b.v, 12), 0x1112, "pptp nat: Call-Clear-Request carries the NAT ID");
	ppt_send(&b, 1, PPTP_WEN, -1, 0x1112, -1);
	TAP_EQ_U(ppt_field(&b.v, 12), 0x1111, "pptp nat: WAN-Error-Notify's peer call ID back to the real one");
	ppt_send(&a, 1, PPTP_OCRP, 0x3334, 0x1111, 1);
	tap_ok(!a.v.payload && ppt_kcall_is(&a.fake, 0, 1, 0x1111, 0x1111, 0x3334),
	       "pptp nat: the first client's call as it was");
	ppt_send(&b, 1, PPTP_CDN, 0x3333, -1, -1);
	/* b's NAT ID is free again: a third call of a's gets it when its own is taken. */
	ppt_send(&a, 0, PPTP_OCRQ, 0x1111, -1, -1);
	TAP_EQ_U(ppt_field(&a.v, 12), 0x1112, "pptp nat: a freed NAT ID is given again");
	ppt_send(&a, 1, PPTP_OCRP, 0x3335, 0x1112, 1);
	tap_ok(ppt_kcall_is(&a.fake, 1, 1, 0x1111, 0x1112, 0x3335), "pptp nat: two calls with one real ID, apart by NAT");
	ppt_free(&a);
	ppt_free(&b);
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
	struct ppt hold, t;

	n[0] += ppt_msg(s[0] + n[0], PPTP_ECHORQ, -1, -1, -1);
	n[0] += ppt_msg(s[0] + n[0], PPTP_OCRQ, 5, -1, -1);
	n[0] += ppt_msg(s[0] + n[0], PPTP_SLI, -1, 99, -1);
	n[1] += ppt_msg(s[1] + n[1], PPTP_OCRP, 99, 6, 1);
	n[1] += ppt_msg(s[1] + n[1], PPTP_WEN, -1, 6, -1);
	memcpy(want, s, sizeof(want));
	want[0][16 + 13] = 6;	/* Outgoing-Call-Request's call ID, moved off the taken 5 */
	want[1][15] = 5;	/* Outgoing-Call-Reply's peer call ID, back to the real one */
	want[1][32 + 13] = 5;	/* WAN-Error-Notify's peer call ID, the same */
	ppt_init(&hold, "10.0.1.3", 40060, true, 360);
	ppt_session(&hold);
	ppt_send(&hold, 0, PPTP_OCRQ, 5, -1, -1);
	for (uint32_t k = 1; k < n[0]; k++, cuts++) {
		ppt_init(&t, "10.0.1.2", 40061, true, 1000 + k);
		ppt_session(&t);
		for (int dir = 0; dir < 2; dir++) {
			uint32_t cut = k < n[dir] ? k : n[dir] - 1, glen;

			pt_send_bin(&t.dp, &t.c, dir, 0, s[dir], cut, NULL, &t.v);
			glen = leaves(&t.v, s[dir], cut, got);
			pt_send_bin(&t.dp, &t.c, dir, 0, s[dir] + cut, n[dir] - cut, NULL, &t.v);
			glen += leaves(&t.v, s[dir] + cut, n[dir] - cut, got + glen);
			if ((glen != n[dir] || memcmp(got, want[dir], n[dir])) && !bad_bytes++)
				tap_diag("first wrong bytes: direction %d cut at %u", dir, cut);
		}
		if ((t.fake.nkcall != 1 || !ppt_kcall_is(&t.fake, 0, 1, 5, 6, 99)) && !bad_calls++)
			tap_diag("first wrong call: cut at %u, %u module calls", k, t.fake.nkcall);
		ppt_free(&t);
	}
	ppt_free(&hold);
	tap_ok(cuts == n[0] - 1 && !bad_bytes, "pptp split nat: the NAT'd streams leave the same at every cut "
	       "(%u cuts, %u wrong)", cuts, bad_bytes);
	tap_ok(!bad_calls, "pptp split nat: the call reaches the module once as 5 (NAT 6) / 99 at every cut "
	       "(%u wrong)", bad_calls);
}

/* Send one message on connection c of t's dispatcher (dir 0: the client), as one segment. */
static void conn_msg(struct ppt *t, struct qmsg_conn *c, int dir, unsigned type, int call_id, int peer, int result)
{
	uint32_t n = ppt_msg(t->b, type, call_id, peer, result);

	pt_send_bin(&t->dp, c, dir, 0, t->b, n, NULL, &t->v);
}

static void conn_start(struct ppt *t, struct qmsg_conn *c, const char *client, uint32_t id)
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
	struct ppt t;

	ppt_init(&t, "10.0.1.2", 41000, true, 400);
	for (unsigned i = 0; i < BOUND_CONNS; i++) {
		conn_start(&t, &a[i], "10.0.1.2", 401 + i);
		for (unsigned j = 0; j < PPTP_CALLS; j++)
			conn_msg(&t, &a[i], 0, PPTP_OCRQ, (int)(0x2000 + i * PPTP_CALLS + j), -1, -1);
	}
	TAP_EQ_U(pptp_nat_ids_held() - base, 256, "pptp nat bound: one client's 256 calls hold 256 NAT IDs");
	conn_start(&t, &a[BOUND_CONNS], "10.0.1.2", 401 + BOUND_CONNS);
	conn_msg(&t, &a[BOUND_CONNS], 0, PPTP_OCRQ, 0x20ff, -1, -1);
	tap_ok(ppt_field(&t.v, 12) == -1 && pptp_nat_ids_held() - base == 256,
	       "pptp nat bound: its 257th call keeps its colliding ID (0x2100 is free): not moved, no NAT ID held "
	       "(field %d, %u held)", ppt_field(&t.v, 12), pptp_nat_ids_held() - base);
	conn_msg(&t, &a[BOUND_CONNS], 1, PPTP_OCRP, 0x7000, 0x20ff, 1);
	tap_ok(ppt_kcall_is(&t.fake, 0, 1, 0x20ff, 0x20ff, 0x7000) && !t.fake.kmod_wrong,
	       "pptp nat bound: and is tracked with it, as when no NAT ID is free");
	conn_start(&t, &b, "10.0.1.3", 450);
	conn_msg(&t, &b, 0, PPTP_OCRQ, 0x20ff, -1, -1);
	TAP_EQ_U(ppt_field(&t.v, 12), 0x2100, "pptp nat bound: another client's colliding call ID is still moved");
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
	ppt_free(&t);
}

/* The PNS's view of the PAC's stream through the router: nfhelper's verdicts, then the kernel's
 * sequence adjustment (kseqadj), then reassembly by wire sequence number. */
struct lossy {
	struct ppt t;
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
	ppt_init(&l.t, "10.0.1.2", 40070, true, 77);
	ppt_session(&l.t);
	ppt_send(&l.t, 0, PPTP_OCRQ, 0x101, -1, -1);
	n = ppt_msg(m, PPTP_OCRP, 0x201, 0x101, 1);
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
	ppt_free(&l.t);
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

void test_pptp_nat(void);
void test_pptp_nat(void)
{
	test_nat_collision();
	test_nat_bound();
	test_split_nat();
	test_split_lossy_nat();
}
