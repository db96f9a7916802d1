// SPDX-License-Identifier: GPL-2.0-or-later
/* ftp: the FTP helper — PORT/EPRT/227/229 to expectations, and their NAT rewriting.
 * Mirrors net/netfilter/nf_conntrack_ftp.c and nf_nat_ftp.c; RFC 959, RFC 2428. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include "ftp.h"
#include "ftp_parser.h"
#include "log.h"

/* Serial-number arithmetic on TCP sequence numbers (RFC 1982). */
static bool seq_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

/* Bind the parser to a position in the stream: the next byte has sequence number seq. */
static void dir_sync(struct ftp_dir *d, int dir, uint32_t seq)
{
	ftp_parser_init(&d->parser, dir == CT_DIR_ORIGINAL ? FTP_CLIENT : FTP_SERVER, 0);
	d->next_seq = seq;
	d->carry_len = 0;
	d->synced = 1;
}

static void remember_line_start(struct ftp_dir *d, uint32_t seq)
{
	d->line_seq[d->nline++ % FTP_LINE_SEQS] = seq;
}

static bool is_line_start(const struct ftp_dir *d, uint32_t seq)
{
	for (unsigned i = 0; i < FTP_LINE_SEQS && i < d->nline; i++)
		if (d->line_seq[i] == seq)
			return true;
	return false;
}

/* One segment's worth of parsing: the bytes already held back (carry) and the new ones. */
struct ftp_seg {
	struct ftp_parser *parser;
	const uint8_t *carry;
	uint32_t carry_len;
	const uint8_t *data;    /* TCP payload */
	uint32_t start, len;    /* new bytes are data[start..len) */
	uint64_t virt_pos;      /* stream offset of carry[0] (or data[start]) */
	struct ftp_match m[FTP_MATCH_MAX];
	unsigned nm;
	uint8_t *new_carry;     /* where to hold back an unfinished command, FTP_LINE_MAX */
	uint32_t new_carry_len;
	struct ftp_dir *dir;    /* remembers NAT port changes for retransmissions */
	struct {
		bool on;
		uint8_t len;
		char text[64];  /* longest: EPRT |2| with an uncompressed IPv6 address */
	} rep[FTP_MATCH_MAX];   /* under NAT: what replaces m[i]'s text */
};

static void seg_parse(struct ftp_seg *s)
{
	uint32_t off = s->start;
	size_t used;
	struct ftp_match m;

	while (off < s->len) {
		if (ftp_parser_execute(s->parser, s->data + off, s->len - off, &used, &m) == FTP_MATCH) {
			if (s->nm < FTP_MATCH_MAX)
				s->m[s->nm++] = m;
			else
				log_rl(LOG_INFO, "ftp: more than %d commands in one segment, ignoring the rest",
				       FTP_MATCH_MAX);
		}
		off += (uint32_t)used;
		if (!used)
			break;
	}
}

/* The kernel's checks (nf_conntrack_ftp.c help()), and the expectation they allow. */
static bool ftp_expect(const struct help_ctx *ctx, const struct ftp_match *m, struct ct_expect *e)
{
	const struct ct_info *ct = ctx->ct;
	const struct ct_tuple *here = &ct->tuple[ctx->dir], *there = &ct->tuple[!ctx->dir];
	uint8_t fam = here->l3 == AF_INET ? 4 : 6;
	const union ct_addr *daddr = &there->dst;
	union ct_addr announced;

	memset(&announced, 0, sizeof(announced));
	if (m->family == 0)	/* EPSV: the address is the sender's own (RFC 2428 3) */
		announced = here->src;
	else if (m->family != fam)
		return false;	/* EPRT |2| on an IPv4 control connection: the kernel's l3num mix-up */
	else
		memcpy(announced.all, m->addr, fam == 4 ? 4 : 16);
	if (m->port == 0)
		return false;
	if (memcmp(announced.all, here->src.all, 16)) {
		/* A client naming another host is the FTP bounce attack: never, even when loose.
		 * A server naming another address is a partially NATed server; only when loose. */
		if (ctx->dir == CT_DIR_ORIGINAL || !(ctx->cfg->flags & FTP_F_LOOSE)) {
			log_rl(LOG_INFO, "ftp: ct %u: announced address is not the sender's, ignored",
			       ct->id);
			return false;
		}
		daddr = &announced;
	}
	ct_expect_init(e, 0, here->l3, &there->src, daddr, IPPROTO_TCP, NULL, &m->port);
	if (help_ct_natted(ct))
		help_expect_follow_master(ctx, e, &announced, m->port);
	return true;
}

