/* SPDX-License-Identifier: GPL-2.0-or-later */
/* irc: per-connection state of the IRC helper (exposed for tests and benchmarks). */
#ifndef NFHELPER_IRC_H
#define NFHELPER_IRC_H

#include "helper.h"
#include "irc_parser.h"
#include "stream.h"

struct irc_state {
	struct stream_dir sd;            /* the client's stream: offers only go that way */
	struct irc_parser parser;
	struct stream_kstate k;
};

extern const struct helper_proto irc_proto;

#endif
