#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# dccpeer.py: an IRC client (RFC 2812) that offers or takes DCC SEND / CHAT (the CTCP DCC
# conventions nf_conntrack_irc.c tracks), stdlib only, every wait bounded by --timeout.
#   offer:   register --nick, optionally JOIN --channel, wait until --peer is online (ISON),
#            send "PRIVMSG <peer> :\1DCC SEND <file> <addr> <port> <size>\1" (or
#            "\1DCC CHAT chat <addr> <port>\1") announcing its own address (IPv4 as the
#            decimal number, IPv6 as text) and a listening port, then serve: the file's
#            bytes (waiting for the receiver's final 4-byte ack), or one chat line each way.
#   receive: register, wait for --offers offers from --peer, connect to each announced
#            address:port, check the bytes (the pattern of --size, or --expect-file) or the
#            chat lines; exit 0 only if everything arrived.
# Segmentation options (offer): --split sends the PRIVMSG in two writes --pause apart
# (TCP_NODELAY on), cut inside the address unless --split-at N; --offers 2 puts two offers
# (two listening ports) into one write, --apart into one write each (--pause apart).
# --listen-port P: offer i listens on port P+i (default: ports the system picks), so that a
# test can compare announced ports and expectations between runs.  --name "a b.txt"
# announces a quoted name.
# Every line printed on stdout starts "dccpeer: "; "dccpeer: ok ..." lines are results.
import argparse, ipaddress, re, socket, struct, sys, time

CTCP = "\x01"


def log(msg):
    print("dccpeer: " + msg, flush=True)


class Deadline:
    def __init__(self, secs):
        self.end = time.monotonic() + secs

    def left(self):
        t = self.end - time.monotonic()
        if t <= 0:
            raise TimeoutError("overall timeout")
        return t


class Irc:
    """One server connection: lines in, lines out, PING answered."""

    def __init__(self, args, dl):
        self.dl, self.buf = dl, b""
        self.sock = socket.create_connection((args.server, args.port), timeout=dl.left())
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.nick = args.nick

    def send(self, data, quiet=False):
        if not quiet:
            sys.stderr.write("> " + data.replace(CTCP, "\\1").replace("\r\n", "\\r\\n") + "\n")
        self.sock.sendall(data.encode())

    def line(self):
        while b"\n" not in self.buf:
            self.sock.settimeout(self.dl.left())
            b = self.sock.recv(4096)
            if not b:
                raise EOFError("server closed the connection")
            self.buf += b
        line, self.buf = self.buf.split(b"\n", 1)
        line = line.rstrip(b"\r").decode(errors="replace")
        sys.stderr.write("< " + line.replace(CTCP, "\\1") + "\n")
        if line.startswith("PING "):
            self.send("PONG " + line[5:] + "\r\n", quiet=True)
        return line

    def register(self, channel):
        self.send("NICK %s\r\nUSER %s 0 * :dccpeer %s\r\n" % (self.nick, self.nick, self.nick))
        while True:
            f = self.line().split()
            if len(f) > 1 and f[1] == "001":
                break
            if len(f) > 1 and f[1] in ("432", "433", "465"):
                raise RuntimeError("registration refused: " + " ".join(f))
        if channel:
            self.send("JOIN %s\r\n" % channel)
            while True:
                f = self.line().split()
                if len(f) > 1 and f[1] in ("366", "403", "471", "473", "474", "475"):
                    if f[1] != "366":
                        raise RuntimeError("cannot join " + channel)
                    break

    def wait_online(self, peer):
        # ISON until the peer is registered (the offer to a missing nick would be lost)
        while True:
            self.send("ISON %s\r\n" % peer, quiet=True)
            while True:
                f = self.line().split(" ", 3)
                if len(f) > 1 and f[1] == "303":
                    break
            if peer.lower() in f[3].lstrip(":").lower().split():
                return
            time.sleep(min(0.2, self.dl.left()))


