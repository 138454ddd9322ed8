package textfmt

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// The goldens are net-tools' output in the fixture namespaces F4 (routes) and F5
// (groups), captured with the hosts file testdata/etc/hosts and "hosts: files" (see
// testdata/oracle). The renderers get the captured /proc files, parsed, and a resolver
// over the same hosts and networks files.

// capturedOutput returns the "CMD | stdout" section of a capture archive.
func capturedOutput(t *testing.T, archive, cmd string) string {
	t.Helper()
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	marker := "-- " + cmd + " | stdout --\n"
	_, rest, ok := strings.Cut(string(data), marker)
	if !ok {
		t.Fatalf("%s has no output for %q", archive, cmd)
	}
	if i := strings.Index(rest, "\n-- "); i >= 0 {
		rest = rest[:i+1]
	} else if strings.HasPrefix(rest, "-- ") {
		rest = ""
	}
	return rest
}

// captureNames resolves like the captures: /etc/hosts and /etc/networks only.
type captureNames struct {
	hosts *resolve.HostsTable
	nets  *resolve.NetworksTable
}

func (c captureNames) HostName(a netip.Addr) (string, bool)    { return c.hosts.Lookup(a) }
func (c captureNames) NetworkName(n uint32) (string, bool)     { return c.nets.Lookup(n) }
func (captureNames) ServiceName(uint16, string) (string, bool) { return "", false }
func (captureNames) UserName(uint32) (string, bool)            { return "", false }

func newCaptureNames(t *testing.T) captureNames {
	t.Helper()
	open := func(name string) *os.File {
		f, err := os.Open("testdata/etc/" + name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	return captureNames{resolve.ParseHosts(open("hosts")), resolve.ParseNetworks(open("networks"))}
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open("../procnet/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestRouteGolden(t *testing.T) {
	names := newCaptureNames(t)
	for _, tc := range []struct {
		cmd     string
		ext     int
		numeric bool
	}{
		{"-r", 2, false}, {"-rn", 2, true}, {"-re", 1, false}, {"-rne", 1, true},
		{"-ree", 3, false}, {"-rnee", 3, true}, {"-reee", 0, false}, {"-reeee", 1, false},
		{"-rN", 2, true}, {"-r --numeric-hosts", 2, true},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			b := []byte(RouteTitle + RouteHeader(tc.ext))
			err := procnet.ScanRoutes(openFixture(t, "F4/net/route"), func(rt *netstat.Route) error {
				b = AppendRouteRow(b, rt, tc.ext, tc.numeric, names)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(capturedOutput(t, "testdata/F4.txtar", tc.cmd), string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRouteCacheGolden(t *testing.T) {
	names := newCaptureNames(t)
	for _, tc := range []struct {
		cmd string
		ext int
	}{{"-rC", 2}, {"-rCe", 1}, {"-rCee", 3}, {"-rCeee", 0}, {"-rCn", 2}} {
		t.Run(tc.cmd, func(t *testing.T) {
			c, err := procnet.NewRouteCacheReader(openFixture(t, "F4/net/rt_cache"))
			if err != nil {
				t.Fatal(err)
			}
			b := []byte(RouteCacheTitle + RouteCacheHeader(tc.ext, c.Layout()))
			err = c.Scan(func(rt *netstat.CachedRoute) error {
				b = AppendRouteCacheRow(b, rt, tc.ext, c.Layout(), false, names)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(capturedOutput(t, "testdata/F4.txtar", tc.cmd), string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestIPv6RouteGolden(t *testing.T) {
	names := newCaptureNames(t)
	for _, tc := range []struct {
		cmd            string
		numeric, cache bool
	}{
		{"-r -6", false, false}, {"-r -A inet6", false, false}, {"-rn6", true, false},
		{"-r -6 -e", false, false}, {"-r -6 -N", true, false}, {"-r -6 -C", false, true},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			b := []byte(IPv6RouteHeader(tc.cache))
			err := procnet.ScanIPv6Routes(openFixture(t, "F4/net/ipv6_route"), tc.cache, func(rt *netstat.IPv6Route) error {
				b = AppendIPv6RouteRow(b, rt, tc.numeric, names)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(capturedOutput(t, "testdata/F4.txtar", tc.cmd), string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The flag strings below are net-tools' for these flag words, as captured in
// testdata/synthetic (route-odd-lines, v6-odd, cache22-rows, cache20-rows).
func TestRouteFlagsText(t *testing.T) {
	for _, tc := range []struct {
		f    netstat.RouteFlags
		want string
	}{
		{0x0003, "UG"}, {0x0007, "UGH"}, {0x0201, "!"}, {0x0001, "U"},
		{0xFFFFFDFF, "UGHRDMdacoecfpluwin"}, {0xFFFFFFFF, "!HRDMdacoecfpluwin"},
	} {
		if got := routeFlagsText(tc.f); got != tc.want {
			t.Errorf("routeFlagsText(%#x) = %q, want %q", uint32(tc.f), got, tc.want)
		}
	}
	for _, tc := range []struct {
		f    netstat.RouteFlags
		want string
	}{
		{0x00000001, "U"}, {0x00200200, "!n"}, {0x80200001, "Un"}, {0x01000003, "UGC"}, {0x027F023F, "U!GHDAaemnf"},
	} {
		if got := ipv6RouteFlagsText(tc.f); got != tc.want {
			t.Errorf("ipv6RouteFlagsText(%#x) = %q, want %q", uint32(tc.f), got, tc.want)
		}
	}
	for _, tc := range []struct {
		f      netstat.RouteFlags
		layout netstat.RouteCacheLayout
		want   string
	}{
		{0xFFFFFFFF, netstat.RouteCache22, "!RDM-ondtfqNsriNdbm#l"},
		{0x7FFFFDFE, netstat.RouteCache22, "GRDMondtfqNsriNdbm#"},
		{0x80000000, netstat.RouteCache22, "l"},
		{0x0007, netstat.RouteCache20, "UHG"},
		{0x0205, netstat.RouteCache20, "!"},
	} {
		if got := routeCacheFlagsText(tc.f, tc.layout); got != tc.want {
			t.Errorf("routeCacheFlagsText(%#x, %d) = %q, want %q", uint32(tc.f), tc.layout, got, tc.want)
		}
	}
}

// TestAppendRouteCacheRow checks the cache row layouts against rows net-tools printed
// (testdata/synthetic/cache22-rows.txtar).
func TestAppendRouteCacheRow(t *testing.T) {
	a := netip.MustParseAddr
	rt := netstat.CachedRoute{Iface: "v0", Destination: a("10.0.0.1"), Gateway: a("10.0.0.2"), Source: a("10.0.0.3"),
		SpecDst: a("10.0.0.4"), Flags: 1, RefCnt: 1, Use: 2, Metric: 3, MTU: 1500, IRTT: 300, HHRef: 1, HHUptod: 1}
	for _, tc := range []struct {
		ext  int
		want string
	}{
		{1, "10.0.0.3        10.0.0.1        10.0.0.2        -     3      1        2 v0\n"},
		{2, "10.0.0.3        10.0.0.1        10.0.0.2        -      1500 0        300 v0\n"},
		{3, "10.0.0.3        10.0.0.1        10.0.0.2        -     3      1        2 v0       1500  0      300   0   1     1          10.0.0.4\n"},
		{0, ""},
	} {
		if got := string(AppendRouteCacheRow(nil, &rt, tc.ext, netstat.RouteCache22, true, resolve.Numeric{})); got != tc.want {
			t.Errorf("ext %d:\n got %q\nwant %q", tc.ext, got, tc.want)
		}
	}
}
