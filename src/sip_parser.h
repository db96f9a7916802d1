/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sip_parser: one SIP message (RFC 3261 7, 20, 25) and its SDP body (RFC 4566), pure and
 * resumable (grammars/sip.rl, grammars/sdp.rl).  Reports what nf_conntrack_sip.c and
 * nf_nat_sip.c read — the start line, the top Via, Contact, From, To, CSeq, Call-ID,
 * Expires, Content-Length, and in the SDP o=, c= and m= — with the stream offsets of the
 * text NAT may replace.  Where and why it is stricter than the kernel: grammars/sip.rl. */
#ifndef NFHELPER_SIP_PARSER_H
#define NFHELPER_SIP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "addr_parse.h"

#define SIP_MSG_MAX 65535	/* a message (headers and body) longer than this is refused */
#define SIP_CONTACT_MAX 8	/* more Contact values than this: the message is refused */
#define SDP_MEDIA_MAX 8		/* more m= lines than this: the message is refused */

enum sip_method {
	SIP_M_NONE = 0, /* a response */
	SIP_M_OTHER,    /* a well-formed method the helper does not act on (OPTIONS, INFO, ...) */
	SIP_M_INVITE, SIP_M_ACK, SIP_M_BYE, SIP_M_CANCEL, SIP_M_REGISTER, SIP_M_UPDATE,
	SIP_M_PRACK, SIP_M_MESSAGE, SIP_M_NOTIFY, SIP_M_SUBSCRIBE, SIP_M_REFER, SIP_M_OPTIONS,
	SIP_M_INFO, SIP_M_PUBLISH,
};

enum sip_transport { SIP_T_NONE = 0, SIP_T_UDP, SIP_T_TCP, SIP_T_TLS, SIP_T_SCTP, SIP_T_OTHER };

/* Text at stream offsets [off, off + len); len 0: absent. */
struct sip_span {
	uint64_t off;
	uint32_t len;
};

/* A URI's or Via's host and port.  text covers host and ":port" (an IPv6 host with its
 * brackets): what NAT replaces.  family 0: the host is a name (never rewritten). */
struct sip_hostport {
	struct sip_span text;
	struct sip_span port_text;  /* the digits, len 0 when no port is written */
	uint8_t family;             /* 4, 6 or 0 */
	uint8_t addr[16];           /* network order; IPv4 in addr[0..3] */
	uint16_t port;              /* 0 when none is written */
};

/* An address-valued parameter (Via maddr=, received=) or SDP address: the value's text. */
struct sip_addr {
	struct sip_span text;       /* the address (IPv6 without brackets in SDP) */
	uint8_t family;             /* 4, 6, or 0 when absent or a name */
	uint8_t addr[16];
};

struct sip_contact {
	struct sip_hostport uri;    /* family 0 for a name or a non-sip URI */
	uint8_t transport;          /* enum sip_transport of a ;transport= URI parameter */
	bool has_expires;           /* an expires= header parameter */
	uint32_t expires;           /* seconds, at most 2^32-1 (larger: refused) */
	struct sip_addr maddr;      /* a ;maddr= URI parameter (added: the brief asks for it) */
};

enum sdp_media_type { SDP_MEDIA_OTHER = 0, SDP_MEDIA_AUDIO, SDP_MEDIA_VIDEO, SDP_MEDIA_IMAGE };

struct sdp_media {
	uint8_t type;               /* enum sdp_media_type */
	uint8_t udp;                /* the transport is RTP/AVP, RTP/SAVP, RTP/AVPF, RTP/SAVPF or udptl */
	uint16_t port;              /* 0: the stream is inactive */
	struct sip_span port_text;
	struct sip_addr c;          /* the media-level c=, family 0 when absent */
};

struct sdp_info {
	bool present;               /* the body was parsed as SDP */
	struct sip_addr o;          /* o= unicast-address */
	struct sip_addr c;          /* session-level c= */
	uint8_t nmedia;
	struct sdp_media media[SDP_MEDIA_MAX];
};

/* One complete message. */
struct sip_msg {
	uint64_t start;             /* stream offset of the first byte (after any CRLF keep-alives) */
	uint32_t len;               /* headers, blank line and body */
	uint32_t body_off;          /* offset of the body from start */
	uint8_t method;             /* enum sip_method; SIP_M_NONE for a response */
	uint16_t status;            /* a response's code (100-699), else 0 */
	struct sip_hostport ruri;   /* a request's Request-URI (sip: or sips:) */
	/* the top Via (the first value of the first Via header) */
	uint8_t via_transport;
	struct sip_hostport via;    /* sent-by */
	struct sip_addr via_maddr, via_received;
	bool via_has_rport;
	struct sip_span via_rport;  /* rport=digits (len 0 when bare ";rport") */
	uint16_t via_rport_val;
	uint8_t ncontact;
	bool contact_star;          /* "Contact: *" */
	struct sip_contact contact[SIP_CONTACT_MAX];
	struct sip_hostport from, to;
	uint32_t cseq;
	uint8_t cseq_method;        /* enum sip_method */
	struct sip_span call_id;
	bool has_expires;
	uint32_t expires;
	bool has_clen;
	uint32_t clen;
	struct sip_span clen_text;  /* the digits NAT replaces when the body's length changes */
	struct sdp_info sdp;        /* with Content-Type application/sdp */
};

