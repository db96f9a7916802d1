#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Judge the results of one run: compare.sh OUTDIR "SERIES/MODE..." PROTO/SCENARIO...
# OUTDIR/SERIES/MODE/results.txt holds "SCENARIO CHECK VALUE" lines written by the guest.  Prints
# one TAP line per check and, last, "vm: N passed, N failed"; exits 1 on any failure.
#   kernel   the oracle: every outcome as with a working helper but the documented kernel gaps
#            (the protocol's PROTO_DIFFERENCES); on another series than the oracle's, every
#            check must also equal the oracle's (a kernel-version difference shows there)
#   none     no helper: every outcome as without a helper, and no expectation exists
#   nfhelper every check equals the oracle's (mode kernel on series NFH_ORACLE, default 6.1),
#            on any series, but for the rows of PROTO_DIFFERENCES (judged against REFERENCE)
set -u
VM=$(cd "$(dirname "$0")" && pwd)
. "$VM/protos.sh"
. "$VM/kernellog.sh"
OUT=$1 BOOTS=$2; shift 2
ORACLE=${NFH_ORACLE:-6.1}/kernel

declare -A R C	# R[BOOT/SCEN/CHECK]=VALUE; C[BOOT/SCEN]="CHECK..." in recorded order
for b in $BOOTS $ORACLE; do
	f=$OUT/$b/results.txt
	[ -e "$f" ] || continue
	[ -n "${C[$b/_read]-}" ] && continue
	C[$b/_read]=1
	while read -r s c v; do
		[ -n "${R[$b/$s/$c]+x}" ] || C[$b/$s]="${C[$b/$s]-} $c"
		R[$b/$s/$c]=$v
	done < "$f"
done
N=0 PASS=0 FAIL=0
check() {	# check OK(0|1) DESCRIPTION
	N=$((N + 1))
	if [ "$1" = 0 ]; then PASS=$((PASS + 1)); echo "ok $N - $2"; else FAIL=$((FAIL + 1)); echo "not ok $N - $2"; fi
}
# expect BOOT SCEN CHECK WANT [NOTE]: the recorded value must equal WANT.
expect() {
	local got=${R[$1/$2/$3]-(no result: see $OUT/$1/$2.log)}
	[ -e "$OUT/$1/not-booted" ] && got="(not booted: $(cat "$OUT/$1/not-booted"))"
	if [ "$got" = "$4" ]; then check 0 "$1 $2 $3: $got${5:+ # $5}"
	else check 1 "$1 $2 $3: got '$got', want '$4'${5:+ # $5}"; fi
}
# same BOOT SCEN REFBOOT REFSCEN [NOTE]: every check REFBOOT recorded for REFSCEN (and every one
# BOOT recorded for SCEN) must be equal, but setup and helper (judged on their own).
same() {
	local c want
	[ -n "${C[$3/$4]-}" ] || { check 1 "$1 $2: no result of $3 for $4 to compare with (run $3 too)"; return; }
	for c in $(echo ${C[$3/$4]-} ${C[$1/$2]-} | tr ' ' '\n' | awk '!seen[$0]++'); do
		case $c in setup|helper) continue ;; esac
		want=${R[$3/$4/$c]-MISSING}
		[ "$want" = MISSING ] && { check 1 "$1 $2 $c: $3 recorded no $c for $4"; continue; }
		expect "$1" "$2" "$c" "$want" "${5:-}"
	done
}

# kernel_log BOOT: the guest's kernel logged nothing of NFH_KERNEL_LOG_BAD, in the log it saved
# at the end (dmesg.txt: warnings) or on the console (an oops or panic ends the boot early).
kernel_log() {
	local o=$OUT/$1 bad
	[ -e "$o/not-booted" ] && return
	if [ ! -e "$o/dmesg.txt" ]; then
		bad=$(grep -a -m1 -E "$NFH_KERNEL_LOG_BAD" "$o/console.log" 2>/dev/null | tr -d '\r')
		check 1 "$1 kernel log: the guest saved none${bad:+; console: $bad} (see $o/console.log)"
		return
	fi
	bad=$(cat "$o/dmesg.txt" "$o/console.log" 2>/dev/null | grep -a -m1 -E "$NFH_KERNEL_LOG_BAD" | tr -d '\r')
	check "$([ -z "$bad" ]; echo $?)" "$1 kernel log clean${bad:+: $bad}"
}

PROTOS=$(for s in "$@"; do echo "${s%%/*}"; done | awk '!seen[$0]++')
for b in $BOOTS; do
	kernel_log "$b"
	m=${b#*/}
	[ "$m" = nfhelper ] && expect "$b" _errors badproto ok
	for p in $PROTOS; do
		proto_load "$p" || exit 2
		want=-; [ "$m" = kernel ] && want=$(echo "$PROTO_ORACLE_MODULES" | tr ' ' '\n' | sort | paste -sd ' ')
		# A protocol may load in-tree modules beside nfhelper on purpose (SIP: nf_nat_sip's expectfn).
		[ "$m" = nfhelper ] && [ -n "$PROTO_NFHELPER_MODULES" ] &&
			want=$(echo "$PROTO_NFHELPER_MODULES" | tr ' ' '\n' | sort | paste -sd ' ')
		expect "$b" _boot "$p/modules" "$want"
		# The errors a user can meet (errors.sh): one line saying what to do, and the exit status.
		case $m in
		none) errs="nocthelper $PROTO_ERRORS_NONE" ;;
		kernel) errs=$PROTO_ERRORS_KERNEL ;;
		nfhelper) errs="badopt badvalue nocap busy unregister $PROTO_ERRORS_NFHELPER" ;;
		esac
		for e in $errs; do expect "$b" _errors "$p/$e" ok; done
	done
done
for p in $PROTOS; do
	proto_load "$p" || exit 2
	for s in "$@"; do
		[ "${s%%/*}" = "$p" ] || continue
		read -r o with without <<< "$(proto_outcome "${s#*/}")"
		ref=$(proto_reference "$s")
		for b in $BOOTS; do
			m=${b#*/}
			expect "$b" "$s" setup ok
			case $m in
			kernel)
				if [ -n "$ref" ]; then expect "$b" "$s" "$o" "$without" "documented kernel gap"
				else expect "$b" "$s" "$o" "$with"; fi
				[ "$b" = "$ORACLE" ] || same "$b" "$s" "$ORACLE" "$s" "kernel-version difference?" ;;
			none)
				expect "$b" "$s" "$o" "$without" "no helper"
				expect "$b" "$s" exp - ;;
			nfhelper)
				expect "$b" "$s" helper ok
				note=
				[ -n "$ref" ] && note="nfhelper better: kernel fails here; must equal kernel $ref"
				same "$b" "$s" "$ORACLE" "${ref:-$s}" "$note" ;;
			esac
		done
	done
done
echo "vm: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
