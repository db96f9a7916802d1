#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build (or reuse) OUTDIR/{vmlinuz,initramfs.gz} for one kernel series: busybox-static, the
# modules that mount 9p, and tests/vm/init.  Everything else the guest needs comes from the
# host's root, shared read-only.  Usage: initramfs.sh SERIES OUTDIR   (prints the kernel version)
set -eu
VM=$(cd "$(dirname "$0")" && pwd)
SERIES=$1 OUT=$2
. "$VM/kernel.sh"
V=$(vm_kernel_version "$SERIES")
BB=/bin/busybox  # busybox-static
[ -x "$BB" ] && file -b "$BB" | grep -q 'statically linked' || {
	echo "cannot build initramfs: $BB is not a static busybox; run ./build.sh deps" >&2; exit 1; }

# Only 9p over virtio-pci: the rest is loaded by the host's own kmod once the root is mounted,
# which honours softdeps and reads .ko.xz (busybox modprobe does neither).
MODS="virtio_pci 9pnet_virtio 9p"
KEY="$V $(sha256sum "$VM/init" "$0" "$BB" | cut -c1-16 | tr '\n' ' ') $MODS"
mkdir -p "$OUT"
if [ -e "$OUT/initramfs.gz" ] && [ -e "$OUT/vmlinuz" ] && [ "$(cat "$OUT/initramfs.key" 2>/dev/null)" = "$KEY" ]; then
	echo "$V"; exit 0
fi

T=$(mktemp -d "$OUT/initramfs.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/bin" "$T/sbin" "$T/proc" "$T/sys" "$T/dev" "$T/host" "$T/mods"
cp "$BB" "$T/bin/busybox"
for a in sh mount umount insmod mkdir chroot timeout poweroff sleep cat echo grep sync; do
	ln -s busybox "$T/bin/$a"
done
cp "$VM/init" "$T/init"
chmod 755 "$T/init"
: > "$T/mods/order"
# modprobe resolves the load order on the host ("builtin NAME" lines need nothing); -a keeps
# several names from being read as options.  busybox insmod cannot read the compressed modules
# of newer Debian kernels: they are stored decompressed.
# shellcheck disable=SC2086
modprobe -S "$V" -a --show-depends $MODS | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' |
while read -r ko; do
	b=$(basename "$ko")
	case $ko in
	*.ko.xz) b=${b%.xz}; xz -dc "$ko" > "$T/mods/$b" ;;
	*.ko.zst) b=${b%.zst}; zstd -qdc "$ko" > "$T/mods/$b" ;;
	*.ko) cp "$ko" "$T/mods/$b" ;;
	*) echo "cannot build initramfs: unknown module format $ko" >&2; exit 1 ;;
	esac
	echo "/mods/$b" >> "$T/mods/order"
done
cat > "$T/sbin/modprobe" <<'MP'
#!/bin/sh
# The kernel's module autoload (nft chain types, ct helper objects, nfnetlink subsystems) runs this
# in the initramfs' root: hand the request to the host's kmod inside the shared root, unless this
# boot forbids the name (modes nfhelper/none: no in-tree helper may sneak in by autoload).
echo "modprobe $*" >> /run-log/modprobe.log 2>/dev/null
deny=$(cat /deny 2>/dev/null)
for a in "$@"; do
	case "$a" in -*) ;; *) [ -n "$deny" ] && echo "$a" | grep -qE "$deny" && { echo "denied $a" >> /run-log/modprobe.log; exit 1; } ;; esac
done
exec chroot /host /sbin/modprobe "$@"
MP
chmod 755 "$T/sbin/modprobe"
(cd "$T" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 > "$OUT/initramfs.gz.tmp"
mv "$OUT/initramfs.gz.tmp" "$OUT/initramfs.gz"
cp "/boot/vmlinuz-$V" "$OUT/vmlinuz"
echo "$KEY" > "$OUT/initramfs.key"
echo "$V"
