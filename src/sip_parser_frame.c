// SPDX-License-Identifier: GPL-2.0-or-later
/* sip_parser_frame: where a SIP message begins and ends — CRLF keep-alives between messages,
 * the header machine (grammars/sip.rl) up to the blank line, then Content-Length bytes of
 * body (the SDP machine, grammars/sdp.rl, over them) or, in a datagram, the rest of it
 * (RFC 3261 7.5, 18.3; RFC 5626 4.4.1; the kernel's sip_help_tcp / sip_help_udp). */
#include <stdbool.h>
#include <string.h>
#include "sip_parser.h"
#include "sip_parser_int.h"

#define POS(x) (base + (uint64_t)((x) - data))

static enum sip_result fail(struct sip_parser *st, enum sip_bad why, struct sip_msg *m)
{
	uint64_t start = st->msg.start;

	st->phase = SIP_PH_BAD;
	st->bad = (uint8_t)why;
	memset(m, 0, sizeof(*m));
	m->start = start;
	return SIP_BAD;
}

/* The message ended at stream offset end: hand it over. */
static enum sip_result done(struct sip_parser *st, uint64_t end, struct sip_msg *m)
{
	if (st->sdp_on && st->msg.sdp.present && !sip_sdp_end(st, end))
		return fail(st, st->bad ? st->bad : SIP_BAD_SYNTAX, m);
	st->msg.len = (uint32_t)(end - st->msg.start);
	memcpy(m, &st->msg, sizeof(*m));
	st->phase = st->dgram ? SIP_PH_DONE : SIP_PH_START;
	return SIP_MSG;
}

/* The blank line was read at stream offset at: how long is the body? */
static enum sip_bad headers_end(struct sip_parser *st, uint64_t at)
{
	struct sip_msg *msg = &st->msg;

	msg->body_off = (uint32_t)(at - msg->start);
	if (msg->contact_star && msg->ncontact)
		return SIP_BAD_SYNTAX;  /* RFC 3261 10.2.2: "*" stands alone */
	if (!msg->has_clen && !st->dgram)
		return SIP_BAD_LENGTH;  /* RFC 3261 18.3: required on a stream */
	if (msg->has_clen && (uint64_t)msg->body_off + msg->clen > SIP_MSG_MAX)
		return SIP_BAD_TOO_LONG;
	st->body_left = msg->clen;
	st->phase = SIP_PH_BODY;
	if (st->sdp_on)
		sip_sdp_init(st);
	return SIP_BAD_NONE;
}

/* Body bytes [*pp, pe): counted against Content-Length, read as SDP when it is. */
static enum sip_bad body_exec(struct sip_parser *st, const uint8_t *data, const uint8_t **pp,
			      const uint8_t *pe, uint64_t base)
{
	const uint8_t *p = *pp;
	size_t n = (size_t)(pe - p), used;

	if (st->msg.has_clen && n > st->body_left) {
		n = st->body_left;
	} else if (!st->msg.has_clen && POS(p) + n - st->msg.start > SIP_MSG_MAX) {
		/* a datagram's body runs to its end: fail where SIP_MSG_MAX runs out, the same
		 * byte however the datagram was fed */
		*pp = p + (st->msg.start + SIP_MSG_MAX - POS(p));
		return SIP_BAD_TOO_LONG;
	}
	if (n && st->sdp_on) {
		st->msg.sdp.present = true;
		if (!sip_sdp_exec(st, p, n, POS(p), &used)) {
			*pp = p + used;
			return st->bad ? st->bad : SIP_BAD_SYNTAX;
		}
	}
	if (st->msg.has_clen)
		st->body_left -= (uint32_t)n;
	*pp = p + n;
	return SIP_BAD_NONE;
}

void sip_parser_init(struct sip_parser *st, uint64_t pos, bool dgram)
{
	memset(st, 0, sizeof(*st));
	st->pos = pos;
	st->dgram = dgram;
	sip_head_begin(st, pos);
	st->phase = SIP_PH_START;
	st->msg.start = UINT64_MAX;
}

