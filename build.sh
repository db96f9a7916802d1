#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build, test, benchmark and demo nfhelper.  Usage: ./build.sh [deps|all|kmod|unit|fuzz|vm|vmsystemd|test|bench|deb|arm64|armhf|demo|fresh|clean]
# The outputs are the Makefile's (make, incremental); this script installs packages (deps, and
# test and demo through it: no other target does), runs the tests, the VM and the demo.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
B=${BUILD_DIR:-$ROOT/build}  # BUILD_DIR lets parallel builds use their own folders

# Every package a fresh Debian 12 machine needs for every target below (checked: ./build.sh fresh).
# make and perl: kmod's kbuild (W=1 runs scripts/kernel-doc).
# (The VM's protocol folders add theirs: PROTO_PKGS in tests/vm/*/proto.sh; the 6.12 kernel comes
# from backports, see backports_kernel.)
# systemd: PID 1 of the vmsystemd guest, from the shared root (a container image may lack it).
# podman: ./build.sh image builds the container image; the vmsystemd guest runs it.
# dkms: the vmsystemd guest installs nfhelper-dkms, whose postinst runs it (the guest's root is
# this machine's).
PKGS="musl-tools ragel make perl clang-14 libclang-rt-14-dev file qemu-system-x86 linux-image-amd64
      busybox-static kmod xz-utils nftables conntrack iproute2 python3 systemd dkms podman"

# The cross builds (./build.sh arm64, armhf): Debian's cross gcc with the target's musl and
# kernel headers (packages of that architecture, hence foreign_arch), qemu-user for the unit tests.
CROSS_ARCHS="arm64 armhf"
CROSS_PKGS="gcc-aarch64-linux-gnu musl-dev:arm64 linux-libc-dev:arm64 qemu-user-static
	gcc-arm-linux-gnueabihf musl-dev:armhf linux-libc-dev:armhf"

# The tftp/irc/... VM folders name the packages their servers and clients need (PROTO_PKGS).
vm_pkgs() {
	local f
	for f in tests/vm/*/proto.sh; do
		[ -e "$f" ] && (. "$f"; echo "${PROTO_PKGS:-}")
	done
}

apt_install() {	# apt_install PACKAGE...: install what is missing (root only)
	local missing="" p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "installing:$missing"
	[ "$(id -u)" = 0 ] || { echo "cannot install packages: not root; run: sudo apt-get install$missing" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	[ -n "${APT_UPDATED:-}" ] || { apt-get update -q >/dev/null; APT_UPDATED=1; }
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null
}

# The suite of backports to this machine's Debian release, as a deb822 source with the URIs of
# the machine's own Debian source (read here, never written down: mirrors differ per machine).
backports_source() {
	local codename f=/etc/apt/sources.list.d/nfhelper-backports.sources uris
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || { echo "cannot add backports: no VERSION_CODENAME in /etc/os-release" >&2; exit 1; }
	[ -e "$f" ] && return 0
	[ "$(id -u)" = 0 ] || { echo "cannot add $codename-backports: not root; run ./build.sh deps as root" >&2; exit 1; }
	# deb822 paragraphs first (Debian 12's default), then one-line sources.list entries.
	uris=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v c="$codename" '
		/^URIs:/ { u = $0; sub(/^URIs: */, "", u) }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) hit = 1 }
		/^$/ { if (hit && u != "") { print u; exit } hit = 0; u = "" }
		END { if (hit && u != "") print u }' | head -1)
	[ -n "$uris" ] || uris=$(awk -v c="$codename" '$1 == "deb" && $3 == c { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
	[ -n "$uris" ] || { echo "cannot add backports: no Debian source for $codename found in /etc/apt" >&2; exit 1; }
	printf 'Types: deb\nURIs: %s\nSuites: %s-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uris" "$codename" > "$f"
	echo "added $f ($uris $codename-backports)"
	apt-get update -q >/dev/null
	APT_UPDATED=1
}

# foreign_arch ARCH...: let dpkg install packages of ARCH (musl-dev:arm64); added once, then
# apt learns that architecture's package lists.
foreign_arch() {
	local a added=""
	for a in "$@"; do
		[ "$a" = "$(dpkg --print-architecture)" ] && continue
		dpkg --print-foreign-architectures | grep -qx "$a" && continue
		[ "$(id -u)" = 0 ] || { echo "cannot add architecture $a: not root; run ./build.sh deps as root" >&2; exit 1; }
		dpkg --add-architecture "$a"
		echo "added architecture $a (dpkg --add-architecture $a)"
		added=1
	done
	[ -z "$added" ] && return 0
	apt-get update -q >/dev/null
	APT_UPDATED=1
}