/* nf_nat_ftp_fmt_cmd: the text that replaces match->off/len, with the address the peer
 * must use (where this packet goes, seen from the other side) and the port NAT gave. */
static int ftp_fmt(const struct help_ctx *ctx, const struct ftp_match *m, uint16_t port, char *buf,
		   size_t cap)
{
	const union ct_addr *a = &ctx->ct->tuple[!ctx->dir].dst;
	const uint8_t *b = a->v6;

	switch (m->type) {
	case FTP_PORT:
	case FTP_PASV:
		return snprintf(buf, cap, "%u,%u,%u,%u,%u,%u", b[0], b[1], b[2], b[3],
				port >> 8, port & 0xff);
	case FTP_EPRT:
		if (ctx->ct->tuple[0].l3 == AF_INET)
			return snprintf(buf, cap, "|1|%u.%u.%u.%u|%u|", b[0], b[1], b[2], b[3], port);
		/* The kernel prints %pI6: eight groups of four hex digits, uncompressed. */
		return snprintf(buf, cap, "|2|%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
				"%02x%02x:%02x%02x|%u|", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
				b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15], port);
	default:
		return snprintf(buf, cap, "%u", port);	/* EPSV: the port digits only */
	}
}

/* Copy virtual-stream bytes [from, to) — carry first, then the new data — to out. */
static uint32_t virt_copy(const struct ftp_seg *s, uint64_t from, uint64_t to, uint8_t *out)
{
	uint32_t a = (uint32_t)(from - s->virt_pos), b = (uint32_t)(to - s->virt_pos), w = 0;

	for (; a < b && a < s->carry_len; a++)
		out[w++] = s->carry[a];
	if (a < b) {
		memcpy(out + w, s->data + s->start + (a - s->carry_len), b - a);
		w += b - a;
	}
	return w;
}

/* Compare virtual-stream bytes from off with text. */
static int virt_cmp(const struct ftp_seg *s, uint64_t off, const char *text, uint32_t len)
{
	uint8_t buf[96];

	if (len > sizeof(buf))
		return 1;
	virt_copy(s, off, off + len, buf);
	return memcmp(buf, text, len);
}

/* An unfinished line that may still become a command is held back under NAT, so that the
 * whole command can be rewritten when its end arrives (see README, "split commands"). */
static bool seg_holds(const struct ftp_seg *s)
{
	uint64_t end = s->virt_pos + s->carry_len + (s->len - s->start);

	return s->parser->candidate && s->parser->line_start >= s->virt_pos &&
	       end - s->parser->line_start <= FTP_LINE_MAX;
}

/* Under NAT: compose the new payload (untouched prefix, carry and new bytes with every
 * announced address rewritten, minus an unfinished command held back) and the packet. */
static int seg_rewrite(struct help_ctx *ctx, struct ftp_seg *s)
{
	uint64_t end = s->virt_pos + s->carry_len + (s->len - s->start), cut = end, cur = s->virt_pos;
	uint32_t w = s->start;

	if (seg_holds(s))
		cut = s->parser->line_start;
	if (ctx->tmp_cap < s->len + s->carry_len + sizeof(s->rep))
		return -1;
	memcpy(ctx->tmp, s->data, s->start);
	for (unsigned i = 0; i < s->nm; i++) {
		if (!s->rep[i].on)
			continue;
		w += virt_copy(s, cur, s->m[i].off, ctx->tmp + w);
		memcpy(ctx->tmp + w, s->rep[i].text, s->rep[i].len);
		w += s->rep[i].len;
		cur = s->m[i].off + s->m[i].len;
	}
	w += virt_copy(s, cur, cut, ctx->tmp + w);
	s->new_carry_len = virt_copy(s, cut, end, s->new_carry);
	return pkt_rewrite(ctx->data, &ctx->pkt, &(struct pkt_edit){ 0, ctx->pkt.len, ctx->tmp, w },
			   1, ctx->out, ctx->out_cap);
}

/* Under NAT (nf_nat_ftp): the expectation gets a port on the NAT side — the announced one,
 * or another when that is taken — and the text announcing it is rewritten.  False when no
 * port could be had. */
