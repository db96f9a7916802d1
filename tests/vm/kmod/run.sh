#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The nfh_pptp module on its own, on every VM kernel (KERNELS, default all): load, helper
# registration, calls with keymaps, expectations and call-ID NAT across a NAT router, two
# calls at once, teardown by request and with the master, unload with a call up
# (guest.sh has the checks), with nf_conntrack_pptp loaded beside it (mode kernel: module
# loading is not denied).  Needs build/kmod (./build.sh kmod).  Exit 1 on any failure.
set -eu
VM=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$VM/../.." && pwd)
. "$VM/kernel.sh"
. "$VM/kernellog.sh"
fail=0
for s in ${KERNELS:-$VM_KERNELS_ALL}; do
	out=$ROOT/build/vm/out/$s/kmod
	NFH_BOOT_LIMIT=${NFH_BOOT_LIMIT:-240} "$VM/boot.sh" "$s" kernel "$out" "$VM/kmod/guest.sh" || true
	r=$out/results.txt
	if ! grep -q '^KMOD-DONE' "$r" 2> /dev/null; then
		echo "kmod $s: the guest did not finish (see $out/console.log, trace.txt)"; fail=1
	fi
	grep '^not ok' "$r" 2> /dev/null | sed "s/^/kmod $s: /" || true
	bad=$(grep -a -m1 -E "$NFH_KERNEL_LOG_BAD" "$out/console.log" 2> /dev/null | tr -d '\r') || true
	[ -z "$bad" ] || { echo "kmod $s: kernel console: $bad"; fail=1; }
	echo "kmod $s: $(grep -c '^ok' "$r" 2> /dev/null || true) passed, $(grep -c '^not ok' "$r" 2> /dev/null || true) failed"
	grep -q '^not ok' "$r" 2> /dev/null && fail=1
done
exit $fail
