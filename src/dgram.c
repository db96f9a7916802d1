// SPDX-License-Identifier: GPL-2.0-or-later
/* dgram: rewrite a UDP datagram from an edit set and a new destination port, all of it or
 * nothing.  Mirrors nf_nat_mangle_udp_packet (nf_nat_helper.c); the lengths and checksums
 * are pkt.c's. */
#include <errno.h>
#include <netinet/in.h>
#include "dgram.h"
#include "log.h"

void dgram_edits_init(struct edit_set *es, const struct pkt *p)
{
	edit_set_init(es, 0, p->len);
}

int dgram_rewrite(const uint8_t *data, const struct pkt *p, struct edit_set *es, int32_t dport,
		  uint8_t *out, uint32_t cap)
{
	struct pkt_edit pe[EDIT_SET_MAX];
	const struct edit *e;
	unsigned n = 0;

	if (p->l4 != IPPROTO_UDP)
		return -EINVAL;
	edit_set_close(es);
	for (unsigned i = 0; (e = edit_set_at(es, i)); i++) {
		/* The set's range is the caller's: check each edit against this payload. */
		if (n >= EDIT_SET_MAX || e->off > p->len || e->len > p->len - e->off ||
		    e->text_off > EDIT_SET_TEXT || e->text_len > EDIT_SET_TEXT - e->text_off)
			return -EINVAL;
		pe[n++] = (struct pkt_edit){ (uint32_t)e->off, e->len, edit_set_text(es, e), e->text_len };
	}
	/* pkt_rewrite_udp refuses edits out of order or overlapping (-EINVAL). */
	return pkt_rewrite_udp(data, p, pe, n, dport, out, cap < DGRAM_PKT_MAX ? cap : DGRAM_PKT_MAX);
}

int dgram_emit(struct help_ctx *ctx, struct edit_set *es, int32_t dport, struct help_result *res)
{
	const struct pkt *p = &ctx->pkt;
	int n;

	edit_set_close(es);
	if (!edit_set_count(es) && (dport < 0 || dport == (ctx->data[p->l4off + 2] << 8 | ctx->data[p->l4off + 3])))
		return 0;
	n = dgram_rewrite(ctx->data, p, es, dport, ctx->out, ctx->out_cap);
	if (n < 0) {
		log_rl(LOG_INFO, "ct %u: cannot rewrite the datagram (%s); it passes unchanged", ctx->ct->id,
		       n == -ENOSPC ? "it would not fit in one packet" : "bad edits");
		return n;
	}
	res->payload = ctx->out;
	res->payload_len = (uint32_t)n;
	return 0;
}
