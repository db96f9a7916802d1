#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ctnetlink requests a hostile namespace admin could send, to show what the nfh_pptp module
does with them (guest.sh).  Prints the kernel's answer (0 or -errno) or what was asked for.

  ctnl.py helpupdate SRC DST SPORT DPORT NAME [HEXINFO]  CT_NEW update: CTA_HELP {NAME [INFO]}
  ctnl.py helpcreate SRC DST SPORT DPORT NAME            CT_NEW create, CTA_HELP {NAME}, no info
  ctnl.py helpinfo SRC DST SPORT DPORT                   CT_GET: CTA_HELP_INFO as hex ("-": none)
  ctnl.py expect MSRC MDST MSPORT MDPORT SRC DST DPORT FN  EXP_NEW: TCP SRC:any -> DST:DPORT
                                                         on that master, CTA_EXPECT_FN FN
Addresses are IPv4, the master's protocol TCP.
"""
import os
import socket
import struct
import sys

NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
CT_NEW, CT_GET, EXP_NEW = (1 << 8) | 0, (1 << 8) | 1, (2 << 8) | 0


def attr(t, p):
    n = 4 + len(p)
    return struct.pack("=HH", n, t) + p + b"\0" * ((4 - n % 4) % 4)


def nest(t, *parts):
    return attr(t | 0x8000, b"".join(parts))


def tuple_attrs(t, src, dst, sport, dport, proto=6):
    ip = nest(1, attr(1, socket.inet_aton(src)), attr(2, socket.inet_aton(dst)))
    l4 = nest(2, attr(1, bytes([proto])), attr(2, struct.pack(">H", sport)),
              attr(3, struct.pack(">H", dport)))
    return nest(t, ip, l4)


def attrs_of(p):
    out = {}
    while len(p) >= 4:
        n, t = struct.unpack("=HH", p[:4])
        if n < 4:
            break
        out[t & 0x7fff] = p[4:n]
        p = p[(n + 3) & ~3:]
    return out


def request(msgtype, flags, body):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)  # NETLINK_NETFILTER
    s.bind((0, 0))
    msg = struct.pack("=BBH", socket.AF_INET, 0, 0) + body
    s.send(struct.pack("=IHHII", 16 + len(msg), msgtype, NLM_F_REQUEST | NLM_F_ACK | flags, 1,
                       os.getpid()) + msg)
    data = None
    while True:
        d = s.recv(65536)
        if struct.unpack("=H", d[4:6])[0] == 2:  # NLMSG_ERROR: the ACK
            return struct.unpack("=i", d[16:20])[0], data
        data = d


def main(a):
    op = a[0]
    if op in ("helpupdate", "helpcreate", "helpinfo"):
        src, dst, sport, dport = a[1], a[2], int(a[3]), int(a[4])
        orig = tuple_attrs(1, src, dst, sport, dport)
    if op == "helpupdate":
        help_ = attr(1, a[5].encode() + b"\0")
        if len(a) > 6:
            help_ += attr(2, bytes.fromhex(a[6]))
        print(request(CT_NEW, 0, orig + nest(5, help_))[0])
    elif op == "helpcreate":
        reply = tuple_attrs(2, dst, src, dport, sport)
        body = orig + reply + attr(7, struct.pack(">I", 60)) + nest(5, attr(1, a[5].encode() + b"\0"))
        print(request(CT_NEW, NLM_F_CREATE | NLM_F_EXCL, body)[0])
    elif op == "helpinfo":
        err, d = request(CT_GET, 0, orig)
        if err or not d:
            print(err)
            return
        info = attrs_of(attrs_of(d[20:]).get(5, b"")).get(2)
        print(info.hex() if info is not None else "-")
    elif op == "expect":
        master = tuple_attrs(1, a[1], a[2], int(a[3]), int(a[4]))
        exp = tuple_attrs(2, a[5], a[6], 0, int(a[7]))
        mask = tuple_attrs(3, "255.255.255.255", "255.255.255.255", 0, 0xffff)
        body = master + exp + mask + attr(11, a[8].encode() + b"\0")
        print(request(EXP_NEW, NLM_F_CREATE | NLM_F_EXCL, body)[0])
    else:
        sys.exit(__doc__)


main(sys.argv[1:])
