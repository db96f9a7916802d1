#!/usr/bin/python3 -S
# SPDX-License-Identifier: GPL-2.0-or-later
"""The symmetric RTP peers of one SIP scenario (tests/vm/sip/), all in this one process: a
Python start takes seconds on a loaded TCG guest, so one start serves every peer, each socket
made in its peer's network namespace (setns) before the call.

Each peer is bound to the port its side announces and counts what arrives from the start; it
waits for DIR/dest-NAME.txt (written by its side's SIPp scenario once it has the other side's
SDP: "ADDR PORT", the c=/m= as NAT left them), then sends one PCMU packet every 20 ms from that
port to there until it has sent 50 and received 25 (each end then knows media passed both ways)
or SECONDS after it learnt where to send.  It then writes DIR/rtp-NAME.txt: "sent N recv M from
ADDR:PORT" (the first sender seen, or "-").  DIR/rtp.ready appears once every peer is bound.

Usage: rtp.py DIR SECONDS NETNS:NAME:IP:PORT...   (IPv6 addresses keep their colons: the port is
the last field, the address what lies between the name and it)
"""
import ctypes
import os
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
LIFETIME = 45.0	# the scenario ends (and kills this) well before


def enter_netns(name, libc):
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + name)
    finally:
        os.close(fd)


class Peer:
    def __init__(self, spec):
        ns, self.name, rest = spec.split(":", 2)
        addr, port = rest.rsplit(":", 1)
        self.ns, self.addr, self.port = ns, addr, int(port)
        self.dest = None
        self.sent = self.recv = 0
        self.first = "-"
        self.nxt = self.end = 0.0
        self.done = False

    def bind(self):
        fam = socket.AF_INET6 if ":" in self.addr else socket.AF_INET
        self.sock = socket.socket(fam, socket.SOCK_DGRAM)
        self.sock.bind((self.addr, self.port))
        self.sock.setblocking(False)

    def poll_dest(self, d, now):
        try:
            with open("%s/dest-%s.txt" % (d, self.name)) as f:
                a, p = f.read().split()[:2]
            self.dest = (a.strip("[]"), int(p))
        except (OSError, ValueError):
            return
        self.nxt = now

    def send(self, now, secs):
        if self.end == 0.0:
            self.end = now + secs
        # RTP v2, PT 0 (PCMU), 160 bytes of silence: 20 ms of audio.
        hdr = struct.pack("!BBHII", 0x80, 0, self.sent & 0xFFFF, self.sent * 160,
                          0x4E464800 | (self.port & 0xFF))
        try:
            self.sock.sendto(hdr + b"\xff" * 160, self.dest)
        except OSError:
            pass	# ICMP unreachable from an earlier packet: keep going
        self.sent += 1
        self.nxt += 0.02

    def read(self):
        while True:
            try:
                data, addr = self.sock.recvfrom(2048)
            except OSError:
                return
            if len(data) >= 12 and data[0] >> 6 == 2:
                self.recv += 1
                if self.first == "-":
                    self.first = "%s:%d" % (addr[0], addr[1])

    def finish(self, d):
        self.done = True
        out = "%s/rtp-%s.txt" % (d, self.name)
        with open(out + ".tmp", "w") as f:
            f.write("sent %d recv %d from %s\n" % (self.sent, self.recv, self.first))
        os.rename(out + ".tmp", out)


def main():
    d, secs = sys.argv[1], float(sys.argv[2])
    peers = [Peer(s) for s in sys.argv[3:]]
    libc = ctypes.CDLL(None, use_errno=True)
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    for p in peers:
        enter_netns(p.ns, libc)
        p.bind()
    libc.setns(home, CLONE_NEWNET)
    open(d + "/rtp.ready", "w").close()
    stop = time.monotonic() + LIFETIME
    while time.monotonic() < stop and not all(p.done for p in peers):
        select.select([p.sock for p in peers if not p.done], [], [], 0.01)
        now = time.monotonic()
        for p in peers:
            if p.done:
                continue
            p.read()
            if p.dest is None:
                p.poll_dest(d, now)
            elif now >= p.nxt:
                p.send(now, secs)
            if p.dest is not None and ((p.sent >= 50 and p.recv >= 25) or now >= p.end > 0):
                p.finish(d)


if __name__ == "__main__":
    main()
