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
 * conntrack's helper data, fed back in NFQA_CT; a verdict the kernel would mishandle
 * aborts); copies of one receiver position that both count agree; no acknowledgement of
 * bytes never sent; no stall; each line arrives either unchanged or as
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
 * FUZZ_STREAM_TRACE=1 prints every step and nfhelper's log; the counts are printed at exit.
 *
 * This file is the entry point: the input's protocol and its model, then the ops.  The parts
 * are tests/fuzz/stream_harness_*.c (stream_harness.h says which does what). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stream_harness.h"

#define DECLARE(m) extern const struct stream_model stream_model_##m;
STREAM_MODELS(DECLARE)
#define ENTRY(m) &stream_model_##m,
const struct stream_model *const models[MODELS_MAX] = { STREAM_MODELS(ENTRY) NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
