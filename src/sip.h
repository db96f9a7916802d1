/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sip: what the SIP helper's files share — the expectation classes and options in the
 * kernel's order, the state the kernel keeps per conntrack (nf_ct_sip_master), and one
 * message's work in progress.  Mirrors include/linux/netfilter/nf_conntrack_sip.h. */
#ifndef NFHELPER_SIP_H
#define NFHELPER_SIP_H

#include <stdbool.h>
#include <stdint.h>
#include "edit_set.h"
#include "helper.h"
#include "sip_parser.h"

#define SIP_PORT 5060	/* a URI or Via without a port means this one (RFC 3261 19.1.2) */

/* enum sip_expectation_classes */
enum { SIP_CLASS_SIGNALLING, SIP_CLASS_AUDIO, SIP_CLASS_VIDEO, SIP_CLASS_IMAGE, SIP_CLASSES };

/* The module parameters of nf_conntrack_sip, in cfg->opt[]. */
enum { SIP_OPT_TIMEOUT, SIP_OPT_DIRECT_SIGNALLING, SIP_OPT_DIRECT_MEDIA, SIP_OPT_EXTERNAL_MEDIA };

/* nf_ct_sip_master, kept by the kernel (CTA_HELP_INFO) so a restarted nfhelper goes on:
 * register_cseq matches the registrar's answer to the REGISTER that opened the signalling
 * expectation; invite_cseq a failed answer to the INVITE whose media it flushes;
 * forced_dport the port a phone asked replies to go to (Via); reg_port the port the
 * REGISTER's Contact named before NAT moved it (the activated expectation's saved port). */
struct sip_kstate {
	uint32_t register_cseq;
	uint32_t invite_cseq;
	uint16_t forced_dport;	/* host order; 0: none */
	uint16_t reg_port;	/* host order */
};

/* Per connection in userspace: only the copy of the kernel's state the verdict points to. */
struct sip_conn {
	struct sip_kstate k;
};

/* One message being handled: everything it edits goes into es as one message, everything it
 * creates is undone if any part fails (why says what, for the refusal's log line). */
struct sip_run {
	struct help_ctx *ctx;
	struct help_result *res;
	const struct sip_msg *m;
	const uint8_t *pay;		/* the payload the message's offsets index */
	struct sip_kstate k;
	struct edit_set *es;
	bool nat;
	uint32_t contact_done;		/* Contacts the REGISTER path rewrote itself */
	int32_t body_delta;		/* length change of the body's edits */
	const char *why;		/* set: the message is refused */
};

/* The expectfn for NATed media and signalling: "sip" (nf_nat_sip_expected) when nf_nat_sip
 * is loaded, else "nat-follow-master".  Decided at start-up (sip_start), falls back once if
 * the kernel refuses "sip". */
extern const char *sip_expectfn;
extern const char *sip_nat_module_path;	/* what sip_start looks for (tests point it elsewhere) */
void sip_start(const struct helper_cfg *cfg);

/* The address of a parsed host as a ct_addr; false unless it is one of the conntrack's
 * family. */
bool sip_addr_get(const struct sip_run *r, uint8_t family, const uint8_t *addr, union ct_addr *out);
/* "addr" (IPv6 bracketed when brackets) and optionally ":port" into buf; its length. */
int sip_fmt_addr(uint8_t l3, const union ct_addr *a, bool brackets, int port, char *buf, size_t cap);
/* Record a replacement of span by text in the message's edit set (body edits counted for
 * Content-Length); false when it does not fit (the message is then refused). */
bool sip_edit(struct sip_run *r, const struct sip_span *span, const char *text, int len);
/* Refuse the message: r->why is set for the log line. */
void sip_fail(struct sip_run *r, const char *why);
/* Create e (its NAT set-up done) as a pair member or alone: synchronously through ctnetlink
 * when there is a NAT port search, else it rides with the verdict. */
void sip_expect_plain(struct sip_run *r, const struct ct_expect *e);
/* help_expect_nat_pair (e2 set) or help_expect_nat, with the fall-back from "sip". */
int sip_expect_nat(struct sip_run *r, struct ct_expect *e1, struct ct_expect *e2);
/* Set e's NAT part: to saved address:port, the expectfn in force, replies towards !dir. */
void sip_expect_natfn(const struct sip_run *r, struct ct_expect *e, const union ct_addr *saved,
		      uint16_t port);

/* sip_media.c: the SDP of an INVITE, UPDATE, ACK, PRACK or their 1xx/2xx (process_sdp). */
void sip_media_process(struct sip_run *r);
/* Remove the connection's media expectations (flush_expectations(ct, true)). */
void sip_media_flush(struct sip_run *r);

/* sip_reg.c: REGISTER and the registrar's answer. */
void sip_reg_request(struct sip_run *r);
void sip_reg_response(struct sip_run *r);

/* sip_nat.c: nf_nat_sip's rewrites of the message's headers, and Content-Length. */
void sip_nat_headers(struct sip_run *r);
void sip_nat_clen(struct sip_run *r);
/* map_addr: the text a host:port the connection knows becomes; 0 when it stays. */
int sip_nat_map(const struct sip_run *r, const struct sip_hostport *hp, char *buf, size_t cap);

#endif
