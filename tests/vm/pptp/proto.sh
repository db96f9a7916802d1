# SPDX-License-Identifier: GPL-2.0-or-later
# PPTP in the VM rig (the contract: tests/vm/README, "Adding a protocol"): pptpd (and pppd) in
# the server netns, pptp-linux (pppd with `pptp` as its pty) in the client netns, or the
# pptppeer.py pair for what those cannot do (several calls on one control connection).
# nf_conntrack_pptp + nf_nat_pptp are the oracle; mode nfhelper needs the nfh_pptp module
# (kmod/, built per kernel into build/kmod/RELEASE/) besides `nfhelper pptp`.  RFC 2637.
# Sourced on host and guest: definitions only.
PROTO_PKGS="pptpd pptp-linux ppp python3"
PROTO_NFHELPER=pptp
PROTO_NFHELPER_OPTS=-v
PROTO_QUEUE=1723
# Mode none has no nfh_pptp module: that is what nfhelper pptp must say (errors.sh).
PROTO_NOCTHELPER='the nfh_pptp kernel module is not loaded.*insmod build/kmod/'
PROTO_ORACLE_MODULES="nf_conntrack_pptp nf_nat_pptp"
# Autoload names of the in-tree PPTP helper (nfct-helper-pptp, nf_conntrack_pptp, nf_nat_pptp);
# not our own nfh_pptp, which is loaded by path, nor the kernel's PPTP tunnel driver "pptp".
PROTO_DENY='(nfct-helper|nf_conntrack|nf_nat)[-_]pptp$'

# Deliberate, documented differences (README "PPTP"): nfhelper must do on SCENARIO what the
# kernel does on REFERENCE (the same calls, each on a control connection of its own).
PROTO_DIFFERENCES="
two-calls-nat  apart-nat  kernel tracks one call per control connection: the second call's GRE is never related
two-calls      apart      kernel tracks one call per control connection: the second call's GRE is never related
split-nat      apart-nat  kernel reads a message only whole in one segment, and one call per control connection
"

# The PPP addresses pptpd hands out: its own (one per call) and the clients'.
PPTP_LOCAL=192.168.99.1-4
PPTP_REMOTE=192.168.99.10-14

# name          nat client  (pptp: pptp-linux, N clients one after the other; py: pptppeer.py
#                            with N calls on one control connection or apart)
proto_scenarios() {
	cat <<-'TABLE'
	call            0 pptp 1
	call-nat        1 pptp 1
	call-zone-nat   1 pptp 1
	two-clients-nat 1 pptp 2
	two-calls-nat   1 py   one
	apart-nat       1 py   apart
	two-calls       0 py   one
	apart           0 py   apart
	split-nat       1 py   split
	teardown-nat    1 pptp 1
	kill-nat        1 pptp 1
	unload-nat      1 pptp 1
	leaks-nat       1 pptp 1
	TABLE
}

# The call must work: pings cross the PPP link (pptp-linux), GRE of every call reaches the far
# side with the right key (pptppeer.py).
proto_outcome() {
	case $1 in *calls*|apart*|split*) echo "gre ok fail" ;; *) echo "ping ok fail" ;; esac
}

# nf_conntrack_pptp is IPv4 only.
proto_nft_helpers() { printf 'ct helper pptp-help {\n\ttype "pptp" protocol tcp\n\tl3proto ip\n}\n'; }
proto_nft_pre() { echo 'tcp dport 1723 ct helper set "pptp-help"'; }
# Only the control connection is let through: GRE passes as related or not at all.
proto_nft_forward() { echo 'tcp dport 1723 accept'; }

