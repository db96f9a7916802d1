/* SPDX-License-Identifier: GPL-2.0-or-later */
/* seqadj: the stream layer's mirror of the kernel's one sequence correction per direction
 * (kpos, kbefore, kafter in struct stream_dir).  Mirrors net/netfilter/nf_conntrack_seqadj.c. */
#ifndef NFHELPER_SEQADJ_H
#define NFHELPER_SEQADJ_H

#include <stdbool.h>
#include <stdint.h>
#include "stream.h"

/* a comes before b in sequence space (the kernel's before()). */
static inline bool seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* nf_ct_seqadj_set: the verdict returned a packet at seq whose length changed by d. */
void seqadj_set(struct stream_dir *sd, uint32_t seq, int32_t d);

/* A sequence number for a packet at seq changing length by d that the kernel maps to wire
 * (fresh: it brings new bytes, so it may set a correction); false when there is none. */
bool seqadj_place(const struct stream_dir *sd, uint32_t seq, uint32_t wire, int32_t d,
		  bool fresh, uint32_t *out);

#endif
