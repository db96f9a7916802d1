# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced inside the guest: one scenario's network (client | router | server, plus "third" the
# server can reach only through the router), its nft ruleset, the expectation watcher and the
# helper process.  Shared by every protocol (a protocol's own parts are in tests/vm/PROTO/).
# Every command is bounded by a timeout: a wedged step must fail the scenario, not the run.

T() { timeout -k 2 "$@"; }		# T SECONDS CMD...
NS="client router server third"

# wait_for SECONDS CMD...: poll CMD every 0.1 s; non-zero when it never succeeded.  Bounded by
# the clock, not by a count: under load each poll costs far more than its 0.1 s sleep.
wait_for() {
	local end=$((${EPOCHREALTIME%.*} + $1)); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME%.*}" -lt "$end" ] || return 1
		sleep 0.1
	done
}

listening() { ip -n "$1" -o link >/dev/null && ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q .; }

# 10.0.1.0/24 fd00:1::/64 client side, 10.0.2.0/24 fd00:2::/64 server side, 10.0.3.0/24 fd00:3::/64
# a third host the server can reach only through the router (a bounce target).  Written as
# ip batches: under TCG every process start is expensive.
topo_up() {
	local i n
	{
		for n in $NS; do echo "netns add $n"; done
		for i in 1:c0:client 2:s0:server 3:t0:third; do
			set -- ${i//:/ }
			echo "link add $2 netns $3 type veth peer name r$(($1 - 1)) netns router"
		done
	} > "$W/root.ip"
	T 10 ip -batch "$W/root.ip" || return 1
	echo "link set lo up" > "$W/router.ip"
	for i in 1:c0:client 2:s0:server 3:t0:third; do
		set -- ${i//:/ }
		# nodad: a tentative IPv6 address cannot be bound for a second or two.
		cat > "$W/$3.ip" <<-IP
		link set lo up
		addr add 10.0.$1.2/24 dev $2
		addr add fd00:$1::2/64 dev $2 nodad
		link set $2 up
		route add default via 10.0.$1.1
		route add default via fd00:$1::1
		IP
		cat >> "$W/router.ip" <<-IP
		addr add 10.0.$1.1/24 dev r$(($1 - 1))
		addr add fd00:$1::1/64 dev r$(($1 - 1)) nodad
		link set r$(($1 - 1)) up
		IP
	done
	for n in $NS; do T 10 ip -n "$n" -batch "$W/$n.ip" || return 1; done
	T 5 ip netns exec router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# ruleset HELPER(0|1) NAT(0|1): forward policy drop, so a related connection passes only when
# the helper made it related.  The protocol gives its lines (proto_nft_*: helper objects, the
# prerouting rule assigning them — before NAT —, the forward rule for its control port).
ruleset() {
	{
		echo "table inet nfh {"
		[ "$1" = 1 ] && proto_nft_helpers | sed 's/^/\t/'
		printf '\tchain pre {\n\t\ttype filter hook prerouting priority filter; policy accept;\n'
		[ "$1" = 1 ] && proto_nft_pre | sed 's/^/\t\t/'
		printf '\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n'
		printf '\t\tct state established,related accept\n'
		proto_nft_forward | sed 's/^/\t\t/'
		printf '\t}\n'
		if [ "$2" = 1 ]; then
			printf '\tchain post {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n'
			printf '\t\toifname "r1" masquerade\n\t}\n'
		fi
		echo "}"
	} > "$W/ruleset.nft"
	T 10 ip netns exec router nft -f "$W/ruleset.nft"
}

# Expectations as they are created: conntrack -E in the router netns for the whole scenario.
expect_watch_start() {
	# No timeout wrapper: its pid must be conntrack's own (ip netns exec does not fork).
	ip netns exec router conntrack -E expect > "$W/expect.events" 2> "$W/expect.err" &
	WATCH=$!
	# Subscribed once its netlink socket (port id = its pid) appears in the router netns.
	wait_for 5 grep -q "^[0-9a-f]* *12 *$WATCH " /proc/$WATCH/net/netlink ||
		echo "expectation watcher did not subscribe" >&2
}

# NEW events normalised to proto/src/dst/sport/dport and masks (ids, timeouts, master ports
# dropped), sorted, "; "-separated.  Identical ones count once: a command or reply retransmitted
# on a loaded machine creates the same expectation again (kernel and nfhelper alike; seen on
# 6.12 ftp/v4-epsv-nat), and two equal expectations of one master cannot coexist anyway.
expect_watch_stop() {
	# Events are queued to its socket as they happen: once its receive queue (Rmem) is empty,
	# conntrack has read every event up to now.
	wait_for 2 awk -v p="$WATCH" '$2 == 12 && $3 == p { e = 1; if ($5 != 0) busy = 1 } END { exit busy || !e }' \
		"/proc/$WATCH/net/netlink" || echo "expectation watcher did not drain its socket" >&2
	kill "$WATCH" 2>/dev/null; wait "$WATCH" 2>/dev/null || true
	grep -a 'NEW' "$W/expect.events" | sed 's/^.*NEW\] *[0-9]* *//' | awk '{
		printf "%s %s %s sport=%s dport=%s %s %s msport=%s mdport=%s\n", $1, $2, $3,
			substr($4, 7), substr($5, 7), $6, $7, substr($8, 7), substr($9, 7) }' |
		sort -u | paste -sd ';' | sed 's/;/; /g'
}

# helper_start: nfhelper must be registered and bound before the ruleset names its helper, or nft
# would autoload the kernel's module instead (the guest's modprobe refuses that here).  Runs
# `nfhelper $PROTO_NFHELPER $PROTO_NFHELPER_OPTS` (the protocol's subcommand and options).
helper_start() {	# helper_start LOGNAME
	HLOG=$W/$1
	# shellcheck disable=SC2086
	# Started as root, it must run as 65534 with CAP_NET_ADMIN alone under its seccomp filter:
	# every scenario then proves the packet loop needs nothing more (README "Least privilege").
	ip netns exec router "$NFH_BIN" $PROTO_NFHELPER $PROTO_NFHELPER_OPTS --user 65534 > "$HLOG" 2>&1 &
	HELPER=$!
	echo "$HELPER" > "$W/helper.pid"
	# Ready, or dead (a bad command line exits at once): no point waiting out the 10 s then.
	wait_for 10 eval 'grep -q ready "$HLOG" || ! kill -0 "$HELPER"'
	grep -q ready "$HLOG" && kill -0 "$HELPER" 2>/dev/null && helper_sandboxed "$HELPER"
}

# helper_sandboxed PID: user 65534, CAP_NET_ADMIN alone, seccomp filter mode (2).
helper_sandboxed() {
	local st
	st=$(grep -E '^(Uid|Gid|CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' "/proc/$1/status" | tr -s '\t' ' ')
	if ! grep -qx 'Uid: 65534 65534 65534 65534' <<< "$st" || ! grep -qx 'CapEff: 0000000000001000' <<< "$st" ||
	   ! grep -qx 'CapPrm: 0000000000001000' <<< "$st" || ! grep -qx 'CapBnd: 0000000000001000' <<< "$st" ||
	   ! grep -qx 'NoNewPrivs: 1' <<< "$st" || ! grep -qx 'Seccomp: 2' <<< "$st"; then
		echo "nfhelper is not confined: $(tr '\n' ' ' <<< "$st")" >&2
		return 1
	fi
}

# helper_stop: its stats first (`nfhelper stats`, kept as stats.txt: it must answer, under its
# seccomp filter, with its packet count), then SIGTERM must end it cleanly (exit status 0)
# within 5 s.  It is stopped whatever the stats said.
helper_stop() {
	local n=50 rc stats=0
	HELPER=$(cat "$W/helper.pid")
	T 10 ip netns exec router "$NFH_BIN" stats "$PROTO_NFHELPER" > "$W/stats.txt" 2>&1
	grep -qE "^nfhelper_packets_total\{helper=\"$PROTO_NFHELPER\"\} [0-9]+$" "$W/stats.txt" ||
		{ echo "nfhelper stats did not answer: $(head -c 300 "$W/stats.txt")" >&2; stats=1; }
	kill -TERM "$HELPER" 2>/dev/null || return 1
	while kill -0 "$HELPER" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	kill -0 "$HELPER" 2>/dev/null && { kill -KILL "$HELPER"; echo "nfhelper ignored SIGTERM" >&2; return 1; }
	wait "$HELPER"; rc=$?
	[ "$rc" = 0 ] || echo "nfhelper exited $rc after SIGTERM" >&2
	[ "$rc" = 0 ] || return "$rc"
	return "$stats"
}

# topo_down: every process left in a scenario netns dies with it.
topo_down() {
	local n p
	for n in $NS; do
		for p in $(ip netns pids "$n" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		T 5 ip netns del "$n" 2>/dev/null
	done
	return 0
}
