#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# loopback.sh: the DCC peers against a real ngircd on this host's loopback, no firewall, no
# helper: proves the pair itself works before a scenario puts a NAT between them.
#   loopback.sh [PORT]     (default 16667; run as root or not; needs ngircd and python3)
# One "loopback: ok|FAIL <case>" line per case; exit status 0 only if every case passed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
port=${1:-16667}
work=$(mktemp -d /tmp/dcc-loopback.XXXXXX)
chmod 755 "$work"
"$here/ircd.sh" --daemon 120 "$work/ircd" 127.0.0.1,::1 "$port" || exit 1
trap 'kill "$(cat "$work/ircd/ngircd.pid")" 2>/dev/null; rm -rf "$work"' EXIT
head -c 300000 /dev/urandom > "$work/blob"
fail=0 n=0

# pair [!] NAME SERVER "RECEIVER-ARGS" OFFER-ARGS...: both peers, receiver started first;
# with "!" the pair must fail (the exit status must say so).
pair() {
	local want=0 name server rargs r rc=0
	[ "$1" = ! ] && { want=1; shift; }
	name=$1 server=$2 rargs=$3
	shift 3
	n=$((n + 1))
	# shellcheck disable=SC2086
	timeout 30 python3 "$here/dccpeer.py" receive --server "$server" --port "$port" \
		--nick rcv$n --peer off$n $rargs > "$work/$n.rcv" 2>&1 &
	r=$!
	timeout 30 python3 "$here/dccpeer.py" offer --server "$server" --port "$port" \
		--nick off$n --peer rcv$n "$@" > "$work/$n.off" 2>&1 || rc=1
	wait $r || rc=1
	if [ $rc = $want ]; then
		echo "loopback: ok $name"
	else
		echo "loopback: FAIL $name"
		sed 's/^/    off: /' "$work/$n.off" | tail -5
		sed 's/^/    rcv: /' "$work/$n.rcv" | tail -5
		fail=1
	fi
}

pair "v4 send" 127.0.0.1 "" --dcc send --size 100000
pair "v4 send file, channel" 127.0.0.1 "--expect-file $work/blob --channel #dcc" \
	--dcc send --file "$work/blob" --channel '#dcc'
pair "v4 chat" 127.0.0.1 "" --dcc chat
pair "v4 send quoted name" 127.0.0.1 "" --dcc send --name "a b.txt"
pair "v4 send split" 127.0.0.1 "" --dcc send --split --pause 0.5
pair "v4 two offers, one write" 127.0.0.1 "--offers 2" --dcc send --offers 2
pair "v4 two offers, two writes, fixed ports" 127.0.0.1 "--offers 2" --dcc send --offers 2 --apart \
	--listen-port $((port + 100))
pair "v6 send" ::1 "" --dcc send --size 100000
pair "v6 chat" ::1 "" --dcc chat
pair "v6 chat split" ::1 "" --dcc chat --split
pair "v6 two chats, one write" ::1 "--offers 2" --dcc chat --offers 2
# the peers' own failure path: an announced address nobody listens on must fail both
pair ! "v4 wrong address announced: fails" 127.0.0.1 "--timeout 8" --dcc send --announce 127.0.0.2 \
	--timeout 8
echo "loopback: $n cases, $([ $fail = 0 ] && echo all passed || echo FAILURES)"
exit $fail
