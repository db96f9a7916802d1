#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A PPTP PNS (client) and PAC (server) that can do what pptp-linux and pptpd cannot: several
# calls on one control connection (RFC 2637: TCP 1723, then enhanced GRE, version 1, protocol
# 0x880B, the key being the receiving side's call ID).  Call IDs are fixed, so that the
# expectations compare between runs and modes: the PNS's are 0x0101, 0x0102, ..., the PAC's
# 0x0201, 0x0202, ...  Each side sends GRE for every call until it has received the other side's
# for every call (or the time is up) and prints one line per call:
#   call N rx ok|none KEY    N from 1, KEY the key of the packet received (hex; - none)
# and the PAC also "call N peer-id ID" (the PNS's call ID as the request reached it: NAT shows).
#   pptppeer.py pac ADDR CALLS OUTFILE TIMEOUT [split]
#   pptppeer.py pns SERVER CALLS apart|one|split OUTFILE TIMEOUT
# "apart": one control connection per call (the kernel's reference), "one": all calls on one,
# "split": all on one, every control message sent in pieces (TCP_NODELAY, a pause between
# them) cut inside its header and inside its call IDs; the PAC's "split" does so for its replies.
import select
import socket
import struct
import sys
import time

COOKIE = 0x1A2B3C4D
SCCRQ, SCCRP, STOPRQ, STOPRP = 1, 2, 3, 4
OCRQ, OCRP, CCRQ, CDN = 7, 8, 12, 13
PNS_ID0, PAC_ID0 = 0x0101, 0x0201
GRE_PROTO_PPP = 0x880B
GRE_TIME = 8
# Where "split" cuts a message of each type (byte offsets; the call IDs are at 12-15).
SPLIT_AT = {SCCRQ: (1, 12, 13, 100), SCCRP: (7, 14), OCRQ: (3, 13, 14, 40), OCRP: (2, 13, 15),
	CCRQ: (5, 13), CDN: (12, 30), STOPRQ: (8,), STOPRP: (8,)}
SPLIT_PAUSE = 0.15


def log(*a):
	print("pptppeer:", *a, file=sys.stderr, flush=True)


def ctrl(mtype, body):
	"""A control message: header (length, type 1, magic cookie, message type, reserved) + body."""
	return struct.pack("!HHIHH", 12 + len(body), 1, COOKIE, mtype, 0) + body


def send(s, msg, split):
	"""One control message, whole or (split) in pieces that leave as segments of their own."""
	if not split:
		s.sendall(msg)
		return
	s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
	cuts = [0] + [c for c in SPLIT_AT.get(struct.unpack("!H", msg[8:10])[0], ()) if c < len(msg)]
	for a, b in zip(cuts, cuts[1:] + [len(msg)]):
		s.sendall(msg[a:b])
		if b < len(msg):
			time.sleep(SPLIT_PAUSE)


def recv_ctrl(s):
	"""One whole control message: (message type, body)."""
	hdr = recv_exact(s, 12)
	length, ptype, cookie, mtype, _ = struct.unpack("!HHIHH", hdr)
	if ptype != 1 or cookie != COOKIE or length < 12:
		raise ValueError("not a PPTP control message: %r" % hdr)
	return mtype, recv_exact(s, length - 12)


def recv_exact(s, n):
	b = b""
	while len(b) < n:
		c = s.recv(n - len(b))
		if not c:
			raise EOFError("control connection closed")
		b += c
	return b


def name64(t):
	return t.encode().ljust(64, b"\0")


# Start-Control-Connection-Request / -Reply (156 bytes each).
def sccrq():
	return ctrl(SCCRQ, struct.pack("!HHIIHH", 0x0100, 0, 1, 1, 0, 1) + name64("pns") + name64("nfhelper-test"))


def sccrp():
	return ctrl(SCCRP, struct.pack("!HBBIIHH", 0x0100, 1, 0, 1, 1, 0, 1) + name64("pac") + name64("nfhelper-test"))


