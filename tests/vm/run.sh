#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# End-to-end FTP tests in a QEMU guest: tests/vm/run.sh [SCENARIO...]   (none given: all)
# One boot per mode (MODES, default "nfhelper kernel none"), every scenario inside it in fresh
# network namespaces; then compare.sh judges.  Logs: build/vm/out/MODE/{console.log,SCENARIO.log,
# SCENARIO/}.  NFH_JOBS guests boot at once (default 3, one vCPU each: a TCG guest is mostly
# one busy thread, and overcommitted multi-vCPU guests spin on each other's locks).
set -eu
VM=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$VM/../.." && pwd)
OUT=$ROOT/build/vm/out
MODES=${MODES:-nfhelper kernel none}
JOBS=${NFH_JOBS:-3}
. "$VM/scenarios.sh"

ALL=$(scenario_names | tr '\n' ' ')
SCEN=${*:-$ALL}
for s in $SCEN; do
	case " $ALL " in *" $s "*) ;; *) echo "unknown scenario '$s'; known: $ALL" >&2; exit 2 ;; esac
done
for m in $MODES; do
	case $m in nfhelper|kernel|none) ;; *) echo "unknown mode '$m' (nfhelper, kernel, none)" >&2; exit 2 ;; esac
done

mkdir -p "$OUT"
# Engineers share this work tree: one run at a time, or their results would mix.
exec 9> "$ROOT/build/vm/.lock"
flock -w 900 9 || { echo "cannot lock $ROOT/build/vm/.lock: another run.sh holds it" >&2; exit 1; }
echo "# kernel $("$VM/initramfs.sh" "$ROOT/build/vm")"	# once, before boots run side by side
# A snapshot, so a rebuild of build/nfhelper during the run cannot change the binary under test.
BIN=${NFH_BIN:-$ROOT/build/nfhelper}
[ ! -x "$BIN" ] || cp "$BIN" "$ROOT/build/vm/nfhelper.tested"

# nfhelper rows are judged against kernel's; a documented difference against another scenario.
kscen=$SCEN
case " $MODES " in *" nfhelper "*)
	for s in $SCEN; do
		ref=$("$VM/compare.sh" --reference "$s")
		[ -z "$ref" ] || case " $kscen " in *" $ref "*) ;; *) kscen="$kscen $ref" ;; esac
	done
	case " $MODES " in *" kernel "*) ;; *)
		echo "# mode kernel not run: comparing with the kept results in $OUT/kernel" ;;
	esac ;;
esac

start=$(date +%s)
boot() {	# boot MODE SCENARIO...: bounded at 20 s a scenario (they take 4-15) on top of the boot
	local m=$1 t0; shift
	t0=$(date +%s)
	if [ "$m" = nfhelper ] && [ ! -x "$BIN" ]; then
		rm -rf "${OUT:?}/$m"; mkdir -p "$OUT/$m"
		echo "$BIN does not exist (./build.sh all)" > "$OUT/$m/not-booted"
		echo "# mode $m: not booted: $(cat "$OUT/$m/not-booted")"
		return 0
	fi
	NFH_BIN=$ROOT/build/vm/nfhelper.tested NFH_SMP=${NFH_SMP:-1} NFH_BOOT_LIMIT=$((60 + 20 * $#)) \
		"$VM/boot.sh" "$m" "$OUT/$m" "$VM/guest.sh" "$@" || echo "# mode $m: qemu exited $? (timeout or crash)"
	[ -e "$OUT/$m/done" ] || echo "# mode $m: guest did not finish; see $OUT/$m/console.log"
	echo "# mode $m: $# scenarios in $(($(date +%s) - t0)) s"
}
n=0
for m in $MODES; do
	# shellcheck disable=SC2086
	if [ "$m" = kernel ]; then boot "$m" $kscen & else boot "$m" $SCEN & fi
	n=$((n + 1))
	[ $((n % JOBS)) != 0 ] || wait
done
wait
echo "# all boots: $(($(date +%s) - start)) s"
# shellcheck disable=SC2086
exec "$VM/compare.sh" "$OUT" "$MODES" $SCEN
