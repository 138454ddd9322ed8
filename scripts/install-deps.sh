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
install_missing() {
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null
	missing=""
}
install_missing

# The completion tests load the scripts in each shell; the man page test runs groff;
# the raw_diag case tries modprobe (kmod).
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
command -v groff >/dev/null 2>&1 || missing="$missing groff"
command -v modprobe >/dev/null 2>&1 || missing="$missing kmod"
install_missing
