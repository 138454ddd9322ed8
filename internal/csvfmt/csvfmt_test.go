package csvfmt

import (
	"bytes"
	"encoding/csv"
	"github.com/netstat-go/netstat/internal/analysis"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

type names struct{ resolve.Numeric }

func (names) HostName(a netip.Addr) (string, bool) {
	if a == netip.MustParseAddr("127.0.0.1") {
		return "localhost", true
	}
	return "", false
}

func (names) ServiceName(port uint16, proto string) (string, bool) {
	if port == 22 && proto == "tcp" {
		return "ssh", true
	}
	return "", false
}

func (names) UserName(uid uint32) (string, bool) { return "root", uid == 0 }

func TestInetRecord(t *testing.T) {
	s := netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv6, Local: netip.MustParseAddrPort("[::ffff:127.0.0.1]:22"),
		Remote: netip.MustParseAddrPort("[::]:0"), State: netstat.Listen, RecvQ: 3, UID: 0, Inode: 99,
		Timer: netstat.TimerOn, TimerTicks: 20, Retransmits: 2, Probes: 1}
	// Longer than net-tools' column ("7/sshd: root@pts/0 "): CSV has it whole.
	prog := func(uint64) *netstat.Process {
		return &netstat.Process{PID: 7, Name: "sshd: root@pts/0 [priv] session"}
	}
	for _, tt := range []struct {
		name string
		o    jsonfmt.SocketOptions
		want [][]string
	}{
		{"numeric", jsonfmt.SocketOptions{}, [][]string{
			{"proto", "family", "recv_q", "send_q", "local_address", "local_port", "remote_address", "remote_port", "state", "uid", "inode"},
			{"tcp", "inet6", "3", "0", "::ffff:127.0.0.1", "22", "::", "0", "LISTEN", "0", "99"},
		}},
		{"everything", jsonfmt.SocketOptions{HostNames: true, PortNames: true, UserNames: true, Programs: true, Timers: true}, [][]string{
			{"proto", "family", "recv_q", "send_q", "local_address", "local_port", "remote_address", "remote_port",
				"local_host", "remote_host", "local_service", "remote_service", "state", "uid", "user", "inode", "pid", "program",
				"timer", "timer_code", "timer_expires_ms", "retransmits", "probes"},
			{"tcp", "inet6", "3", "0", "::ffff:127.0.0.1", "22", "::", "0", "", "", "ssh", "", "LISTEN", "0", "root", "99", "7", "sshd: root@pts/0 [priv] session",
				"on", "1", "200", "2", "1"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := [][]string{InetHeader(&tt.o), InetRecord(nil, &s, &tt.o, names{}, prog)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnixAndGroups(t *testing.T) {
	u := netstat.UnixSocket{RefCnt: 2, Flags: netstat.UnixAcceptConn | 1<<17, Type: netstat.UnixDgram,
		State: netstat.UnixUnconnected, Path: "/run/a,b \"c\"\nd"}
	rec := UnixRecord(nil, &u, true, func(uint64) *netstat.Process { return &netstat.Process{PID: 1, Name: "x"} })
	want := []string{"unix", "2", "ACC W", "DGRAM", "LISTENING", "", "", "", "/run/a,b \"c\"\nd"}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Errorf("unix record (-want +got):\n%s", diff)
	}
	if h := UnixHeader(true); len(h) != len(rec) {
		t.Errorf("header %q has %d fields, record %d", h, len(h), len(rec))
	}
	// encoding/csv quotes what needs quoting; the record reads back whole.
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(UnixHeader(true))
	w.Write(rec)
	w.Flush()
	back, err := csv.NewReader(&b).ReadAll()
	if err != nil || !cmp.Equal(back[1], rec) {
		t.Errorf("read back %q, %v", back, err)
	}

	m := netstat.Membership{Family: netstat.IPv6, Iface: "eth0", Users: 2, Group: netip.MustParseAddr("ff02::1")}
	if diff := cmp.Diff([]string{"inet6", "eth0", "2", "ff02::1", ""}, GroupRecord(nil, &m, true, names{})); diff != "" {
		t.Errorf("group record (-want +got):\n%s", diff)
	}
	if len(GroupHeader(false)) != len(GroupRecord(nil, &m, false, names{})) {
		t.Error("group header and record differ in length")
	}
}

func TestRoutes(t *testing.T) {
	a := netip.MustParseAddr
	rt := netstat.Route{Iface: "eth0", Destination: a("0.0.0.0"), Gateway: a("127.0.0.1"), Mask: a("0.0.0.0"),
		Flags: netstat.RouteUp | netstat.RouteGateway, Metric: 5}
	cr := netstat.CachedRoute{Iface: "lo", Source: a("127.0.0.1"), Destination: a("127.0.0.1"), Gateway: a("0.0.0.0"),
		Flags: netstat.RTCFLocal}
	v6 := netstat.IPv6Route{Destination: a("fd00::"), DestinationLen: 64, Source: a("::"), NextHop: a("::"),
		Flags: netstat.RouteUp, Metric: 256, Iface: "eth0"}
	for _, withNames := range []bool{false, true} {
		h := RouteHeader(withNames)
		recs := [][]string{
			RouteRecord(nil, &rt, withNames, names{}),
			CachedRouteRecord(nil, &cr, netstat.RouteCache22, withNames, names{}),
			IPv6RouteRecord(nil, &v6, jsonfmt.TableFIB, withNames, names{}),
		}
		for i, r := range recs {
			if len(r) != len(h) {
				t.Errorf("names=%v record %d has %d fields, header %d", withNames, i, len(r), len(h))
			}
		}
		if withNames {
			if diff := cmp.Diff([]string{"inet", "fib", "0.0.0.0", "0", "0.0.0.0", "127.0.0.1", "", "", "UP GATEWAY",
				"5", "0", "0", "eth0", "0", "0", "0", "", "localhost", ""}, recs[0]); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"inet6", "fib", "fd00::", "64", "", "::", "::", "0", "UP", "256", "0", "0",
				"eth0", "", "", "", "", "", ""}, recs[2]); diff != "" {
				t.Errorf("ipv6 route (-want +got):\n%s", diff)
			}
		}
	}
}

func TestIfaceStatsCountsStates(t *testing.T) {
	ifc := netstat.Interface{Name: "eth0", Flags: netstat.IfUp | netstat.IfBroadcast, HWType: netstat.HWEther, MTU: 1500,
		TxQueueLen: -1, HasIPv4: true, Addr: netip.MustParseAddr("10.0.0.1"), Netmask: netip.MustParseAddr("255.0.0.0"),
		Inet6: []netstat.Inet6Addr{{Addr: netip.MustParseAddr("fe80::1"), PrefixLen: 64}, {PrefixLen: 64}},
		Stats: &netstat.IfaceStats{RxPackets: 7}}
	rec := IfaceRecord(nil, &ifc)
	h := IfaceHeader()
	if len(rec) != len(h) {
		t.Fatalf("record %d fields, header %d", len(rec), len(h))
	}
	row := map[string]string{}
	for i := range h {
		row[h[i]] = rec[i]
	}
	for k, v := range map[string]string{"flags": "UP BROADCAST", "tx_queue_len": "", "hw_address": "00:00:00:00:00:00",
		"ipv4_broadcast": "", "ipv6_addresses": "fe80::1/64", "rx_packets": "7", "tx_collisions": "0"} {
		if row[k] != v {
			t.Errorf("%s = %q, want %q", k, row[k], v)
		}
	}
	ifc.Stats = nil
	if rec := IfaceRecord(nil, &ifc); rec[len(rec)-1] != "" {
		t.Errorf("counters without statistics: %q", rec)
	}

	secs := []netstat.CounterSection{{Title: "Tcp", Counters: []netstat.Counter{{Name: "A", Value: 1}, {Name: "B", Value: 2}, {Name: "A", Value: 3}}}}
	var got [][]string
	StatsRecords("inet", secs, func(r []string) error {
		got = append(got, append([]string(nil), r...))
		return nil
	})
	if diff := cmp.Diff([][]string{{"inet", "Tcp", "A", "1"}, {"inet", "Tcp", "B", "2"}}, got); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}

	if diff := cmp.Diff([]string{"state", "raddr", "count"}, CountsHeader([]string{"state", "raddr"})); diff != "" {
		t.Errorf("counts header: %s", diff)
	}
	if diff := cmp.Diff([]string{"LISTEN", "10.0.0.1", "4"}, CountRecord(nil, []string{"LISTEN", "10.0.0.1"}, 4)); diff != "" {
		t.Errorf("count record: %s", diff)
	}

	var c analysis.StateCounts
	c.Add(netstat.TimeWait)
	recs := StatesRecords(&c)
	if len(recs) != 12 || !cmp.Equal(recs[5], []string{"TIME_WAIT", "1", "5000"}) || !cmp.Equal(recs[0], []string{"ESTABLISHED", "0", ""}) {
		t.Errorf("states records %q", recs)
	}
}
