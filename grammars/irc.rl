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

%%{
	machine irc;
	access st->;
	alphtype unsigned char;

	# port16, ipv6: values in st->ap
	include addr "include/addr.rl";

	action a4dig { st->a4 = st->a4 * 10 + (fc - '0'); }
	action fam4  { st->cur.family = 4; }
	action mark  { st->cur.off = POS(fpc); st->marked = 1; }
	action mend  { st->cur.len = POS(fpc) - st->cur.off; }

	action t_send  { st->cur.type = IRC_SEND; }
	action t_chat  { st->cur.type = IRC_CHAT; }
	action t_move  { st->cur.type = IRC_MOVE; }
	action t_tsend { st->cur.type = IRC_TSEND; }
	action t_schat { st->cur.type = IRC_SCHAT; }

	action v6end { addr_v6_finish(&st->ap, st->cur.addr); st->cur.family = 6; }

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
	v6     = ipv6 %v6end;

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

static void line_reset(struct irc_parser *st, uint64_t next)
{
	st->line_start = next;
	st->a4 = 0;
	st->marked = 0;
	addr_parse_reset(&st->ap);
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
		m->port = st->ap.port;
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
