# SPDX-License-Identifier: GPL-2.0-or-later
# IRC DCC in the VM rig (the contract: tests/vm/README, "Adding a protocol"): ngircd and the
# receiving client in the server netns, the offering client behind the router (client netns);
# nf_conntrack_irc + nf_nat_irc are the oracle.  Sourced on host and guest: definitions only.
PROTO_PKGS="ngircd python3"
PROTO_NFHELPER=irc
PROTO_NFHELPER_OPTS=-v
PROTO_QUEUE=6667
PROTO_ORACLE_MODULES="nf_conntrack_irc nf_nat_irc"
# Autoload names of the in-tree IRC helper (nfct-helper-irc, nf_conntrack_irc, nf_nat_irc).
PROTO_DENY='[-_]irc$'
PROTO_ERRORS_KERNEL=clash

# Deliberate, documented differences (README "IRC"): nfhelper must do on SCENARIO what the
# kernel does on REFERENCE (same peers, same ports, the offers written whole), where it fails.
PROTO_DIFFERENCES="
split-nat  send-nat   kernel reads a segment alone: an offer split across two is never seen
split      send       kernel reads a segment alone: an offer split across two is never seen
multi-nat  apart-nat  kernel reads only the first offer of a segment
v6-send    send       kernel's IRC helper is IPv4 only
"

# The DCC ports the offerer listens on (one per offer), fixed so that the announced text and
# the expectations compare between modes; the router rejects them unless related.
IRC_PORTS=40001-40008

# name        nat family dcc  dccpeer offer options (commas for spaces; - none)
proto_scenarios() {
	cat <<-'TABLE'
	send-nat    1 4 send -
	send        0 4 send -
	chat-nat    1 4 chat -
	chat        0 4 chat -
	split-nat   1 4 send --split
	split       0 4 send --split
	multi-nat   1 4 send --offers,2
	apart-nat   1 4 send --offers,2,--apart
	forged-nat  1 4 send --announce,10.0.3.2
	v6-send     0 6 send -
	TABLE
}

# The check telling whether the related connection behaved, its value with a working helper and
# without one: the DCC must work both ways; a forged offer must open nothing.
proto_outcome() {
	case $1 in forged*) echo "leak no no" ;; *) echo "dcc ok fail" ;; esac
}

proto_nft_helpers() { printf 'ct helper irc-help {\n\ttype "irc" protocol tcp\n\tl3proto inet\n}\n'; }
proto_nft_pre() { echo 'tcp dport 6667 ct helper set "irc-help"'; }
# After "established,related accept": an unrelated connection to a DCC port is refused at once
# (a reset instead of the policy's silent drop), so a failing mode costs no connect timeout.
proto_nft_forward() {
	echo 'tcp dport 6667 accept'
	echo "tcp dport $IRC_PORTS reject with tcp reset"
}

# The error only mode kernel can provoke: the name clash with the loaded nf_conntrack_irc.
proto_errors() {
	[ "$NFH_MODE" = kernel ] || return 0
	check irc/clash 1 "kernel's own helper.*modprobe -r nf_nat_irc nf_conntrack_irc" "$NFH_BIN" irc
}

# Scenario hooks, called with the table row (NAME NAT FAMILY DCC OPTS) in scenario.sh's shell.
irc_row() {
	NAME=$1 FAM=$3 KIND=$4 OPTS=${5//,/ }
	[ "$OPTS" = - ] && OPTS=
	OFFERS=1
	case $OPTS in *--offers\ 2*) OFFERS=2 ;; esac
	if [ "$FAM" = 4 ]; then SRV=10.0.2.2; else SRV=fd00:2::2; fi
	# Where a pinhole for the client's port 40001 would be reached from the server's side.
	if [ "$2" = 1 ]; then PINHOLE=10.0.2.1; else PINHOLE=10.0.1.2; fi
}

