/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stream_model: what fuzz_stream needs to know of one TCP stream protocol — the messages its
 * client writes and what NAT must make of each, computed here from the RFCs and the kernel's
 * NAT helpers, never by src/.  One file per protocol, tests/fuzz/stream_<name>.c defining
 * stream_model_<name>, found by its file name (the Makefile lists them in stream_models.h);
 * <name> is the protocol's name in helper_protos[]. */
#ifndef NFHELPER_FUZZ_STREAM_MODEL_H
#define NFHELPER_FUZZ_STREAM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STREAM_MSG_MAX 600     /* one message as written, and as rewritten */
#define STREAM_MODEL_STATE 256 /* a model's own state for one input, zeroed before it */

/* The connection as the client and its NAT see it. */
struct stream_env {
	uint8_t cl[4];          /* the client's address */
	uint8_t na[4];          /* the address NAT gives it (the client's own without NAT) */
	bool nat;
	_Alignas(8) uint8_t state[STREAM_MODEL_STATE];
};

/* One message: o[olen] as the client writes it; under NAT r[rlen] (rlen 0: NAT must leave it
 * as it is).  [vary, vary + nvary) are the bytes a stateful protocol may give other values
 * once the harness lost track of its state. */
struct stream_msg {
	uint8_t o[STREAM_MSG_MAX], r[STREAM_MSG_MAX];
	uint32_t olen, rlen;
	uint32_t vary, nvary;
};

struct stream_model {
	const char *name;       /* the protocol's name in helper_protos[] */
	uint16_t port;          /* the server's */
	/* After a gap the stream layer resynchronises at the next '\n' (line protocols); else
	 * a gap ends parsing for the rest of the connection (a binary, length-framed stream). */
	bool line_sync;
	/* Messages whose rewrite depends on earlier ones (PPTP's call IDs): after one the
	 * router met uncleanly, a message may arrive with other values in its vary bytes. */
	bool stateful;
	/* Before the fuzzed stream, once the handshake is done: what the client (dir 0) and
	 * then the server (dir 1) send, e.g. PPTP's session set-up.  Returns the length. */
	uint32_t (*prologue)(struct stream_env *env, int dir, uint8_t *buf, uint32_t cap);
	/* The message for input byte b, and (under NAT) its rewrite, into *m. */
	void (*message)(struct stream_env *env, uint8_t b, struct stream_msg *m);
	/* After the conntrack ended: what the protocol still holds process-wide (PPTP's NAT
	 * call IDs), as a failure's text, or NULL. */
	const char *(*ended)(void);
};

#endif
