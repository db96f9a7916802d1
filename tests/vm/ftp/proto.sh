# SPDX-License-Identifier: GPL-2.0-or-later
# FTP in the VM rig (the contract: tests/vm/README, "Adding a protocol"): vsftpd in the server
# netns, curl or ftpclient.py in the client netns; nf_conntrack_ftp + nf_nat_ftp are the oracle.
# Sourced on host and guest: definitions only.
PROTO_PKGS="vsftpd curl"
PROTO_NFHELPER=ftp
PROTO_NFHELPER_OPTS=-v
PROTO_QUEUE=21
PROTO_ORACLE_MODULES="nf_conntrack_ftp nf_nat_ftp"
# Autoload names of the in-tree FTP helper (nfct-helper-ftp, nf_conntrack_ftp, nf_nat_ftp), not tftp.
PROTO_DENY='[-_]ftp$'
PROTO_ERRORS_KERNEL=clash

# Deliberate, documented differences: nfhelper must do on SCENARIO what the kernel does on
# REFERENCE (same client, same ports, commands written whole), where the kernel itself fails.
PROTO_DIFFERENCES="
split-nat  v4-port-nat  kernel drops a segment holding a partial PORT, the command never arrives
split      v4-port      kernel drops a segment holding a partial PORT, the command never arrives
nagle-nat  v4-port-nat  kernel drops a segment holding a partial PORT; with Nagle on, the rest is never sent
nagle      v4-port      kernel drops a segment holding a partial PORT; with Nagle on, the rest is never sent
multi-nat  v4-port-nat  kernel matches a command only at the start of a segment
multi      v4-port      kernel matches a command only at the start of a segment
"

# name          nat family client  curl options / ftpclient.py mode
proto_scenarios() {
	cat <<-'TABLE'
	v4-port-nat     1 4 active  --disable-eprt
	v4-port         0 4 active  --disable-eprt
	v4-eprt-nat     1 4 active  -
	v4-eprt         0 4 active  -
	v4-pasv-nat     1 4 passive --disable-epsv
	v4-pasv         0 4 passive --disable-epsv
	v4-epsv-nat     1 4 passive -
	v4-epsv         0 4 passive -
	v6-eprt-nat     1 6 active  -
	v6-eprt         0 6 active  -
	v6-epsv-nat     1 6 passive -
	v6-epsv         0 6 passive -
	split-nat       1 4 py      split
	split           0 4 py      split
	nagle-nat       1 4 py      nagle
	nagle           0 4 py      nagle
	multi-nat       1 4 py      multi
	multi           0 4 py      multi
	kill-nat        1 4 py      kill
	kill            0 4 py      kill
	bounce-nat      1 4 py      bounce
	bounce          0 4 py      bounce
	clash-nat       1 4 py      hold
	clash-zone-nat  1 4 py      hold
	TABLE
}

# The check telling whether the related connection behaved, its value with a working helper and
# without one: a transfer must work; a bounce must never reach the third host.
proto_outcome() {
	case $1 in bounce*) echo "leak no no" ;; *) echo "xfer ok fail" ;; esac
}

proto_nft_helpers() { printf 'ct helper ftp-help {\n\ttype "ftp" protocol tcp\n\tl3proto inet\n}\n'; }
proto_nft_pre() { echo 'tcp dport 21 ct helper set "ftp-help"'; }
proto_nft_forward() { echo 'tcp dport 21 accept'; }

# Once per boot: the file every transfer fetches.
proto_boot() {
	mkdir -p /tmp/ftproot
	head -c 200000 /dev/urandom > /tmp/ftproot/data.bin
}

# The error only mode kernel can provoke: the name clash with the loaded nf_conntrack_ftp.
proto_errors() {
	[ "$NFH_MODE" = kernel ] || return 0
	check ftp/clash 1 "kernel's own helper.*modprobe -r nf_nat_ftp nf_conntrack_ftp" "$NFH_BIN" ftp
}

