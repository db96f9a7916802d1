/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fakect: ctnetlink's expectation table as the packet path sees it (help_ct_ops), for tests,
 * fuzzers and benchmarks that run without a kernel: ports other connections hold, what
 * exists now, what was created and removed; and the nfh_pptp module as PPTP reaches it
 * (struct kmod_link). */
#ifndef NFHELPER_FAKECT_H
#define NFHELPER_FAKECT_H

#include "helper.h"
#include "kmod.h"

#define FAKECT_LIVE 32
#define FAKECT_KCALLS 16

struct fakect_kcall {
	int add;
	bool all;                 /* CALL_DEL of every call */
	uint32_t master_id;
	struct kmod_call call;
};

struct fakect {
	uint16_t taken[8];        /* destination ports held by other connections' expectations */
	uint16_t taken_from;      /* when non-zero, every port from this one up is taken too */
	int fail;                 /* when non-zero, every create answers this */
	const char *bad_fn;       /* an expectfn the kernel does not know: -EINVAL, as ctnetlink */
	uint16_t zone;            /* the master's conntrack zone: requests naming another fail */
	unsigned wrong_zone;      /* with -ENOENT, as ctnetlink's lookups there; counted here */
	unsigned calls, dels;     /* creates tried, deletes done */
	struct ct_expect last;    /* the last expectation created */
	struct ct_expect live[FAKECT_LIVE];
	unsigned nlive;
	struct fakect_kcall kcall[FAKECT_KCALLS]; /* the module's calls, in order */
	unsigned nkcall;
	int kmod_fail;            /* what the module answers */
	/* The calls the module holds, as it would (kmod_fail 0): nfhelper must never add a call
	 * twice, nor remove one it did not add; each such request counts in kmod_wrong. */
	struct fakect_kcall kmod_live[FAKECT_KCALLS];
	unsigned nkmod_live, kmod_wrong;
	struct kmod_link link;    /* fakect_kmod's */
};

extern const struct help_ct_ops fakect_ops;
/* The module modelled on f, as a dispatch's backend (dispatch.backend = fakect_kmod(f)). */
struct kmod_link *fakect_kmod(struct fakect *f);
/* The master conntrack id ended: the module drops its calls (its destroy callback). */
void fakect_master_gone(struct fakect *f, uint32_t master_id);
/* Whether an expectation with this destination port exists now. */
bool fakect_has_port(const struct fakect *f, uint16_t dport);

#endif
