/* SPDX-License-Identifier: GPL-2.0-or-later */
/* split_irc: the IRC parser's struct split_proto and how its matches become split records
 * (src/irc_parser.h).  Each parser has a file of its own, tests/lib/split_<proto>.[ch]:
 * adding one edits no shared list. */
#ifndef NFHELPER_TEST_SPLIT_IRC_H
#define NFHELPER_TEST_SPLIT_IRC_H

#include "irc_parser.h"
#include "split.h"

/* IRC: init takes the stream position (a uint64_t); a record is an irc_match, v[0] its
 * addr4.  End state: v[] = pos, line_start, candidate, cs. */
enum { SPLIT_IRC_ADDR4 = 0 };
enum { SPLIT_IRC_POS = 0, SPLIT_IRC_LINE, SPLIT_IRC_CAND, SPLIT_IRC_CS };
extern const struct split_proto split_irc;
void split_irc_rec(const struct irc_match *m, struct split_rec *r);

#endif