# Scenario hooks, called with the table row (NAME NAT FAMILY CLIENT OPT) in scenario.sh's shell.
ftp_row() {
	FAM=$3 KIND=$4 OPT=$5
	SERVED=/tmp/ftproot/data.bin
	if [ "$FAM" = 4 ]; then SRV=10.0.2.2 CLI=10.0.1.2 URLHOST=10.0.2.2
	else SRV=fd00:2::2 CLI=fd00:1::2 URLHOST="[fd00:2::2]"; fi
}

proto_setup() {
	ftp_row "$@"
	[ "$OPT" = hold ] && { T 5 ip -n client addr add 10.0.1.3/24 dev c0 || { setup_fail second-client; return; }; }
	case $1 in *zone*) ftp_zone || { setup_fail zone; return; } ;; esac
	vsftpd_start "$FAM" || setup_fail vsftpd
}

proto_run() {
	ftp_row "$@"
	XFER=fail LEAK=no
	case $KIND in active|passive) ftp_run_curl ;; py) ftp_run_py ;; esac
}

# clash-zone-nat: clash-nat with every connection through the router in conntrack zone 5, the data
# connections' expectations too.  The taken port makes nfhelper search a free one through ctnetlink,
# which finds the master only in the zone the request names (CTA_EXPECT_ZONE).
ftp_zone() {
	T 5 ip netns exec router nft -f - <<-N
	table inet zone {
		chain raw {
			type filter hook prerouting priority raw; policy accept;
			ct zone set 5
		}
	}
	N
}

# Records the outcome (xfer or leak), the commands vsftpd received, and the passive reply.
#   xfer   ok|fail      downloaded bytes equal the served file (kill: both transfers)
#   leak   yes|no       bounce only: the server reached the third host through the router
#   cmd    ...          the data-connection commands vsftpd received (NAT rewriting shows here)
#   reply  ...          passive only: the 227/229 reply the client saw
proto_record() {
	ftp_row "$@"
	local cmd rep
	cmd=$(vsftpd_commands)
	# The port a clash moves to is the kernel's random pick (a hash in nfhelper): compare
	# only that it moved, i.e. write every port other than the announced 40001 as "moved".
	[ "$OPT" = hold ] && cmd=$(echo "$cmd" | sed 's/,156,65\b/,PORT40001/g; s/,[0-9]*,[0-9]*\(;\|$\)/,moved\1/g; s/,PORT40001/,156,65/g')
	if [ "$OPT" = bounce ]; then record leak "${LEAK:-no}"; else record xfer "${XFER:-fail}"; fi
	record cmd "${cmd:--}"
	if [ "$KIND" = passive ]; then
		rep=$(sed -n 's/^< \(22[79] .*\)/\1/p' "$W/client.log" 2>/dev/null | tr -d '\r' | paste -sd ';')
		record reply "${rep:--}"
	fi
}

proto_exp_normalise() {
	if [ "$5" = hold ]; then
		sed 's/dport=40001 /dport=KEEP /g; s/dport=[0-9]* mask/dport=moved mask/g; s/dport=KEEP /dport=40001 /g'
	else
		cat
	fi
}

ftp_run_curl() {
	local o=(-g -sS -v --max-time 20 --connect-timeout 5 -o "$W/got.bin")
	if [ "$KIND" = active ]; then
		[ "$FAM" = 4 ] && o+=(-P "$CLI:40001") || o+=(-P "[$CLI]:40001")
	else
		o+=(--ftp-pasv)
	fi
	[ "$OPT" = - ] || o+=("$OPT")
	T 30 ip netns exec client curl "${o[@]}" "ftp://$URLHOST/data.bin" 2> "$W/client.log"
	cmp -s "$W/got.bin" "$SERVED" && XFER=ok || XFER=fail
}

