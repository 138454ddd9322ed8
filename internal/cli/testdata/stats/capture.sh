#!/bin/sh
# capture.sh: regenerate the oracle captures for the -s tests (needs root, ip, unshare,
# python3 and /usr/bin/netstat from net-tools 2.10).
#
#   live cases   fresh/, traffic/: /proc/net/{snmp,netstat,snmp6} of a private network
#                namespace (zero counters, then after loopback traffic from traffic.py),
#                copied together with the real netstat outputs on exactly those files.
#   synthetic    every other */proc tree (hand-written): the real netstat is run on it
#                in a private mount namespace whose /proc is a tmpfs holding that tree.
#
# For each case and variant V, writes V.stdout, V.stderr and V.exit next to proc/.
set -eu
cd "$(dirname "$0")"
export LC_ALL=C

variants='s:-s
st:-st
su:-su
sw:-sw
sU:-sU
sS:-sS
stu:-stu
s6:-s -6
s6t:-s -6 -t
s6u:-s -6 -u
s6w:-s -6 -w
s46:-s -4 -6'

# run_variants DIR: run every variant of the oracle, outputs into DIR.
run_variants() {
	echo "$variants" | while IFS=: read -r name args; do
		# shellcheck disable=SC2086
		set +e
		/usr/bin/netstat $args >"$1/$name.stdout" 2>"$1/$name.stderr"
		echo $? >"$1/$name.exit"
		set -e
	done
}

# snap DIR: copy the namespace's counter files into DIR/proc/net.
snap() {
	mkdir -p "$1/proc/net"
	for f in snmp netstat snmp6; do cat "/proc/net/$f" >"$1/proc/net/$f"; done
}

if [ "${1:-}" = "--inside" ]; then
	# Inside the namespace: snapshot, run the oracle, snapshot again; retry until the
	# counters did not move while the oracle ran (bounded).
	dir=$2
	for try in 1 2 3 4 5; do
		rm -rf "$dir" "$dir.check"
		snap "$dir"
		run_variants "$dir"
		snap "$dir.check"
		if diff -r "$dir/proc" "$dir.check/proc" >/dev/null; then
			rm -rf "$dir.check"
			exit 0
		fi
		echo "counters moved during capture of $dir (try $try), retrying" >&2
		sleep 1
	done
	echo "could not capture $dir quiescently" >&2
	exit 1
fi

if [ "${1:-}" = "--fakeproc" ]; then
	# Inside a private mount namespace: /proc becomes a tmpfs holding the case's tree.
	dir=$2
	tree=$(mktemp -d)
	cp -a "$dir/proc/." "$tree/"
	mount -t tmpfs none /proc
	cp -a "$tree/." /proc/
	rm -rf "$tree"
	rm -f /proc/.keep
	run_variants "$dir"
	exit 0
fi

here=$(pwd)
ns=nsgo-stats-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT INT TERM
ip netns exec "$ns" sh "$here/capture.sh" --inside "$here/fresh"
ip netns exec "$ns" ip link set lo mtu 1500 up
ip netns exec "$ns" python3 "$here/traffic.py"
ip netns exec "$ns" sh "$here/capture.sh" --inside "$here/traffic"

# Synthetic cases, and a cross-check of the live ones: the oracle run on the copied
# files must print what it printed live.
for d in */; do
	d=${d%/}
	[ -d "$d/proc" ] || continue
	case $d in
	fresh | traffic)
		rm -rf "/tmp/capture-check-$$"
		mkdir -p "/tmp/capture-check-$$"
		cp -a "$d/proc" "/tmp/capture-check-$$/"
		unshare -m --propagation private sh "$here/capture.sh" --fakeproc "/tmp/capture-check-$$"
		for f in "$d"/*.stdout "$d"/*.stderr "$d"/*.exit; do
			cmp "$f" "/tmp/capture-check-$$/${f#"$d"/}"
		done
		rm -rf "/tmp/capture-check-$$"
		;;
	*)
		unshare -m --propagation private sh "$here/capture.sh" --fakeproc "$here/$d"
		;;
	esac
done
echo ok
