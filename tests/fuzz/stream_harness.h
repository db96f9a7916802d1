/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stream_harness: what the parts of fuzz_stream share (internal to the harness): the world of
 * one input (sender, router, receiver), the counts, and each part's calls.  The parts are
 * tests/fuzz/stream_harness_*.c, linked by the Makefile's glob with fuzz_stream.c:
 *   fuzz_stream.c              the entry point: the input's protocol and its model, the ops
 *   stream_harness_tcp.c       the world, the application stream, sender, receiver, the
 *                              lossless rounds
 *   stream_harness_router.c    the router: nfhelper's verdicts and the kernel's sequence
 *                              adjustment, and where each segment must land
 *   stream_harness_path.c      the path model: an MSS, DF on (mss_*)
 *   stream_harness_check.c     failures, tracing, the receiver's stream checked, the counts */
#ifndef NFHELPER_FUZZ_STREAM_HARNESS_H
#define NFHELPER_FUZZ_STREAM_HARNESS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "dispatch.h"
#include "fakect.h"
#include "kseqadj.h"
#include "qmsg.h"
#include "stream_model.h"
#include "stream_models.h"	/* STREAM_MODELS(X): every model, tests/fuzz/stream_<name>.c */

#define MODEL_COUNT_ONE(m) + 1
#define MODELS_MAX (1 STREAM_MODELS(MODEL_COUNT_ONE))	/* the models and the NULL after them */

#define APP_MAX 8192     /* application stream */
#define LINES_MAX 24
#define RCV_MAX 16384    /* receiver's buffer, in receiver sequence space */
#define OUT_MAX 2048     /* one segment as it leaves the router */
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

struct world {
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
	struct kseqadj adj;      /* the kernel's correction (tests/lib/kseqadj.c) */
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
	/* Inside segments: where each sender offset's byte first reached the receiver (+ 1),
	 * where its output shows it (router_bytes), and whether the router passed it at all. */
	uint32_t rbyte[APP_MAX + 1];
	uint8_t passed[APP_MAX];
	struct { uint32_t off; int32_t d; } ideal[IDEAL_MAX];
	unsigned nideal;
	uint32_t emitted;        /* 1 + the furthest start of a segment the router passed */
	bool limited;            /* it did: what follows is the kernel's limit, not nfhelper's */
	bool overtaken;          /* a length changed behind bytes already passed (reordering) */
	bool reseg;              /* resegmented bytes before a change in a changed packet */
	uint32_t id;
	uint32_t mss;            /* path model: the MSS the server announced (0: no model) */
	jmp_buf out;
};

struct stats {
	unsigned long inputs, lines, rewritable, rewritten, unclean_plain, drops, stale_differ,
		segments, limited, limited_fail, misacked, misplaced, overtaken, reseg, varied;
};

/* fuzz_stream.c */
extern const struct stream_model *const models[MODELS_MAX];

/* stream_harness_tcp.c: the one input's world */
extern struct world w;
void world_init(const struct stream_model *model, const struct helper_proto *proto, uint8_t cfg);
void app_line(uint8_t b);
void send_new(uint32_t k, unsigned fate, bool ack_lost);
void send_again(uint32_t k, unsigned fate, bool ack_lost);
void release_pre(void);
void release_post(void);
void finish(void);

/* stream_harness_router.c */
bool router(uint32_t off, uint32_t len, struct seg *out);
void router_ctl(int dir, uint32_t seq, uint8_t flags);
void router_pass(int dir, uint32_t seq, const uint8_t *d, uint32_t len);
uint32_t ideal_ack(uint32_t ack);
void resegmented(void);

/* stream_harness_path.c */
void mss_pick(uint8_t cfg);
uint32_t mss_seg(void);
uint32_t mss_cap(uint32_t k);
uint32_t mss_again(uint32_t off, uint32_t len);
void mss_df(uint8_t *pkt, uint32_t n);
void mss_synack(void);
void mss_check(uint32_t off, uint32_t len, const uint8_t *out, uint32_t plen,
	       uint64_t unbounded0);
void mss_stats_print(void);

/* stream_harness_check.c: st counts the inputs of every protocol, st_model each one's */
extern struct stats st, st_model[MODELS_MAX];
extern int tracing, strict;
void stats_add(unsigned i, const struct stats *before);
void dump(const char *tag, const uint8_t *p, uint32_t len);
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void fail_stream(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kernel_apply(const struct nlmsghdr *verdict);
void check_stream(void);

#endif
