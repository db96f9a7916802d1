#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build, test, benchmark and demo nfhelper.  Usage: ./build.sh [deps|all|kmod|unit|fuzz|vm|test|bench|demo|fresh|clean]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
B=${BUILD_DIR:-$ROOT/build}  # BUILD_DIR lets parallel builds use their own folders

# Every package a fresh Debian 12 machine needs for every target below (checked: ./build.sh fresh).
# make and perl: kmod's kbuild (W=1 runs scripts/kernel-doc).
# (The VM's protocol folders add theirs: PROTO_PKGS in tests/vm/*/proto.sh; the 6.12 kernel comes
# from backports, see backports_kernel.)
PKGS="musl-tools ragel make perl clang-14 libclang-rt-14-dev file qemu-system-x86 linux-image-amd64
      busybox-static kmod xz-utils nftables conntrack iproute2 python3"

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
	backports_kernel
	kernel_headers
}

# musl-gcc does not search the kernel's UAPI headers; give it a folder of links to them.
uapi() {
	mkdir -p "$B/uapi"
	ln -sfn /usr/include/linux "$B/uapi/linux"
	ln -sfn /usr/include/asm-generic "$B/uapi/asm-generic"
	ln -sfn "/usr/include/$(gcc -print-multiarch)/asm" "$B/uapi/asm"
}

CWARN="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter"
# Ragel output is generated: relax only the warnings its -G2 code is known to trigger.
GENWARN="-Wno-implicit-fallthrough -Wno-unused-variable -Wno-unused-const-variable -Wno-missing-prototypes"

# Each grammars/*.rl into $B/gen/*.c.  Shared rules live in grammars/include/ (not a grammar of
# their own) and are pulled in by Ragel's `include`: a grammar is regenerated when it or a file
# it includes is newer than its output.
grammars() {
	local rl out inc stale
	mkdir -p "$B/gen"
	for rl in grammars/*.rl; do
		out="$B/gen/$(basename "${rl%.rl}").c"
		stale=0
		[ "$out" -nt "$rl" ] || stale=1
		for inc in $(sed -n 's/^[[:space:]]*include[[:space:]][^"]*"\([^"]*\)".*/\1/p' "$rl"); do
			[ "$out" -nt "grammars/$inc" ] || stale=1
		done
		[ "$stale" = 0 ] || ragel -G2 -o "$out" "$rl"
	done
}

