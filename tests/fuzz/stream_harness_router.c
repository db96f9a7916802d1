// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_harness_router: fuzz_stream's router, client to server — each segment through
 * nfhelper (dispatch_packet, its verdict applied as the kernel takes it) and the kernel's one
 * sequence correction per direction (tests/lib/kseqadj.c, nf_conntrack_seqadj.c), with a
 * kernel keeping every correction beside it to tell the kernel's limit from nfhelper's fault;
 * which lines the router met cleanly; where each segment must land. */
#include <string.h>
#include <linux/netfilter.h>
#include "pkt.h"
#include "stream_harness.h"

/* Whether the stream layer, out of sync, finds a message start in [a, b): a line protocol's
 * next '\n'; a length-framed binary one never does. */
static bool resyncs(uint32_t a, uint32_t b)
{
	return w.model->line_sync && memchr(w.app + a, '\n', b - a);
}

/* Which lines the router met cleanly: every segment touching them new, in order, accepted,
 * at most two of them.  A retransmission of bytes the router has seen changes nothing. */
static void router_mark(uint32_t a, uint32_t b, bool accepted)
{
	bool gap = a > w.hwm, collapse = a < w.hwm && b > w.hwm, replay = b <= w.hwm;
	bool dirty = !accepted || gap || collapse || !w.synced;
	uint32_t from = gap || !w.synced ? (w.synced ? w.hwm : 0) : a;
	/* A collapsed retransmission may be cut to its old bytes: the line starting where it
	 * ends then comes after a gap (a resynchronisation) too. */
	uint32_t to = collapse ? b + 1 : b;

	if (replay && accepted)
		return;
	for (unsigned i = 0; i < w.nline; i++) {
		struct line *l = &w.line[i];

		if (l->closed || l->off >= to || l->off + l->len <= from)
			continue;
		if (!replay)
			l->nseg++;
		if (dirty || l->nseg > 2)
			l->unclean = true;
	}
	if (!accepted)
		return;
	if (!w.synced && resyncs(a, b))
		w.synced = true;	/* nfhelper parses from the next line on */
	if (gap)
		w.synced = resyncs(a, b);
	if (b > w.hwm)
		w.hwm = b;
	for (unsigned i = 0; i < w.nline; i++)
		if (w.line[i].off + w.line[i].len <= w.hwm)
			w.line[i].closed = true;
}

/* The kernel with unbounded memory: every correction kept (one per position, as the kernel
 * keeps the first it sees there).  Where the real kernel and this one disagree, the fault is
 * the kernel's single correction; where they agree and are wrong, it is how nfhelper changed
 * lengths. */
static bool ideal_set(uint32_t seq, int32_t d)
{
	uint32_t off = seq - w.isn;
	unsigned i = 0;

	while (i < w.nideal && w.ideal[i].off < off)
		i++;
	if ((i < w.nideal && w.ideal[i].off == off) || w.nideal == IDEAL_MAX)
		return false;
	memmove(&w.ideal[i + 1], &w.ideal[i], (w.nideal - i) * sizeof(w.ideal[0]));
	w.ideal[i].off = off;
	w.ideal[i].d = d;
	w.nideal++;
	return true;
}

static uint32_t ideal_seq(uint32_t seq)
{
	int32_t c = 0;

	for (unsigned i = 0; i < w.nideal; i++)
		if (kseqadj_after(seq, w.isn + w.ideal[i].off))
			c += w.ideal[i].d;
	return seq + (uint32_t)c;
}

uint32_t ideal_ack(uint32_t ack)
{
	int32_t c = 0;

	for (unsigned i = 0; i < w.nideal && kseqadj_after(ack - (uint32_t)c, w.isn + w.ideal[i].off); i++)
		c += w.ideal[i].d;
	return ack - (uint32_t)c;
}

/* Even a kernel keeping every correction puts one at the start of the packet that changed
 * length: bytes of that packet before its change, sent again in another segmentation (a
 * retransmission starting inside it, an acknowledgement ending inside it), are mapped with
 * the change.  Every kernel NAT helper shares this; nfhelper meets it more often because a
 * held command's completion lands inside a segment, and a collapsed retransmission changes
 * length after its old bytes. */