# Outgoing-Call-Request (168 bytes): call ID, serial, min/max bps, bearer, framing, window,
# delay, phone number length, reserved, phone number, subaddress.
def ocrq(call_id, serial):
	return ctrl(OCRQ, struct.pack("!HHIIIIHHHH", call_id, serial, 300, 100000000, 3, 3, 64, 0, 0, 0)
		+ bytes(64) + bytes(64))


# Outgoing-Call-Reply (32 bytes): call ID, peer's call ID, result 1 (connected), error, cause,
# connect speed, window, delay, physical channel.
def ocrp(call_id, peer_id):
	return ctrl(OCRP, struct.pack("!HHBBHIHHI", call_id, peer_id, 1, 0, 0, 100000000, 64, 0, 0))


def gre(key, seq, payload):
	"""Enhanced GRE (RFC 2637 4.1): K and S set, version 1, protocol PPP, key = the call ID."""
	return struct.pack("!BBHHHI", 0x30, 0x01, GRE_PROTO_PPP, len(payload), key, seq) + payload


def parse_gre(pkt):
	"""(key, payload) of an enhanced GRE packet inside an IPv4 datagram, or None."""
	ihl = (pkt[0] & 0x0F) * 4
	g = pkt[ihl:]
	if len(g) < 8:
		return None
	f0, f1, proto, plen, key = struct.unpack("!BBHHH", g[:8])
	if (f1 & 0x07) != 1 or proto != GRE_PROTO_PPP or not f0 & 0x20:
		return None
	off = 8 + (4 if f0 & 0x10 else 0) + (4 if f1 & 0x80 else 0)
	return key, g[off:off + plen]


def gre_exchange(peers, own_ids, role, other, deadline):
	"""Send GRE for every call (peers[i]: (address, key to send)) until every call's packet from
	the other side arrived with our call ID as its key; returns the key seen per call."""
	raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
	# A working call answers within a second or two even under TCG; a broken one never does.
	deadline = min(deadline, time.monotonic() + GRE_TIME)
	got = [None] * len(peers)
	seq = 0
	# Once every call has arrived, keep sending a little longer: the other side may still wait.
	linger = None
	while time.monotonic() < deadline and (linger is None or time.monotonic() < linger):
		for i, (addr, key) in enumerate(peers):
			raw.sendto(gre(key, seq, b"%s call %d" % (role.encode(), i + 1)), (addr, 0))
		seq += 1
		end = time.monotonic() + 0.3
		while True:
			left = end - time.monotonic()
			if left <= 0 or not select.select([raw], [], [], left)[0]:
				break
			r = parse_gre(raw.recv(65535))
			if r is None:
				continue
			key, payload = r
			for i in range(len(peers)):
				# The payload names the call; the key must be our own ID for it.
				if payload == b"%s call %d" % (other.encode(), i + 1) and got[i] is None:
					got[i] = key
					log("call", i + 1, "GRE key 0x%04x" % key,
						"(own call ID 0x%04x)" % own_ids[i])
		if linger is None and all(g is not None for g in got):
			linger = time.monotonic() + 1.0
	raw.close()
	return got


def report(out, got, own_ids, extra=()):
	with open(out, "w") as f:
		for i, k in enumerate(got):
			ok = "ok" if k == own_ids[i] else "none" if k is None else "badkey"
			f.write("call %d rx %s %s\n" % (i + 1, ok, "-" if k is None else "0x%04x" % k))
		for line in extra:
			f.write(line + "\n")


