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

echo "# kernel $("$VM/initramfs.sh" "$ROOT/build/vm")"	# once, before boots run side by side

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
boot() {	# boot MODE SCENARIO...: bounded at about 30 s a scenario on top of the boot itself
	local m=$1 t0; shift
	t0=$(date +%s)
	if [ "$m" = nfhelper ] && [ ! -x "$ROOT/build/nfhelper" ]; then
		rm -rf "${OUT:?}/$m"; mkdir -p "$OUT/$m"
		echo "$ROOT/build/nfhelper does not exist (./build.sh all)" > "$OUT/$m/not-booted"
		echo "# mode $m: not booted: $(cat "$OUT/$m/not-booted")"
		return 0
	fi
	NFH_SMP=${NFH_SMP:-1} NFH_BOOT_LIMIT=$((90 + 30 * $#)) \
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
