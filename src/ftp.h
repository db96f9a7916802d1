/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ftp: per-connection state of the FTP helper (exposed for tests and benchmarks). */
#ifndef NFHELPER_FTP_H
#define NFHELPER_FTP_H

#include "ftp_parser.h"
#include "helper.h"
#include "stream.h"

enum { FTP_OPT_LOOSE };	/* index of --loose in cfg->opt */

struct ftp_state {
	struct stream_dir sd[2];         /* [CT_DIR_ORIGINAL] = client, [CT_DIR_REPLY] = server */
	struct ftp_parser parser[2];
	struct stream_kstate k;          /* the private data as we last set it */
};

extern const struct helper_proto ftp_proto;

#endif
