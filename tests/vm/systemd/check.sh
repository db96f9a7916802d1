#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The systemd guest's checks (nfh-vmtest.service, after nftables.service and nfhelper@ftp):
# one line "PASS|FAIL NAME DETAIL" a check into $NFH_OUT/results.txt, then "done".  The guest's
# initial network namespace is the router (nfhelper and the ruleset as the package installed
# them); client 10.0.1.2 and server 10.0.2.2 are namespaces behind r0 and r1, NATed out of r1.
# NFH_MODE: service (every check), masked (the control: nfhelper@ftp masked, so the FTP data
# checks must fail; the checks of the running unit are skipped).
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
LIB=/usr/local/lib/nfh-vmtest
. "$LIB/env"
. "$LIB/topo.sh"	# T, wait_for, listening
. "$LIB/kernellog.sh"
. "$LIB/ftp/proto.sh"	# ftp_row, vsftpd_start, ftp_run_curl, proto_boot
R=$NFH_OUT/results.txt
U=nfhelper@ftp.service
: > "$R"
echo "NFH-SYSTEMD $NFH_MODE checks start at $(cut -d' ' -f1 /proc/uptime) s"

check() {	# check NAME PASS|FAIL DETAIL
	echo "$2 $1 ${3:-}" >> "$R"
	echo "NFH-CHECK $2 $1 ${3:-}"
}
pass_if() {	# pass_if NAME DETAIL CMD...: PASS when CMD succeeds
	local _n=$1 _d=$2; shift 2	# not n, d: the callers' CMD may name theirs
	if "$@"; then check "$_n" PASS "$_d"; else check "$_n" FAIL "$_d"; fi
}
prop() { T 10 systemctl show -p "$2" --value "$1"; }	# prop UNIT PROPERTY