static bool seg_nat(struct help_ctx *ctx, struct ftp_seg *s, unsigned i, struct ct_expect *exp,
		    struct help_result *res)
{
	const struct ftp_match *m = &s->m[i];
	struct ftp_dir *d = s->dir;
	uint16_t hint = d && d->remap_from == m->port ? d->remap_to : 0;
	int port = help_expect_nat(ctx, exp, hint), len;
	struct ct_expect *e;

	if (port == 0)
		return false;
	if (port < 0) {	/* no synchronous creation: the verdict carries it, port unchanged */
		port = m->port;
		if ((e = help_expect_add(res)))
			*e = *exp;
	} else {
		res->created++;
		if (d && port != m->port) {
			d->remap_from = m->port;	/* a retransmission must announce the same port */
			d->remap_to = (uint16_t)port;
		}
	}
	len = ftp_fmt(ctx, m, (uint16_t)port, s->rep[i].text, sizeof(s->rep[i].text));
	s->rep[i].len = (uint8_t)len;
	s->rep[i].on = len != (int)m->len || virt_cmp(s, m->off, s->rep[i].text, (uint32_t)len);
	return true;
}

/* Turn the matches into expectations and, under NAT, the rewritten packet. */
static void seg_finish(struct help_ctx *ctx, struct ftp_seg *s, struct help_result *res)
{
	bool natted = help_ct_natted(ctx->ct), any = false;
	struct ct_expect exp, *e;
	int len;

	for (unsigned i = 0; i < s->nm; i++) {
		/* Under NAT, text already sent cannot be rewritten: no expectation for it either. */
		if ((natted && s->m[i].off < s->virt_pos) || !ftp_expect(ctx, &s->m[i], &exp))
			continue;
		if (!natted) {
			if ((e = help_expect_add(res)))
				*e = exp;
			continue;
		}
		if (!seg_nat(ctx, s, i, &exp, res)) {
			/* As nf_nat_ftp when every port is taken: drop, the sender will retry. */
			log_rl(LOG_WARNING, "ftp: ct %u: no free port for the expectation, dropping", ctx->ct->id);
			res->verdict = NF_DROP;
			res->nexp = 0;
			return;
		}
		any |= s->rep[i].on;
	}
	if (!natted || (!any && !s->carry_len && !seg_holds(s)))
		return;
	len = seg_rewrite(ctx, s);
	if (len < 0) {
		/* As nf_nat_ftp: a command we cannot rewrite must not leave with the private
		 * address in it, and its data connection could not work anyway. */
		log_rl(LOG_WARNING, "ftp: ct %u: cannot rewrite packet, dropping it", ctx->ct->id);
		res->verdict = NF_DROP;
		res->nexp = 0;
		return;
	}
	res->payload = ctx->out;
	res->payload_len = (uint32_t)len;
}

/* Parse new bytes data[start..len) that follow the stream in order. */
static void ftp_in_order(struct help_ctx *ctx, struct ftp_dir *d, uint32_t start,
			 struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	struct ftp_seg s = {
		.parser = &d->parser,
		.carry = d->carry,
		.carry_len = d->carry_len,
		.data = ctx->data + p->off,
		.start = start,
		.len = p->len,
		.virt_pos = d->parser.pos - d->carry_len,
		.dir = d,
	};
	uint8_t new_carry[FTP_LINE_MAX];
	struct ftp_parser before = d->parser;
	struct ftp_state *st = ctx->state;

	s.new_carry = new_carry;
	seg_parse(&s);
	seg_finish(ctx, &s, res);
	if (res->verdict != NF_ACCEPT) {
		/* The segment never reaches the peer: its retransmission must find the stream
		 * exactly as this one did, carry included. */
		d->parser = before;
		return;
	}
	/* A retransmission is parsed again from scratch, which is only right where the line
	 * starts outside a multi-line reply (a fresh parser knows of none). */
	if (!d->carry_len && before.pos == before.line_start && !before.in_multiline)
		remember_line_start(d, p->seq + start);
	d->next_seq = p->seq + p->len;
	if (d->parser.pos == d->parser.line_start) {
		st->k.line_seq[ctx->dir] = htonl(d->next_seq);
		st->k.valid[ctx->dir] = 1;
	}
	/* What was held back now belongs to the next segment. */
	memcpy(d->carry, new_carry, s.new_carry_len);
	d->carry_len = (uint8_t)s.new_carry_len;
}

/* A retransmission of a segment that began at a line start: parse it again on its own, so
 * it gets the same expectations and the same rewrite as the first time (the kernel keeps
 * its sequence adjustment for a repeated sequence number, so the lengths must agree). */
