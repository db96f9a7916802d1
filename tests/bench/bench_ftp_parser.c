/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_ftp_parser: parser throughput over a synthetic control session shaped like the
 * corpus ones (multi-line banner, login, FEAT, PASV/EPSV/PORT/EPRT transfers). */
#include <stdio.h>
#include <string.h>
#include "ftp_parser.h"
#include "throughput.h"

void bench_ftp_parser(void);

#define SESSION_MAX (512 * 1024)

static uint8_t client[SESSION_MAX], server[SESSION_MAX];
static size_t nclient, nserver;

static void add(uint8_t *buf, size_t *n, const char *fmt, unsigned a, unsigned b)
{
	int w = snprintf((char *)buf + *n, SESSION_MAX - *n, fmt, a, b);

	if (w > 0 && *n + (size_t)w < SESSION_MAX)
		*n += (size_t)w;
}

/* One login and 20 transfers, alternately passive and active, v4 and v6. */
static void session(unsigned s)
{
	add(server, &nserver, "220-Welcome to ftp.example.org, session %u of %u\r\n", s, 100);
	add(server, &nserver, "220-   All transfers are logged. Mirror at 10.%u.%u.1\r\n", s % 256, 7);
	add(server, &nserver, "220 FTP server ready.\r\n", 0, 0);
	add(client, &nclient, "USER anonymous\r\nPASS guest@example.org\r\nSYST\r\nFEAT\r\n", 0, 0);
	add(server, &nserver, "331 Guest login ok, send your email address as password.\r\n"
	    "230 Guest login ok, access restrictions apply.\r\n215 UNIX Type: L8\r\n", 0, 0);
	add(server, &nserver, "211-Features:\r\n MDTM\r\n REST STREAM\r\n SIZE\r\n EPSV\r\n211 End\r\n", 0, 0);
	for (unsigned t = 0; t < 20; t++) {
		unsigned port = 1024 + (s * 20 + t) % 64000;

		add(client, &nclient, "CWD /pub/mirror/%u\r\nTYPE I\r\nSIZE file-%u.tar.gz\r\n", t, s);
		add(server, &nserver, "250 CWD command successful.\r\n200 Type set to I\r\n213 %u%u\r\n", port, t);
		switch (t % 4) {
		case 0:
			add(client, &nclient, "PASV\r\n", 0, 0);
			add(server, &nserver, "227 Entering Passive Mode (205,167,25,101,%u,%u).\r\n",
			    port >> 8, port & 255);
			break;
		case 1:
			add(client, &nclient, "EPSV\r\n", 0, 0);
			add(server, &nserver, "229 Entering Extended Passive Mode (|||%u|)\r\n", port, 0);
			break;
		case 2:
			add(client, &nclient, "PORT 192,168,%u,13,%u,", s % 256, port >> 8);
			add(client, &nclient, "%u\r\n", port & 255, 0);
			add(server, &nserver, "200 PORT command successful.\r\n", 0, 0);
			break;
		default:
			add(client, &nclient, "EPRT |2|2001:db8:%x::13|%u|\r\n", s, port);
			add(server, &nserver, "200 EPRT command successful.\r\n", 0, 0);
		}
		add(client, &nclient, "RETR file-%u-%u.tar.gz\r\n", s, t);
		add(server, &nserver, "150 Opening BINARY mode data connection (%u bytes)\r\n"
		    "226 Transfer complete\r\n", port * 37, 0);
	}
	add(client, &nclient, "QUIT\r\n", 0, 0);
	add(server, &nserver, "221 Goodbye.\r\n", 0, 0);
}

static size_t parse(enum ftp_side side, const uint8_t *d, size_t len)
{
	struct ftp_parser p;
	struct ftp_match m;
	size_t off = 0, used, n = 0;

	ftp_parser_init(&p, side, 0);
	while (off < len) {
		n += ftp_parser_execute(&p, d + off, len - off, &used, &m) == FTP_MATCH;
		off += used;
	}
	return n;
}

static size_t round_both(void *arg)
{
	return parse(FTP_CLIENT, client, nclient) + parse(FTP_SERVER, server, nserver);
}

void bench_ftp_parser(void)
{
	for (unsigned s = 0; s < 100; s++)
		session(s);
	bench_throughput("ftp_parser", round_both, NULL, nclient + nserver, 100 * 20);
}
