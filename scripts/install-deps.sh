#!/bin/sh
# Installs what the test suite needs on a fresh Debian machine, in one apt run: the
# oracles and tools of the tests (each group says which tests need it). As root it
# installs what is missing; otherwise it names what is missing and fails.
set -eu
missing=""
need() { # need COMMAND PACKAGE: PACKAGE when COMMAND is not found
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

# The drop-in netstat: net-tools (the oracle /usr/bin/netstat), iproute2 (ip netns,
# ss), util-linux (unshare, setpriv), gcc (cgo, for make race and the glibc drivers).
[ -x /usr/bin/netstat ] || missing="$missing net-tools"
need ip iproute2
need ss iproute2
need unshare util-linux
need setpriv util-linux
need gcc gcc
# The completion tests load the scripts in each shell; the man page test runs groff;
# the raw_diag case tries modprobe (kmod).
need zsh zsh
need fish fish
need groff groff
need modprobe kmod
# netstat serve: promtool and a Prometheus server for its tests, node_exporter for its
# benchmark, curl for the TLS and basic-auth test.
need prometheus prometheus
need promtool prometheus
need prometheus-node-exporter prometheus-node-exporter
need curl curl
# netstat top and netstat close end to end: tmux drives the view, socat is the
# population.
need tmux tmux
need socat socat
# netstat weblog: gawk and mawk (the recipes' pipelines, the oracle of its tests) and
# chromium (the HTML report opened in a real headless browser).
need gawk gawk
need mawk mawk
need chromium chromium
# netstat sniff: tcpdump (the BPF filter oracle and the benchmark's reference), a real
# MariaDB server and client, DBD::MariaDB (a client that sends COM_STMT_PREPARE),
# openssl (the TLS connection's certificate).
need tcpdump tcpdump
[ -x /usr/sbin/mariadbd ] || missing="$missing mariadb-server"
need mariadb mariadb-client
perl -MDBD::MariaDB -e 1 >/dev/null 2>&1 || missing="$missing libdbd-mariadb-perl"
need openssl openssl
# netstat.exe end to end under Wine (test/wine): wine64 runs it, the mingw-w64 cross
# compiler builds its stand-in bcryptprimitives.dll (about 3.5 minutes to install).
[ -x /usr/lib/wine/wine64 ] || missing="$missing wine64"
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64

[ -z "$missing" ] && exit 0
# One name per package.
missing=$(echo "$missing" | tr ' ' '\n' | sort -u | tr '\n' ' ')
if [ "$(id -u)" != 0 ]; then
	echo "missing packages: $missing(run as root to install them)" >&2
	exit 1
fi
echo "installing: $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Services that packages would start (mariadb, prometheus) are not wanted: the tests
# start their own, in their own namespaces.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
