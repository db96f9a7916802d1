// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_irc: fuzz_stream's IRC client — DCC offers (CTCP "\1DCC SEND|CHAT|...\1" in a
 * PRIVMSG) naming the client, and what nf_nat_irc makes of them under NAT: "<address> <port>"
 * printed "%u %u", the NAT address as a decimal number.  Offers nf_conntrack_irc ignores (a
 * forged address, port 0, NOTICE, a line over 512 bytes) must pass as they are. */
#include <stdio.h>
#include <string.h>
#include "irc_parser.h"
#include "stream_model.h"

static const uint16_t ports[8] = { 5000, 5001, 1025, 65535, 80, 6667, 40000, 1 };

static uint32_t dec(const uint8_t a[4])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

/* An offer of exactly IRC_LINE_MAX bytes (k = 0: matches) or one more (never matches): the
 * file name takes up the rest. */
static int long_offer(char *o, size_t cap, uint32_t addr, uint16_t port, int k, char *r,
		      uint32_t naddr)
{
	char tail[64];
	int n = snprintf(tail, sizeof(tail), " %u %u\1\r\n", addr, port);
	int name = IRC_LINE_MAX + k - (int)strlen("PRIVMSG bob :\1DCC SEND ") - n;
	char pad[IRC_LINE_MAX];

	memset(pad, 'x', sizeof(pad));
	if (!k)
		snprintf(r, cap, "PRIVMSG bob :\1DCC SEND %.*s %u %u\1\r\n", name, pad, naddr, port);
	return snprintf(o, cap, "PRIVMSG bob :\1DCC SEND %.*s%s", name, pad, tail);
}

/* Message kinds (b bits 0-3; bits 4-6 the port). */
static void irc_message(struct stream_env *env, uint8_t b, struct stream_msg *msg)
{
	char *o = (char *)msg->o, *r = (char *)msg->r;
	const size_t cap = sizeof(msg->o);
	uint32_t c = dec(env->cl), a = dec(env->na);
	uint16_t port = ports[(b >> 4) & 7];
	int on, rn = -1;

	switch (b & 15) {
	case 0: case 1:
		on = snprintf(o, cap, "PRIVMSG bob :\1DCC SEND file.bin %u %u 1234\1\r\n", c, port);
		rn = snprintf(r, cap, "PRIVMSG bob :\1DCC SEND file.bin %u %u 1234\1\r\n", a, port);
		break;
	case 2:
		on = snprintf(o, cap, "PRIVMSG #chan :\1DCC CHAT chat %u %u\1\r\n", c, port);
		rn = snprintf(r, cap, "PRIVMSG #chan :\1DCC CHAT chat %u %u\1\r\n", a, port);
		break;
	case 3:	/* a quoted name, repeated spaces between parameters, LF alone */
		on = snprintf(o, cap, "privmsg  bob  :\1DCC SEND \"a b.txt\" %u %u\1\n", c, port);
		rn = snprintf(r, cap, "privmsg  bob  :\1DCC SEND \"a b.txt\" %u %u\1\n", a, port);
		break;
	case 4: case 5: case 6: {
		static const char *const type[] = { "TSEND", "SCHAT", "MOVE" };
		const char *t = type[(b & 15) - 4];

		on = snprintf(o, cap, "PRIVMSG bob :\1DCC %s f %u %u 10\1\r\n", t, c, port);
		rn = snprintf(r, cap, "PRIVMSG bob :\1DCC %s f %u %u 10\1\r\n", t, a, port);
		break;
	}
	case 7:	/* the client names its NAT address itself: rewritten to the same text */
		on = snprintf(o, cap, "PRIVMSG bob :\1DCC SEND f %u %u 1\1\r\n", a, port);
		rn = snprintf(r, cap, "PRIVMSG bob :\1DCC SEND f %u %u 1\1\r\n", a, port);
		break;
	case 8:	/* another host: forged, ignored */
		on = snprintf(o, cap, "PRIVMSG bob :\1DCC SEND f %u %u 1\1\r\n", c + 1, port);
		break;
	case 9:	/* port 0 (a passive DCC): ignored */
		on = snprintf(o, cap, "PRIVMSG bob :\1DCC SEND f %u 0 1\1\r\n", c);
		break;
	case 10:
		on = snprintf(o, cap, "NOTICE bob :\1DCC SEND f %u %u 1\1\r\n", c, port);
		break;
	case 11:	/* more after the port, spaces after the CTCP */
		on = snprintf(o, cap, "PRIVMSG bob :\1DCC SEND f %u %u 99 extra\1  \r\n", c, port);
		rn = snprintf(r, cap, "PRIVMSG bob :\1DCC SEND f %u %u 99 extra\1  \r\n", a, port);
		break;
	case 12: case 13:
		on = long_offer(o, cap, c, port, (b & 15) - 12, r, a);
		if ((b & 15) == 12)
			rn = (int)strlen(r);
		break;
	case 14:
		on = snprintf(o, cap, "PRIVMSG bob :hello there\r\n");
		break;
	default:
		on = snprintf(o, cap, "PING :srv\r\n");
		break;
	}
	msg->olen = (uint32_t)on;
	msg->rlen = env->nat && rn > 0 ? (uint32_t)rn : 0;
}

const struct stream_model stream_model_irc = {
	.name = "irc", .port = 6667, .line_sync = true, .message = irc_message,
};
