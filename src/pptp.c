// SPDX-License-Identifier: GPL-2.0-or-later
/* pptp: the PPTP helper — control messages on TCP 1723 to GRE call tracking in the nfh_pptp
 * module (kmod/), and under NAT the call-ID rewriting of nf_nat_pptp.
 * Mirrors net/netfilter/nf_conntrack_pptp.c (session and call state machines, which direction
 * sends which message) and nf_nat_pptp.c (which call-ID fields NAT rewrites), RFC 2637.
 * Beyond the kernel, which tracks one call per control connection: PPTP_CALLS calls each, and
 * NAT call IDs unique per (reply side, NAT address) across every connection of this process,
 * so two clients behind one NAT whose call IDs collide keep working; one client holds at most
 * NAT_IDS_PER_CLIENT of them. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include "addrcount.h"
#include "kmod.h"
#include "log.h"
#include "pptp.h"

/* RFC 2637: Outgoing-Call-Reply result 1 is "Connected", Incoming-Call-Reply's 1 "Connect",
 * Start-Control-Connection-Reply's 1 "Successful channel establishment". */
#define PPTP_RESULT_OK 1

/* The NAT call IDs in use, process-wide: (reply side, NAT address, ID), open addressing. */
#define NAT_SLOTS 4096
#define NAT_PROBES 64
#define NAT_TRIES 64
enum { SLOT_EMPTY = 0, SLOT_USED, SLOT_GONE };
struct nat_slot {
	uint32_t pac, nat;
	uint16_t id;
	uint8_t use;
};
static struct nat_slot nat_ids[NAT_SLOTS];

/* NAT call IDs one client (the original side's address) may hold at once, process-wide.  The
 * table is shared by every client behind the NAT, and one opening sessions of PPTP_CALLS
 * calls each would fill it with 512 of them; 256 is 32 full sessions, 16 such clients fill it.
 * Over the bound a call keeps its own ID, as when no NAT ID is free. */
#define NAT_IDS_PER_CLIENT 256
/* NAT IDs held per client: at most one client per ID held, so NAT_SLOTS slots. */
static struct addr_count nat_client_slots[NAT_SLOTS];
static struct addr_counts nat_clients = { nat_client_slots, NAT_SLOTS - 1 };

static uint32_t nat_hash(uint32_t pac, uint32_t nat, uint16_t id)
{
	return ((pac * 2654435761U) ^ (nat * 40503U) ^ (id * 2246822519U)) & (NAT_SLOTS - 1);
}

static struct nat_slot *nat_find(uint32_t pac, uint32_t nat, uint16_t id)
{
	for (uint32_t i = 0, h = nat_hash(pac, nat, id); i < NAT_PROBES; i++) {
		struct nat_slot *s = &nat_ids[(h + i) & (NAT_SLOTS - 1)];

		if (s->use == SLOT_EMPTY)
			return NULL;
		if (s->use == SLOT_USED && s->pac == pac && s->nat == nat && s->id == id)
			return s;
	}
	return NULL;
}

static bool nat_take(uint32_t pac, uint32_t nat, uint16_t id)
{
	if (nat_find(pac, nat, id))
		return false;
	for (uint32_t i = 0, h = nat_hash(pac, nat, id); i < NAT_PROBES; i++) {
		struct nat_slot *s = &nat_ids[(h + i) & (NAT_SLOTS - 1)];

		if (s->use != SLOT_USED) {
			*s = (struct nat_slot){ pac, nat, id, SLOT_USED };
			return true;
		}
	}
	return false;
}

static void nat_give(uint32_t pac, uint32_t nat, uint16_t id)
{
	struct nat_slot *s = nat_find(pac, nat, id);

	if (s)
		s->use = SLOT_GONE;
}

/* The client's address as addrcount keys it: IPv4 in the first four bytes. */
static void client_key(uint32_t addr, uint8_t key[16])
{
	memset(key, 0, 16);
	memcpy(key, &addr, sizeof(addr));
}

static void client_give(uint32_t addr)
{
	uint8_t key[16];
	struct addr_count *c;

	client_key(addr, key);
	if ((c = addrcount_find(&nat_clients, key, false)))
		c->n--;
}

unsigned pptp_nat_ids_held(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NAT_SLOTS; i++)
		n += nat_ids[i].use == SLOT_USED;
	return n;
}

/* The ID the reply side will know the call by: the real one when it is free, else the
 * next free one above it; the real one too when the client holds its bound already. */
