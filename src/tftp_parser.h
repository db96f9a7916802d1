/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tftp_parser: the TFTP request grammar (grammars/tftp.rl), pure and resumable.
 * RFC 1350 (RRQ/WRQ: opcode, filename, mode), RFC 2347 (options, 512-byte requests),
 * RFC 2348 (blksize), RFC 2349 (timeout, tsize), RFC 7440 (windowsize).  The kernel's
 * nf_conntrack_tftp.c reads the opcode only; why this reads the whole request: tftp.rl. */
#ifndef NFHELPER_TFTP_PARSER_H
#define NFHELPER_TFTP_PARSER_H

#include <stddef.h>
#include <stdint.h>

#define TFTP_REQ_MAX 512 /* RFC 2347: a request packet, options included, is at most this */

enum tftp_opcode {
	TFTP_RRQ = 1, TFTP_WRQ, TFTP_DATA, TFTP_ACK, TFTP_ERROR,
	TFTP_OACK, /* RFC 2347 */
};

enum tftp_mode { TFTP_MODE_NONE = 0, TFTP_MODE_NETASCII, TFTP_MODE_OCTET, TFTP_MODE_MAIL };

/* The options understood; others are counted (tftp_request.unknown). */
enum tftp_opt {
	TFTP_OPT_BLKSIZE = 1U << 0,    /* RFC 2348 */
	TFTP_OPT_TIMEOUT = 1U << 1,    /* RFC 2349 */
	TFTP_OPT_TSIZE = 1U << 2,      /* RFC 2349 */
	TFTP_OPT_WINDOWSIZE = 1U << 3, /* RFC 7440 */
};

enum tftp_result {
	TFTP_REQUEST = 0, /* a well-formed RRQ or WRQ */
	TFTP_OTHER,       /* another opcode (DATA, ACK, ERROR, OACK, unknown): opens nothing */
	TFTP_MALFORMED,   /* an RRQ/WRQ that is not one, or no whole opcode: reason says why */
};

/* Why a request is malformed, for the log line. */
enum tftp_bad {
	TFTP_BAD_NONE = 0,
	TFTP_BAD_SHORT,        /* less than the two bytes of an opcode */
	TFTP_BAD_FILENAME,     /* empty filename */
	TFTP_BAD_MODE,         /* mode not netascii, octet or mail */
	TFTP_BAD_UNTERMINATED, /* ends inside the filename, mode or an option (no NUL) */
	TFTP_BAD_OPTION,       /* empty option name */
	TFTP_BAD_VALUE,        /* a known option's value is not 1 to its maximum of digits */
	TFTP_BAD_DUPLICATE,    /* a known option given twice */
	TFTP_BAD_OVERSIZE,     /* more than TFTP_REQ_MAX bytes */
	TFTP_BAD_RANGE,        /* a value outside its RFC range (checked by tftp.c) */
};

/* What a datagram held.  Offsets are into the datagram (the UDP payload). */
struct tftp_request {
	enum tftp_result result;
	enum tftp_bad reason;
	uint16_t opcode;          /* valid when at least two bytes came */
	uint16_t file_off, file_len; /* the filename, without its NUL */
	enum tftp_mode mode;
	uint32_t present;         /* enum tftp_opt bits */
	uint32_t blksize, timeout, windowsize; /* at most 5, 3 and 5 digits */
	uint64_t tsize;           /* at most 19 digits: cannot overflow */
	unsigned unknown;         /* options of other names (well formed, value unchecked) */
};

struct tftp_parser {
	int cs;
	uint32_t pos;             /* bytes seen so far (saturates at TFTP_REQ_MAX + 1) */
	uint8_t is_req;           /* the opcode is RRQ or WRQ */
	uint8_t stage;            /* private: which part of the request is being read */
	uint64_t num;             /* private: the option value being read */
	struct tftp_request req;
};

void tftp_parser_init(struct tftp_parser *p);
/* Feed the next len bytes of one datagram; any split gives the same result. */
void tftp_parser_execute(struct tftp_parser *p, const uint8_t *data, size_t len);
/* The datagram ended: fill *r and return its result. */
enum tftp_result tftp_parser_finish(struct tftp_parser *p, struct tftp_request *r);
/* init + execute + finish over a whole datagram. */
enum tftp_result tftp_parse(const uint8_t *data, size_t len, struct tftp_request *r);
/* A few words for the log: "unknown mode", ... */
const char *tftp_bad_str(enum tftp_bad reason);

#endif
