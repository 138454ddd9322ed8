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
# weblog: gawk and mawk (the recipes' pipelines, the oracle of its tests) and chromium
# (the HTML report opened in a real headless browser).
command -v gawk >/dev/null 2>&1 || missing="$missing gawk"
command -v mawk >/dev/null 2>&1 || missing="$missing mawk"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
# netstat sniff: tcpdump (the BPF filter oracle and the benchmark's reference), a real
# MariaDB server and client, DBD::MariaDB (a client that sends COM_STMT_PREPARE),
# openssl (the TLS connection's certificate), curl
command -v tcpdump >/dev/null 2>&1 || missing="$missing tcpdump"
command -v mariadbd >/dev/null 2>&1 || missing="$missing mariadb-server"
command -v mariadb >/dev/null 2>&1 || missing="$missing mariadb-client"
perl -MDBD::MariaDB -e 1 >/dev/null 2>&1 || missing="$missing libdbd-mariadb-perl"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
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
