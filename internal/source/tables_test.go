package source

import (
	"context"
	"errors"
	"io/fs"
	"net/netip"
	"slices"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

const (
	snmpText    = "Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: RtoAlgorithm ActiveOpens\nTcp: 1 7\n"
	netstatText = "TcpExt: SyncookiesSent\nTcpExt: 3\n"
	snmp6Text   = "Ip6InReceives                   \t5\n"
	routeText   = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
)

func TestReadCountersKeepsEachFile(t *testing.T) {
	tables := NewTables(fstest.MapFS{
		"net/snmp":    {Data: []byte(snmpText)},
		"net/netstat": {Data: []byte("TcpExt: SyncookiesSent\nTcpExt 3\n")}, // a value line without its colon
	}, nil)
	c := tables.ReadCounters(context.Background())
	if c.SNMP.Err != nil || len(c.SNMP.Sections) != 2 {
		t.Errorf("snmp = %d sections, %v; want 2, nil", len(c.SNMP.Sections), c.SNMP.Err)
	}
	if !errors.Is(c.Netstat.Err, ErrCounterFormat) || IsOpen(c.Netstat.Err) {
		t.Errorf("netstat error = %v, want a read error wrapping ErrCounterFormat", c.Netstat.Err)
	}
	for name, err := range map[string]error{"sctp": c.SCTP.Err, "snmp6": c.SNMP6.Err} {
		if !IsOpen(err) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s error = %v, want an open error wrapping fs.ErrNotExist", name, err)
		}
	}
	var te *TableError
	if !errors.As(c.SNMP6.Err, &te) || te.Path != "/proc/net/snmp6" || te.Table != "counters" {
		t.Errorf("snmp6 error = %#v, want a TableError for /proc/net/snmp6", c.SNMP6.Err)
	}
	if _, err := tables.Counters(context.Background()); !errors.Is(err, ErrCounterFormat) {
		t.Errorf("Counters error = %v, want the malformed /proc/net/netstat", err)
	}
}

func TestCountersWithoutIPv6(t *testing.T) {
	tables := NewTables(fstest.MapFS{
		"net/snmp":    {Data: []byte(snmpText)},
		"net/netstat": {Data: []byte(netstatText)},
	}, nil)
	c, err := tables.Counters(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range c.IPv4 {
		titles = append(titles, s.Title)
	}
	if diff := cmp.Diff([]string{"Ip", "Tcp", "TcpExt"}, titles); diff != "" {
		t.Errorf("IPv4 sections (-want +got):\n%s", diff)
	}
	if c.IPv6 != nil {
		t.Errorf("IPv6 = %v, want nil without /proc/net/snmp6", c.IPv6)
	}
	_, err = NewTables(fstest.MapFS{}, nil).Counters(context.Background())
	if !IsOpen(err) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Counters without /proc/net/snmp: %v, want an open error", err)
	}
}

func TestRoutes(t *testing.T) {
	var got []netstat.Route
	collect := func(r *netstat.Route) error { got = append(got, *r); return nil }
	err := NewTables(fstest.MapFS{"net/route": {Data: []byte(routeText)}}, nil).Routes(context.Background(), collect)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Iface != "eth0" || got[0].Destination != netip.MustParseAddr("192.168.0.0") {
		t.Errorf("routes = %+v, want eth0 192.168.0.0", got)
	}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want func(error) bool
	}{
		{"missing file", fstest.MapFS{}, func(err error) bool { return IsOpen(err) && errors.Is(err, fs.ErrNotExist) }},
		{"empty file", fstest.MapFS{"net/route": {}}, func(err error) bool { return !IsOpen(err) && errors.Is(err, ErrMissingHeader) }},
		{"missing column", fstest.MapFS{"net/route": {Data: []byte("Iface\tDestination\n")}}, func(err error) bool {
			var mf *MissingFieldError
			return errors.As(err, &mf)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NewTables(tt.fsys, nil).Routes(context.Background(), func(*netstat.Route) error { return nil })
			if !tt.want(err) {
				t.Errorf("error = %v", err)
			}
		})
	}
}

