package winnetstat

import (
	"bytes"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/winsource"
	"github.com/netstat-go/netstat/netstat"
)

// golden reads a published sample of Windows output (testdata/README.md).
func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkCRLF fails unless every line of out ends in CR LF, and returns out with LF
// line ends for comparison with the published samples.
func checkCRLF(t *testing.T, out []byte) string {
	t.Helper()
	for i, c := range out {
		if c == '\n' && (i == 0 || out[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d: %q", i, out[max(0, i-40):i+1])
		}
	}
	if len(out) > 0 && !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatalf("output does not end in CR LF: %q", out[max(0, len(out)-40):])
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

// conn is one row of a listing fixture.
type conn struct {
	proto         netstat.Proto
	local, remote string
	state         netstat.TCPState
	pid           int
	mod           *winsource.Module
}

func listing(rows []conn) *winsource.Listing {
	l := &winsource.Listing{Snapshot: &netstat.Snapshot{Owners: map[uint64][]netstat.Process{}}, Modules: map[uint64]winsource.Module{}}
	for i, r := range rows {
		s := netstat.Socket{Proto: r.proto, Local: netip.MustParseAddrPort(r.local), Inode: uint64(i + 1)}
		s.Family = netstat.IPv4
		if s.Local.Addr().Is6() {
			s.Family = netstat.IPv6
		}
		if r.remote != "" {
			s.Remote = netip.MustParseAddrPort(r.remote)
		}
		s.State = netstat.TCPState(r.state)
		if r.proto == netstat.UDP {
			s.State = netstat.Close
		}
		l.Snapshot.Inet = append(l.Snapshot.Inet, s)
		l.Snapshot.Owners[s.Inode] = []netstat.Process{{PID: r.pid}}
		if r.mod != nil {
			l.Modules[s.Inode] = *r.mod
		}
	}
	return l
}

func TestConnectionsGoldens(t *testing.T) {
	svchost := func(svc string) *winsource.Module { return &winsource.Module{Service: svc, Exe: "svchost.exe"} }
	exe := func(name string) *winsource.Module { return &winsource.Module{Exe: name} }
	aonb := listing([]conn{
		// Given out of Windows' table order: UDP and IPv6 first, to check the order.
		{netstat.UDP, "0.0.0.0:53", "", 0, 4808, svchost("SharedAccess")},
		{netstat.TCP, "[::]:135", "[::]:0", netstat.Listen, 1712, svchost("RpcSs")},
		{netstat.TCP, "[::1]:1025", "[::]:0", netstat.Listen, 6088, exe("jhi_service.exe")},
		{netstat.TCP, "0.0.0.0:135", "0.0.0.0:0", netstat.Listen, 1712, svchost("RpcSs")},
		{netstat.TCP, "0.0.0.0:445", "0.0.0.0:0", netstat.Listen, 4, nil},
		{netstat.TCP, "127.0.0.1:1031", "127.0.0.1:1032", netstat.Established, 10644, exe("ProductAgentService.exe")},
		{netstat.TCP, "192.168.31.221:4604", "82.102.152.152:443", netstat.CloseWait, 27568, exe("SearchApp.exe")},
		{netstat.TCP, "192.168.31.221:4699", "20.54.232.160:443", netstat.Established, 17684, svchost("CDPUserSvc_46a8de2e")},
		{netstat.TCP, "192.168.31.221:4713", "157.240.252.61:5222", netstat.TimeWait, 0, nil},
		{netstat.UDP, "0.0.0.0:67", "", 0, 34064, exe("bdntwrk.exe")},
	})
	an := listing([]conn{
		{netstat.TCP, "0.0.0.0:135", "0.0.0.0:0", netstat.Listen, 1712, nil},
		{netstat.TCP, "127.0.0.1:1031", "127.0.0.1:1032", netstat.Established, 10644, nil},
		{netstat.TCP, "[::1]:1025", "[::]:0", netstat.Listen, 6088, nil},
		{netstat.UDP, "0.0.0.0:53", "", 0, 4808, nil},
		{netstat.UDP, "[::1]:52290", "", 0, 1, nil},
		{netstat.UDP, "[fe80::abda:4124:2096:62b2%9]:1900", "", 0, 1, nil},
	})
	a := listing([]conn{
		{netstat.TCP, "127.0.0.1:49668", "127.0.0.1:49669", netstat.Established, 1, nil},
		{netstat.TCP, "192.168.1.42:139", "0.0.0.0:0", netstat.Listen, 4, nil},
		{netstat.TCP, "192.168.1.42:7680", "192.168.1.50:58706", netstat.TimeWait, 0, nil},
		{netstat.TCP, "192.168.1.42:7962", "40.67.254.36:443", netstat.Established, 1, nil},
		{netstat.TCP, "192.168.1.42:13203", "3.112.116.223:443", netstat.TimeWait, 0, nil},
	})
	names := &fakeNames{
		computer: "MSI",
		hosts: map[string]string{
			"127.0.0.1":     "localhost", // Windows shows the computer name instead
			"192.168.1.50":  "PC-de-clment.home",
			"3.112.116.223": "ec2-3-112-116-223.ap-northeast-1.compute.amazonaws.com",
		},
		services: map[uint16]string{443: "https", 139: "netbios-ssn"},
	}
	for _, tc := range []struct {
		golden string
		args   []string
		l      *winsource.Listing
		names  Names
	}{
		{"listing-aonb.txt", []string{"-aonb"}, aonb, nil},
		{"listing-an.txt", []string{"-an"}, an, nil},
		{"listing-a.txt", []string{"-a"}, a, names},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			o, err := Parse(tc.args)
			if err != nil {
				t.Fatal(err)
			}
			got := checkCRLF(t, AppendConnections(nil, tc.l, &o, names4(&o, tc.names)))
			if diff := cmp.Diff(golden(t, tc.golden), got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func names4(o *Options, n Names) Names {
	if o.Numeric {
		return nil
	}
	return n
}

type fakeNames struct {
	computer string
	hosts    map[string]string
	services map[uint16]string
}

func (f *fakeNames) HostName(a netip.Addr) (string, bool) {
	n, ok := f.hosts[a.String()]
	return n, ok
}

func (f *fakeNames) ServiceName(port uint16, proto string) (string, bool) {
	n, ok := f.services[port]
	return n, ok
}

func (f *fakeNames) ComputerName() string { return f.computer }

func TestConnectionsSelection(t *testing.T) {
	l := listing([]conn{
		{netstat.TCP, "0.0.0.0:135", "0.0.0.0:0", netstat.Listen, 1, nil},
		{netstat.TCP, "10.0.0.1:5000", "10.0.0.2:443", netstat.Established, 2, nil},
		{netstat.TCP, "[2001:db8::1]:5000", "[2001:db8::2]:443", netstat.SynRecv, 3, nil},
		{netstat.UDP, "0.0.0.0:53", "", 0, 4, nil},
		{netstat.UDP, "[::]:53", "", 0, 5, nil},
	})
	for _, tc := range []struct {
		args []string
		pids []int
	}{
		{nil, []int{2, 3}},
		{[]string{"-a"}, []int{1, 2, 3, 4, 5}},
		{[]string{"-p", "tcp"}, []int{2}},
		{[]string{"-a", "-p", "TCPv6"}, []int{3}},
		{[]string{"-ap", "udp"}, []int{4}},
		{[]string{"-ap", "UdPv6"}, []int{5}},
		{[]string{"-p", "udp"}, nil},
	} {
		o, err := Parse(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for i := range l.Snapshot.Inet {
			if Selected(&o, &l.Snapshot.Inet[i]) {
				got = append(got, l.PID(l.Snapshot.Inet[i].Inode))
			}
		}
		if diff := cmp.Diff(tc.pids, got); diff != "" {
			t.Errorf("%q (-want +got)\n%s", tc.args, diff)
		}
	}
}

func TestStateNames(t *testing.T) {
	want := map[netstat.TCPState]string{
		netstat.Listen: "LISTENING", netstat.SynRecv: "SYN_RECEIVED", netstat.FinWait1: "FIN_WAIT_1",
		netstat.FinWait2: "FIN_WAIT_2", netstat.Close: "CLOSED", netstat.TimeWait: "TIME_WAIT",
	}
	for st, name := range want {
		if got := StateName(netstat.TCPState(st)); got != name {
			t.Errorf("StateName(%d) = %q, want %q", st, got, name)
		}
		set, ok := ParseWindowsState(strings.ToLower(name))
		if !ok || !set.Has(netstat.TCPState(st)) {
			t.Errorf("ParseWindowsState(%q) = %v, %v", name, set, ok)
		}
	}
}

func TestEthernetGolden(t *testing.T) {
	e := &winsource.EthernetStats{
		RecvBytes: 167849775, SentBytes: 35925525,
		RecvUnicast: 214700, SentUnicast: 168900,
		RecvNonUnicast: 500, SentNonUnicast: 5840,
	}
	got := checkCRLF(t, AppendEthernet(nil, e))
	if diff := cmp.Diff(golden(t, "ethernet.txt"), got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func section(title string, kv ...any) netstat.CounterSection {
	s := netstat.CounterSection{Title: title}
	for i := 0; i < len(kv); i += 2 {
		s.Counters = append(s.Counters, netstat.Counter{Name: kv[i].(string), Value: uint64(kv[i+1].(int))})
	}
	return s
}

func TestStatsGolden(t *testing.T) {
	c := &source.Counters{
		IPv4: []netstat.CounterSection{
			section("Ip", "Forwarding", 2, "InReceives", 9147172, "InAddrErrors", 33,
				"InDiscards", 57251, "InDelivers", 9513095, "OutRequests", 7343447,
				"OutDiscards", 3729, "OutNoRoutes", 1154, "ReasmReqds", 46940, "ReasmOKs", 23469,
				"FragOKs", 19244, "FragCreates", 38488),
			section("Icmp", "InMsgs", 5873, "InErrors", 0, "OutMsgs", 9527),
			// Linux's IcmpMsg lists only the types seen; missing ones print 0.
			section("IcmpMsg", "InType0", 104, "InType3", 3979, "InType8", 148, "InType9", 1034,
				"InType11", 608, "OutType0", 3, "OutType3", 7199, "OutType8", 2324, "OutType11", 1),
			section("Tcp", "ActiveOpens", 347883, "PassiveOpens", 86083, "AttemptFails", 13218,
				"EstabResets", 272367, "CurrEstab", 44, "InSegs", 8011276, "OutSegs", 7388244,
				"RetransSegs", 34858),
		},
		IPv6: []netstat.CounterSection{
			// snmp6 spelling: the section title in front of each name.
			section("Ip6", "Ip6InDelivers", 336740, "Ip6OutRequests", 339616),
			section("Udp6", "Udp6InDatagrams", 1312791, "Udp6OutDatagrams", 335866),
		},
	}
	got := checkCRLF(t, AppendStats(nil, c, []Proto{ProtoIP, ProtoIPv6, ProtoICMP, ProtoICMPv6, ProtoTCP, ProtoUDPv6}))
	if diff := cmp.Diff(golden(t, "stats.txt"), got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestRoutesGolden(t *testing.T) {
	a := netip.MustParseAddr
	on := netip.Addr{}
	v4 := func(dst, mask string, gw netip.Addr, ifc string, metric uint32) winsource.IPv4Route {
		return winsource.IPv4Route{Destination: a(dst), Netmask: a(mask), Gateway: gw, Interface: a(ifc), Metric: metric}
	}
	v6 := func(ifx, metric uint32, dst string, gw netip.Addr) winsource.IPv6Route {
		return winsource.IPv6Route{IfIndex: ifx, Metric: metric, Destination: netip.MustParsePrefix(dst), Gateway: gw}
	}
	rt := &winsource.RouteTable{
		Interfaces: []winsource.RouteInterface{
			{Index: 17, HWAddr: []byte{0x24, 0x4b, 0xfe, 0x5b, 0x9b, 0xe6}, Description: "Intel(R) I211 Gigabit Network Connection"},
			{Index: 3, Description: "OpenVPN Data Channel Offload"},
			{Index: 1, Description: "Software Loopback Interface 1"},
		},
		IPv4: []winsource.IPv4Route{
			v4("0.0.0.0", "0.0.0.0", a("192.168.1.1"), "192.168.1.169", 35),
			v4("127.0.0.0", "255.0.0.0", on, "127.0.0.1", 331),
			v4("127.0.0.1", "255.255.255.255", on, "127.0.0.1", 331),
			v4("127.255.255.255", "255.255.255.255", on, "127.0.0.1", 331),
			v4("192.168.1.0", "255.255.255.0", a("0.0.0.0"), "192.168.1.169", 291),
			v4("192.168.1.169", "255.255.255.255", on, "192.168.1.169", 291),
			v4("255.255.255.255", "255.255.255.255", on, "192.168.1.169", 291),
		},
		IPv6: []winsource.IPv6Route{
			v6(1, 331, "::1/128", on),
			v6(11, 291, "fd18:4310:ad04:1::/64", a("fe80::4600:49ff:fee1:c6ee")),
			v6(11, 291, "fd63:cc9c:65eb:3f95::/64", on),
			v6(11, 291, "fd63:cc9c:65eb:3f95:85e:ed3a:ebbf:d3ea/128", a("::")),
			v6(1, 331, "ff00::/8", on),
		},
	}
	got := checkCRLF(t, AppendRoutes(nil, rt))
	if diff := cmp.Diff(golden(t, "route-win11.txt"), got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