# Once per boot: the PPP modules pppd needs (the pty's line discipline, the PPP unit), and in
# mode nfhelper the nfh_pptp module, before errors.sh and every scenario start nfhelper pptp.
proto_boot() {
	local m
	# pppd and pptpd's pptpctrl open ptys: /dev/ptmx needs its devpts beside it.
	mkdir -p /dev/pts
	mountpoint -q /dev/pts || T 5 mount -t devpts -o ptmxmode=0666 devpts /dev/pts ||
		echo "NFH-ERROR cannot mount devpts" >&2
	for m in slhc ppp_generic ppp_async; do T 20 modprobe "$m" || echo "NFH-ERROR cannot load $m" >&2; done
	[ "$NFH_MODE" = nfhelper ] || return 0
	pptp_kmod_load
}

# The module nfhelper pptp registers its helper through: build/kmod/RELEASE/nfh_pptp.ko.
pptp_kmod() { echo "$VM/../../build/kmod/$(uname -r)/nfh_pptp.ko"; }
pptp_kmod_load() {
	grep -q '^nfh_pptp ' /proc/modules && return 0
	[ -e "$(pptp_kmod)" ] || { echo "NFH-ERROR $(pptp_kmod) is missing (./build.sh kmod)" >&2; return 1; }
	T 20 insmod "$(pptp_kmod)"
}

# Scenario hooks, called with the table row (NAME NAT CLIENT N) in scenario.sh's shell.
pptp_row() { NAME=$1 KIND=$3 N=$4; }

proto_setup() {
	pptp_row "$@"
	pptp_syslog || { setup_fail syslogd; return; }
	if [ "$KIND" = py ]; then
		# Python's start alone can take seconds on a loaded TCG guest.
		[ "$N" = split ] && { pptp_lossy || { setup_fail lossy; return; }; }
		ip netns exec server timeout -k 2 45 /usr/bin/python3 -I -S "$PROTO_DIR/pptppeer.py" pac \
			10.0.2.2 2 "$W/pac.out" 40 ${N/#one/} > "$W/pac.log" 2>&1 &
		wait_for 20 listening server 1723 || setup_fail pac
	else
		[ "$N" = 2 ] && { T 5 ip -n client addr add 10.0.1.3/24 dev c0 || { setup_fail second-client; return; }; }
		[ "$NAME" = call-zone-nat ] && { pptp_zone || { setup_fail zone; return; }; }
		pptpd_start || { setup_fail pptpd; return; }
		wait_for 20 listening server 1723 || setup_fail pptpd
	fi
	pptp_slab > "$W/slab.before"
}

proto_run() {
	pptp_row "$@"
	if [ "$KIND" = py ]; then pptp_run_py; return; fi
	local i
	PING=fail
	for i in $(seq 0 $((N - 1))); do
		pptp_client_start "$i"
		# One link after the other: pptpd hands out its addresses in the order calls arrive.
		wait_for 15 pptp_link_up "$i" || { echo "ppp$i never came up" >&2; break; }
	done
	pptp_ping_all && PING=ok
	pptp_snapshot during
	case $NAME in
	kill-nat) pptp_run_kill ;;
	unload-nat) pptp_run_unload ;;
	esac
	pptp_clients_stop
	[ -e "$W/after" ] || pptp_after_call
}

