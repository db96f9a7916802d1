#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# nfhelper as users run it (./build.sh vmsystemd): a guest booted with systemd as PID 1 on each
# kernel of KERNELS (default all: kernel.sh), the package installed with dpkg, nftables.service
# and nfhelper@ftp enabled; check.sh's checks, every one PASS (boot "service").  The control
# (boot "masked", on the kernels of NFH_SYSTEMD_CONTROL, default 6.1): the same boot with
# nfhelper@ftp masked, where each check must come out as MASKED_EXPECT says, the FTP data
# checks failing.  Needs build/nfhelper and its .deb (./build.sh deb), or NFH_BIN and NFH_DEB;
# the service boots also install nfhelper-dkms_VERSION_all.deb (beside it, or NFH_DKMS_DEB) and
# run the container image nfhelper-image.tar (beside it, or NFH_IMAGE: ./build.sh image).
# Results: build/vm/out/systemd/SERIES/{service,masked}/ (results.txt, console.log,
# journal.txt, dmesg.txt, the session logs).  Exit 1 on any unexpected line, a guest that did
# not finish, or a kernel-log finding.  NFH_BOOT_LIMIT: seconds a boot may take (default 600:
# the service boots build the DKMS module under TCG).
set -eu
VM=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$VM/../.." && pwd)
. "$VM/kernel.sh"
. "$VM/kernellog.sh"
OUT=$ROOT/build/vm/out/systemd
STAGE=$ROOT/build/vm/systemd
VER=$(tr -d ' \n' < "$ROOT/VERSION")
BIN=${NFH_BIN:-$ROOT/build/nfhelper}
DEB=${NFH_DEB:-$ROOT/build/nfhelper_${VER}_$(dpkg --print-architecture).deb}
DKMS_DEB=${NFH_DKMS_DEB:-$(dirname "$DEB")/nfhelper-dkms_${VER}_all.deb}
IMAGE=${NFH_IMAGE:-$(dirname "$DEB")/nfhelper-image.tar}
CONTROL=${NFH_SYSTEMD_CONTROL:-6.1}

SERVICE_EXPECT="package tree-hidden active ready order no-kernel-helper ftp-active ftp-passive creds
	stop-before stop-control stop-related stop-resume kill-restart kill-resume
	alone-ready alone-ftp-active alone-ftp-passive alone-exit
	ctr-load ctr-ftp-active ctr-ftp-passive ctr-ftp ctr-userns ctr-netns dkms kernel-log"
SERVICE_EXPECT=$(for c in $SERVICE_EXPECT; do echo "$c=PASS"; done)
# Without nfhelper, loading the ruleset makes the kernel autoload its own nf_conntrack_ftp (what
# the unit's ordering prevents): passive FTP then works through it, active FTP does not (the
# ct helper object does not load nf_nat_ftp, so PORT is not rewritten and vsftpd refuses it).
MASKED_EXPECT="package=PASS tree-hidden=PASS active=FAIL ready=FAIL order=FAIL
	no-kernel-helper=FAIL ftp-active=FAIL ftp-passive=PASS kernel-log=PASS"

[ -x "$BIN" ] && [ -f "$DEB" ] && [ -f "$DKMS_DEB" ] && [ -f "$IMAGE" ] ||
	{ echo "cannot test the packages: $BIN, $DEB, $DKMS_DEB or $IMAGE is missing; run ./build.sh deb image" >&2; exit 1; }
mkdir -p "$OUT"
# One rig user at a time (tests/vm/run.sh takes the same lock).
exec 9> "$ROOT/build/vm/.lock"
flock -w 900 9 || { echo "cannot lock $ROOT/build/vm/.lock: another VM run holds it" >&2; exit 1; }
# A snapshot the guest installs and copies (prep.sh): a rebuild meanwhile cannot change it.
rm -rf "$STAGE"; mkdir -p "$STAGE"
cp "$BIN" "$STAGE/nfhelper"; cp "$DEB" "$DKMS_DEB" "$IMAGE" "$STAGE/"

fail=0
# judge LABEL DIR EXPECT: every NAME=PASS|FAIL of EXPECT as results.txt has it, "done", and a
# clean kernel log (the console's and the guest's dmesg).
judge() {
	local l=$1 d=$2 e n want got bad
	if ! grep -qx done "$d/results.txt" 2> /dev/null; then
		echo "systemd $l: the guest did not finish (see $d/console.log)"; fail=1
	fi
	for e in $3; do
		n=${e%=*} want=${e#*=}
		got=$(awk -v n="$n" '$2 == n { print $1; exit }' "$d/results.txt" 2> /dev/null)
		if [ "$got" = "$want" ]; then
			echo "systemd $l: ok   $(awk -v n="$n" '$2 == n' "$d/results.txt")"
		else
			echo "systemd $l: FAIL $n: ${got:-missing}, expected $want: $(awk -v n="$n" '$2 == n' "$d/results.txt" 2> /dev/null)"
			fail=1
		fi
	done
	bad=$(cat "$d/console.log" "$d/dmesg.txt" 2> /dev/null | grep -a -m1 -E "$NFH_KERNEL_LOG_BAD" | tr -d '\r') || true
	[ -z "$bad" ] || { echo "systemd $l: FAIL kernel log: $bad"; fail=1; }
}

: > "$OUT/times.txt"
for s in ${KERNELS:-$VM_KERNELS_ALL}; do
	for m in service masked; do
		[ "$m" = service ] || case " $CONTROL " in *" $s "*) ;; *) continue ;; esac
		d=$OUT/$s/$m t0=$(date +%s)
		NFH_BIN=$STAGE/nfhelper NFH_APPEND="NFH_SYSTEMD=1" NFH_BOOT_LIMIT=${NFH_BOOT_LIMIT:-600} \
			"$VM/boot.sh" "$s" "$m" "$d" "$VM/systemd/prep.sh" || echo "# systemd $s/$m: qemu exited $? (timeout or crash)"
		echo "$s/$m $(($(date +%s) - t0))" >> "$OUT/times.txt"
		echo "# systemd $s/$m: $(($(date +%s) - t0)) s"
		if [ "$m" = service ]; then judge "$s/$m" "$d" "$SERVICE_EXPECT"; else judge "$s/$m" "$d" "$MASKED_EXPECT"; fi
	done
done
[ "$fail" = 0 ] && echo "systemd: every check as expected" || echo "systemd: FAILED (see above)"
exit "$fail"