void resegmented(void)
{
	if (!w.reseg)
		st.reseg++;
	w.reseg = true;
}

/* A passed segment's bytes [a, b) reached the receiver from pos on as far as its output pl
 * repeats them from its start, unless that start may be bytes held back before a (released
 * in front of the segment, they shift it): then the output proves nothing. */
static void router_bytes(uint32_t a, uint32_t b, uint32_t pos, const uint8_t *pl, uint32_t plen)
{
	uint32_t k = 0;

	memset(w.passed + a, 1, b - a);
	while (k < plen && a + k < b && pl[k] == w.app[a + k])
		k++;
	for (uint32_t c = 1; k && c <= a && c <= plen; c++)
		if (!memcmp(pl, w.app + a - c, c))
			return;
	for (uint32_t i = 0; i < k; i++)
		if (!w.rbyte[a + i])
			w.rbyte[a + i] = pos + i + 1;
}

/* Where must a segment from sender offset a land?  Where an earlier one starting or ending
 * there did the first time (a segment cut to its old bytes ends where their first copy
 * ended), or one passing through it unchanged.  Checked against the real and the ideal
 * kernel. */
static void router_truth(uint32_t a, uint32_t b, uint32_t seq, const uint8_t *pl, uint32_t plen)
{
	uint32_t pos = seq - w.isn;
	uint32_t want = w.rpos[a] ? w.rpos[a] : w.rend[a] ? w.rend[a] : w.rbyte[a];
	/* nfhelper sets each segment's sequence number for the kernel's correction: only an
	 * acknowledgement the kernel mapped wrongly before (the sender then sends from inside a
	 * first copy) or a change the kernel placed before it happened excuses a misplacement. */
	bool excused = w.limited || w.reseg || w.overtaken;

	if (want && want != pos + 1) {
		if (!excused)
			fail("a segment from %u lands at receiver %d, its first copy at %u", a,
			     (int32_t)pos, want - 1);
		trace("kernel: a segment from %u lands at %d, not %u", a, (int32_t)pos, want - 1);
		st.misplaced++;
	} else if (!want && !w.passed[a] && ideal_seq(w.isn + a) != seq) {
		/* A first copy that reaches the router after later bytes were changed (reordered
		 * before it): placed as the bytes around it.  A copy of bytes the router passed
		 * inside a segment is none: the ideal kernel would map it with that segment's
		 * change, placed at its start. */
		if (!excused)
			fail("a late first copy from %u lands at receiver %d, not %d", a, (int32_t)pos,
			     (int32_t)(ideal_seq(w.isn + a) - w.isn));
		trace("kernel: a late first copy from %u lands at %d, a kernel keeping every "
		      "correction would put it at %d", a, (int32_t)pos, (int32_t)(ideal_seq(w.isn + a) - w.isn));
		st.misplaced++;
	}
	if (pos > RCV_MAX || plen > RCV_MAX - pos)
		return;	/* the receiver will say so */
	if (!w.rpos[a])
		w.rpos[a] = pos + 1;
	if (!w.rend[b])
		w.rend[b] = pos + plen + 1;
	router_bytes(a, b, pos, pl, plen);
	/* Held bytes leave nothing: the furthest sender offset ending here is the truth. */
	if (w.send_end[pos + plen] < b + 1)
		w.send_end[pos + plen] = b + 1;
}

/* Stream bytes [off, off + len) through nfhelper and the kernel: false when dropped, else
 * out holds the segment as it leaves, its sequence number adjusted. */
