#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The user-visible demo (./build.sh demo): one VM boot, FTP through a NAT router whose firewall
# drops everything not established/related.  Active and passive succeed with `nfhelper ftp`;
# active fails with no helper at all.  Logs: build/vm/out/demo/.
set -eu
VM=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$VM/../.." && pwd)
OUT=$ROOT/build/vm/out/demo
BIN=${NFH_BIN:-$ROOT/build/nfhelper}
[ -x "$BIN" ] || { echo "demo: cannot run $BIN: not built; run ./build.sh all" >&2; exit 1; }

say() { printf '%s\n' "$*"; }
val() { awk -v l="$1" -v c="$2" '$1 == l && $2 == c { $1 = $2 = ""; sub(/^ +/, ""); print }' "$OUT/results.txt"; }
sent() { sed -n "s/^> \\($1\\)/\\1/p" "$OUT/$2/client.log" | tr -d '\r' | head -1; }
# The server's reply to the data command, from vsftpd's protocol log.
answer() { awk -F'"' '/FTP command: .*"(PORT|PASV)/ { n = 1; next } n && /FTP response/ { print $4; exit }' "$OUT/$1/vsftpd.log"; }

# story LABEL: what happened in one step, read back from the results share.
story() {
	local l=$1 d=$OUT/$1 x
	case $l in
	ftp/v4-port-nat)	say "== 1. active FTP (client sends PORT) through NAT, nfhelper running in the router" ;;
	ftp/v4-pasv-nat)	say "== 2. passive FTP (server answers 227) through NAT, nfhelper running in the router" ;;
	ftp/v4-port-nat@none)	say "== 3. active FTP through NAT again, no helper at all" ;;
	esac
	if [ "$l" = ftp/v4-pasv-nat ]; then
		say "   client sent:      $(sent PASV "$l")"
		say "   server replied:   $(answer "$l")"
		say "   client got:       $(val "$l" reply)"
	else
		say "   client sent:      $(sent PORT "$l")        (10.0.1.2 is private: the server cannot reach it)"
		say "   server received:  $(val "$l" cmd)"
		say "   server replied:   $(answer "$l")"
	fi
	x=$(val "$l" exp)
	say "   expectation:      ${x/#-/none}" | sed 's/proto=6 src=\([^ ]*\) dst=\([^ ]*\) sport=0 dport=\([0-9]*\) .*/tcp from \1 to \2 port \3 (created by the helper)/'
	[ -e "$d/nfhelper.log" ] && sed 's/^/   nfhelper:         /' "$d/nfhelper.log" | head -2
	if [ "$(val "$l" xfer)" = ok ]; then say "   transfer:         OK, 200000 bytes identical to the served file"
	else say "   transfer:         FAILED (curl: $(grep -h -o '^curl: ([0-9]*)' "$d/client.log" | head -1 | sed 's/curl: //'))"; fi
}

say "demo: client 10.0.1.2 -- router (nft: forward policy drop, masquerade) -- vsftpd 10.0.2.2"
say "demo: booting Debian's ${NFH_DEMO_KERNEL:-6.1} kernel under QEMU (TCG, no network to the outside)..."
start=$(date +%s)
NFH_BIN=$BIN NFH_BOOT_LIMIT=150 "$VM/boot.sh" "${NFH_DEMO_KERNEL:-6.1}" nfhelper "$OUT" "$VM/guest.sh" \
	ftp/v4-port-nat ftp/v4-pasv-nat none:ftp/v4-port-nat &
qemu=$!
# Each finished scenario prints "NFH-TIME MODE LABEL SECONDS" (anywhere in a console line: escape
# sequences can be glued to it); its files are in the share by then.
tail -n +1 -F --pid="$qemu" "$OUT/console.log" 2>/dev/null | grep --line-buffered -ao 'NFH-TIME [^ ]* [^ ]* [0-9.]*s' |
while read -r _ _ l t; do story "$l"; say "   ($t)"; done
wait "$qemu" || true

ok=0
[ "$(val ftp/v4-port-nat xfer)" = ok ] && [ "$(val ftp/v4-pasv-nat xfer)" = ok ] && [ "$(val ftp/v4-port-nat@none xfer)" = fail ] && ok=1
if [ $ok = 1 ]; then say "demo: as it should be: nfhelper made both transfers work; without a helper active FTP fails ($(($(date +%s) - start)) s)"
else say "demo: NOT as expected; logs in $OUT"; exit 1; fi
