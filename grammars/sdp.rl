/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sdp: an SDP body (RFC 4566 5) as a SIP message carries it, pure and resumable: the o=, c=
 * and m= lines nf_conntrack_sip.c reads (ct_sip_get_sdp_header, sdp_addr_len,
 * process_sdp) with the offsets nf_nat_sip.c rewrites.  Run by grammars/sip.rl's C over
 * exactly the body's bytes (Content-Length counts them, not syntax: hence a machine of its
 * own), sharing struct sip_parser.
 *
 * Differences from the kernel helper, each stricter unless noted:
 * - The body must start with v=0 and consist of "x=..." lines (x a lower-case letter).
 * - o= and c= must be whole: "IN IP4 <addr>" / "IN IP6 <addr>"; an IP4 address must be a
 *   dotted quad, an IP6 one RFC 4291 text; anything else is a name (family 0, never
 *   rewritten).  A second o=, or a second c= at one level: SIP_BAD_DUPLICATE.
 * - m= ports are 0-65535 (the kernel refuses 0 and wraps larger), more than SDP_MEDIA_MAX
 *   media: SIP_BAD_TOO_MANY.
 * Lenient: "IN"/"IP4"/"IP6", media and proto without case; spaces may repeat; a last line
 * without a line end is taken (the kernel's line search stops at the body's end too).
 */
#include <stdbool.h>
#include <string.h>
#include "sip_parser.h"
#include "sip_parser_int.h"

%%{
	machine sdp;
	access st->;
	variable cs st->sdp_cs;
	alphtype unsigned char;

	include addr "include/addr.rl";

	eol = '\r'? '\n';
	sp  = ' '+;
	word = [^ \r\n]+;

	action num_begin { st->num = 0; }
	action num_dig   { sip_num_dig(st, fc); }

	action a_begin { sip_host_begin(st, POS(fpc)); }
	action a_v4    { sip_host_v4(st); }
	action a_v6    { addr_v6_finish(&st->ap, st->hp.addr); st->hp.family = 6; }
	action a_end   { st->hp.text.len = (uint32_t)(POS(fpc) - st->hp.text.off);
	                 if (!addr_store(st)) fbreak; }

	fqdn  = ( alnum | [\-_.] )+;
	addr4 = ( ipv4 %a_v4 | ( fqdn - ipv4 ) ) >a_begin %a_end;
	addr6 = ( ipv6 %a_v6 | fqdn ) >a_begin %a_end;
	addrs = 'IP4'i sp addr4 ( '/' digit+ ( '/' digit+ )? )?
	      | 'IP6'i sp addr6 ( '/' digit+ )?;

	action o_line { st->dst = SIP_DST_SDP_O; }
	action c_line { st->dst = st->msg.sdp.nmedia ? SIP_DST_SDP_MC : SIP_DST_SDP_C; }

	action m_begin  { if (!media_begin(st)) fbreak; }
	action t_audio  { cur_media(st)->type = SDP_MEDIA_AUDIO; }
	action t_video  { cur_media(st)->type = SDP_MEDIA_VIDEO; }
	action t_image  { cur_media(st)->type = SDP_MEDIA_IMAGE; }
	action mp_begin { st->num = 0; st->mark = POS(fpc); }
	action mp_end   { if (!media_port(st, POS(fpc))) fbreak; }
	action udp      { cur_media(st)->udp = 1; }

	mtype = 'audio'i %t_audio | 'video'i %t_video | 'image'i %t_image
	      | ( word - ( 'audio'i | 'video'i | 'image'i ) );
	udp_proto = 'RTP/AVP'i | 'RTP/SAVP'i | 'RTP/AVPF'i | 'RTP/SAVPF'i | 'udptl'i;
	proto = udp_proto %udp | ( word - udp_proto );

	v_line = 'v=0' eol;
	o_line = 'o=' @o_line word sp word sp word sp 'IN'i sp addrs eol;
	c_line = 'c=' @c_line 'IN'i sp addrs eol;
	m_line = 'm=' @m_begin mtype sp ( digit+ >mp_begin $num_dig %mp_end ) ( '/' digit+ )?
	         sp proto ( sp word )* ' '* eol;
	action skip { fexec sip_line_rest(p + 1, pe); }
	x_line = ( [a-z] - [ocmv] ) '=' ( [^\r\n] @skip )* eol;

	main := v_line ( o_line | c_line | m_line | x_line )*;
}%%

%% write data;

#define POS(x) (base + (uint64_t)((x) - data))

static struct sdp_media *cur_media(struct sip_parser *st)
{
	return &st->msg.sdp.media[st->msg.sdp.nmedia - 1];
}

static bool media_begin(struct sip_parser *st)
{
	struct sdp_info *s = &st->msg.sdp;

	if (s->nmedia >= SDP_MEDIA_MAX) {
		st->bad = SIP_BAD_TOO_MANY;
		return false;
	}
	memset(&s->media[s->nmedia++], 0, sizeof(s->media[0]));
	st->seen &= (uint16_t)~SIP_SEEN_SDP_MC;
	return true;
}

static bool media_port(struct sip_parser *st, uint64_t at)
{
	struct sdp_media *m = cur_media(st);

	if (st->num > 65535) {
		st->bad = SIP_BAD_NUMBER;
		return false;
	}
	m->port = (uint16_t)st->num;
	sip_span_set(&m->port_text, st->mark, at);
	return true;
}

/* An o= or c= address ended: the line's kind says where it goes. */
static bool addr_store(struct sip_parser *st)
{
	struct sdp_info *s = &st->msg.sdp;

	switch (st->dst) {
	case SIP_DST_SDP_O:
		if (!sip_seen_once(st, SIP_SEEN_SDP_O))
			return false;
		sip_addr_from_hp(st, &s->o);
		break;
	case SIP_DST_SDP_C:
		if (!sip_seen_once(st, SIP_SEEN_SDP_C))
			return false;
		sip_addr_from_hp(st, &s->c);
		break;
	case SIP_DST_SDP_MC:
		if (!sip_seen_once(st, SIP_SEEN_SDP_MC))
			return false;
		sip_addr_from_hp(st, &cur_media(st)->c);
		break;
	}
	return true;
}

void sip_sdp_init(struct sip_parser *st)
{
	st->sdp_cs = sdp_en_main;
	st->sdp_last = '\n';
	st->dst = SIP_DST_NONE;
}

bool sip_sdp_exec(struct sip_parser *st, const uint8_t *data, size_t len, uint64_t base,
		  size_t *used)
{
	const uint8_t *p = data, *pe = data + len, *eof = NULL;

	%% write exec;
	*used = (size_t)(p - data);
	if (st->bad || st->sdp_cs == sdp_error)
		return false;
	st->sdp_last = data[len - 1];
	return true;
}

/* A last line without its line end is closed with one that is not in the stream (at base,
 * the body's end): the kernel takes such a line too. */
bool sip_sdp_end(struct sip_parser *st, uint64_t base)
{
	static const uint8_t lf = '\n';
	size_t used;

	if (st->sdp_last != '\n' && !sip_sdp_exec(st, &lf, 1, base, &used))
		return false;
	return st->sdp_cs >= sdp_first_final;
}