bool router(uint32_t off, uint32_t len, struct seg *out)
{
	static uint8_t pkt[PKT_MAX], msg[PKT_MAX + 4096] __attribute__((aligned(4)));
	uint32_t seq = w.isn + off, id = ++w.id, n, plen = len, seen, kseq = seq;
	const struct kseqadj adj0 = w.adj;	/* as stream.c saw it */
	uint64_t unbounded0;
	const uint8_t *pl = w.app + off;
	const struct nlmsghdr *nlh;
	struct help_result res;
	struct qmsg_verdict v;
	struct pkt p;

	n = qmsg_tcp(pkt, &w.c, CT_DIR_ORIGINAL, seq, 0, w.app + off, len);
	mss_df(pkt, n);
	nlh = qmsg_packet(msg, sizeof(msg), &w.c, CT_DIR_ORIGINAL, id, pkt, n);
	if (!nlh)
		fail("cannot build the queued packet");
	unbounded0 = w.dp.pool.unbounded;
	nlh = dispatch_packet(&w.dp, nlh, 1, &res);
	if (!nlh || qmsg_verdict_decode(nlh, &v) < 0 || v.id != id)
		fail("no verdict for packet %u", id);
	kernel_apply(nlh);
	st.segments++;
	seen = w.hwm;
	router_mark(off, off + len, v.verdict == NF_ACCEPT);
	if (v.verdict == NF_DROP) {
		st.drops++;
		trace("router: [%u,%u) dropped", off, off + len);
		return false;
	}
	if (v.verdict != NF_ACCEPT)
		fail("verdict %u", v.verdict);
	if (v.payload) {
		if (pkt_parse(v.payload, v.payload_len, &p) < 0 || !pkt_l4_csum_ok(v.payload, v.payload_len))
			fail("rewritten packet for [%u,%u) is inconsistent", off, off + len);
		kseq = p.seq;	/* nfhelper places it for the kernel's correction */
		pl = v.payload + p.off;
		plen = p.len;
	}
	if (!w.nat && (plen != len || memcmp(pl, w.app + off, len)))
		fail("[%u,%u) rewritten without NAT", off, off + len);
	if (plen > OUT_MAX)
		fail("[%u,%u) grew to %u bytes", off, off + len, plen);
	mss_check(off, len, v.payload, plen, unbounded0);
	/* A retransmission of bytes whose first copies are known must have their length. */
	if (w.nat && off + len <= seen && (w.rpos[off] || w.rend[off]) &&
	    (w.rend[off + len] || w.rpos[off + len])) {
		uint32_t s0 = w.rpos[off] ? w.rpos[off] : w.rend[off];
		uint32_t s1 = w.rend[off + len] ? w.rend[off + len] : w.rpos[off + len];

		if (s1 >= s0 && plen != s1 - s0 && !w.limited && !w.overtaken && !w.reseg)
			fail("a retransmission of [%u,%u) leaves with %u bytes, its first copies had %u: "
			     "not repeated from the journal", off, off + len, plen, s1 - s0);
	}
	/* Bytes the router passed before come again with another length: the kernel records
	 * a correction for them again when this one lies after its correction position. */
	if (plen != len && w.nat && off + len <= seen && !w.limited && !w.overtaken && !w.reseg &&
	    w.adj.before != w.adj.after && kseqadj_after(kseq, w.adj.pos) && kseqadj_after(w.adj_end, kseq)) {
		/* It starts inside the packet whose change set the correction at that packet's
		 * start: the kernel's placement, shared by every kernel NAT helper. */
		trace("kernel: a retransmission from %u starts inside the packet whose correction "
		      "stands at its start", off);
		resegmented();
	}
	if (plen != len && w.nat && off + len <= seen && !w.limited && !w.overtaken && !w.reseg &&
	    (w.adj.before == w.adj.after || kseqadj_after(kseq, w.adj.pos)))
		fail("a retransmission of [%u,%u) changes length by %d after the kernel's correction "
		     "at stream %d: the kernel counts that change a second time", off, off + len,
		     (int32_t)plen - (int32_t)len, (int32_t)(w.adj.pos - w.isn));
	if (plen != len && w.nat) {
		uint32_t pos0 = w.adj.pos;

		kseqadj_set(&w.adj, kseq, (int32_t)plen - (int32_t)len);
		if (w.adj.pos != pos0 || w.adj.pos == kseq)
			w.adj_end = kseq + len;
		if (ideal_set(seq, (int32_t)plen - (int32_t)len) && w.emitted > off + 1 &&
		    !w.overtaken) {
			/* Every kernel helper has this under reordering: what passed ahead was
			 * placed before this change existed. */
			trace("kernel: a new length change at %u behind a segment passed from %u", off,
			      w.emitted - 1);
			w.overtaken = true;
			st.overtaken++;
		}
	}
	if (off + 1 > w.emitted)
		w.emitted = off + 1;
	out->seq = w.nat ? kseqadj_seq(&w.adj, kseq) : kseq;
	out->len = plen;
	/* stream.c's documented rule: old and new bytes starting at or before the kernel's
	 * correction are cut to the old ones; the router stays where it stood. */
	n = off + len;
	if (w.nat && off < seen && n > seen && adj0.before != adj0.after && !kseqadj_after(seq, adj0.pos)) {
		trace("router: [%u,%u) cut to [%u,%u)", off, n, off, seen);
		n = w.hwm = seen;
	} else if (w.nat && off < seen && n > seen && plen != len) {
		/* Taken after stream.c dropped it once: the kernel records the new bytes' change
		 * at the packet's start, before the change, and nothing can place a later copy
		 * starting between the two. */
		trace("kernel: [%u,%u) changes length behind old bytes; the correction stands at %u",
		      off, n, off);
		resegmented();
	}
	router_truth(off, n, out->seq, pl, plen);
	memcpy(out->data, pl, plen);
	if (tracing) {
		trace("router: [%u,%u) leaves at receiver %d, %u bytes", off, off + len,
		      (int32_t)(out->seq - w.isn), plen);
		if (plen != len || memcmp(pl, w.app + off, len))
			dump("rewritten", pl, plen);
	}
	return true;
}

