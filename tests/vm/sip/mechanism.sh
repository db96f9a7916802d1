#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Manual check in the VM (not part of CI): can the kernel's SIP NAT half (nf_nat_sip: the "sip"
# expectfn) be loaded beside a userspace helper named "sip" (issue 13 section 2)?
# nf_conntrack_sip on another port registers its helpers as "sip-0", so it should not clash with
# a userspace "sip"; nf_nat_sip depends on it.  Both orders are tried, then what an nft
# `ct helper` object of type "sip" selects (a userspace helper answering TFTP under the name
# "sip": an RRQ sent to port 5060 opens an expectation only if it was the one asked), and which
# modules anything asked to autoload (the rig's modprobe logs every request to modprobe.log).
# Until `nfhelper sip` exists, `nfhelper tftp --name sip` stands for it (UDP only).
#   tests/vm/boot.sh 6.1 kernel build/vm/out/mech-6.1 tests/vm/sip/mechanism.sh
# Its transcript: build/vm/out/mech-6.1/mechanism.txt (each command, its status, new kernel lines).
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
. "$NFH_OUT/params"
OUT=$NFH_OUT/mechanism.txt
exec > "$OUT" 2>&1
T() { timeout -k 2 "$@"; }
mark=0
klog() { dmesg | awk -v m="$mark" 'NR > m' | sed 's/^/    kernel: /'; mark=$(dmesg | wc -l); }
run() { echo "\$ $*"; T 20 "$@"; echo "    -> exit $?"; klog; }
helper_up() {	# helper_up LOG: nfhelper tftp --name sip in netns r, until ready
	# 8 expectations per master (TFTP's class keeps 1): expectfn.py adds its own beside.
	echo "\$ ip netns exec r $NFH_BIN tftp --name sip --max-expected 8 -vv &"
	ip netns exec r "$NFH_BIN" tftp --name sip --max-expected 8 -vv > "$NFH_OUT/$1" 2>&1 &
	HPID=$!
	for _ in $(seq 100); do grep -q ready "$NFH_OUT/$1" && break; kill -0 $HPID 2>/dev/null || break; sleep 0.1; done
	echo "    -> $(grep -m1 -E 'ready|rror|clash|kernel' "$NFH_OUT/$1" || echo 'no ready line')"; klog
}
helper_down() { kill -TERM "$HPID"; wait "$HPID"; echo "\$ kill nfhelper -> exit $?"; run "$NFH_BIN" tftp --name sip --unregister; }
mods() { echo "    modules: $(awk '{ print $1 }' /proc/modules | grep -E 'sip|cthelper|nf_nat$' | sort | paste -sd ' ')"; }
# The datagram: an RRQ to port 5060 from inside netns r (output hook).  Only the userspace
# helper (TFTP logic under the name "sip") opens an expectation for it.
probe() {
	echo "\$ RRQ 127.0.0.1 -> 127.0.0.1:5060 (ruleset: ct helper \"sip\" on udp dport 5060)"
	T 10 ip netns exec r conntrack -F > /dev/null 2>&1
	T 10 ip netns exec r python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b"\0\1f\0octet\0", ("127.0.0.1", 5060))'
	sleep 1
	echo "    conntrack: $(T 10 ip netns exec r conntrack -L -p udp --dport 5060 2>/dev/null | sed 's/  */ /g')"
	echo "    expect:    $(T 10 ip netns exec r conntrack -L expect 2>/dev/null | sed 's/  */ /g')"
	klog
}
ruleset() {
	cat > /tmp/sip-mech.nft <<-'NFT'
	table inet m {
		ct helper sip-help {
			type "sip" protocol udp
			l3proto inet
		}
		chain out {
			type filter hook output priority filter; policy accept;
			udp dport 5060 ct helper set "sip-help"
		}
	}
	NFT
	run ip netns exec r nft -f /tmp/sip-mech.nft
}

echo "# kernel $(uname -r)"
for m in nf_conntrack nf_nat nf_tables nft_ct nf_conntrack_netlink nfnetlink_queue nfnetlink_cthelper; do
	T 20 modprobe "$m" || echo "cannot load $m"
done
klog >/dev/null
ip netns add r && ip -n r link set lo up

echo; echo "## A: kernel first: nf_conntrack_sip ports=5061, nf_nat_sip, then a userspace \"sip\""
run modprobe nf_conntrack_sip ports=5061
run modprobe nf_nat_sip
mods
helper_up helper-a.log
ruleset
probe
mods
echo "\$ expectfn.py sip nat-follow-master bogus   (nf_nat_sip loaded; master helper: the userspace \"sip\")"
T 20 ip netns exec r conntrack -F > /dev/null 2>&1
T 20 ip netns exec r python3 "$(dirname "$0")/expectfn.py" sip nat-follow-master bogus
echo "    expect:    $(T 10 ip netns exec r conntrack -L expect 2>/dev/null | sed 's/  */ /g' | paste -sd '|')"
klog
run ip netns exec r nft flush ruleset
helper_down
run modprobe -r nf_nat_sip nf_conntrack_sip
mods
echo "## A2: the same without nf_nat_sip (nf_nat loaded, as in a NAT router): no \"sip\" expectfn"
run modprobe nf_nat
helper_up helper-a2.log
ruleset
T 20 ip netns exec r conntrack -F > /dev/null 2>&1
echo "\$ expectfn.py sip nat-follow-master"
T 20 ip netns exec r python3 "$(dirname "$0")/expectfn.py" sip nat-follow-master
echo "    expect:    $(T 10 ip netns exec r conntrack -L expect 2>/dev/null | sed 's/  */ /g' | paste -sd '|')"
klog
run ip netns exec r nft flush ruleset
helper_down
mods

echo; echo "## B: userspace \"sip\" first, then nf_conntrack_sip ports=5061 and nf_nat_sip"
helper_up helper-b.log
run modprobe nf_conntrack_sip ports=5061
run modprobe nf_nat_sip
mods
ruleset
probe
echo "## B2: the default nf_conntrack_sip (port 5060, helper \"sip\") while the userspace \"sip\" is registered"
run ip netns exec r nft flush ruleset
run modprobe -r nf_nat_sip nf_conntrack_sip
run modprobe nf_conntrack_sip
mods
run modprobe -r nf_conntrack_sip
helper_down

echo; echo "## C: no helper named \"sip\" at all: the ct helper object asks for it by autoload"
ruleset
mods
run ip netns exec r nft flush ruleset

echo; echo "## autoload requests during this boot (modprobe.log)"
sed 's/^/    /' "$NFH_OUT/modprobe.log" 2>/dev/null
ip netns del r
echo "# done"
