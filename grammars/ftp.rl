/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ftp: FTP control-channel grammar — PORT/EPRT commands, 227/229 replies; pure and resumable.
 * Mirrors net/netfilter/nf_conntrack_ftp.c (find_pattern, try_rfc959, try_eprt,
 * try_epsv_response); RFC 959 (PORT, 227, multi-line replies), RFC 1123 4.1.2.6 (227 text),
 * RFC 2428 (EPRT, 229), RFC 4291 2.2 (IPv6 text forms).
 *
 * Deliberate differences from the kernel helper, each stricter unless noted:
 * - Every line is parsed, not only the first one of each segment: the kernel looks at the
 *   start of the payload only, so a command pipelined behind another escapes it (and NAT).
 * - PORT must be followed directly by spaces; the kernel skips anything up to the first
 *   space ("PORTX 1,2,3,4,5,6" matches there).  More than one space is accepted here
 *   (lenient: the kernel wants exactly one).
 * - Numbers are 1-3 digits and 0..255, ports 1-5 digits and 0..65535.  Kernels from 2026
 *   refuse numbers over 255 and ports over 65535 too; older ones accumulate unbounded
 *   digits in a u32 (4294967297 wraps to 1) and OR values over 255 into the neighbouring
 *   byte.  Empty numbers ("1,,3") and more than three digits are refused here.
 * - PORT and EPRT lines must end right after the numbers (optional spaces, CRLF or LF).
 *   The kernel ignores what follows EPRT and wants '\r' right after PORT (so it misses
 *   "PORT ...\n" and "PORT ... \r\n": lenient here).
 * - EPRT takes exactly one space, one delimiter throughout, and no delimiter that can occur
 *   in the address (':', '.', hex letters for family 2); the kernel checks only the first
 *   two and lets in6_pton stop at the first delimiter byte.
 * - The dotted tail of an IPv6 address takes no leading zeros (RFC 3986 dec-octet, as
 *   inet_pton); in6_pton takes "::ffff:1.2.3.04".
 * - The family is reported, not checked against the connection: that is policy (ftp.c).
 * - Port 0 is accepted in EPRT/229 (the kernel refuses it in get_port): whether an
 *   expectation for port 0 makes sense is policy too.
 * - 229 must close its parenthesis after the last delimiter; the kernel ignores ')'.
 * - 227/229 count only as final reply lines (RFC 959 4.2): the kernel has no notion of
 *   multi-line replies.  A line inside "ddd-" ... "ddd " is text the server chose to print
 *   (a banner, a file name in a STAT listing), not a reply, so it must not open a pinhole.
 * - A candidate line longer than FTP_LINE_MAX never matches; the kernel is bounded by the
 *   segment instead, which makes the outcome depend on how the stream was split.
 */
#include <stdbool.h>
#include "ftp_parser.h"

#define NO_GAP 0xff