static void call_nat_id(struct pptp_state *st, struct pptp_call *c, bool nat)
{
	struct addr_count *cl;
	uint8_t key[16];

	c->nat_id = c->orig_id;
	if (!nat)
		return;
	client_key(st->client, key);
	cl = addrcount_find(&nat_clients, key, true);
	if (!cl || cl->n >= NAT_IDS_PER_CLIENT) {
		log_rl(LOG_WARNING, "pptp: client %s holds %u NAT call IDs already (or no slot "
		       "counts it): call %u keeps its ID", inet_ntoa((struct in_addr){ st->client }),
		       NAT_IDS_PER_CLIENT, c->orig_id);
		return;
	}
	for (uint16_t i = 0; i < NAT_TRIES; i++) {
		uint16_t id = (uint16_t)(c->orig_id + i);

		if (i && !id)	/* wrapped around: 0 is the real ID's to keep, never a move's */
			continue;
		if (nat_take(st->pac, st->nat, id)) {
			addrcount_take(cl, key);
			c->nat_id = id;
			c->reserved = 1;
			return;
		}
	}
	log_rl(LOG_WARNING, "pptp: no free NAT call ID near %u: keeping it", c->orig_id);
}

static struct pptp_call *call_new(struct pptp_state *st)
{
	for (unsigned i = 0; i < PPTP_CALLS; i++)
		if (st->call[i].state == PPTP_CALL_FREE)
			return &st->call[i];
	log_rl(LOG_WARNING, "pptp: more than %u calls on one control connection: not tracked", PPTP_CALLS);
	return NULL;
}

enum call_key { BY_ORIG, BY_NAT, BY_REPLY };

static struct pptp_call *call_find(struct pptp_state *st, enum call_key key, uint16_t id, uint8_t state)
{
	for (unsigned i = 0; i < PPTP_CALLS; i++) {
		struct pptp_call *c = &st->call[i];
		uint16_t v = key == BY_ORIG ? c->orig_id : key == BY_NAT ? c->nat_id : c->reply_id;

		if (c->state != PPTP_CALL_FREE && v == id && (!state || c->state == state))
			return c;
	}
	return NULL;
}

static void call_free(struct pptp_state *st, struct pptp_call *c)
{
	if (c->reserved) {
		nat_give(st->pac, st->nat, c->nat_id);
		client_give(st->client);
	}
	memset(c, 0, sizeof(*c));
}

/* The module's side of a call: GRE keymaps and expectations up, or down (what
 * nf_conntrack_pptp's exp_gre and pptp_destroy_siblings do in the kernel).  The module is
 * PPTP's registration backend (kmod_backend): help_ctx.backend is its link, NULL without one. */
static void call_kmod(struct help_ctx *ctx, struct pptp_call *c, int add)
{
	const struct kmod_link *km = ctx->backend;
	struct kmod_call k = { c->orig_id, c->nat_id, c->reply_id };
	int err;

	if (!km)
		return;
	err = km->call(km->arg, add, ctx->ct, &k);
	if (err)
		log_rl(LOG_WARNING, "pptp: ct %u: cannot %s call %u/%u in the module: %s", ctx->ct->id,
		       add ? "add" : "remove", c->orig_id, c->reply_id, strerror(-err));
	else
		log_rl(LOG_INFO, "pptp: ct %u: call %s: %u (%u after NAT) <-> %u", ctx->ct->id,
		       add ? "up" : "down", c->orig_id, c->nat_id, c->reply_id);
}

static void call_end(struct help_ctx *ctx, struct pptp_state *st, struct pptp_call *c)
{
	if (c->state == PPTP_CALL_UP)
		call_kmod(ctx, c, 0);
	call_free(st, c);
}

static void calls_end_all(struct help_ctx *ctx, struct pptp_state *st)
{
	const struct kmod_link *km = ctx->backend;
	bool up = false;

	for (unsigned i = 0; i < PPTP_CALLS; i++) {
		up |= st->call[i].state == PPTP_CALL_UP;
		call_free(st, &st->call[i]);
	}
	if (up && km)
		km->call(km->arg, 0, ctx->ct, NULL);
}

/* Under NAT, a two-byte call-ID field of the message (now was) gets value. */
static void rewrite(struct help_ctx *ctx, struct stream_pkt *sp, uint64_t off, uint16_t was, uint16_t value)
{
	uint8_t b[2] = { (uint8_t)(value >> 8), (uint8_t)value };

	if (!sp->nat || was == value || stream_edit(sp, off, 2, b, 2) == 0)
		return;
	log_rl(LOG_WARNING, "pptp: ct %u: cannot rewrite a call ID (sent already, or too many edits)",
	       ctx->ct->id);
}

