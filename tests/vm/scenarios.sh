# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced on host and guest: the scenario table.  Every scenario runs in every mode.
#   name          family nat client  curl options / ftpclient.py mode
scenario_table() {
	cat <<-'TABLE'
	v4-port-nat     4 1 active  --disable-eprt
	v4-port         4 0 active  --disable-eprt
	v4-eprt-nat     4 1 active  -
	v4-eprt         4 0 active  -
	v4-pasv-nat     4 1 passive --disable-epsv
	v4-pasv         4 0 passive --disable-epsv
	v4-epsv-nat     4 1 passive -
	v4-epsv         4 0 passive -
	v6-eprt-nat     6 1 active  -
	v6-eprt         6 0 active  -
	v6-epsv-nat     6 1 passive -
	v6-epsv         6 0 passive -
	split-nat       4 1 py      split
	split           4 0 py      split
	multi-nat       4 1 py      multi
	multi           4 0 py      multi
	kill-nat        4 1 py      kill
	kill            4 0 py      kill
	bounce-nat      4 1 py      bounce
	bounce          4 0 py      bounce
	clash-nat       4 1 py      hold
	TABLE
}
scenario_names() { scenario_table | awk '{ print $1 }'; }
