// SPDX-License-Identifier: GPL-2.0-or-later
/* Tests for the TCP stream layer (src/stream.c) under NAT, through the FTP helper: hold-back
 * that never stalls a Nagle sender, retransmissions that repeat their first copy byte for
 * byte, reordering while bytes are held, size limits, the packet transaction, and the path's
 * bound (MSS, DF: src/stream_bound.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "fakect.h"
#include "ftp.h"
#include "kseqadj.h"
#include "pool.h"
#include "pkttest.h"
#include "tap.h"

static struct helper_cfg cfg = {
	.name = "ftp", .queue = 21, .policy = { { "ftp", 4, 300 } }, .max_conns = 64,
};

static void nat_conn(struct dispatch *dp, struct qmsg_conn *c, struct fakect *f, uint32_t id)
{
	dispatch_init(dp, &ftp_proto, &cfg);
	if (f) {
		dp->ops = &fakect_ops;
		dp->ops_arg = f;
	}
	qmsg_conn_init(c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "10.0.2.1", id);
	pt_handshake(dp, c);
}

/* A Nagle sender writes "PORT 10,0,1," and waits for its acknowledgement: the segment must
 * not leave empty (nothing to acknowledge), and a retransmission repeats the first copy. */
static void test_nagle(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1;

	nat_conn(&dp, &c, NULL, 101);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	pt_payload_is(&v, "PORT ", "stream Nagle: the command word leaves, the numbers are held");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,", &s1, &v);
	pt_payload_is(&v, "PORT ", "stream Nagle: its retransmission repeats the first copy");
	pt_seg(&dp, &c, 0, "2,156,70\r\n", &v);
	pt_payload_is(&v, "10,0,2,1,156,70\r\n", "stream Nagle: the rest completes the command");
	tap_ok(v.has_exp && v.exp_tuple.dport == 40006, "stream Nagle: expectation for port 40006");
	dispatch_free(&dp);
}

/* A segment that is nothing but the start of the numbers would leave empty: dropped once, as
 * the kernel drops a partial command; coming again alone it passes unchanged (no rewrite, no
 * expectation: degraded, not hung); coming again with the rest it is rewritten whole. */
static void test_empty_hold(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1;

	nat_conn(&dp, &c, NULL, 102);
	pt_seg(&dp, &c, 0, "PORT ", &v);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "10,0,1,", &v);
	tap_ok(v.verdict == NF_DROP, "stream empty hold: a segment that would leave empty is dropped");
	c.seq[0] = s1;
	pt_seg(&dp, &c, 0, "10,0,1,2,156,70\r\n", &v);
	pt_payload_is(&v, "10,0,2,1,156,70\r\n", "stream empty hold: the retransmission with the rest is rewritten");
	tap_ok(v.has_exp, "stream empty hold: and its expectation created");
	pt_seg(&dp, &c, 0, "PORT ", &v);
	s1 = c.seq[0];
	c.seq[0] += 7;
	pt_send(&dp, &c, 0, 0, "10,0,1,", &s1, &v);
	tap_ok(v.verdict == NF_DROP, "stream empty hold: dropped once");
	pt_send(&dp, &c, 0, 0, "10,0,1,", &s1, &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload, "stream empty hold: the same segment again passes unchanged");
	pt_seg(&dp, &c, 0, "2,156,71\r\n", &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload && !v.has_exp,
	       "stream empty hold: that command is not rewritten (its start left as it was)");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,72\r\n", &v);
	pt_payload_is(&v, "PORT 10,0,2,1,156,72\r\n", "stream empty hold: the next command is rewritten again");
	dispatch_free(&dp);
}

/* "PORT 10,0,1," held, then a retransmission of it that also carries the rest: the held
 * bytes must not be sent twice; the segment is cut to what its first copy carried. */
static void test_overlap(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1;

	nat_conn(&dp, &c, NULL, 103);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,70\r\n", &s1, &v);
	pt_payload_is(&v, "PORT ", "stream overlap: cut to its first copy's bytes, held bytes not repeated");
	tap_ok(!v.has_exp, "stream overlap: no expectation from the cut segment");
	pt_seg(&dp, &c, 0, "2,156,70\r\n", &v);
	pt_payload_is(&v, "10,0,2,1,156,70\r\n", "stream overlap: the sender's next copy of the rest completes it");
	dispatch_free(&dp);
}

/* Reordering while bytes are held: a later segment first would get an offset the held
 * command then changes, so it is dropped (the sender repeats it); nothing held is lost. */
