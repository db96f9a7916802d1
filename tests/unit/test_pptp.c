// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the PPTP helper end to end in userspace: queued packet -> dispatch -> verdict and
 * the nfh_pptp module's calls (fakect records them).  Outgoing and incoming calls, teardown,
 * several calls on one connection, messages split across segments, every message type cut at
 * every byte, malformed streams, a capture, the registration backend.  Under NAT:
 * test_pptp_nat.c. */
#include <stdio.h>
#include <string.h>
#include "capture.h"
#include "pkttest.h"
#include "pptptest.h"
#include "tap.h"

static void test_outgoing(void)
{
	struct ppt t;

	ppt_init(&t, "10.0.1.2", 40000, false, 301);
	ppt_session(&t);
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	tap_ok(t.v.verdict == 1 && !t.v.payload && !t.v.has_exp, "pptp: Outgoing-Call-Request passes as is");
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 1 && ppt_kcall_is(&t.fake, 0, 1, 0x1111, 0x1111, 0x2222) &&
	       t.fake.kcall[0].master_id == 301, "pptp: a connected call goes to the module (ids 1111/1111/2222)");
	tap_ok(!t.v.payload && !t.v.has_exp, "pptp: no rewrite, no expectation in the verdict (the module makes them)");
	ppt_send(&t, 0, PPTP_SLI, -1, 0x2222, -1);
	ppt_send(&t, 0, PPTP_CCRQ, 0x1111, -1, -1);
	tap_ok(t.fake.nkcall == 1, "pptp: Call-Clear-Request alone does not end the call (as the kernel)");
	ppt_send(&t, 1, PPTP_CDN, 0x2222, -1, -1);
	tap_ok(t.fake.nkcall == 2 && ppt_kcall_is(&t.fake, 1, 0, 0x1111, 0x1111, 0x2222),
	       "pptp: Call-Disconnect-Notify removes the call from the module");

	ppt_free(&t);
	ppt_init(&t, "10.0.1.2", 40001, false, 302);
	ppt_session(&t);
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 3);	/* 3: busy */
	tap_ok(t.fake.nkcall == 0, "pptp: a call the PAC refuses opens nothing");

	ppt_free(&t);
	ppt_init(&t, "10.0.1.2", 40002, false, 303);
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 0, "pptp: no call before the control connection is started (as the kernel)");

	ppt_free(&t);
	ppt_init(&t, "10.0.1.2", 40003, false, 304);
	ppt_send(&t, 0, PPTP_SCCRQ, -1, -1, -1);
	ppt_send(&t, 1, PPTP_SCCRP, -1, -1, 2);	/* 2: general error */
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 0, "pptp: no call in a session the PAC refused (as the kernel)");
	ppt_free(&t);
}

static void test_incoming(void)
{
	struct ppt t;

	ppt_init(&t, "10.0.1.2", 40010, true, 311);
	ppt_session(&t);
	ppt_send(&t, 1, PPTP_ICRQ, 0x4444, -1, -1);
	ppt_send(&t, 0, PPTP_ICRP, 0x5555, 0x4444, 1);
	ppt_send(&t, 1, PPTP_ICCN, -1, 0x5555, -1);
	tap_ok(t.fake.nkcall == 1 && ppt_kcall_is(&t.fake, 0, 1, 0x5555, 0x5555, 0x4444),
	       "pptp: an incoming call goes to the module when connected (Incoming-Call-Connected)");
	ppt_send(&t, 0, PPTP_STOPCCRQ, -1, -1, -1);
	ppt_send(&t, 1, PPTP_STOPCCRP, -1, -1, -1);
	tap_ok(t.fake.nkcall == 2 && ppt_kcall_is(&t.fake, 1, 0, -1, -1, -1),
	       "pptp: Stop-Control-Connection-Reply removes every call of the connection");
	ppt_free(&t);
}

