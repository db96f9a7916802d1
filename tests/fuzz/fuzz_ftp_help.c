// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_ftp_help: a whole FTP control connection through dispatch — segments in either
 * direction, retransmissions, gaps, with and without NAT — checking every verdict. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "dispatch.h"
#include "ftp.h"
#include "pkt.h"
#include "qmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pktbuf[PKT_MAX], msgbuf[PKT_MAX + 4096] __attribute__((aligned(4)));

/* A stand-in for the daemon's synchronous ctnetlink create, answering from the input: some
 * ports are taken by "other connections", sometimes ctnetlink cannot be used at all. */
static int fake_expect_now(void *arg, const struct ct_tuple *master, const struct ct_expect *e)
{
	uint8_t mode = *(const uint8_t *)arg;

	if ((mode & 0x30) == 0x30)
		return -ENOENT;
	if ((mode & 0x20) || ((e->tuple.dport ^ mode) & 1))
		return -EBUSY;
	return 0;
}

static int fake_del(void *arg, const struct ct_tuple *tuple)
{
	return 0;
}

static const struct help_ct_ops fake_ops = { .create = fake_expect_now, .del = fake_del };

/* Input: one byte of settings (bit 0 NAT, bit 1 IPv6, bit 2 --loose, bit 3 synchronous
 * expectation creation as the daemon does it, bits 4-5 how that answers), then records of
 * [flags: bit 0 direction, 1 retransmit the previous segment, 2 SYN, 3 skip ahead][len][bytes]. */
static void check_verdict(const struct nlmsghdr *out, uint32_t id, uint32_t inlen)
{
	struct qmsg_verdict v;
	struct pkt p;

	if (!out)
		abort();
	if (qmsg_verdict_decode(out, &v) < 0 || v.id != id)
		abort();
	if (v.payload && (pkt_parse(v.payload, v.payload_len, &p) < 0 || !pkt_l4_csum_ok(v.payload, v.payload_len)))
		abort();
	/* A rewrite grows a packet by at most the held-back line and the longer addresses. */
	if (v.payload && v.payload_len > inlen + FTP_LINE_MAX + HELP_EXP_MAX * 96)
		abort();
	if ((v.has_exp || v.payload) && !v.has_ct)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct helper_cfg cfg = { .name = "ftp", .queue = 21, .policy = { { "ftp", 1, 300 } },
				  .max_conns = 16 };
	struct dispatch dp;
	struct qmsg_conn c;
	uint32_t last_seq[2] = { 0, 0 }, last_len[2] = { 0, 0 }, id = 1;
	size_t off = 1;

	if (size < 1)
		return 0;
	cfg.opt[FTP_OPT_LOOSE] = (data[0] & 4) != 0;
	if (dispatch_init(&dp, &ftp_proto, &cfg) < 0)
		abort();
	if (data[0] & 8) {
		dp.ops = &fake_ops;
		dp.ops_arg = (void *)&data[0];
	}
	if (data[0] & 2)
		qmsg_conn_init(&c, AF_INET6, "fd00:1::2", 40000, "fd00:2::2", 21, (data[0] & 1) ? "fd00:2::1" : NULL, 7);
	else
		qmsg_conn_init(&c, AF_INET, "10.0.1.2", 40000, "10.0.2.2", 21, (data[0] & 1) ? "10.0.2.1" : NULL, 7);
	while (off + 2 <= size) {
		uint8_t fl = data[off], len = data[off + 1];
		int dir = fl & 1;
		uint32_t seq, n;
		struct help_result res;
		struct nlmsghdr *nlh;

		off += 2;
		if (len > size - off)
			len = (uint8_t)(size - off);
		if (fl & 2) {
			seq = last_seq[dir];
		} else {
			if (fl & 8)
				c.seq[dir] += 1000;
			seq = c.seq[dir];
			c.seq[dir] += len + ((fl & 4) ? 1 : 0);
		}
		last_seq[dir] = seq;
		last_len[dir] = len;
		n = qmsg_tcp(pktbuf, &c, dir, seq, (fl & 4) ? PKT_TCP_SYN : 0, data + off, len);
		nlh = qmsg_packet(msgbuf, sizeof(msgbuf), &c, dir, id, pktbuf, n);
		if (!nlh)
			abort();
		check_verdict(dispatch_packet(&dp, nlh, 1, &res), id, n);
		id++;
		off += len;
	}
	(void)last_len;
	dispatch_free(&dp);
	return 0;
}
