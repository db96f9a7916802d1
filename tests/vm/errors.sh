#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side: the errors a user can meet, each a one-line message and an exit status, as this
# boot's kernel allows provoking them.  Appends "_errors CHECK ok|fail: why" to results.txt.
#   none:     nfnetlink_cthelper absent (not loaded, autoload refused)
#   kernel:   name clash with the loaded nf_conntrack_ftp
#   nfhelper: queue busy, no CAP_NET_ADMIN, bad options, --unregister
set -u
VM=$(cd "$(dirname "$0")" && pwd)
. "$VM/topo.sh"
W=/tmp/errors
mkdir -p "$W"
record() { echo "_errors $1 $2" >> "$NFH_OUT/results.txt"; echo "NFH-RESULT $NFH_MODE _errors $1 $2"; }

# check NAME STATUS PATTERN CMD...: CMD must exit STATUS with one stderr line matching PATTERN.
check() {
	local name=$1 want=$2 pat=$3 rc lines; shift 3
	T 10 "$@" > "$W/$name.out" 2> "$W/$name.err"; rc=$?
	lines=$(wc -l < "$W/$name.err")
	if [ "$rc" = "$want" ] && [ "$lines" = 1 ] && grep -q -- "$pat" "$W/$name.err"; then
		record "$name" ok
	else
		record "$name" "fail: exit $rc, $lines lines: $(head -c 300 "$W/$name.err" | tr '\n' ' ')"
	fi
}

case $NFH_MODE in
none)
	check nocthelper 1 "lacks nfnetlink_cthelper.*modprobe nfnetlink_cthelper" "$NFH_BIN" ftp ;;
kernel)
	check clash 1 "kernel's own helper.*modprobe -r nf_nat_ftp nf_conntrack_ftp" "$NFH_BIN" ftp ;;
nfhelper)
	check badopt 2 "unknown option '--bogus'" "$NFH_BIN" ftp --bogus
	check badvalue 2 "bad value '70000' for --queue" "$NFH_BIN" ftp --queue 70000
	check badproto 2 "unknown protocol 'gopher'" "$NFH_BIN" gopher
	check nocap 1 "permission denied; run as root or with CAP_NET_ADMIN" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$NFH_BIN" ftp
	"$NFH_BIN" ftp > "$W/first.log" 2>&1 &
	first=$!
	wait_for 10 grep -q ready "$W/first.log" || record busy "fail: the first nfhelper never got ready"
	check busy 1 "another process holds queue 21.*--queue" "$NFH_BIN" ftp --name ftp2
	kill -TERM "$first"; wait "$first"
	# Registration outlives the process (by design); --unregister removes it, twice is fine.
	check unregister 0 "" bash -c "'$NFH_BIN' ftp --unregister && '$NFH_BIN' ftp --unregister && echo done >&2" ;;
esac
cp -r "$W" "$NFH_OUT/_errors"
exit 0
