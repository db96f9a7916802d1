#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deb.sh BINARY [OUTDIR]: nfhelper_<version>_<arch>.deb from a built nfhelper and this tree's
# packaging/ and doc/, with dpkg-deb alone (no debhelper, no fakeroot: --root-owner-group).
# The version is the VERSION file's; the binary must say the same (nfhelper --version) when
# it can run here.  ARCH (default: this machine's, dpkg --print-architecture) names the
# binary's Debian architecture; DEB_MAINTAINER the Maintainer field.  Reproducible: every
# file dated SOURCE_DATE_EPOCH (default: the last commit's time, else VERSION's).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BIN=${1:?usage: packaging/deb.sh BINARY [OUTDIR]}
OUT=${2:-$(dirname "$BIN")}
ARCH=${ARCH:-$(dpkg --print-architecture)}
MAINT=${DEB_MAINTAINER:-nfhelper maintainers <maintainers@users.noreply.r-seed-d516c493.example>}
# One options file and one example ruleset per protocol (tests/unit/test_options.c checks
# that every protocol of the binary's table has both).
PROTOS=$(cd "$HERE/default" && ls nfhelper-* | sed 's/^nfhelper-//')

die() { echo "deb.sh: $*" >&2; exit 1; }

VER=$(tr -d ' \n' < "$ROOT/VERSION")
[[ $VER =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "cannot use VERSION '$VER': not a Debian version"
[ -f "$BIN" ] && [ -x "$BIN" ] || die "cannot read $BIN: build it first (./build.sh)"

# The ELF header's e_machine (bytes 18-19, little endian) must be ARCH's.
machine=$(od -An -tx1 -j18 -N2 "$BIN" | tr -d ' \n')
case $ARCH in
amd64) want=3e00 ;; arm64) want=b700 ;; armhf) want=2800 ;; i386) want=0300 ;;
*) die "cannot check a binary for ARCH $ARCH: add its ELF machine here" ;;
esac
[ "$(head -c4 "$BIN" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] && [ "$machine" = "$want" ] ||
	die "cannot package $BIN as $ARCH: it is not an ELF binary for $ARCH (machine $machine)"
if [ "$ARCH" = "$(dpkg --print-architecture)" ]; then
	got=$("$BIN" --version | awk '{ print $2 }')
	[ "$got" = "$VER" ] || die "cannot package $BIN: it says version '$got', VERSION says '$VER'; rebuild it"
fi

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$( { [ -e "$ROOT/.git" ] && git -C "$ROOT" log -1 --format=%ct 2>/dev/null; } ||
		stat -c %Y "$ROOT/VERSION")
fi
export SOURCE_DATE_EPOCH

NAME=nfhelper_${VER}_${ARCH}
STAGE=$OUT/deb/$NAME
rm -rf "$STAGE"
mkdir -p "$STAGE"
umask 022

# put SRC DEST MODE: one file into the package tree.
put() {
	install -D -m "$3" "$1" "$STAGE/$2"
}

put "$BIN" usr/sbin/nfhelper 0755
mkdir -p "$STAGE/usr/share/man/man8"
gzip -9n < "$ROOT/doc/nfhelper.8" > "$STAGE/usr/share/man/man8/nfhelper.8.gz"
put "$HERE/nfhelper@.service" lib/systemd/system/nfhelper@.service 0644
put "$HERE/nfhelper@pptp.service.d/module.conf" lib/systemd/system/nfhelper@pptp.service.d/module.conf 0644
for p in $PROTOS; do
	put "$HERE/default/nfhelper-$p" "etc/default/nfhelper-$p" 0644
	put "$HERE/nftables/$p.nft" "usr/share/doc/nfhelper/examples/$p.nft" 0644
done
put "$HERE/debian/copyright" usr/share/doc/nfhelper/copyright 0644
put "$HERE/debian/lintian-overrides" usr/share/lintian/overrides/nfhelper 0644
# A native package's changelog: this version, dated as the files.
{
	printf 'nfhelper (%s) unstable; urgency=medium\n\n' "$VER"
	printf '  * Release %s; the changes are in the project'"'"'s history and README.\n\n' "$VER"
	printf ' -- %s  %s\n' "$MAINT" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$STAGE/usr/share/doc/nfhelper/changelog.gz"

mkdir -p "$STAGE/DEBIAN"
for s in postinst prerm postrm; do
	install -m 0755 "$HERE/debian/$s" "$STAGE/DEBIAN/$s"
done
for p in $PROTOS; do echo "/etc/default/nfhelper-$p"; done > "$STAGE/DEBIAN/conffiles"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
	xargs -0 md5sum) > "$STAGE/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VER/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE@/$size/" -e "s|@MAINTAINER@|$MAINT|" \
	"$HERE/debian/control" > "$STAGE/DEBIAN/control"

find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT/$NAME.deb" > /dev/null
echo "built $OUT/$NAME.deb: $(stat -c %s "$OUT/$NAME.deb") bytes"
