#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# One FTP control connection held open across something the harness does to nfhelper@ftp
# (tests/vm/systemd/check.sh): session.py SERVER LOCAL SERVED SYNC
#   1. an active transfer (PORT from port 40001), then SYNC/before, and wait for SYNC/during
#   2. NOOP, an active and a passive transfer (what a user gets meanwhile), SYNC/tried, and
#      wait for SYNC/after
#   3. an active, a passive and an active transfer on the same control connection
# Prints one line a step: "PHASE WHAT RESULT" (RESULT "ok", a reply code or the failure).
# Reuses ftpclient.py's active transfer and reply reader (tests/vm/ftp, copied beside it).
import os, re, socket, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "ftp"))
from ftpclient import login, receive, reply, send, transfer, wait_file

def passive(ctl, f, expect):
    # PASV, then the data connection to the address and port the 227 names, bounded at 4 s:
    # without a helper the router's forward chain drops it (not related), so it times out.
    send(ctl, "PASV\r\n")
    line = b""
    while True:
        line = f.readline()
        sys.stderr.write("< " + line.decode(errors="replace"))
        if line[:3].isdigit() and line[3:4] == b" ":
            break
    if not line.startswith(b"227"):
        return "PASV reply " + line[:3].decode()
    m = re.search(rb"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)", line)
    if not m:
        return "227 unreadable"
    n = [int(x) for x in m.groups()]
    try:
        data = socket.create_connection(("%d.%d.%d.%d" % tuple(n[:4]), n[4] * 256 + n[5]), timeout=4)
    except OSError as e:
        return "no data connection (%s)" % (e.strerror or e)
    send(ctl, "RETR data.bin\r\n")
    return receive(data, f, expect)

def main():
    server, local, served, sync = sys.argv[1:5]
    expect = open(served, "rb").read()
    ctl, f = login(server, local, 12, True)
    send(ctl, "TYPE I\r\n")
    reply(f)
    print("before port", transfer(ctl, f, local, 40001, "port", expect), flush=True)
    open(os.path.join(sync, "before"), "w").close()
    if not wait_file(os.path.join(sync, "during"), 40):
        print("during go none", flush=True)
        return 1
    send(ctl, "NOOP\r\n")
    print("during noop", reply(f), flush=True)
    print("during port", transfer(ctl, f, local, 40002, "port", expect), flush=True)
    print("during pasv", passive(ctl, f, expect), flush=True)
    open(os.path.join(sync, "tried"), "w").close()
    if not wait_file(os.path.join(sync, "after"), 40):
        print("after go none", flush=True)
        return 1
    print("after port", transfer(ctl, f, local, 40003, "port", expect), flush=True)
    print("after pasv", passive(ctl, f, expect), flush=True)
    print("after port2", transfer(ctl, f, local, 40004, "port", expect), flush=True)
    send(ctl, "QUIT\r\n")
    return 0

if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, EOFError) as e:
        print("error", "-", e, flush=True)
        sys.exit(1)
