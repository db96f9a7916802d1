// SPDX-License-Identifier: GPL-2.0-or-later
/* kseqadj: the kernel's sequence adjustment (nf_conntrack_seqadj.c), for tests. */
#include "kseqadj.h"

bool kseqadj_after(uint32_t a, uint32_t b)
{
	return (int32_t)(b - a) < 0;
}

void kseqadj_set(struct kseqadj *k, uint32_t seq, int32_t d)
{
	if (!d)
		return;
	if (k->before == k->after || kseqadj_after(seq, k->pos)) {
		k->pos = seq;
		k->before = k->after;
		k->after += d;
	}
}

uint32_t kseqadj_seq(const struct kseqadj *k, uint32_t seq)
{
	return seq + (uint32_t)(kseqadj_after(seq, k->pos) ? k->after : k->before);
}

uint32_t kseqadj_ack(const struct kseqadj *k, uint32_t ack)
{
	return ack - (uint32_t)(kseqadj_after(ack - (uint32_t)k->before, k->pos) ? k->after : k->before);
}
