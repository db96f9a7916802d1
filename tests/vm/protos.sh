# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced on host and guest: the protocol folders (tests/vm/PROTO/proto.sh, the contract in
# tests/vm/README "Adding a protocol") and the qualified scenario names "PROTO/SCENARIO".
: "${VM:?VM must name tests/vm}"

# Every protocol folder, in name order.
protos_all() {
	local d
	for d in "$VM"/*/proto.sh; do
		[ -e "$d" ] || continue
		d=${d%/proto.sh}
		echo "${d##*/}"
	done
}

# proto_load PROTO: define its PROTO_* variables and proto_* functions in this shell, after
# clearing the previous protocol's (optional hooks fall back to the defaults below).
proto_load() {
	local f=$VM/$1/proto.sh
	[ -r "$f" ] || { echo "unknown protocol '$1'; known: $(protos_all | paste -sd ' ')" >&2; return 2; }
	PROTO=$1 PROTO_DIR=$VM/$1
	PROTO_PKGS= PROTO_NFHELPER= PROTO_NFHELPER_OPTS= PROTO_QUEUE= PROTO_ORACLE_MODULES=
	PROTO_DENY= PROTO_NFHELPER_MODULES= PROTO_NOCTHELPER= PROTO_DIFFERENCES= PROTO_ERRORS_KERNEL= PROTO_ERRORS_NFHELPER= PROTO_ERRORS_NONE=
	proto_boot() { :; }
	proto_errors() { :; }
	proto_exp_normalise() { cat; }
	# shellcheck disable=SC1090
	. "$f"
	local v
	for v in PROTO_NFHELPER PROTO_QUEUE PROTO_ORACLE_MODULES PROTO_DENY; do
		[ -n "${!v}" ] || { echo "$f: $v is not set" >&2; return 2; }
	done
}

# proto_scenario_names PROTO: its scenarios, qualified.
proto_scenario_names() {
	(proto_load "$1" && proto_scenarios | awk -v p="$1" 'NF && $1 !~ /^#/ { print p "/" $1 }')
}

# scenarios_all: every qualified scenario of every protocol.
scenarios_all() {
	local p
	for p in $(protos_all); do proto_scenario_names "$p"; done
}

# proto_reference PROTO/SCENARIO: the kernel scenario nfhelper's SCENARIO is judged against
# (a row of the protocol's PROTO_DIFFERENCES), qualified; empty when it is the scenario itself.
proto_reference() {
	(proto_load "${1%%/*}" && echo "$PROTO_DIFFERENCES" |
		awk -v s="${1#*/}" -v p="${1%%/*}" '$1 == s { print p "/" $2 }')
}

# protos_deny: one extended regex of every protocol's in-tree module names (modes nfhelper, none).
protos_deny() {
	local p
	for p in $(protos_all); do (proto_load "$p" && echo "$PROTO_DENY"); done | paste -sd '|'
}
