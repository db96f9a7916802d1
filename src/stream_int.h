/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stream_int: what the stream layer's files share (stream.c: classify, compose, send;
 * stream_sync.c: where a direction's parser stands; stream_bound.c: how long a segment may
 * be).  Protocols include stream.h only; the rules are at the top of stream.c. */
#ifndef NFHELPER_STREAM_INT_H
#define NFHELPER_STREAM_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "journal.h"
#include "stream.h"

/* stream.c: pass the packet whose output is o (changed or not) so that it reaches the
 * receiver at wire (fresh: it brings new bytes); NULL, or why not. */
const char *stream_send(struct help_ctx *ctx, struct stream_dir *sd, const struct journal_out *o,
			bool changed, uint32_t wire, bool fresh, struct help_result *res);
/* stream.c: drop the packet and undo the expectations it created (logged with why). */
void stream_drop(struct help_ctx *ctx, struct help_result *res, const char *why);

/* stream_sync.c: the parser starts a message at next_off, the stream byte at seq. */
void stream_dir_sync(const struct stream_proto *sp, struct stream_dir *sd, void *parser, int dir,
		     uint32_t seq);
/* stream_sync.c: resume a direction we hold no state for from the kernel's record. */
void stream_resume(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		   void *parser, struct stream_kstate *k);
/* stream_sync.c: a segment after a gap; false when it was dropped. */
bool stream_gap(struct help_ctx *ctx, struct stream_dir *sd, struct help_result *res);
/* stream_sync.c: new bytes not at a known message start: true when parsing resumes at
 * payload offset *start; false when the segment was passed or dropped. */
bool stream_resync(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		   void *parser, struct journal_out *o, bool changed, uint32_t wire, uint32_t *start,
		   struct help_result *res);

/* stream_bound.c: */

/* stream_dir.said: what was logged once for the direction. */
#define STREAM_SAID_PLAIN (1U << 0)     /* a rewrite given up, or a message not held */
#define STREAM_SAID_DF (1U << 1)        /* DF cleared */
#define STREAM_SAID_OVER (1U << 2)      /* IPv6: too long, or a message's end kept held */

#define STREAM_UNBOUNDED UINT32_MAX

/* A packet of ctx->dir was queued: note its size and, from a SYN, the MSS its sender takes
 * (the other direction's, when the protocol keeps both: sp->dir_pair). */
void stream_bound_learn(const struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd);

/* The most payload the packet being handled may leave with (never less than it came with);
 * STREAM_UNBOUNDED for IPv4 without DF, which routers fragment. */
uint32_t stream_bound(const struct help_ctx *ctx, const struct stream_dir *sd);

/* Whether carry bytes held back now, released later in front of a segment as long as the
 * longest this direction carried and grown by one rewrite, would still fit.  When not, the
 * message is not held (counted and logged once as a rewrite given up). */
bool stream_bound_may_hold(const struct help_ctx *ctx, const struct stream_proto *sp,
			   struct stream_dir *sd, uint64_t carry);

/* How a changed segment whose composed output is out_len bytes (the new bytes of s up to
 * hold rewritten, the held bytes [hold, end) left out) is made to fit: hold moved back
 * (more held), or plain: the new bytes pass unrewritten.  idle: no message is unfinished
 * after the segment (the parser stands at a boundary, or gave up on the direction), so the
 * sender owes no more bytes. */
struct stream_fit {
	uint64_t hold;
	bool plain;
};
void stream_bound_fit(const struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		      bool idle, const struct stream_pkt *s, uint32_t out_len, uint64_t hold,
		      uint64_t end, struct stream_fit *f);

/* A changed segment of out_len bytes is about to leave: if it is longer than the bound
 * (nothing made it fit), count and log it once; true when DF must be cleared (IPv4). */
bool stream_bound_over(const struct help_ctx *ctx, struct stream_dir *sd, uint32_t out_len);

#endif