# ngircd in the foreground under the rig's own readiness check (ircd.sh --daemon probes each
# address with a python3 start, which costs seconds under TCG); topo_down ends it.
proto_setup() {
	irc_row "$@"
	ip netns exec server timeout 55 "$PROTO_DIR/ircd.sh" "$W/ircd" 10.0.2.2,fd00:2::2 6667 \
		> "$W/ircd.log" 2>&1 &
	# 20 s: on a loaded host one poll (ip, ss) alone was seen taking 8 s in the guest.
	wait_for 20 listening server 6667 || setup_fail ngircd
}

# The receiver (server side) takes the offers relayed by ngircd and connects back through the
# router; the offerer (client netns) announces its own address and ports 40001...
proto_run() {
	irc_row "$@"
	# -I -S: no site packages to import (a third of the start-up, which TCG makes seconds)
	local peer=(/usr/bin/python3 -I -S "$PROTO_DIR/dccpeer.py") r o rc_r rc_o=1
	DCC=fail LEAK=no
	ip netns exec server timeout -k 2 30 "${peer[@]}" receive --server "$SRV" --nick rcv --peer off \
		--offers "$OFFERS" --timeout 25 > "$W/rcv.out" 2> "$W/rcv.log" &
	r=$!
	# shellcheck disable=SC2086 # the row's options, split on purpose
	ip netns exec client timeout -k 2 30 "${peer[@]}" offer --server "$SRV" --nick off --peer rcv \
		--dcc "$KIND" --listen-port 40001 $OPTS --timeout 25 > "$W/off.out" 2> "$W/off.log" &
	o=$!
	if [ "${NAME#forged}" != "$NAME" ]; then
		# Once ngircd relayed the offer, the router has judged it: play the peer obeying it
		# (the expectation, if any, would be for the client's port 40001 behind the NAT).
		wait_for 20 grep -q "dccpeer: offer" "$W/rcv.out" || setup_fail offer-never-relayed
		T 3 ip netns exec server bash -c "exec 3<>/dev/tcp/$PINHOLE/40001" 2>/dev/null && LEAK=yes
		kill "$r" "$o" 2>/dev/null
		wait "$r" "$o" 2>/dev/null
		return
	fi
	wait "$r"; rc_r=$?
	# The offerer ends by itself once every offer was taken; otherwise it would wait out its
	# accept timeout for a connection that cannot come.
	[ "$rc_r" = 0 ] || kill "$o" 2>/dev/null
	wait "$o"; rc_o=$?
	[ "$rc_r" = 0 ] && [ "$rc_o" = 0 ] && DCC=ok
}

# Records the outcome and the offers as the server relayed them.
#   dcc      ok|fail   the receiver got the bytes (SEND) or the offerer's line and the offerer
#                      the receiver's (CHAT), for every offer
#   leak     yes|no    forged only: the server's side reached the client's port 40001
#   privmsg  ...       the CTCP text of each offer as the receiver got it from ngircd (NAT
#                      rewriting shows here), addresses named (irc_names)
proto_record() {
	irc_row "$@"
	local msg
	if [ "${NAME#forged}" != "$NAME" ]; then record leak "${LEAK:-no}"; else record dcc "${DCC:-fail}"; fi
	msg=$(sed -n 's/^< :off![^ ]* PRIVMSG rcv :\(.*\)$/\1/p' "$W/rcv.log" 2>/dev/null | irc_names |
		paste -sd ';' | sed 's/;/; /g')
	record privmsg "${msg:--}"
}

# Expectations with addresses named: an IPv6 DCC then compares with its IPv4 reference.
proto_exp_normalise() { irc_names; }

# irc_names: the topology's addresses (dotted, DCC's decimal IPv4, IPv6 text) by role, wildcard
# addresses as 0 and full masks as "all", so that a check reads the same in both families.
irc_names() {
	sed -E 's/\b(10\.0\.1\.2|167772418|fd00:1::2)\b/client/g
		s/\b(10\.0\.2\.1|167772673|fd00:2::1)\b/router/g
		s/\b(10\.0\.2\.2|167772674|fd00:2::2)\b/server/g
		s/\b(10\.0\.3\.2|167772930|fd00:3::2)\b/third/g
		s/=(0\.0\.0\.0|::)( |$)/=0\2/g
		s/=(255\.255\.255\.255|ffff(:ffff){7})( |$)/=all\3/g'
}
