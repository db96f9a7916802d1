// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_stream: one control connection of a TCP stream protocol (FTP, IRC, PPTP: every
 * protocol of helper_protos[] with a stream), client to server through a NAT router, end to
 * end: a TCP sender, the router (nfhelper's verdicts plus the kernel's sequence adjustment)
 * and a TCP receiver; the receiver must get the rewritten stream byte for byte, whatever the
 * segmentation, retransmission, overlap, reordering and loss.
 * Mirrors net/netfilter/nf_conntrack_seqadj.c (nf_ct_seqadj_set, nf_ct_seq_adjust), RFC 793
 * (sequence space, cumulative acknowledgement).  What the client writes and what NAT must
 * make of it is each protocol's model, tests/fuzz/stream_<name>.c (stream_model.h): FTP's
 * PORT/EPRT (RFC 959, RFC 2428), IRC's DCC offers, PPTP's call IDs.
 *
 * Input: [name NUL][config][line count][one byte per line][op, k]...
 *   name:   the protocol's, e.g. "ftp" (helper_protos[], with a model; others end the input).
 *   config: bits 0-1 addresses (0 client 10.0.1.2 behind 192.168.100.100: rewrites grow;
 *           1 behind 10.0.2.1: same length; 2 client 192.168.100.100 behind 10.0.2.1: they
 *           shrink; 3 no NAT), bit 2 sequence numbers wrap within the first bytes, bit 3 no
 *           handshake (nfhelper meets the connection mid-stream), bit 4 synchronous
 *           expectations through fakect (else they ride in the verdict), bits 5-7 the path
 *           model (mss_*): 0 none, else the MSS the server's SYN-ACK announces, DF on.
 *   line:   one message of the protocol's model (FTP: bits 0-3 kind, bits 4-6 the port).
 *   op:     bits 0-1: 0 or 3 send k new bytes, 1 retransmit k bytes from snd_una (past
 *           snd_nxt it carries new data, as Linux collapses), 2 deliver the oldest delayed
 *           segment (bit 2: of those delayed after the router); bits 2-4 the segment's fate
 *           (enum fate); bit 5 the receiver's acknowledgement of it is lost.  k: 1 + byte.
 * Then lossless rounds (what is delayed arrives, Linux-like retransmission from snd_una in
 * whole first-copy segments) until everything is acknowledged; not finishing is a stall.
 *
 * Checks: every verdict consistent and safe for the kernel (tests/lib/kstore.c models the
 * conntrack's helper data, fed back in NFQA_CT; a verdict the kernel would mishandle aborts); copies of one receiver position that both count agree;
 * no acknowledgement of bytes never sent; no stall; each line arrives either unchanged or as
 * its NAT rewrite (computed by the model, in the kernel's format, not by src/); a rewritable
 * line whose bytes reached the router in order in at most two accepted segments is rewritten.
 * A stateful protocol (PPTP: a call's NAT ID depends on the calls before it) is held to that
 * until the first message the router met uncleanly; from there on a message may also arrive
 * with other values in its call-ID bytes, its length and every other byte unchanged.  When
 * the connection has ended nothing the protocol holds process-wide may stay held.
 *
 * The kernel keeps one correction per direction (tests/lib/kseqadj.c models it): with two
 * length changes in flight it would map retransmissions of bytes before the older one
 * wrongly, so nfhelper sets each segment's sequence number for it, and a segment that lands
 * elsewhere than its first copy fails.  Acknowledgements stay the kernel's to map: the harness
 * knows where each first copy went, so it sees one mapped wrongly (or a change recorded at a
 * packet's start, before it happened, or overtaken by reordering); a stream broken after that
 * is counted as the kernel's limit, not failed (FUZZ_STREAM_STRICT=1 fails it too).
 * FUZZ_STREAM_TRACE=1 prints every step and nfhelper's log; the counts are printed at exit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "fakect.h"
#include "kseqadj.h"
#include "log.h"
#include "pkt.h"
#include "qmsg.h"
#include "stream_model.h"
#include "stream_models.h"	/* STREAM_MODELS(X): every tests/fuzz/stream_*.c, found by name */

#define DECLARE(m) extern const struct stream_model stream_model_##m;
STREAM_MODELS(DECLARE)
#define ENTRY(m) &stream_model_##m,
static const struct stream_model *const models[] = { STREAM_MODELS(ENTRY) NULL };
#define MODELS_MAX (sizeof(models) / sizeof(models[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define APP_MAX 8192     /* application stream */
#define LINES_MAX 24
#define RCV_MAX 16384    /* receiver's buffer, in receiver sequence space */
#define OUT_MAX 2048     /* one segment as it leaves the router */
#define MSS 536          /* the lossless rounds' segment size */
#define ROUNDS 64
#define DELAY_MAX 8
#define BOUND_MAX 1024
#define IDEAL_MAX 256

enum fate { F_NOW, F_LOST_BEFORE, F_LOST_AFTER, F_DELAY_BEFORE, F_DELAY_AFTER };

struct line {
	uint32_t off, len;       /* in app[] */
	uint32_t alt, alt_len;   /* its NAT rewrite in alt[] */
	bool rewritable;         /* NAT must change it */
	bool unclean;            /* the router met it out of order, dropped, split in three... */
	bool closed;             /* the router has seen it whole: later events do not count */
	uint8_t nseg;
	uint32_t vary, nvary;    /* stateful protocols: bytes whose value may differ (model) */
};

struct seg {
	uint32_t seq, len;
	bool ack_lost;
	uint8_t data[OUT_MAX];
};

struct pre {
	uint32_t off, len;
	bool ack_lost;
};

static struct world {
	const struct stream_model *model;
	const struct helper_proto *proto;
	struct stream_env env;   /* client address, address it is NATed to, the model's state */
	struct dispatch dp;
	struct qmsg_conn c;
	struct fakect fk;
	bool nat, synced;
	uint8_t app[APP_MAX];
	uint32_t app_len;
	uint8_t alt[APP_MAX * 2];
	uint32_t alt_used;
	struct line line[LINES_MAX];
	unsigned nline;
	uint32_t isn;            /* sequence number of stream byte 0 */
	uint32_t una, nxt;       /* sender: stream offsets acknowledged, highest sent */
	uint32_t bound[BOUND_MAX]; /* sender: ends of its segments above una (Linux's skbs) */
	unsigned nbound;
	struct kseqadj adj;      /* the kernel's correction (tests/unit/kseqadj.c) */
	uint32_t adj_end;        /* where the packet that set adj.pos ended */
	uint32_t hwm;            /* router: end of what it accepted */
	uint8_t rcv[RCV_MAX], have[RCV_MAX];
	uint32_t rcv_nxt, rcv_end;
	struct pre pre[DELAY_MAX];
	unsigned npre;
	struct seg post[DELAY_MAX];
	unsigned npost;
	/* What the kernel's single correction should have given: the receiver offset each
	 * sender offset that starts a segment first left at, and the sender offset (+ 1) that
	 * ends at each receiver offset.  A mismatch means the kernel mis-mapped. */
	uint32_t rpos[APP_MAX + 1], rend[APP_MAX + 1], send_end[RCV_MAX + 1];
	struct { uint32_t off; int32_t d; } ideal[IDEAL_MAX];
	unsigned nideal;
	uint32_t emitted;        /* 1 + the furthest start of a segment the router passed */
	bool limited;            /* it did: what follows is the kernel's limit, not nfhelper's */
	bool overtaken;          /* a length changed behind bytes already passed (reordering) */
	bool reseg;              /* resegmented bytes before a change in a changed packet */
	uint32_t id;
	uint32_t mss;            /* path model: the MSS the server announced (0: no model) */
	jmp_buf out;
} w;

static struct stats {
	unsigned long inputs, lines, rewritable, rewritten, unclean_plain, drops, stale_differ,
		segments, limited, limited_fail, misacked, misplaced, overtaken, reseg, varied;
} st, st_model[MODELS_MAX];
static int tracing = -1, strict;

static void stats_print_one(const char *name, const struct stats *t, bool stateful)
{
	fprintf(stderr, "fuzz_stream %s: %lu inputs, %lu segments, %lu router drops; %lu lines, %lu "
		"rewritable: %lu rewritten, %lu left unrewritten after an unclean passage; %lu "
		"stale copies (before rcv_nxt) that differed; kernel single-correction limit hit in %lu "
		"inputs (%lu acks mis-mapped, %lu segments misplaced after one); a length change behind bytes "
		"passed ahead in %lu; resegmented bytes before a change mapped with it in %lu; %lu of "
		"these inputs broke the stream", name, t->inputs, t->segments, t->drops, t->lines,
		t->rewritable, t->rewritten, t->unclean_plain, t->stale_differ, t->limited, t->misacked,
		t->misplaced, t->overtaken, t->reseg, t->limited_fail);
	if (stateful)
		fprintf(stderr, "; %lu messages with other values where the harness lost track of "
			"the state", t->varied);
	fputc('\n', stderr);
}

/* The counts of each protocol: what its inputs added to st. */
static void stats_print(void) __attribute__((destructor));
static void stats_print(void)
{
	for (unsigned i = 0; models[i]; i++)
		if (st_model[i].inputs)
			stats_print_one(models[i]->name, &st_model[i], models[i]->stateful);
}

static void stats_add(unsigned i, const struct stats *before)
{
	const unsigned long *a = (const unsigned long *)&st, *b = (const unsigned long *)before;
	unsigned long *t = (unsigned long *)&st_model[i];

	for (size_t k = 0; k < sizeof(st) / sizeof(unsigned long); k++)
		t[k] += a[k] - b[k];
}

static void dump(const char *tag, const uint8_t *p, uint32_t len)
{
	fprintf(stderr, "  %s (%u): \"", tag, len);
	for (uint32_t i = 0; i < len; i++) {
		if (p[i] == '\r')
			fputs("\\r", stderr);
		else if (p[i] == '\n')
			fputs("\\n", stderr);
		else
			fputc(p[i] >= 32 && p[i] < 127 ? p[i] : '?', stderr);
	}
	fputs("\"\n", stderr);
}

static void vfail(const char *fmt, va_list ap) __attribute__((noreturn));
static void vfail(const char *fmt, va_list ap)
{
	fputs("fuzz_stream: FAILED: ", stderr);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n  kernel limits met before: single correction %s, change behind bytes passed "
		"ahead %s, resegmented %s\n  sender una %u nxt %u; router hwm %u; receiver rcv_nxt %u; seqadj pos "
		"%u (stream %d) before %d after %d\n", w.limited ? "yes" : "no", w.overtaken ? "yes" : "no", w.reseg ? "yes" : "no", w.una, w.nxt, w.hwm,
		w.rcv_nxt, w.adj.pos, (int32_t)(w.adj.pos - w.isn), w.adj.before, w.adj.after);
	dump("application", w.app, w.app_len);
	dump("receiver", w.rcv, w.rcv_nxt);
	abort();
}

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(fmt, ap);
}

/* A broken stream after the kernel demonstrably mis-mapped (two corrections in flight: it
 * keeps one) is that limit's consequence: counted, not failed, unless FUZZ_STREAM_STRICT. */
static void fail_stream(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail_stream(const char *fmt, ...)
{
	va_list ap;

	if ((w.limited || w.overtaken || w.reseg) && !strict) {
		st.limited_fail++;
		longjmp(w.out, 1);
	}
	va_start(ap, fmt);
	vfail(fmt, ap);
}

/* The verdict as the kernel takes it: its helper data for the next packet. */
static void kernel_apply(const struct nlmsghdr *verdict)
{
	const char *fault = kstore_apply(&w.c.kernel, w.c.ct.helper, verdict);

	if (fault)
		fail("packet %u: the kernel would mishandle the verdict: %s", w.id, fault);
}

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void trace(const char *fmt, ...)
{
	va_list ap;

	if (tracing <= 0)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- the application stream ---------------------------------------------------------- */

/* The model's message for input byte b, appended to the stream with its rewrite. */
static void app_line(uint8_t b)
{
	static struct stream_msg m;
	struct line *l = &w.line[w.nline];

	memset(&m, 0, sizeof(m));
	w.model->message(&w.env, b, &m);
	if (m.olen > sizeof(m.o) || m.rlen > sizeof(m.r))
		fail("the %s model wrote %u bytes, rewrite %u: over its buffers", w.model->name,
		     m.olen, m.rlen);
	if (w.app_len + m.olen > APP_MAX)
		return;
	l->off = w.app_len;
	l->len = m.olen;
	memcpy(w.app + w.app_len, m.o, m.olen);
	w.app_len += m.olen;
	l->rewritable = w.nat && m.rlen > 0 && (m.rlen != m.olen || memcmp(m.o, m.r, m.olen));
	if (l->rewritable) {
		l->alt = w.alt_used;
		l->alt_len = m.rlen;
		memcpy(w.alt + w.alt_used, m.r, m.rlen);
		w.alt_used += m.rlen;
	}
	l->vary = m.vary;
	l->nvary = m.nvary;
	w.nline++;
}

/* --- the path model: an MSS, DF on ------------------------------------------------------
 * The server's SYN-ACK announces an MSS the input chooses, every client segment has DF set,
 * and the path carries no more than that MSS (at least the 536 bytes every path carries when
 * nfhelper saw no handshake); the sender never sends more.  A segment leaving the router
 * longer with DF set would be dropped there (src/stream_bound.c): that is a failure, not a
 * loss, since its retransmission would be rebuilt the same.  A line nfhelper left unrewritten
 * to stay within the bound (pool.unbounded) is excused from having to be rewritten. */
static struct { unsigned long dfcleared, unbounded; } mst;

static void mss_stats_print(void) __attribute__((destructor));
static void mss_stats_print(void)
{
	if (st.inputs)
		fprintf(stderr, "fuzz_stream: path model: %lu rewrites given up for the bound, %lu "
			"segments sent with DF cleared\n", mst.unbounded, mst.dfcleared);
}

static void mss_pick(uint8_t cfg)
{
	static const uint16_t table[8] = { 0, 536, 1460, 300, 120, 200, 90, 700 };

	w.mss = table[cfg >> 5];
	if (w.mss && (cfg & 8) && w.mss < 536)
		w.mss = 536;	/* nfhelper cannot know less without the handshake */
}

/* The sender's segment size. */
static uint32_t mss_seg(void)
{
	return w.mss ? w.mss : MSS;
}

static uint32_t mss_cap(uint32_t k)
{
	return w.mss && k > w.mss ? w.mss : k;
}

/* A retransmission from snd_una of len bytes, shaped as Linux sends it: whole segments of
 * its queue, several merged up to the MSS (they stay merged: bound_collapse), new data past
 * snd_nxt; never one ending inside a segment it sent, which Linux splits only when its MSS
 * shrinks.  Without that the lossless rounds, merging no more than a small MSS, may forever
 * resend a segment that cuts through a journalled one (dropped, by design: stream.c). */
static uint32_t mss_again(uint32_t off, uint32_t len)
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
static void mss_df(uint8_t *pkt, uint32_t n)
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
static void mss_synack(void)
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
static void mss_check(uint32_t off, uint32_t len, const uint8_t *out, uint32_t plen, uint64_t unbounded0)
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

/* --- the router ---------------------------------------------------------------------- */

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

static uint32_t ideal_ack(uint32_t ack)
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
static void resegmented(void)
{
	if (!w.reseg)
		st.reseg++;
	w.reseg = true;
}

/* Where must a segment from sender offset a land?  Where an earlier one starting or ending
 * there did the first time (a segment cut to its old bytes ends where their first copy
 * ended).  Checked against the real and the ideal kernel. */
static void router_truth(uint32_t a, uint32_t b, uint32_t seq, uint32_t plen)
{
	uint32_t pos = seq - w.isn, want = w.rpos[a] ? w.rpos[a] : w.rend[a];
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
	} else if (!want && ideal_seq(w.isn + a) != seq) {
		/* A first copy that reaches the router after later bytes were changed (reordered
		 * before it): placed as the bytes around it. */
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
	/* Held bytes leave nothing: the furthest sender offset ending here is the truth. */
	if (w.send_end[pos + plen] < b + 1)
		w.send_end[pos + plen] = b + 1;
}

/* Stream bytes [off, off + len) through nfhelper and the kernel: false when dropped, else
 * out holds the segment as it leaves, its sequence number adjusted. */
static bool router(uint32_t off, uint32_t len, struct seg *out)
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
	router_truth(off, n, out->seq, plen);
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
static void router_ctl(int dir, uint32_t seq, uint8_t flags)
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

/* --- sender and receiver -------------------------------------------------------------- */

static void bound_add(uint32_t end)
{
	unsigned i = 0;

	while (i < w.nbound && w.bound[i] < end)
		i++;
	if (i < w.nbound && w.bound[i] == end)
		return;
	if (w.nbound == BOUND_MAX)
		fail("too many segments in flight");
	memmove(&w.bound[i + 1], &w.bound[i], (w.nbound - i) * sizeof(w.bound[0]));
	w.bound[i] = end;
	w.nbound++;
}

/* Retransmitting [una, end) past what was sent merges the segments in it (Linux collapses). */
static void bound_collapse(uint32_t end)
{
	unsigned i = 0, j;

	while (i < w.nbound && w.bound[i] <= w.una)
		i++;
	for (j = i; j < w.nbound && w.bound[j] < end; j++)
		;
	memmove(&w.bound[i], &w.bound[j], (w.nbound - j) * sizeof(w.bound[0]));
	w.nbound -= j - i;
	bound_add(end);
}

static void sender_ack(uint32_t ack)
{
	uint32_t a = w.nat ? kseqadj_ack(&w.adj, ack) : ack, r = ack - w.isn;
	int32_t off = (int32_t)(a - w.isn);
	unsigned i = 0;

	/* Only an acknowledgement the sender takes matters (one below snd_una is ignored). */
	if (off > (int32_t)w.una && r <= RCV_MAX && (r ? w.send_end[r] : 1) &&
	    (int32_t)((r ? w.send_end[r] - 1 : 0)) != off) {
		trace("kernel: acknowledgement of receiver offset %u maps to %d, not %u", r, off,
		      r ? w.send_end[r] - 1 : 0);
		if (ideal_ack(ack) == a) {
			resegmented();
		} else {
			w.limited = true;
			st.misacked++;
		}
	}

	if (off <= (int32_t)w.una)
		return;	/* old (or mapped below the stream: the sender ignores it as old) */
	if ((uint32_t)off > w.nxt)
		fail_stream("acknowledgement maps to stream offset %d; the sender sent up to %u", off, w.nxt);
	w.una = (uint32_t)off;
	while (i < w.nbound && w.bound[i] <= w.una)
		i++;
	memmove(&w.bound[0], &w.bound[i], (w.nbound - i) * sizeof(w.bound[0]));
	w.nbound -= i;
}

/* Reassembly: bytes before rcv_nxt are old (a stale copy), others kept until the gap before
 * them fills; two copies of one position that both count must agree. */
static void receiver(const struct seg *s)
{
	int32_t pos = (int32_t)(s->seq - w.isn);
	bool differ = false;

	if (pos < 0 || (uint32_t)pos + s->len > RCV_MAX)
		fail_stream("a segment lands at receiver offset %d (%u bytes): outside the stream", pos, s->len);
	for (uint32_t i = 0; i < s->len; i++) {
		uint32_t q = (uint32_t)pos + i;

		if (q < w.rcv_nxt) {
			differ |= w.rcv[q] != s->data[i];
		} else if (w.have[q]) {
			if (w.rcv[q] != s->data[i])
				fail_stream("two copies of receiver offset %u differ ('%c' then '%c')", q, w.rcv[q],
				     s->data[i]);
		} else {
			w.rcv[q] = s->data[i];
			w.have[q] = 1;
		}
	}
	st.stale_differ += differ;
	while (w.rcv_nxt < RCV_MAX && w.have[w.rcv_nxt])
		w.rcv_nxt++;
	if ((uint32_t)pos + s->len > w.rcv_end)
		w.rcv_end = (uint32_t)pos + s->len;
	trace("receiver: %d+%u, rcv_nxt %u%s", pos, s->len, w.rcv_nxt, s->ack_lost ? " (ack lost)" : "");
	if (!s->ack_lost)
		sender_ack(w.isn + w.rcv_nxt);
}

static void release_pre(void)
{
	static struct seg s;
	struct pre p = w.pre[0];

	memmove(&w.pre[0], &w.pre[1], --w.npre * sizeof(w.pre[0]));
	if (router(p.off, p.len, &s)) {
		s.ack_lost = p.ack_lost;
		receiver(&s);
	}
}

static void release_post(void)
{
	static struct seg s;

	s = w.post[0];
	memmove(&w.post[0], &w.post[1], --w.npost * sizeof(w.post[0]));
	receiver(&s);
}

static void transmit(uint32_t off, uint32_t len, unsigned fate, bool ack_lost)
{
	static struct seg s;

	if (!len)
		return;
	if (off + len > w.nxt)
		w.nxt = off + len;
	trace("sender: [%u,%u) fate %u%s", off, off + len, fate, ack_lost ? " ack lost" : "");
	if (fate == F_LOST_BEFORE)
		return;
	if (fate == F_DELAY_BEFORE) {
		if (w.npre == DELAY_MAX)
			release_pre();
		w.pre[w.npre++] = (struct pre){ off, len, ack_lost };
		return;
	}
	if (!router(off, len, &s) || fate == F_LOST_AFTER)
		return;
	s.ack_lost = ack_lost;
	if (fate == F_DELAY_AFTER) {
		if (w.npost == DELAY_MAX)
			release_post();
		w.post[w.npost++] = s;
		return;
	}
	receiver(&s);
}

static void send_new(uint32_t k, unsigned fate, bool ack_lost)
{
	uint32_t off = w.nxt, len = k < w.app_len - off ? k : w.app_len - off;

	len = mss_cap(len);

	if (!len)
		return;
	bound_add(off + len);
	transmit(off, len, fate, ack_lost);
}

static void send_again(uint32_t k, unsigned fate, bool ack_lost)
{
	uint32_t off = w.una, len = k < w.app_len - off ? k : w.app_len - off;

	len = mss_cap(len);

	if (!len)
		return;
	len = mss_again(off, len);
	if (off + len > w.nxt || w.mss)
		bound_collapse(off + len);
	transmit(off, len, fate, ack_lost);
}

/* Lossless rounds: what is in flight arrives, then the sender retransmits from snd_una in
 * its first-copy segments (merged up to an MSS) or sends new data. */
static void finish(void)
{
	for (unsigned round = 0; round < ROUNDS + w.app_len / mss_seg(); round++) {
		uint32_t end;

		while (w.npre)
			release_pre();
		while (w.npost)
			release_post();
		if (w.una == w.app_len)
			return;
		if (w.una == w.nxt) {
			send_new(mss_seg(), F_NOW, false);
			continue;
		}
		end = w.nxt;
		for (unsigned i = 0; i < w.nbound; i++) {
			if (w.bound[i] <= w.una)
				continue;
			end = w.bound[i];
			if (i + 1 == w.nbound || w.bound[i + 1] - w.una > mss_seg())
				break;
		}
		transmit(w.una, end - w.una, F_NOW, false);
	}
	fail_stream("stall: %u of %u bytes acknowledged after %d lossless rounds", w.una, w.app_len, ROUNDS);
}

/* A stateful protocol's message after the harness lost track of its state: its length, and
 * every byte but the ones the model says may vary, as sent. */
static bool varied(const struct line *l, const uint8_t *got, uint32_t avail)
{
	const uint8_t *o = w.app + l->off;
	uint32_t v = l->vary, e = l->vary + l->nvary;

	if (!w.model->stateful || !l->nvary || e > l->len || avail < l->len)
		return false;
	return !memcmp(got, o, v) && !memcmp(got + e, o + e, l->len - e);
}

/* The receiver's stream, line by line: each the line itself or its rewrite. */
static void check_stream(void)
{
	uint32_t r = 0;
	bool lost = false;	/* a stateful model no longer knows the state (an unclean line) */

	if (w.rcv_end > w.rcv_nxt)
		fail_stream("the receiver holds bytes up to %u, past its stream's end %u", w.rcv_end, w.rcv_nxt);
	for (unsigned i = 0; i < w.nline; i++) {
		const struct line *l = &w.line[i];
		bool same = r + l->len <= w.rcv_nxt && !memcmp(w.rcv + r, w.app + l->off, l->len);
		bool rw = !same && l->rewritable && r + l->alt_len <= w.rcv_nxt &&
			  !memcmp(w.rcv + r, w.alt + l->alt, l->alt_len);
		bool other;

		lost |= w.model->stateful && l->unclean;
		other = !same && !rw && lost && varied(l, w.rcv + r, w.rcv_nxt - r);
		if (!same && !rw && !other) {
			dump("line sent", w.app + l->off, l->len);
			if (l->rewritable)
				dump("its rewrite", w.alt + l->alt, l->alt_len);
			dump("received there", w.rcv + r, w.rcv_nxt - r < 160 ? w.rcv_nxt - r : 160);
			fail_stream("line %u (stream offset %u, receiver offset %u) arrived corrupted", i, l->off, r);
		}
		st.lines++;
		st.rewritable += l->rewritable;
		st.rewritten += rw;
		st.varied += other;
		if (l->rewritable && same && !l->unclean && !lost)
			fail("line %u (stream offset %u) reached the router cleanly but was not rewritten",
			     i, l->off);
		st.unclean_plain += l->rewritable && same;
		r += rw ? l->alt_len : l->len;
	}
	if (r != w.rcv_nxt)
		fail_stream("the receiver got %u bytes more than were sent", w.rcv_nxt - r);
}

/* Bytes before the fuzzed stream (the model's prologue): nfhelper must pass them unchanged. */
static void router_pass(int dir, uint32_t seq, const uint8_t *d, uint32_t len)
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

static void world_init(const struct stream_model *model, const struct helper_proto *proto, uint8_t cfg)
{
	static const char *const addr[4][2] = {
		{ "10.0.1.2", "192.168.100.100" }, { "10.0.1.2", "10.0.2.1" },
		{ "192.168.100.100", "10.0.2.1" }, { "10.0.1.2", NULL },
	};
	static uint8_t pro[2][4096];
	const char *const *a = addr[cfg & 3];
	static struct helper_cfg hc;	/* the dispatcher keeps a pointer to it */
	uint32_t plen[2] = { 0, 0 };

	memset(&w, 0, sizeof(w));
	if (tracing < 0) {
		tracing = getenv("FUZZ_STREAM_TRACE") != NULL;
		if (tracing)
			log_init("nfhelper", 2);
		strict = getenv("FUZZ_STREAM_STRICT") != NULL;
	}
	w.model = model;
	w.proto = proto;
	helper_cfg_init(&hc, proto);
	hc.max_conns = 16;
	if (dispatch_init(&w.dp, proto, &hc) < 0)
		abort();
	if (cfg & 16) {
		w.dp.ops = &fakect_ops;
		w.dp.ops_arg = &w.fk;
	}
	qmsg_conn_init(&w.c, AF_INET, a[0], 40000, "10.0.2.2", model->port, a[1], 7);
	kstore_bind(&w.c.kernel, proto);
	w.nat = w.env.nat = a[1] != NULL;
	memcpy(w.env.cl, w.c.ct.tuple[CT_DIR_ORIGINAL].src.all, 4);
	memcpy(w.env.na, w.c.ct.tuple[CT_DIR_REPLY].dst.all, 4);
	w.isn = (cfg & 4) ? 0xfffffff0U : 1001;
	w.synced = !(cfg & 8);
	w.rend[0] = 1;	/* the stream's first byte is the receiver's first */
	mss_pick(cfg);
	if (w.synced) {
		for (int dir = 0; dir < 2 && model->prologue; dir++)
			plen[dir] = model->prologue(&w.env, dir, pro[dir], sizeof(pro[dir]));
		router_ctl(CT_DIR_ORIGINAL, w.isn - 1 - plen[0], PKT_TCP_SYN);
		if (w.mss)
			mss_synack();
		else
			router_ctl(CT_DIR_REPLY, w.c.seq[1], PKT_TCP_SYN);
		if (plen[0])
			router_pass(CT_DIR_ORIGINAL, w.isn - plen[0], pro[0], plen[0]);
		if (plen[1])
			router_pass(CT_DIR_REPLY, w.c.seq[1] + 1, pro[1], plen[1]);
	}
}

static int model_find(const char *name)
{
	for (int i = 0; models[i]; i++)
		if (!strcmp(models[i]->name, name))
			return i;
	return -1;
}

/* The model the input names, and its protocol; NULL when there is none.  Every protocol
 * with a stream must have a model: one without fails at once, nothing is skipped. */
static const struct stream_model *model_named(const uint8_t *d, size_t size, size_t *used,
					      const struct helper_proto **proto, unsigned *index)
{
	const uint8_t *nul = memchr(d, 0, size < 16 ? size : 16);
	static bool checked;
	int i;

	for (unsigned k = 0; !checked && helper_protos[k]; k++) {
		if (helper_protos[k]->stream && model_find(helper_protos[k]->name) < 0) {
			fprintf(stderr, "fuzz_stream: protocol %s has a stream but no model "
				"(tests/fuzz/stream_%s.c)\n", helper_protos[k]->name, helper_protos[k]->name);
			abort();
		}
	}
	checked = true;
	if (!nul || (i = model_find((const char *)d)) < 0)
		return NULL;
	*proto = helper_find(models[i]->name);
	if (!*proto || !(*proto)->stream)
		return NULL;
	*used = (size_t)(nul - d) + 1;
	*index = (unsigned)i;
	return models[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct stream_model *model;
	const struct helper_proto *proto;
	struct stats before = st;
	const char *held;
	unsigned n, mi;
	size_t off;

	model = model_named(data, size, &off, &proto, &mi);
	if (!model || size < off + 3)
		return 0;
	data += off;
	size -= off;
	off = 2;
	st.inputs++;
	world_init(model, proto, data[0]);
	if (setjmp(w.out))
		goto out;
	n = 1 + data[1] % LINES_MAX;
	for (unsigned i = 0; i < n && off < size; i++)
		app_line(data[off++]);
	trace("%s, config %#x, %u lines, %u bytes", model->name, data[0], w.nline, w.app_len);
	for (; off + 2 <= size; off += 2) {
		uint8_t op = data[off];
		uint32_t k = 1U + data[off + 1];
		unsigned fate = (op >> 2) & 7;
		bool ack_lost = op & 32;

		if (fate > F_DELAY_AFTER)
			fate = F_NOW;
		switch (op & 3) {
		case 1:
			send_again(k, fate, ack_lost);
			break;
		case 2:
			if ((op & 4) && w.npost)
				release_post();
			else if (!(op & 4) && w.npre)
				release_pre();
			break;
		default:
			send_new(k, fate, ack_lost);
			break;
		}
	}
	finish();
	check_stream();
out:
	st.limited += w.limited;
	stats_add(mi, &before);
	dispatch_conn_end(&w.dp, w.c.ct.id, &w.c.ct.tuple[CT_DIR_ORIGINAL]);
	held = model->ended ? model->ended() : NULL;
	dispatch_free(&w.dp);
	if (held)
		fail("%s after the conntrack ended", held);
	return 0;
}