static void ftp_again(struct help_ctx *ctx, struct ftp_dir *d, struct help_result *res)
{
	struct ftp_parser parser;
	uint8_t discard[FTP_LINE_MAX];
	struct ftp_seg s = {
		.parser = &parser,
		.data = ctx->data + ctx->pkt.off,
		.len = ctx->pkt.len,
		.new_carry = discard,
		.dir = d,
	};

	ftp_parser_init(&parser, ctx->dir == CT_DIR_ORIGINAL ? FTP_CLIENT : FTP_SERVER, 0);
	seg_parse(&s);
	seg_finish(ctx, &s, res);
}

/* After a restart (or a gap) nothing is known about line boundaries: resume after the
 * next line feed, exactly like nf_conntrack_ftp waits for a packet ending in one. */
static int ftp_resync(struct ftp_dir *d, int dir, const struct pkt *p, const uint8_t *data)
{
	const uint8_t *nl = memchr(data, '\n', p->len);

	if (!nl)
		return -1;
	dir_sync(d, dir, p->seq + (uint32_t)(nl + 1 - data));
	return (int)(nl + 1 - data);
}

/* A connection we have no state for (we were restarted): the kernel kept where its lines
 * start.  A stale copy (packets queued before our last verdict) just fails to match. */
static void ftp_resume(struct help_ctx *ctx, struct ftp_state *st)
{
	const struct ct_info *ct = ctx->ct;
	struct ftp_kstate k;
	int dir = ctx->dir;

	if (!ct->help_info || ct->help_info_len < sizeof(k))
		return;
	memcpy(&k, ct->help_info, sizeof(k));
	if (ctx->fresh)
		st->k = k;
	if (k.valid[dir] && ntohl(k.line_seq[dir]) == ctx->pkt.seq) {
		dir_sync(&st->dir[dir], dir, ctx->pkt.seq);
		st->k.line_seq[dir] = k.line_seq[dir];
		st->k.valid[dir] = 1;
	}
}

static void ftp_help(struct help_ctx *ctx, struct help_result *res)
{
	struct ftp_state *st = ctx->state;
	struct ftp_dir *d = &st->dir[ctx->dir];
	const struct pkt *p = &ctx->pkt;
	const uint8_t *data = ctx->data + p->off;
	int start = 0;

	res->help_info = (const uint8_t *)&st->k;
	res->help_info_len = sizeof(st->k);
	if (ctx->fresh || !d->synced)
		ftp_resume(ctx, st);
	if (p->tcp_flags & PKT_TCP_SYN) {
		dir_sync(d, ctx->dir, p->seq + 1);
		return;
	}
	if (!p->len)
		return;
	if (!d->synced) {
		start = ftp_resync(d, ctx->dir, p, data);
		if (start < 0)
			return;
	} else if (seq_before(p->seq, d->next_seq)) {
		if (!seq_before(d->next_seq, p->seq + p->len)) {
			if (is_line_start(d, p->seq))
				ftp_again(ctx, d, res);
			return;
		}
		start = (int)(d->next_seq - p->seq);	/* overlap: parse only the new part */
	} else if (p->seq != d->next_seq) {
		/* Data we never saw went by: line boundaries are unknown from here on. */
		log_rl(LOG_INFO, "ftp: ct %u: gap in the stream, resynchronising", ctx->ct->id);
		d->synced = 0;
		start = ftp_resync(d, ctx->dir, p, data);
		if (start < 0)
			return;
	}
	ftp_in_order(ctx, d, (uint32_t)start, res);
}

static const struct cthelper_policy ftp_policy[] = {
	/* nf_conntrack_ftp.c: one expectation per master, five minutes */
	{ .name = "ftp", .max_expected = 1, .timeout = 5 * 60 },
};

static const struct helper_flag ftp_flags[] = {
	{ "loose", FTP_F_LOOSE,
	  "accept a server reply (227/229) naming another address than the server's" },
	{ NULL, 0, NULL },
};

const struct helper_proto ftp_proto = {
	.name = "ftp",
	.summary = "FTP: PORT, EPRT, PASV (227) and EPSV (229), with NAT",
	.l4 = IPPROTO_TCP,
	.default_queue = 21,
	.priv_data_len = sizeof(struct ftp_kstate),
	.policy = ftp_policy,
	.npolicy = 1,
	.flags = ftp_flags,
	.state_size = sizeof(struct ftp_state),
	.help = ftp_help,
};