# Records the outcome and what the peers saw:
#   ping      ok|fail   pptp-linux: a ping crossed every PPP link to the far PPP address
#   gre       ok|fail   pptppeer.py: every call's GRE reached both sides with the right key
#   calls     ...       pptppeer.py: per call, what each side received and the PNS call ID as
#                       the PAC saw it ("1 pac:ok pns:ok id=0x0101; 2 ...")
#   callids   ...       pptp-linux: "rand peer P" per client as pptp logged its call (its own ID
#                       is a random draw, the raw IDs stay in syslog.log; P is pptpd's, a slot)
#   links     ...       pptp-linux: the PPP address pairs, client-side view ("LOCAL>PEER")
#   during    ...       GRE conntracks in the router while the call is up (gre=N)
#   after     ...       pptp-linux, after the clients stopped: GRE conntracks and expectations left
#                       in the router ("gre=0 exp=0" when none).  pptp sends Call-Clear-Request
#                       and closes, pptpd never answers Call-Disconnect-Notify: the kernel keeps
#                       the call's GRE conntrack until its control connection's conntrack goes
#   gone      ...       teardown-nat: the same once the control connection's conntrack is deleted
#   nfh       ...       teardown-nat: counts of /proc/net/nfh_pptp (mode nfhelper) that are not 0
#                       then, "-" when all are 0; "-" in the other modes (no module: none held)
#   robust    ...       kill-nat, unload-nat, leaks-nat in mode nfhelper: the first thing that went
#                       wrong, "-" when nothing did; "-" in the other modes (nothing to kill or
#                       unload: the kernel's helper has no process and its module stays)
#   slab      ...       leaks-nat: nf_conntrack / nf_conntrack_expect objects above the count
#                       before the call ("-" none, or where the kernel has no such cache)
proto_record() {
	pptp_row "$@"
	if [ "$KIND" = py ]; then
		record gre "${GRE:-fail}"
		if [ "$NAT" = 1 ]; then
			record calls "$(pptp_py_calls | pptp_nat_labels)"
		else
			record calls "$(pptp_py_calls | pptp_moved)"
		fi
		return
	fi
	record ping "${PING:-fail}"
	# pptp-linux draws its call ID at random: written as "rand" (the raw IDs stay in syslog.log).
	record callids "$(sed -n 's/.*Outgoing call established (call ID \([0-9]*\), peer.s call ID \([0-9]*\)).*/rand peer \2/p' \
		"$W/syslog.log" 2>/dev/null | paste -sd ';' | sed 's/;/; /g' | grep . || echo -)"
	record links "$(cat "$W/links" 2>/dev/null | paste -sd ' ' | grep . || echo -)"
	record during "$(cat "$W/during" 2>/dev/null || echo -)"
	record after "$(cat "$W/after" 2>/dev/null || echo -)"
	if [ "$NAME" = teardown-nat ]; then
		record gone "$(cat "$W/gone" 2>/dev/null || echo -)"
		record nfh "$(cat "$W/nfh" 2>/dev/null || echo -)"
	fi
	case $NAME in
	kill-nat|unload-nat) record robust "${ROBUST:--}" ;;
	leaks-nat) pptp_leaks; record robust "${ROBUST:--}"; record slab "$(pptp_slab_grown)" ;;
	esac
}

# The expectations name their GRE keys where conntrack's TCP/UDP layout has ports: the shared
# normaliser printed them as "sport==KEY dport==KEY" (conntrack's srckey= and dstkey=).
# pptppeer.py's call IDs are fixed; a PNS call ID NAT gave another value is NAT's choice (the
# kernel draws it at random) and is written as moved1, moved2... in order of appearance.
# pptp-linux draws its own at random: every key but pptpd's (0, 0x80: its call slots) is
# written as id1, id2... (call-nat's two labels show that NAT gave the call another ID).
proto_exp_normalise() {
	sed 's/sport==/srckey=/g; s/dport==/dstkey=/g' | pptp_nat_id |
		if [ "$3" = py ]; then pptp_moved; else pptp_moved '^(0|80|ffff)$' id; fi
}
# The PNS call ID as the PAC sees it under NAT (the key the PAC's GRE carries to the NAT
# address) is NAT's choice: the kernel takes the masqueraded TCP port, nfhelper keeps the real
# ID when it is free (README, PPTP).  Written as "natid", so both compare.
pptp_nat_id() {
	sed -E 's/(src=10\.0\.2\.2 dst=10\.0\.2\.1 srckey=0x[0-9a-f]+ dstkey=)0x[0-9a-f]+/\1natid/g'
}
# The same for the PNS call IDs the PAC saw under NAT: nat1, nat2... by distinct value (a
# collision shows as one label twice).
pptp_nat_labels() {
	awk '{ out = ""
		while (match($0, /id=0x[0-9a-f]+/)) {
			k = substr($0, RSTART + 3, RLENGTH - 3)
			if (!(k in name)) name[k] = "nat" (++n)
			out = out substr($0, 1, RSTART + 2) name[k]; $0 = substr($0, RSTART + RLENGTH)
		}
		print out $0 }'
}
pptp_moved() {	# pptp_moved [KEEP-REGEX LABEL]: hex keys but KEEP named LABEL1, LABEL2...
	awk -v keep="${1:-^(101|102|201|202|ffff)$}" -v label="${2:-moved}" '{
		out = ""
		while (match($0, /0x[0-9a-f]+/)) {
			k = substr($0, RSTART, RLENGTH); v = substr(k, 3); sub(/^0+/, "", v)
			if (v == "") v = "0"
			if (v !~ keep) {
				if (!(k in name)) name[k] = label (++n)
				k = name[k]
			}
			out = out substr($0, 1, RSTART - 1) k; $0 = substr($0, RSTART + RLENGTH)
		}
		print out $0 }'
}

