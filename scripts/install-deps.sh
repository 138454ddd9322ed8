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

# netstat.exe end to end under Wine (test/wine): wine64 runs it, the mingw-w64 cross
# compiler builds its stand-in bcryptprimitives.dll (about 3.5 minutes to install).
[ -x /usr/lib/wine/wine64 ] || missing="$missing wine64"
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing="$missing gcc-mingw-w64-x86-64"

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
