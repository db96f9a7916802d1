/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stream: one direction of a TCP control connection as a byte stream — where the next
 * message starts, what a segment adds, what a retransmission must repeat, what NAT holds back.
 * Mirrors what nf_conntrack_ftp.c (seq_aft_nl), nf_nat_helper.c (mangle) and nf_conntrack_seqadj.c
 * do between them; the protocol supplies only its parser and what a match means. */
#ifndef NFHELPER_STREAM_H
#define NFHELPER_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include "edit_set.h"
#include "helper.h"

#define STREAM_NO_HOLD UINT64_MAX
#define STREAM_EDITS EDIT_SET_MAX /* edits one packet may make (more: left alone) */
#define STREAM_TEXT EDIT_SET_TEXT /* replacement bytes one packet may write */
#define STREAM_PARSER_MAX 1024 /* a protocol parser is saved in this much while a packet runs */
/* NFQA_PAYLOAD is one netlink attribute: 65535 minus its 4-byte header, from the L3 header. */
#define STREAM_PKT_MAX 65531U

/* One direction, kept in the protocol's per-connection state (the parser beside it). */
struct stream_dir {
	uint64_t next_off;      /* stream offset of next_seq */
	uint32_t next_seq;      /* first byte not seen yet: what precedes it is old */
	uint32_t hold_len;      /* [next_seq - hold_len, next_seq) parsed but held back (NAT) */
	uint32_t drop_seq, drop_len; /* a segment dropped once because it would have left empty */
	uint32_t redo_seq, redo_len; /* an overlapping segment dropped once (see stream.c) */
	uint32_t block;         /* pool block (held bytes and rewrite journal) + 1; 0 = none */
	uint32_t jfloor;        /* see jlost */
	/* The kernel's correction for this direction, as our verdicts set it (nf_ct_seqadj:
	 * correction_pos, offset_before, offset_after; see stream.c). */
	uint32_t kpos;
	int32_t kbefore, kafter;
	int32_t wdelta;         /* where next_seq's byte reaches the receiver, minus next_seq */
	/* What a segment of this direction may carry (stream_bound.c says why each): */
	uint16_t mss;           /* the MSS the receiver announced in its SYN; 0: no SYN seen */
	uint16_t seen;          /* the largest segment carried: payload and option bytes */
	uint8_t said;           /* STREAM_SAID_*: what was logged already for this direction */
	uint8_t known;          /* next_seq is set: bytes before it were seen (or skipped) */
	uint8_t synced;         /* the parser stands at next_off, a message start */
	uint8_t dropped;        /* drop_seq/drop_len are set */
	uint8_t redo;           /* redo_seq/redo_len are set */
	uint8_t journaled;      /* the block holds journal records */
	uint8_t jlost;          /* rewrites before jfloor were forgotten (journal full, taken back
				 * or never lent: see journal_forget) */
};

/* What the kernel keeps for us in the conntrack (CTA_HELP_INFO), so that a restarted nfhelper
 * resumes open connections at once: where each direction's next message starts.  Bytes
 * 16-31 of a userspace helper's data are read as pointers by kernels without the 2026 GRE
 * keymap fix, so the whole record is 16 bytes; proto[] is the protocol's own. */
struct stream_kstate {
	uint32_t seq[2];        /* network order */
	uint8_t valid[2];
	uint8_t proto[6];
};

/* One packet's new bytes as the protocol sees them: the bytes held back from earlier
 * segments (carry) followed by this segment's new bytes, at consecutive stream offsets. */
struct stream_pkt {
	const uint8_t *carry;
	uint32_t carry_len;
	const uint8_t *data;
	uint32_t len;
	uint64_t base;          /* stream offset of carry[0], or of data[0] when no carry */
	uint64_t sent;          /* NAT: bytes before this offset have left; they cannot change */
	bool nat;
	/* The rewrites, over stream offsets [sent, end of the new bytes]; a protocol that
	 * rewrites several places per message groups them with edit_set_begin/commit. */
	struct edit_set edits;
};

