/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sip: one SIP message's start line and headers (RFC 3261 7, 20, 25), pure and resumable;
 * the body is counted in C below and, when it is SDP, read by grammars/sdp.rl (a machine of
 * its own: the body ends by a byte count, not by syntax, so C hands it exactly those bytes).
 * Mirrors what net/netfilter/nf_conntrack_sip.c reads (ct_sip_parse_request,
 * ct_sip_get_header with its compact forms, ct_sip_parse_header_uri, ..._address_param,
 * ..._numerical_param, sip_help_tcp's Content-Length framing).
 *
 * Differences from the kernel helper, each stricter unless noted:
 * - A message must be well-formed as a whole: a start line, header lines of the form
 *   name ":" value, a blank line.  The kernel searches the headers it wants and ignores the
 *   rest, so junk lines, a missing blank line (UDP) or junk before the request pass there.
 * - The known headers' values are parsed to RFC 3261 25 (Via, Contact, From, To, CSeq,
 *   Call-ID, Content-Length, Content-Type, Expires): a malformed one is SIP_BAD.  The kernel
 *   skips to "sip:" and reads what follows.  Display names are lenient: tokens, quoted
 *   strings and backslash pairs outside quotes (seen in the wild: \"arik\" <sip:...>).
 * - Every Via value (of every Via header) is parsed; only the top one is reported.
 * - Duplicate Content-Length, CSeq, Call-ID, From, To, Content-Type, Expires: SIP_BAD.
 * - Methods are case-sensitive (RFC 3261 7.1); the kernel compares without case.
 * - Numbers: no sign, Content-Length and Expires below 2^32, CSeq below 2^31, status
 *   100-699, ports 0-65535; the kernel's simple_strtoul accepts anything and wraps.
 * - Unbracketed addr-spec Contact/From/To: ";..." are header parameters (RFC 3261 20.10),
 *   so ";transport=" and ";maddr=" count only inside <...>.
 * - A message (headers and body) longer than SIP_MSG_MAX is refused.
 * - UDP with Content-Length larger than the datagram's rest: SIP_BAD (RFC 3261 18.3); the
 *   kernel trusts the datagram's end.
 * - SDP is read only under Content-Type application/sdp; the kernel looks for "v=" in any
 *   body.
 * - A UDP datagram must hold the blank line after the headers (RFC 3261 7); the kernel
 *   reads the headers of a datagram cut short.
 * - Contact "*" must stand alone (RFC 3261 10.2.2).
 * Lenient: bare LF line ends are taken everywhere (the kernel's line search takes them in
 * headers and SDP; its TCP framing wants CRLFCRLF); on TCP Content-Length may stand
 * anywhere among the headers (the kernel wants CRLFCRLF right after its digits); CRLFs
 * before a message are skipped on UDP too (RFC 5626 keep-alives).
 */
#include <stdbool.h>
#include <string.h>
#include "sip_parser.h"
#include "sip_parser_int.h"

%%{
	machine sip;
	access st->;
	alphtype unsigned char;

	include addr "include/addr.rl";

	ws   = [ \t];
	eol  = '\r'? '\n';
	fold = eol ws;                  # RFC 3261 7.3.1: a line starting with SP/HT continues
	lws  = ( ws | fold )*;
	lws1 = ( ws | fold )+;
	tchar = alnum | [\-.!%*_+`'~];
	token = tchar+;
	quoted = '"' ( [^"\\\r\n] | '\\' [^\r\n] )* '"';

	action num_begin { st->num = 0; }
	action num_dig   { sip_num_dig(st, fc); }
	number = digit+ >num_begin $num_dig;

	action mark { st->mark = POS(fpc); }
	# Text the parser does not read: skip to the line's end in one memchr (every byte but CR
	# and LF keeps the machine where it is).
	action skip { fexec sip_line_rest(p + 1, pe); }

	# -- methods (RFC 3261 27.4 names, case-sensitive) ------------------------------------
	action m_invite { st->tmp = SIP_M_INVITE; }
	action m_ack { st->tmp = SIP_M_ACK; }
	action m_bye { st->tmp = SIP_M_BYE; }
	action m_cancel { st->tmp = SIP_M_CANCEL; }
	action m_register { st->tmp = SIP_M_REGISTER; }
	action m_update { st->tmp = SIP_M_UPDATE; }
	action m_prack { st->tmp = SIP_M_PRACK; }
	action m_message { st->tmp = SIP_M_MESSAGE; }
	action m_notify { st->tmp = SIP_M_NOTIFY; }
	action m_subscribe { st->tmp = SIP_M_SUBSCRIBE; }
	action m_refer { st->tmp = SIP_M_REFER; }
	action m_options { st->tmp = SIP_M_OPTIONS; }
	action m_info { st->tmp = SIP_M_INFO; }
	action m_publish { st->tmp = SIP_M_PUBLISH; }
	action m_other { st->tmp = SIP_M_OTHER; }
	known_m = 'INVITE' | 'ACK' | 'BYE' | 'CANCEL' | 'REGISTER' | 'UPDATE' | 'PRACK' |
	          'MESSAGE' | 'NOTIFY' | 'SUBSCRIBE' | 'REFER' | 'OPTIONS' | 'INFO' | 'PUBLISH';
	method = 'INVITE' %m_invite | 'ACK' %m_ack | 'BYE' %m_bye | 'CANCEL' %m_cancel
	       | 'REGISTER' %m_register | 'UPDATE' %m_update | 'PRACK' %m_prack
	       | 'MESSAGE' %m_message | 'NOTIFY' %m_notify | 'SUBSCRIBE' %m_subscribe
	       | 'REFER' %m_refer | 'OPTIONS' %m_options | 'INFO' %m_info
	       | 'PUBLISH' %m_publish | ( token - known_m ) %m_other;

	# -- hosts and ports ---------------------------------------------------------------------
	# A host name and a dotted quad share one machine and the quad is recognised in C
	# (host_step): as two alternatives they multiply with every other alternative a URI can
	# be read as until '@' or '<' decides, and the machine grows past what compilers take.
	# A bracketed IPv6 address is read by a called machine: nothing else can follow '['.
	action h_begin { sip_host_begin(st, POS(fpc)); }
	action h_step  { host_step(st, fc); }
	action h_name  { host_name_end(st); }
	action h_v6    { addr_v6_finish(&st->ap, st->hp.addr); st->hp.family = 6; }
	action call_v6 { fcall v6_br; }
	action call_ra { fhold; fcall v6_or_name; }
	action p_begin { st->num = 0; st->hp.port_text.off = POS(fpc); }
	action p_end   { if (!port_end(st, POS(fpc))) fbreak; }
	action hp_end  { st->hp.text.len = (uint32_t)(POS(fpc) - st->hp.text.off); }

	hostname = ( alnum | [\-_.] )+ $h_step %h_name;
	host = '[' @call_v6 | hostname;
	port = digit+ >p_begin $num_dig %p_end;
	hostport = ( host ( ':' port )? ) >h_begin %hp_end;
	# Via received=: RFC 3261 writes IPv6 without brackets; some write them.
	raddr = ( [^;, \t\r\n] >call_ra ) %hp_end;

	# -- URIs (RFC 3261 19.1.1, 25.1) --------------------------------------------------------
	action u_begin { uri_begin(st); }
	action u_end   { uri_end(st); }
	action tr_udp  { st->tmp = SIP_T_UDP; }
	action tr_tcp  { st->tmp = SIP_T_TCP; }
	action tr_tls  { st->tmp = SIP_T_TLS; }
	action tr_sctp { st->tmp = SIP_T_SCTP; }
	action tr_other { st->tmp = SIP_T_OTHER; }
	action u_tr    { st->u_transport = st->tmp; }
	# ;maddr= reads a host of its own: the URI's is kept aside meanwhile
	action u_save  { st->hsave = st->hp; }
	action u_maddr { sip_addr_from_hp(st, &st->u_maddr); st->hp = st->hsave; }

	known_t = 'udp'i | 'tcp'i | 'tls'i | 'sctp'i;
	transport = 'udp'i %tr_udp | 'tcp'i %tr_tcp | 'tls'i %tr_tls | 'sctp'i %tr_sctp
	          | ( token - known_t ) %tr_other;

	uchar  = alnum | [\-_.!~*'()%&=+$;/];    # user and password, ',' and '?' left out
	pchar  = alnum | [\-_.!~*'()%\[\]/:&+$`];
	userinfo = uchar+ ( ':' ( uchar | ':' )* )? '@';
	uparam = 'transport'i '=' transport %u_tr
	       | 'maddr'i '=' >u_save hostport %u_maddr
	       | ( pchar+ - ( 'transport'i | 'maddr'i ) ) ( '=' pchar+ )?;
	uheaders = '?' ( pchar | [=&?] )*;
	scheme = alpha ( alnum | [+\-.] )*;
	sip_scheme = 'sip'i | 'sips'i;
	# the whole URI (Request-URI, inside <...>) and the bare one of an addr-spec
	sip_uri  = sip_scheme ':' userinfo? hostport ( ';' uparam )* uheaders?;
	sip_bare = sip_scheme ':' userinfo? hostport;
	any_uri  = ( sip_uri | ( scheme - sip_scheme ) ':' [^ \t\r\n<>"]* ) >u_begin %u_end;
	# A whole URI (Request-URI, inside <...>) is read by a called machine: written in
	# place it would be copied into each header that holds one.
	action call_uri { fhold; fcall uri_m; }
	call_uri = [^ \t\r\n<>] >call_uri;
	bare_uri = ( sip_bare | ( scheme - sip_scheme ) ':' [^ \t\r\n<>",;]+ ) >u_begin %u_end;

	# -- name-addr / addr-spec (RFC 3261 20.10) ------------------------------------------
	dnchar = [^<>"\\,;\[ \t\r\n];   # '[' left out: it can only start an IPv6 host
	dnword = ( dnchar | '\\' [^\r\n] )+ | quoted;
	dname  = ( dnword ( lws dnword )* ) - ( '*' any* );
	name_addr = ( dname lws )? '<' call_uri '>';
	naddr  = name_addr | bare_uri;
	gparam = token ( lws '=' lws ( pchar+ | quoted ) )?;

	# -- start line ---------------------------------------------------------------------------
	action st_req  { st->msg.method = st->tmp; st->dst = SIP_DST_RURI; }
	action st_code { if (!status_end(st)) fbreak; }
	sip_ver = 'SIP/2.0';
	request = method %st_req ' ' call_uri ' ' sip_ver eol;
	response = sip_ver ' ' ( digit{3} >num_begin $num_dig %st_code ) ' ' ( [^\r\n] @skip )* eol;

	# -- headers -------------------------------------------------------------------------------
	action once_clen    { if (!sip_seen_once(st, SIP_SEEN_CLEN)) fbreak; }
	action once_cseq    { if (!sip_seen_once(st, SIP_SEEN_CSEQ)) fbreak; }
	action once_callid  { if (!sip_seen_once(st, SIP_SEEN_CALLID)) fbreak; }
	action once_from    { if (!sip_seen_once(st, SIP_SEEN_FROM)) fbreak; st->dst = SIP_DST_FROM; }
	action once_to      { if (!sip_seen_once(st, SIP_SEEN_TO)) fbreak; st->dst = SIP_DST_TO; }
	action once_ctype   { if (!sip_seen_once(st, SIP_SEEN_CTYPE)) fbreak; }
	action once_expires { if (!sip_seen_once(st, SIP_SEEN_EXPIRES)) fbreak; }
	action via_first    { st->dst = (st->seen & SIP_SEEN_VIA) ? SIP_DST_NONE : SIP_DST_VIA;
	                      st->seen |= SIP_SEEN_VIA; }
	action via_next     { st->dst = SIP_DST_NONE; }
	action via_tr       { if (st->dst == SIP_DST_VIA) st->msg.via_transport = st->tmp; }
	action via_sent     { if (st->dst == SIP_DST_VIA) st->msg.via = st->hp; }
	action via_maddr    { if (st->dst == SIP_DST_VIA) sip_addr_from_hp(st, &st->msg.via_maddr); }
	action via_recv     { if (st->dst == SIP_DST_VIA) sip_addr_from_hp(st, &st->msg.via_received); }
	action via_rport    { if (st->dst == SIP_DST_VIA) st->msg.via_has_rport = true; }
	action via_rportv   { if (!via_rport(st, POS(fpc))) fbreak; }
	action c_begin      { if (!contact_begin(st)) fbreak; }
	action c_star       { st->msg.contact_star = true; }
	action c_exp        { if (!contact_expires(st)) fbreak; }
	action clen_end     { if (!clen_end(st, POS(fpc))) fbreak; }
	action cseq_num     { if (!num_fits(st, 0x7fffffff)) fbreak; st->msg.cseq = (uint32_t)st->num; }
	action cseq_m       { st->msg.cseq_method = st->tmp; }
	action callid_end   { sip_span_set(&st->msg.call_id, st->mark, POS(fpc)); }
	action exp_end      { if (!num_fits(st, 0xffffffff)) fbreak;
	                      st->msg.has_expires = true; st->msg.expires = (uint32_t)st->num; }
	action ct_sdp       { st->sdp_on = 1; }
	action hdrs_done    { st->hdone = 1; fbreak; }

	hcolon = ws* ':';
	hend = lws eol;

	via_parm = 'maddr'i lws '=' lws hostport %via_maddr
	         | 'received'i lws '=' lws raddr %via_recv
	         | 'rport'i %via_rport ( lws '=' lws ( digit+ >mark >num_begin $num_dig %via_rportv ) )?
	         | ( token - ( 'maddr'i | 'received'i | 'rport'i ) ) ( lws '=' lws ( pchar+ | quoted ) )?;
	via_val = 'SIP'i lws '/' lws '2.0' lws '/' lws transport %via_tr lws1 hostport %via_sent
	          ( lws ';' lws via_parm )*;
	h_via = ( 'via'i | 'v'i ) hcolon @via_first lws via_val ( lws ',' @via_next lws via_val )* hend;

	cparam = 'expires'i lws '=' lws number %c_exp | ( token - 'expires'i ) ( lws '=' lws ( pchar+ | quoted ) )?;
	cval = naddr >c_begin ( lws ';' lws cparam )*;
	h_contact = ( 'contact'i | 'm'i ) hcolon @{ st->dst = SIP_DST_CONTACT; } lws
	            ( '*' %c_star | cval ( lws ',' lws cval )* ) hend;

	h_from = ( 'from'i | 'f'i ) hcolon @once_from lws naddr ( lws ';' lws gparam )* hend;
	h_to   = ( 'to'i | 't'i ) hcolon @once_to lws naddr ( lws ';' lws gparam )* hend;
	h_clen = ( 'content-length'i | 'l'i ) hcolon @once_clen lws ( digit+ >mark >num_begin $num_dig %clen_end ) hend;
	h_cseq = 'cseq'i hcolon @once_cseq lws number %cseq_num lws1 method %cseq_m hend;
	h_callid = ( 'call-id'i | 'i'i ) hcolon @once_callid lws ( [^ \t\r\n]+ >mark %callid_end ) hend;
	h_expires = 'expires'i hcolon @once_expires lws number %exp_end hend;
	sdp_type = 'application'i lws '/' lws 'sdp'i;
	h_ctype = ( 'content-type'i | 'c'i ) hcolon @once_ctype lws
	          ( sdp_type %ct_sdp | ( ( token lws "/" lws token ) - sdp_type ) )
	          ( lws ';' lws gparam )* hend;

	known_h = 'via'i | 'v'i | 'contact'i | 'm'i | 'from'i | 'f'i | 'to'i | 't'i |
	          'content-length'i | 'l'i | 'cseq'i | 'call-id'i | 'i'i | 'expires'i |
	          'content-type'i | 'c'i;
	h_other = ( token - known_h ) ws* ':' ( [^\r\n] @skip | fold )* eol;

	header = h_via | h_contact | h_from | h_to | h_clen | h_cseq | h_callid | h_expires
	       | h_ctype | h_other;

	main := ( request | response ) header* eol @hdrs_done;

	uri_m := any_uri [ >] @{ fhold; fret; };
	v6_br := ipv6 %h_v6 ']' @{ fret; };
	v6_or_name := ( ( ipv6 %h_v6 | '[' @call_v6 | hostname ) >h_begin )
	              [;, \t\r\n] @{ fhold; fret; };
}%%

%% write data nofinal;

#define POS(x) (base + (uint64_t)((x) - data))

/* A host name byte: is the name so far still a dotted quad (1-3 digits, 0..255, each)?
 * Forced inline: it runs for every host byte, and gcc does not inline it into the -G2
 * machine by itself (10% of the parser's time as a call). */
static inline __attribute__((always_inline)) void host_step(struct sip_parser *st, unsigned c)
{
	if (c >= '0' && c <= '9') {
		st->h_num = (uint16_t)(st->h_num * 10 + (c - '0'));
		if (++st->h_nd > 3 || st->h_num > 255)
			st->h_not4 = 1;
	} else if (c == '.' && st->h_nd && st->h_ng < 3 && !st->h_not4) {
		st->hp.addr[st->h_ng++] = (uint8_t)st->h_num;
		st->h_num = st->h_nd = 0;
	} else {
		st->h_not4 = 1;
	}
}

/* The name ended: a dotted quad is an IPv4 address, anything else a name (family 0). */
static void host_name_end(struct sip_parser *st)
{
	if (st->h_not4 || st->h_ng != 3 || !st->h_nd) {
		memset(st->hp.addr, 0, sizeof(st->hp.addr));
		return;
	}
	st->hp.addr[3] = (uint8_t)st->h_num;
	st->hp.family = 4;
}

static bool num_fits(struct sip_parser *st, uint64_t max)
{
	if (st->num <= max)
		return true;
	st->bad = SIP_BAD_NUMBER;
	return false;
}

static bool port_end(struct sip_parser *st, uint64_t at)
{
	if (!num_fits(st, 65535))
		return false;
	st->hp.port = (uint16_t)st->num;
	st->hp.port_text.len = (uint32_t)(at - st->hp.port_text.off);
	return true;
}

static bool status_end(struct sip_parser *st)
{
	if (st->num < 100 || st->num > 699) {
		st->bad = SIP_BAD_NUMBER;
		return false;
	}
	st->msg.status = (uint16_t)st->num;
	return true;
}

static void uri_begin(struct sip_parser *st)
{
	memset(&st->hp, 0, sizeof(st->hp));
	memset(&st->u_maddr, 0, sizeof(st->u_maddr));
	st->u_transport = SIP_T_NONE;
}

/* The URI ended.  Idempotent: while a name-addr cannot yet be told from an addr-spec this
 * may run for text that turns out to be a display name; the real URI comes later and
 * overwrites. */
static void uri_end(struct sip_parser *st)
{
	struct sip_contact *c;

	switch (st->dst) {
	case SIP_DST_RURI:
		st->msg.ruri = st->hp;
		break;
	case SIP_DST_FROM:
		st->msg.from = st->hp;
		break;
	case SIP_DST_TO:
		st->msg.to = st->hp;
		break;
	case SIP_DST_CONTACT:
		c = &st->msg.contact[st->cidx];
		c->uri = st->hp;
		c->transport = st->u_transport;
		c->maddr = st->u_maddr;
		break;
	}
}

static bool contact_begin(struct sip_parser *st)
{
	if (st->msg.ncontact >= SIP_CONTACT_MAX) {
		st->bad = SIP_BAD_TOO_MANY;
		return false;
	}
	st->cidx = st->msg.ncontact++;
	return true;
}

static bool contact_expires(struct sip_parser *st)
{
	struct sip_contact *c = &st->msg.contact[st->cidx];

	if (!num_fits(st, 0xffffffff))
		return false;
	c->has_expires = true;
	c->expires = (uint32_t)st->num;
	return true;
}

static bool via_rport(struct sip_parser *st, uint64_t at)
{
	if (!num_fits(st, 65535))
		return false;
	if (st->dst == SIP_DST_VIA) {
		sip_span_set(&st->msg.via_rport, st->mark, at);
		st->msg.via_rport_val = (uint16_t)st->num;
	}
	return true;
}

static bool clen_end(struct sip_parser *st, uint64_t at)
{
	if (!num_fits(st, 0xffffffff))
		return false;
	st->msg.has_clen = true;
	st->msg.clen = (uint32_t)st->num;
	sip_span_set(&st->msg.clen_text, st->mark, at);
	return true;
}

/* -- the header machine's entry points (the framing around it: sip_parser_frame.c) ---- */

void sip_head_begin(struct sip_parser *st, uint64_t at)
{
	memset(&st->msg, 0, sizeof(st->msg));
	memset(&st->hp, 0, sizeof(st->hp));
	memset(&st->hsave, 0, sizeof(st->hsave));
	memset(&st->u_maddr, 0, sizeof(st->u_maddr));
	addr_parse_reset(&st->ap);
	st->msg.start = at;
	st->cs = sip_en_main;
	st->top = 0;	/* fcall depth: at most 2 (a URI or received=, then '[' IPv6 ']') */
	st->phase = SIP_PH_HEAD;
	st->hdone = st->dst = st->tmp = st->u_transport = st->sdp_on = st->cidx = 0;
	st->seen = 0;
	st->num = st->mark = 0;
	st->body_left = 0;
}

/* Run the header machine over [*pp, pe) and no further than SIP_MSG_MAX from the start. */
enum sip_bad sip_head_exec(struct sip_parser *st, const uint8_t *data, const uint8_t **pp,
			   const uint8_t *pe, uint64_t base)
{
	const uint8_t *p = *pp, *eof = NULL;
	uint64_t room = st->msg.start + SIP_MSG_MAX - POS(p);

	if (room == 0)
		return SIP_BAD_TOO_LONG;
	if ((uint64_t)(pe - p) > room)
		pe = p + room;
	%% write exec;
	*pp = p;
	if (st->bad)
		return st->bad;
	if (st->cs == sip_error)
		return SIP_BAD_SYNTAX;
	return SIP_BAD_NONE;
}