enum sip_result sip_parser_feed(struct sip_parser *st, const uint8_t *data, size_t len,
				size_t *used, struct sip_msg *m)
{
	const uint8_t *p = data, *pe = data + len;
	uint64_t base = st->pos;
	enum sip_result r = SIP_MORE;
	enum sip_bad why = SIP_BAD_NONE;

	if (st->phase == SIP_PH_BAD) {
		*used = 0;
		return SIP_BAD;
	}
	while (p < pe && r == SIP_MORE) {
		switch (st->phase) {
		case SIP_PH_START:
			/* CRLFs between messages (RFC 3261 7.5, RFC 5626 4.4.1) */
			if (*p == '\r' || *p == '\n')
				p++;
			else
				sip_head_begin(st, POS(p));
			break;
		case SIP_PH_HEAD:
			why = sip_head_exec(st, data, &p, pe, base);
			if (!why && st->hdone)
				why = headers_end(st, POS(p));
			if (!why && st->phase == SIP_PH_BODY && st->msg.has_clen && !st->body_left)
				r = done(st, POS(p), m);
			break;
		case SIP_PH_BODY:
			why = body_exec(st, data, &p, pe, base);
			if (!why && st->msg.has_clen && !st->body_left)
				r = done(st, POS(p), m);
			break;
		default:	/* SIP_PH_DONE: the rest of a datagram after its message */
			p = pe;
			break;
		}
		if (why)
			r = fail(st, why, m);
	}
	/* at SIP_BAD the rest is taken unread: the parser reads nothing more, and pos stays
	 * where the message failed */
	*used = r == SIP_BAD ? len : (size_t)(p - data);
	st->pos = base + (uint64_t)(p - data);
	return r;
}

enum sip_result sip_parser_finish(struct sip_parser *st, struct sip_msg *m)
{
	if (!st->dgram)
		return SIP_MORE;
	switch (st->phase) {
	case SIP_PH_HEAD:
		return fail(st, SIP_BAD_SYNTAX, m);	/* no blank line */
	case SIP_PH_BODY:
		if (st->msg.has_clen)	/* RFC 3261 18.3: the datagram is short */
			return fail(st, SIP_BAD_LENGTH, m);
		return done(st, st->pos, m);
	case SIP_PH_BAD:
		return SIP_BAD;
	default:
		return SIP_MORE;
	}
}

enum sip_result sip_parser_execute(struct sip_parser *st, const uint8_t *data, size_t len,
				   size_t *used, struct sip_msg *m)
{
	enum sip_result r;
	size_t rest;

	if (!st->dgram)
		return sip_parser_feed(st, data, len, used, m);
	if (st->phase == SIP_PH_BAD) {
		*used = 0;
		return SIP_BAD;
	}
	st->phase = SIP_PH_START;	/* each datagram is a message of its own */
	r = sip_parser_feed(st, data, len, used, m);
	if (r == SIP_BAD)
		return r;
	if (r == SIP_MSG) {
		/* Content-Length ended the message early: the rest is ignored (RFC 3261 18.3) */
		sip_parser_feed(st, data + *used, len - *used, &rest, m);
		*used += rest;
		return r;
	}
	return sip_parser_finish(st, m);
}

bool sip_parser_idle(const struct sip_parser *st)
{
	return st->phase == SIP_PH_START || st->phase == SIP_PH_DONE;
}

uint64_t sip_parser_msg_start(const struct sip_parser *st)
{
	return sip_parser_idle(st) ? UINT64_MAX : st->msg.start;
}

const char *sip_bad_str(enum sip_bad b)
{
	static const char *const s[] = {
		[SIP_BAD_NONE] = "none", [SIP_BAD_SYNTAX] = "syntax", [SIP_BAD_LENGTH] = "length",
		[SIP_BAD_TOO_LONG] = "too long", [SIP_BAD_TOO_MANY] = "too many",
		[SIP_BAD_NUMBER] = "number", [SIP_BAD_DUPLICATE] = "duplicate",
	};

	return (unsigned)b < sizeof(s) / sizeof(s[0]) ? s[b] : "?";
}

const char *sip_method_str(enum sip_method m)
{
	static const char *const s[] = {
		[SIP_M_NONE] = "", [SIP_M_OTHER] = "OTHER", [SIP_M_INVITE] = "INVITE",
		[SIP_M_ACK] = "ACK", [SIP_M_BYE] = "BYE", [SIP_M_CANCEL] = "CANCEL",
		[SIP_M_REGISTER] = "REGISTER", [SIP_M_UPDATE] = "UPDATE", [SIP_M_PRACK] = "PRACK",
		[SIP_M_MESSAGE] = "MESSAGE", [SIP_M_NOTIFY] = "NOTIFY",
		[SIP_M_SUBSCRIBE] = "SUBSCRIBE", [SIP_M_REFER] = "REFER",
		[SIP_M_OPTIONS] = "OPTIONS", [SIP_M_INFO] = "INFO", [SIP_M_PUBLISH] = "PUBLISH",
	};

	return (unsigned)m < sizeof(s) / sizeof(s[0]) ? s[m] : "?";
}
