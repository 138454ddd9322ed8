//go:build linux

package diff

import (
	"strings"
	"testing"
	"time"
)

// The fixtures of spec Appendix A.2, translated to Go holders and ip(8) commands.
// Every fixture gets its own namespace (named after the test PID and the tag), so the
// top-level tests can run in parallel.

// strp returns a pointer to s (for holderSpec.argv0 and tc.argv0).
func strp(s string) *string { return &s }

// fixtureEmpty is F0 / F6: a fresh namespace, loopback down, no sockets. (An idle
// process anchors it; it holds no sockets and sends nothing.)
func fixtureEmpty(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "f0")
	n.ensureAnchor(t)
	return n
}

// fixtureF1 is F1 "basic": every protocol once, loopback only.
func fixtureF1(t *testing.T, s *suite, tag string) *netns {
	n := newNetns(t, s, tag)
	n.sh(t, "ip link set lo up")
	n.start(t, holderSpec{args: []string{"f1", n.dir}})
	return n
}

// vethLines creates the v0/v1 pair used by F2-F5 with 10.9.0.1/24 on v0.
var vethLines = []string{
	"ip link set lo up",
	"ip link add v0 type veth peer name v1",
	"ip link set v0 up",
	"ip link set v1 up",
	"ip addr add 10.9.0.1/24 dev v0",
}

// quietIPv6 stops the endless router solicitations (router_solicitations=-1 on this
// kernel) so that interface counters settle.
const quietIPv6 = "sysctl -qw net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0"

// fixtureF2 is F2 "truncation": long host names, IPv6 truncation, mapped addresses,
// a long Unix path, a path with a space and an abstract name with an embedded NUL.
func fixtureF2(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "f2")
	n.sh(t, quietIPv6)
	n.sh(t, vethLines...)
	n.sh(t,
		"ip addr add fd00::1/64 dev v0 nodad",
		"ip addr add fd00::2/64 dev v0 nodad",
		"ip addr add fd00:1234:5678:9abc:def0:1234:5678:9abc/64 dev v0 nodad",
	)
	n.waitLinks(t, "v0", "v1")
	n.start(t, holderSpec{args: []string{"f2", n.dir}})
	return n
}

// fixtureF3 is F3 "TCP states". 10.9.0.3 gets a permanent neighbour entry that nobody
// answers, so the SYN_SENT socket stays (without it ARP fails after ~3 s and the kernel
// aborts the connect with EHOSTUNREACH). The retry sysctls keep SYN_SENT and the
// orphaned zero-window sockets alive for minutes instead of tens of seconds; only the
// masked timer values depend on them.
func fixtureF3(t *testing.T, s *suite, tag string) *netns {
	n := newNetns(t, s, tag)
	n.sh(t, quietIPv6)
	n.sh(t, vethLines...)
	n.sh(t,
		"ip neigh add 10.9.0.3 lladdr 02:00:00:00:00:03 dev v0 nud permanent",
		"sysctl -qw net.ipv4.tcp_syn_retries=10 net.ipv4.tcp_orphan_retries=15",
	)
	n.waitLinks(t, "v0", "v1")
	n.start(t, holderSpec{args: []string{"f3", n.dir}})
	return n
}

// fixtureF4 is F4 "routes".
func fixtureF4(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "f4")
	n.sh(t, quietIPv6)
	n.sh(t, vethLines...)
	n.sh(t,
		"ip addr add fd00::1/64 dev v0 nodad",
		"ip route add default via 10.9.0.1",
		"ip route add 10.20.30.40 via 10.9.0.2 dev v0",
		"ip route add 10.60.0.0/16 via 10.9.0.2 metric 100 advmss 1400 window 65535 rtt 300ms",
		"ip route add unreachable 10.50.0.0/16",
		"ip route add prohibit 10.51.0.0/16 metric 5",
		"ip route add blackhole 10.52.0.0/16",
		"ip route add 169.254.0.0/16 dev v0",
		"ip route add 127.0.0.0/8 dev lo table main",
		"ip route add 0.0.0.0/1 via 10.9.0.2",
		"ip route add 192.168.100.0/24 via 10.9.0.2 dev v0 onlink",
		"ip route add 10.70.0.0/16 dev v0 metric 4294967295",
		"ip route add 10.71.0.0/16 dev v0 metric 2147483648",
		"ip link add longifname12345 type veth peer name lp0",
		"ip link set longifname12345 up",
		"ip addr add 10.77.0.1/24 dev longifname12345",
		"ip route add 10.78.0.0/16 via 10.9.0.3",
		"ip route add 10.79.0.0/16 dev longifname12345 metric 7",
		"ip -6 route add fd01::/64 via fd00::2",
		"ip -6 route add default via fd00::2 metric 1",
		"ip -6 route add unreachable fd02::/48",
		"ip -6 route add fd03::5/128 dev v0",
		// Extra breadth: a /32 network route, a throw route, an IPv6 host route
		// with a gateway name, a prohibit IPv6 route.
		"ip route add 10.9.0.77/32 dev v0 metric 3",
		"ip route add throw 10.53.0.0/16",
		"ip -6 route add fd04::1/128 via fe80::1 dev v0",
		"ip -6 route add prohibit fd05::/64",
	)
	n.waitLinks(t, "v0", "v1")
	n.ensureAnchor(t)
	return n
}