static void test_reorder(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s2, s3;

	nat_conn(&dp, &c, NULL, 104);
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	s2 = c.seq[0];
	s3 = s2 + 10;
	pt_send(&dp, &c, 0, 0, "NOOP\r\n", &s3, &v);
	tap_ok(v.verdict == NF_DROP, "stream reorder: a segment ahead of held bytes is dropped");
	pt_send(&dp, &c, 0, 0, "2,156,70\r\n", &s2, &v);
	pt_payload_is(&v, "10,0,2,1,156,70\r\n", "stream reorder: the held command still completes");
	pt_send(&dp, &c, 0, 0, "NOOP\r\n", &s3, &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload, "stream reorder: the later segment passes when it comes again");
	/* The completing segment's retransmission carries the held bytes again, exactly. */
	pt_send(&dp, &c, 0, 0, "2,156,70\r\n", &s2, &v);
	pt_payload_is(&v, "10,0,2,1,156,70\r\n", "stream reorder: retransmission of the completing segment");
	dispatch_free(&dp);
}

/* Retransmissions of rewritten segments, whatever their shape, never leak the private
 * address: mid-line starts, and an old rewritten segment collapsed with new data. */
static void test_retransmit(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1, s2;

	nat_conn(&dp, &c, NULL, 105);
	pt_seg(&dp, &c, 0, "NOOP\r\nPO", &v);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "RT 10,0,1,2,156,64\r\n", &v);
	pt_payload_is(&v, "RT 10,0,2,1,156,64\r\n", "stream retransmit: segment starting mid-line rewritten");
	pt_send(&dp, &c, 0, 0, "RT 10,0,1,2,156,64\r\n", &s1, &v);
	pt_payload_is(&v, "RT 10,0,2,1,156,64\r\n", "stream retransmit: ... and so is its retransmission");
	s2 = c.seq[0];
	pt_seg(&dp, &c, 0, "NOOP\r\n", &v);
	c.seq[0] = s1 + 20 + 6;
	pt_send(&dp, &c, 0, 0, "RT 10,0,1,2,156,64\r\nNOOP\r\nPORT 10,0,1,2,156,65\r\n", &s1, &v);
	pt_payload_is(&v, "RT 10,0,2,1,156,64\r\nNOOP\r\nPORT 10,0,2,1,156,65\r\n",
		      "stream retransmit: old rewritten part collapsed with new data: both rewritten "
		      "(no length changed, so the kernel has no correction to keep)");
	dispatch_free(&dp);
	/* With a length change the kernel keeps its correction where the old part's rewrite
	 * was: the new part could not change length, so the segment is cut to the old part. */
	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100", 109);
	pt_handshake(&dp, &c);
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	s2 = c.seq[0];
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\nPORT 10,0,1,2,156,65\r\n", &s1, &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\n",
		      "stream retransmit: old part with a length change collapsed with new data: cut to the old part");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,65\r\n", &s2, &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,65\r\n", "stream retransmit: the new part on its own is rewritten");
	dispatch_free(&dp);
}

/* A gap (data never seen, or still to come) resynchronises the parser but keeps what was
 * old old: a retransmission of a rewritten segment is repeated from the journal, not passed
 * with the private address nor parsed again (found by fuzz_stream). */
static void test_gap(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s0, s40;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100", 110);
	pt_handshake(&dp, &c);
	s0 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\nSITE abcd", &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\nSITE abcd", "stream gap: first copy rewritten");
	s40 = s0 + 40;
	pt_send(&dp, &c, 0, 0, "Z", &s40, &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload, "stream gap: a segment after a gap passes");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\nSITE abcdefgh\r\nNO", &s0, &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\nSITE abcdefgh\r\nNO",
		      "stream gap: the retransmission over the gap repeats the journalled rewrite");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\nSITE abcd", &s0, &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\nSITE abcd", "stream gap: and again, exactly");
	dispatch_free(&dp);
}

/* New bytes that change length behind old, unchanged ones: dropped once (the kernel would
 * put the correction before the change), taken when the same segment comes again. */
static void test_behind_old(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s0, s1;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100", 111);
	pt_handshake(&dp, &c);
	s0 = c.seq[0];
	pt_seg(&dp, &c, 0, "NOOP\r\n", &v);
	s1 = c.seq[0];
	pt_send(&dp, &c, 0, 0, "NOOP\r\nPORT 10,0,1,2,156,64\r\n", &s0, &v);
	tap_ok(v.verdict == NF_DROP, "stream behind old: a length change behind old bytes is dropped once");
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,64\r\n", &s1, &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\n", "stream behind old: the new bytes on their own");
	dispatch_free(&dp);
	dispatch_init(&dp, &ftp_proto, &cfg);
	pt_handshake(&dp, &c);
	s0 = c.seq[0];
	pt_seg(&dp, &c, 0, "NOOP\r\n", &v);
	pt_send(&dp, &c, 0, 0, "NOOP\r\nPORT 10,0,1,2,156,64\r\n", &s0, &v);
	pt_send(&dp, &c, 0, 0, "NOOP\r\nPORT 10,0,1,2,156,64\r\n", &s0, &v);
	pt_payload_is(&v, "NOOP\r\nPORT 192,168,100,100,156,64\r\n",
		      "stream behind old: the same segment again is taken as it is");
	dispatch_free(&dp);
}