func TestMasquerade(t *testing.T) {
	err := NewTables(fstest.MapFS{}, nil).Masquerade(context.Background())
	if !IsOpen(err) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("without the file: %v, want an open error", err)
	}
	err = NewTables(fstest.MapFS{"net/ip_masquerade": {}}, nil).Masquerade(context.Background())
	if !errors.Is(err, ErrMasqueradeUnsupported) {
		t.Errorf("with the file: %v, want ErrMasqueradeUnsupported", err)
	}
}

// TestMembershipsKeepState checks that the decoder state outlives a call: after
// /proc/net/igmp6 (a file without a header) the IPv4 file is read with the IPv6
// rules, as net-tools' static variables make netstat -g -c do.
func TestMembershipsKeepState(t *testing.T) {
	fsys := fstest.MapFS{
		"net/igmp":  {Data: []byte("Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n")},
		"net/igmp6": {Data: []byte("1    lo              ff020000000000000000000000000001     1 0000000C 0\n")},
	}
	tables := NewTables(fsys, nil)
	read := func(st *GroupState, fam netstat.Family) (rows int, warnings []string) {
		err := tables.Memberships(context.Background(), fam, st, func(w string) { warnings = append(warnings, w) },
			func(*netstat.Membership) error { rows++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		return rows, warnings
	}
	var fresh GroupState
	if rows, w := read(&fresh, netstat.IPv4); rows != 1 || w != nil {
		t.Fatalf("first igmp read: %d rows, warnings %q; want 1 row, none", rows, w)
	}
	var st GroupState
	read(&st, netstat.IPv6)
	if _, w := read(&st, netstat.IPv4); w == nil {
		t.Errorf("igmp after igmp6 gave no warnings: the decoder state was not kept")
	}
	err := NewTables(fstest.MapFS{}, nil).Memberships(context.Background(), netstat.IPv6, &st, nil, nil)
	var te *TableError
	if !errors.As(err, &te) || te.Path != "/proc/net/igmp6" || te.Op != OpOpen {
		t.Errorf("missing igmp6: %v, want an open TableError for /proc/net/igmp6", err)
	}
}

func TestIfaceListOrder(t *testing.T) {
	// Insertion order must not matter, and names comparing equal share one entry.
	names := []string{"v1", "eth10", "v0:1", "lo", "eth2", "v0", "eth", "eth0", "eth01", "eth1", "v0:2", "v0:10", "v0:02", "a2", "ab1"}
	want := []string{"a2", "ab1", "eth", "eth0", "eth01", "eth1", "eth2", "eth10", "lo", "v0", "v0:1", "v0:2", "v0:10", "v1"}
	for _, rev := range []bool{false, true} {
		var l ifaceList
		for i := range names {
			n := names[i]
			if rev {
				n = names[len(names)-1-i]
			}
			l.add(n)
		}
		var got []string
		for _, e := range l {
			got = append(got, e.name)
		}
		// "v0:02" and "v0:2" compare equal: whichever came first stays.
		if rev {
			want[11] = "v0:02"
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reversed=%v: order mismatch (-want +got):\n%s", rev, diff)
		}
	}
}

func TestIfaceListTruncatesNames(t *testing.T) {
	var l ifaceList
	e := l.add("a-name-longer-than-fifteen")
	if e.name != "a-name-longer-t" {
		t.Errorf("stored name = %q, want the first 15 bytes", e.name)
	}
}

// fakeIfaces is an ioctl source with fixed answers.
type fakeIfaces struct {
	conf    []string
	confErr error
	flags   map[string]netstat.IfaceFlags // a name missing here fails with ENODEV
}

func (f *fakeIfaces) ConfNames() ([]string, error) { return f.conf, f.confErr }

func (f *fakeIfaces) Fetch(name string) (netstat.Interface, error) {
	fl, ok := f.flags[name]
	if !ok {
		return netstat.Interface{}, syscall.ENODEV
	}
	return netstat.Interface{Flags: fl}, nil
}

func (f *fakeIfaces) Close() error { return nil }

func TestInterfaces(t *testing.T) {
	dev := fstest.MapFS{"net/dev": {Data: []byte("Inter-|   Receive                                                |  Transmit\n" +
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
		"    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n" +
		"  eth0:     200       2    0    0    0     0          0         0      300       3    0    0    0     0       0          0\n")}}
	up := map[string]netstat.IfaceFlags{"lo": netstat.IfUp, "eth0": 0, "eth1": netstat.IfUp}
	type result struct {
		names    []string
		warnings []string
		begun    bool
		err      error
	}
	run := func(fsys fstest.MapFS, src *fakeIfaces, openErr error, all bool) result {
		var r result
		open := func() (netstat.IfaceSource, error) {
			if openErr != nil {
				return nil, openErr
			}
			return src, nil
		}
		q := IfaceQuery{All: all, Warn: func(err error) {
			var te *TableError
			if !errors.As(err, &te) {
				t.Errorf("warning %v is not a *TableError", err)
				return
			}
			r.warnings = append(r.warnings, te.Op+" "+te.Path)
		}}
		r.err = NewTables(fsys, open).Interfaces(context.Background(), q, func() { r.begun = true }, func(ifc *netstat.Interface) error {
			r.names = append(r.names, ifc.Name)
			return nil
		})
		return r
	}

	t.Run("merged in net-tools order, up only", func(t *testing.T) {
		r := run(dev, &fakeIfaces{conf: []string{"eth1", "lo"}, flags: up}, nil, false)
		if r.err != nil || !r.begun {
			t.Fatalf("err = %v, begun = %v", r.err, r.begun)
		}
		if diff := cmp.Diff([]string{"eth1", "lo"}, r.names); diff != "" {
			t.Errorf("interfaces (-want +got):\n%s", diff)
		}
		r = run(dev, &fakeIfaces{conf: []string{"eth1", "lo"}, flags: up}, nil, true)
		if diff := cmp.Diff([]string{"eth0", "eth1", "lo"}, r.names); diff != "" {
			t.Errorf("interfaces with All (-want +got):\n%s", diff)
		}
	})
	t.Run("no socket", func(t *testing.T) {
		r := run(dev, nil, syscall.EAFNOSUPPORT, false)
		var te *TableError
		if !errors.As(r.err, &te) || te.Path != "socket" || te.Op != OpOpen || !errors.Is(r.err, syscall.EAFNOSUPPORT) || r.begun {
			t.Errorf("err = %v, begun = %v; want an open TableError for the socket before begin", r.err, r.begun)
		}
	})
	t.Run("no /proc/net/dev", func(t *testing.T) {
		r := run(fstest.MapFS{}, &fakeIfaces{conf: []string{"lo"}, flags: up}, nil, false)
		if r.err != nil || !slices.Equal(r.names, []string{"lo"}) {
			t.Errorf("names %v, err %v; want lo from SIOCGIFCONF", r.names, r.err)
		}
		if diff := cmp.Diff([]string{"open /proc/net/dev"}, r.warnings); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})
	t.Run("neither list", func(t *testing.T) {
		r := run(fstest.MapFS{}, &fakeIfaces{confErr: syscall.EINVAL}, nil, false)
		var te *TableError
		if !errors.As(r.err, &te) || te.Op != OpList || !errors.Is(r.err, syscall.EINVAL) {
			t.Errorf("err = %v, want an OpList TableError wrapping SIOCGIFCONF's errno", r.err)
		}
		if diff := cmp.Diff([]string{"open /proc/net/dev", "read SIOCGIFCONF"}, r.warnings); diff != "" {
			t.Errorf("warnings (-want +got):\n%s", diff)
		}
	})
	t.Run("interface gone", func(t *testing.T) {
		r := run(dev, &fakeIfaces{flags: map[string]netstat.IfaceFlags{"eth0": netstat.IfUp}}, nil, false)
		var fe *IfaceFetchError
		if !errors.As(r.err, &fe) || fe.Name != "lo" || !errors.Is(r.err, syscall.ENODEV) {
			t.Errorf("err = %v, want an IfaceFetchError for lo wrapping ENODEV", r.err)
		}
		if diff := cmp.Diff([]string{"eth0"}, r.names); diff != "" {
			t.Errorf("rows before the failure (-want +got):\n%s", diff)
		}
	})
}
