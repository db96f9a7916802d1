# SPDX-License-Identifier: GPL-2.0-or-later
# TFTP in the VM rig (the contract: tests/vm/README, "Adding a protocol"): tftpd-hpa in the
# server netns, tftp-hpa, busybox tftp, curl or probe.py in the client netns; nf_conntrack_tftp +
# nf_nat_tftp are the oracle.  RFC 1350 (the server answers from a new port), RFC 2347-2349.
# Sourced on host and guest: definitions only.
PROTO_PKGS="tftpd-hpa tftp-hpa curl busybox-static python3"
PROTO_NFHELPER=tftp
PROTO_NFHELPER_OPTS=-v
PROTO_QUEUE=69
PROTO_ORACLE_MODULES="nf_conntrack_tftp nf_nat_tftp"
# Autoload names of the in-tree TFTP helper (nfct-helper-tftp, nf_conntrack_tftp, nf_nat_tftp);
# FTP's '[-_]ftp$' does not match these, nor this FTP's.
PROTO_DENY='[-_]tftp$'
PROTO_ERRORS_KERNEL=clash

# Deliberate, documented differences (README "TFTP"): nfhelper must do on SCENARIO what the
# kernel does on REFERENCE, a datagram it refuses too.
PROTO_DIFFERENCES="
badmode-nat  badop-nat  stricter: kernel opens a pinhole for any datagram starting 0,1; nfhelper refuses an unknown mode
"

# The port the clients send from where they can be told (tftp-hpa -R, curl --local-port,
# probe.py): the expectation's destination port is then the same in every run.
TFTP_CPORT=40069

# name            nat family client op
proto_scenarios() {
	cat <<-'TABLE'
	v4-get-nat      1 4 hpa   get
	v4-get          0 4 hpa   get
	v4-put-nat      1 4 hpa   put
	v4-opt-get-nat  1 4 bb    get
	v4-opt-put      0 4 bb    put
	v4-curl-nat     1 4 curl  get
	v6-get          0 6 hpa   get
	v6-put-nat      1 6 hpa   put
	badmode-nat     1 4 probe badmode
	badop-nat       1 4 probe badop
	TABLE
}

# A transfer must work; a crafted datagram must reach the server either way (nfhelper refuses
# to open anything for it, it never drops it).
proto_outcome() {
	case $1 in bad*) echo "delivered yes yes" ;; *) echo "xfer ok fail" ;; esac
}

proto_nft_helpers() { printf 'ct helper tftp-help {\n\ttype "tftp" protocol udp\n\tl3proto inet\n}\n'; }
proto_nft_pre() { echo 'udp dport 69 ct helper set "tftp-help"'; }
proto_nft_forward() { echo 'udp dport 69 accept'; }

# Once per boot: the file every transfer moves.  5000 bytes: several blocks of every block
# size used (512, 1024, 1428), the last one short, and quick even on a loaded TCG guest.
proto_boot() {
	mkdir -p /tmp/tftp
	head -c 5000 /dev/urandom > /tmp/tftp/data.bin
	chmod 644 /tmp/tftp/data.bin
}

# The error only mode kernel can provoke: the name clash with the loaded nf_conntrack_tftp.
proto_errors() {
	[ "$NFH_MODE" = kernel ] || return 0
	check tftp/clash 1 "kernel's own helper.*modprobe -r nf_nat_tftp nf_conntrack_tftp" "$NFH_BIN" tftp
}

# Scenario hooks, called with the table row (NAME NAT FAMILY CLIENT OP) in scenario.sh's shell.
tftp_row() {
	FAM=$3 KIND=$4 OP=$5
	SERVED=/tmp/tftp/data.bin
	ROOT=/tmp/tftp/root-${L//\//-}
	if [ "$FAM" = 4 ]; then SRV=10.0.2.2 BIND=10.0.2.2:69 URLHOST=10.0.2.2
	else SRV=fd00:2::2 BIND="[fd00:2::2]:69" URLHOST="[fd00:2::2]"; fi
}

# udp_bound PID PORT: a socket of PID's netns is bound to UDP PORT (the rig's `listening` is
# TCP only).  Read from /proc in this shell: under TCG every process started costs ~0.3 s.
udp_bound() {
	local f _ addr want
	want=$(printf ':%04X' "$2")
	for f in /proc/$1/net/udp /proc/$1/net/udp6; do
		while read -r _ addr _; do
			[[ $addr == *"$want" ]] && return 0
		done < "$f"
	done 2>/dev/null
	return 1
}

proto_setup() {
	tftp_row "$@"
	if [ "$KIND" = probe ]; then
		# ip netns exec execs: $! is the server's own pid.
		ip netns exec server /usr/bin/python3 "$PROTO_DIR/probe.py" serve "$SRV" "$W" \
			> "$W/probe-server.log" 2>&1 &
	else
		tftpd_start || { setup_fail tftpd; return; }
	fi
	# Python's start alone can take seconds on a loaded TCG guest.
	wait_for 20 udp_bound $! 69 || setup_fail server-not-listening
}

proto_run() {
	tftp_row "$@"
	XFER=fail
	case $KIND in
	hpa) tftp_run_hpa ;;
	bb) tftp_run_busybox ;;
	curl) tftp_run_curl ;;
	probe) T 15 ip netns exec client /usr/bin/python3 "$PROTO_DIR/probe.py" send "$OP" "$SRV" \
		"$TFTP_CPORT" "$W" > "$W/client.log" 2>&1; return ;;
	esac
	tftp_xfer_check
}

