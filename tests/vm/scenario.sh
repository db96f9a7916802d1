#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side: run one scenario PROTO/NAME in fresh network namespaces and append its checks to
# $NFH_OUT/results.txt as "PROTO/NAME CHECK VALUE".  Usage: scenario.sh PROTO/NAME [LABEL]
# The protocol's row (proto_scenarios: NAME NAT FIELDS...) is handed to its hooks.  Checks
# recorded here, for every protocol:
#   setup  ok|STEP      topology, helper start, ruleset and proto_setup all worked (else the step)
#   exp    ...          expectations created in the router (normalised NEW events)
#   helper ok|fail      mode nfhelper only: ready, (restarted,) and a clean exit on SIGTERM
# and, by proto_record, the protocol's own (its outcome check first: proto_outcome).
set -u
# Trace with timestamps into the scenario log: where the time went is the first question asked.
PS4='+ ${EPOCHREALTIME:-} '
set -x
VM=$(cd "$(dirname "$0")" && pwd)
. "$VM/topo.sh"
. "$VM/protos.sh"
Q=$1 L=${2:-$1}	# L: the name results and logs go under (the demo runs one scenario twice)
proto_load "${Q%%/*}" || exit 2
S=${Q#*/}
# shellcheck disable=SC2046 # the table row, split into its fields on purpose
set -- $(proto_scenarios | awk -v s="$S" '$1 == s')
[ $# -ge 2 ] || { echo "unknown scenario $Q" >&2; exit 2; }
NAT=$2
W=/tmp/sc/$L
mkdir -p "$W"
HELPER_OK=ok
record() { echo "$L $1 $2" >> "$NFH_OUT/results.txt"; echo "NFH-RESULT $NFH_MODE $L $1 $2"; }

# setup: ok, or the first step that failed (the client is then not run: nothing to learn).
SETUP=ok
setup_fail() { [ "$SETUP" != ok ] || SETUP=$1; echo "setup failed: $1" >&2; }
topo_up || setup_fail topology
if [ "$NFH_MODE" = nfhelper ]; then
	helper_start nfhelper.log || { setup_fail nfhelper-not-ready; HELPER_OK=fail; }
fi
[ "$SETUP" = ok ] && { ruleset "$([ "$NFH_MODE" = none ] && echo 0 || echo 1)" "$NAT" || setup_fail ruleset; }
[ "$SETUP" = ok ] && proto_setup "$@"
expect_watch_start
[ "$SETUP" = ok ] && proto_run "$@"
EXP=$(expect_watch_stop | proto_exp_normalise "$@")
if [ "$NFH_MODE" = nfhelper ]; then
	# The ruleset goes first: it holds a reference to the helper nfhelper may want to delete.
	T 10 ip netns exec router nft flush ruleset
	helper_stop || HELPER_OK=fail
fi

record setup "$SETUP"
proto_record "$@"
record exp "${EXP:--}"
[ "$NFH_MODE" = nfhelper ] && record helper "$HELPER_OK"
topo_down
mkdir -p "$NFH_OUT/$L"
cp -r "$W"/. "$NFH_OUT/$L/" 2>/dev/null
rm -f "$NFH_OUT/$L"/*.bin	# downloads: the served file is known
exit 0
