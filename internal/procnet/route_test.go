package procnet

import (
	"bytes"
	"errors"
	"math"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

// The F4 and F5 fixtures are /proc/net files captured in the spec's fixture namespaces
// (see ../textfmt/testdata/oracle); ../textfmt/testdata holds net-tools' output for
// them and for synthetic files, which ../cli replays end to end.

const routeHeader = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"

func collectRoutes(t *testing.T, data string) ([]netstat.Route, error) {
	t.Helper()
	var got []netstat.Route
	err := ScanRoutes(strings.NewReader(data), func(rt *netstat.Route) error {
		got = append(got, *rt)
		return nil
	})
	return got, err
}

func a4(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestScanRoutesF4(t *testing.T) {
	data, err := os.ReadFile("testdata/F4/net/route")
	if err != nil {
		t.Fatal(err)
	}
	got, err := collectRoutes(t, string(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 16 {
		t.Fatalf("got %d routes, want 16", len(got))
	}
	for _, tc := range []struct {
		i    int
		want netstat.Route
	}{
		{0, netstat.Route{Iface: "v0", Destination: a4("0.0.0.0"), Gateway: a4("10.9.0.2"), Mask: a4("128.0.0.0"), Flags: 3}},
		{3, netstat.Route{Iface: "v0", Destination: a4("10.20.30.40"), Gateway: a4("10.9.0.2"), Mask: a4("255.255.255.255"), Flags: 7}},
		{4, netstat.Route{Iface: "*", Destination: a4("10.50.0.0"), Gateway: a4("0.0.0.0"), Mask: a4("255.255.0.0"), Flags: 0x201}},
		{7, netstat.Route{Iface: "v0", Destination: a4("10.60.0.0"), Gateway: a4("10.9.0.2"), Mask: a4("255.255.0.0"), Flags: 3, Metric: 100, MTU: 1440, Window: 65535, IRTT: 300}},
		{8, netstat.Route{Iface: "v0", Destination: a4("10.70.0.0"), Gateway: a4("0.0.0.0"), Mask: a4("255.255.0.0"), Flags: 1, Metric: -1}},
		{9, netstat.Route{Iface: "v0", Destination: a4("10.71.0.0"), Gateway: a4("0.0.0.0"), Mask: a4("255.255.0.0"), Flags: 1, Metric: math.MinInt32}},
		{10, netstat.Route{Iface: "longifname12345", Destination: a4("10.77.0.0"), Gateway: a4("0.0.0.0"), Mask: a4("255.255.255.0"), Flags: 1}},
	} {
		if diff := cmp.Diff(tc.want, got[tc.i], cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("route %d (-want +got):\n%s", tc.i, diff)
		}
	}
}

func TestScanRoutesLines(t *testing.T) {
	line := func(f ...string) string { return strings.Join(f, "\t") + "\n" }
	up := func(dst, irtt string) string {
		return line("v0", dst, "00000000", "0001", "0", "0", "0", "000000FF", "0", "0", irtt)
	}
	for _, tc := range []struct {
		name    string
		in      string
		want    []string // "iface dst mask irtt"
		wantErr error
	}{
		{"empty", "", nil, ErrMissingHeader},
		{"header only", routeHeader, nil, nil},
		{"missing IRTT", strings.Replace(routeHeader, "\tIRTT", "", 1), nil, &MissingFieldError{"IRTT"}},
		{"out of order", strings.Replace(routeHeader, "Metric\tMask", "Mask\tMetric", 1), nil, &MissingFieldError{"Mask"}},
		{"extra columns", "X|" + strings.Replace(routeHeader, "Use\t", "Use\tY\t", 1) +
			"x|v0\t0000000B\t00000000\t0001\t0\t0\ty\t0\t000000FF\t0\t0\t8\n" + // '|' only separates header names
			"x v0\t0000000A\t00000000\t0001\t0\t0\ty\t0\t000000FF\t0\t0\t9\n", []string{"v0 10.0.0.0 255.0.0.0 9"}, nil},
		{"no trailing newline", routeHeader + strings.TrimSuffix(up("0000000A", "3"), "\n"), []string{"v0 10.0.0.0 255.0.0.0 3"}, nil},
		{"ten columns keep IRTT", routeHeader + up("0000000A", "5") + line("v0", "0000000B", "00000000", "0001", "0", "0", "0", "000000FF", "0", "0"),
			[]string{"v0 10.0.0.0 255.0.0.0 5", "v0 11.0.0.0 255.0.0.0 5"}, nil},
		{"nine columns skipped", routeHeader + line("v0", "0000000B", "00000000", "0001", "0", "0", "0", "000000FF", "0"), nil, nil},
		{"not up", routeHeader + line("v0", "0000000B", "00000000", "0002", "0", "0", "0", "000000FF", "0", "0", "0"), nil, nil},
		{"bad destination keeps the last", routeHeader + up("0000000A", "0") + up("ZZ00000B", "0") + up("0B", "0"),
			[]string{"v0 10.0.0.0 255.0.0.0 0", "v0 10.0.0.0 255.0.0.0 0", "v0 10.0.0.0 255.0.0.0 0"}, nil},
		{"iface cut at 15", routeHeader + line("abcdefghijklmnop", "0000000A", "00000000", "0001", "0", "0", "0", "000000FF", "0", "0", "0"), nil, nil},
		{"blank lines", routeHeader + "\n  \t \n" + up("0000000A", "0"), []string{"v0 10.0.0.0 255.0.0.0 0"}, nil},
		{"long line split", routeHeader + up("0000000A", "1") + strings.Repeat(" ", 1015) + up("0000000B", "2"),
			[]string{"v0 10.0.0.0 255.0.0.0 1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := collectRoutes(t, tc.in)
			if tc.wantErr != nil {
				if err == nil || err.Error() != tc.wantErr.Error() {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var short []string
			for _, rt := range got {
				short = append(short, rt.Iface+" "+rt.Destination.String()+" "+rt.Mask.String()+" "+strconv.Itoa(int(rt.IRTT)))
			}
			if diff := cmp.Diff(tc.want, short); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanRoutesFlagsAndInts(t *testing.T) {
	in := routeHeader + "v0\t0000000A\t0100090A\t0x0003\t-1\t2147483648\t99999999999999999999\t000000FF\t+7\t-0\t4294967296\n"
	got, err := collectRoutes(t, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []netstat.Route{{Iface: "v0", Destination: a4("10.0.0.0"), Gateway: a4("10.9.0.1"), Mask: a4("255.0.0.0"),
		Flags: 3, RefCnt: -1, Use: math.MinInt32, Metric: -1, MTU: 7, Window: 0, IRTT: 0}}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCScanNumber(t *testing.T) {
	for _, tc := range []struct {
		in     string
		base   int
		width  int
		signed bool
		want   uint64
		status cStatus
		rest   string
	}{
		{"  42 x", 10, 0, true, 42, cDone, " x"},
		{"-5", 10, 0, true, 1<<64 - 5, cDone, ""},
		{"+7", 10, 0, true, 7, cDone, ""},
		{"-", 10, 0, true, 0, cMismatch, ""},
		{"", 10, 0, true, 0, cEOF, ""},
		{" \t", 10, 0, true, 0, cEOF, ""},
		{"x1", 10, 0, true, 0, cMismatch, "x1"},
		{"99999999999999999999", 10, 0, true, math.MaxInt64, cDone, ""},
		{"-99999999999999999999", 10, 0, true, 1 << 63, cDone, ""},
		{"99999999999999999999", 16, 0, false, math.MaxUint64, cDone, ""},
		{"0x1F!", 16, 0, false, 0x1f, cDone, "!"},
		{"0xZ", 16, 0, false, 0, cDone, "Z"},
		{"0x", 10, 0, true, 0, cDone, "x"},
		{"-1", 16, 2, false, 1<<64 - 1, cDone, ""},
		{"123", 16, 2, false, 0x12, cDone, "3"},
		{"0x12", 16, 2, false, 0, cDone, "12"},
		{"fF", 16, 0, false, 0xff, cDone, ""},
	} {
		s := cScan{b: []byte(tc.in)}
		v, st := s.number(tc.base, tc.width, tc.signed)
		if v != tc.want || st != tc.status || string(s.b[s.i:]) != tc.rest {
			t.Errorf("number(%q, %d, %d, %v) = %d, %d, rest %q; want %d, %d, rest %q",
				tc.in, tc.base, tc.width, tc.signed, v, st, s.b[s.i:], tc.want, tc.status, tc.rest)
		}
	}
}

func TestCGenFmt(t *testing.T) {
	want := []procColumn{{name: "A"}, {name: "B"}, {name: "C"}}
	for _, tc := range []struct {
		header  string
		plan    []int
		missing string
	}{
		{"A B C", []int{0, 1, 2}, ""},
		{"A\tX|B  Y C Z\n", []int{0, -1, 1, -1, 2}, ""},
		{"|A|B|C|", []int{0, 1, 2}, ""},
		{"B A C", nil, "B"},
		{"A B", nil, "C"},
		{"", nil, "A"},
		{"A B\x00 C", nil, "C"},
	} {
		plan, missing := cGenFmt([]byte(tc.header), want)
		if !cmp.Equal(plan, tc.plan) || missing != tc.missing {
			t.Errorf("cGenFmt(%q) = %v, %q; want %v, %q", tc.header, plan, missing, tc.plan, tc.missing)
		}
	}
}

func TestCLineReader(t *testing.T) {
	in := "ab\n" + strings.Repeat("x", 12) + "\nlast"
	lr := newCLineReader(strings.NewReader(in))
	var got []string
	for {
		l, err := lr.next(6)
		if err != nil {
			break
		}
		got = append(got, string(l))
	}
	want := []string{"ab\n", "xxxxx", "xxxxx", "xx\n", "last"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestScanRoutesStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := ScanRoutes(bytes.NewReader([]byte(routeHeader+"v0\t0000000A\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n"+
		"v0\t0000000B\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\n")), func(*netstat.Route) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err = %v after %d calls, want %v after 1", err, n, stop)
	}
}

// FuzzScanRoutes (seeds in testdata/fuzz/FuzzScanRoutes) checks that any /proc/net/route content parses without panicking and
// yields only what net-tools would print: up routes with IPv4 addresses.
func FuzzScanRoutes(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = ScanRoutes(bytes.NewReader(data), func(rt *netstat.Route) error {
			if rt.Flags&netstat.RouteUp == 0 || !rt.Destination.Is4() || !rt.Gateway.Is4() || !rt.Mask.Is4() || len(rt.Iface) > 15 {
				t.Fatalf("implausible route %+v", rt)
			}
			return nil
		})
	})
}
