/* SPDX-License-Identifier: GPL-2.0-or-later */
/* irc: IRC client-to-server grammar — DCC offers in PRIVMSG CTCP text; pure and resumable.
 * Mirrors net/netfilter/nf_conntrack_irc.c (help, parse_dcc, dccprotos, with the 2022
 * "tighten matching on DCC message" checks); RFC 1459 / RFC 2812 2.3 (message syntax,
 * 512-byte lines), the CTCP and DCC conventions (\1-quoted text, decimal IPv4 number),
 * RFC 4291 2.2 (IPv6 text forms, which DCC clients announce in place of the number).
 *
 * Accepted:  PRIVMSG <target> :\1DCC <type> <arg> <address> <port>[ <more>]\1 CRLF
 *   type      SEND CHAT MOVE TSEND SCHAT (the kernel's set, case-sensitive as there)
 *   arg       a file name or "chat": one token without spaces, or "quoted with spaces"
 *   address   decimal 0..4294967295 (family 4) or RFC 4291 text (family 6)
 *   port      0..65535, 1-5 digits: port 0 (passive/reverse DCC) is reported, the protocol
 *             file refuses it as the kernel does
 *
 * Choices and deliberate differences from the kernel helper, each stricter unless noted:
 * - No ":prefix " before PRIVMSG.  The kernel wants PRIVMSG at the start of the payload,
 *   and clients send no prefix to their server (RFC 2812 2.3: they SHOULD NOT; irssi,
 *   HexChat, WeeChat, mIRC do not).  A prefixed PRIVMSG is what server-to-client relays
 *   look like, so refusing it also keeps a mis-fed reply direction from matching.  IRCv3
 *   "@tags " are refused for the same reason.  Leading spaces are refused too (the kernel
 *   skips spaces and CR/LF at the start of a segment).
 * - Every line is parsed, not only the first of a segment: the kernel looks at the start
 *   of the payload only, so a DCC pipelined behind another message escapes it (and NAT).
 * - PRIVMSG is case-insensitive (IRC commands are; the kernel uses strncasecmp).  Exactly
 *   one middle parameter (the target) and then ':'; the kernel takes the first " :" after
 *   PRIVMSG wherever it is.  Spaces between IRC parameters may repeat (RFC 2812 SPACE).
 * - Inside the CTCP text single spaces only, the shape every client sends; the kernel
 *   skips several spaces between address and port.  NAT's range is then exactly
 *   "<address> <port>".
 * - Quoted file names ("DCC SEND \"a b.txt\" ...", mIRC and HexChat send them) are
 *   handled; the kernel ends the name at the first space and then reads "b.txt\"" as
 *   the address (0: refused as forged).  An unquoted name never starts with '"', so each
 *   line has one parse.
 * - The address must fit 32 bits and has at most 10 digits, the port 1-5 digits and at
 *   most 65535; the kernel's simple_strtoul takes any digit run and truncates
 *   (4294967297 becomes 1, port 65537 becomes 1).  A dotted IPv4 address is refused (no
 *   client sends one, and the kernel would read 1.2.3.4 as 1).
 * - IPv6: a textual address is accepted (family 6); the kernel is IPv4-only.  Whether the
 *   family fits the connection is policy (irc.c), as is the check against the client's
 *   own address.
 * - The CTCP text must be closed by \1 and the line end right after it (trailing spaces,
 *   CRLF or LF); the kernel ignores what follows the port.  A second CTCP in the same
 *   message is therefore not a match (the kernel would take the first).  No NUL, bare CR
 *   or \1 inside the text.
 * - A candidate line longer than IRC_LINE_MAX never matches; the kernel is bounded by the
 *   segment (and 4095 bytes), which makes its outcome depend on segmentation.
 */
#include <stdbool.h>
#include "irc_parser.h"

#define NO_GAP 0xff