def pac(addr, calls, out, timeout, split=False):
	"""Serve control connections (one or several: a PNS "apart" opens one per call) until CALLS
	calls have their Outgoing-Call-Reply, then exchange GRE with the PNS as its control
	connection's peer address is seen here (the router's, through NAT)."""
	deadline = time.monotonic() + timeout
	ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
	ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	ls.bind((addr, 1723))
	ls.listen(4)
	log("listening")
	conns, peers, own, ids = [], [], [], []
	while len(peers) < calls:
		left = deadline - time.monotonic()
		if left <= 0:
			raise TimeoutError("only %d of %d calls requested" % (len(peers), calls))
		for s in select.select([ls] + [c for c, _ in conns], [], [], left)[0]:
			if s is ls:
				c, (paddr, _) = ls.accept()
				conns.append((c, paddr))
				continue
			paddr = dict(conns)[s]
			mtype, body = recv_ctrl(s)
			if mtype == SCCRQ:
				send(s, sccrp(), split)
			elif mtype == OCRQ:
				peer_id = struct.unpack("!H", body[:2])[0]
				i = len(peers)
				own.append(PAC_ID0 + i)
				peers.append((paddr, peer_id))
				ids.append("call %d peer-id 0x%04x" % (i + 1, peer_id))
				send(s, ocrp(PAC_ID0 + i, peer_id), split)
				log("call", i + 1, "from", paddr, "peer call ID 0x%04x" % peer_id)
			else:
				raise ValueError("unexpected control message %d" % mtype)
	got = gre_exchange(peers, own, "pac", "pns", deadline)
	report(out, got, own, ids)
	# Answer the PNS's clearing: Call-Clear-Request -> Call-Disconnect-Notify, Stop -> Reply.
	pns_ids = [p[1] for p in peers]
	for s, _ in conns:
		try:
			s.settimeout(max(0.1, min(3, deadline - time.monotonic())))
			while True:
				mtype, body = recv_ctrl(s)
				if mtype == CCRQ:
					cid = struct.unpack("!H", body[:2])[0]
					mine = own[pns_ids.index(cid)] if cid in pns_ids else 0
					send(s, ctrl(CDN, struct.pack("!HBBHH", mine, 1, 0, 0, 0) + bytes(128)), split)
				elif mtype == STOPRQ:
					send(s, ctrl(STOPRP, struct.pack("!BBH", 1, 0, 0)), split)
					break
		except (OSError, EOFError, ValueError) as e:
			log("clearing:", e)
		s.close()


def pns(server, calls, mode, out, timeout):
	deadline = time.monotonic() + timeout
	conns, peers, own = [], [], []
	s = None
	split = mode == "split"
	for i in range(calls):
		if s is None or mode == "apart":
			s = socket.create_connection((server, 1723), timeout=max(0.1, deadline - time.monotonic()))
			conns.append(s)
			send(s, sccrq(), split)
			mtype, body = recv_ctrl(s)
			if mtype != SCCRP or body[2] != 1:
				raise ValueError("no Start-Control-Connection-Reply with result 1")
		send(s, ocrq(PNS_ID0 + i, i + 1), split)
		own.append(PNS_ID0 + i)
		mtype, body = recv_ctrl(s)
		if mtype != OCRP:
			raise ValueError("expected Outgoing-Call-Reply, got %d" % mtype)
		pac_id, peer_id, result = struct.unpack("!HHB", body[:5])
		log("call", i + 1, "PAC call ID 0x%04x" % pac_id, "result", result, "peer 0x%04x" % peer_id)
		peers.append((server, pac_id))
	got = gre_exchange(peers, own, "pns", "pac", deadline)
	report(out, got, own)
	# Each control connection in turn: clear its calls, then stop it (the PAC answers the
	# connections in the order they were opened).
	for n, c in enumerate(conns):
		for i in range(len(peers)):
			if (i if mode == "apart" else 0) != n:
				continue
			send(c, ctrl(CCRQ, struct.pack("!HH", own[i], 0)), split)
			try:
				c.settimeout(3)
				mtype, _ = recv_ctrl(c)
				if mtype != CDN:
					log("call", i + 1, "cleared with message", mtype)
			except (OSError, EOFError, ValueError) as e:
				log("call", i + 1, "clearing:", e)
		try:
			send(c, ctrl(STOPRQ, struct.pack("!BBH", 1, 0, 0)), split)
			recv_ctrl(c)
		except (OSError, EOFError, ValueError) as e:
			log("stop:", e)
		c.close()
	return 0 if all(g == own[i] for i, g in enumerate(got)) else 1


def main():
	if sys.argv[1] == "pac":
		pac(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), sys.argv[6:7] == ["split"])
		return 0
	return pns(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6]))


if __name__ == "__main__":
	sys.exit(main())