# call-zone-nat: the control connection and its GRE in conntrack zone 5, set before conntrack
# sees them, so that the GRE calls work only if the master is found in its zone (nfhelper
# passes NFQA_CT's CTA_ZONE to the module).
pptp_zone() {
	T 5 ip netns exec router nft -f - <<-N
	table ip zone {
		chain raw {
			type filter hook prerouting priority raw; policy accept;
			tcp dport 1723 ct zone set 5
			tcp sport 1723 ct zone set 5
			ip protocol gre ct zone set 5
		}
	}
	N
}

# split-nat: both ends lose every third control segment they receive after it crossed the
# router (so it was already rewritten there); TCP sends it again, alone or merged with what
# followed, and the router must repeat exactly the bytes that left the first time.  SACK is
# off at both ends: the kernel maps acknowledgements with its one sequence correction per
# direction, and a SACK block behind a later correction can come out of the window conntrack
# tracks; the router then takes the packet as its own and answers RST (doc/design.md, stream layer).
pptp_lossy() {
	local ns port
	for ns in server client; do
		T 5 ip netns exec "$ns" sysctl -qw net.ipv4.tcp_sack=0 || return 1
		[ "$ns" = server ] && port="tcp dport 1723" || port="tcp sport 1723"
		T 5 ip netns exec "$ns" nft -f - <<-N || return 1
		table inet lossy {
			chain in {
				type filter hook input priority 0; policy accept;
				$port tcp flags & (syn | rst) == 0 meta length > 52 numgen inc mod 3 == 1 drop
			}
		}
		N
	done
}

# pptpd and pptp log to syslog only: a busybox syslogd for this scenario (in the server netns,
# so topo_down ends it).  /dev/log goes first: a stale socket of an earlier scenario would pass
# the wait before the new one is bound.
pptp_syslog() {
	rm -f /dev/log
	ip netns exec server busybox syslogd -n -O "$W/syslog.log" &
	wait_for 5 test -S /dev/log
}

# pppd_etc DIR: an /etc/ppp of our own (pppd reads /etc/ppp/options first, whose "auth" and
# "lock" the host's Debian has; ip-up scripts are not wanted either).  Bound over /etc/ppp in
# the peer's own mount namespace (ip netns exec gives each its own).
pppd_etc() {
	mkdir -p "$1"
	: > "$1/options"
}

# pppd options shared by both ends: no authentication, no compression, no MPPE, no locks.
pppd_common() {
	printf '%s\n' noauth nodeflate nobsdcomp novj novjccomp nopcomp noaccomp nolock local nocrtscts \
		'lcp-echo-interval 0' 'mtu 1400' 'mru 1400' debug
}

# pptpd in the foreground (-f) on the server's address; its pppd gets one address pair per call.
pptpd_start() {
	pppd_etc "$W/etc-ppp-server"
	{ pppd_common; echo "logfile $W/pppd-server.log"; } > "$W/pptpd-options"
	printf 'option %s\nlocalip %s\nremoteip %s\n' "$W/pptpd-options" "$PPTP_LOCAL" "$PPTP_REMOTE" > "$W/pptpd.conf"
	ip netns exec server sh -c 'mount --bind "$1" /etc/ppp && exec pptpd -f -c "$2" -l 10.0.2.2 -p "$3"' _ \
		"$W/etc-ppp-server" "$W/pptpd.conf" "$W/pptpd.pid" > "$W/pptpd.log" 2>&1 &
}

