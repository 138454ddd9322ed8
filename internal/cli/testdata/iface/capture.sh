#!/bin/sh
# Regenerates the -i fixtures of internal/cli (run as root from this directory):
#
#   ./capture.sh
#
# Live fixtures (f5, f0): a network namespace is built, left to settle, and then
# /proc/net/dev, /proc/net/if_inet6, the ioctl view (ioctl.json, dumped by
# internal/system's TestDumpIfaceSnapshot) and the output of the real
# /usr/bin/netstat are captured at the same moment; the capture is retried until the
# /proc files are the same before and after.
#
# Crafted fixtures (every other directory with a "crafted" file): proc/net/* are
# hand-written inputs. The oracle reads them in a namespace with a tmpfs mounted over
# /proc (so /proc/net/* are exactly these files) while its ioctls see the namespace
# "crafted" built below; ioctl.json is that namespace's ioctl view.
#
# Only namespaces named ifcap-* are created, and all of them are deleted at the end.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
tmp=$(mktemp -d)
cleanup() {
	for ns in ifcap-f5 ifcap-f0 ifcap-crafted; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

(cd "$root" && go test -c -o "$tmp/system.test" ./internal/system)

# run NS DIR ARGS: the oracle's stdout, stderr and exit status into DIR/want.
run() {
	ns=$1 dir=$2 args=$3 mnt=${4:-}
	name=netstat$(echo "$args" | tr -d ' ' | tr -c 'A-Za-z0-9\n-' '_')
	mkdir -p "$dir/want"
	printf '%s\n' "$args" >"$dir/want/$name.args"
	if [ -n "$mnt" ]; then
		# shellcheck disable=SC2016
		ip netns exec "$ns" unshare -m sh -c '
			mount -t tmpfs none /proc && mkdir /proc/net &&
			{ [ ! -e "$1/net/dev" ] || cp "$1/net/dev" /proc/net/dev; } &&
			{ [ ! -e "$1/net/if_inet6" ] || cp "$1/net/if_inet6" /proc/net/if_inet6; } &&
			shift && exec env LC_ALL=C /usr/bin/netstat "$@"' sh "$mnt" $args \
			>"$dir/want/$name.stdout" 2>"$dir/want/$name.stderr" && rc=0 || rc=$?
	else
		ip netns exec "$ns" env LC_ALL=C /usr/bin/netstat $args \
			>"$dir/want/$name.stdout" 2>"$dir/want/$name.stderr" && rc=0 || rc=$?
	fi
	echo "$rc" >"$dir/want/$name.exit"
}

snapshot() { # NS FILE
	ip netns exec "$1" env IFACE_SNAPSHOT="$2" "$tmp/system.test" -test.run '^TestDumpIfaceSnapshot$' >/dev/null
}

# settle NS: wait (at most 60 s) until /proc/net/dev has not changed for 3 s.
settle() {
	prev= i=0
	while [ $i -lt 20 ]; do
		cur=$(ip netns exec "$1" cat /proc/net/dev)
		[ "$cur" = "$prev" ] && return 0
		prev=$cur i=$((i + 1))
		sleep 3
	done
	echo "namespace $1 does not settle" >&2
	return 1
}

# live NS DIR ARGS...: capture a live fixture, retrying until it is consistent.
live() {
	ns=$1 dir=$2
	shift 2
	for try in 1 2 3 4 5; do
		settle "$ns"
		rm -rf "$dir/proc" "$dir/want" "$dir/ioctl.json"
		mkdir -p "$dir/proc/net"
		ip netns exec "$ns" cat /proc/net/dev >"$dir/proc/net/dev"
		ip netns exec "$ns" cat /proc/net/if_inet6 >"$dir/proc/net/if_inet6"
		snapshot "$ns" "$dir/ioctl.json"
		for args in "$@"; do run "$ns" "$dir" "$args"; done
		if ip netns exec "$ns" cat /proc/net/dev | cmp -s - "$dir/proc/net/dev" &&
			ip netns exec "$ns" cat /proc/net/if_inet6 | cmp -s - "$dir/proc/net/if_inet6"; then
			return 0
		fi
		echo "$dir: counters moved during capture, retrying ($try)" >&2
	done
	return 1
}

x() { ns=$1; shift; ip netns exec "$ns" "$@"; }

# F5 (spec Appendix A.2) plus: lo traffic (MiB units), more IPv6 scopes on p15
# (site-local, IPv4-compatible, IPv4-mapped) and pp0 with the flags ip(8) cannot set
# (DEBUG, NOTRAILERS, PORTSEL, AUTOMEDIA) and txqueuelen 0.
ns=ifcap-f5
ip netns add $ns
x $ns ip link set lo up
x $ns ip link add v0 type veth peer name v1
x $ns ip link set v0 up
x $ns ip link set v1 up
x $ns ip addr add 10.9.0.1/24 dev v0
x $ns ip addr add 10.9.0.5/24 dev v0 label v0:1
x $ns ip addr add fd00::1/64 dev v0 nodad
x $ns ip link add br0 type bridge
x $ns ip tuntap add dev tun0 mode tun
x $ns ip link set tun0 up
x $ns ip addr add 10.99.0.1 peer 10.99.0.2 dev tun0
x $ns ip link add averyveryverylo type veth peer name p15
x $ns ip link set averyveryverylo up
x $ns ip link set p15 up
x $ns ip link set averyveryverylo promisc on mtu 9000
x $ns ip addr add 10.8.0.1/24 brd + dev averyveryverylo
x $ns ip link set p15 allmulticast on
x $ns ip link add ifb0 type ifb
x $ns ip link set ifb0 up
x $ns ip link set v1 arp off
x $ns ip link set v1 dynamic on
x $ns ip addr add fec0::5/64 dev p15 nodad
x $ns ip addr add ::1.2.3.4/96 dev p15 nodad
x $ns ip addr add ::ffff:1.2.3.5/128 dev p15 nodad
x $ns ip link add pp0 type veth peer name pp1
x $ns ip link set pp0 txqueuelen 0
x $ns python3 -c '
import socket, fcntl, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
req = fcntl.ioctl(s, 0x8913, struct.pack("16sH22x", b"pp0", 0))
flags = struct.unpack("16sH22x", req)[1] | 0x4 | 0x20 | 0x2000 | 0x4000
fcntl.ioctl(s, 0x8914, struct.pack("16sH22x", b"pp0", flags))
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 9999))
for i in range(2100):
    s.sendto(b"x" * 1400, ("127.0.0.1", 9999)); r.recv(2000)