# Records the outcome and what the server saw:
#   xfer       ok|fail   the file arrived whole: get, the client's copy; put, the server's
#   req        ...       the requests tftpd logged ("RRQ from ADDR filename F": the client's
#                        address as NAT left it), each once (a retransmitted request repeats)
#   delivered  yes|no    probes: the server received the crafted datagram unchanged
#   answer     yes|no    probes: the server's answer from a new port reached the client
#                        (through a pinhole: the kernel's for badmode, nobody's for badop)
proto_record() {
	tftp_row "$@"
	local req
	if [ "$KIND" = probe ]; then
		if [ -s "$W/sent.txt" ] && grep -qxF "$(cat "$W/sent.txt")" "$W/served.txt" 2>/dev/null
		then record delivered yes; else record delivered no; fi
		record answer "$(cat "$W/answer.txt" 2>/dev/null || echo -)"
		tftp_refusal_check
		return
	fi
	record xfer "${XFER:-fail}"
	req=$(sed -n 's/.*tftpd\[[0-9]*\]: \(\(RRQ\|WRQ\) from .*\)$/\1/p' "$W/tftpd.log" 2>/dev/null |
		sort -u | paste -sd ';' | sed 's/;/; /g')
	record req "${req:--}"
}

# busybox picks its own port: the expectation's destination port is written as "eph".
proto_exp_normalise() {
	if [ "$4" = bb ]; then sed 's/dport=[0-9]* mask/dport=eph mask/g'; else cat; fi
}

# nfhelper must say why it opened nothing (README "TFTP": a warning and the stop line's count);
# the kernel says nothing, so this is part of the helper check, not a check of its own.
tftp_refusal_check() {
	[ "$NFH_MODE" = nfhelper ] || return 0
	case $OP in
	badmode)
		if ! grep -q "malformed RRQ: unknown mode, no expectation" "$W/nfhelper.log" ||
			! grep -q " 1 refused as malformed" "$W/nfhelper.log"; then
			echo "nfhelper did not log the refusal" >&2; HELPER_OK=fail
		fi ;;
	badop)
		# No request at all: nothing to refuse, nothing to say.
		grep -q " 0 refused as malformed" "$W/nfhelper.log" ||
			{ echo "nfhelper counted a DATA block as a refused request" >&2; HELPER_OK=fail; } ;;
	esac
}

# tftpd-hpa logs (-v: each request) only to syslog: a busybox syslogd for this scenario, in the
# server netns so that topo_down ends it.  /dev/log is removed first: a stale socket of an
# earlier scenario would pass the wait before the new one is bound.
tftpd_start() {
	rm -rf "$ROOT"
	mkdir -p "$ROOT" && cp "$SERVED" "$ROOT/data.bin" && chmod 777 "$ROOT" || return 1
	rm -f /dev/log
	ip netns exec server busybox syslogd -n -O "$W/tftpd.log" &
	wait_for 5 test -S /dev/log || return 1
	# -L foreground (ends with its netns), -s chroot to ROOT, -c WRQ may create files.
	ip netns exec server in.tftpd -L -l -a "$BIND" -s -c -u nobody -v "$ROOT" > "$W/tftpd.out" 2>&1 &
}

# tftp-hpa: no options.  Commands on stdin, not -c, to shorten its give-up time (25 s by
# default) to 6 s: retransmit every 2 s.  It exits 0 either way; the file tells.
tftp_run_hpa() {
	local cmd
	if [ "$OP" = get ]; then cmd="get data.bin $W/got.bin"; else cmd="put $SERVED up.bin"; fi
	printf 'verbose\nrexmt 2\ntimeout 6\n%s\n' "$cmd" |
		T 15 ip netns exec client tftp "-$FAM" -m binary -R "$TFTP_CPORT:$TFTP_CPORT" "$SRV" 69 \
		> "$W/client.log" 2>&1
}

# busybox: blksize 1024 and tsize.  It has no timeout option and gives up after about 13 s:
# bounded at 8 (a 5-block transfer takes well under a second).
tftp_run_busybox() {
	if [ "$OP" = get ]; then
		T 8 ip netns exec client busybox tftp -g -b 1024 -l "$W/got.bin" -r data.bin "$SRV" 69
	else
		T 8 ip netns exec client busybox tftp -p -b 1024 -l "$SERVED" -r up.bin "$SRV" 69
	fi > "$W/client.log" 2>&1
}

# curl: tsize, blksize 1428 and timeout (its --connect-timeout).
tftp_run_curl() {
	T 15 ip netns exec client curl -g -sS -v --tftp-blksize 1428 --local-port "$TFTP_CPORT" \
		--connect-timeout 5 --max-time 10 -o "$W/got.bin" "tftp://$URLHOST/data.bin" > "$W/client.log" 2>&1
}

# The transferred file must equal the served one.  A put is complete on the server's side
# once it has the whole size; a short wait covers the server's last write after its last ACK.
tftp_xfer_check() {
	local f=$W/got.bin
	[ "$OP" = put ] && f=$ROOT/up.bin
	if [ "$OP" = put ] && [ "$(stat -c %s "$f" 2>/dev/null)" = "$(stat -c %s "$SERVED")" ]; then
		wait_for 3 cmp -s "$f" "$SERVED"
	fi
	cmp -s "$f" "$SERVED" && XFER=ok || XFER=fail
}
