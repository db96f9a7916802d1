#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest main, run chrooted in the host's root by /init: load the mode's modules, then every
# requested scenario in turn, each bounded and in fresh namespaces.  $NFH_OUT/params (written by
# run.sh) sets NFH_MODE, NFH_SCENARIOS, NFH_BIN.
set -u
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
VM=$(cd "$(dirname "$0")" && pwd)
. "$NFH_OUT/params"
export NFH_MODE NFH_BIN NFH_OUT
. "$VM/topo.sh"
echo "NFH-MODE $NFH_MODE start"

# Load explicitly what autoload would load anyway, so a failure shows here and not mid-scenario.
mods="veth nf_conntrack nf_nat nf_tables nft_ct nft_nat nft_masq nft_chain_nat nft_objref nf_conntrack_netlink
      nfnetlink_queue"
# Mode none goes without nfnetlink_cthelper (and may not autoload it): errors.sh checks what a
# user is told on such a kernel.
[ "$NFH_MODE" = none ] || mods="$mods nfnetlink_cthelper"
# The oracle: nft's "ct helper" object autoloads the tracking half only, never the NAT half.
[ "$NFH_MODE" = kernel ] && mods="$mods nf_conntrack_ftp nf_nat_ftp"
for m in $mods; do T 20 modprobe "$m" || echo "NFH-ERROR cannot load module $m"; done
if [ "$NFH_MODE" = nfhelper ] && [ ! -x "$NFH_BIN" ]; then echo "NFH-ERROR $NFH_BIN is missing"; fi

mkdir -p /tmp/ftproot
head -c 200000 /dev/urandom > /tmp/ftproot/data.bin
: > "$NFH_OUT/results.txt"
T 60 bash "$VM/errors.sh" > "$NFH_OUT/_errors.log" 2>&1 || echo "NFH-ERROR errors.sh timed out or failed"
# An item MODE:SCENARIO runs that scenario as MODE (the demo shows "none" beside "nfhelper");
# its results go under the label SCENARIO@MODE.
for item in $NFH_SCENARIOS; do
	s=${item#*:} m=$NFH_MODE l=$s
	[ "$item" = "$s" ] || { m=${item%%:*}; l=$s@$m; }
	start=$(date +%s.%N)
	NFH_MODE=$m T 60 bash "$VM/scenario.sh" "$s" "$l" > "$NFH_OUT/$l.log" 2>&1 ||
		echo "NFH-ERROR scenario $l timed out or failed"
	topo_down	# again: a scenario killed by its timeout leaves its namespaces behind
	echo "NFH-TIME $m $l $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
done
# Proof that the oracle was (or was not) in the kernel: autoload is refused for the other modes.
echo "_boot ftp-modules $(grep -o '^nf_[a-z]*_ftp' /proc/modules | sort | paste -sd ' ' | grep . || echo -)" >> "$NFH_OUT/results.txt"
echo "done" > "$NFH_OUT/done"
echo "NFH-MODE $NFH_MODE done"
