/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pptp: PPTP control-connection grammar — message framing and call-ID fields; pure, resumable.
 * Mirrors net/netfilter/nf_conntrack_pptp.c (conntrack_pptp_help, pptp_msg_size[]) and the
 * message structs of include/linux/netfilter/nf_conntrack_pptp.h; RFC 2637 section 2.
 *
 * The stream is a sequence of control messages, each: Length (2 bytes, the whole message),
 * PPTP Message Type (2 bytes, 1 = control), Magic Cookie 0x1A2B3C4D, Control Message Type
 * (2 bytes, 1..15), Reserved0 (2 bytes), then a body whose size RFC 2637 fixes per type.
 * Every message below is written with its own Length, so a (length, type) pair the RFC
 * does not list is no message: the length is never trusted beyond this table.
 *
 * Choices and deliberate differences from the kernel helper, each stricter unless noted:
 * - Every message of a segment is parsed, and a message may be split anywhere: the kernel
 *   reads one message at the start of each segment (it ignores packetLength and takes the
 *   segment's end for the message's) and looks no further, so a call request behind an
 *   echo in the same segment escapes it, and a message cut by the sender's segmentation is
 *   not seen at all (shorter than its struct: passed unparsed).
 * - Length must equal the type's RFC size.  The kernel only wants at least its struct
 *   (reqlen < pptp_msg_size[] is refused, longer is fine) and has no size for the echo
 *   messages at all.
 * - Any violation ends parsing for the rest of the connection's stream (PPTP_MALFORMED,
 *   then the dead state).  A length-prefixed binary stream has no resynchronisation point:
 *   once one Length is wrong, where the next message starts is unknown, and a guess (scan
 *   for the cookie) would let a peer place a forged header inside a message's free-text
 *   fields (host name, phone number, call statistics) and have it parsed.  The kernel
 *   resynchronises at every segment start instead, with the same exposure.
 * - PPTP Message Type 2 (management) is refused: RFC 2637 defines none on this connection.
 * - Lenient, as the kernel: Reserved0 and the reserved fields of bodies are not checked
 *   (RFC 2637 says they MUST be 0); they do not affect framing, and refusing them would cut
 *   a whole connection over a field that carries nothing.
 * - Which type may come from which side, and in which session state, is the protocol
 *   file's policy (pptp.c), as in the kernel's pptp_outbound_pkt / pptp_inbound_pkt.
 */
#include <stdbool.h>
#include "pptp_parser.h"

%%{
	machine pptp;
	access st->;
	alphtype unsigned char;

	action l0    { st->cur.length = (uint16_t)(fc << 8); }
	action l1    { st->cur.length |= fc; }
	action type  { st->cur.type = fc; }
	action cid0  { st->cur.call_id_off = POS(fpc); st->cur.call_id = (uint16_t)(fc << 8); }
	action cid1  { st->cur.call_id |= fc; st->cur.fields |= PPTP_F_CALL_ID; }
	action pcid0 { st->cur.peer_call_id_off = POS(fpc); st->cur.peer_call_id = (uint16_t)(fc << 8); }
	action pcid1 { st->cur.peer_call_id |= fc; st->cur.fields |= PPTP_F_PEER_CALL_ID; }
	action res   { st->cur.result = fc; st->cur.fields |= PPTP_F_RESULT; }
	action done  { msg_done(st, POS(fpc) + 1, m); rc = PPTP_MSG; fbreak; }
	action bad   { msg_bad(st, POS(fpc), fc, m); rc = PPTP_MALFORMED; fnext dead; fbreak; }

	# Length's high byte is 0 for every message (the largest is 220).
	len0   = 0 @l0;
	# PPTP Message Type 1, the cookie, the Control Message Type's high byte.
	head   = 0 1 0x1a 0x2b 0x3c 0x4d 0;
	rsv    = any{2};
	cid    = any @cid0 any @cid1;
	pcid   = any @pcid0 any @pcid1;
	res    = any @res;

	# RFC 2637 2.1 .. 2.15: Length, type, body.
	sccrq  = len0 156 @l1 head  1 @type rsv any{144};
	sccrp  = len0 156 @l1 head  2 @type rsv any{2} res any{141};
	stopq  = len0  16 @l1 head  3 @type rsv any{4};
	stopp  = len0  16 @l1 head  4 @type rsv any{4};
	echoq  = len0  16 @l1 head  5 @type rsv any{4};
	echop  = len0  20 @l1 head  6 @type rsv any{8};
	ocrq   = len0 168 @l1 head  7 @type rsv cid any{154};
	ocrp   = len0  32 @l1 head  8 @type rsv cid pcid res any{15};
	icrq   = len0 220 @l1 head  9 @type rsv cid any{206};
	icrp   = len0  24 @l1 head 10 @type rsv cid pcid res any{7};
	iccn   = len0  28 @l1 head 11 @type rsv pcid any{14};
	ccrq   = len0  16 @l1 head 12 @type rsv cid any{2};
	cdn    = len0 148 @l1 head 13 @type rsv cid any{134};
	wen    = len0  40 @l1 head 14 @type rsv pcid any{26};
	sli    = len0  24 @l1 head 15 @type rsv pcid any{10};

	msg    = ( sccrq | sccrp | stopq | stopp | echoq | echop | ocrq | ocrp | icrq | icrp
	         | iccn | ccrq | cdn | wen | sli ) @done;

	dead  := any*;
	main  := msg* $!bad;
}%%