static void test_two_calls(void)
{
	struct ppt t;

	ppt_init(&t, "10.0.1.2", 40030, false, 331);
	ppt_session(&t);
	ppt_send(&t, 0, PPTP_OCRQ, 0x0101, -1, -1);
	ppt_send(&t, 0, PPTP_OCRQ, 0x0102, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x0202, 0x0102, 1);
	ppt_send(&t, 1, PPTP_OCRP, 0x0201, 0x0101, 1);
	tap_ok(t.fake.nkcall == 2 && ppt_kcall_is(&t.fake, 0, 1, 0x0102, 0x0102, 0x0202) &&
	       ppt_kcall_is(&t.fake, 1, 1, 0x0101, 0x0101, 0x0201),
	       "pptp: two calls on one control connection, answered out of order");
	ppt_send(&t, 1, PPTP_CDN, 0x0201, -1, -1);
	tap_ok(t.fake.nkcall == 3 && ppt_kcall_is(&t.fake, 2, 0, 0x0101, 0x0101, 0x0201),
	       "pptp: one call ends, the other stays");
	ppt_free(&t);
}

/* One segment with two messages, then a message cut into two segments under NAT (the stream
 * layer holds its call-ID field back until the message is whole). */
static void test_segments(void)
{
	struct ppt t;
	uint32_t n;

	ppt_init(&t, "10.0.1.2", 40040, true, 341);
	n = ppt_msg(t.b, PPTP_SCCRQ, -1, -1, -1);
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	n = ppt_msg(t.b, PPTP_SCCRP, -1, -1, 1);
	n += ppt_msg(t.b + n, PPTP_ICRQ, 0x4444, -1, -1);
	pt_send_bin(&t.dp, &t.c, 1, 0, t.b, n, NULL, &t.v);
	n = ppt_msg(t.b, PPTP_ICRP, 0x5555, 0x4444, 1);
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	n = ppt_msg(t.b, PPTP_ICCN, -1, 0x5555, -1);
	pt_send_bin(&t.dp, &t.c, 1, 0, t.b, 13, NULL, &t.v);
	tap_ok(t.v.verdict == 1, "pptp: a message's first 13 bytes pass (the call ID is held)");
	pt_send_bin(&t.dp, &t.c, 1, 0, t.b + 13, n - 13, NULL, &t.v);
	tap_ok(t.v.verdict == 1 && t.fake.nkcall == 1 && ppt_kcall_is(&t.fake, 0, 1, 0x5555, 0x5555, 0x4444),
	       "pptp: a message over two segments, after a segment with two messages");
	ppt_free(&t);
}

