package procnet

import (
	"bytes"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

func collectIPv6Routes(t *testing.T, data string, cache bool) []netstat.IPv6Route {
	t.Helper()
	var got []netstat.IPv6Route
	if err := ScanIPv6Routes(strings.NewReader(data), cache, func(rt *netstat.IPv6Route) error {
		got = append(got, *rt)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

var addrComparer = cmp.Comparer(func(x, y netip.Addr) bool { return x == y })

func TestScanIPv6RoutesF4(t *testing.T) {
	data, err := os.ReadFile("testdata/F4/net/ipv6_route")
	if err != nil {
		t.Fatal(err)
	}
	got := collectIPv6Routes(t, string(data), false)
	if len(got) != 14 {
		t.Fatalf("got %d routes, want 14", len(got))
	}
	a := netip.MustParseAddr
	for _, tc := range []struct {
		i    int
		want netstat.IPv6Route
	}{
		{1, netstat.IPv6Route{Destination: a("fd01::"), DestinationLen: 64, Source: a("::"), NextHop: a("fd00::2"),
			Metric: 1024, RefCnt: 1, Flags: 3, Iface: "v0"}},
		{2, netstat.IPv6Route{Destination: a("fd02::"), DestinationLen: 48, Source: a("::"), NextHop: a("::"),
			Metric: 1024, RefCnt: 2, Flags: 0x200200, Iface: "lo"}},
		{13, netstat.IPv6Route{Destination: a("::"), Source: a("::"), NextHop: a("::"),
			Metric: -1, RefCnt: 1, Flags: 0x200200, Iface: "lo"}},
	} {
		if diff := cmp.Diff(tc.want, got[tc.i], addrComparer); diff != "" {
			t.Errorf("route %d (-want +got):\n%s", tc.i, diff)
		}
	}
	if got := collectIPv6Routes(t, string(data), true); len(got) != 0 {
		t.Errorf("cache view: %d routes, want none", len(got))
	}
}

func TestScanIPv6RoutesStale(t *testing.T) {
	const z = "00000000000000000000000000000000"
	in := "fd000000000000000000000000000001 80 " + z + " 00 " + z + " 00000001 00000002 00000003 00000001 v0\n" +
		"\n" + // every field stale: the previous route again
		"fd02 40\n" + // two groups and nothing else
		"fe800000000000000000000000000001 80 " + z + " 00 " + z + " 00000001 00000002 00000003 01000001 v0\n"
	a := netip.MustParseAddr
	first := netstat.IPv6Route{Destination: a("fd00::1"), DestinationLen: 128, Source: a("::"), NextHop: a("::"),
		Metric: 1, RefCnt: 2, Use: 3, Flags: 1, Iface: "v0"}
	third := first
	third.Destination = a("fd02:40::1")
	want := []netstat.IPv6Route{first, first, third}
	if diff := cmp.Diff(want, collectIPv6Routes(t, in, false), addrComparer); diff != "" {
		t.Errorf("FIB view (-want +got):\n%s", diff)
	}
	// In the cache view only the last line is shown; its address is converted, the
	// earlier lines' are not.
	got := collectIPv6Routes(t, in, true)
	if len(got) != 1 || got[0].Destination != a("fe80::1") || got[0].Flags != 0x01000001 {
		t.Errorf("cache view: %+v", got)
	}
}

// FuzzScanIPv6Routes (seeds in testdata/fuzz/FuzzScanIPv6Routes) checks that any /proc/net/ipv6_route content parses without
// panicking into IPv6 addresses.
func FuzzScanIPv6Routes(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, cache bool) {
		_ = ScanIPv6Routes(bytes.NewReader(data), cache, func(rt *netstat.IPv6Route) error {
			if !rt.Destination.Is6() || !rt.NextHop.Is6() || len(rt.Iface) > 15 || (rt.Flags&netstat.RouteCache != 0) != cache {
				t.Fatalf("implausible route %+v", rt)
			}
			return nil
		})
	})
}