/* A packet of the handshake or a pure acknowledgement: nfhelper must answer it. */
void router_ctl(int dir, uint32_t seq, uint8_t flags)
{
	static uint8_t pkt[128], msg[4096] __attribute__((aligned(4)));
	const struct nlmsghdr *nlh;
	struct help_result res;
	struct qmsg_verdict v;
	uint32_t n = qmsg_tcp(pkt, &w.c, dir, seq, flags, NULL, 0), id = ++w.id;

	nlh = qmsg_packet(msg, sizeof(msg), &w.c, dir, id, pkt, n);
	nlh = nlh ? dispatch_packet(&w.dp, nlh, 1, &res) : NULL;
	if (!nlh || qmsg_verdict_decode(nlh, &v) < 0 || v.id != id || v.verdict != NF_ACCEPT || v.payload)
		fail("control packet (dir %d, flags %#x) not passed unchanged", dir, flags);
	if (v.has_ct)
		fail("control packet (dir %d, flags %#x) got NFQA_CT: the restart record did not change",
		     dir, flags);
	kernel_apply(nlh);
}

/* Bytes before the fuzzed stream (the model's prologue): nfhelper must pass them unchanged. */
void router_pass(int dir, uint32_t seq, const uint8_t *d, uint32_t len)
{
	static uint8_t pkt[PKT_MAX], msg[PKT_MAX + 4096] __attribute__((aligned(4)));
	const struct nlmsghdr *nlh;
	struct help_result res;
	struct qmsg_verdict v;
	uint32_t n = qmsg_tcp(pkt, &w.c, dir, seq, 0, d, len), id = ++w.id;

	nlh = qmsg_packet(msg, sizeof(msg), &w.c, dir, id, pkt, n);
	nlh = nlh ? dispatch_packet(&w.dp, nlh, 1, &res) : NULL;
	if (!nlh || qmsg_verdict_decode(nlh, &v) < 0 || v.id != id || v.verdict != NF_ACCEPT || v.payload)
		fail("prologue packet (dir %d, %u bytes) not passed unchanged", dir, len);
	kernel_apply(nlh);
}
