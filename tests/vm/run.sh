#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end tests in QEMU guests: tests/vm/run.sh [PROTO | PROTO/SCENARIO ...]   (none: all)
# One boot per kernel series and mode, every scenario of every protocol asked for inside it, each
# in fresh network namespaces; then compare.sh judges.  Which boots:
#   KERNELS / MODES unset: what CI runs: 6.1 in modes nfhelper, kernel, none; 6.12 in nfhelper
#   either set: every series of KERNELS (default "6.1 6.12") in every mode of MODES
#               (default "nfhelper kernel none"), e.g. KERNELS=6.12 MODES="nfhelper kernel"
#   NFH_BOOTS="6.1/none 6.12/nfhelper": exactly those boots
# nfhelper is judged against mode kernel on 6.1 (NFH_ORACLE), kept from an earlier run when this
# one does not boot it.  Logs: build/vm/out/SERIES/MODE/{console.log,times.txt,PROTO/SCENARIO.log,
# PROTO/SCENARIO/}.  NFH_JOBS guests boot at once (default: the number of CPUs), one vCPU each:
# a TCG guest is mostly one busy thread, and overcommitted multi-vCPU guests spin on each other's
# locks.
set -eu
VM=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$VM/../.." && pwd)
OUT=$ROOT/build/vm/out
. "$VM/kernel.sh"
. "$VM/protos.sh"
JOBS=${NFH_JOBS:-$(nproc)}
ORACLE=${NFH_ORACLE:-6.1}

if [ -n "${NFH_BOOTS:-}" ]; then
	BOOTS=$NFH_BOOTS
elif [ -z "${KERNELS:-}" ] && [ -z "${MODES:-}" ]; then
	BOOTS="6.1/kernel 6.1/nfhelper 6.1/none 6.12/nfhelper"
else
	BOOTS=
	for k in ${KERNELS:-$VM_KERNELS_ALL}; do
		for m in ${MODES:-nfhelper kernel none}; do BOOTS="$BOOTS $k/$m"; done
	done
fi
for b in $BOOTS; do
	case ${b#*/} in nfhelper|kernel|none) ;; *) echo "unknown mode '${b#*/}' (nfhelper, kernel, none)" >&2; exit 2 ;; esac
	case " $VM_KERNELS_ALL " in *" ${b%/*} "*) ;; *) echo "unknown kernel series '${b%/*}' ($VM_KERNELS_ALL)" >&2; exit 2 ;; esac
done

ALL=$(scenarios_all | tr '\n' ' ')
SCEN=
# shellcheck disable=SC2046 # the protocol names, one word each
[ $# -gt 0 ] || set -- $(protos_all)
for a in "$@"; do
	case $a in
	*/*) case " $ALL " in *" $a "*) SCEN="$SCEN $a" ;; *) echo "unknown scenario '$a'; known: $ALL" >&2; exit 2 ;; esac ;;
	*) SCEN="$SCEN $(proto_scenario_names "$a" | tr '\n' ' ')" || exit 2 ;;
	esac
done
SCEN=$(echo $SCEN)
[ -n "$SCEN" ] || { echo "no scenario to run" >&2; exit 2; }

mkdir -p "$OUT"
# Engineers share this work tree: one run at a time, or their results would mix.
exec 9> "$ROOT/build/vm/.lock"
flock -w 900 9 || { echo "cannot lock $ROOT/build/vm/.lock: another run.sh holds it" >&2; exit 1; }
# Kernels and initramfs once, before boots run side by side.
for k in $(for b in $BOOTS; do echo "${b%/*}"; done | awk '!seen[$0]++'); do
	echo "# kernel $k: $("$VM/initramfs.sh" "$k" "$ROOT/build/vm/kernel/$k")"
done
# A snapshot, so a rebuild of build/nfhelper during the run cannot change the binary under test.
BIN=${NFH_BIN:-$ROOT/build/nfhelper}
[ ! -x "$BIN" ] || cp "$BIN" "$ROOT/build/vm/nfhelper.tested"

# nfhelper rows are judged against the oracle's; a documented difference against another scenario.
kscen=$SCEN
case " $BOOTS " in *" "*/nfhelper" "*)
	for s in $SCEN; do
		ref=$(proto_reference "$s")
		[ -z "$ref" ] || case " $kscen " in *" $ref "*) ;; *) kscen="$kscen $ref" ;; esac
	done
	case " $BOOTS " in *" $ORACLE/kernel "*) ;; *)
		echo "# $ORACLE/kernel not booted: comparing with the kept results in $OUT/$ORACLE/kernel" ;;
	esac ;;
esac

start=$(date +%s)
boot() {	# boot SERIES/MODE SCENARIO...: bounded at 35 s a scenario on average (4-15 on a quiet machine, twice that on a loaded one) on top of the boot
	local b=$1 t0; shift
	local o=$OUT/$b
	t0=$(date +%s)
	if [ "${b#*/}" = nfhelper ] && [ ! -x "$BIN" ]; then
		rm -rf "${o:?}"; mkdir -p "$o"
		echo "$BIN does not exist (./build.sh all)" > "$o/not-booted"
		echo "# $b: not booted: $(cat "$o/not-booted")"
		return 0
	fi
	NFH_BIN=$ROOT/build/vm/nfhelper.tested NFH_SMP=${NFH_SMP:-1} NFH_BOOT_LIMIT=$((90 + 35 * $#)) \
		"$VM/boot.sh" "${b%/*}" "${b#*/}" "$o" "$VM/guest.sh" "$@" || echo "# $b: qemu exited $? (timeout or crash)"
	[ -e "$o/done" ] || echo "# $b: guest did not finish; see $o/console.log"
	echo "# $b: $# scenarios in $(($(date +%s) - t0)) s ($(times_summary "$o/times.txt"))"
}
# times_summary FILE: the guest's phases, the time per protocol and the slowest scenario.
times_summary() {
	awk '$1 ~ /^_/ { printf "%s %.0f s, ", substr($1, 2), $2; next }
		{ split($1, a, "/"); p[a[1]] += $2; if ($2 > max) { max = $2; slow = $1 } }
		END { for (k in p) printf "%s %.0f s, ", k, p[k]; if (slow != "") printf "slowest %s %.1f s", slow, max }' "$1" 2>/dev/null
}
for b in $BOOTS; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
	# shellcheck disable=SC2086
	if [ "$b" = "$ORACLE/kernel" ]; then boot "$b" $kscen & else boot "$b" $SCEN & fi
done
wait
echo "# all boots: $(($(date +%s) - start)) s"
# Per-scenario seconds, one column per boot.
{
	printf '# %-22s' scenario; for b in $BOOTS; do printf ' %13s' "$b"; done; echo
	for s in $kscen; do
		printf '# %-22s' "$s"
		for b in $BOOTS; do printf ' %13s' "$(awk -v s="$s" '$1 == s { print $2 }' "$OUT/$b/times.txt" 2>/dev/null)"; done
		echo
	done
} | tee "$OUT/times.txt"
# shellcheck disable=SC2086
exec "$VM/compare.sh" "$OUT" "$BOOTS" $SCEN
