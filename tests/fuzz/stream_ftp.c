// SPDX-License-Identifier: GPL-2.0-or-later
/* stream_ftp: fuzz_stream's FTP client — PORT and EPRT naming the client in several
 * spellings, and what nf_nat_ftp makes of them under NAT (RFC 959 4.1.2, RFC 2428 2). */
#include <stdio.h>
#include <string.h>
#include "ftp_parser.h"
#include "stream_model.h"

static const uint16_t ports[8] = { 40000, 40001, 40002, 1025, 65535, 80, 21, 50000 };

static int nums(char *b, size_t cap, const uint8_t a[4], uint16_t port, bool zeros)
{
	return snprintf(b, cap, zeros ? "%03u,%03u,%03u,%03u,%03u,%03u" : "%u,%u,%u,%u,%u,%u",
			a[0], a[1], a[2], a[3], port >> 8, port & 0xff);
}

/* Line kinds (b bits 0-3; bits 4-6 the port): PORT / EPRT naming the client in several
 * spellings, lines that must pass as they are (a bounce PORT naming another host, port 0,
 * one byte too long), and others. */
static void ftp_message(struct stream_env *env, uint8_t b, struct stream_msg *msg)
{
	char *o = (char *)msg->o, *r = (char *)msg->r, n[64], m[64], pad[160];
	const size_t cap = sizeof(msg->o);
	const uint8_t *c = env->cl, *a = env->na;
	uint16_t port = ports[(b >> 4) & 7];
	int on, rn = -1, k;

	nums(m, sizeof(m), a, port, false);
	switch (b & 15) {
	case 0: case 1: case 2:
		nums(n, sizeof(n), c, port, false);
		on = snprintf(o, cap, "PORT %s\r\n", n);
		rn = snprintf(r, cap, "PORT %s\r\n", m);
		break;
	case 3:
		nums(n, sizeof(n), c, port, false);
		on = snprintf(o, cap, "port  %s \r\n", n);
		rn = snprintf(r, cap, "port  %s \r\n", m);
		break;
	case 4:
		nums(n, sizeof(n), c, port, true);
		on = snprintf(o, cap, "PORT %s\n", n);
		rn = snprintf(r, cap, "PORT %s\n", m);
		break;
	case 5: case 6: case 7:
		k = (b & 15) == 7 ? '!' : '|';
		on = snprintf(o, cap, "EPRT %c1%c%u.%u.%u.%u%c%u%c\r\n", k, k, c[0], c[1], c[2],
			      c[3], k, port, k);
		/* nf_nat_ftp prints "|1|%pI4|%u|" whatever the client's delimiter was */
		rn = snprintf(r, cap, "EPRT |1|%u.%u.%u.%u|%u|\r\n", a[0], a[1], a[2], a[3], port);
		break;
	case 8:
		on = snprintf(o, cap, "NOOP\r\n");
		break;
	case 9:
		on = snprintf(o, cap, "USER anonymous\r\n");
		break;
	case 10:
		on = snprintf(o, cap, "PORT 10,0,3,3,0,80\r\n");	/* FTP bounce */
		break;
	case 11:
		memset(pad, 'x', 150);
		on = snprintf(o, cap, "SITE %.150s%.150s\r\n", pad, pad);
		break;
	case 12: case 13:
		/* exactly FTP_LINE_MAX (matches), or one more (never matches) */
		nums(n, sizeof(n), c, port, false);
		k = FTP_LINE_MAX + (b & 15) - 12 - 7 - (int)strlen(n);
		memset(pad, ' ', (size_t)k);
		on = snprintf(o, cap, "PORT %s%.*s\r\n", n, k, pad);
		if ((b & 15) == 12)
			rn = snprintf(r, cap, "PORT %s%.*s\r\n", m, k, pad);
		break;
	case 14:
		nums(n, sizeof(n), c, 0, false);
		on = snprintf(o, cap, "PORT %s\r\n", n);	/* port 0: ignored */
		break;
	default:
		on = snprintf(o, cap, "TYPE I\r\n");
		break;
	}
	msg->olen = (uint32_t)on;
	msg->rlen = env->nat && rn > 0 ? (uint32_t)rn : 0;
}

const struct stream_model stream_model_ftp = {
	.name = "ftp", .port = 21, .line_sync = true, .message = ftp_message,
};
