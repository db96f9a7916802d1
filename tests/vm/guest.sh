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
      nfnetlink_queue nfnetlink_cthelper"
# The oracle: nft's "ct helper" object autoloads the tracking half only, never the NAT half.
[ "$NFH_MODE" = kernel ] && mods="$mods nf_conntrack_ftp nf_nat_ftp"
for m in $mods; do T 20 modprobe "$m" || echo "NFH-ERROR cannot load module $m"; done
if [ "$NFH_MODE" = nfhelper ] && [ ! -x "$NFH_BIN" ]; then echo "NFH-ERROR $NFH_BIN is missing"; fi

mkdir -p /tmp/ftproot
head -c 200000 /dev/urandom > /tmp/ftproot/data.bin
: > "$NFH_OUT/results.txt"
for s in $NFH_SCENARIOS; do
	start=$(date +%s.%N)
	T 100 bash "$VM/scenario.sh" "$s" > "$NFH_OUT/$s.log" 2>&1 || echo "NFH-ERROR scenario $s timed out or failed"
	topo_down	# again: a scenario killed by its timeout leaves its namespaces behind
	echo "NFH-TIME $NFH_MODE $s $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
done
echo "done" > "$NFH_OUT/done"
echo "NFH-MODE $NFH_MODE done"
