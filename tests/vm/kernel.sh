# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced: pick the installed Debian kernel the VM boots (newest that has the cthelper module).
# Debian updates the kernel package, so the version is never written down anywhere.
vm_kernel_version() {
	local v best=""
	for v in $(ls -1 /lib/modules 2>/dev/null | sort -V); do
		[ -r "/boot/vmlinuz-$v" ] || continue
		[ -e "/lib/modules/$v/kernel/net/netfilter/nfnetlink_cthelper.ko" ] || continue
		best=$v
	done
	[ -n "$best" ] || { echo "cannot find a kernel for the VM: no /boot/vmlinuz-* with nfnetlink_cthelper; run ./build.sh deps" >&2; return 1; }
	echo "$best"
}
