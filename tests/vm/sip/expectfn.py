#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Manual check for mechanism.sh (not part of CI): can userspace name the kernel's "sip"
expectfn (nf_nat_sip's nf_nat_sip_expected) when it creates an expectation over ctnetlink?
Sends an RRQ from 127.0.0.1:40100 to 127.0.0.1:5060 (the master: the ruleset gives it the helper
"sip"), then IPCTNL_MSG_EXP_NEW for UDP 127.0.0.1 -> 127.0.0.1:PORT on that master with
CTA_EXPECT_FN set to each name given, and prints the kernel's answer (0 or an errno name) per
name.  The kernel fails the whole create with EINVAL when no expectfn of that name is
registered.  Usage: expectfn.py NAME...   (run inside the helper's network namespace)
"""
import errno
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL, NLM_F_CREATE = 1, 4, 0x200, 0x400
EXP_NEW = (2 << 8) | 0	# NFNL_SUBSYS_CTNETLINK_EXP, IPCTNL_MSG_EXP_NEW
NESTED = 0x8000
CTA_EXPECT_MASTER, CTA_EXPECT_TUPLE, CTA_EXPECT_MASK, CTA_EXPECT_FN = 1, 2, 3, 11
LO = socket.inet_aton("127.0.0.1")


def attr(t, payload):
    a = struct.pack("=HH", 4 + len(payload), t) + payload
    return a + b"\0" * (-len(a) % 4)


def tuple_(src, dst, sport, dport):
    ip = attr(1 | NESTED, attr(1, src) + attr(2, dst))
    proto = attr(2 | NESTED, attr(1, b"\x11") + attr(2, struct.pack("!H", sport)) +
                 attr(3, struct.pack("!H", dport)))
    return ip + proto


def create(nl, seq, fn, port):
    body = struct.pack("=BBH", socket.AF_INET, 0, 0)
    body += attr(CTA_EXPECT_MASTER | NESTED, tuple_(LO, LO, 40100, 5060))
    body += attr(CTA_EXPECT_TUPLE | NESTED, tuple_(LO, LO, 0, port))
    body += attr(CTA_EXPECT_MASK | NESTED, tuple_(b"\xff" * 4, b"\xff" * 4, 0, 0xFFFF))
    body += attr(CTA_EXPECT_FN, fn.encode() + b"\0")
    flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL
    nl.send(struct.pack("=IHHII", 16 + len(body), EXP_NEW, flags, seq, 0) + body)
    data = nl.recv(65536)
    _, typ, _, _, _ = struct.unpack_from("=IHHII", data)
    if typ != 2:	# NLMSG_ERROR
        return "unexpected answer type %d" % typ
    err = -struct.unpack_from("=i", data, 16)[0]
    return "0 (created)" if err == 0 else errno.errorcode.get(err, str(err))


def main():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 40100))
    u.sendto(b"\0\1f\0octet\0", ("127.0.0.1", 5060))
    time.sleep(0.5)
    nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    nl.bind((0, 0))
    for i, fn in enumerate(sys.argv[1:]):
        print("    EXP_NEW udp 127.0.0.1 -> 127.0.0.1:%d expectfn \"%s\": %s" % (40200 + i, fn, create(nl, i + 1, fn, 40200 + i)))


if __name__ == "__main__":
    main()