/* Where the kernel sends a segment of in_len bytes at seq, its verdict v taken as the kernel
 * takes it (tests/lib/kseqadj.c: one correction, set by a changed packet); 0 when dropped. */
static uint32_t kernel_place(struct kseqadj *k, const struct qmsg_verdict *v, uint32_t seq,
			     uint32_t in_len)
{
	struct pkt p;

	if (v->verdict != NF_ACCEPT)
		return 0;
	if (v->payload && pkt_parse(v->payload, v->payload_len, &p) == 0) {
		kseqadj_set(k, p.seq, (int32_t)p.len - (int32_t)in_len);
		seq = p.seq;
	}
	return kseqadj_seq(k, seq);
}

/* Bytes passed unchanged ahead of two corrections (a hold's -7, its release's +14), then a
 * copy of them from inside their segment: one the sender sent first but that was delayed
 * before the router, or a retransmission cut elsewhere.  The kernel keeps the newer
 * correction only and maps them with its offset_before, 7 bytes early; they must leave at a
 * sequence number it maps to where their first copy went.  fuzz_stream took such copies for
 * late first copies and failed them ("a late first copy from 6 lands at receiver 6, not -9"):
 * here the place is right. */
static void test_copy_inside(void)
{
	static const char *const what[2] = { "met mid-stream", "after the handshake" };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	for (int synced = 0; synced < 2; synced++) {
		struct kseqadj k = { 0 };
		uint32_t s0, s2, s4, got;

		dispatch_init(&dp, &ftp_proto, &cfg);
		qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100",
			       150 + (uint32_t)synced);
		if (synced)
			pt_handshake(&dp, &c);
		s0 = c.seq[0];
		s2 = s0 + 2;
		s4 = s0 + 4;
		if (synced) {
			pt_seg(&dp, &c, 0, "NOOP\r\n", &v);
			kernel_place(&k, &v, s0, 6);
			pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
			pt_payload_is(&v, "PORT ", "stream copy inside: the numbers are held");
			kernel_place(&k, &v, s0 + 6, 12);
		} else {
			/* The first line passes unparsed (a boundary is found after it), then
			 * the next command's numbers are held. */
			pt_seg(&dp, &c, 0, "NOOP\r\nPORT 10,0,1,", &v);
			pt_payload_is(&v, "NOOP\r\nPORT ", "stream copy inside: the numbers are held");
			kernel_place(&k, &v, s0, 18);
		}
		pt_seg(&dp, &c, 0, "2,156,64\r\n", &v);
		pt_payload_is(&v, "192,168,100,100,156,64\r\n", "stream copy inside: the command completes");
		kernel_place(&k, &v, s0 + 18, 10);
		pt_send(&dp, &c, 0, 0, "OP\r\n", &s2, &v);
		got = kernel_place(&k, &v, s2, 4) - s0;
		tap_ok(got == 2, "stream copy inside (%s): a copy from inside the first segment reaches "
		       "the receiver where its first copy did (2, got %d)", what[synced], (int32_t)got);
		pt_payload_is(&v, "OP\r\n", "stream copy inside: its bytes unchanged");
		pt_send(&dp, &c, 0, 0, "NOOP", &s0, &v);
		got = kernel_place(&k, &v, s0, 4) - s0;
		tap_ok(got == 0, "stream copy inside (%s): so does one from its start, cut short (0, "
		       "got %d)", what[synced], (int32_t)got);
		pt_send(&dp, &c, 0, 0, "\r\n", &s4, &v);
		got = kernel_place(&k, &v, s4, 2) - s0;
		tap_ok(got == 4, "stream copy inside (%s): and one ending where it did (4, got %d)",
		       what[synced], (int32_t)got);
		dispatch_free(&dp);
	}
}

/* NAT port search bounds and the packet transaction. */
static void test_transaction(void)
{
	struct fakect f = { .taken = { 65535, 40000 } };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	uint32_t s0;

	nat_conn(&dp, &c, &f, 106);
	s0 = c.seq[0];
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,255,255\r\n", &s0, &v);
	tap_ok(v.verdict == NF_DROP && f.calls == 1,
	       "stream tx: port 65535 taken: one try (nothing above it), dropped (%u tries)", f.calls);
	/* The second command finds no port: the packet is dropped and the first's
	 * expectation removed again, as nf_nat_ftp unexpects on failure. */
	f.taken_from = 50000;
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,70\r\nPORT 10,0,1,2,195,80\r\n", &s0, &v);
	tap_ok(v.verdict == NF_DROP && !fakect_has_port(&f, 40006) && f.dels == 1,
	       "stream tx: second command without a port: dropped, the first's expectation undone");
	f.taken_from = 0;
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,70\r\nPORT 10,0,1,2,195,80\r\n", &s0, &v);
	tap_ok(v.verdict == NF_ACCEPT && fakect_has_port(&f, 40006) && fakect_has_port(&f, 50000),
	       "stream tx: its retransmission creates both");
	dispatch_free(&dp);
}