%%{
	machine irc;
	access st->;
	alphtype unsigned char;

	# -- bounded accumulators --------------------------------------------------------
	action a4dig { st->a4 = st->a4 * 10 + (fc - '0'); }
	action fam4  { st->cur.family = 4; }
	action pdig  { st->port = st->port * 10 + (fc - '0'); }
	action mark  { st->cur.off = POS(fpc); st->marked = 1; }
	action mend  { st->cur.len = POS(fpc) - st->cur.off; }

	action t_send  { st->cur.type = IRC_SEND; }
	action t_chat  { st->cur.type = IRC_CHAT; }
	action t_move  { st->cur.type = IRC_MOVE; }
	action t_tsend { st->cur.type = IRC_TSEND; }
	action t_schat { st->cur.type = IRC_SCHAT; }

	# IPv6, as in grammars/ftp.rl: a per-byte lexer intersected with the RFC 4291 syntax,
	# which bounds every group to 4 hex digits and every dotted part to 0..255.
	action hx    { st->num = st->num * 16 + hexval(fc); st->dec = st->dec * 10 + (fc - '0');
	               st->ndig++; }
	action col   { v6_colon(st); }
	action dot   { if (st->nv4 < 4) st->v4[st->nv4++] = (uint8_t)st->dec; v6_tok_reset(st); }
	action v6end { v6_finish(st); st->cur.family = 6; }

	action done { if (line_done(st, POS(fpc) + 1, m)) { found = 1; fbreak; } }

	# Malformed or uninteresting: drop the rest of the line.  An LF here ends the line.
	action recover  { if (fc == '\n') fgoto *line_next(st, POS(fpc) + 1); fgoto skip; }
	action eol_skip { fgoto *line_next(st, POS(fpc) + 1); }

	sp     = ' ';
	eol    = sp* '\r'? '\n';
	ctcp   = 0x01;                 # CTCP quotes its text in \1 bytes
	text   = any - ( 0x00 | '\r' | '\n' | ctcp );   # a byte of CTCP text

	# 0..4294967295 in at most 10 digits, bounded by the syntax itself.
	dec32  = ( digit{1,9} | [0-3] digit{9} | '4' [01] digit{8} | '42' [0-8] digit{7}
	         | '429' [0-3] digit{6} | '4294' [0-8] digit{5} | '42949' [0-5] digit{4}
	         | '429496' [0-6] digit{3} | '4294967' [01] digit{2} | '42949672' [0-8] digit
	         | '429496729' [0-5] ) $a4dig %fam4;
	port16 = ( digit{1,4} | [0-5] digit{4} | '6' [0-4] digit{3} | '65' [0-4] digit{2}
	         | '655' [0-2] digit | '6553' [0-5] ) $pdig;

	h16    = xdigit{1,4};
	dec8   = digit | [1-9] digit | '1' digit{2} | '2' [0-4] digit | '25' [0-5];
	ls32   = h16 ':' h16 | dec8 '.' dec8 '.' dec8 '.' dec8;
	v6syn  =                                   ( h16 ':' ){6} ls32
	       |                              '::' ( h16 ':' ){5} ls32
	       | (                    h16 )?  '::' ( h16 ':' ){4} ls32
	       | ( ( h16 ':' ){0,1} h16 )?    '::' ( h16 ':' ){3} ls32
	       | ( ( h16 ':' ){0,2} h16 )?    '::' ( h16 ':' ){2} ls32
	       | ( ( h16 ':' ){0,3} h16 )?    '::'   h16 ':'      ls32
	       | ( ( h16 ':' ){0,4} h16 )?    '::'                ls32
	       | ( ( h16 ':' ){0,5} h16 )?    '::'                h16
	       | ( ( h16 ':' ){0,6} h16 )?    '::';
	v6lex  = ( xdigit @hx | ':' @col | '.' @dot )*;
	v6     = ( v6syn & v6lex ) %v6end;

	# A digit run alone is never IPv6 text, so the two alternatives cannot both end.
	address = dec32 | v6;

	dcc_type = 'SEND' @t_send | 'CHAT' @t_chat | 'MOVE' @t_move | 'TSEND' @t_tsend
	         | 'SCHAT' @t_schat;
	dcc_arg  = '"' ( text - '"' )* '"' | ( text - [ "] ) ( text - sp )*;
	target   = ( any - ( 0x00 | [ :\r\n] ) ) ( any - ( 0x00 | [ \r\n] ) )*;

	dcc_line = 'privmsg'i sp+ target sp+ ':' ctcp 'DCC ' dcc_type sp dcc_arg sp
	           ( address sp port16 ) >mark %mend ( sp text* )? ctcp eol @done;

	skip   := [^\n]* '\n' @eol_skip;
	client := dcc_line* $!recover;
}%%

%% write data noerror nofinal;

static unsigned hexval(unsigned c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void v6_tok_reset(struct irc_parser *st)
{
	st->num = st->dec = 0;
	st->ndig = 0;
}

/* A ':' ends a group; a second one in a row is the "::" gap (the syntax allows one). */
static void v6_colon(struct irc_parser *st)
{
	if (st->ndig) {
		if (st->ngroups < 8)
			st->groups[st->ngroups++] = (uint16_t)st->num;
	} else if (st->colon) {
		st->gap = st->ngroups;
	}
	st->colon = 1;
	v6_tok_reset(st);
}

/* Close the last group (hex or dotted), then widen the "::" gap with zero groups. */
static void v6_finish(struct irc_parser *st)
{
	uint16_t g[8] = { 0 };
	unsigned n, i;

	if (st->nv4 == 3) {
		st->v4[3] = (uint8_t)st->dec;
		if (st->ngroups < 7) {
			st->groups[st->ngroups++] = (uint16_t)(st->v4[0] << 8 | st->v4[1]);
			st->groups[st->ngroups++] = (uint16_t)(st->v4[2] << 8 | st->v4[3]);
		}
	} else if (st->ndig && st->ngroups < 8) {
		st->groups[st->ngroups++] = (uint16_t)st->num;
	}
	n = st->ngroups;
	for (i = 0; i < n; i++)
		g[i < st->gap ? i : i + 8 - n] = st->groups[i];
	for (i = 0; i < 8; i++) {
		st->cur.addr[2 * i] = (uint8_t)(g[i] >> 8);
		st->cur.addr[2 * i + 1] = (uint8_t)g[i];
	}
	st->ngroups = 0;
	v6_tok_reset(st);
}

static void line_reset(struct irc_parser *st, uint64_t next)
{
	st->line_start = next;
	st->a4 = st->port = st->num = st->dec = 0;
	st->ngroups = st->ndig = st->nv4 = st->colon = st->marked = 0;
	st->gap = NO_GAP;
	st->cur = (struct irc_match){ 0 };
}

/* After a line that did not match: start the next one. */
static int line_next(struct irc_parser *st, uint64_t next)
{
	line_reset(st, next);
	return irc_en_client;
}

/* A DCC line reached its LF: fill *m unless the line was too long. */
static bool line_done(struct irc_parser *st, uint64_t end, struct irc_match *m)
{
	bool ok = end - st->line_start <= IRC_LINE_MAX;

	if (ok) {
		*m = st->cur;
		m->line_start = st->line_start;
		m->line_end = end;
		m->port = (uint16_t)st->port;
		if (m->family == 4) {
			m->addr4 = st->a4;
			for (int i = 0; i < 4; i++)
				m->addr[i] = (uint8_t)(st->a4 >> (24 - 8 * i));
		}
	}
	line_reset(st, end);
	return ok;
}

void irc_parser_init(struct irc_parser *st, uint64_t pos)
{
	*st = (struct irc_parser){ 0 };
	st->cs = irc_en_client;
	st->pos = pos;
	line_reset(st, pos);
}

#define POS(x) (base + (uint64_t)((x) - data))

enum irc_result irc_parser_execute(struct irc_parser *st, const uint8_t *data, size_t len,
				   size_t *used, struct irc_match *m)
{
	const uint8_t *p = data, *pe = data + len, *eof = NULL;
	uint64_t base = st->pos, n;
	bool found = 0;

	if (!len) {
		*used = 0;
		return IRC_MORE;
	}
	%% write exec;
	*used = (size_t)(p - data);
	st->pos = base + *used;
	n = st->pos - st->line_start;
	st->candidate = st->cs != irc_en_skip && n && n < IRC_LINE_MAX;
	return found ? IRC_MATCH : IRC_MORE;
}