# pptp_client_start I: client I (0, 1) as pppd unit I with pptp as its pty; the second client
# binds to the client netns's second address (both leave the NAT as the router's).
pptp_client_start() {
	local i=$1 bind=
	[ "$i" = 1 ] && bind="--localbind 10.0.1.3"
	pppd_etc "$W/etc-ppp-client"
	{ pppd_common; printf '%s\n' noipdefault nodefaultroute 'maxfail 1' "unit $i" nodetach \
		"logfile $W/pppd-client$i.log"; } > "$W/client$i.options"
	ip netns exec client timeout -k 2 50 sh -c 'mount --bind "$1" /etc/ppp && exec pppd pty "$2" file "$3"' _ \
		"$W/etc-ppp-client" "pptp 10.0.2.2 --nolaunchpppd --nohostroute --loglevel 1 $bind" \
		"$W/client$i.options" > "$W/client$i.log" 2>&1 &
	echo $! > "$W/client$i.pid"
}

# pptp_link_up I: ppp I has its addresses (IPCP done).
pptp_link_up() { ip -n client -4 -o addr show dev "ppp$1" 2>/dev/null | grep -q peer; }

# Each link's far PPP address must answer a ping sent through it; the address pairs go to $W/links.
pptp_ping_all() {
	local i peer rc=0
	: > "$W/links"
	for i in $(seq 0 $((N - 1))); do
		peer=$(ip -n client -4 -o addr show dev "ppp$i" 2>/dev/null | sed -n 's/.* inet \([0-9.]*\) peer \([0-9.]*\).*/\1>\2/p')
		echo "${peer:-down}" >> "$W/links"
		[ -n "$peer" ] || { rc=1; continue; }
		# busybox: iputils-ping is not part of the rig's packages.
		T 12 ip netns exec client busybox ping -c 2 -w 10 -I "ppp$i" "${peer#*>}" >> "$W/ping.log" 2>&1 || rc=1
	done
	return $rc
}

# pptp_snapshot FILE: the GRE conntracks in the router, "gre=N".
pptp_snapshot() {
	echo "gre=$(T 5 ip netns exec router conntrack -L -p gre 2>/dev/null | grep -c .)" > "$W/$1"
}

# Stop the clients (pppd on SIGTERM ends its link; pptp then clears the call and stops the
# control connection), bounded.
pptp_clients_stop() {
	local i p
	for i in $(seq 0 $((N - 1))); do
		p=$(cat "$W/client$i.pid" 2>/dev/null) || continue
		kill -TERM "$p" 2>/dev/null
	done
	for i in $(seq 0 $((N - 1))); do
		p=$(cat "$W/client$i.pid" 2>/dev/null) || continue
		wait_for 10 eval '! kill -0 '"$p" || kill -KILL "$p" 2>/dev/null
	done
}