/* A rewrite that would grow a packet past one netlink attribute is refused before anything
 * is committed: dropped, its expectations removed, the stream as before. */
static void test_too_big(void)
{
	static char big[65535];
	struct fakect f = { 0 };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1, n = 65518 - 40, w = 0;

	dispatch_init(&dp, &ftp_proto, &cfg);
	dp.ops = &fakect_ops;
	dp.ops_arg = &f;
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100", 107);
	pt_handshake(&dp, &c);
	for (int i = 0; i < 3; i++)
		w += (uint32_t)sprintf(big + w, "PORT 10,0,1,2,156,%d\r\n", 64 + i);
	while (w < n - 2)
		big[w++] = 'x';
	big[w++] = '\r';
	big[w++] = '\n';
	big[w] = 0;
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, big, &v);
	tap_ok(v.verdict == NF_DROP && f.nlive == 0 && f.dels == 3,
	       "stream too big: 65518-byte packet growing by 21 dropped, 3 expectations undone (%u left)", f.nlive);
	c.seq[0] = s1;
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,64\r\n", &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,64\r\n", "stream too big: the stream is as before the drop");
	dispatch_free(&dp);
}

/* Only established packets are parsed; a late destroy event for a reused id spares the new
 * connection. */
static void test_lifecycle(void)
{
	struct dispatch dp;
	struct qmsg_conn c, other;
	struct qmsg_verdict v;

	dispatch_init(&dp, &ftp_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, NULL, 108);
	pt_send(&dp, &c, 0, PKT_TCP_SYN, "PORT 10,0,1,2,156,64\r\n", NULL, &v);
	tap_ok(!v.has_exp, "stream: data on a SYN is no command");
	pt_send(&dp, &c, 1, PKT_TCP_SYN, NULL, NULL, &v);
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,65\r\n", &v);
	tap_ok(!v.has_exp, "stream: after SYN data the first line may be a tail: not trusted");
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,66\r\n", &v);
	tap_ok(v.has_exp, "stream: the next line is parsed");
	qmsg_conn_init(&other, AF_INET, "10.0.1.3", 40000, "10.0.2.2", 21, NULL, 108);
	dispatch_conn_end(&dp, 108, &other.ct.tuple[CT_DIR_ORIGINAL]);
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,67\r\n", &v);
	tap_ok(v.has_exp, "stream: a destroy event naming another connection with this id leaves it alone");
	dispatch_conn_end(&dp, 108, &c.ct.tuple[CT_DIR_ORIGINAL]);
	kstore_reset(&c.kernel);	/* its private data ended with it: a new conntrack */
	pt_seg(&dp, &c, 0, "PORT 10,0,1,2,156,68\r\n", &v);
	tap_ok(!v.has_exp, "stream: after its own destroy event the state is gone (fresh, mid-stream)");
	dispatch_free(&dp);
}

/* A verdict that rewrites while the restart record stays (numbers held back mid-line, a
 * retransmission repeating its rewrite) still carries CTA_HELP_INFO, the kernel's copy: with
 * the bare name the kernel calls the helper's from_nlattr(NULL), which crashed the nfh_pptp
 * module.  A pure ACK still gets the minimal verdict, without NFQA_CT. */
static void test_help_info(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint8_t stored[16];
	uint32_t s1;

	nat_conn(&dp, &c, NULL, 112);
	pt_seg(&dp, &c, 0, "USER anonymous\r\n", &v);
	memcpy(stored, c.kernel.data, sizeof(stored));
	s1 = c.seq[0];
	pt_seg(&dp, &c, 0, "PORT 10,0,1,", &v);
	tap_ok(v.payload && v.has_ct && !strcmp(v.helper, "ftp") && v.has_help_info &&
	       v.help_info_len == 16 && !memcmp(v.help_info, stored, 16),
	       "stream: a rewrite with the restart record unchanged sends the stored CTA_HELP_INFO");
	pt_seg(&dp, &c, 0, "2,156,70\r\n", &v);
	memcpy(stored, c.kernel.data, sizeof(stored));
	pt_send(&dp, &c, 0, 0, "PORT 10,0,1,2,156,70\r\n", &s1, &v);
	tap_ok(v.payload && v.has_ct && v.has_help_info && v.help_info_len == 16 &&
	       !memcmp(v.help_info, stored, 16),
	       "stream: a retransmission repeating its rewrite sends the stored CTA_HELP_INFO");
	pt_send(&dp, &c, 1, 0, NULL, NULL, &v);
	tap_ok(!v.has_ct && !v.payload && !v.has_exp && v.verdict == NF_ACCEPT,
	       "stream: a pure ACK gets a verdict without NFQA_CT");
	dispatch_free(&dp);
}

/* Out of sync after a segment reordered ahead passed unparsed, the kernel's record (the line
 * start before it) must not resynchronise a segment behind those bytes: a retransmission of
 * the line would rewrite bytes whose first copy went out unchanged. */