# The VM's second kernel: the backports suite's linux-image-amd64 depends on the versioned image
# package (6.12 in Debian 12's backports); install that one by name, so the stable meta-package
# and its 6.1 image stay as they are.
backports_kernel() {
	local codename pkg
	# Installed already (any version): nothing to ask apt.
	(. tests/vm/kernel.sh && vm_kernel_version 6.12) > /dev/null 2>&1 && return 0
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	backports_source
	pkg=$(apt-cache show "linux-image-amd64/$codename-backports" 2>/dev/null |
		sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*-amd64\).*/\1/p' | sort -V | tail -1)
	[ -n "$pkg" ] || { echo "cannot find the kernel of $codename-backports: apt-cache show linux-image-amd64/$codename-backports" >&2; exit 1; }
	apt_install "$pkg"
}

# kmod/ builds against the headers of exactly the kernels the VM boots (vm_kernel_version).
kernel_headers() {
	local s v
	for s in $(. tests/vm/kernel.sh && echo "$VM_KERNELS_ALL"); do
		v=$(. tests/vm/kernel.sh && vm_kernel_version "$s")
		apt_install "linux-headers-$v"
	done
}

deps() {
	# shellcheck disable=SC2046
	apt_install $PKGS $(vm_pkgs)
	# shellcheck disable=SC2086
	foreign_arch $CROSS_ARCHS
	# shellcheck disable=SC2086
	apt_install $CROSS_PKGS
	backports_kernel
	kernel_headers
}

# The outputs (generated parsers, release binary, unit, fuzz, bench, kmod) are the Makefile's:
# incremental, with dependency tracking.  CC chooses the release compiler (musl-gcc), SANCC the
# sanitizer one (clang-14); both pass through the environment.
mk() { make --no-print-directory -C "$ROOT" -j"$(nproc)" B="$B" "$@"; }

# Only deps, test and demo install packages; the other targets say what is missing, in a line.
need() {	# need COMMAND...
	local t
	for t in "$@"; do
		command -v "$t" > /dev/null ||
			{ echo "cannot build: $t is missing; run ./build.sh deps (as root)" >&2; exit 1; }
	done
}
need_fuzzer() {	# libFuzzer's runtime (libclang-rt-14-dev) beside clang
	need "${SANCC:-clang-14}"
	[ -e "$("${SANCC:-clang-14}" -print-file-name=libclang_rt.fuzzer-x86_64.a)" ] ||
		{ echo "cannot build the fuzzers: libFuzzer (libclang-rt-14-dev) is missing; run ./build.sh deps (as root)" >&2; exit 1; }
}

release() {
	local cc=${CC:-musl-gcc}
	need make ragel file "${cc%% *}"
	mk release
}

unit() {
	need make ragel "${SANCC:-clang-14}"
	mk unit
	(cd tests/unit && "$B/unit-tests")
}