%%{
	machine ftp;
	access st->;
	alphtype unsigned char;

	# -- bounded accumulators --------------------------------------------------------
	action dig   { st->num = st->num * 10 + (fc - '0'); }
	action push  { if (st->ngroups < 8) st->groups[st->ngroups++] = st->num; st->num = 0; }
	action mark  { st->cur.off = POS(fpc); st->marked = 1; }
	action mend  { st->cur.len = POS(fpc) - st->cur.off; }
	action delim { st->delim = fc; }
	action chk   { if (fc != st->delim) fgoto skip; }

	# IPv6: a per-byte lexer intersected with the RFC 4291 syntax below; the syntax
	# bounds every group to 4 hex digits and every dotted part to 0..255 (written as in
	# RFC 3986 dec-octet, without leading zeros, as inet_pton wants it).
	action hx    { st->num = st->num * 16 + hexval(fc); st->dec = st->dec * 10 + (fc - '0');
	               st->ndig++; }
	action col   { v6_colon(st); }
	action dot   { if (st->nv4 < 4) st->v4[st->nv4++] = (uint8_t)st->dec; v6_tok_reset(st); }
	action v6end { v6_finish(st); }

	action fam4  { st->cur.family = 4; }
	action fam6  { st->cur.family = 6; }
	action port_done { if (line_done(st, FTP_PORT, POS(fpc) + 1, m)) { found = 1; fbreak; } }
	action eprt_done { if (line_done(st, FTP_EPRT, POS(fpc) + 1, m)) { found = 1; fbreak; } }
	action pasv_done { if (line_done(st, FTP_PASV, POS(fpc) + 1, m)) { found = 1; fbreak; } }
	action epsv_done { if (line_done(st, FTP_EPSV, POS(fpc) + 1, m)) { found = 1; fbreak; } }

	# -- reply codes and RFC 959 4.2 multi-line tracking ------------------------------
	action cd     { code_digit(st, fc); }
	action nocand { st->nocand = 1; }
	action sp_gen { reply_sep(st, ' '); fgoto skip; }
	action sp_ml  { if (!reply_sep(st, ' ')) fgoto skip; }
	action dash   { reply_sep(st, '-'); fgoto skip; }

	# Malformed or uninteresting: drop the rest of the line.  An LF here ends the line.
	action recover  { if (fc == '\n') fgoto *line_next(st, POS(fpc) + 1); fgoto skip; }
	action eol_skip { fgoto *line_next(st, POS(fpc) + 1); }

	sp     = ' ';
	eol    = sp* '\r'? '\n';
	octet  = ( digit{1,2} | [01] digit{2} | '2' [0-4] digit | '25' [0-5] ) $dig %push;
	port16 = ( digit{1,4} | [0-5] digit{4} | '6' [0-4] digit{3} | '65' [0-4] digit{2}
	         | '655' [0-2] digit | '6553' [0-5] ) $dig %push;
	h6     = octet ',' octet ',' octet ',' octet ',' octet ',' octet;
	v4     = octet '.' octet '.' octet '.' octet;

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

	# RFC 2428: any of ASCII 33..126 but digits.  After an address it must also not be
	# a byte of that address, or the address would have no end.
	dch    = [!-/:-~];
	dch4   = dch - '.';
	dch6   = dch - [a-fA-F:.];

	port_cmd = 'port'i sp+ ( h6 >mark %mend ) eol @port_done;
	eprt_cmd = 'eprt'i sp
	           ( dch >mark @delim ( '1' @fam4 dch @chk v4 dch4 @chk
	                              | '2' @fam6 dch @chk v6 dch6 @chk )
	             port16 dch @chk ) %mend eol @eprt_done;

	# RFC 1123 4.1.2.6: the numbers start at the first digit after the code.  Like
	# try_number, the sixth number must end in something other than a digit or ','.
	pasv = [^0-9\n]* ( h6 >mark %mend ) ( [^0-9,\n] [^\n]* )? '\n' @pasv_done;
	epsv = [^(\n]* '(' dch @delim dch @chk dch @chk ( port16 >mark %mend ) dch @chk ')'
	       [^\n]* '\n' @epsv_done;

	gen_sep = ' ' @sp_gen | '-' @dash;
	reply = '2' @cd ( '2' @cd ( '7' @cd ( ' ' @sp_ml pasv | '-' @dash )
	                          | '9' @cd ( ' ' @sp_ml epsv | '-' @dash )
	                          | [0-68] @cd @nocand gen_sep )
	                | [013-9] @cd @nocand digit @cd gen_sep )
	      | [013-9] @cd @nocand digit @cd digit @cd gen_sep;

	skip   := [^\n]* '\n' @eol_skip;
	client := ( port_cmd | eprt_cmd )* $!recover;
	server := reply* $!recover;
}%%

%% write data noerror nofinal;

static unsigned hexval(unsigned c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void v6_tok_reset(struct ftp_parser *st)
{
	st->num = st->dec = 0;
	st->ndig = 0;
}

/* A ':' ends a group; a second one in a row is the "::" gap (the syntax allows one). */
static void v6_colon(struct ftp_parser *st)
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
static void v6_finish(struct ftp_parser *st)
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

static void line_reset(struct ftp_parser *st, uint64_t next)
{
	st->line_start = next;
	st->num = st->dec = 0;
	st->code = 0;
	st->ngroups = st->ndig = st->nv4 = 0;
	st->colon = st->nocand = st->marked = 0;
	st->gap = NO_GAP;
	st->delim = 0;
	st->cur = (struct ftp_match){ 0 };
}

/* Inside a multi-line reply only the closing code can start a reply line: a line whose
 * code already differs is no candidate, so NAT need not hold it back. */
static void code_digit(struct ftp_parser *st, unsigned c)
{
	static const uint16_t scale[4] = { 1000, 100, 10, 1 };

	st->code = (uint16_t)(st->code * 10 + (c - '0'));
	st->ndig++;
	if (st->in_multiline && st->ndig <= 3 && st->code != st->ml_code / scale[st->ndig])
		st->nocand = 1;
}

/* After a line that did not match: start the next one in the side's machine. */
static int line_next(struct ftp_parser *st, uint64_t next)
{
	line_reset(st, next);
	return st->side == FTP_SERVER ? ftp_en_server : ftp_en_client;
}

/* The server's separator after a reply code (RFC 959 4.2).  Returns whether this line is
 * a reply line at all: inside "ddd-" only "ddd " (same code) is, and it ends the reply. */
static bool reply_sep(struct ftp_parser *st, char sep)
{
	if (st->in_multiline) {
		if (sep != ' ' || st->code != st->ml_code)
			return false;
		st->in_multiline = 0;
		return true;
	}
	if (sep == '-') {
		st->in_multiline = 1;
		st->ml_code = st->code;
	}
	return true;
}

/* A candidate line reached its LF: fill *m unless the line was too long. */
static bool line_done(struct ftp_parser *st, enum ftp_type type, uint64_t end,
		      struct ftp_match *m)
{
	bool ok = end - st->line_start <= FTP_LINE_MAX;

	if (ok) {
		*m = st->cur;
		m->type = type;
		m->line_start = st->line_start;
		m->line_end = end;
		if (type == FTP_PORT || type == FTP_PASV) {
			m->family = 4;
			for (int i = 0; i < 4; i++)
				m->addr[i] = (uint8_t)st->groups[i];
			m->port = (uint16_t)(st->groups[4] << 8 | st->groups[5]);
		} else if (type == FTP_EPRT && m->family == 4) {
			for (int i = 0; i < 4; i++)
				m->addr[i] = (uint8_t)st->groups[i];
			m->port = st->groups[4];
		} else {
			/* EPRT |2|: the address went to cur.addr, the port is the only group */
			m->port = st->groups[0];
			m->family = type == FTP_EPSV ? 0 : 6;
		}
	}
	line_reset(st, end);
	return ok;
}

void ftp_parser_init(struct ftp_parser *st, enum ftp_side side, uint64_t pos)
{
	*st = (struct ftp_parser){ 0 };
	st->side = (uint8_t)side;
	st->cs = side == FTP_SERVER ? ftp_en_server : ftp_en_client;
	st->pos = pos;
	line_reset(st, pos);
}

#define POS(x) (base + (uint64_t)((x) - data))

enum ftp_result ftp_parser_execute(struct ftp_parser *st, const uint8_t *data, size_t len,
				   size_t *used, struct ftp_match *m)
{
	const uint8_t *p = data, *pe = data + len, *eof = NULL;
	uint64_t base = st->pos, n;
	bool found = 0;

	if (!len) {
		*used = 0;
		return FTP_MORE;
	}
	%% write exec;
	*used = (size_t)(p - data);
	st->pos = base + *used;
	n = st->pos - st->line_start;
	st->candidate = st->cs != ftp_en_skip && !st->nocand && n && n < FTP_LINE_MAX;
	return found ? FTP_MATCH : FTP_MORE;
}