struct stream_proto {
	size_t parser_size;     /* at most STREAM_PARSER_MAX */
	uint32_t hold_max;      /* the longest message part NAT may hold back */
	uint32_t grow_max;      /* the most one message's rewrite may lengthen it */
	/* After a gap, never parse again from a boundary found by scanning (a line inside a
	 * body must never be read as a message); resuming from the kernel's record stays. */
	bool no_resync;
	/* The protocol's state keeps both directions as struct stream_dir sd[2] indexed by
	 * direction and stream_help gets &sd[dir]: a SYN's MSS option then bounds the other
	 * direction.  Without it (IRC follows the client only) the protocol passes the other
	 * direction's SYN to stream_bound_syn itself. */
	bool dir_pair;
	/* A message starts at stream offset off: (re)initialise the parser there. */
	void (*sync)(void *parser, int dir, uint64_t off);
	/* Offset in data just past the first message boundary, or -1 (resynchronising). */
	int (*boundary)(const uint8_t *data, uint32_t len);
	/* The parser stands at a message boundary (a restart may resume here). */
	bool (*idle)(const void *parser);
	/* Optional: the parser gave up on this direction (it reads nothing more, so no message
	 * is unfinished, though it is not idle either: a restart must not resume there). */
	bool (*gave_up)(const void *parser);
	/* First stream offset a NAT rewrite of the message in progress may still touch, or
	 * STREAM_NO_HOLD: these bytes are held back until the message is complete. */
	uint64_t (*hold_from)(const void *parser);
	/* Parse sp's new bytes (sp->data, sp->len; the carry was parsed before), add
	 * expectations to res and edits to sp.  False drops the packet (as the kernel does
	 * when a NATed expectation or rewrite is impossible); the stream state is then kept. */
	bool (*parse)(struct help_ctx *ctx, void *parser, struct stream_pkt *sp, struct help_result *res);
};

/* Size of the pool block a protocol's direction borrows (held bytes plus journal). */
uint32_t stream_block_size(const struct stream_proto *sp);

/* Handle one TCP packet of direction ctx->dir: classify it against the stream, replay the
 * first copy's bytes for retransmitted parts, parse new bytes, compose the rewritten packet
 * into res, keep the restart record in *k (res->help_info points at it). */
void stream_help(struct help_ctx *ctx, const struct stream_proto *sp, struct stream_dir *sd,
		 void *parser, struct stream_kstate *k, struct help_result *res);

/* A SYN of ctx's direction: its MSS option bounds the segments sent towards its sender, the
 * stream towards (for a protocol that follows one direction only; dir_pair does it for both). */
void stream_bound_syn(const struct help_ctx *ctx, struct stream_dir *towards);

/* Give back the direction's pool block (the conntrack ended). */
void stream_release(struct pool *pool, struct stream_dir *sd);

/* For line-based protocols (FTP, IRC): after a restart or a gap nothing is known about line
 * boundaries; resume after the next line feed, exactly like nf_conntrack_ftp waits for a
 * packet ending in one.  The stream_proto boundary callback. */
int stream_line_boundary(const uint8_t *data, uint32_t len);

/* Formats the text that announces port (the port NAT gave) for match m; bytes or -1. */
typedef int (*stream_fmt_fn)(const struct help_ctx *ctx, const void *m, uint16_t port, char *buf, size_t cap);

/* Under NAT (nf_nat_ftp, nf_nat_irc, ...): create exp on the announced port or another free
 * one, and replace stream bytes [off, off + len) with fmt's text for the port it got (unless
 * they already say exactly that).  Without synchronous creation the verdict carries exp with
 * its port.  1 when done; 0 when the segment has no room for another edit (left alone, logged);
 * -1 when no port could be had or the text cannot be replaced: the caller's parse callback
 * then returns false and the packet is dropped, as the kernel does. */
int stream_expect_announce(struct help_ctx *ctx, struct stream_pkt *sp, struct ct_expect *exp,
			   uint64_t off, uint32_t len, stream_fmt_fn fmt, const void *m,
			   struct help_result *res);

/* The step each announcement of an address and port takes once the protocol has checked it
 * against the conntrack and built its expectation exp (nf_conntrack_ftp / _irc's help, then
 * nf_nat_ftp / _irc): without NAT exp rides in the verdict; under NAT, text that has left
 * already is neither rewritten nor expected, else stream_expect_announce on [off, off + len).
 * False: the packet must be dropped (no port could be had, or the text cannot be rewritten);
 * the parse callback returns false. */
bool stream_expect_match(struct help_ctx *ctx, struct stream_pkt *sp, const struct ct_expect *exp,
			 uint64_t off, uint32_t len, stream_fmt_fn fmt, const void *m,
			 struct help_result *res);

/* For parse callbacks: replace [off, off + len) of the stream with text (edit_set_add on
 * sp->edits).  Edits may come in any order; they must not overlap, nor start before
 * sp->sent.  0, -EINVAL or -ENOSPC (inside a message: the whole message is void). */
int stream_edit(struct stream_pkt *sp, uint64_t off, uint32_t len, const void *text, uint32_t text_len);
/* Copy stream bytes [from, to) of sp (carry, then new bytes) to out; returns the count. */
uint32_t stream_copy(const struct stream_pkt *sp, uint64_t from, uint64_t to, uint8_t *out);

#endif
