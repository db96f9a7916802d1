// SPDX-License-Identifier: GPL-2.0-or-later
/* fakect: a kernel-free stand-in for the daemon's ctnetlink calls (see fakect.h).  Like the
 * kernel it refuses a tuple another master holds (-EBUSY) and replaces one of its own. */
#include <errno.h>
#include <string.h>
#include "fakect.h"

static int fake_create(void *arg, const struct ct_tuple *master, const struct ct_expect *e)
{
	struct fakect *f = arg;

	f->calls++;
	if (f->fail)
		return f->fail;
	if (f->taken_from && e->tuple.dport >= f->taken_from)
		return -EBUSY;
	for (unsigned i = 0; i < 8; i++)
		if (f->taken[i] && f->taken[i] == e->tuple.dport)
			return -EBUSY;
	for (unsigned i = 0; i < f->nlive; i++)
		if (ct_tuple_equal(&f->live[i].tuple, &e->tuple)) {
			f->live[i] = *e;
			f->last = *e;
			return 0;
		}
	if (f->nlive == FAKECT_LIVE)
		return -ENOSPC;
	f->live[f->nlive++] = *e;
	f->last = *e;
	return 0;
}

static int fake_del(void *arg, const struct ct_tuple *tuple)
{
	struct fakect *f = arg;

	for (unsigned i = 0; i < f->nlive; i++)
		if (ct_tuple_equal(&f->live[i].tuple, tuple)) {
			f->live[i] = f->live[--f->nlive];
			f->dels++;
			return 0;
		}
	return -ENOENT;
}

static int fake_flush(void *arg, const struct ct_tuple *master, uint32_t class)
{
	struct fakect *f = arg;

	for (unsigned i = 0; i < f->nlive;) {
		if (f->live[i].class == class) {
			f->live[i] = f->live[--f->nlive];
			f->dels++;
		} else {
			i++;
		}
	}
	return 0;
}

bool fakect_has_port(const struct fakect *f, uint16_t dport)
{
	for (unsigned i = 0; i < f->nlive; i++)
		if (f->live[i].tuple.dport == dport)
			return true;
	return false;
}

/* The nfh_pptp module's calls, recorded in order. */
static int fake_kmod_call(void *arg, int add, const struct ct_info *master, const struct kmod_call *call)
{
	struct fakect *f = arg;

	if (f->nkcall < FAKECT_KCALLS)
		f->kcall[f->nkcall++] = (struct fakect_kcall){ add, !call, master->id,
							       call ? *call : (struct kmod_call){ 0 } };
	return f->kmod_fail;
}

const struct help_ct_ops fakect_ops = {
	.create = fake_create, .del = fake_del, .flush = fake_flush, .kmod_call = fake_kmod_call,
};
