#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ircd.sh: one ngircd (RFC 2812 server) for DCC tests, its config written into a work folder.
#   ircd.sh [--daemon SECONDS] DIR ADDR[,ADDR...] [PORT]
# ADDR: IPv4 and/or IPv6 addresses to listen on (e.g. 127.0.0.1,::1); PORT defaults to 6667.
# Foreground (default): exec ngircd -n, logging to stderr; the caller kills it.
# --daemon S: start it in the background, bounded by timeout(1) to S seconds, write
#   DIR/ngircd.pid (the timeout wrapper's pid: kill it to stop both), wait up to 5 s for every
#   address to accept connections; exit 0 when it does, 1 (with the log's tail) otherwise.
# Run as root, ngircd drops to nobody (ServerUID; it refuses to keep uid 0 without one) after
# binding; run unprivileged it stays that user (PORT must then be >= 1024).  No PAM, no DNS
# or ident lookups, no system include folder, CTCP relayed unscrubbed (DCC is CTCP).
set -eu
daemon=""
if [ "${1:-}" = --daemon ]; then
	daemon=$2
	shift 2
fi
[ $# -ge 2 ] || { sed -n '3,12s/^# \{0,1\}//p' "$0" >&2; exit 2; }
dir=$1 addrs=$2 port=${3:-6667}
mkdir -p "$dir/conf.d"
dir=$(cd "$dir" && pwd)
conf=$dir/ngircd.conf
uid=$(id -u)
{
	echo "[Global]"
	echo "	Name = irc.test"
	echo "	Info = nfhelper DCC test server"
	echo "	Listen = $addrs"
	echo "	Ports = $port"
	echo "	MotdPhrase = test"
	echo "	AdminInfo1 = nfhelper tests"
	echo "	AdminInfo2 = loopback"
	echo "	AdminEMail = root@localhost"
	if [ "$uid" = 0 ]; then
		echo "	ServerUID = nobody"
		echo "	ServerGID = nogroup"
	fi
	echo "[Limits]"
	echo "	PingTimeout = 120"
	echo "	PongTimeout = 20"
	echo "	MaxConnectionsIP = 0"
	echo "[Options]"
	echo "	PAM = no"
	echo "	DNS = no"
	echo "	Ident = no"
	echo "	ScrubCTCP = no"
	echo "	IncludeDir = $dir/conf.d"
	echo "	OperCanUseMode = yes"
	echo "[Server]"
} > "$conf"
ngircd --configtest -f "$conf" > "$dir/configtest.log" 2>&1 ||
	{ cat "$dir/configtest.log" >&2; exit 1; }

if [ -z "$daemon" ]; then
	exec ngircd -n -f "$conf"
fi

timeout "$daemon" ngircd -n -f "$conf" > "$dir/ngircd.log" 2>&1 &
echo $! > "$dir/ngircd.pid"
# bounded readiness wait: every address must accept a TCP connection
for _ in $(seq 50); do
	ok=1
	for a in ${addrs//,/ }; do
		python3 - "$a" "$port" <<'PY' 2>/dev/null || ok=0
import socket, sys
a, p = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET)
s.settimeout(1)
s.connect((a, p))
PY
	done
	[ $ok = 1 ] && { echo "ircd.sh: ngircd pid $(cat "$dir/ngircd.pid") on $addrs port $port"; exit 0; }
	kill -0 "$(cat "$dir/ngircd.pid")" 2>/dev/null || break
	sleep 0.1
done
echo "ircd.sh: ngircd did not come up on $addrs port $port" >&2
tail -20 "$dir/ngircd.log" >&2
exit 1
