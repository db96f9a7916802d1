// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_pptp: fuzz_stream's PPTP client (the PNS) — RFC 2637 control messages, and the call
 * IDs NAT must rewrite in them (the fields nf_nat_pptp.c rewrites: Outgoing-Call-Request's
 * and Incoming-Call-Reply's Call ID, Call-Clear-Request's).  Under NAT a call keeps its ID when
 * no other call holds it, else it gets the next free one above it (README: PPTP, NAT call
 * IDs unique per reply side and NAT address); the kernel allocates differently, the fields
 * are the same.  The session is set up before the fuzzed stream (the prologue): the client's
 * Start-Control-Connection-Request, the server's Reply and two Incoming-Call-Requests (900,
 * 901), which the client may answer. */
#include <string.h>
#include "pptp.h"
#include "stream_model.h"

#define NAT_TRIES 64            /* IDs tried above the call's own (pptp.c) */
#define PEER_IN 900             /* the server's incoming calls: 900, 901 */

enum { NONE, REQUESTED, CONFIRMED, STOPREQ };
enum { FREE, OUT_REQ, IN_REQ, IN_REP };

struct model {
	uint8_t session;
	bool dead;              /* a malformed message ended parsing */
	struct call {
		uint16_t orig, nat, reply;
		uint8_t state;
		bool held;      /* nat is held for it */
	} call[PPTP_CALLS];
};

_Static_assert(sizeof(struct model) <= STREAM_MODEL_STATE, "model state");

/* RFC 2637 2: each Control Message Type's size. */
static const uint16_t size_of[16] = { 0, 156, 156, 16, 16, 16, 20, 168, 32, 220, 24, 28, 16, 148, 40, 24 };

static uint32_t put_msg(uint8_t *b, unsigned type, uint32_t cookie)
{
	uint16_t len = size_of[type];

	memset(b, 0, len);
	b[0] = (uint8_t)(len >> 8), b[1] = (uint8_t)len;
	b[3] = 1;	/* PPTP Message Type: control */
	b[4] = (uint8_t)(cookie >> 24), b[5] = (uint8_t)(cookie >> 16);
	b[6] = (uint8_t)(cookie >> 8), b[7] = (uint8_t)cookie;
	b[9] = (uint8_t)type;
	return len;
}

static void put16(uint8_t *b, unsigned off, uint16_t v)
{
	b[off] = (uint8_t)(v >> 8);
	b[off + 1] = (uint8_t)v;
}

static bool id_held(const struct model *s, uint16_t id)
{
	for (unsigned i = 0; i < PPTP_CALLS; i++)
		if (s->call[i].state != FREE && s->call[i].held && s->call[i].nat == id)
			return true;
	return false;
}

/* The ID the server will know the call by. */
static void nat_id(const struct stream_env *env, struct model *s, struct call *c)
{
	c->nat = c->orig;
	if (!env->nat)
		return;
	for (unsigned i = 0; i < NAT_TRIES; i++) {
		uint16_t id = (uint16_t)(c->orig + i);

		if (i && !id)
			continue;	/* 0 is only ever a call's own ID */
		if (!id_held(s, id)) {
			c->nat = id;
			c->held = true;
			return;
		}
	}
}

static struct call *call_free_slot(struct model *s)
{
	for (unsigned i = 0; i < PPTP_CALLS; i++)
		if (s->call[i].state == FREE)
			return &s->call[i];
	return NULL;
}

static struct call *call_by(struct model *s, bool reply, uint16_t id, uint8_t state)
{
	for (unsigned i = 0; i < PPTP_CALLS; i++) {
		struct call *c = &s->call[i];

		if (c->state != FREE && (reply ? c->reply : c->orig) == id && (!state || c->state == state))
			return c;
	}
	return NULL;
}

/* Client: Start-Control-Connection-Request; server: its Reply (connected) and two
 * Incoming-Call-Requests. */
static uint32_t pptp_prologue(struct stream_env *env, int dir, uint8_t *b, uint32_t cap)
{
	struct model *s = (struct model *)env->state;
	uint32_t n;

	if (cap < 156 + 156 + 2 * 220)
		return 0;
	if (!dir) {
		n = put_msg(b, 1, 0x1A2B3C4D);
		put16(b, 12, 0x0100);
		s->session = REQUESTED;
		return n;
	}
	n = put_msg(b, 2, 0x1A2B3C4D);
	put16(b, 12, 0x0100);
	b[14] = 1;	/* Result Code: successful channel establishment */
	s->session = CONFIRMED;
	for (uint16_t k = 0; k < 2; k++) {
		struct call *c = call_free_slot(s);
		uint32_t at = n;

		n += put_msg(b + at, 9, 0x1A2B3C4D);
		put16(b + at, 12, PEER_IN + k);
		c->reply = PEER_IN + k;
		c->state = IN_REQ;
	}
	return n;
}