# compile OUTDIR CC CFLAGS... : every src/*.c (but main.c) and generated parser into OUTDIR/libnfhelper.a,
# one compiler per core, the large generated parsers first (they take the longest).
compile_lib() {
	local out=$1 cc=$2; shift 2
	mkdir -p "$out"
	local objs=() running=0 fail=0 max c o
	max=$(nproc)
	for c in "$B"/gen/*.c src/*.c; do
		[ -e "$c" ] && [ "$c" != src/main.c ] || continue
		case $c in
		src/*) o="$out/$(basename "${c%.c}").o"
		       $cc "$@" $CWARN -Isrc -I"$B/gen" -c "$c" -o "$o" & ;;
		*)     o="$out/gen_$(basename "${c%.c}").o"
		       $cc "$@" ${GENOPT:-} $CWARN $GENWARN -Isrc -I"$B/gen" -c "$c" -o "$o" & ;;
		esac
		objs+=("$o")
		running=$((running + 1))
		if [ "$running" -ge "$max" ]; then wait -n || fail=1; running=$((running - 1)); fi
	done
	while [ "$running" -gt 0 ]; do wait -n || fail=1; running=$((running - 1)); done
	[ "$fail" = 0 ] || { echo "compile failed (see above)" >&2; return 1; }
	rm -f "$out/libnfhelper.a"
	ar rcs "$out/libnfhelper.a" "${objs[@]}"
}

# compile_testlib OUTDIR CC CFLAGS...: the shared test code, every tests/lib/*.c, into
# OUTDIR/libtest.a (an archive: a binary links only what it uses, so a fuzzer without TAP
# does not need tap_ok).
compile_testlib() {
	local out=$1 cc=$2 c objs=(); shift 2
	for c in tests/lib/*.c; do
		$cc "$@" $CWARN -Wno-missing-prototypes -Isrc -I"$B/gen" -Itests/lib -c "$c" -o "$out/test_$(basename "${c%.c}").o"
		objs+=("$out/test_$(basename "${c%.c}").o")
	done
	rm -f "$out/libtest.a"
	ar rcs "$out/libtest.a" "${objs[@]}"
}

release() {
	uapi; grammars
	compile_lib "$B/musl" musl-gcc -std=c11 -D_GNU_SOURCE -O2 -isystem "$B/uapi" -ffunction-sections -fdata-sections
	musl-gcc -std=c11 -D_GNU_SOURCE -O2 -isystem "$B/uapi" $CWARN -Isrc -I"$B/gen" -static -Wl,--gc-sections -s \
		src/main.c "$B/musl/libnfhelper.a" -o "$B/nfhelper"
	echo "built $B/nfhelper: $(stat -c %s "$B/nfhelper") bytes; $(file -b "$B/nfhelper" | cut -d, -f1-5)"
}

# listing OUT MACRO PREFIX FILES...: "#define MACRO(X) X(a) X(b)" for PREFIXa.c, PREFIXb.c — unit
# suites and benches are found by their file names, never listed by hand.
listing() {
	local out=$1 macro=$2 prefix=$3 line; shift 3
	line="#define $macro(X)"
	for f in "$@"; do
		f=$(basename "${f%.c}")
		line="$line X(${f#"$prefix"})"
	done
	mkdir -p "$(dirname "$out")"
	echo "$line" > "$out.tmp"
	cmp -s "$out.tmp" "$out" 2>/dev/null && rm -f "$out.tmp" || mv "$out.tmp" "$out"
}

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
unit() {
	grammars
	listing "$B/list/suites.h" SUITES test_ tests/unit/test_*.c
	compile_lib "$B/asan" clang-14 -std=c11 -D_GNU_SOURCE $SAN
	compile_testlib "$B/asan" clang-14 -std=c11 -D_GNU_SOURCE $SAN
	clang-14 -std=c11 -D_GNU_SOURCE $SAN $CWARN -Wno-missing-prototypes -Isrc -I"$B/gen" -I"$B/list" -Itests/lib \
		tests/unit/*.c "$B/asan/libtest.a" "$B/asan/libnfhelper.a" -o "$B/unit-tests"
	(cd tests/unit && "$B/unit-tests")
}

# fuzz [SECONDS]: build every harness in tests/fuzz and run each for SECONDS on its seed corpus.
fuzz() {
	local secs=${1:-10}
	grammars
	# Coverage instrumentation at -O1 over Ragel's -G2 goto tables takes clang minutes per
	# grammar; at -O0 seconds.  The parsers' own code is what the fuzzers exercise either way.
	GENOPT=-O0 compile_lib "$B/fuzzlib" clang-14 -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined
	compile_testlib "$B/fuzzlib" clang-14 -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined
	for h in tests/fuzz/fuzz_*.c; do
		[ -e "$h" ] || continue
		local name; name=$(basename "${h%.c}")
		clang-14 -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -I"$B/gen" -Itests/lib \
			"$h" "$B/fuzzlib/libtest.a" "$B/fuzzlib/libnfhelper.a" -o "$B/$name"
		local corpus="$B/corpus/$name"
		mkdir -p "$corpus"
		echo "fuzz: $name for ${secs}s"
		"$B/$name" -max_total_time="$secs" -print_final_stats=0 "$corpus" "tests/fuzz/seeds/${name#fuzz_}" \
			> "$B/$name.log" 2>&1 || { tail -40 "$B/$name.log"; echo "fuzz: $name FAILED"; return 1; }
		grep -E '^(#[0-9]+|Done)' "$B/$name.log" | tail -1
	done
}

bench() {
	grammars
	listing "$B/list/benches.h" BENCHES bench_ tests/bench/bench_*.c
	compile_lib "$B/bench" gcc -std=c11 -D_GNU_SOURCE -O2 -g
	compile_testlib "$B/bench" gcc -std=c11 -D_GNU_SOURCE -O2 -g
	gcc -std=c11 -D_GNU_SOURCE -O2 -g $CWARN -Wno-missing-prototypes -Isrc -I"$B/gen" -I"$B/list" -Itests/lib tests/bench/*.c "$B/bench/libtest.a" "$B/bench/libnfhelper.a" -o "$B/bench-nfhelper"
	"$B/bench-nfhelper"
}

# kmod: the nfh_pptp module for every VM kernel, into $B/kmod/VERSION/nfh_pptp.ko (kbuild
# writes next to the sources, so each version builds in its own copy).  A warning fails it.
kmod() {
	local s v d log
	for s in $(. tests/vm/kernel.sh && echo "$VM_KERNELS_ALL"); do
		v=$(. tests/vm/kernel.sh && vm_kernel_version "$s")
		d="$B/kmod/$v"
		mkdir -p "$d"
		cp kmod/Kbuild kmod/*.[ch] "$d/"
		log=$(make -C "/usr/src/linux-headers-$v" M="$d" W=1 modules 2>&1) ||
			{ echo "$log"; echo "kmod: build for $v failed" >&2; return 1; }
		if echo "$log" | grep -q 'warning:'; then
			echo "$log"; echo "kmod: warnings building for $v" >&2; return 1
		fi
		echo "built $d/nfh_pptp.ko"
	done
}

# fresh: what a fresh Debian 12 machine does with a clone of this repository, without a VM:
# a minimal root (debootstrap, with this machine's Debian sources and nothing else installed),
# the committed tree cloned into it, then the README's commands deps, build, kmod and unit run
# inside it as root.  Proves the install steps that this machine's hand-installed packages hide.
# Downloads a root and every package: not part of test.  FRESH_ROOT chooses the folder.
fresh() {
	local root=${FRESH_ROOT:-$B/fresh} codename uris m rc=0
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	apt_install debootstrap git
	uris=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
	[ -n "$uris" ] || uris=$(awk -v c="$codename" '$1 == "deb" && $3 == c { print $2; exit }' /etc/apt/sources.list)
	# Never remove a root that still has the host's /proc, /sys or /dev mounted in it.
	if grep -q " $root/" /proc/mounts; then
		echo "fresh: $root has mounts inside (an interrupted run?): umount -R them first" >&2; return 1
	fi
	mkdir -p "$B"
	if [ ! -x "$root/usr/bin/apt-get" ]; then
		rm -rf "$root"
		debootstrap --variant=minbase "$codename" "$root" "$uris" > "$B/fresh-debootstrap.log" 2>&1 ||
			{ tail -20 "$B/fresh-debootstrap.log"; echo "fresh: debootstrap failed" >&2; return 1; }
	fi
	# This machine's Debian sources (security updates included), as a fresh install has them.
	rm -f "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*
	cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
		cp /etc/apt/sources.list "$root/etc/apt/"
	rm -rf "$root/src/nfhelper"; mkdir -p "$root/src"
	git clone -q "$ROOT" "$root/src/nfhelper"
	for m in proc sys dev; do mountpoint -q "$root/$m" || mount --rbind "/$m" "$root/$m"; done
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root /bin/bash -c \
		'cd /src/nfhelper && ./build.sh deps && ./build.sh && ./build.sh kmod && ./build.sh unit' || rc=$?
	for m in dev sys proc; do umount -R "$root/$m" 2> /dev/null || true; done
	[ "$rc" = 0 ] && echo "fresh: a minimal $codename root passed deps, build, kmod and unit" ||
		echo "fresh: FAILED in the minimal $codename root ($root); see above" >&2
	return "$rc"
}

# vm [PROTO | PROTO/SCENARIO ...]: the VM scenarios; KERNELS= / MODES= choose the boots (default:
# CI's: 6.1 in every mode, 6.12 with nfhelper), e.g. KERNELS=6.12 MODES="nfhelper kernel".
vm() { release; kmod; tests/vm/run.sh "$@"; }

case "${1:-all}" in
deps)	deps ;;
all)	deps; release ;;
unit)	deps; unit ;;
fuzz)	deps; shift; fuzz "${1:-10}" ;;
vm)	deps; shift; vm "$@" ;;
kmod)	deps; kmod ;;
kmodtest) deps; kmod; tests/vm/kmod/run.sh ;;
test)	deps; release; kmod; unit; fuzz 15; tests/vm/run.sh; tests/vm/kmod/run.sh ;;
bench)	deps; bench ;;
fresh)	fresh ;;
demo)	deps; release; tests/vm/demo.sh ;;
clean)	rm -rf "$B" ;;
*)	echo "usage: $0 [deps|all|kmod|kmodtest|unit|fuzz [SECONDS]|vm [PROTO|PROTO/SCENARIO...]|test|bench|demo|fresh|clean]" >&2; exit 2 ;;
esac
