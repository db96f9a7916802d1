#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Enhanced GRE (PPTP, RFC 2637 4.1) over a raw socket.
  gre.py send DST KEY      one packet with that key (the receiver's call ID); only one, so
                           that none arrives late, after a check that counts conntracks
  gre.py recv SECONDS      print "from ADDR key KEY" of the first packet, or "nothing" """
import socket
import struct
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
if sys.argv[1] == "send":
    payload = b"nfh"
    hdr = struct.pack(">HHHH", 0x2001, 0x880B, len(payload), int(sys.argv[3]))  # K bit, version 1
    s.sendto(hdr + payload, (sys.argv[2], 0))
else:
    s.settimeout(float(sys.argv[2]))
    try:
        d, a = s.recvfrom(2000)
        ihl = (d[0] & 15) * 4
        print("from %s key %d" % (a[0], struct.unpack(">H", d[ihl + 6:ihl + 8])[0]))
    except socket.timeout:
        print("nothing")
