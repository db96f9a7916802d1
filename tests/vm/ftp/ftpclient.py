#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# A tiny active-mode FTP client on plain sockets, for the segmentations curl never produces.
#   split:  "PORT a,b,c,d," and "p1,p2\r\n" in two TCP segments, 300 ms apart
#   nagle:  the same two writes with Nagle on (most real clients): the second waits for the
#           first one's acknowledgement, so a helper that holds the whole first part stalls
#   multi:  "TYPE I\r\nPORT ...\r\n" in one segment
#   bounce: PORT naming a third host; waits for SYNC/go so the harness can probe the firewall
#   kill:   one transfer, SYNC/t1done, wait for SYNC/go (helper restarted), a second transfer
#   hold:   PORT, SYNC/ported, wait for SYNC/go (another client used the same port), RETR
#   port:   one plain transfer
# Prints "xfer ok" or "xfer fail: reason" per transfer; exit status 0 only when all were ok.
import os, select, socket, sys, time

class Lines:
    # Unbuffered beyond what is parsed, so select() on the socket tells whether a reply waits.
    def __init__(self, sock):
        self.sock, self.buf = sock, b""
    def readline(self):
        while b"\n" not in self.buf:
            b = self.sock.recv(4096)
            if not b:
                raise EOFError("control connection closed")
            self.buf += b
        line, self.buf = self.buf.split(b"\n", 1)
        return line + b"\n"
    def pending(self):
        return bool(self.buf)

def reply(f):
    # A reply ends with a line "NNN " (multi-line replies start with "NNN-").
    while True:
        line = f.readline()
        sys.stderr.write("< " + line.decode(errors="replace"))
        if len(line) >= 4 and line[:3].isdigit() and line[3:4] == b" ":
            return int(line[:3])

def send(ctl, *parts, pause=0.0):
    for i, p in enumerate(parts):
        if i:
            time.sleep(pause)
        sys.stderr.write("> " + p.replace("\r\n", "\\r\\n") + "\n")
        ctl.sendall(p.encode())

def port_arg(addr, port):
    return "%s,%d,%d" % (addr.replace(".", ","), port >> 8, port & 255)

def transfer(ctl, f, local, port, how, expect):
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((local, port))
    lst.listen(1)
    arg = port_arg(local, port)
    if how in ("split", "nagle"):
        head, tail = arg.rsplit(",", 2)[0] + ",", ",".join(arg.rsplit(",", 2)[1:])
        send(ctl, "PORT " + head, tail + "\r\n", pause=0.3)
    elif how == "multi":
        send(ctl, "TYPE I\r\nPORT " + arg + "\r\n")
        reply(f)
    else:
        send(ctl, "PORT " + arg + "\r\n")
    code = reply(f)
    if how == "hold":
        # Keep the expectation pending while the harness makes another client announce the
        # same port: under NAT both map to the router's address, so one must be moved.
        open(os.path.join(sys.argv[6], "ported"), "w").close()
        wait_file(os.path.join(sys.argv[6], "go"), 20)
    if code != 200:
        return "PORT refused"
    send(ctl, "RETR data.bin\r\n")
    # vsftpd connects, then sends 150; a reply first (425 after its connect_timeout) is a failure.
    ready = [] if f.pending() else select.select([lst, ctl], [], [], 10)[0]
    if lst not in ready:
        return "no data connection (reply %s)" % (reply(f) if ready or f.pending() else "none")
    data, _ = lst.accept()
    lst.close()
    return receive(data, f, expect)

def receive(data, f, expect):
    # The file on an open data connection, then the server's 150/226: "ok" or what failed.
    data.settimeout(10)
    got = bytearray()
    while True:
        b = data.recv(65536)
        if not b:
            break
        got += b
    data.close()
    code = reply(f)
    if code == 150:
        code = reply(f)
    if code != 226:
        return "transfer reply %d" % code
    return "ok" if got == expect else "data differs (%d bytes)" % len(got)

def wait_file(path, secs):
    for _ in range(int(secs * 10)):
        if os.path.exists(path):
            return True
        time.sleep(0.1)
    return False

def login(server, local, timeout, nodelay):
    # An anonymous session on server:21 from address local: the control socket and its reader.
    ctl = socket.create_connection((server, 21), timeout=timeout, source_address=(local, 0))
    ctl.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1 if nodelay else 0)
    f = Lines(ctl)
    reply(f)
    send(ctl, "USER anonymous\r\n")
    if reply(f) == 331:
        send(ctl, "PASS nfhelper@\r\n")
        reply(f)
    return ctl, f

def main():
    mode, server, local, port, served, sync = sys.argv[1:7]
    port = int(port)
    expect = open(served, "rb").read()
    ctl, f = login(server, local, 8, mode != "nagle")
    results = []
    if mode == "bounce":
        third = sys.argv[7]
        send(ctl, "TYPE I\r\n")
        reply(f)
        send(ctl, "PORT " + port_arg(third, port) + "\r\n")
        reply(f)
        open(os.path.join(sync, "ported"), "w").close()
        wait_file(os.path.join(sync, "go"), 20)
    else:
        if mode != "multi":
            send(ctl, "TYPE I\r\n")
            reply(f)
        results.append(transfer(ctl, f, local, port, mode, expect))
        if mode == "kill":
            open(os.path.join(sync, "t1done"), "w").close()
            if not wait_file(os.path.join(sync, "go"), 30):
                results.append("no go from the harness")
            else:
                results.append(transfer(ctl, f, local, port + 1, "port", expect))
    send(ctl, "QUIT\r\n")
    try:
        reply(f)
    except (EOFError, OSError):
        pass
    for r in results:
        print("xfer " + r if r == "ok" else "xfer fail: " + r)
    sys.exit(0 if results and all(r == "ok" for r in results) else 1)

if __name__ == "__main__":
    try:
        main()
    except (OSError, EOFError) as e:
        print("xfer fail: %s" % e)
        sys.exit(1)
