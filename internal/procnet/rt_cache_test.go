package procnet

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

const (
	cacheHeader22 = "Iface\tDestination\tGateway \tFlags\t\tRefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\tTOS\tHHRef\tHHUptod\tSpecDst\n"
	cacheHeader20 = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\tHH\tARP\n"
)

func readCache(t *testing.T, data string) (*RouteCacheReader, []netstat.CachedRoute, error) {
	t.Helper()
	c, err := NewRouteCacheReader(strings.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	var got []netstat.CachedRoute
	err = c.Scan(func(rt *netstat.CachedRoute) error {
		got = append(got, *rt)
		return nil
	})
	return c, got, err
}

func TestRouteCacheF4(t *testing.T) {
	data, err := os.ReadFile("testdata/F4/net/rt_cache")
	if err != nil {
		t.Fatal(err)
	}
	c, got, err := readCache(t, string(data))
	if err != nil {
		t.Fatal(err)
	}
	if c.Guess() != 63 || c.Layout() != netstat.RouteCache22 || len(got) != 0 {
		t.Errorf("guess %d, layout %d, %d rows; want 63, RouteCache22, none", c.Guess(), c.Layout(), len(got))
	}
}

func TestRouteCacheLayouts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		guess   int
		layout  netstat.RouteCacheLayout
		wantErr string
	}{
		{"2.2", cacheHeader22, 63, netstat.RouteCache22, ""},
		{"2.0.36", cacheHeader20, 97, netstat.RouteCache20, ""},
		{"unknown", "Iface\tDestination\tGateway \tFlags\n", 0, netstat.RouteCacheUnknown, ""},
		{"2.2 without Gateway", strings.Replace(cacheHeader22, "Gateway \t", "", 1), 63, netstat.RouteCache22,
			"header does not contain required field Gateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, got, err := readCache(t, tc.in+"v0\t0100000A\t0200000A\t1\t1\t2\t3\t0300000A\t0\t0\t0\t0\t0\t0\t0400000A\n")
			if c == nil {
				t.Fatal(err)
			}
			if c.Guess() != tc.guess || c.Layout() != tc.layout {
				t.Errorf("guess %d layout %d, want %d %d", c.Guess(), c.Layout(), tc.guess, tc.layout)
			}
			if tc.wantErr != "" || tc.layout == netstat.RouteCacheUnknown {
				if len(got) != 0 || (err == nil) != (tc.wantErr == "") || (err != nil && err.Error() != tc.wantErr) {
					t.Errorf("rows %v, err %v; want none, %q", got, err, tc.wantErr)
				}
			}
		})
	}
	if _, err := NewRouteCacheReader(strings.NewReader("")); !errors.Is(err, ErrMissingHeader) {
		t.Errorf("empty file: err = %v, want ErrMissingHeader", err)
	}
}

func TestRouteCacheRows(t *testing.T) {
	in := cacheHeader22 +
		"v0\t0100000A\t0200000A\t00000001\t1\t2\t3\t0300000A\t1500\t0\t300\t0\t1\t1\t0400000A\n" +
		"v0\t0100000A\tZZ\t00000004\t0\t0\t0\t0300000A\t0\t0\t0\t0\t0\n" + // 13 fields: no SpecDst; bad gateway
		"v0\t0100000A\t0200000A\t00000004\t0\t0\t0\t0300000A\t0\t0\n" // 10 fields: skipped
	_, got, err := readCache(t, in)
	if err != nil {
		t.Fatal(err)
	}
	a := netip.MustParseAddr
	want := []netstat.CachedRoute{
		{Iface: "v0", Destination: a("10.0.0.1"), Gateway: a("10.0.0.2"), Source: a("10.0.0.3"), SpecDst: a("10.0.0.4"),
			Flags: 1, RefCnt: 1, Use: 2, Metric: 3, MTU: 1500, IRTT: 300, HHRef: 1, HHUptod: 1},
		// net-tools parses the addresses one after the other into one sockaddr.
		{Iface: "v0", Destination: a("10.0.0.1"), Gateway: a("10.0.0.1"), Source: a("10.0.0.3"), SpecDst: a("10.0.0.3"), Flags: 4,
			HHRef: 0, HHUptod: 1},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// FuzzRouteCache (seeds in testdata/fuzz/FuzzRouteCache) checks that any /proc/net/rt_cache content parses without panicking.
func FuzzRouteCache(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := NewRouteCacheReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		_ = c.Scan(func(rt *netstat.CachedRoute) error {
			if !rt.Destination.Is4() || !rt.SpecDst.Is4() || len(rt.Iface) > 15 {
				t.Fatalf("implausible entry %+v", rt)
			}
			return nil
		})
	})
}
