/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pptp_parser: the PPTP control-connection framing (grammars/pptp.rl), pure and resumable.
 * RFC 2637 section 2 (control message header, every message's fixed size and layout);
 * the kernel's net/netfilter/nf_conntrack_pptp.c (pptp_msg_size[], the call-ID fields
 * nf_nat_pptp.c rewrites) and include/linux/netfilter/nf_conntrack_pptp.h (the structs).
 * Where and why it is stricter than the kernel: see the top of grammars/pptp.rl. */
#ifndef NFHELPER_PPTP_PARSER_H
#define NFHELPER_PPTP_PARSER_H

#include <stddef.h>
#include <stdint.h>

#define PPTP_HDR_LEN 12       /* Length, Message Type, Magic Cookie, Control Type, Reserved0 */
#define PPTP_MSG_MAX 220      /* the largest control message (Incoming-Call-Request) */
#define PPTP_CALL_ID_AT 12    /* every message with a call-ID field has its first one here */

/* RFC 2637 2: the Control Message Type values (the kernel's PPTP_* names in comments). */
enum pptp_type {
	PPTP_SCCRQ = 1,   /* Start-Control-Connection-Request   START_SESSION_REQUEST */
	PPTP_SCCRP,       /* Start-Control-Connection-Reply     START_SESSION_REPLY */
	PPTP_STOPCCRQ,    /* Stop-Control-Connection-Request    STOP_SESSION_REQUEST */
	PPTP_STOPCCRP,    /* Stop-Control-Connection-Reply      STOP_SESSION_REPLY */
	PPTP_ECHORQ,      /* Echo-Request */
	PPTP_ECHORP,      /* Echo-Reply */
	PPTP_OCRQ,        /* Outgoing-Call-Request              OUT_CALL_REQUEST */
	PPTP_OCRP,        /* Outgoing-Call-Reply                OUT_CALL_REPLY */
	PPTP_ICRQ,        /* Incoming-Call-Request              IN_CALL_REQUEST */
	PPTP_ICRP,        /* Incoming-Call-Reply                IN_CALL_REPLY */
	PPTP_ICCN,        /* Incoming-Call-Connected            IN_CALL_CONNECT */
	PPTP_CCRQ,        /* Call-Clear-Request                 CALL_CLEAR_REQUEST */
	PPTP_CDN,         /* Call-Disconnect-Notify             CALL_DISCONNECT_NOTIFY */
	PPTP_WEN,         /* WAN-Error-Notify                   WAN_ERROR_NOTIFY */
	PPTP_SLI,         /* Set-Link-Info                      SET_LINK_INFO */
	PPTP_TYPE_MAX = PPTP_SLI,
};

/* Which fields of struct pptp_msg the message's type has. */
enum pptp_field {
	PPTP_F_CALL_ID = 1U << 0,
	PPTP_F_PEER_CALL_ID = 1U << 1,
	PPTP_F_RESULT = 1U << 2,
};

/* Why the stream is malformed: the first header field that cannot be right. */
enum pptp_bad {
	PPTP_BAD_NONE = 0,
	PPTP_BAD_LENGTH,       /* Length is the size of no control message */
	PPTP_BAD_MSG_TYPE,     /* PPTP Message Type is not 1 (control) */
	PPTP_BAD_COOKIE,       /* Magic Cookie is not 0x1A2B3C4D */
	PPTP_BAD_CTRL_TYPE,    /* Control Message Type is not 1..15 */
	PPTP_BAD_SIZE,         /* Length is not the size of this Control Message Type */
};

/* One complete message, or the malformed one that ended the stream's parsing. */
struct pptp_msg {
	uint8_t type;           /* enum pptp_type; a malformed one: as far as it was read */
	uint8_t fields;         /* enum pptp_field bits */
	uint8_t result;         /* Result Code (Start-Control-Connection-, Outgoing- and Incoming-Call-Reply) */
	uint16_t length;        /* the Length field (a malformed one: 0 until both bytes came) */
	uint16_t call_id;       /* host order */
	uint16_t peer_call_id;
	uint64_t off, len;      /* stream offset of the message's first byte; its length */
	uint64_t call_id_off;   /* stream offsets of the two-byte fields NAT rewrites in place */
	uint64_t peer_call_id_off;
	enum pptp_bad reason;   /* PPTP_MALFORMED: why */
	uint64_t bad_off;       /* PPTP_MALFORMED: stream offset of the byte that cannot be right */
};

enum pptp_result {
	PPTP_MORE = 0,      /* everything consumed, no message completed */
	PPTP_MSG = 1,       /* *m is a complete message; call again with the rest */
	PPTP_MALFORMED = 2, /* *m says where and why; every later byte is skipped (dead) */
};

struct pptp_parser {
	int cs;
	uint64_t pos;           /* stream offset of the next byte */
	uint64_t msg_start;     /* stream offset of the current message's first byte */
	uint8_t in_msg;         /* [msg_start, pos) is a message in progress */
	uint8_t candidate;      /* ... that has (or may still turn out to have) call-ID fields */
	uint8_t dead;           /* framing was lost: the rest of the stream is skipped */
	uint64_t rewrite_from;  /* candidate: the first stream offset NAT may rewrite */
	struct pptp_msg cur;    /* private to the grammar: the message being read */
};

/* Start at stream offset pos, which must be a message boundary. */
void pptp_parser_init(struct pptp_parser *p, uint64_t pos);
/* Feed len bytes; stops after the first complete message (PPTP_MSG) or malformed one
 * (PPTP_MALFORMED), *m filled and *used the bytes consumed, or when all bytes are consumed
 * (*used = len, PPTP_MORE).  Any split of a stream gives the same reports.  Afterwards pos,
 * msg_start, in_msg, candidate and rewrite_from describe the stream so far. */
enum pptp_result pptp_parser_execute(struct pptp_parser *p, const uint8_t *data, size_t len,
				     size_t *used, struct pptp_msg *m);
/* RFC 2637's size of a control message type (Length field included), 0 if unknown. */
unsigned pptp_msg_size(unsigned type);
/* A few words for the log: "bad magic cookie", ... */
const char *pptp_bad_str(enum pptp_bad reason);
/* "Outgoing-Call-Request", ... or "unknown". */
const char *pptp_type_str(unsigned type);

#endif
