package winsource

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildRoutes(t *testing.T) {
	a, p := netip.MustParseAddr, netip.MustParsePrefix
	ifs := []Interface{
		{Index: 1, Description: "Software Loopback Interface 1", Loopback: true, IPv4: []netip.Addr{a("127.0.0.1")}, Metric4: 75, Metric6: 75},
		{Index: 11, HWAddr: []byte{0xa8, 0x7e, 0xea, 0x36, 0x46, 0x60}, Description: "Wi-Fi", IPv4: []netip.Addr{a("192.168.1.169")}, Metric4: 35, Metric6: 35},
	}
	v4 := []Route{
		{IfIndex: 11, Destination: p("224.0.0.0/4"), NextHop: a("0.0.0.0"), Metric: 256},
		{IfIndex: 1, Destination: p("224.0.0.0/4"), NextHop: a("0.0.0.0"), Metric: 256},
		{IfIndex: 11, Destination: p("0.0.0.0/0"), NextHop: a("192.168.1.1"), Metric: 0},
	}
	v6 := []Route{{IfIndex: 1, Destination: p("::1/128"), NextHop: a("::"), Metric: 256}}
	got := BuildRoutes(ifs, v4, v6, nil)
	want := &RouteTable{
		Interfaces: []RouteInterface{
			{Index: 11, HWAddr: ifs[1].HWAddr, Description: "Wi-Fi"},
			{Index: 1, Description: "Software Loopback Interface 1"},
		},
		IPv4: []IPv4Route{
			{Destination: a("0.0.0.0"), Netmask: a("0.0.0.0"), Gateway: a("192.168.1.1"), Interface: a("192.168.1.169"), Metric: 35},
			{Destination: a("224.0.0.0"), Netmask: a("240.0.0.0"), Gateway: a("0.0.0.0"), Interface: a("127.0.0.1"), Metric: 331},
			{Destination: a("224.0.0.0"), Netmask: a("240.0.0.0"), Gateway: a("0.0.0.0"), Interface: a("192.168.1.169"), Metric: 291},
		},
		IPv6: []IPv6Route{{IfIndex: 1, Metric: 331, Destination: p("::1/128"), Gateway: a("::")}},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }), cmp.Comparer(func(x, y netip.Prefix) bool { return x == y })); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestParsePersistentRoute(t *testing.T) {
	r, ok := ParsePersistentRoute("10.0.0.0,255.0.0.0,192.168.1.1,5")
	if !ok || r.Destination != netip.MustParseAddr("10.0.0.0") || r.Netmask != netip.MustParseAddr("255.0.0.0") ||
		r.Gateway != netip.MustParseAddr("192.168.1.1") || r.Metric != 5 {
		t.Errorf("got %+v %v", r, ok)
	}
	for _, bad := range []string{"", "10.0.0.0,255.0.0.0,192.168.1.1", "a,b,c,d", "10.0.0.0,255.0.0.0,::1,1", "1.2.3.4,1.2.3.4,1.2.3.4,x"} {
		if _, ok := ParsePersistentRoute(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestNames(t *testing.T) {
	calls := 0
	n := &Names{
		Computer: "MSI",
		Services: ParseServicesFile([]byte("# comment\r\nhttps            443/tcp    MCom\r\nhttp  80/tcp  www\r\n")),
		LookupAddr: func(ctx context.Context, addr string) ([]string, error) {
			calls++
			if addr == "192.0.2.1" {
				return []string{"host.example."}, nil
			}
			return nil, errors.New("no name")
		},
	}
	for i := 0; i < 2; i++ {
		if name, ok := n.HostName(netip.MustParseAddr("192.0.2.1")); !ok || name != "host.example" {
			t.Errorf("HostName = %q, %v", name, ok)
		}
		if _, ok := n.HostName(netip.MustParseAddr("192.0.2.2")); ok {
			t.Error("unresolvable address resolved")
		}
	}
	if calls != 2 {
		t.Errorf("%d look-ups, want 2 (one per address)", calls)
	}
	if s, ok := n.ServiceName(443, "tcp"); !ok || s != "https" {
		t.Errorf("ServiceName(443) = %q, %v", s, ok)
	}
	if s, ok := n.ServiceName(80, "tcp"); !ok || s != "http" {
		t.Errorf("ServiceName(80) = %q, %v", s, ok)
	}
}

func FuzzParsePersistentRoute(f *testing.F) {
	for _, s := range []string{"10.0.0.0,255.0.0.0,192.168.1.1,5", "0.0.0.0,0.0.0.0,1.1.1.1,0", ",,,", "a,b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, ok := ParsePersistentRoute(s)
		if ok && (!r.Destination.Is4() || !r.Netmask.Is4() || !r.Gateway.Is4()) {
			t.Fatalf("%q gave %+v", s, r)
		}
	})
}
