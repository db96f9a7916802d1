#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest main, run chrooted in the host's root by /init: load the mode's modules, then every
# requested scenario in turn, each bounded and in fresh namespaces.  $NFH_OUT/params (written by
# boot.sh) sets NFH_MODE, NFH_SERIES, NFH_KERNEL, NFH_SCENARIOS (PROTO/NAME or MODE:PROTO/NAME),
# NFH_BIN.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
VM=$(cd "$(dirname "$0")" && pwd)
. "$NFH_OUT/params"
export NFH_MODE NFH_SERIES NFH_BIN NFH_OUT
. "$VM/topo.sh"
. "$VM/protos.sh"
echo "NFH-MODE $NFH_MODE start ($NFH_KERNEL)"
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
t=$(now)

# The protocols this boot runs, in order of first use.
PROTOS=$(for item in $NFH_SCENARIOS; do s=${item#*:}; echo "${s%%/*}"; done | awk '!seen[$0]++')

# Load explicitly what autoload would load anyway, so a failure shows here and not mid-scenario.
# A name this kernel does not have as a module (nft_objref is part of nf_tables in 6.12) is skipped.
mods="veth nf_conntrack nf_nat nf_tables nft_ct nft_nat nft_masq nft_chain_nat nft_objref nf_conntrack_netlink
      nfnetlink_queue"
# Mode none goes without nfnetlink_cthelper (and may not autoload it): errors.sh checks what a
# user is told on such a kernel.
[ "$NFH_MODE" = none ] || mods="$mods nfnetlink_cthelper"
# The oracle: nft's "ct helper" object autoloads the tracking half only, never the NAT half.
if [ "$NFH_MODE" = kernel ]; then
	for p in $(protos_all); do mods="$mods $(proto_load "$p" && echo "$PROTO_ORACLE_MODULES")"; done
fi
for m in $mods; do
	T 10 modprobe -n -q "$m" || { echo "NFH-NOTE no module $m in this kernel"; continue; }
	T 20 modprobe "$m" || echo "NFH-ERROR cannot load module $m"
done
if [ "$NFH_MODE" = nfhelper ] && [ ! -x "$NFH_BIN" ]; then echo "NFH-ERROR $NFH_BIN is missing"; fi
: > "$NFH_OUT/results.txt"
: > "$NFH_OUT/times.txt"
for p in $PROTOS; do
	VM=$VM T 30 bash -c '. "$VM/topo.sh"; . "$VM/protos.sh"; proto_load "$1" && proto_boot' _ "$p" ||
		echo "NFH-ERROR $p: proto_boot failed"
done
echo "_modules $(since "$t")" >> "$NFH_OUT/times.txt"

t=$(now)
NFH_PROTOS=$PROTOS T $((30 + 30 * $(echo "$PROTOS" | wc -w))) bash "$VM/errors.sh" > "$NFH_OUT/_errors.log" 2>&1 ||
	echo "NFH-ERROR errors.sh timed out or failed"
echo "_errors $(since "$t")" >> "$NFH_OUT/times.txt"
# An item MODE:PROTO/NAME runs that scenario as MODE (the demo shows "none" beside "nfhelper");
# its results go under the label PROTO/NAME@MODE.
for item in $NFH_SCENARIOS; do
	s=${item#*:} m=$NFH_MODE l=${item#*:}
	[ "$item" = "$s" ] || { m=${item%%:*}; l=$s@$m; }
	t=$(now)
	mkdir -p "$NFH_OUT/${l%/*}"
	NFH_MODE=$m T 60 bash "$VM/scenario.sh" "$s" "$l" > "$NFH_OUT/$l.log" 2>&1 ||
		echo "NFH-ERROR scenario $l timed out or failed"
	topo_down	# again: a scenario killed by its timeout leaves its namespaces behind
	d=$(since "$t")
	echo "$l $d" >> "$NFH_OUT/times.txt"
	echo "NFH-TIME $m $l ${d}s"
done
# Proof that the oracles were (or were not) in the kernel: autoload is refused for the other
# modes.  Every module named by a protocol's PROTO_DENY counts.
for p in $(protos_all); do
	deny=$(proto_load "$p" && echo "$PROTO_DENY")
	echo "_boot $p/modules $(awk '{ print $1 }' /proc/modules | grep -E "$deny" | sort | paste -sd ' ' | grep . || echo -)" >> "$NFH_OUT/results.txt"
done
# The kernel's log, whole, for compare.sh: BUG, Oops, WARNING or a stall fails the boot.
dmesg > "$NFH_OUT/dmesg.txt" 2>&1
echo "done" > "$NFH_OUT/done"
echo "NFH-MODE $NFH_MODE done"
