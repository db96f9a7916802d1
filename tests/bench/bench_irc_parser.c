/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_irc_parser: parser throughput over a synthetic client-to-server transcript shaped
 * like the corpus ones (registration, channel chatter, CTCP, DCC SEND/CHAT over IPv4 and
 * IPv6, quoted names). */
#include <stdio.h>
#include <string.h>
#include "irc_parser.h"
#include "throughput.h"

void bench_irc_parser(void);

#define SESSION_MAX (1024 * 1024)
#define SESSIONS 100
#define DCCS 10         /* per session */

static uint8_t client[SESSION_MAX];
static size_t nclient;

static void add(const char *fmt, unsigned a, unsigned b)
{
	int w = snprintf((char *)client + nclient, SESSION_MAX - nclient, fmt, a, b);

	if (w > 0 && nclient + (size_t)w < SESSION_MAX)
		nclient += (size_t)w;
}

/* Registration, a channel, 50 lines of chatter and 10 DCC offers per session. */
static void session(unsigned s)
{
	add("CAP LS 302\r\nNICK user%u\r\nUSER user%u 0 * :Real Name\r\nCAP END\r\n", s, s);
	add("JOIN #chan%u,#help\r\nMODE #chan%u\r\nWHO #help\r\n", s, s);
	for (unsigned t = 0; t < 50; t++) {
		unsigned port = 1024 + (s * DCCS + t) % 64000;

		add("PRIVMSG #chan%u :hello everyone, this is line %u of the usual chatter\r\n", s, t);
		if (t % 10 == 3)
			add("PRIVMSG friend%u :\001ACTION waves at %u\001\r\n", s, t);
		if (t % 5)
			continue;
		switch (t / 5 % 4) {
		case 0:
			add("PRIVMSG friend%u :\001DCC SEND file-%u.tar.gz ", s, t);
			add("%u %u 1320211\001\r\n", 3232235776u + s % 250, port);
			break;
		case 1:
			add("PRIVMSG friend%u :\001DCC CHAT chat 167772167 %u\001\r\n", s, port);
			break;
		case 2:
			add("PRIVMSG friend%u :\001DCC SEND \"holiday photos %u.zip\" ", s, t);
			add("%u %u 88211\001\r\n", 167772160u + s, port);
			break;
		default:
			add("PRIVMSG friend%u :\001DCC SEND f.bin 2001:db8:%x::13 ", s, s);
			add("%u %u\001\r\n", port, 4096);
		}
	}
	add("PING :irc.example.org\r\nQUIT :bye %u %u\r\n", s, 0);
}

static size_t parse(const uint8_t *d, size_t len)
{
	struct irc_parser p;
	struct irc_match m;
	size_t off = 0, used, n = 0;

	irc_parser_init(&p, 0);
	while (off < len) {
		n += irc_parser_execute(&p, d + off, len - off, &used, &m) == IRC_MATCH;
		off += used;
	}
	return n;
}

static size_t round_client(void *arg)
{
	return parse(client, nclient);
}

void bench_irc_parser(void)
{
	for (unsigned s = 0; s < SESSIONS; s++)
		session(s);
	bench_throughput("irc_parser", round_client, NULL, nclient, SESSIONS * DCCS);
}