# fuzz [SECONDS [HARNESS]]: every harness in tests/fuzz (or the one named: stream or
# fuzz_stream), each for SECONDS on its seed corpus.
fuzz() {
	local secs=${1:-10} only=${2:-} h name corpus
	need make ragel
	need_fuzzer
	if [ -n "$only" ]; then
		only=fuzz_${only#fuzz_}
		[ -e "tests/fuzz/$only.c" ] ||
			{ echo "fuzz: no harness tests/fuzz/$only.c" >&2; return 1; }
		mk "$only"
	else
		mk fuzz
	fi
	for h in tests/fuzz/fuzz_*.c; do
		[ -e "$h" ] || continue
		name=$(basename "${h%.c}")
		[ -z "$only" ] || [ "$name" = "$only" ] || continue
		corpus="$B/corpus/$name"
		mkdir -p "$corpus"
		echo "fuzz: $name for ${secs}s"
		"$B/$name" -max_total_time="$secs" -print_final_stats=0 "$corpus" "tests/fuzz/seeds/${name#fuzz_}" \
			> "$B/$name.log" 2>&1 || { tail -40 "$B/$name.log"; echo "fuzz: $name FAILED"; return 1; }
		grep -E '^(#[0-9]+|Done)' "$B/$name.log" | tail -1
	done
}

# cross ARCH PREFIX QEMU: $B/ARCH/nfhelper and $B/ARCH/unit-tests (make ARCH with Debian's
# cross gcc PREFIXgcc and ARCH's musl), the suite run under qemu-user, which has no netfilter
# sockets (the unit suite opens none; an end-to-end test needs a guest of that architecture),
# and the binary asked its version there, which must be this tree's.  The suite's TAP (unit's,
# line for line) goes to $B/ARCH/unit.log, its log lines to unit.err; shown: the failures and
# the summary.
cross() {
	local arch=$1 prefix=$2 qemu=$3 log=$B/$1/unit.log triplet=${2%-} got
	need make ragel file "${prefix}gcc" "$qemu"
	[ -e "/usr/lib/${triplet/gnu/musl}/musl-gcc.specs" ] ||
		{ echo "cannot build $arch: musl-dev:$arch is missing; run ./build.sh deps (as root)" >&2; exit 1; }
	mk "$arch" "CROSS_$arch=$prefix"
	if ! (cd tests/unit && "$qemu" "$B/$arch/unit-tests") > "$log" 2> "${log%.log}.err"; then
		grep -A6 '^not ok' "$log" | head -80 || true
		tail -n 3 "$log" "${log%.log}.err"
		echo "$arch: the unit suite FAILED under $qemu (all of it: $log)" >&2
		exit 1
	fi
	echo "$arch: $(grep '^unit:' "$log") under $qemu"
	got=$("$qemu" "$B/$arch/nfhelper" --version | awk '{ print $2 }')
	[ "$got" = "$(tr -d ' \n' < VERSION)" ] ||
		{ echo "$arch: $B/$arch/nfhelper says version '$got' under $qemu" >&2; exit 1; }
}
arm64() { cross arm64 aarch64-linux-gnu- qemu-aarch64-static; }
armhf() { cross armhf arm-linux-gnueabihf- qemu-arm-static; }

bench() {
	need make ragel "${BENCHCC:-gcc}"
	mk bench
	"$B/bench-nfhelper"
}

# kmod: the nfh_pptp module for every VM kernel, into $B/kmod/VERSION/nfh_pptp.ko (make
# delegates to each kernel's kbuild).  A warning fails it.
kmod() {
	local s v vers=""
	need make
	for s in $(. tests/vm/kernel.sh && echo "$VM_KERNELS_ALL"); do
		v=$(. tests/vm/kernel.sh && vm_kernel_version "$s") || exit 1
		[ -d "/usr/src/linux-headers-$v" ] ||
			{ echo "cannot build kmod: linux-headers-$v is missing; run ./build.sh deps (as root)" >&2; exit 1; }
		vers="$vers $v"
	done
	mk kmod KVERS="${vers# }"
}

# fresh: what a fresh Debian 12 machine does with a clone of this repository, without a VM:
# a minimal root (debootstrap, with this machine's Debian sources and nothing else installed),
# the committed tree cloned into it, then the README's commands deps, build, kmod, unit, arm64,
# armhf and deb run inside it as root.  Proves the install steps that this machine's hand-installed packages hide.
# Downloads a root and every package: not part of test.  FRESH_ROOT chooses the folder.
fresh() {
	local root=${FRESH_ROOT:-$B/fresh} base=$B/fresh-base.tar.gz codename uris m rc=0
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	apt_install debootstrap git
	uris=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uris" ] || uris=$(awk -v c="$codename" '$1 == "deb" && $3 == c { print $2; exit }' /etc/apt/sources.list)
	# Never remove a root that still has the host's /proc, /sys or /dev mounted in it.
	if grep -q " $root/" /proc/mounts; then
		echo "fresh: $root has mounts inside (an interrupted run?): umount -R them first" >&2; return 1
	fi
	mkdir -p "$B"
	# debootstrap runs once; its root is kept as a tarball and every run starts from a fresh
	# copy of it, so packages an earlier run installed never hide a missing install step.
	if [ ! -s "$base" ]; then
		rm -rf "$root"
		debootstrap --variant=minbase "$codename" "$root" "$uris" > "$B/fresh-debootstrap.log" 2>&1 ||
			{ tail -20 "$B/fresh-debootstrap.log"; echo "fresh: debootstrap failed" >&2; return 1; }
		tar -C "$root" -czf "$base.tmp" . && mv "$base.tmp" "$base"
	fi
	rm -rf "$root"; mkdir -p "$root"
	tar -C "$root" -xzf "$base"
	# This machine's Debian sources (security updates included), as a fresh install has them.
	rm -f "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*
	cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
		cp /etc/apt/sources.list "$root/etc/apt/"
	rm -rf "$root/src/nfhelper"; mkdir -p "$root/src"
	git clone -q "$ROOT" "$root/src/nfhelper"
	for m in proc sys dev; do mountpoint -q "$root/$m" || mount --rbind "/$m" "$root/$m"; done
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root /bin/bash -c \
		'cd /src/nfhelper && ./build.sh deps && ./build.sh && ./build.sh kmod && ./build.sh unit &&
		 ./build.sh arm64 && ./build.sh armhf && ./build.sh deb' || rc=$?
	for m in dev sys proc; do umount -R "$root/$m" 2> /dev/null || true; done
	[ "$rc" = 0 ] && echo "fresh: a minimal $codename root passed deps, build, kmod, unit, arm64, armhf and deb" ||
		echo "fresh: FAILED in the minimal $codename root ($root); see above" >&2
	return "$rc"
}

# vm [PROTO | PROTO/SCENARIO ...]: the VM scenarios; KERNELS= / MODES= choose the boots (default:
# CI's: 6.1 in every mode, 6.12 with nfhelper), e.g. KERNELS=6.12 MODES="nfhelper kernel".
vm() { need qemu-system-x86_64; release; kmod; tests/vm/run.sh "$@"; }

# deb: $B/nfhelper_<version>_<arch>.deb from the release binary (packaging/deb.sh) and
# $B/nfhelper-dkms_<version>_all.deb, the PPTP module for DKMS (packaging/deb-dkms.sh); dpkg-deb only.
deb() { release; packaging/deb.sh "$B/nfhelper" "$B"; packaging/deb-dkms.sh "$B"; }

# image: $B/nfhelper-image.tar, a docker archive (podman load and docker load read it) of the
# image packaging/container/Containerfile describes: FROM scratch, the release binary alone,
# tagged localhost/nfhelper:VERSION.  No registry, no network: the context is a folder holding
# only the binary and the Containerfile, and podman's storage is private to $B (vfs: works on any filesystem, also
# inside a container whose root is an overlay; one layer of 250 KB costs nothing to copy).
image() {
	local ver ctx=$B/image-context tag st
	need podman
	release
	ver=$(tr -d ' \n' < VERSION)
	tag=localhost/nfhelper:$ver
	st=(--root "$B/podman/root" --runroot "$B/podman/run" --storage-driver vfs)
	rm -rf "$ctx"; mkdir -p "$ctx"
	cp "$B/nfhelper" packaging/container/Containerfile "$ctx/"
	# The commit's time as the image's: the same tree gives the same image.
	podman "${st[@]}" build -q --pull=never --network none \
		--timestamp "$(git log -1 --format=%ct 2>/dev/null || echo 0)" -t "$tag" "$ctx" > /dev/null
	rm -f "$B/nfhelper-image.tar"
	podman "${st[@]}" save -q --format docker-archive -o "$B/nfhelper-image.tar" "$tag"
	podman "${st[@]}" rmi -f "$tag" > /dev/null
	echo "built $B/nfhelper-image.tar: $tag, $(stat -c %s "$B/nfhelper-image.tar") bytes"
}

# vmsystemd: the package in a guest booted with systemd (tests/vm/systemd/run.sh; KERNELS= as
# for vm): nfhelper@ftp after boot, stop, kill, its credentials, the binary copied alone, the
# container image (image) run with podman.
vmsystemd() {
	need qemu-system-x86_64 dpkg-deb
	deb
	image
	NFH_BIN="$B/nfhelper" NFH_DEB="$B/nfhelper_$(tr -d ' \n' < VERSION)_$(dpkg --print-architecture).deb" \
		NFH_IMAGE="$B/nfhelper-image.tar" tests/vm/systemd/run.sh
}

case "${1:-all}" in
deps)	deps ;;
all)	release ;;
unit)	unit ;;
fuzz)	shift; fuzz "${1:-10}" "${2:-}" ;;
vm)	shift; vm "$@" ;;
kmod)	kmod ;;
kmodtest) need qemu-system-x86_64; kmod; tests/vm/kmod/run.sh ;;
test)	deps; release; kmod; unit; arm64; armhf; fuzz 15; tests/vm/run.sh; tests/vm/kmod/run.sh; vmsystemd ;;
vmsystemd) vmsystemd ;;
bench)	bench ;;
deb)	deb ;;
image)	image ;;
arm64|armhf) "$1"; ARCH=$1 packaging/deb.sh "$B/$1/nfhelper" ;;
fresh)	fresh ;;
demo)	deps; release; tests/vm/demo.sh ;;
clean)	rm -rf "$B" ;;
*)	echo "usage: $0 [deps|all|kmod|kmodtest|unit|fuzz [SECONDS [HARNESS]]|vm [PROTO|PROTO/SCENARIO...]|vmsystemd|test|bench|deb|image|arm64|armhf|demo|fresh|clean]" >&2; exit 2 ;;
esac
