#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Judge the results of one run: compare.sh OUTDIR "MODES" SCENARIO...
# OUTDIR/MODE/results.txt holds "SCENARIO CHECK VALUE" lines written by the guest.  Prints one
# TAP line per check and, last, "vm: N passed, N failed"; exits 1 on any failure.
#   kernel   the oracle: every transfer works but the documented kernel gaps; no bounce leaks
#   none     no helper: every transfer fails and no expectation exists (the tests can fail)
#   nfhelper every check equals kernel's, but for the rows of DIFFERENCES below
set -u

# Deliberate, documented differences: nfhelper must do on SCENARIO what the kernel does on
# REFERENCE (same client, same ports, commands written whole), where the kernel itself fails.
DIFFERENCES="
split-nat  v4-port-nat  kernel drops a segment holding a partial PORT, the command never arrives
split      v4-port      kernel drops a segment holding a partial PORT, the command never arrives
multi-nat  v4-port-nat  kernel matches a command only at the start of a segment
multi      v4-port      kernel matches a command only at the start of a segment
"

diff_ref() { echo "$DIFFERENCES" | awk -v s="$1" '$1 == s { print $2 }'; }
# compare.sh --reference SCENARIO: the kernel scenario nfhelper's SCENARIO is judged against.
[ "$1" = --reference ] && { diff_ref "$2"; exit 0; }
OUT=$1 MODES=$2; shift 2

declare -A R
for m in $MODES kernel; do
	f=$OUT/$m/results.txt
	[ -e "$f" ] || continue
	while read -r s c v; do R[$m/$s/$c]=$v; done < "$f"
done
N=0 PASS=0 FAIL=0
check() {	# check OK(0|1) DESCRIPTION
	N=$((N + 1))
	if [ "$1" = 0 ]; then PASS=$((PASS + 1)); echo "ok $N - $2"; else FAIL=$((FAIL + 1)); echo "not ok $N - $2"; fi
}
# expect MODE SCEN CHECK WANT [NOTE]: the recorded value must equal WANT.
expect() {
	local got=${R[$1/$2/$3]-(no result: see $OUT/$1/$2.log)}
	[ -e "$OUT/$1/not-booted" ] && got="(not booted: $(cat "$OUT/$1/not-booted"))"
	if [ "$got" = "$4" ]; then check 0 "$1 $2 $3: $got${5:+ # $5}"
	else check 1 "$1 $2 $3: got '$got', want '$4'${5:+ # $5}"; fi
}
kernel_gap() { [ -n "$(diff_ref "$1")" ]; }
outcome() { case $1 in bounce*) echo leak ;; *) echo xfer ;; esac; }

for m in $MODES; do
	[ "$m" = kernel ] && want="nf_conntrack_ftp nf_nat_ftp" || want=-
	expect "$m" _boot ftp-modules "$want"
	# The errors a user can meet (errors.sh): one line saying what to do, and the exit status.
	case $m in
	none) errs=nocthelper ;;
	kernel) errs=clash ;;
	nfhelper) errs="badopt badvalue badproto nocap busy unregister" ;;
	esac
	for e in $errs; do expect "$m" _errors "$e" ok; done
done
for s in "$@"; do
	o=$(outcome "$s")
	for m in $MODES; do
		expect "$m" "$s" setup ok
		case $m in
		kernel)
			if [ "$o" = leak ]; then expect kernel "$s" leak no
			elif kernel_gap "$s"; then expect kernel "$s" xfer fail "documented kernel gap"
			else expect kernel "$s" xfer ok; fi ;;
		none)
			if [ "$o" = leak ]; then expect none "$s" leak no
			else expect none "$s" xfer fail "no helper, no transfer"; fi
			expect none "$s" exp - ;;
		nfhelper)
			expect nfhelper "$s" helper ok
			ref=$(diff_ref "$s") note=
			[ -n "$ref" ] && note="nfhelper better: kernel fails here; must equal kernel $ref"
			[ "$o" = leak ] && expect nfhelper "$s" leak no
			for c in xfer cmd reply exp; do
				[ "$c" = xfer ] && [ "$o" = leak ] && continue
				want=${R[kernel/${ref:-$s}/$c]-MISSING}
				[ "$c" = reply ] && [ "$want" = MISSING ] && continue	# active: no reply recorded
				[ "$want" = MISSING ] && { check 1 "nfhelper $s $c: no kernel result for ${ref:-$s} to compare with (run mode kernel too)"; continue; }
				expect nfhelper "$s" "$c" "$want" "$note"
			done ;;
		esac
	done
done
echo "vm: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