// fixtureF5 is F5 "interfaces" (no dummy driver on this kernel): veth with an alias
// label and IPv6, a bridge that is down, a tun device, a 15-byte name with PROMISC and
// MTU 9000, ALLMULTI, an ifb device, NOARP and DYNAMIC. It waits until the counters
// stop changing (DAD, MLD and IGMP reports).
func fixtureF5(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "f5")
	n.sh(t, quietIPv6)
	n.sh(t, vethLines...)
	n.sh(t,
		"ip addr add 10.9.0.5/24 dev v0 label v0:1",
		"ip addr add fd00::1/64 dev v0 nodad",
		"ip link add br0 type bridge",
		"ip tuntap add dev tun0 mode tun",
		"ip link set tun0 up",
		"ip addr add 10.99.0.1 peer 10.99.0.2 dev tun0",
		"ip link add averyveryverylo type veth peer name p15",
		"ip link set averyveryverylo up",
		"ip link set p15 up",
		"ip link set averyveryverylo promisc on mtu 9000",
		"ip addr add 10.8.0.1/24 brd + dev averyveryverylo",
		"ip link set p15 allmulticast on",
		"ip link add ifb0 type ifb",
		"ip link set ifb0 up",
		"ip link set v1 arp off",
		"ip link set v1 dynamic on",
	)
	n.waitLinks(t, "v0", "v1", "averyveryverylo", "p15")
	n.ensureAnchor(t)
	n.settle(t)
	return n
}

// fixtureF7 is F7 "statistics with traffic": ICMP/ICMPv6 echo, UDP to closed and open
// ports, TCP exchanges and a refused connection over loopback, then quiescence.
func fixtureF7(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "f7")
	n.sh(t, "ip link set lo up")
	n.start(t, holderSpec{args: []string{"f7"}}) // closes everything, then idles
	n.settle(t)
	return n
}

// fixtureF8 is F8 "processes, users, services": holders under other uids and with odd
// argv[0], an unaccepted Unix connection, host/service/protocol edge cases and a
// listener shared with a forked child. Cases that need services.long/protocols.dup set
// tc.alt.
func fixtureF8(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "f8")
	n.sh(t, "ip link set lo up")
	procs := []holderSpec{
		{args: []string{"listen", "9001"}, uid: 998, argv0: strp("/usr/local/bin/my prog with spaces")},
		{args: []string{"listen", "9002"}, uid: 12345, argv0: strp("relative/name")},
		{args: []string{"listen", "9003"}, argv0: strp("/x/averyveryverylongprogramnamethatistruncated")},
		{args: []string{"listen", "9004"}, argv0: strp("/x/esc\033[31mred\ttab")},
		{args: []string{"ulisten", "us9005"}, uid: 65534},
		{args: []string{"listen", "9006"}, argv0: strp("")},
		{args: []string{"listen", "9007"}, argv0: strp("/trailing/slash/")},
		{args: []string{"listen", "9008"}, uid: 4243, argv0: strp("exactly19bytesname1")},
		{args: []string{"listen", "9009"}, uid: 4244, argv0: strp("/bin/ünïcödé-näme")},
		{args: []string{"listen", "9010"}, uid: 4245},
		{args: []string{"pend", "pend"}},
		{args: []string{"f8misc"}},
		{args: []string{"fork", "9101"}, argv0: strp("forking-parent")},
	}
	for _, p := range procs {
		n.start(t, p)
	}
	return n
}

