/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ftp_parser: the FTP control-channel grammar (grammars/ftp.rl), pure and resumable.
 * Recognises what nf_conntrack_ftp.c does: PORT / EPRT (RFC 959, RFC 2428) from the client,
 * 227 / 229 final reply lines from the server (multi-line replies tracked), at line starts
 * only.  Where and why it is stricter than the kernel: see the top of grammars/ftp.rl. */
#ifndef NFHELPER_FTP_PARSER_H
#define NFHELPER_FTP_PARSER_H

#include <stddef.h>
#include <stdint.h>
#include "addr_parse.h"

/* A candidate line longer than this (LF included) never matches: it bounds what NAT must
 * hold back. */
#define FTP_LINE_MAX 128

enum ftp_type {
	FTP_PORT = 1, /* PORT h1,h2,h3,h4,p1,p2 */
	FTP_EPRT,     /* EPRT |1|a.b.c.d|port| or |2|v6|port| */
	FTP_PASV,     /* 227 ... h1,h2,h3,h4,p1,p2 ... */
	FTP_EPSV,     /* 229 ... (|||port|) */
};

enum ftp_side { FTP_CLIENT = 0, FTP_SERVER = 1 }; /* who sends this byte stream */

struct ftp_match {
	enum ftp_type type;
	uint8_t family;      /* 4 or 6 (the address given), 0 for EPSV (no address) */
	uint8_t addr[16];    /* network order; v4 in addr[0..3] */
	uint16_t port;       /* host order */
	uint64_t off, len;   /* stream offset and length of the text NAT replaces: PORT and 227
	                      * the six numbers, EPRT <d>af<d>addr<d>port<d>, 229 the port */
	uint64_t line_start; /* stream offset of the line's first byte */
	uint64_t line_end;   /* stream offset just past the line's '\n' */
};

enum ftp_result {
	FTP_MORE = 0,   /* everything consumed, no match pending */
	FTP_MATCH = 1,  /* *m filled; call again with the rest of the buffer */
};

struct ftp_parser {
	int cs;
	uint8_t side;
	uint64_t pos;        /* stream offset of the next byte */
	uint64_t line_start;
	uint8_t candidate;   /* the unfinished line [line_start, pos) can still become a match */
	uint8_t in_multiline;/* server: inside a "ddd-" multi-line reply */
	uint8_t marked;      /* the candidate's replaceable text began at cur.off */
	/* private to the grammar: bounded accumulators of the current line */
	uint16_t code, ml_code;      /* reply code; code of the open multi-line reply */
	uint8_t ncode, nocand, delim;/* digits of code read; no candidate; EPRT/229 delimiter */
	struct addr_parse ap;        /* numbers, address and port (grammars/include/addr.rl) */
	struct ftp_match cur;
};

void ftp_parser_init(struct ftp_parser *p, enum ftp_side side, uint64_t pos);
/* Feed len bytes; stops after the first complete match (*m filled, *used = bytes consumed,
 * FTP_MATCH) or when all bytes are consumed (*used = len, FTP_MORE).  Any split of a stream
 * gives the same matches.  Afterwards pos and candidate describe the stream so far.
 * Lines are only parsed from their start: init at a line boundary. */
enum ftp_result ftp_parser_execute(struct ftp_parser *p, const uint8_t *data, size_t len,
				   size_t *used, struct ftp_match *m);

#endif