%% write data noerror nofinal;

/* RFC 2637 2.1-2.15 (the grammar above spells the same numbers). */
static const uint8_t msg_size[PPTP_TYPE_MAX + 1] = {
	[PPTP_SCCRQ] = 156, [PPTP_SCCRP] = 156, [PPTP_STOPCCRQ] = 16, [PPTP_STOPCCRP] = 16,
	[PPTP_ECHORQ] = 16, [PPTP_ECHORP] = 20, [PPTP_OCRQ] = 168, [PPTP_OCRP] = 32,
	[PPTP_ICRQ] = 220, [PPTP_ICRP] = 24, [PPTP_ICCN] = 28, [PPTP_CCRQ] = 16,
	[PPTP_CDN] = 148, [PPTP_WEN] = 40, [PPTP_SLI] = 24,
};

unsigned pptp_msg_size(unsigned type)
{
	return type <= PPTP_TYPE_MAX ? msg_size[type] : 0;
}

static void msg_reset(struct pptp_parser *st, uint64_t start)
{
	st->msg_start = start;
	st->cur = (struct pptp_msg){ 0 };
}

static void msg_done(struct pptp_parser *st, uint64_t end, struct pptp_msg *m)
{
	*m = st->cur;
	m->off = st->msg_start;
	m->len = end - st->msg_start;
	msg_reset(st, end);
}

/* The grammar refused byte c at stream offset at: name the field it belongs to.  Only the
 * header can fail (bodies are any bytes), and its fields are checked in stream order. */
static void msg_bad(struct pptp_parser *st, uint64_t at, unsigned c, struct pptp_msg *m)
{
	uint64_t i = at - st->msg_start;

	*m = st->cur;
	m->off = st->msg_start;
	m->len = 0;
	m->fields = 0;
	m->bad_off = at;
	if (i < 2)
		m->reason = PPTP_BAD_LENGTH;
	else if (i < 4)
		m->reason = PPTP_BAD_MSG_TYPE;
	else if (i < 8)
		m->reason = PPTP_BAD_COOKIE;
	else if (i == 9 && c >= 1 && c <= PPTP_TYPE_MAX)
		m->reason = PPTP_BAD_SIZE; /* a known type, but Length is another's */
	else
		m->reason = PPTP_BAD_CTRL_TYPE;
	if (i == 9)
		m->type = (uint8_t)c;
	st->dead = 1;
}

void pptp_parser_init(struct pptp_parser *st, uint64_t pos)
{
	*st = (struct pptp_parser){ 0 };
	st->cs = pptp_en_main;
	st->pos = pos;
	msg_reset(st, pos);
}

#define POS(x) (base + (uint64_t)((x) - data))

enum pptp_result pptp_parser_execute(struct pptp_parser *st, const uint8_t *data, size_t len,
				     size_t *used, struct pptp_msg *m)
{
	const uint8_t *p = data, *pe = data + len, *eof = NULL;
	uint64_t base = st->pos, n;
	enum pptp_result rc = PPTP_MORE;

	if (st->dead || !len) {
		/* dead: nothing after a framing error means anything (see the top) */
		*used = len;
		st->pos += len;
		return PPTP_MORE;
	}
	%% write exec;
	*used = (size_t)(p - data);
	st->pos = base + *used;
	n = st->pos - st->msg_start;
	st->in_msg = !st->dead && n;
	/* Only types 7..15 have call-ID fields; before the type byte any message may. */
	st->candidate = st->in_msg && (n < 10 || st->cur.type >= PPTP_OCRQ);
	st->rewrite_from = st->candidate ? st->msg_start + PPTP_CALL_ID_AT : 0;
	return rc;
}

const char *pptp_bad_str(enum pptp_bad reason)
{
	switch (reason) {
	case PPTP_BAD_NONE: return "no error";
	case PPTP_BAD_LENGTH: return "length of no control message";
	case PPTP_BAD_MSG_TYPE: return "message type not control";
	case PPTP_BAD_COOKIE: return "bad magic cookie";
	case PPTP_BAD_CTRL_TYPE: return "unknown control message type";
	case PPTP_BAD_SIZE: return "length not the size of its type";
	}
	return "?";
}

const char *pptp_type_str(unsigned type)
{
	static const char *const name[PPTP_TYPE_MAX + 1] = {
		"unknown", "Start-Control-Connection-Request", "Start-Control-Connection-Reply",
		"Stop-Control-Connection-Request", "Stop-Control-Connection-Reply", "Echo-Request",
		"Echo-Reply", "Outgoing-Call-Request", "Outgoing-Call-Reply",
		"Incoming-Call-Request", "Incoming-Call-Reply", "Incoming-Call-Connected",
		"Call-Clear-Request", "Call-Disconnect-Notify", "WAN-Error-Notify", "Set-Link-Info",
	};

	return name[type <= PPTP_TYPE_MAX ? type : 0];
}
