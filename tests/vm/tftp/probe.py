#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# TFTP probes no real client sends: one crafted datagram to port 69 and a server that answers
# anything from a new port.  RFC 1350 4 (requests and the server's new transfer id), 5 (ERROR).
#   probe.py serve ADDR WORK        bind ADDR port 69; for every datagram append its hex to
#                                   WORK/served.txt and answer ERROR 4 from a fresh port, as a
#                                   server does when it refuses a request (then touch
#                                   WORK/answered)
#   probe.py send KIND ADDR PORT WORK   send one datagram of KIND (badmode: an RRQ with an
#                                   unknown mode; badop: a DATA block, no request) from PORT;
#                                   write its hex to WORK/sent.txt and "yes"/"no" (an answer
#                                   came back) to WORK/answer.txt
# Every wait is bounded; stdlib only.
import os
import select
import socket
import sys
import time

DATAGRAMS = {
	# The kernel's helper opens a pinhole for anything starting 0,1 or 0,2; a server refuses
	# this mode (tftpd-hpa: "Unknown mode"), so nothing legitimate comes back.
	"badmode": b"\x00\x01data.bin\x00bogus\x00",
	# DATA block 1 to the server's port: no request, nobody opens anything for it.
	"badop": b"\x00\x03\x00\x01" + b"x" * 16,
}
ERROR = b"\x00\x05\x00\x04illegal TFTP operation\x00"


def family(addr):
	return socket.AF_INET6 if ":" in addr else socket.AF_INET


def serve(addr, work):
	s = socket.socket(family(addr), socket.SOCK_DGRAM)
	s.bind((addr, 69))
	end = time.monotonic() + 50
	while time.monotonic() < end:
		r, _, _ = select.select([s], [], [], 1)
		if not r:
			continue
		data, peer = s.recvfrom(2048)
		with open(os.path.join(work, "served.txt"), "a") as f:
			f.write(data.hex() + "\n")
		# A new socket, a new port: the server's transfer id (RFC 1350 4).
		a = socket.socket(family(addr), socket.SOCK_DGRAM)
		a.bind((addr, 0))
		a.sendto(ERROR, peer)
		a.close()
		open(os.path.join(work, "answered"), "w").close()


def send(kind, addr, port, work):
	data = DATAGRAMS[kind]
	s = socket.socket(family(addr), socket.SOCK_DGRAM)
	s.bind(("", port))
	s.sendto(data, (addr, 69))
	with open(os.path.join(work, "sent.txt"), "w") as f:
		f.write(data.hex() + "\n")
	# Wait for an answer: at most 10 s, and at most 2 s after the server said it answered (its
	# datagram crosses the router in milliseconds when the router lets it through).
	answer, end, seen = "no", time.monotonic() + 10, None
	marker = os.path.join(work, "answered")
	while time.monotonic() < end:
		r, _, _ = select.select([s], [], [], 0.1)
		if r:
			got, peer = s.recvfrom(2048)
			print("answer %s from %s" % (got.hex(), peer), file=sys.stderr)
			answer = "yes"
			break
		if seen is None and os.path.exists(marker):
			seen = time.monotonic()
			end = min(end, seen + 2)
	with open(os.path.join(work, "answer.txt"), "w") as f:
		f.write(answer + "\n")


def main():
	if len(sys.argv) == 4 and sys.argv[1] == "serve":
		serve(sys.argv[2], sys.argv[3])
	elif len(sys.argv) == 6 and sys.argv[1] == "send" and sys.argv[2] in DATAGRAMS:
		send(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
	else:
		print(__doc__ or "usage: probe.py serve ADDR WORK | send KIND ADDR PORT WORK", file=sys.stderr)
		return 2
	return 0


if __name__ == "__main__":
	sys.exit(main())