static void test_resume_behind(void)
{
	static const char line[] = "PORT 10,0,1,2,156,66\r\n";
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s0, s;

	nat_conn(&dp, &c, NULL, 113);
	pt_seg(&dp, &c, 0, "USER anonymous\r\n", &v);
	s0 = c.seq[0];
	s = s0 + 1;
	pt_send_bin(&dp, &c, 0, 0, line + 1, 9, &s, &v);
	pt_send_bin(&dp, &c, 0, 0, line, 1, &s0, &v);
	s = s0 + 10;
	pt_send_bin(&dp, &c, 0, 0, line + 10, sizeof(line) - 13, &s, &v);
	tap_ok(!v.payload, "stream: the line's numbers, met out of sync, pass unchanged");
	pt_send(&dp, &c, 0, 0, line, &s0, &v);
	tap_ok(!v.payload || pt_payload_is(&v, line, "stream: its retransmission"),
	       "stream: its retransmission is not rewritten behind bytes passed unchanged");
	dispatch_free(&dp);
}

/* A test protocol on the stream layer that edits as SIP will: per line "<a> <b> <c>\n" one
 * message whose edits come last place first (c, then a, then an insertion before b), a
 * second message that overlaps the first and is void as a whole, and a third left open.
 * The segment must leave with exactly the first message's edits, in stream order, and its
 * retransmission repeat it. */
struct ed_state {
	struct stream_dir sd[2];
	int parser[2];
	struct stream_kstate k;
};

static void ed_sync(void *parser, int dir, uint64_t off)
{
}

static bool ed_idle(const void *parser)
{
	return true;
}

static uint64_t ed_hold_from(const void *parser)
{
	return STREAM_NO_HOLD;
}

static unsigned ed_void;	/* messages the second edit group voided */

static bool ed_parse(struct help_ctx *ctx, void *parser, struct stream_pkt *sp, struct help_result *res)
{
	const uint8_t *sp1 = memchr(sp->data, ' ', sp->len), *sp2, *nl;
	uint64_t base = sp->base + sp->carry_len;

	if (!sp1 || !(sp2 = memchr(sp1 + 1, ' ', sp->len - (uint32_t)(sp1 + 1 - sp->data))) ||
	    !(nl = memchr(sp2, '\n', sp->len - (uint32_t)(sp2 - sp->data))))
		return true;
	edit_set_begin(&sp->edits);
	stream_edit(sp, base + (uint64_t)(sp2 + 1 - sp->data), (uint32_t)(nl - sp2 - 1), "CCC", 3);
	stream_edit(sp, base, (uint32_t)(sp1 - sp->data), "A", 1);
	stream_edit(sp, base + (uint64_t)(sp1 + 1 - sp->data), 0, "<", 1);
	if (edit_set_commit(&sp->edits))
		return true;
	edit_set_begin(&sp->edits);
	stream_edit(sp, base + (uint64_t)(nl - sp->data), 0, "!", 1);
	if (stream_edit(sp, base + 1, 1, "x", 1) == -EINVAL && edit_set_commit(&sp->edits) == -EINVAL)
		ed_void++;
	edit_set_begin(&sp->edits);	/* left open: never committed, never rewritten */
	stream_edit(sp, base + (uint64_t)(nl - sp->data), 0, "?", 1);
	return true;
}

static const struct stream_proto ed_stream = {
	.parser_size = sizeof(int), .hold_max = 64, .sync = ed_sync, .boundary = stream_line_boundary,
	.idle = ed_idle, .hold_from = ed_hold_from, .parse = ed_parse,
};

static void ed_help(struct help_ctx *ctx, struct help_result *res)
{
	struct ed_state *st = ctx->state;

	stream_help(ctx, &ed_stream, &st->sd[ctx->dir], &st->parser[ctx->dir], &st->k, res);
}

static void ed_destroy(struct pool *pool, void *state)
{
	struct ed_state *st = state;

	stream_release(pool, &st->sd[0]);
	stream_release(pool, &st->sd[1]);
}

static const struct helper_l4 ed_l4[] = { { IPPROTO_TCP, ed_help } };
static const struct cthelper_policy ed_policy[] = { { .name = "ftp", .max_expected = 1, .timeout = 60 } };
static const struct helper_proto ed_proto = {
	.name = "ftp", .l4 = ed_l4, .nl4 = 1, .priv_data_len = HELPER_PRIV_DATA_LEN(struct stream_kstate),
	.policy = ed_policy, .npolicy = 1, .state_size = sizeof(struct ed_state), .destroy = ed_destroy,
	.stream = &ed_stream,
};

