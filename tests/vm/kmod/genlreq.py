#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A minimal client of the nfh_pptp generic netlink family (kmod/nfh_pptp_uapi.h), so the
module can be tested without nfhelper.  Prints the kernel's answer: 0 or -errno.

  genlreq.py set NAME QUEUE | del NAME | badname
  genlreq.py add CTID SRC DST SPORT ORIG ORIG_NAT REPLY   (CTID as conntrack -o id prints it)
  genlreq.py delcall CTID SRC DST SPORT ORIG ORIG_NAT REPLY | delall CTID SRC DST SPORT
  ZONE=N in the environment: the master is looked up in conntrack zone N
"""
import os
import socket
import struct
import sys

CMD = {"set": 1, "del": 2, "badname": 1, "add": 3, "delcall": 4, "delall": 4}


def attr(t, p):
    n = 4 + len(p)
    return struct.pack("=HH", n, t) + p + b"\0" * ((4 - n % 4) % 4)


def request(s, family, cmd, attrs):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    s.send(struct.pack("=IHHII", 16 + len(body), family, 0x5, 1, os.getpid()) + body)
    data = b""
    while True:  # the answer (if any), then the ACK
        d = s.recv(65536)
        if struct.unpack("=H", d[4:6])[0] == 2:
            return struct.unpack("=i", d[16:20])[0], data
        data = d


def family_id(s):
    err, d = request(s, 0x10, 3, attr(2, b"nfh_pptp\0"))  # CTRL_CMD_GETFAMILY by name
    if err:
        sys.exit("nfh_pptp family: %d" % err)
    p = d[20:]
    while len(p) >= 4:
        n, t = struct.unpack("=HH", p[:4])
        if t == 1:
            return struct.unpack("=H", p[4:6])[0]
        p = p[(n + 3) & ~3:]
    sys.exit("no family id")


def main(a):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.bind((0, 0))
    fam = family_id(s)
    op = a[0]
    if op == "set":
        at = (attr(1, a[1].encode() + b"\0") + attr(2, struct.pack("=H", int(a[2]))) +
              attr(3, struct.pack("=I", 32)) + attr(4, struct.pack("=I", 300)))
    elif op == "badname":
        at = (attr(1, b"x" * 20 + b"\0") + attr(2, struct.pack("=H", 3)) +
              attr(3, struct.pack("=I", 32)) + attr(4, struct.pack("=I", 300)))
    elif op == "del":
        at = attr(1, a[1].encode() + b"\0")
    else:
        # CTA_ID travels as the kernel's u32, unswapped; conntrack prints ntohl of it.
        at = (attr(6, struct.pack(">I", int(a[1]))) + attr(7, socket.inet_aton(a[2])) +
              attr(8, socket.inet_aton(a[3])) + attr(9, struct.pack(">H", int(a[4]))) +
              attr(10, struct.pack(">H", 1723)))
        if op != "delall":
            at += b"".join(attr(11 + i, struct.pack(">H", int(v))) for i, v in enumerate(a[5:8]))
        if os.environ.get("ZONE"):  # the master's conntrack zone, host order
            at += attr(5, struct.pack("=H", int(os.environ["ZONE"])))
    print(request(s, fam, CMD[op], at)[0])


main(sys.argv[1:])
