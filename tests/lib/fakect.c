// SPDX-License-Identifier: GPL-2.0-or-later
/* fakect: a kernel-free stand-in for the daemon's ctnetlink calls (see fakect.h).  Like the
 * kernel it refuses a tuple another master holds (-EBUSY), replaces one of its own, and finds
 * neither master nor expectations in a zone other than the master's (-ENOENT). */
#include <errno.h>
#include <string.h>
#include "fakect.h"

/* ctnetlink looks masters (nf_conntrack_find_get) and expectations (nf_ct_expect_find_get)
 * up in the zone a request names: in another zone than the master's, neither is found. */
static int zone_check(struct fakect *f, uint16_t zone)
{
	if (zone == f->zone)
		return 0;
	f->wrong_zone++;
	return -ENOENT;
}

static int fake_create(void *arg, uint16_t zone, const struct ct_tuple *master, const struct ct_expect *e)
{
	struct fakect *f = arg;

	f->calls++;
	if (f->fail)
		return f->fail;
	if (zone_check(f, zone))
		return -ENOENT;
	if (f->bad_fn && e->fn && !strcmp(e->fn, f->bad_fn))
		return -EINVAL;
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

/* ctnetlink_del_expect: nf_ct_expect_find_get in the zone named; all live ones are in f->zone. */
static int fake_del(void *arg, uint16_t zone, const struct ct_tuple *tuple)
{
	struct fakect *f = arg;

	if (zone_check(f, zone))
		return -ENOENT;
	for (unsigned i = 0; i < f->nlive; i++)
		if (ct_tuple_equal(&f->live[i].tuple, tuple)) {
			f->live[i] = f->live[--f->nlive];
			f->dels++;
			return 0;
		}
	return -ENOENT;
}

/* ctnetlink_dump_exp_ct finds the master in the zone named, then deletes go by tuple. */
static int fake_flush(void *arg, uint16_t zone, const struct ct_tuple *master, uint32_t class)
{
	struct fakect *f = arg;

	if (zone_check(f, zone))
		return -ENOENT;
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

static bool kcall_same(const struct fakect_kcall *a, const struct fakect_kcall *b)
{
	return a->master_id == b->master_id && a->call.orig_id == b->call.orig_id &&
	       a->call.orig_id_nat == b->call.orig_id_nat && a->call.reply_id == b->call.reply_id;
}

/* The module's table of calls: what an add, a delete of one or of all does to it. */
static void kmod_model(struct fakect *f, const struct fakect_kcall *k)
{
	unsigned i = 0;

	if (k->all) {
		while (i < f->nkmod_live)
			if (f->kmod_live[i].master_id == k->master_id)
				f->kmod_live[i] = f->kmod_live[--f->nkmod_live];
			else
				i++;
		return;
	}
	while (i < f->nkmod_live && !kcall_same(&f->kmod_live[i], k))
		i++;
	if (k->add ? i < f->nkmod_live : i == f->nkmod_live)
		f->kmod_wrong++;
	else if (!k->add)
		f->kmod_live[i] = f->kmod_live[--f->nkmod_live];
	else if (f->nkmod_live < FAKECT_KCALLS)
		f->kmod_live[f->nkmod_live++] = *k;
}

void fakect_master_gone(struct fakect *f, uint32_t master_id)
{
	struct fakect_kcall all = { .all = true, .master_id = master_id };

	kmod_model(f, &all);
}

/* The nfh_pptp module's calls, recorded in order (the first FAKECT_KCALLS) and modelled. */
static int fake_kmod_call(void *arg, int add, const struct ct_info *master, const struct kmod_call *call)
{
	struct fakect *f = arg;
	struct fakect_kcall k = { add, !call, master->id, call ? *call : (struct kmod_call){ 0 } };

	if (f->nkcall < FAKECT_KCALLS)
		f->kcall[f->nkcall++] = k;
	if (!f->kmod_fail)
		kmod_model(f, &k);
	return f->kmod_fail;
}

const struct help_ct_ops fakect_ops = {
	.create = fake_create, .del = fake_del, .flush = fake_flush,
};

struct kmod_link *fakect_kmod(struct fakect *f)
{
	f->link = (struct kmod_link){ fake_kmod_call, f };
	return &f->link;
}