/* What the original side (the PNS) sends. */
static void from_orig(struct help_ctx *ctx, struct pptp_state *st, const struct pptp_msg *m,
		      struct stream_pkt *sp)
{
	struct pptp_call *c;

	switch (m->type) {
	case PPTP_SCCRQ:
		st->session = PPTP_SESSION_REQUESTED;
		return;
	case PPTP_OCRQ:
		if (st->session != PPTP_SESSION_CONFIRMED || !(c = call_new(st)))
			return;
		c->orig_id = m->call_id;
		c->state = PPTP_CALL_OUT_REQ;
		call_nat_id(st, c, sp->nat);
		rewrite(ctx, sp, m->call_id_off, m->call_id, c->nat_id);
		return;
	case PPTP_ICRP:
		c = call_find(st, BY_REPLY, m->peer_call_id, PPTP_CALL_IN_REQ);
		if (!c)
			return;
		c->orig_id = m->call_id;
		call_nat_id(st, c, sp->nat);
		rewrite(ctx, sp, m->call_id_off, m->call_id, c->nat_id);
		if (m->result == PPTP_RESULT_OK)
			c->state = PPTP_CALL_IN_REP;
		else
			call_free(st, c);
		return;
	case PPTP_CCRQ:
		/* The call ends with the PAC's Call-Disconnect-Notify (as in the kernel). */
		if ((c = call_find(st, BY_ORIG, m->call_id, 0)))
			rewrite(ctx, sp, m->call_id_off, m->call_id, c->nat_id);
		return;
	}
}

/* What the reply side (the PAC) sends: its peer-call-ID fields name the original side by
 * its NAT ID, which goes back to the real one. */
static void from_reply(struct help_ctx *ctx, struct pptp_state *st, const struct pptp_msg *m,
		       struct stream_pkt *sp)
{
	struct pptp_call *c;

	switch (m->type) {
	case PPTP_SCCRP:
		/* A refused session tracks no call, as the kernel's PPTP_SESSION_ERROR. */
		if (st->session == PPTP_SESSION_REQUESTED)
			st->session = m->result == PPTP_RESULT_OK ? PPTP_SESSION_CONFIRMED : PPTP_SESSION_NONE;
		return;
	case PPTP_OCRP:
		if (!(c = call_find(st, BY_NAT, m->peer_call_id, PPTP_CALL_OUT_REQ)))
			return;
		rewrite(ctx, sp, m->peer_call_id_off, m->peer_call_id, c->orig_id);
		if (m->result != PPTP_RESULT_OK) {
			call_free(st, c);
			return;
		}
		c->reply_id = m->call_id;
		c->state = PPTP_CALL_UP;
		call_kmod(ctx, c, 1);
		return;
	case PPTP_ICRQ:
		if (st->session != PPTP_SESSION_CONFIRMED || call_find(st, BY_REPLY, m->call_id, 0) ||
		    !(c = call_new(st)))
			return;
		c->reply_id = m->call_id;
		c->state = PPTP_CALL_IN_REQ;
		return;
	case PPTP_ICCN:
		if (!(c = call_find(st, BY_NAT, m->peer_call_id, PPTP_CALL_IN_REP)))
			return;
		rewrite(ctx, sp, m->peer_call_id_off, m->peer_call_id, c->orig_id);
		c->state = PPTP_CALL_UP;
		call_kmod(ctx, c, 1);
		return;
	case PPTP_CDN:
		if ((c = call_find(st, BY_REPLY, m->call_id, 0)))
			call_end(ctx, st, c);
		return;
	case PPTP_WEN:
	case PPTP_SLI:
		if ((c = call_find(st, BY_NAT, m->peer_call_id, 0)))
			rewrite(ctx, sp, m->peer_call_id_off, m->peer_call_id, c->orig_id);
		return;
	}
}

static void pptp_message(struct help_ctx *ctx, struct pptp_state *st, const struct pptp_msg *m,
			 struct stream_pkt *sp)
{
	switch (m->type) {
	case PPTP_STOPCCRQ:
		st->session = PPTP_SESSION_STOPREQ;
		return;
	case PPTP_STOPCCRP:
		st->session = PPTP_SESSION_NONE;
		calls_end_all(ctx, st);
		return;
	}
	if (ctx->dir == CT_DIR_ORIGINAL)
		from_orig(ctx, st, m, sp);
	else
		from_reply(ctx, st, m, sp);
}