ftp_run_py() {
	ip netns exec client timeout -k 2 60 /usr/bin/python3 "$PROTO_DIR/ftpclient.py" "$OPT" "$SRV" "$CLI" \
		"$([ "$OPT" = bounce ] && echo 40003 || echo 40001)" "$SERVED" "$W" 10.0.3.2 \
		> "$W/client.out" 2> "$W/client.log" &
	local py=$!
	case $OPT in
	bounce)
		ip netns exec third busybox nc -l -p 40003 > /dev/null 2>&1 &
		# Not listening would answer RST, and a refused probe would read as "blocked".
		wait_for 5 listening third 40003 || setup_fail bounce-target-not-listening
		wait_for 20 test -e "$W/ported" || setup_fail client-sent-no-port
		# Play the server obeying the bounce: the router must not let this connection through.
		T 2 ip netns exec server bash -c 'exec 3<>/dev/tcp/10.0.3.2/40003' 2>/dev/null && LEAK=yes || LEAK=no
		touch "$W/go" ;;
	hold)
		# A second client behind the same NAT announces the same port while the first one's
		# expectation is pending: nf_nat_ftp (and nfhelper) must give it another port.
		wait_for 20 test -e "$W/ported" || setup_fail client-sent-no-port
		mkdir -p "$W/b"
		ip netns exec client timeout -k 2 30 /usr/bin/python3 "$PROTO_DIR/ftpclient.py" port "$SRV" 10.0.1.3 \
			40001 "$SERVED" "$W/b" > "$W/client-b.out" 2> "$W/client-b.log"
		local b=$?
		touch "$W/go"
		wait "$py" && [ "$b" = 0 ] && XFER=ok || XFER=fail
		return ;;
	kill)
		wait_for 40 test -e "$W/t1done" || echo "first transfer never finished" >&2
		if [ "$NFH_MODE" = nfhelper ]; then
			kill -KILL "$(cat "$W/helper.pid")"
			wait "$(cat "$W/helper.pid")" 2>/dev/null
			helper_start nfhelper-restarted.log || { echo "nfhelper did not restart" >&2; HELPER_OK=fail; }
		fi
		touch "$W/go" ;;
	esac
	wait "$py" && XFER=ok || XFER=fail
}

# vsftpd_start FAMILY(4|6): vsftpd in IPv6 mode refuses IPv4 PORT, so each family has its own.
# port_promiscuous stays NO: vsftpd rejects a PORT naming another host than the peer, so under
# NAT a transfer only works when the command was rewritten.
vsftpd_start() {
	local c=$W/vsftpd.conf
	mkdir -p /tmp/empty
	if [ "$1" = 4 ]; then
		printf 'listen=YES\nlisten_address=10.0.2.2\n' > "$c"
	else
		printf 'listen=NO\nlisten_ipv6=YES\nlisten_address6=fd00:2::2\n' > "$c"
	fi
	cat >> "$c" <<-CONF
	anonymous_enable=YES
	no_anon_password=YES
	local_enable=NO
	write_enable=NO
	anon_root=/tmp/ftproot
	run_as_launching_user=YES
	seccomp_sandbox=NO
	background=YES
	secure_chroot_dir=/tmp/empty
	pasv_min_port=40100
	pasv_max_port=40100
	connect_from_port_20=NO
	connect_timeout=4
	data_connection_timeout=10
	idle_session_timeout=30
	log_ftp_protocol=YES
	xferlog_enable=YES
	xferlog_std_format=NO
	vsftpd_log_file=$W/vsftpd.log
	CONF
	T 5 ip netns exec server vsftpd "$c" && wait_for 5 listening server 21
}

# The exact data-connection commands vsftpd received, in order, "; "-separated.
vsftpd_commands() {
	sed -n 's/.*FTP command: Client "[^"]*", "\(\(PORT\|EPRT\|PASV\|EPSV\)[^"]*\)".*/\1/p' "$W/vsftpd.log" 2>/dev/null |
		tr -d '\r' | paste -sd ';' | sed 's/;/; /g'
}
