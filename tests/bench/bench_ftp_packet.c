// SPDX-License-Identifier: GPL-2.0-or-later
/* bench_ftp_packet: per-packet cost of the FTP helper (see packet.c). */
#include "ftp.h"
#include "packet.h"

/* One control session as the queue delivers it: handshake, login, a PORT and a PASV
 * transfer, a few other commands; each session's packets are prebuilt messages. */
static const struct bench_step script[] = {
	{ 0, NULL }, { 1, NULL },
	{ 1, "220 (vsFTPd 3.0.3)\r\n" }, { 0, "USER anonymous\r\n" },
	{ 1, "331 Please specify the password.\r\n" }, { 0, "PASS guest@\r\n" },
	{ 1, "230 Login successful.\r\n" }, { 0, "TYPE I\r\n" }, { 1, "200 Switching to Binary mode.\r\n" },
	{ 0, "PORT 10,0,1,2,156,64\r\n" }, { 1, "200 PORT command successful. Consider using PASV.\r\n" },
	{ 0, "RETR file.bin\r\n" }, { 1, "150 Opening BINARY mode data connection for file.bin (1048576 bytes).\r\n" },
	{ 1, "226 Transfer complete.\r\n" }, { 0, "PASV\r\n" },
	{ 1, "227 Entering Passive Mode (10,0,2,2,195,80).\r\n" }, { 0, "LIST\r\n" },
	{ 1, "150 Here comes the directory listing.\r\n" }, { 1, "226 Directory send OK.\r\n" },
	{ 0, "QUIT\r\n" }, { 1, "221 Goodbye.\r\n" },
};

void bench_ftp_packet(void)
{
	bench_packet_run(&(struct bench_session){ &ftp_proto, 21, script, sizeof(script) / sizeof(script[0]), NULL });
}