/* A call-ID field at 12 that NAT may change: expected value, and the bytes that may vary. */
static void rewrite(const struct stream_env *env, struct stream_msg *m, uint16_t was, uint16_t now)
{
	m->vary = 12;
	m->nvary = 2;
	if (!env->nat || was == now)
		return;
	memcpy(m->r, m->o, m->olen);
	put16(m->r, 12, now);
	m->rlen = m->olen;
}

static void out_call(struct stream_env *env, struct model *s, struct stream_msg *m, uint16_t id)
{
	struct call *c;

	m->olen = put_msg(m->o, 7, 0x1A2B3C4D);
	put16(m->o, 12, id);
	put16(m->o, 14, 77);	/* Call Serial Number */
	m->vary = 12;
	m->nvary = 2;
	if (s->dead || s->session != CONFIRMED || !(c = call_free_slot(s)))
		return;
	c->orig = id;
	c->state = OUT_REQ;
	nat_id(env, s, c);
	rewrite(env, m, id, c->nat);
}

static void in_reply(struct stream_env *env, struct model *s, struct stream_msg *m, uint16_t id,
		     uint16_t peer, uint8_t result)
{
	struct call *c;

	m->olen = put_msg(m->o, 10, 0x1A2B3C4D);
	put16(m->o, 12, id);
	put16(m->o, 14, peer);
	m->o[16] = result;
	m->vary = 12;
	m->nvary = 2;
	if (s->dead || !(c = call_by(s, true, peer, IN_REQ)))
		return;
	c->orig = id;
	nat_id(env, s, c);
	rewrite(env, m, id, c->nat);
	if (result == 1)
		c->state = IN_REP;
	else
		memset(c, 0, sizeof(*c));
}

/* Message kinds: b bits 0-2 the type, bits 3-5 the call ID, bit 6 the incoming call answered,
 * bit 7 an Incoming-Call-Reply refusing it. */
static void pptp_message(struct stream_env *env, uint8_t b, struct stream_msg *m)
{
	static const uint16_t ids[8] = { 1, 2, 3, 0xffff, 0, 1, 2, 0xfffe };
	struct model *s = (struct model *)env->state;
	unsigned i = (b >> 3) & 7;
	uint16_t id = ids[i];
	struct call *c;

	switch (b & 7) {
	case 2:	/* Call-Clear-Request: the call's ID as the server knows it */
		m->olen = put_msg(m->o, 12, 0x1A2B3C4D);
		put16(m->o, 12, id);
		m->vary = 12;
		m->nvary = 2;
		if (!s->dead && (c = call_by(s, false, id, 0)))
			rewrite(env, m, id, c->nat);
		return;
	case 3:
		in_reply(env, s, m, id, PEER_IN + ((b >> 6) & 1), b & 0x80 ? 2 : 1);
		return;
	case 4:
		m->olen = put_msg(m->o, 5, 0x1A2B3C4D);	/* Echo-Request */
		return;
	case 5:	/* Set-Link-Info: the server's peer call ID, which NAT leaves */
		m->olen = put_msg(m->o, 15, 0x1A2B3C4D);
		put16(m->o, 12, id);
		return;
	case 6:
		if (i < 6) {
			m->olen = put_msg(m->o, 6, 0x1A2B3C4D);	/* Echo-Reply */
			return;
		}
		/* A new Start-Control-Connection-Request, or a Stop: no call is tracked after */
		m->olen = put_msg(m->o, i == 7 ? 1 : 3, 0x1A2B3C4D);
		if (i == 7)
			put16(m->o, 12, 0x0100);
		if (!s->dead)
			s->session = i == 7 ? REQUESTED : STOPREQ;
		return;
	case 7:
		if (i == 7) {	/* a wrong Magic Cookie: the rest of the stream is not parsed */
			m->olen = put_msg(m->o, 12, 0x1A2B3C4E);
			s->dead = true;
			return;
		}
		/* fall through */
	default:
		out_call(env, s, m, id);
		return;
	}
}

static const char *pptp_ended(void)
{
	return pptp_nat_ids_held() ? "NAT call IDs still held" : NULL;
}

const struct stream_model stream_model_pptp = {
	.name = "pptp", .port = 1723, .stateful = true, .prologue = pptp_prologue,
	.message = pptp_message, .ended = pptp_ended,
};
