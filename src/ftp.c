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
	struct ct_tuple t;

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
	memset(&t, 0, sizeof(t));
	t.l3 = here->l3;
	t.l4 = IPPROTO_TCP;
	t.src = there->src;
	t.dst = *daddr;
	t.dport = m->port;
	ct_expect_init(e, &t);
	if (help_ct_natted(ct)) {
		/* The data connection is NATed as its master (nf_nat_follow_master): towards
		 * the announced port on the announcing host. */
		e->fn = "nat-follow-master";
		e->nat = true;
		e->nat_dir = !ctx->dir;
		e->nat_tuple = e->tuple;
		e->nat_tuple.src = announced;
		e->nat_tuple.sport = m->port;
	}
	return true;
}

/* nf_nat_ftp_fmt_cmd: the text that replaces match->off/len, with the address the peer
 * must use (where this packet goes, seen from the other side) and the same port. */
static int ftp_fmt(const struct help_ctx *ctx, const struct ftp_match *m, char *buf, size_t cap)
{
	const union ct_addr *a = &ctx->ct->tuple[!ctx->dir].dst;
	const uint8_t *b = a->v6;

	switch (m->type) {
	case FTP_PORT:
	case FTP_PASV:
		return snprintf(buf, cap, "%u,%u,%u,%u,%u,%u", b[0], b[1], b[2], b[3],
				m->port >> 8, m->port & 0xff);
	case FTP_EPRT:
		if (ctx->ct->tuple[0].l3 == AF_INET)
			return snprintf(buf, cap, "|1|%u.%u.%u.%u|%u|", b[0], b[1], b[2], b[3], m->port);
		/* The kernel prints %pI6: eight groups of four hex digits, uncompressed. */
		return snprintf(buf, cap, "|2|%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:"
				"%02x%02x:%02x%02x|%u|", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
				b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15], m->port);
	default:
		return 0;	/* EPSV carries only the port, which NAT keeps */
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
static int seg_rewrite(struct help_ctx *ctx, struct ftp_seg *s, const bool *rewrite)
{
	uint64_t end = s->virt_pos + s->carry_len + (s->len - s->start), cut = end, cur = s->virt_pos;
	uint32_t w = s->start;
	char text[96];
	int n;

	if (seg_holds(s))
		cut = s->parser->line_start;
	if (ctx->tmp_cap < s->len + s->carry_len + FTP_MATCH_MAX * sizeof(text))
		return -1;
	memcpy(ctx->tmp, s->data, s->start);
	for (unsigned i = 0; i < s->nm; i++) {
		if (!rewrite[i])
			continue;
		n = ftp_fmt(ctx, &s->m[i], text, sizeof(text));
		w += virt_copy(s, cur, s->m[i].off, ctx->tmp + w);
		memcpy(ctx->tmp + w, text, (size_t)n);
		w += (uint32_t)n;
		cur = s->m[i].off + s->m[i].len;
	}
	w += virt_copy(s, cur, cut, ctx->tmp + w);
	s->new_carry_len = virt_copy(s, cut, end, s->new_carry);
	return pkt_rewrite(ctx->data, &ctx->pkt, &(struct pkt_edit){ 0, ctx->pkt.len, ctx->tmp, w },
			   1, ctx->out, ctx->out_cap);
}

/* Turn the matches into expectations and, under NAT, the rewritten packet. */
static void seg_finish(struct help_ctx *ctx, struct ftp_seg *s, struct help_result *res)
{
	bool rewrite[FTP_MATCH_MAX] = { false }, natted = help_ct_natted(ctx->ct), any = false;
	char text[96];
	struct ct_expect *e;
	int len;

	for (unsigned i = 0; i < s->nm; i++) {
		struct ct_expect exp;

		/* Under NAT, text already sent cannot be rewritten: no expectation for it either. */
		if ((natted && s->m[i].off < s->virt_pos) || !ftp_expect(ctx, &s->m[i], &exp))
			continue;
		if (!(e = help_expect_add(res)))
			break;
		*e = exp;
		if (natted && s->m[i].type != FTP_EPSV) {
			len = ftp_fmt(ctx, &s->m[i], text, sizeof(text));
			rewrite[i] = len != (int)s->m[i].len ||
				     virt_cmp(s, s->m[i].off, text, (uint32_t)len);
			any |= rewrite[i];
		}
	}
	if (!natted || (!any && !s->carry_len && !seg_holds(s)))
		return;
	len = seg_rewrite(ctx, s, rewrite);
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
	};
	uint8_t new_carry[FTP_LINE_MAX];

	s.new_carry = new_carry;
	if (!d->carry_len && d->parser.pos == d->parser.line_start)
		remember_line_start(d, p->seq + start);
	seg_parse(&s);
	d->next_seq = p->seq + p->len;
	seg_finish(ctx, &s, res);
	if (res->verdict != NF_ACCEPT)
		return;
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

static void ftp_help(struct help_ctx *ctx, struct help_result *res)
{
	struct ftp_state *st = ctx->state;
	struct ftp_dir *d = &st->dir[ctx->dir];
	const struct pkt *p = &ctx->pkt;
	const uint8_t *data = ctx->data + p->off;
	int start = 0;

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
	.priv_data_len = 0,
	.policy = ftp_policy,
	.npolicy = 1,
	.flags = ftp_flags,
	.state_size = sizeof(struct ftp_state),
	.help = ftp_help,
};
