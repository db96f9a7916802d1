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

%%{
	machine ftp;
	access st->;
	alphtype unsigned char;

	# octet, ipv4, port16, ipv6: values in st->ap
	include addr "include/addr.rl";

	action mark  { st->cur.off = POS(fpc); st->marked = 1; }
	action mend  { st->cur.len = POS(fpc) - st->cur.off; }
	action delim { st->delim = fc; }
	action chk   { if (fc != st->delim) fgoto skip; }

	action v6end { addr_v6_finish(&st->ap, st->cur.addr); }

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
	h6     = octet ',' octet ',' octet ',' octet ',' octet ',' octet;  # groups[0..5]
	v6     = ipv6 %v6end;

	# RFC 2428: any of ASCII 33..126 but digits.  After an address it must also not be
	# a byte of that address, or the address would have no end.
	dch    = [!-/:-~];
	dch4   = dch - '.';
	dch6   = dch - [a-fA-F:.];

	port_cmd = 'port'i sp+ ( h6 >mark %mend ) eol @port_done;
	eprt_cmd = 'eprt'i sp
	           ( dch >mark @delim ( '1' @fam4 dch @chk ipv4 dch4 @chk
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

static void line_reset(struct ftp_parser *st, uint64_t next)
{
	st->line_start = next;
	addr_parse_reset(&st->ap);
	st->code = st->ncode = 0;
	st->nocand = st->marked = 0;
	st->delim = 0;
	st->cur = (struct ftp_match){ 0 };
}

/* Inside a multi-line reply only the closing code can start a reply line: a line whose
 * code already differs is no candidate, so NAT need not hold it back. */
static void code_digit(struct ftp_parser *st, unsigned c)
{
	static const uint16_t scale[4] = { 1000, 100, 10, 1 };

	st->code = (uint16_t)(st->code * 10 + (c - '0'));
	st->ncode++;
	if (st->in_multiline && st->ncode <= 3 && st->code != st->ml_code / scale[st->ncode])
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
				m->addr[i] = (uint8_t)st->ap.groups[i];
			m->port = (uint16_t)(st->ap.groups[4] << 8 | st->ap.groups[5]);
		} else if (type == FTP_EPRT && m->family == 4) {
			for (int i = 0; i < 4; i++)
				m->addr[i] = (uint8_t)st->ap.groups[i];
			m->port = st->ap.port;
		} else {
			/* EPRT |2|: the address went to cur.addr */
			m->port = st->ap.port;
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
