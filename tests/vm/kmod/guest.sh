#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of the module self-test (run.sh): the nfh_pptp module without nfhelper, driven by
# genlreq.py, with acceptq.py answering the helper's queue and gre.py as both GRE ends.
# client 10.0.1.2 | router (masquerade) | server 10.0.2.2; every check is one line in
# $NFH_OUT/results.txt: "ok NAME" or "not ok NAME: got ... want ...".
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
K=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$K/../../.." && pwd)
. "$K/../kernellog.sh"
exec > "$NFH_OUT/trace.txt" 2>&1
R=$NFH_OUT/results.txt
: > "$R"
check() {	# check NAME GOT WANT
	if [ "$2" = "$3" ]; then echo "ok $1" >> "$R"; else echo "not ok $1: got '$2' want '$3'" >> "$R"; fi
}
in_r() { ip netns exec r "$@"; }
req() { in_r python3 "$K/genlreq.py" "$@"; }
counts() { in_r cat /proc/net/nfh_pptp | head -4 | awk '{printf "%s%s", s, $2; s=" "}'; }
ctnl() { in_r python3 "$K/ctnl.py" "$@"; }
ngre() { in_r conntrack -L -p gre 2>/dev/null | grep -c '^gre'; }
nexp() { in_r conntrack -L expect 2>/dev/null | grep -c 'proto=47'; }
# gre_path NAME SENDER_NS DST KEY RECEIVER_NS WANT: one GRE packet across the router
gre_path() {
	ip netns exec "$5" python3 "$K/gre.py" recv 5 > "$NFH_OUT/gre.$1" & local p=$!
	sleep 0.5
	ip netns exec "$2" python3 "$K/gre.py" send "$3" "$4"
	wait $p
	check "$1" "$(cat "$NFH_OUT/gre.$1")" "$6"
}

# topo: client c0 10.0.1.2 | r0 10.0.1.1 router r1 10.0.2.1 | s0 10.0.2.2 server
topo() {
	for n in c r s; do ip netns add $n; ip -n $n link set lo up; done
	ip link add c0 netns c type veth peer name r0 netns r
	ip link add s0 netns s type veth peer name r1 netns r
	ip -n c addr add 10.0.1.2/24 dev c0; ip -n c link set c0 up; ip -n c route add default via 10.0.1.1
	ip -n r addr add 10.0.1.1/24 dev r0; ip -n r link set r0 up
	ip -n r addr add 10.0.2.1/24 dev r1; ip -n r link set r1 up
	ip -n s addr add 10.0.2.2/24 dev s0; ip -n s link set s0 up; ip -n s route add default via 10.0.2.1
	in_r sysctl -qw net.ipv4.ip_forward=1
}
ruleset() {
	in_r nft -f - <<-N
	table ip t {
		ct helper p {
			type "nfhpptp" protocol tcp
			l3proto ip
		}
		chain pre {
			type filter hook prerouting priority 0
			tcp dport 1723 ct helper set "p"
		}
		chain post {
			type nat hook postrouting priority 100
			oifname "r1" masquerade
		}
	}
	N
}
# peers: the queue answered, a TCP server on 1723
peers() {
	ip netns exec r python3 "$K/acceptq.py" 3 & QP=$!
	ip netns exec s python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 1723)); s.listen(5)
held = []
while True: held.append(s.accept())' & SP=$!
	sleep 1
}
# control PORT: a control connection from that client port; ID and M name its conntrack
control() {
	ip netns exec c python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("10.0.1.2", int(sys.argv[1]))); s.connect(("10.0.2.2", 1723))
time.sleep(120)' "$1" & CP=$!
	sleep 2
	ID=$(in_r conntrack -L -p tcp --dport 1723 --sport "$1" -o id 2>/dev/null |
		sed -n 's/.*helper=nfhpptp.* id=\([0-9]*\).*/\1/p')
	M="$ID 10.0.1.2 10.0.2.2 $1"
}
teardown() {
	kill $QP $SP $CP 2> /dev/null
	wait $QP $SP $CP 2> /dev/null
	for n in c r s; do ip netns del $n; done
}

for m in veth nf_conntrack nf_nat nf_conntrack_netlink nfnetlink_queue nf_tables nft_ct nft_nat \
	 nft_masq nft_chain_nat nf_conntrack_ftp; do modprobe "$m"; done
check insmod "$(insmod "$ROOT/build/kmod/$(uname -r)/nfh_pptp.ko" 2>&1; echo $?)" 0
topo
check counts-start "$(counts)" "0 0 0 0"
check helper-set-malformed "$(req badname)" -22
# The in-tree helper stays loaded for other traffic: its name is refused, ours works beside it.
check intree-load "$(modprobe nf_conntrack_pptp 2>&1; echo $?)" 0
check helper-set-intree-name "$(req set pptp 3)" -16
check helper-set "$(req set nfhpptp 3)" 0
check call-add-no-master "$(req add 1 10.0.1.2 10.0.2.2 40000 1 1 1)" -2
check call-add-unprivileged "$(in_r setpriv --reuid=nobody --regid=nogroup --clear-groups \
	python3 "$K/genlreq.py" add 1 10.0.1.2 10.0.2.2 40000 1 1 1)" -1
