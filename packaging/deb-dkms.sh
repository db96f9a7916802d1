#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deb-dkms.sh OUTDIR: nfhelper-dkms_<version>_all.deb, the nfh_pptp module's source (kmod/:
# Kbuild, *.c, *.h) in /usr/src/nfhelper-<version>/ with packaging/dkms/dkms.conf, so that
# DKMS builds it for each installed kernel (postinst) and removes it (prerm).  dpkg-deb alone,
# as deb.sh: no debhelper, no fakeroot (--root-owner-group); DEB_MAINTAINER the Maintainer
# field; every file dated SOURCE_DATE_EPOCH (default: the last commit's time, else VERSION's).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
OUT=${1:?usage: packaging/deb-dkms.sh OUTDIR}
MAINT=${DEB_MAINTAINER:-nfhelper maintainers <maintainers@users.noreply.r-seed-d516c493.example>}

die() { echo "deb-dkms.sh: $*" >&2; exit 1; }

VER=$(tr -d ' \n' < "$ROOT/VERSION")
[[ $VER =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "cannot use VERSION '$VER': not a Debian version"
[ -f "$ROOT/kmod/Kbuild" ] || die "cannot find $ROOT/kmod/Kbuild"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$( { [ -e "$ROOT/.git" ] && git -C "$ROOT" log -1 --format=%ct 2>/dev/null; } ||
		stat -c %Y "$ROOT/VERSION")
fi
export SOURCE_DATE_EPOCH

NAME=nfhelper-dkms_${VER}_all
STAGE=$OUT/deb/$NAME
SRC=usr/src/nfhelper-$VER
DOC=usr/share/doc/nfhelper-dkms
rm -rf "$STAGE"
mkdir -p "$STAGE/$SRC" "$OUT"
umask 022

# The module's source as kmod/ has it (the Makefile's KMODSRC: Kbuild and *.[ch]).
install -m 0644 "$ROOT/kmod/Kbuild" "$ROOT"/kmod/*.[ch] "$STAGE/$SRC/"
sed "s/@VERSION@/$VER/" "$HERE/dkms/dkms.conf" > "$STAGE/$SRC/dkms.conf"
chmod 0644 "$STAGE/$SRC/dkms.conf"
grep -qx "PACKAGE_VERSION=\"$VER\"" "$STAGE/$SRC/dkms.conf" || die "dkms.conf has no PACKAGE_VERSION line to fill in"
install -D -m 0644 "$HERE/debian/copyright" "$STAGE/$DOC/copyright"
{
	printf 'nfhelper (%s) unstable; urgency=medium\n\n' "$VER"
	printf '  * Release %s; the changes are in the project'"'"'s history and README.\n\n' "$VER"
	printf ' -- %s  %s\n' "$MAINT" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$STAGE/$DOC/changelog.gz"

mkdir -p "$STAGE/DEBIAN"
for s in postinst prerm; do
	sed "s/@VERSION@/$VER/" "$HERE/dkms/$s" > "$STAGE/DEBIAN/$s"
	chmod 0755 "$STAGE/DEBIAN/$s"
done
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
	xargs -0 md5sum) > "$STAGE/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VER/" -e "s/@SIZE@/$size/" -e "s|@MAINTAINER@|$MAINT|" \
	"$HERE/dkms/control" > "$STAGE/DEBIAN/control"

find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT/$NAME.deb" > /dev/null
echo "built $OUT/$NAME.deb: $(stat -c %s "$OUT/$NAME.deb") bytes"
