// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_harness_path: fuzz_stream's path model, an MSS and DF on (config bits 5-7).
 * The server's SYN-ACK announces an MSS the input chooses, every client segment has DF set,
 * and the path carries no more than that MSS (at least the 536 bytes every path carries when
 * nfhelper saw no handshake); the sender never sends more.  A segment leaving the router
 * longer with DF set would be dropped there (src/stream_bound.c): that is a failure, not a
 * loss, since its retransmission would be rebuilt the same.  A line nfhelper left unrewritten
 * to stay within the bound (pool.unbounded) is excused from having to be rewritten. */
#include <stdio.h>
#include <linux/netfilter.h>
#include "pkt.h"
#include "stream_harness.h"

#define MSS 536          /* the lossless rounds' segment size without a path model */

static struct { unsigned long dfcleared, unbounded; } mst;

/* Printed at exit before the protocols' counts (stream_harness_check.c). */
void mss_stats_print(void)
{
	if (st.inputs)
		fprintf(stderr, "fuzz_stream: path model: %lu rewrites given up for the bound, %lu "
			"segments sent with DF cleared\n", mst.unbounded, mst.dfcleared);
}

void mss_pick(uint8_t cfg)
{
	static const uint16_t table[8] = { 0, 536, 1460, 300, 120, 200, 90, 700 };

	w.mss = table[cfg >> 5];
	if (w.mss && (cfg & 8) && w.mss < 536)
		w.mss = 536;	/* nfhelper cannot know less without the handshake */
}

/* The sender's segment size. */
uint32_t mss_seg(void)
{
	return w.mss ? w.mss : MSS;
}

uint32_t mss_cap(uint32_t k)
{
	return w.mss && k > w.mss ? w.mss : k;
}

/* A retransmission from snd_una of len bytes, shaped as Linux sends it: whole segments of
 * its queue, several merged up to the MSS (they stay merged: bound_collapse), new data past
 * snd_nxt; never one ending inside a segment it sent, which Linux splits only when its MSS
 * shrinks.  Without that the lossless rounds, merging no more than a small MSS, may forever
 * resend a segment that cuts through a journalled one (dropped, by design: stream.c). */
uint32_t mss_again(uint32_t off, uint32_t len)
{
	uint32_t end = off + len, fit = 0;

	if (!w.mss || end >= w.nxt)
		return len;
	for (unsigned i = 0; i < w.nbound; i++) {
		if (w.bound[i] <= off)
			continue;
		if (w.bound[i] > end) {
			if (!fit)
				fit = w.bound[i];	/* the first segment whole */
			break;
		}
		fit = w.bound[i];
	}
	return fit ? fit - off : len;
}

/* DF on a client segment, the IPv4 header checksum fixed. */
void mss_df(uint8_t *pkt, uint32_t n)
{
	struct pkt p;
	uint16_t c;

	if (!w.mss)
		return;
	if (pkt_parse(pkt, n, &p) < 0)
		fail("cannot parse a packet built here");
	pkt[6] |= 0x40;
	pkt[10] = pkt[11] = 0;
	c = pkt_csum_fold(pkt_csum_add(0, pkt, p.l4off));
	pkt[10] = (uint8_t)(c >> 8);
	pkt[11] = (uint8_t)c;
}

/* The server's SYN-ACK, announcing w.mss. */
void mss_synack(void)
{
	static uint8_t pkt[128], msg[4096] __attribute__((aligned(4)));
	const uint8_t opt[4] = { 2, 4, (uint8_t)(w.mss >> 8), (uint8_t)w.mss };
	uint32_t n = qmsg_tcp(pkt, &w.c, CT_DIR_REPLY, w.c.seq[1], PKT_TCP_SYN, opt, 4), id = ++w.id;
	const struct nlmsghdr *nlh;
	struct help_result res;
	struct qmsg_verdict v;
	struct pkt p;

	if (pkt_parse(pkt, n, &p) < 0)
		fail("cannot parse the SYN-ACK built here");
	pkt[p.l4off + 12] = 6 << 4;	/* the option is no payload */
	if (pkt_parse(pkt, n, &p) < 0)
		fail("cannot parse the SYN-ACK built here");
	pkt_set_seq(pkt, &p, n, w.c.seq[1]);
	nlh = qmsg_packet(msg, sizeof(msg), &w.c, CT_DIR_REPLY, id, pkt, n);
	nlh = nlh ? dispatch_packet(&w.dp, nlh, 1, &res) : NULL;
	if (!nlh || qmsg_verdict_decode(nlh, &v) < 0 || v.id != id || v.verdict != NF_ACCEPT || v.payload)
		fail("the SYN-ACK with MSS %u was not passed unchanged", w.mss);
	kernel_apply(nlh);
}

/* What left the router for [off, off + len): plen bytes, out the packet when rewritten. */
void mss_check(uint32_t off, uint32_t len, const uint8_t *out, uint32_t plen, uint64_t unbounded0)
{
	bool df = !out || (out[6] & 0x40);

	if (!w.mss)
		return;
	if (plen > w.mss && df)
		fail("[%u,%u) leaves with %u bytes and DF set: the path carries %u, the router drops it "
		     "and every retransmission rebuilt the same", off, off + len, plen, w.mss);
	mst.dfcleared += !df;
	if (w.dp.pool.unbounded == unbounded0)
		return;
	mst.unbounded++;
	for (unsigned i = 0; i < w.nline; i++)
		if (w.line[i].off < off + len && w.line[i].off + w.line[i].len > off)
			w.line[i].unclean = true;
}