ruleset
check ruleset-finds-helper $? 0
check ruleset-pins-module "$(awk '$1 == "nfh_pptp" { print $3 }' /proc/modules)" 1
check helper-rename-referenced "$(req set other 3)" -16
check helper-del-referenced "$(req del nfhpptp)" -16

peers
control 40000
check master-has-helper "${ID:+yes}" yes

# CTA_HELP naming the helper without CTA_HELP_INFO makes ctnetlink call from_nlattr(NULL): the
# oops nfhelper's own verdicts caused, and any namespace admin can send it.  Only user[] (16
# bytes) is writable, a longer info is refused whole, and a conntrack created with the helper
# and no info is fine too.
check nlattr-null-update "$(ctnl helpupdate 10.0.1.2 10.0.2.2 40000 1723 nfhpptp)" 0
check nlattr-info-set "$(ctnl helpupdate 10.0.1.2 10.0.2.2 40000 1723 nfhpptp 000102030405060708090a0b0c0d0e0f)" 0
check nlattr-info-read "$(ctnl helpinfo 10.0.1.2 10.0.2.2 40000 1723)" 000102030405060708090a0b0c0d0e0f
ctnl helpupdate 10.0.1.2 10.0.2.2 40000 1723 nfhpptp "$(printf 'ff%.0s' $(seq 17))" > /dev/null
check nlattr-info-long-refused "$(ctnl helpinfo 10.0.1.2 10.0.2.2 40000 1723)" 000102030405060708090a0b0c0d0e0f
check nlattr-null-create "$(ctnl helpcreate 10.0.1.9 10.0.2.2 41000 1723 nfhpptp)" 0
check nlattr-null-create-gone "$(in_r conntrack -D -s 10.0.1.9 -p tcp --sport 41000 2>&1 | grep -c 'flow entries have been deleted')" 1

# A call the client side opens: its ID 100, NATed to 200; the server's 300.
check call-add "$(req add $M 100 200 300)" 0
check call-add-counts "$(counts)" "1 1 2 1"
check call-add-expectations "$(nexp)" 2
gre_path gre-to-server c 10.0.2.2 300 s "from 10.0.2.1 key 300"
gre_path gre-to-client-nat s 10.0.2.1 200 c "from 10.0.2.2 key 100"
check gre-one-conntrack "$(ngre)" 1
check gre-other-expectation-gone "$(nexp)" 0
check call-add-again "$(req add $M 100 200 300)" 0
check call-add-key-clash "$(req add $M 101 200 301)" -16
check call-del "$(req delcall $M 100 200 300)" 0
check call-del-gre-gone "$(ngre)" 0
check call-del-counts "$(counts)" "0 0 0 0"

# Two calls at once, the server's side sending first.
check call2-add "$(req add $M 110 210 310)" 0
check call3-add "$(req add $M 111 211 311)" 0
gre_path gre2-to-client-first s 10.0.2.1 210 c "from 10.0.2.2 key 110"
gre_path gre2-to-server c 10.0.2.2 310 s "from 10.0.2.1 key 310"
gre_path gre3-to-client s 10.0.2.1 211 c "from 10.0.2.2 key 111"
check two-calls-counts "$(counts)" "1 2 4 2"
check two-calls-gre "$(ngre)" 2
in_r conntrack -D -p tcp --dport 1723 > /dev/null 2>&1
sleep 1
check master-gone-counts "$(counts)" "0 0 0 0"
check master-gone-gre "$(ngre)" 0
check master-gone-expectations "$(nexp)" 0

# A namespace that goes with a call up: its state is freed before conntrack's own exit.
kill $CP; wait $CP 2> /dev/null
control 40001
check netns-call-add "$(req add $M 130 230 330)" 0
gre_path netns-gre s 10.0.2.1 230 c "from 10.0.2.2 key 130"
check netns-master-alive "$(counts)" "1 1 2 1"
teardown
sleep 2
check netns-gone-calls "$(awk '$1 == "calls_all_namespaces" { print $2 }' /proc/net/nfh_pptp)" 0

# A master in conntrack zone 5 is found in that zone only.
topo
ruleset
in_r nft -f - <<-N
table ip z {
	chain pre {
		type filter hook prerouting priority -300
		tcp dport 1723 ct zone set 5
		tcp sport 1723 ct zone set 5
	}
}
N
peers
control 40003
check zone-master-has-helper "${ID:+yes}" yes
check zone-call-add-zone-0 "$(req add $M 140 240 340)" -2
check zone-call-add "$(ZONE=5 req add $M 140 240 340)" 0
check zone-call-counts "$(counts)" "1 1 2 1"
check zone-call-del "$(ZONE=5 req delall $M)" 0
check zone-call-del-counts "$(counts)" "0 0 0 0"
teardown

