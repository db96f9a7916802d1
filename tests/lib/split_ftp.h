/* SPDX-License-Identifier: GPL-2.0-or-later */
/* split_ftp: the FTP parser's struct split_proto and how its matches become split records
 * (src/ftp_parser.h).  Each parser has a file of its own, tests/lib/split_<proto>.[ch]:
 * adding one edits no shared list. */
#ifndef NFHELPER_TEST_SPLIT_FTP_H
#define NFHELPER_TEST_SPLIT_FTP_H

#include "ftp_parser.h"
#include "split.h"

/* FTP: init takes the side and the stream position; a record is an ftp_match (type, family,
 * addr, port, offsets).  End state: v[] = pos, line_start, candidate, in_multiline, cs. */
struct split_ftp_arg {
	enum ftp_side side;
	uint64_t pos;
};
enum { SPLIT_FTP_POS, SPLIT_FTP_LINE, SPLIT_FTP_CAND, SPLIT_FTP_ML, SPLIT_FTP_CS };
extern const struct split_proto split_ftp;
void split_ftp_rec(const struct ftp_match *m, struct split_rec *r);

#endif
