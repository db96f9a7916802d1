#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side: the errors a user can meet, each a one-line message and an exit status, as this
# boot's kernel allows provoking them, for every protocol in NFH_PROTOS (its subcommand and
# default queue from its proto.sh), then the protocol's own (proto_errors).  Appends
# "_errors [PROTO/]CHECK ok|fail: why" to results.txt.
#   none:     nfnetlink_cthelper absent (not loaded, autoload refused)        PROTO/nocthelper
#   nfhelper: bad options, no CAP_NET_ADMIN, --user unprivileged, stats of no
#             helper, queue busy, --unregister                              PROTO/...
#             an unknown protocol                                             badproto
#   kernel:   nothing generic (FTP: name clash with the loaded nf_conntrack_ftp)
set -u
VM=$(cd "$(dirname "$0")" && pwd)
. "$VM/topo.sh"
. "$VM/protos.sh"
W=/tmp/errors
mkdir -p "$W"
record() { echo "_errors $1 $2" >> "$NFH_OUT/results.txt"; echo "NFH-RESULT $NFH_MODE _errors $1 $2"; }

# check NAME STATUS PATTERN CMD...: CMD must exit STATUS with one stderr line matching PATTERN.
check() {
	local name=$1 want=$2 pat=$3 rc lines f=$W/${1//\//_}; shift 3
	T 10 "$@" > "$f.out" 2> "$f.err"; rc=$?
	lines=$(wc -l < "$f.err")
	if [ "$rc" = "$want" ] && [ "$lines" = 1 ] && grep -q -- "$pat" "$f.err"; then
		record "$name" ok
	else
		record "$name" "fail: exit $rc, $lines lines: $(head -c 300 "$f.err" | tr '\n' ' ')"
	fi
}

# errors_generic: what every protocol's subcommand must say ($P its name, $C its subcommand).
errors_generic() {
	local first q=$PROTO_QUEUE
	case $NFH_MODE in
	none)
		# A protocol registered through our module (PPTP) says the module is missing instead.
		check "$P/nocthelper" 1 "${PROTO_NOCTHELPER:-lacks nfnetlink_cthelper.*modprobe nfnetlink_cthelper}" \
			"$NFH_BIN" "$C" ;;
	nfhelper)
		check "$P/badopt" 2 "unknown option '--bogus'" "$NFH_BIN" "$C" --bogus
		check "$P/badvalue" 2 "bad value '70000' for --queue" "$NFH_BIN" "$C" --queue 70000
		check "$P/nocap" 1 "permission denied; run as root or with CAP_NET_ADMIN" \
			setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$NFH_BIN" "$C"
		check "$P/usernoroot" 1 "--user needs nfhelper started as root" \
			setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$NFH_BIN" "$C" --user 65534
		check "$P/nostats" 1 "no nfhelper with helper name '$C' runs in this network namespace" \
			"$NFH_BIN" stats "$C"
		"$NFH_BIN" "$C" > "$W/$P-first.log" 2>&1 &
		first=$!
		wait_for 10 grep -q ready "$W/$P-first.log" || record "$P/busy" "fail: the first nfhelper never got ready"
		check "$P/busy" 1 "another process holds queue $q.*--queue" "$NFH_BIN" "$C" --name "${C}2"
		kill -TERM "$first"; wait "$first"
		# Registration outlives the process (by design); --unregister removes it, twice is fine.
		check "$P/unregister" 0 "" bash -c "'$NFH_BIN' $C --unregister && '$NFH_BIN' $C --unregister && echo done >&2" ;;
	esac
}

[ "$NFH_MODE" = nfhelper ] && check badproto 2 "unknown protocol 'gopher'" "$NFH_BIN" gopher
for P in $NFH_PROTOS; do
	proto_load "$P" || continue
	C=$PROTO_NFHELPER
	errors_generic
	proto_errors
done
cp -r "$W" "$NFH_OUT/_errors"
exit 0