topology() {
	local i
	for i in 1:c0:client 2:s0:server; do
		set -- ${i//:/ }
		T 10 ip netns add "$3" &&
		T 10 ip link add "$2" netns "$3" type veth peer name "r$(($1 - 1))" &&
		T 10 ip addr add "10.0.$1.1/24" dev "r$(($1 - 1))" &&
		T 10 ip link set "r$(($1 - 1))" up &&
		T 10 ip -n "$3" -batch - <<-IP || return 1
		link set lo up
		addr add 10.0.$1.2/24 dev $2
		link set $2 up
		route add default via 10.0.$1.1
		IP
	done
	T 5 sysctl -qw net.ipv4.ip_forward=1
}

# ftp NAME ROW: one curl transfer of the rig's FTP table row ROW (tests/vm/ftp) through the NAT.
ftp() {
	local W=/tmp/nfh/$1 XFER
	mkdir -p "$W"
	# shellcheck disable=SC2046 # the table row, split into its fields on purpose
	ftp_row $(proto_scenarios | awk -v s="$2" '$1 == s')
	ftp_run_curl
	cp "$W/client.log" "$NFH_OUT/$1.curl.log" 2>/dev/null
	pass_if "$1" "${KIND} ($2): $XFER" [ "$XFER" = ok ]
}

# session NAME: session.py's control connection in the background; its lines in $S/out.
session_start() {
	S=/tmp/nfh/$1
	mkdir -p "$S"
	ip netns exec client timeout -k 2 120 /usr/bin/python3 "$LIB/session.py" 10.0.2.2 10.0.1.2 \
		/tmp/ftproot/data.bin "$S" > "$S/out" 2> "$S/log" &
	SPID=$!
	wait_for 30 test -e "$S/before" || echo "session $1: no first transfer" >&2
}
session_end() {
	wait "$SPID"
	cp "$S/out" "$NFH_OUT/$1.session.out"; cp "$S/log" "$NFH_OUT/$1.session.log"
}
said() { awk -v p="$1" -v w="$2" '$1 == p && $2 == w { $1 = $2 = ""; sub(/^ +/, ""); print }' "$S/out"; }

# After boot: installed from the package, the checkout out of sight, the unit ready before
# the ruleset was loaded, and so no kernel helper of that name.
boot_checks() {
	local st v a n
	st=$(dpkg-query -W -f='${Status} ${Version}' nfhelper 2>&1)
	v=$(/usr/sbin/nfhelper --version 2>&1 | awk '{ print $2 }')
	pass_if package "$st; dpkg -S: $(dpkg -S /usr/sbin/nfhelper 2>&1); --version $v; verify: $(dpkg --verify nfhelper 2>&1 | paste -sd ' ')" \
		eval '[ "$st" = "install ok installed $v" ] && [ -z "$(dpkg --verify nfhelper 2>&1)" ]'
	pass_if tree-hidden "$NFH_ROOT holds: $(cd "$NFH_ROOT" && find . -maxdepth 3 | sort | paste -sd ' ')" \
		eval '[ ! -e "$NFH_ROOT/build/nfhelper" ] && [ ! -e "$NFH_ROOT/src" ] && [ ! -e "$NFH_ROOT/build.sh" ]'
	pass_if active "$U: $(prop $U ActiveState)/$(prop $U SubState), nftables: $(prop nftables.service ActiveState)" \
		eval '[ "$(prop $U ActiveState)" = active ] && [ "$(prop nftables.service ActiveState)" = active ]'
	st=$(prop $U StatusText)
	pass_if ready "StatusText=$st" [ "$st" = "helping ftp on queue 21" ]
	a=$(prop $U ActiveEnterTimestampMonotonic) n=$(prop nftables.service ExecMainStartTimestampMonotonic)
	pass_if order "$U ready at ${a} us, nftables.service started at ${n} us" \
		eval '[ "${a:-0}" -gt 0 ] && [ "${n:-0}" -gt "${a:-0}" ]'
	st=$(awk '{ print $1 }' /proc/modules | grep -E '^nf_(conntrack|nat)_ftp$' | paste -sd ' ')
	pass_if no-kernel-helper "in-tree FTP modules loaded: ${st:--}" [ -z "$st" ]
}

# The unit's process: a dynamic user (not root), CAP_NET_ADMIN (bit 12) and nothing else.
creds_ok() {	# creds_ok PID UID
	local c
	[ -n "$2" ] && [ "$2" != 0 ] && [ "$2" -ge 61184 ] && [ "$2" -le 65519 ] || return 1
	grep -qE "^Uid:\s+$2\s+$2\s+$2\s+$2$" "/proc/$1/status" || return 1
	for c in CapPrm CapEff CapBnd CapAmb; do
		grep -qE "^$c:\s*0000000000001000$" "/proc/$1/status" || return 1
	done
}
creds_check() {
	local pid s uid
	pid=$(prop $U MainPID)
	s=$(grep -E '^(Uid|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' "/proc/$pid/status" 2>/dev/null | tr '\t' ' ' | paste -sd ';')
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
	pass_if creds "pid $pid: $s" creds_ok "$pid" "$uid"
}

# systemctl stop: the control connection keeps flowing (the queue is unbound, the kernel's
# registration stays: packets bypass it), no related connection until the helper runs again.
stop_check() {
	session_start stop
	pass_if stop-before "port: $(said before port)" [ "$(said before port)" = ok ]
	T 30 systemctl stop $U
	touch "$S/during"
	wait_for 40 test -e "$S/tried" || echo "session stop: never tried" >&2
	local st; st=$(prop $U ActiveState)
	pass_if stop-control "$U $st; NOOP answered $(said during noop)" \
		eval '[ "$st" = inactive ] && [ "$(said during noop)" = 200 ]'
	pass_if stop-related "port: $(said during port); pasv: $(said during pasv)" \
		eval '[ -n "$(said during port)" ] && [ "$(said during port)" != ok ] &&
			[ -n "$(said during pasv)" ] && [ "$(said during pasv)" != ok ]'
	T 30 systemctl start $U
	touch "$S/after"
	session_end stop
	# The first command after the gap is not parsed (where it starts is unknown: the bytes
	# sent meanwhile were never seen, as nf_conntrack_ftp's seq_aft_nl); the next ones are.
	pass_if stop-resume "after systemctl start: port: $(said after port); pasv: $(said after pasv); port again: $(said after port2)" \
		eval '[ "$(said after pasv)" = ok ] && [ "$(said after port2)" = ok ]'
}

# systemctl kill -s KILL: Restart=on-failure starts it again, and the control connection opened
# before the kill gets its next data connections.
kill_check() {
	local old new n
	session_start kill
	old=$(prop $U MainPID) n=$(prop $U NRestarts)
	T 10 systemctl kill -s KILL $U
	wait_for 30 eval 'new=$(prop $U MainPID); [ "$new" != 0 ] && [ "$new" != "$old" ] &&
		[ "$(prop $U ActiveState)" = active ]'
	new=$(prop $U MainPID)
	pass_if kill-restart "pid $old -> $new, NRestarts $n -> $(prop $U NRestarts), $(prop $U ActiveState)" \
		eval '[ "$new" != 0 ] && [ "$new" != "$old" ] && [ "$(prop $U NRestarts)" = $((n + 1)) ] &&
			[ "$(prop $U ActiveState)" = active ]'
	touch "$S/during" "$S/after"
	session_end kill
	pass_if kill-resume "before: $(said before port); after the restart: port $(said during port), pasv $(said during pasv)" \
		eval '[ "$(said before port)" = ok ] && [ "$(said during port)" = ok ] && [ "$(said during pasv)" = ok ]'
}

# The binary alone: the copy in /usr/local/sbin, run by hand with the unit stopped, in a mount
# namespace where the checkout path is an empty tmpfs and the package's binary /dev/null.
alone_check() {
	local W=/tmp/nfh/alone pid rc
	mkdir -p "$W"
	T 30 systemctl stop $U
	unshare -m sh -c 'mount -t tmpfs none "$1" && mount --bind /dev/null /usr/sbin/nfhelper &&
		exec /usr/local/sbin/nfhelper ftp -v' _ "$NFH_ROOT" > "$W/nfhelper.log" 2>&1 &
	pid=$!
	wait_for 20 eval 'grep -q ready "$W/nfhelper.log" || ! kill -0 $pid'
	pass_if alone-ready "$(readlink /proc/$pid/exe): $(grep ready "$W/nfhelper.log")" \
		eval '[ "$(readlink /proc/$pid/exe)" = /usr/local/sbin/nfhelper ] && grep -q ready "$W/nfhelper.log"'
	ftp alone-ftp-active v4-port-nat
	ftp alone-ftp-passive v4-pasv-nat
	kill -TERM $pid
	T 10 tail --pid=$pid -f /dev/null
	wait $pid; rc=$?
	cp "$W/nfhelper.log" "$NFH_OUT/alone.nfhelper.log"
	pass_if alone-exit "exit status $rc after SIGTERM" [ "$rc" = 0 ]
}

# The container image (./build.sh image, staged by prep.sh as $LIB/nfhelper-image.tar), run
# with Debian's podman.  Its storage is in the guest's writable overlay with the vfs driver: the
# overlay driver would stack overlayfs on the guest's overlayfs root, which the kernel refuses
# as an upper layer; vfs copies the one 250 KB layer.  cgroupfs and file events: the test
# target starts neither D-Bus nor a user session for podman's systemd integration.
P="podman --root /var/lib/nfh-podman --runroot /run/nfh-podman --storage-driver vfs
	--cgroup-manager cgroupfs --events-backend file"
IMG=""
ctr_load() {
	local out
	out=$(T 60 $P load -q -i "$LIB/nfhelper-image.tar" 2>&1)
	IMG=$(printf '%s\n' "$out" | sed -n 's/^Loaded image: //p' | head -1)
	pass_if ctr-load "podman load: ${out//$'\n'/ }; $($P images --format '{{.Repository}}:{{.Tag}} {{.Size}}' 2>&1 | paste -sd ' ')" \
		eval '[ -n "$IMG" ] && $P image exists "$IMG"'
}

# ctr_log NAME: the container's log so far (its stderr: nfhelper's lines).
ctr_log() { T 10 $P logs "$1" 2>&1; }

# As the host's helper, in a container: nfhelper@ftp stopped, the image run in the host's
# network namespace with CAP_NET_ADMIN added, FTP through the NAT as alone_check's, podman
# stop (SIGTERM: exit 0), nfhelper@ftp started again for what follows.
ctr_ftp() {
	local rc line
	T 30 systemctl stop $U
	T 60 $P run -d --name nfh-ftp --network host --cap-drop all --cap-add NET_ADMIN "$IMG" ftp -v \
		> /tmp/nfh/ctr-ftp.id 2>&1
	wait_for 30 eval 'ctr_log nfh-ftp | grep -q " ready " ||
		[ "$($P inspect -f "{{.State.Running}}" nfh-ftp 2>&1)" != true ]'
	line=$(ctr_log nfh-ftp | grep " ready ")
	ftp ctr-ftp-active v4-port-nat
	ftp ctr-ftp-passive v4-pasv-nat
	T 30 $P stop -t 10 nfh-ftp > /dev/null 2>&1
	rc=$($P inspect -f '{{.State.ExitCode}}' nfh-ftp 2>&1)
	ctr_log nfh-ftp > "$NFH_OUT/ctr-ftp.nfhelper.log"
	T 30 $P rm -f nfh-ftp > /dev/null 2>&1
	T 30 systemctl start $U
	pass_if ctr-ftp "ready: ${line:-none ($(cat /tmp/nfh/ctr-ftp.id))}; podman stop: exit $rc; $U again: $(prop $U ActiveState)" \
		eval '[ -n "$line" ] && [ "$rc" = 0 ] && [ "$(prop $U ActiveState)" = active ] &&
			grep -q "^PASS ctr-ftp-active " "$R" && grep -q "^PASS ctr-ftp-passive " "$R"'
}

# In a user namespace (root's uid 0 mapped to 100000): CAP_NET_ADMIN there is not CAP_NET_ADMIN
# in the initial user namespace, which nfnetlink_cthelper asks for: exit 1 and setup.c's line.
ctr_userns() {
	local out rc
	out=$(T 60 $P run --rm --uidmap 0:100000:65536 --gidmap 0:100000:65536 --network host \
		--cap-drop all --cap-add NET_ADMIN "$IMG" ftp 2>&1); rc=$?
	printf '%s\n' "$out" > "$NFH_OUT/ctr-userns.log"
	pass_if ctr-userns "exit $rc: ${out//$'\n'/ | }" \
		eval '[ "$rc" = 1 ] && [ "$(printf "%s\n" "$out" | grep -c .)" = 1 ] &&
			printf "%s\n" "$out" | grep -q "needs it in the initial user namespace"'
}

# A network namespace of its own (--network none: podman's bridge needs netavark, which Debian's
# podman only recommends): the helper registers there, and its ready line says so.
ctr_netns() {
	local host line ns
	host=$(readlink /proc/1/ns/net)
	T 60 $P run -d --name nfh-netns --network none --cap-drop all --cap-add NET_ADMIN "$IMG" ftp \
		> /tmp/nfh/ctr-netns.id 2>&1
	wait_for 30 eval 'ctr_log nfh-netns | grep -q " ready " ||
		[ "$($P inspect -f "{{.State.Running}}" nfh-netns 2>&1)" != true ]'
	line=$(ctr_log nfh-netns | grep " ready ")
	# shellcheck disable=SC2034 # read by pass_if's eval
	ns=$(printf '%s\n' "$line" | sed -n 's/.*network namespace \(net:\[[0-9]*\]\).*/\1/p')
	ctr_log nfh-netns > "$NFH_OUT/ctr-netns.nfhelper.log"
	T 30 $P rm -f -t 5 nfh-netns > /dev/null 2>&1
	pass_if ctr-netns "host (pid 1): $host; container: ${line:-no ready line ($(cat /tmp/nfh/ctr-netns.id))}" \
		eval '[ -n "$ns" ] && [ -n "$host" ] && [ "$ns" != "$host" ]'
}

container_checks() {
	local t0 t1
	t0=$(cut -d' ' -f1 /proc/uptime)
	ctr_load
	if [ -n "$IMG" ]; then
		ctr_ftp
		ctr_userns
		ctr_netns
	fi
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" > "$NFH_OUT/ctr-time"
}

# nfhelper-dkms (prep.sh's dpkg -i, DKMS building the module in this guest): DKMS has this
# version installed for the running kernel; the module nfhelper@pptp's drop-in loads by name
# ("modprobe nfh_pptp") resolves to DKMS's copy in updates/dkms, loads, and makes its
# /proc/net/nfh_pptp.
dkms_check() {
	local k v st path loaded
	k=$(uname -r)
	v=$(/usr/sbin/nfhelper --version 2>&1 | awk '{ print $2 }')
	# stdout only: dkms lets readelf's warnings through on stderr.
	st=$(T 60 dkms status -m nfhelper -v "$v" -k "$k" 2>> "$NFH_OUT/dkms-status.err" | paste -sd ' ')
	path=$(modinfo -n nfh_pptp 2>&1)
	T 30 modprobe nfh_pptp 2>> "$NFH_OUT/dkms-modprobe.log"
	loaded=$(awk '$1 == "nfh_pptp" { print $1, $3, $5 }' /proc/modules)
	pass_if dkms "dpkg: $(dpkg-query -W -f='${Status} ${Version}' nfhelper-dkms 2>&1); dkms status: ${st:--}; modinfo -n: $path; /proc/modules: ${loaded:--}; /proc/net/nfh_pptp: $(test -e /proc/net/nfh_pptp && echo present || echo absent); built in $(cat "$NFH_OUT/dkms-time" 2>/dev/null || echo ?) s" \
		eval '[ "$st" = "nfhelper/$v, $k, $(uname -m): installed" ] &&
			case $path in "/lib/modules/$k/updates/dkms/nfh_pptp.ko"|"/lib/modules/$k/updates/dkms/nfh_pptp.ko.xz") true ;; *) false ;; esac &&
			[ -n "$loaded" ] && [ -e /proc/net/nfh_pptp ]'
}