static void test_edit_order(void)
{
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	uint32_t s1;

	dispatch_init(&dp, &ed_proto, &cfg);
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "10.0.2.1", 140);
	pt_handshake(&dp, &c);
	s1 = c.seq[0];
	ed_void = 0;
	pt_seg(&dp, &c, 0, "first second third\n", &v);
	pt_payload_is(&v, "A <second CCC\n", "stream edits: recorded last place first, composed in stream order");
	TAP_EQ_U(ed_void, 1, "stream edits: the overlapping message was void");
	pt_send(&dp, &c, 0, 0, "first second third\n", &s1, &v);
	pt_payload_is(&v, "A <second CCC\n", "stream edits: the retransmission repeats the first copy");
	TAP_EQ_U(ed_void, 1, "stream edits: and is not parsed again");
	dispatch_free(&dp);
}


/* --- the path's bound: MSS options, DF ------------------------------------------------ */

/* TCP options and DF for the segments bsend sends (pt_send sends neither). */
static const uint8_t *b_opt;
static uint32_t b_olen;
static bool b_df;

static bool bsend(struct dispatch *dp, struct qmsg_conn *c, int dir, uint8_t flags, const void *data,
		  uint32_t len, const uint32_t *seq, struct qmsg_verdict *v)
{
	static uint8_t body[PKT_MAX], pkt[PKT_MAX], msg[PKT_MAX + 4096] __attribute__((aligned(4)));
	static uint32_t id = 1U << 30;
	uint32_t s = seq ? *seq : c->seq[dir], n;
	const struct nlmsghdr *nlh;
	struct help_result res;
	struct pkt p;

	if (b_olen)
		memcpy(body, b_opt, b_olen);
	if (len)
		memcpy(body + b_olen, data, len);
	n = qmsg_tcp(pkt, c, dir, s, flags, body, b_olen + len);
	if (pkt_parse(pkt, n, &p) < 0)
		return false;
	pkt[p.l4off + 12] = (uint8_t)((5 + b_olen / 4) << 4);	/* the options are no payload */
	if (b_df && c->ct.tuple[0].l3 == AF_INET)
		pkt[6] |= 0x40;
	if (pkt_parse(pkt, n, &p) < 0)
		return false;
	pkt_set_seq(pkt, &p, n, s);	/* checksums */
	if (!c->kernel.bound)
		kstore_bind(&c->kernel, dp->proto);
	if (!seq)
		c->seq[dir] += len + ((flags & PKT_TCP_SYN) ? 1 : 0);
	if (len && len + b_olen > c->seen[dir])
		c->seen[dir] = len + b_olen;
	nlh = qmsg_packet(msg, sizeof(msg), c, dir, ++id, pkt, n);
	nlh = nlh ? dispatch_packet(dp, nlh, 1, &res) : NULL;
	if (!nlh)
		return false;
	pt_kernel_apply(c, nlh);
	if (qmsg_verdict_decode(nlh, v) < 0 || v->id != id)
		return false;
	pt_bound_check(c, dir, pkt, n, v);
	return true;
}

static bool bseg(struct dispatch *dp, struct qmsg_conn *c, const char *data, struct qmsg_verdict *v)
{
	return bsend(dp, c, 0, 0, data, (uint32_t)strlen(data), NULL, v);
}

/* head, then 'x' up to len bytes in all, the last two "\r\n" when crlf. */
static const char *filler(const char *head, uint32_t len, bool crlf)
{
	static char buf[4096];
	uint32_t h = (uint32_t)strlen(head);

	memcpy(buf, head, h);
	memset(buf + h, 'x', len - h);
	if (crlf)
		memcpy(buf + len - 2, "\r\n", 2);
	buf[len] = 0;
	return buf;
}

/* A NATed FTP connection, IPv4 or IPv6, whose SYN announces MSS 1460 and whose SYN-ACK
 * carries opt (olen bytes; NULL: none); every segment after it has DF set. */
