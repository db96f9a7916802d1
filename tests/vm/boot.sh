#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boot the test VM once: boot.sh SERIES MODE OUTDIR GUEST_SCRIPT [SCENARIO...]
# SERIES is the kernel (6.1, 6.12: kernel.sh); OUTDIR (emptied first) becomes the guest's
# writable share; the console goes to OUTDIR/console.log.  The whole boot is bounded by
# NFH_BOOT_LIMIT seconds (default 420).  NFH_APPEND: more of the kernel command line
# (tests/vm/systemd: NFH_SYSTEMD=1 and systemd's options).
set -eu
VM=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$VM/../.." && pwd)
. "$VM/protos.sh"
SERIES=$1 MODE=$2 OUT=$3 GUEST=$4; shift 4
LIMIT=${NFH_BOOT_LIMIT:-420}
K=$ROOT/build/vm/kernel/$SERIES
V=$("$VM/initramfs.sh" "$SERIES" "$K")
rm -rf "$OUT"; mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# The guest mounts fresh /proc, /sys, /dev over the shared root: a share there would be hidden
# (a checkout under /tmp or /run is shown again at its own path by init).
case $OUT$ROOT in /proc/*|/sys/*|/dev/*)
	echo "cannot run the VM from $ROOT: the guest mounts over that folder" >&2; exit 2 ;; esac
cat > "$OUT/params" <<P
NFH_MODE=$MODE
NFH_SERIES=$SERIES
NFH_KERNEL=$V
NFH_SCENARIOS="$*"
NFH_BIN=${NFH_BIN:-$ROOT/build/nfhelper}
P
# nfhelper and none must never get an in-tree helper by autoload (each protocol names its modules).
deny=$(protos_deny); [ "$MODE" = kernel ] && deny=
# Mode none also stands for a kernel without nfnetlink_cthelper (subsystem 9).
[ "$MODE" = none ] && deny="$deny|cthelper|nfnetlink-subsys-9\$"
# The guest's own limit trips first, so it can still power off and keep what it wrote.
timeout -k 5 "$LIMIT" qemu-system-x86_64 -accel tcg -m 1024 -smp "${NFH_SMP:-1}" -nic none \
	-display none -monitor none -serial stdio -no-reboot \
	-kernel "$K/vmlinuz" -initrd "$K/initramfs.gz" \
	-append "console=ttyS0 quiet panic=-1 oops=panic NFH_ROOT=$ROOT NFH_OUT=$OUT NFH_GUEST=$GUEST NFH_DENY=$deny NFH_LIMIT=$((LIMIT - 15))${NFH_APPEND:+ $NFH_APPEND}" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$OUT",mount_tag=results,security_model=none,multidevs=remap \
	< /dev/null > "$OUT/console.log" 2>&1
