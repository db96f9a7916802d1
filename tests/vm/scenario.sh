#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side: run one scenario (tests/vm/scenarios.sh) in fresh network namespaces and append its
# checks to $NFH_OUT/results.txt as "SCENARIO CHECK VALUE".  Usage: scenario.sh NAME [LABEL]
#   setup  ok|STEP      topology, helper start, ruleset and vsftpd all worked (else the failed step)
#   xfer   ok|fail      downloaded bytes equal the served file (kill: both transfers)
#   leak   yes|no       bounce only: the server reached the third host through the router
#   cmd    ...          the data-connection commands vsftpd received (NAT rewriting shows here)
#   reply  ...          passive only: the 227/229 reply the client saw
#   exp    ...          expectations created in the router (normalised NEW events)
#   helper ok|fail      mode nfhelper only: ready, (restarted,) and a clean exit on SIGTERM
set -u
# Trace with timestamps into the scenario log: where the time went is the first question asked.
PS4='+ ${EPOCHREALTIME:-} '
set -x
VM=$(cd "$(dirname "$0")" && pwd)
. "$VM/topo.sh"
. "$VM/scenarios.sh"
S=$1 L=${2:-$1}	# L: the name results and logs go under (the demo runs one scenario twice)
# shellcheck disable=SC2046 # the table row, split into its fields on purpose
set -- $(scenario_table | awk -v s="$S" '$1 == s')
[ $# -ge 5 ] || { echo "unknown scenario $S" >&2; exit 2; }
FAM=$2 NAT=$3 KIND=$4 OPT=$5
W=/tmp/sc/$L
mkdir -p "$W"
SERVED=/tmp/ftproot/data.bin
if [ "$FAM" = 4 ]; then SRV=10.0.2.2 CLI=10.0.1.2 URLHOST=10.0.2.2
else SRV=fd00:2::2 CLI=fd00:1::2 URLHOST="[fd00:2::2]"; fi
HELPER_OK=ok
record() { echo "$L $1 $2" >> "$NFH_OUT/results.txt"; echo "NFH-RESULT $NFH_MODE $L $1 $2"; }

run_curl() {
	local o=(-g -sS -v --max-time 20 --connect-timeout 5 -o "$W/got.bin")
	if [ "$KIND" = active ]; then
		[ "$FAM" = 4 ] && o+=(-P "$CLI:40001") || o+=(-P "[$CLI]:40001")
	else
		o+=(--ftp-pasv)
	fi
	[ "$OPT" = - ] || o+=("$OPT")
	T 30 ip netns exec client curl "${o[@]}" "ftp://$URLHOST/data.bin" 2> "$W/client.log"
	cmp -s "$W/got.bin" "$SERVED" && XFER=ok || XFER=fail
}

run_py() {
	ip netns exec client timeout -k 2 60 /usr/bin/python3 "$VM/ftpclient.py" "$OPT" "$SRV" "$CLI" \
		"$([ "$OPT" = bounce ] && echo 40003 || echo 40001)" "$SERVED" "$W" 10.0.3.2 \
		> "$W/client.out" 2> "$W/client.log" &
	local py=$!
	case $OPT in
	bounce)
		ip netns exec third busybox nc -l -p 40003 > /dev/null 2>&1 &
		# Not listening would answer RST, and a refused probe would read as "blocked".
		wait_for 5 listening third 40003 || setup_fail bounce-target-not-listening
		wait_for 20 test -e "$W/ported" || setup_fail client-sent-no-port
		# Play the server obeying the bounce: the router must not let this connection through.
		T 2 ip netns exec server bash -c 'exec 3<>/dev/tcp/10.0.3.2/40003' 2>/dev/null && LEAK=yes || LEAK=no
		touch "$W/go" ;;
	hold)
		# A second client behind the same NAT announces the same port while the first one's
		# expectation is pending: nf_nat_ftp (and nfhelper) must give it another port.
		wait_for 20 test -e "$W/ported" || setup_fail client-sent-no-port
		mkdir -p "$W/b"
		ip netns exec client timeout -k 2 30 /usr/bin/python3 "$VM/ftpclient.py" port "$SRV" 10.0.1.3 \
			40001 "$SERVED" "$W/b" > "$W/client-b.out" 2> "$W/client-b.log"
		local b=$?
		touch "$W/go"
		wait "$py" && [ "$b" = 0 ] && XFER=ok || XFER=fail
		return ;;
	kill)
		wait_for 40 test -e "$W/t1done" || echo "first transfer never finished" >&2
		if [ "$NFH_MODE" = nfhelper ]; then
			kill -KILL "$(cat "$W/helper.pid")"
			wait "$(cat "$W/helper.pid")" 2>/dev/null
			helper_start nfhelper-restarted.log || { echo "nfhelper did not restart" >&2; HELPER_OK=fail; }
		fi
		touch "$W/go" ;;
	esac
	wait "$py" && XFER=ok || XFER=fail
}

# setup: ok, or the first step that failed (the client is then not run: nothing to learn).
SETUP=ok XFER=fail LEAK=no
setup_fail() { [ "$SETUP" != ok ] || SETUP=$1; echo "setup failed: $1" >&2; }
topo_up || setup_fail topology
[ "$OPT" = hold ] && { T 5 ip -n client addr add 10.0.1.3/24 dev c0 || setup_fail second-client; }
if [ "$NFH_MODE" = nfhelper ]; then
	helper_start nfhelper.log || { setup_fail nfhelper-not-ready; HELPER_OK=fail; }
fi
[ "$SETUP" = ok ] && { ruleset "$([ "$NFH_MODE" = none ] && echo 0 || echo 1)" "$NAT" || setup_fail ruleset; }
[ "$SETUP" = ok ] && { vsftpd_start "$FAM" || setup_fail vsftpd; }
expect_watch_start
if [ "$SETUP" = ok ]; then
	case $KIND in active|passive) run_curl ;; py) run_py ;; esac
fi
EXP=$(expect_watch_stop)
CMD=$(vsftpd_commands)
if [ "$OPT" = hold ]; then
	# The port a clash moves to is the kernel's random pick (a hash in nfhelper): compare
	# only that it moved, i.e. write every port other than the announced 40001 as "moved".
	CMD=$(echo "$CMD" | sed 's/,156,65\b/,PORT40001/g; s/,[0-9]*,[0-9]*\(;\|$\)/,moved\1/g; s/,PORT40001/,156,65/g')
	EXP=$(echo "$EXP" | sed 's/dport=40001 /dport=KEEP /g; s/dport=[0-9]* mask/dport=moved mask/g; s/dport=KEEP /dport=40001 /g')
fi
if [ "$NFH_MODE" = nfhelper ]; then
	# The ruleset goes first: it holds a reference to the helper nfhelper may want to delete.
	T 10 ip netns exec router nft flush ruleset
	helper_stop || HELPER_OK=fail
fi

record setup "$SETUP"
if [ "$OPT" = bounce ]; then record leak "$LEAK"; else record xfer "$XFER"; fi
record cmd "${CMD:--}"
if [ "$KIND" = passive ]; then
	REP=$(sed -n 's/^< \(22[79] .*\)/\1/p' "$W/client.log" 2>/dev/null | tr -d '\r' | paste -sd ';')
	record reply "${REP:--}"
fi
record exp "${EXP:--}"
[ "$NFH_MODE" = nfhelper ] && record helper "$HELPER_OK"
topo_down
mkdir -p "$NFH_OUT/$L"
cp -r "$W"/. "$NFH_OUT/$L/" 2>/dev/null
rm -f "$NFH_OUT/$L/got.bin"
exit 0
