// SPDX-License-Identifier: GPL-2.0-or-later
/* bench_irc_packet: per-packet cost of the IRC helper (see packet.c): a client session with
 * channel chatter, a DCC SEND and a DCC CHAT offer. */
#include "irc.h"
#include "packet.h"

static const struct bench_step script[] = {
	{ 0, NULL }, { 1, NULL },
	{ 0, "NICK alice\r\nUSER alice 0 * :Alice\r\n" },
	{ 1, ":irc.example 001 alice :Welcome to the network alice\r\n" },
	{ 1, ":irc.example 376 alice :End of MOTD command\r\n" },
	{ 0, "JOIN #nfhelper\r\n" },
	{ 1, ":alice!a@10.0.2.1 JOIN :#nfhelper\r\n" },
	{ 0, "PRIVMSG #nfhelper :hello, anyone there?\r\n" },
	{ 1, ":bob!b@h PRIVMSG #nfhelper :hi alice\r\n" },
	{ 0, "PRIVMSG bob :\1DCC SEND report.pdf 167772418 5000 1048576\1\r\n" },
	{ 0, "PING :irc.example\r\n" },
	{ 1, ":irc.example PONG irc.example :irc.example\r\n" },
	{ 0, "PRIVMSG bob :\1DCC CHAT chat 167772418 5001\1\r\n" },
	{ 0, "PRIVMSG #nfhelper :sent you the file\r\n" },
	{ 0, "QUIT :bye\r\n" },
};

void bench_irc_packet(void)
{
	bench_packet_run(&(struct bench_session){ &irc_proto, 6667, script, sizeof(script) / sizeof(script[0]), NULL });
}
