#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# stream_seeds: writes fuzz_stream's IRC and PPTP seeds (tests/fuzz/seeds/stream/irc_*,
# pptp_*) in its input format (see the top of fuzz_stream.c); the messages are the kinds of
# tests/fuzz/stream_irc.c and stream_pptp.c.  The other seeds are FTP inputs the fuzzer found
# (tests/fuzz/stream-findings.txt), each behind "ftp\0".
import os

GROW, SAME, SHRINK, NONAT = 0, 1, 2, 3          # config bits 0-1: the addresses
WRAP, MIDSTREAM, FAKECT = 4, 8, 16
NEW, AGAIN, RELEASE = 0, 1, 2                   # op bits 0-1
NOW, LOST_BEFORE, LOST_AFTER, DELAY_BEFORE, DELAY_AFTER = 0, 4, 8, 12, 16   # fate << 2
ACK_LOST = 32
RELEASE_AFTER = RELEASE | 4


def seed(proto, config, lines, *ops):
    """name NUL, config, line count - 1, one byte per line, then (op, k) pairs: k bytes."""
    out = proto + b"\0" + bytes([config, len(lines) - 1]) + bytes(lines)
    for op, k in ops:
        out += bytes([op, k - 1])
    return out


def segs(k, n):
    return [(NEW, k)] * n


# IRC kinds (stream_irc.c): 0 SEND, 2 CHAT, 3 quoted name, 4-6 TSEND SCHAT MOVE, 7 the NAT
# address, 8 forged, 9 port 0, 10 NOTICE, 11 more after the port, 12 512 bytes, 13 513,
# 14 text, 15 PING; bits 4-6 the port.
IRC_ALL = [k | (k % 8) << 4 for k in range(16)]
# PPTP kinds (stream_pptp.c): 0/1 Outgoing-Call-Request (bits 3-5 the ID: 1 2 3 ffff 0 1 2
# fffe), 2 Call-Clear-Request, 3 Incoming-Call-Reply (bit 6 to 901, bit 7 refused), 4 Echo,
# 5 Set-Link-Info, 6 with ID 6/7 Stop/Start-Control-Connection-Request, 7 with ID 7 a bad
# cookie.
OCRQ = lambda i: i << 3
CCRQ = lambda i: 2 | i << 3
ICRP = lambda i, peer=0, refuse=0: 3 | i << 3 | peer << 6 | refuse << 7
ECHO, SLI, STOP, START, BAD = 4, 5 | 1 << 3, 6 | 6 << 3, 6 | 7 << 3, 7 | 7 << 3
PPTP_CALLS = [OCRQ(0), OCRQ(0), OCRQ(5), CCRQ(0), ICRP(1), ICRP(0, 1), ECHO, OCRQ(3), OCRQ(3),
              CCRQ(3), SLI, OCRQ(4)]

seeds = {
    "irc_every_kind_grow": seed(b"irc", GROW, IRC_ALL, *segs(40, 60)),
    "irc_every_kind_shrink_fakect": seed(b"irc", SHRINK | FAKECT, IRC_ALL, *segs(200, 12)),
    "irc_same_length_whole": seed(b"irc", SAME, IRC_ALL[:6], *segs(256, 2)),
    "irc_split_address_lost_after": seed(b"irc", GROW, [0, 2, 0x31],
                                         (NEW, 30), (NEW | LOST_AFTER, 20), (NEW, 50),
                                         (AGAIN, 100), (NEW, 100)),
    "irc_reordered_delayed": seed(b"irc", GROW | WRAP, [0, 3, 11, 0x40],
                                  (NEW | DELAY_BEFORE, 35), (NEW, 35), (NEW | DELAY_AFTER, 35),
                                  (RELEASE, 1), (NEW | ACK_LOST, 60), (RELEASE_AFTER, 1)),
    "irc_midstream_gap": seed(b"irc", GROW | MIDSTREAM, [14, 0, 2, 15, 0],
                              (NEW, 10), (NEW | LOST_BEFORE, 30), (NEW, 70), (NEW, 100)),
    "irc_no_nat": seed(b"irc", NONAT, IRC_ALL, *segs(128, 20)),
    "pptp_calls_grow": seed(b"pptp", GROW, PPTP_CALLS, *segs(100, 30)),
    "pptp_calls_whole_fakect": seed(b"pptp", SAME | FAKECT, PPTP_CALLS, *segs(256, 12)),
    "pptp_split_call_id": seed(b"pptp", GROW, [OCRQ(0), OCRQ(0), CCRQ(0)],
                               (NEW, 13), (NEW, 155), (NEW, 12), (NEW, 1), (NEW, 200)),
    "pptp_lost_after_retransmit": seed(b"pptp", GROW | WRAP, [OCRQ(1), OCRQ(1), ICRP(1), CCRQ(1)],
                                       (NEW, 160), (NEW | LOST_AFTER, 100), (NEW, 100),
                                       (AGAIN, 200), (NEW | DELAY_BEFORE, 100), (NEW, 50),
                                       (RELEASE, 1)),
    "pptp_refused_in_call": seed(b"pptp", GROW, [ICRP(0, 0, 1), OCRQ(0), ICRP(0, 1), OCRQ(0)],
                                 *segs(64, 10)),
    "pptp_session_restart": seed(b"pptp", GROW, [OCRQ(0), START, OCRQ(0), STOP, OCRQ(0)],
                                 *segs(90, 10)),
    "pptp_bad_cookie": seed(b"pptp", GROW, [OCRQ(0), BAD, OCRQ(0), CCRQ(0)], *segs(120, 6)),
    "pptp_gap": seed(b"pptp", GROW, [OCRQ(0), OCRQ(0), OCRQ(0)],
                     (NEW, 100), (NEW | LOST_BEFORE, 100), (NEW, 100), (NEW, 256)),
    "pptp_no_nat_midstream": seed(b"pptp", NONAT | MIDSTREAM, PPTP_CALLS, *segs(150, 10)),
}

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "stream")
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
