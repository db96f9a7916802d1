/* SPDX-License-Identifier: GPL-2.0-or-later */
/* split_parsers: each parser's struct split_proto and how its matches become split records
 * (src/ftp_parser.h, irc_parser.h, tftp_parser.h); a new parser adds one block here. */
#ifndef NFHELPER_TEST_SPLIT_PARSERS_H
#define NFHELPER_TEST_SPLIT_PARSERS_H

#include "ftp_parser.h"
#include "irc_parser.h"
#include "split.h"
#include "tftp_parser.h"

/* FTP: init takes the side and the stream position; a record is an ftp_match (type, family,
 * addr, port, offsets).  End state: v[] = pos, line_start, candidate, in_multiline, cs. */
struct split_ftp_arg {
	enum ftp_side side;
	uint64_t pos;
};
enum { SPLIT_FTP_POS, SPLIT_FTP_LINE, SPLIT_FTP_CAND, SPLIT_FTP_ML, SPLIT_FTP_CS };
extern const struct split_proto split_ftp;
void split_ftp_rec(const struct ftp_match *m, struct split_rec *r);

/* IRC: init takes the stream position (a uint64_t); a record is an irc_match, v[0] its
 * addr4.  End state: v[] = pos, line_start, candidate, cs. */
enum { SPLIT_IRC_ADDR4 = 0 };
enum { SPLIT_IRC_POS = 0, SPLIT_IRC_LINE, SPLIT_IRC_CAND, SPLIT_IRC_CS };
extern const struct split_proto split_irc;
void split_irc_rec(const struct irc_match *m, struct split_rec *r);

/* TFTP: a datagram (init takes no arg); its one record is the tftp_request: type = result,
 * off/len = the filename, v[] as below. */
enum { SPLIT_TFTP_REASON, SPLIT_TFTP_OPCODE, SPLIT_TFTP_MODE, SPLIT_TFTP_PRESENT, SPLIT_TFTP_BLKSIZE,
       SPLIT_TFTP_TIMEOUT, SPLIT_TFTP_WINDOWSIZE, SPLIT_TFTP_TSIZE, SPLIT_TFTP_UNKNOWN };
extern const struct split_proto split_tftp;
void split_tftp_rec(const struct tftp_request *q, struct split_rec *r);

#endif
