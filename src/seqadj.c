// SPDX-License-Identifier: GPL-2.0-or-later
/* seqadj: where the kernel's sequence correction puts a packet, as our verdicts set it.
 * Mirrors net/netfilter/nf_conntrack_seqadj.c (nf_ct_seqadj_set, nf_ct_seq_adjust); why the
 * stream layer needs it is at the top of stream.c. */
#include "array_size.h"
#include "seqadj.h"

/* nf_ct_seq_adjust: what the kernel adds to the sequence number of a packet at seq. */
static int32_t seqadj_off(const struct stream_dir *sd, uint32_t seq)
{
	return seq_before(sd->kpos, seq) ? sd->kafter : sd->kbefore;
}

void seqadj_set(struct stream_dir *sd, uint32_t seq, int32_t d)
{
	if (d && (sd->kbefore == sd->kafter || seq_before(sd->kpos, seq))) {
		sd->kpos = seq;
		sd->kbefore = sd->kafter;
		sd->kafter += d;
	}
}

/* Whether a packet at x changing length by d reaches the receiver at wire.  Only a packet with
 * new bytes (fresh) may set a correction: a retransmission would count its change a second
 * time, and acknowledgements would be mapped with it. */
static bool seqadj_fits(const struct stream_dir *sd, uint32_t x, uint32_t wire, int32_t d, bool fresh)
{
	bool sets = d && (sd->kbefore == sd->kafter || seq_before(sd->kpos, x));

	return x + (uint32_t)seqadj_off(sd, x) == wire && (fresh || !sets);
}

/* seq itself when it fits, else one on the same side of the correction, else one on the
 * other. */
bool seqadj_place(const struct stream_dir *sd, uint32_t seq, uint32_t wire, int32_t d,
		  bool fresh, uint32_t *out)
{
	uint32_t a = wire - (uint32_t)sd->kafter, b = wire - (uint32_t)sd->kbefore;
	bool after = seq_before(sd->kpos, seq);
	const uint32_t cand[3] = { seq, after ? a : b, after ? b : a };

	for (unsigned i = 0; i < ARRAY_SIZE(cand); i++) {
		if (seqadj_fits(sd, cand[i], wire, d, fresh)) {
			*out = cand[i];
			return true;
		}
	}
	return false;
}
