#!/bin/sh
# Installs what the test suite needs on a fresh Debian machine: net-tools (the oracle
# /usr/bin/netstat), iproute2 (ip netns, ss), util-linux (unshare, setpriv) and gcc
# (cgo, for the race detector).
set -eu
missing=""
[ -x /usr/bin/netstat ] || missing="$missing net-tools"
command -v ip >/dev/null 2>&1 && command -v ss >/dev/null 2>&1 || missing="$missing iproute2"
command -v unshare >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1 || missing="$missing util-linux"
command -v gcc >/dev/null 2>&1 || missing="$missing gcc" # cgo, for make race
# netstat serve: promtool and a Prometheus server for its tests, node_exporter for its
# benchmark, curl for the TLS and basic-auth test.
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
command -v prometheus-node-exporter >/dev/null 2>&1 || missing="$missing prometheus-node-exporter"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
# netstat top and netstat close end to end: tmux drives the view, socat is the population
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v socat >/dev/null 2>&1 || missing="$missing socat"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