enum sip_result {
	SIP_MORE = 0,  /* everything consumed, no message complete */
	SIP_MSG,       /* *m holds a complete message; call again with the rest */
	SIP_BAD,       /* the message in progress is malformed or over a bound (p->bad says
		        * which): *m->start tells where it began; the parser reads nothing more
		        * until sip_parser_init */
};

enum sip_bad {
	SIP_BAD_NONE = 0, SIP_BAD_SYNTAX, SIP_BAD_LENGTH /* Content-Length missing (TCP) or
	* wrong */, SIP_BAD_TOO_LONG, SIP_BAD_TOO_MANY, SIP_BAD_NUMBER, SIP_BAD_DUPLICATE,
};

/* struct sip_parser: the SIP machine (grammars/sip.rl) and the SDP machine (grammars/sdp.rl,
 * run by sip.rl's C over exactly the body's bytes) share it; a TCP connection keeps one per
 * direction in its state.  sizeof is 2128 bytes on x86_64 (test_sip_parser checks <= 4096).
 * Everything below is private to the grammars. */
struct sip_parser {
	int cs, sdp_cs;
	uint8_t phase;          /* SIP_PH_*: between messages, headers, body, done, bad */
	uint8_t dgram, bad;     /* bad: enum sip_bad once phase is SIP_PH_BAD */
	uint8_t hdone;          /* the blank line ended the headers */
	uint8_t dst;            /* where the URI or address being read goes (SIP_DST_*) */
	uint8_t tmp;            /* method, transport or media type being read */
	uint8_t u_transport;    /* the URI being read: ;transport= */
	uint8_t sdp_on;         /* Content-Type is application/sdp */
	uint8_t sdp_last;       /* the last body byte the SDP machine saw */
	uint8_t cidx;           /* Contact value being read */
	uint16_t seen;          /* singleton headers (and SDP lines) seen: SIP_SEEN_* */
	uint32_t body_left;     /* Content-Length bytes still to come */
	uint64_t pos;           /* stream offset of the next byte */
	int stack[2], top;      /* fcall: a URI or Via received=, then a bracketed IPv6 */
	uint16_t h_num;         /* the host being read, as far as it is a dotted quad: */
	uint8_t h_nd, h_ng, h_not4; /* digits of the part, parts done, not a quad */
	uint64_t num;           /* the number being read, saturating above 2^33 */
	uint64_t mark;          /* stream offset where the current span began */
	struct addr_parse ap;
	struct sip_hostport hp; /* the host (and port) being read */
	struct sip_hostport hsave; /* the URI's own while its ;maddr= is read */
	struct sip_addr u_maddr;/* the URI being read: ;maddr= */
	struct sip_msg msg;     /* the message being built */
};

/* Start at a message boundary at stream offset pos.  dgram: each execute call is a whole
 * UDP datagram (its end ends the message, Content-Length may be absent, RFC 3261 18.3);
 * otherwise a TCP stream (Content-Length required, CRLF keep-alives between messages). */
void sip_parser_init(struct sip_parser *p, uint64_t pos, bool dgram);
/* Feed len bytes; stops after a complete message (SIP_MSG, *used = bytes consumed), at
 * SIP_BAD, or when all are consumed (SIP_MORE).  Any split of a stream gives the same
 * results.  Never reads outside data[0, len), allocates nothing. */
/* (Details the agreement left open, as implemented: at SIP_BAD *used = len, the rest is not
 * read.  A datagram whose Content-Length ends before the datagram does is SIP_MSG with
 * m->len = headers + Content-Length and *used = len: the rest is ignored, RFC 3261 18.3.
 * via_rport spans the digits only.  Bare LF line ends are taken.) */
enum sip_result sip_parser_execute(struct sip_parser *p, const uint8_t *data, size_t len,
				   size_t *used, struct sip_msg *m);
/* The parser stands between messages (nothing of the next one read). */
bool sip_parser_idle(const struct sip_parser *p);
/* Stream offset of the first byte of the message in progress (its start), or UINT64_MAX. */
uint64_t sip_parser_msg_start(const struct sip_parser *p);
/* A datagram given in pieces (tests, and callers that gather one): feed them with
 * sip_parser_feed, then sip_parser_finish at the datagram's end.  sip_parser_execute in
 * datagram mode is one feed of the whole datagram (a fresh message) and its finish. */
enum sip_result sip_parser_feed(struct sip_parser *p, const uint8_t *data, size_t len,
				size_t *used, struct sip_msg *m);
/* The datagram ended: SIP_MSG (the body is the rest), SIP_BAD, or SIP_MORE (nothing but
 * CRLFs, or the message was already reported).  A stream: always SIP_MORE. */
enum sip_result sip_parser_finish(struct sip_parser *p, struct sip_msg *m);
const char *sip_bad_str(enum sip_bad b);
const char *sip_method_str(enum sip_method m);

#endif
