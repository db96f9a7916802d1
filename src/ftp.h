/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ftp: per-connection state of the FTP helper (exposed for tests and benchmarks). */
#ifndef NFHELPER_FTP_H
#define NFHELPER_FTP_H

#include <stdint.h>
#include "ftp_parser.h"
#include "helper.h"

#define FTP_F_LOOSE (1U << 0)
#define FTP_MATCH_MAX HELP_EXP_MAX
#define FTP_LINE_SEQS 8 /* recent line starts remembered for retransmissions */

/* One direction of the control stream. */
struct ftp_dir {
	struct ftp_parser parser;
	uint32_t next_seq;            /* sequence number of the parser's next byte */
	uint32_t line_seq[FTP_LINE_SEQS];
	uint32_t nline;
	uint8_t synced;
	uint8_t carry_len;            /* held back under NAT: an unfinished command */
	uint8_t carry[FTP_LINE_MAX];
	uint16_t remap_from, remap_to; /* NAT gave another port than announced (0: never) */
};

/* What the kernel keeps for us in the conntrack (the helper's private data, CTA_HELP_INFO):
 * where the next line of each direction starts, so that a restarted nfhelper resumes parsing
 * open connections at once.  16 bytes: see kernel-interface notes on bytes 16-31. */
struct ftp_kstate {
	uint32_t line_seq[2];         /* network order */
	uint8_t valid[2];
	uint8_t pad[6];
};

struct ftp_state {
	struct ftp_dir dir[2];        /* [CT_DIR_ORIGINAL] = client, [CT_DIR_REPLY] = server */
	struct ftp_kstate k;          /* the private data as we last set it */
};

extern const struct helper_proto ftp_proto;

#endif
