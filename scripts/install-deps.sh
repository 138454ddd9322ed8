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