static void bound_conn(struct dispatch *dp, struct qmsg_conn *c, struct fakect *f, uint8_t l3,
		       const uint8_t *opt, uint32_t olen, uint32_t id)
{
	static const uint8_t syn[4] = { 2, 4, 1460 >> 8, 1460 & 0xff };
	struct qmsg_verdict v;

	dispatch_init(dp, &ftp_proto, &cfg);
	dp->ops = &fakect_ops;
	dp->ops_arg = f;
	if (l3 == AF_INET)
		qmsg_conn_init(c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100", id);
	else
		qmsg_conn_init(c, AF_INET6, "fd00:1::2", 40000, "2001:db8::2", 21, "2001:db8::100", id);
	b_df = true;
	b_opt = syn;
	b_olen = 4;
	bsend(dp, c, 0, PKT_TCP_SYN, NULL, 0, NULL, &v);
	b_opt = opt;
	b_olen = opt ? olen : 0;
	bsend(dp, c, 1, PKT_TCP_SYN, NULL, 0, NULL, &v);
	b_opt = NULL;
	b_olen = 0;
}

static uint32_t out_len(const struct qmsg_verdict *v)
{
	struct pkt p;

	return v->payload && pkt_parse(v->payload, v->payload_len, &p) == 0 ? p.len : 0;
}

/* The server announced MSS 500, below the 536 every path carries: a rewrite that grows a
 * 500-byte segment past it passes unrewritten (its expectation undone, counted); a short one
 * is still rewritten; the bound counts the segment's options against the MSS. */
static void test_bound_grow(void)
{
	static const uint8_t mss500[4] = { 2, 4, 500 >> 8, 500 & 0xff };
	static const uint8_t ts[12] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2 };
	struct fakect f = { 0 };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	bound_conn(&dp, &c, &f, AF_INET, mss500, 4, 120);
	bseg(&dp, &c, filler("PORT 10,0,1,2,156,64\r\nSITE ", 500, true), &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload && !v.has_exp && f.nlive == 0 && f.dels == 1 &&
	       dp.pool.unbounded == 1, "stream bound: a full-size segment growing past MSS 500 passes "
	       "unrewritten, its expectation undone, counted (%llu)", (unsigned long long)dp.pool.unbounded);
	bseg(&dp, &c, "PORT 10,0,1,2,156,65\r\n", &v);
	pt_payload_is(&v, "PORT 192,168,100,100,156,65\r\n", "stream bound: a short segment is still rewritten");
	tap_ok(f.nlive == 1, "stream bound: with its expectation");
	b_opt = ts;
	b_olen = sizeof(ts);
	bseg(&dp, &c, filler("PORT 10,0,1,2,156,66\r\nSITE ", 481, true), &v);
	tap_ok(out_len(&v) == 488, "stream bound: 481 bytes and 12 of options grow to 500 - 12 (%u)", out_len(&v));
	bseg(&dp, &c, filler("PORT 10,0,1,2,156,67\r\nSITE ", 482, true), &v);
	tap_ok(!v.payload && dp.pool.unbounded == 2, "stream bound: one byte more passes unrewritten");
	b_opt = NULL;
	b_olen = 0;
	dispatch_free(&dp);
}

/* Bytes held back, then a segment longer than any before: what does not fit stays held while
 * the line is unfinished; at a line end IPv4 leaves whole with DF cleared.  A bulk sender's
 * split command is not held at all. */
static void test_bound_held(void)
{
	struct fakect f = { 0 };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	char want[1100];
	uint32_t s2;

	bound_conn(&dp, &c, &f, AF_INET, NULL, 0, 121);
	bseg(&dp, &c, "PORT 10,0,1,", &v);
	s2 = c.seq[0];
	bseg(&dp, &c, filler("2,156,70\r\nSITE ", 1000, false), &v);
	snprintf(want, sizeof(want), "%s", filler("192,168,100,100,156,70\r\nSITE ", 1000, false));
	pt_payload_is(&v, want, "stream bound: a hold released with a longer segment leaves as much "
		      "as fits, the rest stays held");
	tap_ok(v.payload && (v.payload[6] & 0x40), "stream bound: DF kept");
	bseg(&dp, &c, "yyy\r\n", &v);
	pt_payload_is(&v, "xxxxxxxxxxxxxxyyy\r\n", "stream bound: the rest leaves with the next segment");
	bsend(&dp, &c, 0, 0, filler("2,156,70\r\nSITE ", 1000, false), 1000, &s2, &v);
	pt_payload_is(&v, want, "stream bound: the cut segment's retransmission repeats it");
	dispatch_free(&dp);

	bound_conn(&dp, &c, &f, AF_INET, NULL, 0, 122);
	bseg(&dp, &c, "PORT 10,0,1,", &v);
	bseg(&dp, &c, filler("2,156,70\r\nSITE ", 1000, true), &v);
	tap_ok(out_len(&v) == 1014 && !(v.payload[6] & 0x40) && dp.pool.dfcleared == 1 &&
	       pkt_csum_fold(pkt_csum_add(0, v.payload, 20)) == 0,
	       "stream bound: ending at a line end, it leaves whole with DF cleared (IPv4), header "
	       "checksum right, counted (%u bytes)", out_len(&v));
	dispatch_free(&dp);

	bound_conn(&dp, &c, &f, AF_INET, NULL, 0, 123);
	bseg(&dp, &c, filler("SITE ", 1000, true), &v);
	bseg(&dp, &c, "PORT 10,0,1,", &v);
	tap_ok(!v.payload && dp.pool.unbounded == 1, "stream bound: after full-size segments a split "
	       "command is not held back (it would not fit), counted");
	bseg(&dp, &c, "2,156,70\r\n", &v);
	tap_ok(!v.payload && !v.has_exp, "stream bound: and not rewritten, as the kernel's helper would not");
	dispatch_free(&dp);
}

/* IPv6 cannot be fragmented on the way: at a line end the rest stays held (counted, a
 * possible stall) and leaves with the next segment. */
