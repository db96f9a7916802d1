// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_harness_tcp: fuzz_stream's world for one input — the application stream the model
 * writes, a TCP sender shaped like Linux's (segments kept whole, retransmissions collapsed,
 * cumulative acknowledgement, RFC 793), the delays before and after the router, a receiver
 * reassembling by sequence number, and the lossless rounds that end each input. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "log.h"
#include "stream_harness.h"

#define ROUNDS 64

struct world w;

/* The model's message for input byte b, appended to the stream with its rewrite. */
void app_line(uint8_t b)
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

	/* Only an acknowledgement the sender takes matters (one below snd_una is ignored), or
	 * one it should have taken: mapped below snd_una, it leaves the sender resending
	 * what the receiver has, for ever. */
	if (r <= RCV_MAX && (r ? w.send_end[r] : 1) && (int32_t)((r ? w.send_end[r] - 1 : 0)) != off &&
	    (off > (int32_t)w.una || (r ? w.send_end[r] - 1 : 0) > w.una)) {
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

void release_pre(void)
{
	static struct seg s;
	struct pre p = w.pre[0];

	memmove(&w.pre[0], &w.pre[1], --w.npre * sizeof(w.pre[0]));
	if (router(p.off, p.len, &s)) {
		s.ack_lost = p.ack_lost;
		receiver(&s);
	}
}

void release_post(void)
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

void send_new(uint32_t k, unsigned fate, bool ack_lost)
{
	uint32_t off = w.nxt, len = k < w.app_len - off ? k : w.app_len - off;

	len = mss_cap(len);

	if (!len)
		return;
	bound_add(off + len);
	transmit(off, len, fate, ack_lost);
}

void send_again(uint32_t k, unsigned fate, bool ack_lost)
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
void finish(void)
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

void world_init(const struct stream_model *model, const struct helper_proto *proto, uint8_t cfg)
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
