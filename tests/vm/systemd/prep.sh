#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepares the systemd guest's root (tests/vm/init's sysboot runs this chrooted in the overlay,
# before systemd becomes PID 1; the checkout is hidden afterwards): installs the package with
# dpkg as a user would, sets up nftables with the package's example ruleset, enables the units,
# and copies in what the checks need.  $NFH_OUT/params: NFH_MODE (service, or masked: the
# control, nfhelper@ftp masked) and NFH_BIN (the staged binary, the .deb beside it).
set -eu
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
VM=$(cd "$(dirname "$0")/.." && pwd)
. "$NFH_OUT/params"
LIB=/usr/local/lib/nfh-vmtest
STAGE=$(dirname "$NFH_BIN")
say() { echo "nfh-prep: $*"; }

# A VM, not the container the host may be: systemd must not see its marker.
rm -f /.dockerenv
# A fresh machine's identity: the host's would be shared by every guest.
tr -d '-' < /proc/sys/kernel/random/uuid > /etc/machine-id

deb=$(ls "$STAGE"/nfhelper_*.deb)
say "dpkg -i $(basename "$deb")"
dpkg -i "$deb" > /var/log/nfh-dpkg.log 2>&1 || { cat /var/log/nfh-dpkg.log; exit 1; }

# The service boot also installs nfhelper-dkms, whose postinst has DKMS build and install
# nfh_pptp for every kernel with headers (check.sh's dkms).  This guest is a machine with only
# its running kernel's headers: the other kernels' build links are removed from the overlay, so
# the module is built once (under TCG: its time goes to the console and $NFH_OUT/dkms-time).
if [ "$NFH_MODE" = service ]; then
	k=$(uname -r)
	for b in /lib/modules/*/build; do
		[ "$b" = "/lib/modules/$k/build" ] || rm -f "$b"
	done
	[ -e "/lib/modules/$k/build/Makefile" ] || { say "no headers for the guest's kernel $k"; exit 1; }
	deb=$(ls "$STAGE"/nfhelper-dkms_*.deb)
	say "dpkg -i $(basename "$deb") (DKMS builds nfh_pptp for $k)"
	t0=$(cut -d' ' -f1 /proc/uptime)
	dpkg -i "$deb" > "$NFH_OUT/dkms-dpkg.log" 2>&1 || { cat "$NFH_OUT/dkms-dpkg.log"; exit 1; }
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$k $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" > "$NFH_OUT/dkms-time"
	say "nfhelper-dkms installed in $(cut -d' ' -f2 "$NFH_OUT/dkms-time") s"
fi

# The README's recipe: the example into /etc/nftables.d, included from /etc/nftables.conf; its
# NAT chain (a comment in the example) filled in with this topology's uplink, r1.
mkdir -p /etc/nftables.d
sed -e '/^\t# chain post {/,/^\t# }/ s/^\t#\s\?/\t/' -e '/masquerade/ s/"eth0"/"r1"/' \
	/usr/share/doc/nfhelper/examples/ftp.nft > /etc/nftables.d/ftp.nft
grep -q '^\s*oifname "r1" masquerade' /etc/nftables.d/ftp.nft ||
	{ say "cannot adapt ftp.nft: its NAT comment changed"; exit 1; }
echo 'include "/etc/nftables.d/*.nft"' >> /etc/nftables.conf
systemctl enable nftables.service nfhelper@ftp.service
[ "$NFH_MODE" = masked ] && systemctl mask nfhelper@ftp.service

# The checks and what they use, copied: the checkout is not visible once systemd runs.
mkdir -p "$LIB/ftp"
cp "$VM/systemd/check.sh" "$VM/systemd/session.py" "$VM/topo.sh" "$VM/kernellog.sh" "$LIB/"
cp "$VM/ftp/proto.sh" "$VM/ftp/ftpclient.py" "$LIB/ftp/"
printf 'NFH_OUT=%s\nNFH_ROOT=%s\nNFH_MODE=%s\n' "$NFH_OUT" "$NFH_ROOT" "$NFH_MODE" > "$LIB/env"
# The binary alone, for the scenario that runs it without the package.
install -m 755 "$STAGE/nfhelper" /usr/local/sbin/nfhelper
# The container image (./build.sh image), for check.sh's podman checks (service boot only).
[ "$NFH_MODE" = service ] && cp "$STAGE/nfhelper-image.tar" "$LIB/"

# Boot only what the test needs: its own target (sysinit.target, where nftables and nfhelper@
# are wanted, and the check), not multi-user.target with the host's daemons and gettys.
cp "$VM/systemd/nfh-vmtest.target" "$VM/systemd/nfh-vmtest.service" /etc/systemd/system/
systemctl set-default nfh-vmtest.target
# Pointless or slow without hardware or network, under TCG.
systemctl mask systemd-timesyncd.service systemd-pstore.service systemd-firstboot.service \
	systemd-random-seed.service proc-sys-fs-binfmt_misc.automount systemd-binfmt.service \
	systemd-update-utmp.service systemd-journal-flush.service > /dev/null 2>&1
say "ready for systemd ($NFH_MODE)"