// fixtureMixed is a larger population (see test/holder "mixed"), plus two more
// processes: one whose only sockets are Unix ones and a nobody-owned TCP listener.
func fixtureMixed(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "mx")
	n.sh(t, "ip link set lo up")
	n.start(t, holderSpec{args: []string{"mixed", n.dir}})
	n.start(t, holderSpec{args: []string{"ulisten", "mixed-nobody"}, uid: 65534, argv0: strp("nobody-unix")})
	n.start(t, holderSpec{args: []string{"listen", "9200", "127.0.0.9"}, uid: 65534})
	// Let delayed ACKs and queued data settle.
	time.Sleep(300 * time.Millisecond)
	return n
}

// fixtureEdge holds rows that stress the text rules and the data sources (holder
// "edge"), plus: an ESTABLISHED connection that retransmits forever towards a peer
// namespace, sockets of this namespace owned by a process living in the peer
// namespace, a 600-byte argv[0] whose last '/' lies beyond the 511 bytes net-tools
// reads, an argv[0] with a newline, and a uid above 2^31.
func fixtureEdge(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "ed")
	peer := newNetns(t, s, "ep")
	n.sh(t, quietIPv6)
	peer.sh(t, quietIPv6)
	n.sh(t,
		"ip link set lo up",
		"ip link add v0 type veth peer name v1 netns "+peer.name,
		"ip link set v0 up",
		"ip addr add 10.9.0.1/24 dev v0",
		"ip addr add fd00:0:0:1::5/128 dev lo",
		"ip addr add fd00:1::1:0:0:1/128 dev lo",
		"ip addr add fd00:0:1:2:3:4:5:6/128 dev lo",
	)
	// Optional extras: a VXLAN device (a kernel-owned UDP socket, inode without a
	// process) and ping sockets for root.
	n.sh(t, "ip link add vx0 type vxlan id 42 dstport 4789 local 127.0.0.1 dev lo && ip link set vx0 up || true",
		"sysctl -qw net.ipv4.ping_group_range='0 2147483647' || true")
	peer.sh(t, "ip link set lo up", "ip link set v1 up", "ip addr add 10.9.0.2/24 dev v1")
	n.waitLinks(t, "v0")
	peer.start(t, holderSpec{args: []string{"listen", "7800", "10.9.0.2"}})
	n.start(t, holderSpec{args: []string{"edge", n.dir}})
	n.start(t, holderSpec{args: []string{"stall", "10.9.0.2", "7800", "v0"}})
	peer.start(t, holderSpec{args: []string{"foreign", "/run/netns/" + n.name, "7900"}, argv0: strp("foreign-owner")})
	long := "/" + strings.Repeat("a", 300) + "/" + strings.Repeat("b", 300) + "/c"
	n.start(t, holderSpec{args: []string{"listen", "7901"}, argv0: &long})
	n.start(t, holderSpec{args: []string{"listen", "7902"}, argv0: strp("line1\nline2")})
	n.start(t, holderSpec{args: []string{"listen", "7903"}, uid: 4000000000})
	return n
}

// fixtureScale holds a few thousand rows (multi-part netlink dumps, hash order).
func fixtureScale(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "sc")
	n.sh(t, "ip link set lo up")
	n.start(t, holderSpec{args: []string{"scale", "1500"}})
	return n
}

