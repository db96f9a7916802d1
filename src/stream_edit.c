// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_edit: what a protocol's stream callbacks call: edits of the new bytes, the step
 * every announced address and port takes, the NAT announcement of an expectation's port,
 * line boundaries.  Mirrors the mangling of nf_nat_ftp.c / nf_nat_irc.c (through
 * nf_nat_helper.c) and nf_conntrack_ftp.c's wait for a line feed; the stream layer itself
 * is stream.c. */
#include <string.h>
#include "log.h"
#include "stream.h"

int stream_edit(struct stream_pkt *sp, uint64_t off, uint32_t len, const void *text, uint32_t text_len)
{
	return edit_set_add(&sp->edits, off, len, text, text_len);
}

int stream_line_boundary(const uint8_t *data, uint32_t len)
{
	const uint8_t *nl = memchr(data, '\n', len);

	return nl ? (int)(nl + 1 - data) : -1;
}

int stream_expect_announce(struct help_ctx *ctx, struct stream_pkt *sp, struct ct_expect *exp,
			   uint64_t off, uint32_t len, stream_fmt_fn fmt, const void *m,
			   struct help_result *res)
{
	char text[96];
	uint8_t old[sizeof(text)];
	uint16_t want = exp->tuple.dport;
	int port, n;
	struct ct_expect *e;

	/* A segment with more messages than one packet's edits (only a hostile peer sends
	 * that many): the rest are left alone, as the kernel leaves all but the first. */
	if (!edit_set_room(&sp->edits, 1, sizeof(text))) {
		log_rl(LOG_INFO, "ct %u: more than %d rewrites in one segment, the rest left alone",
		       ctx->ct->id, STREAM_EDITS);
		return 0;
	}
	port = help_expect_nat(ctx, exp, res);
	if (port == 0)
		return -1;
	if (port < 0) {	/* no synchronous creation: the verdict carries it, port unchanged */
		port = want;
		if ((e = help_expect_add(res)))
			*e = *exp;
	}
	n = fmt(ctx, m, (uint16_t)port, text, sizeof(text));
	if (n <= 0 || n >= (int)sizeof(text))
		return -1;
	if ((uint32_t)n == len && stream_copy(sp, off, off + len, old) == len && !memcmp(old, text, len))
		return 1;	/* already right: an address NAT kept, the same port */
	return stream_edit(sp, off, len, text, (uint32_t)n) == 0 ? 1 : -1;
}

bool stream_expect_match(struct help_ctx *ctx, struct stream_pkt *sp, const struct ct_expect *exp,
			 uint64_t off, uint32_t len, stream_fmt_fn fmt, const void *m,
			 struct help_result *res)
{
	struct ct_expect *e, nat = *exp;

	if (!sp->nat) {
		if ((e = help_expect_add(res)))
			*e = *exp;
		else
			log_rl(LOG_INFO, "ct %u: more than %d announcements in one segment, the rest ignored",
			       ctx->ct->id, HELP_EXP_MAX);
		return true;
	}
	/* Text that has left already (a segment let through unchanged after its drop, see
	 * stream.c) cannot be rewritten: no expectation for it either. */
	if (off < sp->sent)
		return true;
	if (stream_expect_announce(ctx, sp, &nat, off, len, fmt, m, res) >= 0)
		return true;
	log_rl(LOG_WARNING, "ct %u: no free port for an expectation, or its text cannot be rewritten",
	       ctx->ct->id);
	return false;
}