# After the call: wait (bounded) for the GRE conntracks and expectations to go, then write what
# is left ($W/after).  teardown-nat then ends the control connection's conntrack too (the
# helper's destroy hook must take the call's GRE with it): $W/gone and the nfh_pptp counts
# that are not 0 ($W/nfh).
pptp_after_call() {
	wait_for 3 pptp_clean
	# After unload-nat's unload the GRE conntracks differ by design: the kernel leaves the
	# call's (nf_conntrack_pptp gone, its keymaps stay until the master dies); nfh_pptp removes
	# it with the keymaps it can no longer keep (README, PPTP).  Only expectations compare.
	if [ "$NAME" = unload-nat ]; then
		echo "exp=$(pptp_count -L expect)" > "$W/after"
		return 0
	fi
	echo "gre=$(pptp_count -L -p gre) exp=$(pptp_count -L expect)" > "$W/after"
	[ "$NAME" = teardown-nat ] || return 0
	T 5 ip netns exec router conntrack -D -p tcp --orig-port-dst 1723 > "$W/ctrl-deleted" 2>&1
	wait_for 10 pptp_clean
	echo "gre=$(pptp_count -L -p gre) exp=$(pptp_count -L expect)" > "$W/gone"
	if [ "$NFH_MODE" = nfhelper ]; then
		wait_for 5 pptp_nfh_zero
		pptp_nfh_nonzero > "$W/nfh"
	else
		echo - > "$W/nfh"
	fi
}
pptp_count() { T 5 ip netns exec router conntrack "$@" 2>/dev/null | grep -c .; }
pptp_clean() { [ "$(pptp_count -L -p gre)" = 0 ] && [ "$(pptp_count -L expect)" = 0 ]; }

# /proc/net/nfh_pptp of the router netns: "masters N", "calls N", "keymaps N", "holders N".
pptp_nfh_nonzero() {
	local out
	out=$(ip netns exec router cat /proc/net/nfh_pptp 2>&1 | awk '$2 != "0"' | paste -sd ',')
	echo "${out:--}"
}
pptp_nfh_zero() { [ "$(pptp_nfh_nonzero)" = - ]; }

# pptppeer.py: the PNS in the client netns, two calls on one control connection or one each.
pptp_run_py() {
	GRE=fail
	T 45 ip netns exec client /usr/bin/python3 -I -S "$PROTO_DIR/pptppeer.py" pns 10.0.2.2 2 "$N" \
		"$W/pns.out" 30 > "$W/pns.log" 2>&1
	local rc=$?
	wait_for 10 test -s "$W/pac.out"
	[ "$rc" = 0 ] && [ "$(grep -c ' rx ok ' "$W/pac.out" 2>/dev/null)" = 2 ] && GRE=ok
}

# Per call: what the PAC and the PNS received ("ok", "none", "badkey"), and the PNS's call ID
# as it reached the PAC.
pptp_py_calls() {
	local c out=
	for c in 1 2; do
		out="$out${out:+; }$c pac:$(awk -v c="$c" '$1 == "call" && $2 == c && $3 == "rx" { print $4 }' "$W/pac.out" 2>/dev/null)"
		out="$out pns:$(awk -v c="$c" '$1 == "call" && $2 == c && $3 == "rx" { print $4 }' "$W/pns.out" 2>/dev/null)"
		out="$out id=$(awk -v c="$c" '$1 == "call" && $2 == c && $3 == "peer-id" { print $4 }' "$W/pac.out" 2>/dev/null)"
	done
	echo "$out"
}

# ----- mode nfhelper only: the module's robustness (the other modes record "-") -----

# robust_fail WHAT: the first thing that went wrong.
robust_fail() { [ -n "${ROBUST:-}" ] || ROBUST=$1; echo "robust: $1" >&2; }

# kill -9 of nfhelper during the call: once the control connection ends, the module must drop
# every call of it by itself; with the ruleset's reference gone the module unloads.  Then it is
# loaded again and nfhelper restarted, so the scenario ends as every other.
pptp_run_kill() {
	[ "$NFH_MODE" = nfhelper ] || return 0
	local h
	h=$(cat "$W/helper.pid")
	kill -KILL "$h"; wait "$h" 2>/dev/null
	pptp_clients_stop
	pptp_after_call	# what is left as the kernel's helper leaves it, before the cleanup below
	# The client closed the control connection; should the module wait for its conntrack to
	# go (TIME_WAIT), end that too: either way nothing may stay once it is gone.
	if ! wait_for 5 pptp_nfh_zero; then
		echo "counts after the close: $(pptp_nfh_nonzero); deleting the control conntrack" >&2
		T 5 ip netns exec router conntrack -D -p tcp --orig-port-dst 1723 >&2
		wait_for 10 pptp_nfh_zero || robust_fail "counts-after-kill:$(pptp_nfh_nonzero)"
	fi
	pptp_unload_reload
}

