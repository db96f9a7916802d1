// SPDX-License-Identifier: GPL-2.0-or-later
/* bench_pptp_packet: per-packet cost of the PPTP helper (see packet.c): a session with one
 * outgoing call, echoes, link info and its teardown.  Under NAT another client behind the
 * same address holds the call ID, so that every session's is moved and rewritten (Outgoing-
 * Call-Request and -Reply, WAN-Error-Notify, Call-Clear-Request: 4 messages a session).  No module is asked (no ops): the one genl round trip per call start and end
 * is left out, as FTP's NAT figure leaves out its ctnetlink one. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "packet.h"
#include "pptp.h"
#include "qmsg.h"

/* An RFC 2637 message of type's size, with its call-ID fields and result code at their
 * places (pptp_parser.h's layout), into b. */
static uint32_t msg(uint8_t *b, unsigned type, unsigned cid, unsigned pcid, unsigned result)
{
	uint32_t len = pptp_msg_size(type);

	memset(b, 0, len);
	b[1] = (uint8_t)len, b[3] = 1, b[4] = 0x1a, b[5] = 0x2b, b[6] = 0x3c, b[7] = 0x4d;
	b[9] = (uint8_t)type;
	switch (type) {
	case PPTP_SCCRP: b[12] = 1, b[14] = (uint8_t)result; break;
	case PPTP_OCRQ: case PPTP_CCRQ: case PPTP_CDN: b[12] = (uint8_t)(cid >> 8), b[13] = (uint8_t)cid; break;
	case PPTP_OCRP:
		b[12] = (uint8_t)(cid >> 8), b[13] = (uint8_t)cid;
		b[14] = (uint8_t)(pcid >> 8), b[15] = (uint8_t)pcid, b[16] = (uint8_t)result;
		break;
	case PPTP_WEN: case PPTP_SLI: b[12] = (uint8_t)(pcid >> 8), b[13] = (uint8_t)pcid; break;
	}
	return len;
}

/* The other client: its call 0x100 stays up (in its own dispatcher) for the whole bench. */
static void hold_call_id(struct dispatch *dp, const uint8_t (*b)[PPTP_MSG_MAX], const uint32_t *len)
{
	static uint8_t pkt[512], nl[1024] __attribute__((aligned(4)));
	static const int dir[] = { 0, 1, 0, 1, 0 };
	static struct helper_cfg cfg;	/* the dispatcher keeps a pointer to it */
	struct help_result res;
	struct qmsg_conn c;

	helper_cfg_init(&cfg, &pptp_proto);
	cfg.max_conns = 4;
	if (dispatch_init(dp, &pptp_proto, &cfg))
		abort();
	qmsg_conn_init(&c, AF_INET, "10.0.1.3", 19999, "10.0.2.2", 1723, "10.0.2.1", 0xfff);
	for (int i = 0; i < 5; i++) {	/* SYN, SYN, then SCCRQ, SCCRP, OCRQ: script steps 0-2 */
		uint32_t l = i < 2 ? 0 : len[i - 2];
		uint32_t n = qmsg_tcp(pkt, &c, dir[i], c.seq[dir[i]], i < 2 ? PKT_TCP_SYN : 0,
				      i < 2 ? NULL : b[i - 2], l);

		c.seq[dir[i]] += l + (i < 2);
		dispatch_packet(dp, qmsg_packet(nl, sizeof(nl), &c, dir[i], (uint32_t)i, pkt, n), 1, &res);
	}
}

/* The PNS's call 0x100 (NAT moves it to 0x101 when 0x100 is held), the PAC's 0x200. */
static const struct { int dir; unsigned type, cid, pcid, result; } steps[] = {
	{ 0, PPTP_SCCRQ, 0, 0, 0 }, { 1, PPTP_SCCRP, 0, 0, 1 },
	{ 0, PPTP_OCRQ, 0x100, 0, 0 }, { 1, PPTP_OCRP, 0x200, 0x100, 1 },
	{ 0, PPTP_SLI, 0, 0x200, 0 }, { 0, PPTP_ECHORQ, 0, 0, 0 }, { 1, PPTP_ECHORP, 0, 0, 0 },
	{ 1, PPTP_WEN, 0, 0x100, 0 }, { 0, PPTP_CCRQ, 0x100, 0, 0 }, { 1, PPTP_CDN, 0x200, 0, 0 },
	{ 0, PPTP_STOPCCRQ, 0, 0, 0 }, { 1, PPTP_STOPCCRP, 0, 0, 0 },
};
enum { N = sizeof(steps) / sizeof(steps[0]) };

/* The session as its packets are queued: under NAT the PAC names the PNS's call by its NAT ID. */
static void run(bool nat)
{
	static uint8_t b[N][PPTP_MSG_MAX];
	static struct bench_step script[N + 2] = { { 0, NULL }, { 1, NULL } };
	static uint32_t len[N + 2];
	struct dispatch other;

	for (size_t i = 0; i < N; i++) {
		unsigned pcid = steps[i].pcid + (nat && steps[i].dir == 1 && steps[i].pcid == 0x100);

		script[i + 2] = (struct bench_step){ steps[i].dir, (const char *)b[i] };
		len[i + 2] = msg(b[i], steps[i].type, steps[i].cid, pcid, steps[i].result);
	}
	if (nat)
		hold_call_id(&other, (const uint8_t (*)[PPTP_MSG_MAX])b, len + 2);
	bench_packet_run_one(&(struct bench_session){ &pptp_proto, 1723, script, N + 2, len }, nat);
	if (nat)
		dispatch_free(&other);
}

void bench_pptp_packet(void)
{
	run(false);
	run(true);
}
