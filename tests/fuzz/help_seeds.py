#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# help_seeds: writes every seed of fuzz_help (tests/fuzz/seeds/help/) in its input format (see
# the top of fuzz_help.c).  A seed names its protocol ("ftp\0" ...), so adding a protocol to
# helper_protos[] changes no seed; rerun this when the format changes.  The ftp_* seeds but
# ftp_rollback were the former fuzz_ftp_help's, written out here record by record.
import os
import struct

FTP, IRC, PPTP, SIP, TFTP = b"ftp", b"irc", b"pptp", b"sip", b"tftp"
NAT, V6 = 0x10, 0x20
VERDICT, FAKECT, TAKEN, FAILING = 0x00, 0x40, 0x80, 0xC0
C, S, RETX, SYN, GAP, END, CLASH = 0, 1, 2, 4, 8, 0x10, 0x20


def rec(flags, data=b""):
    if len(data) > 255:
        return bytes([flags | 0x40]) + struct.pack(">H", len(data)) + data
    return bytes([flags, len(data)]) + data


def seed(proto, s0, s1, *recs):
    """The protocol's name and a NUL, the two settings bytes, the records."""
    return proto + b"\0" + bytes([s0, s1]) + b"".join(recs)


HS = rec(SYN | C) + rec(SYN | S)


def pptp(ctype, cid=0, pcid=0, result=0):
    """An RFC 2637 control message of its type's size with call IDs and result code."""
    size = {1: 156, 2: 156, 3: 16, 4: 16, 5: 16, 6: 20, 7: 168, 8: 32, 9: 220, 10: 24,
            11: 28, 12: 16, 13: 148, 14: 40, 15: 24}[ctype]
    b = bytearray(size)
    b[0:12] = struct.pack(">HHIHH", size, 1, 0x1A2B3C4D, ctype, 0)
    if ctype in (7, 8, 9, 10, 12, 13):  # Call ID
        b[12:14] = struct.pack(">H", cid)
    if ctype in (8, 10):  # Peer Call ID and Result Code
        b[14:16] = struct.pack(">H", pcid)
        b[16] = result
    if ctype in (11, 14, 15):  # Peer Call ID
        b[12:14] = struct.pack(">H", pcid)
    if ctype == 2:
        b[14] = result
    return bytes(b)