proto_boot	# /tmp/ftproot/data.bin
topology || check topology FAIL "cannot build the namespaces"
W=/tmp/nfh/vsftpd; mkdir -p "$W"; ftp_row v4 1 4 active -
vsftpd_start 4 || check vsftpd FAIL "vsftpd did not start"
boot_checks
ftp ftp-active v4-port-nat
ftp ftp-passive v4-pasv-nat
if [ "$NFH_MODE" = service ]; then
	creds_check
	stop_check
	kill_check
	alone_check
	container_checks
	dkms_check
fi
dmesg > "$NFH_OUT/dmesg.txt" 2>&1
bad=$(grep -E -m3 "$NFH_KERNEL_LOG_BAD" "$NFH_OUT/dmesg.txt" | paste -sd ';')
pass_if kernel-log "${bad:-clean}" [ -z "$bad" ]
T 20 journalctl -b -o short-monotonic --no-pager > "$NFH_OUT/journal.txt" 2>&1
cp /tmp/nfh/vsftpd/vsftpd.log "$NFH_OUT/" 2>/dev/null
cp /etc/nftables.d/ftp.nft "$NFH_OUT/ruleset.nft"
echo "done" >> "$R"
echo "NFH-SYSTEMD $NFH_MODE checks done at $(cut -d' ' -f1 /proc/uptime) s"
sync
