/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addr: address and port rules shared by the grammars; included, never compiled alone.
 * RFC 4291 2.2 (IPv6 text: full, compressed, IPv4 tail), RFC 3986 3.2.2 (dec-octet), the
 * dotted quad and decimal port as FTP (RFC 959, RFC 2428), IRC DCC and SIP/SDP write them.
 *
 * Use:  %%{ machine proto; access st->; include addr "include/addr.rl"; ... }%%
 * with a struct addr_parse embedded as st->ap (src/addr_parse.h, which also holds the C the
 * actions call) and reset by addr_parse_reset before a value starts.  Where the values go:
 *   octet   each 0..255 pushed to ap.groups (an ipv4 fills groups[0..3])
 *   port16  ap.port
 *   ipv6    the includer closes it with a leaving action that calls
 *           addr_v6_finish(&st->ap, dst), which writes 16 bytes in network order
 * The including grammar keeps its own forms (FTP's h1,h2,h3,h4,p1,p2 from octets, IRC's
 * 32-bit decimal number) and its checks against the connection.
 */
%%{
	machine addr;

	action addr_dig  { st->ap.num = st->ap.num * 10 + (fc - '0'); }
	action addr_push { addr_push(&st->ap); }
	action addr_pdig { st->ap.port = (uint16_t)(st->ap.port * 10 + (fc - '0')); }

	# 0..255 in 1-3 digits, leading zeros allowed ("010" is 10, as FTP's numbers are read).
	octet  = ( digit{1,2} | [01] digit{2} | '2' [0-4] digit | '25' [0-5] )
	         $addr_dig %addr_push;
	ipv4   = octet '.' octet '.' octet '.' octet;

	# 0..65535 in 1-5 digits.
	port16 = ( digit{1,4} | [0-5] digit{4} | '6' [0-4] digit{3} | '65' [0-4] digit{2}
	         | '655' [0-2] digit | '6553' [0-5] ) $addr_pdig;

	# IPv6: a per-byte lexer intersected with the RFC 4291 syntax below; the syntax bounds
	# every group to 4 hex digits and every dotted part to 0..255 (RFC 3986 dec-octet,
	# without leading zeros, as inet_pton wants it).
	# A byte that may belong to a hex group or a dotted part is read as both.  (Written
	# out here: as a function at a hundred-odd call sites, gcc -O2 stops inlining it.)
	action addr_hx  { st->ap.num = st->ap.num * 16 + addr_hexval(fc);
	                  st->ap.dec = st->ap.dec * 10 + (fc - '0'); st->ap.ndig++; }
	action addr_col { addr_v6_colon(&st->ap); }
	action addr_dot { addr_v6_dot(&st->ap); }

	h16       = xdigit{1,4};
	dec_octet = digit | [1-9] digit | '1' digit{2} | '2' [0-4] digit | '25' [0-5];
	ls32      = h16 ':' h16 | dec_octet '.' dec_octet '.' dec_octet '.' dec_octet;
	v6syn     =                                   ( h16 ':' ){6} ls32
	          |                              '::' ( h16 ':' ){5} ls32
	          | (                    h16 )?  '::' ( h16 ':' ){4} ls32
	          | ( ( h16 ':' ){0,1} h16 )?    '::' ( h16 ':' ){3} ls32
	          | ( ( h16 ':' ){0,2} h16 )?    '::' ( h16 ':' ){2} ls32
	          | ( ( h16 ':' ){0,3} h16 )?    '::'   h16 ':'      ls32
	          | ( ( h16 ':' ){0,4} h16 )?    '::'                ls32
	          | ( ( h16 ':' ){0,5} h16 )?    '::'                h16
	          | ( ( h16 ':' ){0,6} h16 )?    '::';
	v6lex     = ( xdigit @addr_hx | ':' @addr_col | '.' @addr_dot )*;
	ipv6      = v6syn & v6lex;
}%%
