/* SPDX-License-Identifier: GPL-2.0-or-later */
/* split_tftp: the TFTP parser's struct split_proto and how its matches become split records
 * (src/tftp_parser.h).  Each parser has a file of its own, tests/lib/split_<proto>.[ch]:
 * adding one edits no shared list. */
#ifndef NFHELPER_TEST_SPLIT_TFTP_H
#define NFHELPER_TEST_SPLIT_TFTP_H

#include "tftp_parser.h"
#include "split.h"

/* TFTP: a datagram (init takes no arg); its one record is the tftp_request: type = result,
 * off/len = the filename, v[] as below. */
enum { SPLIT_TFTP_REASON, SPLIT_TFTP_OPCODE, SPLIT_TFTP_MODE, SPLIT_TFTP_PRESENT, SPLIT_TFTP_BLKSIZE,
       SPLIT_TFTP_TIMEOUT, SPLIT_TFTP_WINDOWSIZE, SPLIT_TFTP_TSIZE, SPLIT_TFTP_UNKNOWN };
extern const struct split_proto split_tftp;
void split_tftp_rec(const struct tftp_request *q, struct split_rec *r);

#endif