# Unload with a call up, in a new topology.  Beside it an FTP control connection (the in-tree
# helper) whose expectations a namespace admin gave our expectfn by name: it must leave their
# TCP children alone, and none of them may outlive the module.
topo
ruleset
in_r nft -f - <<-N
table ip f {
	ct helper ftp { type "ftp" protocol tcp; l3proto ip; }
	chain pre { type filter hook prerouting priority 0; tcp dport 21 ct helper set "ftp"; }
}
N
peers
ip netns exec s python3 -c '
import socket, threading
def serve(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(5)
    while True:
        c, _ = s.accept(); c.sendall(b"hello\n"); c.close()
for p in (21, 5000, 5001): threading.Thread(target=serve, args=(p,)).start()' & FP=$!
sleep 1
ip netns exec c python3 -c '
import socket, time
s = socket.socket(); s.bind(("10.0.1.2", 40021)); s.connect(("10.0.2.2", 21)); time.sleep(120)' & FC=$!
sleep 2
fetch() { ip netns exec c timeout 5 python3 -c '
import socket, sys
s = socket.create_connection(("10.0.2.2", int(sys.argv[1])), timeout=4); print(s.recv(16).decode().strip())' "$1" 2>&1 | tail -1; }
nexp_port() { in_r conntrack -L expect 2>/dev/null | grep -c "dport=$1 "; }
check foreign-master "$(in_r conntrack -L -p tcp --dport 21 2>/dev/null | grep -c helper=ftp)" 1
check foreign-expectfn-add "$(ctnl expect 10.0.1.2 10.0.2.2 40021 21 10.0.1.2 10.0.2.2 5000 nfh-pptp-gre)" 0
check foreign-expectfn-listed "$(nexp_port 5000)" 1
check foreign-expectfn-child "$(fetch 5000)" hello
# The child came through the expectation (used up) and was NATed by the ruleset, not by us.
check foreign-expectfn-used "$(nexp_port 5000)" 0
check foreign-expectfn-child-nat "$(in_r conntrack -L -p tcp --dport 5000 2>/dev/null | grep -c 'dst=10.0.2.1 sport=5000')" 1
check foreign-expectfn-add2 "$(ctnl expect 10.0.1.2 10.0.2.2 40021 21 10.0.1.2 10.0.2.2 5001 nfh-pptp-gre)" 0
check foreign-expectfn-listed2 "$(nexp_port 5001)" 1
control 40002
check unload-call-add "$(req add $M 120 220 320)" 0
gre_path unload-gre s 10.0.2.1 220 c "from 10.0.2.2 key 120"
in_r nft delete table ip t
kill $QP
check rmmod-call-up "$(rmmod nfh_pptp 2>&1; echo $?)" 0
check rmmod-gre-gone "$(ngre)" 0
check rmmod-expectations-gone "$(nexp)" 0
check rmmod-helper-gone "$(in_r conntrack -L -p tcp --dport 1723 2>/dev/null | grep -c helper=nfhpptp)" 0
check rmmod-foreign-expectfn-gone "$(nexp_port 5001)" 0
check rmmod-foreign-after "$(fetch 5001)" hello
kill $FP $FC 2> /dev/null; wait $FP $FC 2> /dev/null
teardown

# The limits: max_calls_per_net, refusals counted; the host's total only in the initial namespace.
check insmod-limit "$(insmod "$ROOT/build/kmod/$(uname -r)/nfh_pptp.ko" max_calls_per_net=1 2>&1; echo $?)" 0
topo
check helper-set-again "$(req set nfhpptp 3)" 0
ruleset
peers
control 40004
check limit-call-add "$(req add $M 150 250 350)" 0
check limit-call-refused "$(req add $M 151 251 351)" -28
check limit-refused-counted "$(in_r awk '$1 == "refused_limit" { print $2 }' /proc/net/nfh_pptp)" 1
check limit-total-hidden "$(in_r grep -c calls_all_namespaces /proc/net/nfh_pptp)" 0
check limit-total-host "$(awk '$1 == "calls_all_namespaces" { print $2 }' /proc/net/nfh_pptp)" 1
in_r nft flush ruleset
teardown
sleep 1
check limit-rmmod "$(rmmod nfh_pptp 2>&1; echo $?)" 0
check intree-unload "$(modprobe -r nf_conntrack_pptp 2>&1; echo $?)" 0
check kernel-log-clean "$(dmesg | grep -cE "$NFH_KERNEL_LOG_BAD")" 0
echo "KMOD-DONE" >> "$R"
