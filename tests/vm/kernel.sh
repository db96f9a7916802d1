# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced: the installed Debian kernels the VM boots, chosen by series (6.1 = Debian 12's own,
# 6.12 = Debian 12's backports).  Debian updates both packages, so no version is written down.
VM_KERNELS_ALL="6.1 6.12"

# vm_kernel_version SERIES: the newest installed kernel of that series with nfnetlink_cthelper
# (plain .ko in 6.1, .ko.xz in 6.12).
vm_kernel_version() {
	local s=$1 v best=""
	case $s in [0-9]*.[0-9]*) ;; *) echo "bad kernel series '$s' (e.g. 6.1, 6.12)" >&2; return 1 ;; esac
	for v in $(ls -1 /lib/modules 2>/dev/null | sort -V); do
		case $v in "$s".*) ;; *) continue ;; esac
		[ -r "/boot/vmlinuz-$v" ] || continue
		ls "/lib/modules/$v/kernel/net/netfilter/nfnetlink_cthelper.ko"* > /dev/null 2>&1 || continue
		best=$v
	done
	[ -n "$best" ] || { echo "cannot find a $s kernel for the VM: no /boot/vmlinuz-$s.* with nfnetlink_cthelper; run ./build.sh deps" >&2; return 1; }
	echo "$best"
}