static void test_malformed(void)
{
	struct ppt t;
	uint32_t n;

	ppt_init(&t, "10.0.1.2", 40050, true, 351);
	ppt_session(&t);
	n = ppt_msg(t.b, PPTP_OCRQ, 0x1111, -1, -1);
	t.b[4] = 0;	/* bad magic cookie */
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	tap_ok(t.v.verdict == 1 && !t.v.payload, "pptp: a bad magic cookie passes unchanged");
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.v.verdict == 1 && t.fake.nkcall == 0, "pptp: after a malformed message that direction is not read");

	ppt_free(&t);
	ppt_init(&t, "10.0.1.2", 40051, true, 352);
	ppt_session(&t);
	n = ppt_msg(t.b, PPTP_OCRQ, 0x1111, -1, -1);
	t.b[1] = 100;	/* a length of no message */
	pt_send_bin(&t.dp, &t.c, 0, 0, t.b, n, NULL, &t.v);
	tap_ok(t.v.verdict == 1 && !t.v.payload, "pptp: a bad length passes unchanged");
	ppt_free(&t);
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
	struct ppt t;

	for (unsigned type = 1; type <= PPTP_TYPE_MAX; type++) {
		for (int dir = 0; dir < 2; dir++) {
			n = ppt_msg(b, type, 3, 4, 1);
			for (uint32_t k = 1; k < n; k++, total++) {
				struct qmsg_verdict v1, v2;
				bool ok;

				ppt_init(&t, "10.0.1.2", 40070, false, 2000 + k);
				ppt_session(&t);
				pt_send_bin(&t.dp, &t.c, dir, 0, b, k, NULL, &v1);
				pt_send_bin(&t.dp, &t.c, dir, 0, b + k, n - k, NULL, &v2);
				ppt_send(&t, 0, PPTP_OCRQ, 100, -1, -1);
				ppt_send(&t, 1, PPTP_OCRP, 200, 100, 1);
				ok = v1.verdict == 1 && v2.verdict == 1 && !v1.payload && !v2.payload;
				if ((type == PPTP_SCCRQ && dir == 0) || type == PPTP_STOPCCRQ ||
				    type == PPTP_STOPCCRP)
					ok = ok && t.fake.nkcall == 0;
				else
					ok = ok && t.fake.nkcall &&
					     ppt_kcall_is(&t.fake, t.fake.nkcall - 1, 1, 100, 100, 200);
				if (!ok && !bad++)
					tap_diag("first wrong: type %u from side %d cut at %u: %u module calls",
						 type, dir, k, t.fake.nkcall);
				ppt_free(&t);
			}
		}
	}
	tap_ok(!bad, "pptp: every message type from either side, cut at every byte, passes unchanged and "
	       "keeps the framing (%u cases, %u wrong)", total, bad);

	ppt_init(&t, "10.0.1.2", 40071, false, 2999);
	ppt_session(&t);
	n = ppt_msg(b, PPTP_OCRQ, 9, -1, -1);
	pt_send_bin(&t.dp, &t.c, 0, 0, b, n / 2, NULL, &t.v);	/* truncated */
	ppt_send(&t, 0, PPTP_OCRQ, 100, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 200, 100, 1);
	tap_ok(t.v.verdict == 1 && t.fake.nkcall == 0,
	       "pptp: a truncated message: the call behind it is read as its rest and opens nothing");
	ppt_free(&t);
}

/* tcpdump's pptp.pcap: Windows NT's PNS, one outgoing call (both IDs 0), no NAT. */
static void test_capture(void)
{
	struct capture cap;
	struct ppt t;
	unsigned passed = 0, segs = 0;

	if (!tap_ok(capture_load(&cap, "../corpus/pptp/tcpdump-pptp.txt") == 0,
		    "pptp capture: load tests/corpus/pptp/tcpdump-pptp.txt"))
		return;
	ppt_init(&t, "10.1.1.11", 3025, false, 361);
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
	tap_ok(t.fake.nkcall >= 1 && ppt_kcall_is(&t.fake, 0, 1, 0, 0, 0), "pptp capture: its call (IDs 0 and 0) goes to the module");
	capture_free(&cap);
	ppt_free(&t);
}

/* The module is PPTP's registration backend, and its calls reach it through the dispatch's
 * backend link alone: with or without ctnetlink (the generic ops), never without a link. */
static void test_backend(void)
{
	struct ppt t;

	tap_ok(pptp_proto.backend == &kmod_backend, "pptp: registered through the nfh_pptp module's backend");
	ppt_init(&t, "10.0.1.2", 40030, false, 331);
	t.dp.ops = NULL;
	ppt_session(&t);
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 1 && ppt_kcall_is(&t.fake, 0, 1, 0x1111, 0x1111, 0x2222),
	       "pptp: without ctnetlink a connected call still reaches the module (backend link)");
	ppt_free(&t);
	ppt_init(&t, "10.0.1.2", 40031, false, 332);
	t.dp.backend = NULL;
	ppt_session(&t);
	ppt_send(&t, 0, PPTP_OCRQ, 0x1111, -1, -1);
	ppt_send(&t, 1, PPTP_OCRP, 0x2222, 0x1111, 1);
	tap_ok(t.fake.nkcall == 0 && t.v.verdict == 1,
	       "pptp: with ctnetlink but no backend link no module call is made; the packet passes");
	ppt_free(&t);
}

void test_pptp(void);
void test_pptp(void)
{
	test_backend();
	test_outgoing();
	test_incoming();
	test_two_calls();
	test_segments();
	test_malformed();
	test_types_split();
	test_capture();
}