def pattern(n):
    # the bytes of a --size transfer: position-dependent, so a shifted or lost byte shows
    return bytes((i * 7 + i // 251) & 0xFF for i in range(n))


def announce(addr):
    ip = ipaddress.ip_address(addr)
    return str(int(ip)) if ip.version == 4 else ip.compressed


def dcc_name(name):
    return '"%s"' % name if " " in name else name


def offer(args, dl):
    irc = Irc(args, dl)
    irc.register(args.channel)
    own = irc.sock.getsockname()[0]
    bind = args.listen or own
    addr = args.announce or own
    data = open(args.file, "rb").read() if args.file else pattern(args.size)
    fam = socket.AF_INET6 if ":" in bind else socket.AF_INET
    listeners, msgs = [], []
    for i in range(args.offers):
        ls = socket.socket(fam, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((bind, args.listen_port + i if args.listen_port else 0))
        ls.listen(1)
        port = ls.getsockname()[1]
        listeners.append(ls)
        if args.dcc == "send":
            text = "DCC SEND %s %s %d %d" % (dcc_name(args.name), announce(addr), port, len(data))
        else:
            text = "DCC CHAT chat %s %d" % (announce(addr), port)
        msgs.append("PRIVMSG %s :%s%s%s\r\n" % (args.peer, CTCP, text, CTCP))
    irc.wait_online(args.peer)
    wire = "".join(msgs)
    if args.split:
        at = args.split_at
        if at is None:  # inside the first address: the hardest place for a helper
            at = msgs[0].index(" " + announce(addr) + " ") + 1 + len(announce(addr)) // 2
        irc.send(wire[:at])
        time.sleep(args.pause)
        irc.send(wire[at:])
    elif args.apart:
        for i, m in enumerate(msgs):
            if i:
                time.sleep(args.pause)
            irc.send(m)
    else:
        irc.send(wire)
    ok = 0
    for ls in listeners:
        ls.settimeout(dl.left())
        conn, peer = ls.accept()
        conn.settimeout(dl.left())
        if args.dcc == "send":
            conn.sendall(data)
            acked = 0
            while acked < len(data):  # DCC SEND: the receiver acks the byte count, 32 bits
                b = b""
                while len(b) < 4:
                    c = conn.recv(4 - len(b))
                    if not c:
                        raise EOFError("receiver closed before acking everything")
                    b += c
                acked = struct.unpack("!I", b)[0]
            log("ok sent %d bytes to %s" % (len(data), peer[0]))
        else:
            conn.sendall(("hello from %s\n" % args.nick).encode())
            got = read_line(conn)
            if got != "hello from %s" % args.peer:
                raise RuntimeError("chat: unexpected line %r" % got)
            log("ok chat with %s" % peer[0])
        conn.close()
        ok += 1
    irc.send("QUIT :done\r\n")
    return ok == args.offers


def read_line(conn):
    b = b""
    while not b.endswith(b"\n"):
        c = conn.recv(1)
        if not c:
            raise EOFError("chat peer closed")
        b += c
        if len(b) > 512:
            raise RuntimeError("chat line too long")
    return b.rstrip(b"\r\n").decode(errors="replace")


DCC_RE = re.compile(r'\x01DCC (SEND|CHAT) ("[^"]*"|\S+) (\S+) (\d+)(?: (\d+))?[^\x01]*\x01')


def dcc_addr(text):
    return str(ipaddress.ip_address(int(text))) if text.isdigit() else text


def receive(args, dl):
    irc = Irc(args, dl)
    irc.register(args.channel)
    offers = []
    while len(offers) < args.offers:
        line = irc.line()
        f = line.split(" ", 3)
        if len(f) < 4 or f[1] != "PRIVMSG" or not f[0].lower().startswith(":" + args.peer.lower() + "!"):
            continue
        offers += DCC_RE.findall(f[3])
    want = open(args.expect_file, "rb").read() if args.expect_file else None
    good = 0
    for kind, name, addr, port, size in offers[:args.offers]:
        host, port = dcc_addr(addr), int(port)
        log("offer %s %s from %s port %d" % (kind, name, host, port))
        conn = socket.create_connection((host, port), timeout=dl.left())
        conn.settimeout(dl.left())
        if kind == "SEND":
            size = int(size or 0)
            got = b""
            while len(got) < size:
                c = conn.recv(65536)
                if not c:
                    break
                got += c
                conn.sendall(struct.pack("!I", len(got) & 0xFFFFFFFF))
            expect = want if want is not None else pattern(size)
            if got != expect:
                log("fail %s: %d bytes arrived, %d expected, equal=%s" %
                    (name, len(got), len(expect), got == expect))
            else:
                log("ok received %s: %d bytes from %s:%d" % (name, len(got), host, port))
                good += 1
        else:
            got = read_line(conn)
            conn.sendall(("hello from %s\n" % args.nick).encode())
            if got == "hello from %s" % args.peer:
                log("ok chat from %s:%d" % (host, port))
                good += 1
            else:
                log("fail chat: unexpected line %r" % got)
        # the offerer closes first (it got its ack or line); wait for that, bounded
        try:
            conn.recv(1)
        except OSError:
            pass
        conn.close()
    irc.send("QUIT :done\r\n")
    return good == args.offers


def main():
    ap = argparse.ArgumentParser(description="IRC DCC offerer / receiver for helper tests")
    ap.add_argument("role", choices=("offer", "receive"))
    ap.add_argument("--server", required=True, help="IRC server address")
    ap.add_argument("--port", type=int, default=6667)
    ap.add_argument("--nick", required=True)
    ap.add_argument("--peer", required=True, help="the other side's nick")
    ap.add_argument("--channel", help="JOIN this channel first")
    ap.add_argument("--dcc", choices=("send", "chat"), default="send")
    ap.add_argument("--offers", type=int, default=1, choices=range(1, 9),
                    help="offers in one write (offer) / offers to take (receive)")
    ap.add_argument("--name", default="test.bin", help="file name announced (spaces: quoted)")
    ap.add_argument("--file", help="offer: send this file's bytes")
    ap.add_argument("--size", type=int, default=65536, help="offer: bytes of the built-in pattern")
    ap.add_argument("--expect-file", help="receive: the bytes must equal this file")
    ap.add_argument("--announce", help="offer: address to announce (default: own address)")
    ap.add_argument("--listen", help="offer: address to listen on (default: own address)")
    ap.add_argument("--listen-port", type=int, metavar="PORT",
                    help="offer: listen on PORT, PORT+1, ... (default: any)")
    ap.add_argument("--split", action="store_true", help="offer: PRIVMSG in two writes")
    ap.add_argument("--apart", action="store_true", help="offer: each offer in its own write")
    ap.add_argument("--split-at", type=int, help="offer: cut after this many bytes")
    ap.add_argument("--pause", type=float, default=0.3, help="offer: seconds between the writes")
    ap.add_argument("--timeout", type=float, default=20.0, help="bound on the whole run")
    args = ap.parse_args()
    dl = Deadline(args.timeout)
    try:
        ok = (offer if args.role == "offer" else receive)(args, dl)
    except (OSError, EOFError, RuntimeError, TimeoutError, ValueError) as e:
        log("fail %s: %s: %s" % (args.role, type(e).__name__, e))
        return 1
    log("%s %s" % ("done" if ok else "fail", args.role))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