// fixtureIfaces is a second interface population: natural-sort names (eth01, eth1,
// eth2, eth10, 123, a.b-c_d), several alias labels, site-local and documentation
// IPv6 addresses, a down interface with an explicit broadcast, MTU 68 and 65535, a
// bridge with a port, multicast memberships (RefCnt 2) and 3 MB of loopback traffic.
func fixtureIfaces(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "if")
	n.sh(t, quietIPv6)
	n.sh(t,
		"ip link set lo up",
		"ip link add eth01 type veth peer name eth1",
		"ip link add eth2 type veth peer name eth10",
		"ip link add 123 type veth peer name a.b-c_d",
		"ip link add brx type bridge",
		"for d in eth01 eth1 eth2 eth10 123 a.b-c_d brx; do ip link set dev $d up; done",
		"ip addr add 10.10.0.1/24 dev eth01",
		"ip addr add 10.10.0.2/24 dev eth01 label eth01:2",
		"ip addr add 10.10.0.3/24 dev eth01 label eth01:10",
		"ip addr add 10.10.0.4/24 dev eth01 label eth01:ab",
		"ip addr add fec0::1/64 dev eth1 nodad",
		"ip addr add 2001:db8::1/48 dev eth1 nodad",
		"ip addr add 10.11.0.1/30 broadcast 10.11.0.3 dev eth2",
		"ip link set dev eth2 mtu 68",
		"ip link set dev eth10 mtu 65535 address 00:11:22:33:44:55",
		"ip link set dev a.b-c_d multicast off",
		"ip link set dev 123 txqueuelen 0",
		"ip link set dev eth10 master brx",
		"ip link set dev eth2 down",
	)
	n.waitLinks(t, "eth01", "eth1", "123", "a.b-c_d")
	n.start(t, holderSpec{args: []string{"mcast"}})
	n.start(t, holderSpec{args: []string{"bulk", "3000000"}})
	n.settle(t)
	return n
}

// fixtureTraffic2 is a second statistics population (holder "traffic2") with lo's
// MTU lowered to 1500 so that large datagrams are fragmented.
func fixtureTraffic2(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "t2")
	n.sh(t, "ip link set lo up mtu 1500")
	n.start(t, holderSpec{args: []string{"traffic2"}})
	n.settle(t)
	return n
}

// fixtureNames holds rows for the long names of hostsExtra (holder "names").
func fixtureNames(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "nm")
	n.sh(t, "ip link set lo up")
	for _, a := range []string{"fd00::6", "fd00::7", "fd00::8", "fd00::9"} {
		n.sh(t, "ip addr add "+a+"/128 dev lo")
	}
	n.start(t, holderSpec{args: []string{"names"}})
	return n
}

// fixtureQuirks holds the rows where inet_diag and /proc part: bound but inactive TCP
// sockets (in no /proc file), listeners with a non-zero /proc Send-Q, SYN_RECV rows
// behind TCP_DEFER_ACCEPT listeners whose timers expired without resending, and two
// wildcard listeners of one port bound to different devices (v0, v2) and owned by
// different users, each with its own request sockets. It returns once every request
// socket's timer has expired at least once, so that /proc's count is not 0.
func fixtureQuirks(t *testing.T, s *suite) *netns {
	n := newNetns(t, s, "quirks")
	n.sh(t, quietIPv6)
	n.sh(t, vethLines...)
	n.sh(t,
		"ip link add v2 type veth peer name v3",
		"ip link set v2 up",
		"ip link set v3 up",
		"ip addr add 10.9.2.1/24 dev v2",
	)
	n.waitLinks(t, "v0", "v1", "v2", "v3")
	n.start(t, holderSpec{args: []string{"inactive"}})
	n.start(t, holderSpec{args: []string{"deferred", "5120", "v0", "10.9.0.1", "1"}, uid: 1001})
	n.start(t, holderSpec{args: []string{"deferred", "5120", "v2", "10.9.2.1", "2"}, uid: 1002})
	n.start(t, holderSpec{args: []string{"deferred", "5130", "-", "127.0.0.1", "2"}})
	n.start(t, holderSpec{args: []string{"deferred", "5131", "-", "::1", "1"}, uid: 1003})
	deadline := time.Now().Add(readyTimeout)
	for !requestsExpired(n.timerCounts(), 6) {
		if time.Now().After(deadline) {
			t.Fatalf("request sockets never expired a timer:\n%s", n.timerCounts())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return n
}

// requestsExpired reports whether timerCounts shows want request sockets (remote
// address of a SYN_RECV row from the deferred holders: inode 0 is not in the
// counts, so the rows are told by their local ports 5120, 5130, 5131) with a
// non-zero retransmit count.
func requestsExpired(counts string, want int) bool {
	n := 0
	for _, line := range strings.Split(counts, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 {
			continue
		}
		local := f[0]
		if (strings.HasSuffix(local, ":1400") || strings.HasSuffix(local, ":140A") || strings.HasSuffix(local, ":140B")) &&
			f[2] != "00000000" {
			n++
		}
	}
	return n >= want
}
