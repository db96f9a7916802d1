// SPDX-License-Identifier: GPL-2.0-or-later
/* pptptest: the PPTP suites' set-up — RFC 2637 control messages, a PPTP dispatcher whose
 * module calls fakect records, one control connection. */
#include <string.h>
#include <sys/socket.h>
#include "pkttest.h"
#include "pptptest.h"

static struct helper_cfg cfg = {
	.name = "pptp", .queue = 1723, .policy = { { "gre", 16, 300 } }, .max_conns = 64,
};

uint32_t ppt_msg(uint8_t *b, unsigned type, int call_id, int peer, int result)
{
	unsigned len = pptp_msg_size(type), cid = 0, pid = 0, rs = 0;

	memset(b, 0, len);
	b[0] = (uint8_t)(len >> 8), b[1] = (uint8_t)len, b[3] = 1;
	b[4] = 0x1a, b[5] = 0x2b, b[6] = 0x3c, b[7] = 0x4d;
	b[9] = (uint8_t)type;
	switch (type) {
	case PPTP_SCCRQ: case PPTP_SCCRP:
		b[12] = 1;	/* protocol version 1.0 */
		rs = type == PPTP_SCCRP ? 14 : 0;
		break;
	case PPTP_OCRQ: case PPTP_ICRQ: case PPTP_CCRQ: case PPTP_CDN:
		cid = 12;
		break;
	case PPTP_OCRP: case PPTP_ICRP:
		cid = 12, pid = 14, rs = 16;
		break;
	case PPTP_ICCN: case PPTP_WEN: case PPTP_SLI:
		pid = 12;
		break;
	}
	if (cid && call_id >= 0)
		b[cid] = (uint8_t)(call_id >> 8), b[cid + 1] = (uint8_t)call_id;
	if (pid && peer >= 0)
		b[pid] = (uint8_t)(peer >> 8), b[pid + 1] = (uint8_t)peer;
	if (rs && result >= 0)
		b[rs] = (uint8_t)result;
	return len;
}

void ppt_free(struct ppt *t)
{
	dispatch_conn_end(&t->dp, t->c.ct.id, &t->c.ct.tuple[CT_DIR_ORIGINAL]);
	dispatch_free(&t->dp);
}

void ppt_init(struct ppt *t, const char *client, uint16_t sport, bool nat, uint32_t id)
{
	memset(&t->fake, 0, sizeof(t->fake));
	dispatch_init(&t->dp, &pptp_proto, &cfg);
	t->dp.ops = &fakect_ops;
	t->dp.ops_arg = &t->fake;
	t->dp.backend = fakect_kmod(&t->fake);
	qmsg_conn_init(&t->c, AF_INET, client, sport, "10.0.2.2", 1723, nat ? "10.0.2.1" : NULL, id);
	pt_handshake(&t->dp, &t->c);
}

/* Send one message (dir 0: the client, the PNS) as one segment. */
bool ppt_send(struct ppt *t, int dir, unsigned type, int call_id, int peer, int result)
{
	uint32_t n = ppt_msg(t->b, type, call_id, peer, result);

	return pt_send_bin(&t->dp, &t->c, dir, 0, t->b, n, NULL, &t->v);
}

void ppt_session(struct ppt *t)
{
	ppt_send(t, 0, PPTP_SCCRQ, -1, -1, -1);
	ppt_send(t, 1, PPTP_SCCRP, -1, -1, 1);
}

int ppt_field(const struct qmsg_verdict *v, unsigned off)
{
	struct pkt p;

	if (!v->payload || pkt_parse(v->payload, v->payload_len, &p) || p.len < off + 2 ||
	    !pkt_l4_csum_ok(v->payload, v->payload_len))
		return -1;
	return v->payload[p.off + off] << 8 | v->payload[p.off + off + 1];
}

bool ppt_kcall_is(const struct fakect *f, unsigned i, int add, int orig, int nat, int reply)
{
	const struct fakect_kcall *k = &f->kcall[i];

	if (i >= f->nkcall)
		return false;
	if (orig < 0)
		return k->add == add && k->all;
	return k->add == add && !k->all && k->call.orig_id == orig && k->call.orig_id_nat == nat &&
	       k->call.reply_id == reply;
}
