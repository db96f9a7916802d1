#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Accept every packet of an nfnetlink_queue: stands in for nfhelper while the module's helper
queues the control connection's packets.  acceptq.py QUEUE"""
import socket
import struct
import sys

QUEUE = int(sys.argv[1])
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
s.bind((0, 0))
nfg = struct.pack("=BBH", 0, 0, socket.htons(QUEUE))


def attr(t, p):
    n = 4 + len(p)
    return struct.pack("=HH", n, t) + p + b"\0" * ((4 - n % 4) % 4)


def send(mtype, body):  # NLM_F_REQUEST, or nfnetlink ignores it
    s.send(struct.pack("=IHHII", 16 + len(body), mtype, 1, 0, 0) + body)


# NFQNL_MSG_CONFIG: bind (NFQNL_CFG_CMD_BIND), copy the packet.
send((3 << 8) | 2, nfg + attr(1, struct.pack("=BBH", 1, 0, 0)) + attr(2, struct.pack(">IB", 0xffff, 2)))
while True:
    d = s.recv(70000)
    off = 0
    while off + 16 <= len(d):
        n, t = struct.unpack("=IH", d[off:off + 6])
        if n < 16:
            break
        if t == (3 << 8):  # NFQNL_MSG_PACKET: find NFQA_PACKET_HDR, accept its id
            p = d[off + 20:off + n]
            while len(p) >= 4:
                an, at = struct.unpack("=HH", p[:4])
                if an < 4:
                    break
                if at & 0x7fff == 1:
                    pid = struct.unpack(">I", p[4:8])[0]
                    send((3 << 8) | 1, nfg + attr(2, struct.pack(">II", 1, pid)))
                p = p[(an + 3) & ~3:]
        off += (n + 3) & ~3