static void test_bound_v6(void)
{
	static const char eprt[] = "|2|2001:0db8:0000:0000:0000:0000:0000:0100|40000|\r\nSITE ";
	struct fakect f = { 0 };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	char want[1400], rest[64];

	bound_conn(&dp, &c, &f, AF_INET6, NULL, 0, 124);
	bseg(&dp, &c, "EPRT |2|fd00:", &v);
	pt_payload_is(&v, "EPRT ", "stream bound v6: the address is held");
	bseg(&dp, &c, filler("1::2|40000|\r\nSITE ", 1300, true), &v);
	/* 8 held + 1300 new, 30 longer rewritten: 38 bytes over the 1300 this sender sent */
	snprintf(want, sizeof(want), "%s", filler(eprt, 1300, false));
	pt_payload_is(&v, want, "stream bound v6: at a line end as much as fits leaves");
	tap_ok(dp.pool.overbound == 1 && dp.pool.dfcleared == 0, "stream bound v6: the rest kept held, "
	       "counted as a possible stall");
	bseg(&dp, &c, "NOOP\r\n", &v);
	snprintf(rest, sizeof(rest), "%.36s\r\nNOOP\r\n", filler("", 36, false));
	pt_payload_is(&v, rest, "stream bound v6: the rest leaves with the next segment");
	dispatch_free(&dp);
}

/* No SYN seen (a restart): the longest segment seen, at least 536 bytes, is the bound. */
static void test_bound_restart(void)
{
	struct fakect f = { 0 };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;

	dispatch_init(&dp, &ftp_proto, &cfg);
	dp.ops = &fakect_ops;
	dp.ops_arg = &f;
	qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, "192.168.100.100", 125);
	b_df = true;
	bseg(&dp, &c, "NOOP\r\n", &v);
	bseg(&dp, &c, filler("PORT 10,0,1,2,156,64\r\nSITE ", 536, true), &v);
	tap_ok(v.verdict == NF_ACCEPT && !v.payload && dp.pool.unbounded == 1,
	       "stream bound restart: 536 bytes growing past the default pass unrewritten");
	bseg(&dp, &c, filler("SITE ", 1000, true), &v);
	bseg(&dp, &c, filler("PORT 10,0,1,2,156,65\r\nSITE ", 600, true), &v);
	tap_ok(out_len(&v) == 607, "stream bound restart: after 1000 bytes seen, 600 may grow to 607 (%u)",
	       out_len(&v));
	dispatch_free(&dp);
}

/* A hostile MSS option reads as none (the default, 536), never as a small or zero bound and
 * never past the options; a valid MSS 300 is read. */
static void test_bound_hostile(void)
{
	static const uint8_t bad[][8] = {
		{ 2, 0, 1, 44 },                /* length 0 */
		{ 2, 1, 1, 44 },                /* length 1 */
		{ 2, 5, 1, 44, 0, 0, 0, 0 },    /* odd length: not an MSS option */
		{ 2, 4, 0, 0 },                 /* MSS 0 */
		{ 1, 1, 1, 2 },                 /* the kind, then the end of the options */
		{ 1, 1, 2, 4 },                 /* an MSS cut short */
		{ 8, 0, 2, 4, 1, 44, 0, 0 },    /* after a bad length nothing is read */
	};
	static const uint32_t len[] = { 4, 4, 8, 4, 4, 4, 8 };
	static const uint8_t mss300[4] = { 2, 4, 1, 44 };
	struct fakect f = { 0 };
	struct dispatch dp;
	struct qmsg_conn c;
	struct qmsg_verdict v;
	unsigned ok = 0;

	for (unsigned i = 0; i < sizeof(len) / sizeof(len[0]); i++) {
		bound_conn(&dp, &c, &f, AF_INET, bad[i], len[i], 130 + i);
		bseg(&dp, &c, filler("PORT 10,0,1,2,156,64\r\nSITE ", 400, true), &v);
		ok += out_len(&v) == 407;
		dispatch_free(&dp);
	}
	tap_ok(ok == sizeof(len) / sizeof(len[0]), "stream bound: hostile MSS options read as none "
	       "(%u of %zu rewrote 400 bytes to 407)", ok, sizeof(len) / sizeof(len[0]));
	bound_conn(&dp, &c, &f, AF_INET, mss300, 4, 140);
	bseg(&dp, &c, filler("PORT 10,0,1,2,156,64\r\nSITE ", 400, true), &v);
	tap_ok(!v.payload, "stream bound: a valid MSS 300 is read (400 bytes may not grow)");
	dispatch_free(&dp);
	b_df = false;
}

void test_stream(void)
{
	test_nagle();
	test_empty_hold();
	test_overlap();
	test_reorder();
	test_retransmit();
	test_gap();
	test_behind_old();
	test_copy_inside();
	test_transaction();
	test_too_big();
	test_lifecycle();
	test_help_info();
	test_resume_behind();
	test_edit_order();
	test_bound_grow();
	test_bound_held();
	test_bound_v6();
	test_bound_restart();
	test_bound_hostile();
}
