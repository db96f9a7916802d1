/* SPDX-License-Identifier: GPL-2.0-or-later */
/* irc_parser: the IRC client-to-server DCC grammar (grammars/irc.rl), pure and resumable.
 * Recognises what nf_conntrack_irc.c does: a PRIVMSG whose text starts with the CTCP
 * "\1DCC SEND|CHAT|MOVE|TSEND|SCHAT", at line starts only (RFC 2812 2.3, CTCP).  Where and
 * why it differs from the kernel: see the top of grammars/irc.rl. */
#ifndef NFHELPER_IRC_PARSER_H
#define NFHELPER_IRC_PARSER_H

#include <stddef.h>
#include <stdint.h>
#include "addr_parse.h"

/* RFC 1459 2.3 / RFC 2812 2.3: a message is at most 512 bytes, CR LF included.  A longer
 * candidate line never matches: it also bounds what NAT must hold back. */
#define IRC_LINE_MAX 512

enum irc_type {
	IRC_SEND = 1, /* the kernel's dccprotos[], in its order */
	IRC_CHAT,
	IRC_MOVE,
	IRC_TSEND,
	IRC_SCHAT,
};

struct irc_match {
	enum irc_type type;
	uint8_t family;      /* 4: decimal number, 6: textual IPv6 address */
	uint8_t addr[16];    /* network order; v4 in addr[0..3] */
	uint32_t addr4;      /* family 4: the number as written (host order), else 0 */
	uint16_t port;       /* host order; 0 is reported (the protocol file refuses it) */
	uint64_t off, len;   /* stream offset and length of "<address> <port>", the text NAT
	                      * replaces (nf_nat_irc prints "%u %u" there) */
	uint64_t line_start; /* stream offset of the line's first byte */
	uint64_t line_end;   /* stream offset just past the line's '\n' */
};

enum irc_result {
	IRC_MORE = 0,   /* everything consumed, no match pending */
	IRC_MATCH = 1,  /* *m filled; call again with the rest of the buffer */
};

struct irc_parser {
	int cs;
	uint64_t pos;        /* stream offset of the next byte */
	uint64_t line_start;
	uint8_t candidate;   /* the unfinished line [line_start, pos) can still become a match */
	uint8_t marked;      /* the candidate's replaceable text (address) began at cur.off */
	/* private to the grammar: bounded accumulators of the current line */
	uint32_t a4;                 /* decimal address (the grammar caps it at 2^32 - 1) */
	struct addr_parse ap;        /* IPv6 address and port (grammars/include/addr.rl) */
	struct irc_match cur;
};

void irc_parser_init(struct irc_parser *p, uint64_t pos);
/* Feed len bytes of the client-to-server stream; stops after the first complete match
 * (*m filled, *used = bytes consumed, IRC_MATCH) or when all bytes are consumed
 * (*used = len, IRC_MORE).  Any split of a stream gives the same matches.  Afterwards pos
 * and candidate describe the stream so far.  Lines are only parsed from their start: init
 * at a line boundary. */
enum irc_result irc_parser_execute(struct irc_parser *p, const uint8_t *data, size_t len,
				   size_t *used, struct irc_match *m);

#endif