'
live $ns "$here/f5" "-i" "-ia" "-ie" "-iea" "-in" "-iv" "-i --inet6" "-iae -n"

# F0: a fresh namespace, loopback down.
ns=ifcap-f0
ip netns add $ns
live $ns "$here/f0" "-i" "-ia" "-iae" "-ie"

# The namespace the crafted /proc files are read against.
ns=ifcap-crafted
ip netns add $ns
x $ns ip link set lo up
x $ns ip link add v0 type veth peer name v1
x $ns ip link set v0 up
x $ns ip link set v1 up
x $ns ip addr add 10.9.0.1/24 dev v0
x $ns ip addr add 10.9.0.5/24 dev v0 label v0:1
x $ns ip link add averyveryverylo type veth peer name p15
x $ns ip link add abcdefghijklm type veth peer name abc0
x $ns ip link set abcdefghijklm up
x $ns ip addr add 10.7.0.1/24 dev abcdefghijklm label abcdefghijklm:1
snapshot $ns "$tmp/crafted.json"
for dir in "$here"/*/; do
	dir=${dir%/}
	[ -e "$dir/crafted" ] || continue
	rm -rf "$dir/want"
	cp "$tmp/crafted.json" "$dir/ioctl.json"
	for args in $(cat "$dir/crafted"); do run $ns "$dir" "$(echo "$args" | tr , ' ')" "$dir/proc"; done
done
echo "fixtures captured"