/* stream_proto callbacks: the PPTP framing over both directions. */
static bool pptp_stream_parse(struct help_ctx *ctx, void *parser, struct stream_pkt *sp,
			      struct help_result *res)
{
	struct pptp_state *st = ctx->state;
	uint32_t off = 0;
	struct pptp_msg m;
	size_t used;

	while (off < sp->len) {
		enum pptp_result r = pptp_parser_execute(parser, sp->data + off, sp->len - off, &used, &m);

		off += (uint32_t)used;
		if (r == PPTP_MSG) {
			pptp_message(ctx, st, &m, sp);
		} else if (r == PPTP_MALFORMED) {
			log_rl(LOG_INFO, "pptp: ct %u: %s: the rest of this direction passes unread",
			       ctx->ct->id, pptp_bad_str(m.reason));
			break;
		} else if (!used) {
			break;
		}
	}
	return true;
}

static void pptp_stream_sync(void *parser, int dir, uint64_t off)
{
	pptp_parser_init(parser, off);
}

/* Binary and length-prefixed: no boundary can be found in the middle of a stream. */
static int pptp_stream_boundary(const uint8_t *data, uint32_t len)
{
	return -1;
}

static bool pptp_stream_idle(const void *parser)
{
	const struct pptp_parser *p = parser;

	return !p->in_msg && !p->dead;
}

static bool pptp_stream_gave_up(const void *parser)
{
	return ((const struct pptp_parser *)parser)->dead;
}

static uint64_t pptp_stream_hold_from(const void *parser)
{
	const struct pptp_parser *p = parser;

	return p->in_msg && p->candidate ? p->rewrite_from : STREAM_NO_HOLD;
}

static const struct stream_proto pptp_stream = {
	.parser_size = sizeof(struct pptp_parser),
	.hold_max = PPTP_MSG_MAX,
	.grow_max = 0,		/* call IDs are rewritten in place */
	.dir_pair = true,
	.sync = pptp_stream_sync,
	.boundary = pptp_stream_boundary,
	.idle = pptp_stream_idle,
	.gave_up = pptp_stream_gave_up,
	.hold_from = pptp_stream_hold_from,
	.parse = pptp_stream_parse,
};

static void pptp_help(struct help_ctx *ctx, struct help_result *res)
{
	struct pptp_state *st = ctx->state;

	if (ctx->ct->tuple[0].l3 != AF_INET)
		return;
	if (ctx->fresh) {
		st->pac = ctx->ct->tuple[CT_DIR_REPLY].src.v4;
		st->nat = ctx->ct->tuple[CT_DIR_REPLY].dst.v4;
		st->client = ctx->ct->tuple[CT_DIR_ORIGINAL].src.v4;
	}
	stream_help(ctx, &pptp_stream, &st->sd[ctx->dir], &st->parser[ctx->dir], &st->k, res);
}

static void pptp_destroy(struct pool *pool, void *state)
{
	struct pptp_state *st = state;

	stream_release(pool, &st->sd[0]);
	stream_release(pool, &st->sd[1]);
	/* The module ends the calls with the conntrack; only the NAT IDs are ours to give back. */
	for (unsigned i = 0; i < PPTP_CALLS; i++)
		call_free(st, &st->call[i]);
}

static const struct cthelper_policy pptp_policy[] = {
	/* nf_conntrack_pptp.c: 2 (one call, both directions), 5 minutes; two per call here */
	{ .name = "gre", .max_expected = 2 * PPTP_CALLS, .timeout = 5 * 60 },
};

static const struct helper_l4 pptp_l4[] = { { IPPROTO_TCP, pptp_help } };

const struct helper_proto pptp_proto = {
	.name = "pptp",
	.summary = "PPTP: GRE calls and call-ID NAT (needs the nfh_pptp module), IPv4",
	.default_queue = 1723,
	.l4 = pptp_l4,
	.nl4 = ARRAY_SIZE(pptp_l4),
	.priv_data_len = HELPER_PRIV_DATA_LEN(struct stream_kstate),
	.policy = pptp_policy,
	.npolicy = ARRAY_SIZE(pptp_policy),
	.state_size = sizeof(struct pptp_state),
	.destroy = pptp_destroy,
	.stream = &pptp_stream,
	.backend = &kmod_backend,
};