# Module unload while a call is up: refused while the ruleset references the helper, done once
# it does not, and no expectation (whose expectfn is the module's) outlives it.  The call's GRE
# conntrack may stay, as the kernel's does when nf_conntrack_pptp goes: it is logged only.
pptp_run_unload() {
	[ "$NFH_MODE" = nfhelper ] || return 0
	T 10 rmmod nfh_pptp 2>> "$W/rmmod.log" && robust_fail rmmod-while-referenced
	grep -q '^nfh_pptp ' /proc/modules || { pptp_kmod_load; return; }
	pptp_unload_reload
	echo "after the unload: $(pptp_count -L -p gre) GRE conntracks" >&2
	[ "$(pptp_count -L expect)" = 0 ] || robust_fail "expectations-after-unload=$(pptp_count -L expect)"
}

# Flush the router's ruleset (its helper object holds the module), unload, load again, restart
# nfhelper (it may have ended with its module) and reload the ruleset.
pptp_unload_reload() {
	local h
	T 10 ip netns exec router nft flush ruleset
	T 10 rmmod nfh_pptp 2>> "$W/rmmod.log" || robust_fail "rmmod:$(tail -n 1 "$W/rmmod.log")"
	pptp_kmod_load || { robust_fail insmod; return; }
	h=$(cat "$W/helper.pid")
	kill -TERM "$h" 2>/dev/null; wait "$h" 2>/dev/null
	helper_start nfhelper-restarted.log || { echo "nfhelper did not restart" >&2; HELPER_OK=fail; }
	T 10 ip netns exec router nft -f "$W/ruleset.nft" || robust_fail ruleset-reload
}

# At the end (ruleset flushed, nfhelper stopped by scenario.sh): the module holds no reference,
# no call, no keymap, and unloads; it is loaded again for the scenarios after this one.
pptp_leaks() {
	[ "$NFH_MODE" = nfhelper ] || return 0
	local refs
	# pptpd never ends the call (no Call-Disconnect-Notify): it ends with its master conntrack.
	T 5 ip netns exec router conntrack -D -p tcp --orig-port-dst 1723 > /dev/null 2>&1
	wait_for 10 pptp_nfh_zero
	refs=$(awk '$1 == "nfh_pptp" { print $3 }' /proc/modules)
	[ "$refs" = 0 ] || robust_fail "refcount=$refs"
	pptp_nfh_zero || robust_fail "counts:$(pptp_nfh_nonzero)"
	[ "$(pptp_count -L expect)" = 0 ] || robust_fail "expectations=$(pptp_count -L expect)"
	T 10 rmmod nfh_pptp 2>> "$W/rmmod.log" || robust_fail "rmmod:$(tail -n 1 "$W/rmmod.log")"
	pptp_kmod_load || robust_fail insmod
}

# Active objects of the conntrack caches (where the kernel keeps them apart: SLUB may merge
# nf_conntrack_expect into another cache, then it is not listed).
pptp_slab() { awk '$1 == "nf_conntrack" || $1 == "nf_conntrack_expect" { print $1, $2 }' /proc/slabinfo 2>/dev/null; }

# Caches above their count before the call, once the router's conntracks are flushed (freed
# after an RCU grace period: waited for, bounded); "-" when none is.
pptp_slab_grown() {
	T 5 ip netns exec router conntrack -F >/dev/null 2>&1
	wait_for 10 eval '[ -z "$(pptp_slab_diff)" ]'
	local d
	d=$(pptp_slab_diff)
	echo "${d:--}"
}
pptp_slab_diff() {
	pptp_slab | awk 'NR == FNR { b[$1] = $2; next } ($1 in b) && $2 > b[$1] { printf "%s+%d ", $1, $2 - b[$1] }' \
		"$W/slab.before" - | sed 's/ $//'
}
