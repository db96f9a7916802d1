/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kseqadj: the kernel's TCP sequence adjustment after a length change, one direction, as the
 * unit tests and fuzzers model it.  Mirrors net/netfilter/nf_conntrack_seqadj.c (6.1):
 * nf_ct_seqadj_set, nf_ct_seq_adjust.  Written apart from src/seqadj.c's mirror on purpose:
 * a test must not share the code it checks. */
#ifndef NFHELPER_KSEQADJ_H
#define NFHELPER_KSEQADJ_H

#include <stdbool.h>
#include <stdint.h>

/* struct nf_ct_seqadj */
struct kseqadj {
	uint32_t pos;           /* correction_pos */
	int32_t before, after;  /* offset_before, offset_after */
};

bool kseqadj_after(uint32_t a, uint32_t b);
/* nf_ct_seqadj_set: a queued packet at seq (as the verdict returned it) changed length by d. */
void kseqadj_set(struct kseqadj *k, uint32_t seq, int32_t d);
/* nf_ct_seq_adjust: the sequence number a packet at seq leaves with. */
uint32_t kseqadj_seq(const struct kseqadj *k, uint32_t seq);
/* nf_ct_seq_adjust on the other direction: the acknowledgement the sender gets for ack. */
uint32_t kseqadj_ack(const struct kseqadj *k, uint32_t ack);

#endif