def sipmsg(start, a, cseq, hdrs=b"", sdp=None):
    """A SIP message from the phone at a (host:port bytes) to 10.0.2.2 (fuzz_help's server),
    Content-Length counted."""
    body = sdp or b""
    ct = b"Content-Type: application/sdp\r\n" if sdp else b""
    return (start + b"\r\nVia: SIP/2.0/UDP " + a + b";branch=z9hG4bK1;rport\r\n"
            b"From: <sip:alice@" + a + b">;tag=1\r\nTo: <sip:bob@10.0.2.2>\r\n"
            b"Call-ID: 1@x\r\nCSeq: " + cseq + b"\r\nContact: <sip:alice@" + a + b">\r\n" + hdrs + ct +
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def sdp(addr, port, fam=b"IP4"):
    return (b"v=0\r\no=a 1 1 IN " + fam + b" " + addr + b"\r\ns=-\r\nc=IN " + fam + b" " + addr +
            b"\r\nt=0 0\r\nm=audio " + port + b" RTP/AVP 0\r\nm=video 51372 RTP/AVP 31\r\n")


A4, A6 = b"10.0.1.2:40000", b"[fd00:1::2]:40000"
PRIV = b"PRIVMSG bob :\x01DCC "
# 10.0.1.2 is 167772418; 167772419 is another host (a forged offer)
seeds = {
    "ftp_loose": seed(FTP, 0, 1, HS, rec(S, b"227 (10,0,9,9,195,80)\r\n")),
    "ftp_nat_port": seed(FTP, NAT, 0, HS, rec(S, b"220 hi\r\n"), rec(C, b"PORT 10,0,1,2,156,64\r\n"),
                         rec(C | RETX, b"PORT 10,0,1,2,156,64\r\n")),
    "ftp_nat_split": seed(FTP, NAT, 0, HS, rec(C, b"NOOP\r\nPORT 10,0,"), rec(C, b"1,2,156,64\r\n"),
                          rec(S, b"227 Entering Passive Mode (10,0,2,2,195,80).\r\n")),
    "ftp_nat_sync_clash": seed(FTP, NAT | TAKEN, 0, HS, rec(C, b"PORT 10,0,1,2,156,64\r\n"),
                               rec(C | RETX | CLASH, b"PORT 10,0,1,2,156,64\r\n"),
                               rec(S, b"227 Entering Passive Mode (10,0,2,2,195,80).\r\n")),
    "ftp_nat_sync_full": seed(FTP, NAT | TAKEN, 0xF0, HS, rec(C, b"PORT 10,0,1,2,156,64\r\n")),
    "ftp_plain_gap": seed(FTP, 0, 0, rec(SYN | C), rec(GAP | C, b"PORT 10,0,1,2,156,64\r\n"),
                          rec(C, b"USER x\r\nPORT 10,0,1,2,156,65\r\n")),
    "ftp_v6_eprt": seed(FTP, NAT | V6, 0, HS, rec(C, b"EPRT |2|fd00:1::2|40000|\r\n"),
                        rec(S, b"229 Entering Extended Passive Mode (|||50000|)\r\n")),
    "irc_dcc_plain": seed(IRC, 0, 0, HS, rec(C, b"NICK alice\r\nUSER a 0 * :a\r\n"),
                          rec(S, b":srv 001 alice :hi\r\n"),
                          rec(C, PRIV + b"SEND file.bin 167772418 5000 1234\x01\r\n"),
                          rec(C | RETX), rec(C, PRIV + b"CHAT chat 167772418 5001\x01\r\n")),
    "irc_dcc_nat": seed(IRC, NAT | FAKECT, 0, HS,
                        rec(C, PRIV + b"SEND f 167772418 5000 1\x01\r\n"),
                        rec(C | CLASH, PRIV + b"SEND g 167772418 5000 2\x01\r\n"),
                        rec(C, PRIV + b"CHAT chat 167772418 6000\x01\r\n" +
                            PRIV + b"SEND h 167772418 6001 3\x01\r\n")),
    "irc_dcc_split": seed(IRC, NAT, 8, HS, rec(C, b"PRIVMSG bob :\x01DCC SEND f 1677"),
                          rec(C, b"72418 5000 1\x01\r\nPRIVMSG bob :hi\r\n"),
                          rec(C | GAP, b"18 5001 1\x01\r\n"),
                          rec(C, PRIV + b"SEND f 167772418 5002 1\x01\r\n")),
    "irc_forged": seed(IRC, 0, 0, HS, rec(C, PRIV + b"SEND f 167772419 5002 1\x01\r\n"),
                       rec(C, PRIV + b"SEND f 167772418 0 1\x01\r\n"),
                       rec(C, b"NOTICE bob :\x01DCC SEND f 167772418 5003 1\x01\r\n"),
                       rec(C, PRIV + b"SEND f 4294967296 5004 1\x01\r\n"),
                       rec(S, b":evil PRIVMSG alice :\x01DCC SEND f 167772418 5005 1\x01\r\n")),
    "irc_v6": seed(IRC, V6 | NAT | FAKECT, 0, HS,
                   rec(C, PRIV + b"SEND f fd00:1::2 5000 1\x01\r\n"),
                   rec(C | END, PRIV + b"CHAT chat fd00:1::2 5001\x01\r\n")),
    "irc_nat_full": seed(IRC, NAT | TAKEN, 0x20, HS,
                         rec(C, PRIV + b"SEND a 167772418 5000 1\x01\r\n" +
                             PRIV + b"SEND b 167772418 9000 1\x01\r\n"),
                         rec(C | RETX)),
    "ftp_rollback": seed(FTP, NAT | TAKEN, 0x80, HS,
                         rec(C, b"PORT 10,0,1,2,5,6\r\nPORT 10,0,1,2,156,64\r\n"),
                         rec(C | RETX), rec(S, b"200 ok\r\n")),
    "tftp_rrq": seed(TFTP, 0, 0, rec(C, b"\0\1file1\0octet\0"), rec(C | RETX),
                     rec(S, b"\0\3\0\1hello"), rec(C, b"\0\4\0\1")),
    "tftp_wrq_nat": seed(TFTP, NAT | FAKECT, 8,
                         rec(C, b"\0\2up.bin\0netascii\0tsize\0" b"12345\0blksize\0" b"1428\0"),
                         rec(C | END, b"\0\1f\0octet\0blksize\0" b"8\0timeout\0" b"1\0windowsize\0" b"1\0"),
                         rec(C | CLASH, b"\0\1f\0OCTET\0")),
    "tftp_malformed": seed(TFTP, NAT, 0, rec(C, b"\0\1"), rec(C, b"\0\1f\0binary\0"),
                           rec(C, b"\0\1\0octet\0"), rec(C, b"\0\1f\0octet\0blksize\0" b"7\0"),
                           rec(C, b"\0\1f\0octet\0blksize\0" b"512\0blksize\0" b"1024\0"),
                           rec(C, b"\0\1" + b"a" * 504 + b"\0octet\0"),
                           rec(S, b"\0\1file1\0octet\0"), rec(C)),
    "tftp_v6": seed(TFTP, V6 | NAT | FAILING, 8, rec(C, b"\0\1boot/pxelinux.0\0octet\0tsize\0" b"0\0"),
                    rec(C, b"\0\5\0\1File not found\0")),
    "pptp_out_call": seed(PPTP, FAKECT, 0, HS, rec(C, pptp(1)), rec(S, pptp(2, result=1)),
                          rec(C, pptp(7, 5)), rec(S, pptp(8, 50, 5, 1)), rec(S | RETX),
                          rec(C, pptp(15, pcid=50)), rec(C, pptp(12, 5)), rec(S, pptp(13, 50)),
                          rec(C, pptp(3)), rec(S, pptp(4))),
    "pptp_in_call_nat": seed(PPTP, NAT | FAKECT, 0, HS, rec(C, pptp(1)), rec(S, pptp(2, result=1)),
                             rec(S, pptp(9, 900)), rec(C, pptp(10, 7, 900, 1)),
                             rec(S, pptp(11, pcid=7)), rec(S, pptp(14, pcid=7)),
                             rec(C | END, pptp(1))),
    "pptp_nat_split": seed(PPTP, NAT | FAKECT, 0, HS, rec(C, pptp(1) + pptp(7, 5)[:20]),
                           rec(C, pptp(7, 5)[20:] + pptp(7, 6)), rec(S, pptp(2, result=1)),
                           rec(C, pptp(7, 7)[:13]), rec(C | RETX), rec(C, pptp(7, 7)[13:]),
                           rec(S, pptp(8, 70, 7, 1)[:15]), rec(S, pptp(8, 70, 7, 1)[15:])),
    "pptp_malformed": seed(PPTP, NAT | FAKECT, 0, HS, rec(C, pptp(1)), rec(S, pptp(2, result=1)),
                           rec(C, b"\0\x10\0\1\x1a\x2b\x3c\x4e" + bytes(8)), rec(C, pptp(7, 5))),
    "sip_call": seed(SIP, 0, 0, rec(C, sipmsg(b"INVITE sip:bob@10.0.2.2 SIP/2.0", A4, b"1 INVITE",
                                                 sdp=sdp(b"10.0.1.2", b"49170"))),
                     rec(C | RETX), rec(S, sipmsg(b"SIP/2.0 200 OK", A4, b"1 INVITE", sdp=sdp(b"10.0.2.2", b"30000"))),
                     rec(C, sipmsg(b"ACK sip:bob@10.0.2.2 SIP/2.0", A4, b"1 ACK")),
                     rec(C, sipmsg(b"BYE sip:bob@10.0.2.2 SIP/2.0", A4, b"2 BYE"))),
    "sip_call_nat": seed(SIP, NAT | FAKECT, 8,
                         rec(C, sipmsg(b"INVITE sip:bob@10.0.2.2 SIP/2.0", A4, b"1 INVITE",
                                       sdp=sdp(b"10.0.1.2", b"49170"))),
                         rec(S, sipmsg(b"SIP/2.0 486 Busy", b"10.0.2.1:40001", b"1 INVITE")),
                         rec(C | CLASH, sipmsg(b"INVITE sip:bob@10.0.2.2 SIP/2.0", A4, b"2 INVITE",
                                               sdp=sdp(b"10.0.1.2", b"49180")))),
    "sip_register_nat": seed(SIP, NAT | TAKEN, 8,
                             rec(C, sipmsg(b"REGISTER sip:10.0.2.2 SIP/2.0", b"10.0.1.2:5060", b"1 REGISTER",
                                           b"Expires: 3600\r\n")),
                             rec(S, sipmsg(b"SIP/2.0 200 OK", b"10.0.2.1:40001", b"1 REGISTER",
                                           b"Expires: 3600\r\n"))),
    "sip_v6_nat": seed(SIP, V6 | NAT | FAKECT, 0,
                       rec(C, sipmsg(b"INVITE sip:bob@[fd00:2::2] SIP/2.0", A6, b"1 INVITE",
                                     sdp=sdp(b"fd00:1::2", b"49170", b"IP6"))),
                       rec(S, sipmsg(b"SIP/2.0 200 OK", b"[fd00:2::1]:40000", b"1 INVITE",
                                     sdp=sdp(b"fd00:2::2", b"30000", b"IP6")))),
    "sip_malformed": seed(SIP, NAT, 0, rec(C, b"INVITE sip:bob@10.0.2.2 SIP/2.0\r\nCSeq: x\r\n\r\n"),
                          rec(C, sipmsg(b"INVITE sip:bob@10.0.2.2 SIP/2.0", A4, b"1 INVITE",
                                        sdp=sdp(b"10.0.1.2", b"80"))),
                          rec(C, b"\r\n\r\n"), rec(S, b"SIP/2.0 200 OK\r\n")),
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "help")
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
