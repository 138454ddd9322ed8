package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sock is a TCP socket of a test population.
func sock(local, remote string, st netstat.TCPState) netstat.Socket {
	l := netip.MustParseAddrPort(local)
	fam := netstat.IPv4
	if l.Addr().Is6() {
		fam = netstat.IPv6
	}
	return netstat.Socket{Proto: netstat.TCP, Family: fam, Local: l, Remote: netip.MustParseAddrPort(remote), State: st}
}

// listener is a TCP listener with an accept queue.
func listener(local string, queue uint64, backlog uint32, inode uint64) netstat.Socket {
	l := netip.MustParseAddrPort(local)
	remote := "0.0.0.0:0"
	if l.Addr().Is6() {
		remote = "[::]:0"
	}
	s := sock(local, remote, netstat.Listen)
	s.RecvQ, s.Backlog, s.Inode = queue, backlog, inode
	return s
}

// repeat returns n copies of s with remote ports counting up from the given one.
func repeat(n int, s netstat.Socket) []netstat.Socket {
	out := make([]netstat.Socket, n)
	for i := range out {
		out[i] = s
		out[i].Remote = netip.AddrPortFrom(s.Remote.Addr(), s.Remote.Port()+uint16(i))
	}
	return out
}

// population is a host with a web server under a SYN flood from 10.9.9.9, a database
// with churning clients, an IPv6 listener, a UDP socket (never counted) and outgoing
// connections (counted per state, not per port).
func population() *netstat.Snapshot {
	var inet []netstat.Socket
	add := func(s ...netstat.Socket) { inet = append(inet, s...) }
	add(listener("0.0.0.0:443", 5, 128, 100))
	add(listener("[::]:443", 0, 128, 101))
	add(listener("127.0.0.1:5432", 0, 244, 102))
	add(listener("[::1]:8080", 3, 4, 103))
	add(listener("0.0.0.0:22", 0, 128, 104))
	add(repeat(7, sock("192.0.2.1:443", "10.9.9.9:40000", netstat.SynRecv))...)
	add(repeat(2, sock("192.0.2.1:443", "10.9.9.8:40000", netstat.NewSynRecv))...)
	add(repeat(4, sock("192.0.2.1:443", "198.51.100.7:50000", netstat.Established))...)
	add(repeat(3, sock("[2001:db8::1]:443", "[2001:db8::9]:50000", netstat.Established))...)
	add(repeat(6, sock("127.0.0.1:5432", "127.0.0.1:33000", netstat.TimeWait))...)
	add(repeat(2, sock("127.0.0.1:5432", "127.0.0.1:34000", netstat.CloseWait))...)
	add(repeat(3, sock("[::ffff:127.0.0.2]:5432", "[::ffff:127.0.0.2]:35000", netstat.TimeWait))...)
	add(sock("[::1]:8080", "[::1]:36000", netstat.FinWait2))
	add(sock("192.0.2.1:22", "203.0.113.5:51000", netstat.Established))
	add(repeat(2, sock("192.0.2.1:41000", "203.0.113.80:443", netstat.SynSent))...)
	add(sock("192.0.2.1:42000", "203.0.113.80:443", netstat.LastAck))
	add(sock("192.0.2.1:43000", "203.0.113.80:443", netstat.Closing))
	add(sock("192.0.2.1:44000", "203.0.113.80:443", netstat.FinWait1))
	add(netstat.Socket{Proto: netstat.UDP, Family: netstat.IPv4, Local: netip.MustParseAddrPort("0.0.0.0:443"), State: 7})
	// Owners: nginx (two workers share the listeners), postgres, a client.
	for i := range inet {
		if inet[i].Inode == 0 && inet[i].State == netstat.Established {
			inet[i].Inode = uint64(1000 + i)
		}
	}
	owners := map[uint64][]netstat.Process{
		100: {{PID: 10, Name: "nginx"}, {PID: 11, Name: "nginx"}},
		101: {{PID: 10, Name: "nginx"}, {PID: 11, Name: "nginx"}},
		102: {{PID: 20, Name: "postgres"}},
		103: {{PID: 30, Name: "other"}},
		104: {{PID: 1, Name: "systemd"}, {PID: 40, Name: "sshd"}},
	}
	for i := range inet {
		s := &inet[i]
		switch {
		case s.State == netstat.Established && s.Local.Port() == 443:
			owners[s.Inode] = []netstat.Process{{PID: 11, Name: "nginx"}}
		case s.State == netstat.Established && s.Local.Port() == 22:
			owners[s.Inode] = []netstat.Process{{PID: 41, Name: "sshd"}}
		}
	}
	return &netstat.Snapshot{Taken: time.Unix(1700000000, 0), Inet: inet, Owners: owners}
}

// counters is a small `netstat -s` set with gauges, counters and IPv6 names.
func counters() *source.Counters {
	return &source.Counters{
		IPv4: []netstat.CounterSection{
			{Title: "Ip", Counters: []netstat.Counter{ctr("Forwarding", 2), ctr("DefaultTTL", 64), ctr("InReceives", 1234), ctr("ReasmOKs", 3)}},
			{Title: "Tcp", Counters: []netstat.Counter{ctr("RtoAlgorithm", 1), ctr("RtoMin", 200), ctr("RtoMax", 120000), ctr("MaxConn", 1<<64-1), ctr("ActiveOpens", 77), ctr("CurrEstab", 9), ctr("InCsumErrors", 0)}},
			{Title: "IcmpMsg", Counters: []netstat.Counter{ctr("InType3", 5), ctr("OutType3", 6)}},
			{Title: "TcpExt", Counters: []netstat.Counter{ctr("ListenOverflows", 42), ctr("ListenDrops", 43), ctr("TCPSynRetrans", 8), ctr("TCPDSACKOldSent", 1), ctr("NewThingWeDoNotKnow", 5)}},
		},
		IPv6: []netstat.CounterSection{
			{Title: "Ip6", Counters: []netstat.Counter{ctr("Ip6InReceives", 99), ctr("Ip6InNoECTPkts", 98)}},
			{Title: "Udp6", Counters: []netstat.Counter{ctr("Udp6InDatagrams", 12)}},
		},
	}
}

func ctr(name string, v uint64) netstat.Counter { return netstat.Counter{Name: name, Value: v} }

// testConfig is the default configuration with every collector on.
func testConfig(t *testing.T, args ...string) *config {
	t.Helper()
	cfg, err := parseFlags(append([]string{"--collector.process"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// one wraps a single collector, bound to a scrape of fake, as a prometheus.Collector.
type one struct {
	c  collector
	sc *scrape
}

func (o one) Describe(ch chan<- *prometheus.Desc) { o.c.Describe(ch) }
func (o one) Collect(ch chan<- prometheus.Metric) {
	if err := o.c.Update(o.sc, ch); err != nil {
		panic(err)
	}
}

func newTestExporter(t *testing.T, cfg *config, fake *sourcetest.Fake) *exporter {
	return newExporter(t.Context(), cfg, fake, fake, snapshotOwners(fake), time.Now, discardLogger())
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// exposition renders what c collects in the text format.
func exposition(t *testing.T, c prometheus.Collector) []byte {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if err := writeText(&b, mf); err != nil {
			t.Fatal(err)
		}
	}
	return []byte(b.String())
}

func TestCollectorGoldens(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"tcp", nil},
		{"ports", nil},
		{"ports", []string{"--collector.ports.max=2"}},
		{"listen", nil},
		{"listen", []string{"--collector.listen.max=1"}},
		{"peers", nil},
		{"peers", []string{"--collector.peers.top=1"}},
		{"process", nil},
		{"process", []string{"--collector.process.max=1"}},
		{"snmp", nil},
	}
	for _, tt := range tests {
		file := tt.name
		for _, a := range tt.args {
			file += "_" + strings.TrimPrefix(strings.ReplaceAll(a, "=", "_"), "--collector.")
		}
		t.Run(file, func(t *testing.T) {
			fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}, FakeCounters: counters()}
			e := newTestExporter(t, testConfig(t, tt.args...), fake)
			c := one{e.collectors[tt.name], e.forScrape(t.Context(), time.Now()).(*scrapeCollector).sc}
			golden(t, file+".prom", exposition(t, c))
			// testutil's own reading of the golden agrees with the collector.
			f, err := os.Open(filepath.Join("testdata", file+".prom"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := testutil.CollectAndCompare(c, f); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCounts checks the values against the population as built, independently of
// the goldens.
func TestCounts(t *testing.T) {
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}, FakeCounters: counters()}
	e := newTestExporter(t, testConfig(t, "--collector.ports.max=2", "--collector.peers.top=1"), fake)
	sc := e.forScrape(t.Context(), time.Now()).(*scrapeCollector).sc
	val := func(name string, labels ...string) float64 {
		t.Helper()
		c := one{e.collectors[name], sc}
		ch := make(chan prometheus.Metric, 10000)
		go func() { c.Collect(ch); close(ch) }()
		var found float64 = -1
		for m := range ch {
			if name == "listen" && !strings.HasSuffix(fqName(m), "_length") {
				continue
			}
			lv := labelValues(t, m)
			if strings.Join(lv, ",") == strings.Join(labels, ",") {
				found = testutil.ToFloat64(constCollector{m})
			}
		}
		return found
	}
	checks := []struct {
		collector string
		labels    []string
		want      float64
	}{
		{"tcp", []string{"syn_recv"}, 9}, // 7 SYN_RECV + 2 request sockets
		{"tcp", []string{"established"}, 4 + 3 + 1},
		{"tcp", []string{"time_wait"}, 9},
		{"tcp", []string{"listen"}, 5},
		{"tcp", []string{"close"}, 0},
		{"tcp", []string{"syn_sent"}, 2},
		// 443: 2 listeners + 9 + 7 = 18; 5432: 1 + 6 + 2 + 3 = 12; then 22 (2) and 8080 (2).
		{"ports", []string{"443", "syn_recv"}, 9},
		{"ports", []string{"5432", "time_wait"}, 9},
		{"ports", []string{"other", "listen"}, 2},
		{"ports", []string{"other", "fin_wait2"}, 1},
		{"ports", []string{"other", "established"}, 1},
		{"listen", []string{"0.0.0.0", "443"}, 5},
		{"peers", []string{"syn_recv", "10.9.9.9"}, 7},
		{"peers", []string{"syn_recv", "other"}, 2},
		{"peers", []string{"time_wait", "127.0.0.1"}, 6},
		{"peers", []string{"time_wait", "other"}, 3},
		{"process", []string{"nginx", "established"}, 7},
		{"process", []string{"nginx", "listen"}, 2},
		{"process", []string{"other", "listen"}, 1}, // the program named "other"
		{"process", []string{"sshd", "listen"}, 1},
	}
	for _, c := range checks {
		if got := val(c.collector, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.collector, c.labels, got, c.want)
		}
	}
}

// TestCaps checks that every label set stays within its flag on a large population and
// that what exceeds it is summed, not dropped.
func TestCaps(t *testing.T) {
	var inet []netstat.Socket
	owners := map[uint64][]netstat.Process{}
	for p := range 300 {
		l := listener(fmt.Sprintf("0.0.0.0:%d", 1000+p), uint64(p%7), 128, uint64(1+p))
		inet = append(inet, l)
		owners[l.Inode] = []netstat.Process{{PID: 100 + p, Name: fmt.Sprintf("prog%d", p)}}
		inet = append(inet, repeat(p%5, sock(fmt.Sprintf("192.0.2.1:%d", 1000+p), fmt.Sprintf("10.0.%d.%d:1000", p/200, p%200), netstat.SynRecv))...)
		inet = append(inet, repeat(p%3, sock(fmt.Sprintf("192.0.2.1:%d", 1000+p), fmt.Sprintf("10.1.%d.%d:1000", p/200, p%200), netstat.TimeWait))...)
	}
	snap := &netstat.Snapshot{Inet: inet, Owners: owners}
	var totalSyn, totalTW, totalQueue float64
	for _, s := range inet {
		switch netstat.TCPState(s.State) {
		case netstat.SynRecv:
			totalSyn++
		case netstat.TimeWait:
			totalTW++
		case netstat.Listen:
			totalQueue += float64(s.RecvQ)
		}
	}
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snap}}
	cfg := testConfig(t, "--collector.ports.max=10", "--collector.listen.max=7", "--collector.peers.top=3", "--collector.process.max=4")
	e := newTestExporter(t, cfg, fake)
	sc := e.forScrape(t.Context(), time.Now()).(*scrapeCollector).sc
	tests := []struct {
		collector string
		series    int // (cap + 1 for "other") x series per item
		label     string
		sumOf     map[string]float64 // label state -> sum that must be kept
	}{
		{"ports", (10 + 1) * numStates, "port", map[string]float64{"syn_recv": totalSyn, "time_wait": totalTW}},
		{"listen", (7 + 1) * 2, "address", nil},
		{"peers", (3 + 1) * 2, "address", map[string]float64{"syn_recv": totalSyn, "time_wait": totalTW}},
		{"process", 4 + 1, "program", map[string]float64{"listen": 300}},
	}
	for _, tt := range tests {
		t.Run(tt.collector, func(t *testing.T) {
			c := one{e.collectors[tt.collector], sc}
			if got := testutil.CollectAndCount(c); got != tt.series {
				t.Errorf("%d series, want %d", got, tt.series)
			}
			sums := map[string]float64{}
			var queue float64
			for _, m := range collect(c) {
				lv := labels(t, m)
				sums[lv["state"]] += testutil.ToFloat64(constCollector{m})
				if strings.HasSuffix(fqName(m), "listen_queue_length") {
					queue += testutil.ToFloat64(constCollector{m})
				}
			}
			for st, want := range tt.sumOf {
				if sums[st] != want {
					t.Errorf("state %s sums to %v, want %v", st, sums[st], want)
				}
			}
			if tt.collector == "listen" && queue != totalQueue {
				t.Errorf("queue lengths sum to %v, want %v", queue, totalQueue)
			}
		})
	}
}

// TestCollectorFailure checks that a collector whose data cannot be had reports
// success 0 while the others succeed.
func TestCollectorFailure(t *testing.T) {
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}, CountersErr: errors.New("no /proc/net/snmp")}
	e := newTestExporter(t, testConfig(t), fake)
	c := e.forScrape(t.Context(), time.Now())
	want := `# HELP netstat_scrape_collector_success 1 when the collector succeeded in this scrape, 0 when it failed (the error is logged).
# TYPE netstat_scrape_collector_success gauge
netstat_scrape_collector_success{collector="listen"} 1
netstat_scrape_collector_success{collector="peers"} 1
netstat_scrape_collector_success{collector="ports"} 1
netstat_scrape_collector_success{collector="process"} 1
netstat_scrape_collector_success{collector="snmp"} 0
netstat_scrape_collector_success{collector="tcp"} 1
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "netstat_scrape_collector_success"); err != nil {
		t.Error(err)
	}
	if n := testutil.CollectAndCount(c, "netstat_scrape_collector_duration_seconds"); n != len(collectorNames) {
		t.Errorf("%d duration series, want %d", n, len(collectorNames))
	}
}

func TestSnakeCase(t *testing.T) {
	tests := []struct{ section, in, want string }{
		{"TcpExt", "ListenOverflows", "listen_overflows"},
		{"TcpExt", "TCPSynRetrans", "tcp_syn_retrans"},
		{"TcpExt", "TCPDSACKOldSent", "tcpdsack_old_sent"},
		{"Ip", "ReasmOKs", "reasm_oks"},
		{"Ip", "FragOKs", "frag_oks"},
		{"Ip", "InCEPkts", "in_ce_pkts"},
		{"IcmpMsg", "OutType3", "out_type3"},
		{"Ip6", "Ip6InReceives", "in_receives"},
		{"Icmp6", "Icmp6InType133", "in_type133"},
		{"Ip6", "Ip6", "ip6"},
		{"Tcp", "InCsumErrors", "in_csum_errors"},
		{"MPTcpExt", "MPJoinAckHMacFailure", "mp_join_ack_hmac_failure"},
		{"TcpExt", "PAWSActive", "paws_active"},
		{"TcpExt", "TWRecycled", "tw_recycled"},
		{"X", "a-b.c", "a_b_c"},
	}
	for _, tt := range tests {
		if got := snmpName(tt.section, tt.in); got != tt.want {
			t.Errorf("snmpName(%q, %q) = %q, want %q", tt.section, tt.in, got, tt.want)
		}
	}
}

// TestQuery checks what the exporter asks the source for: TCP sockets only, never
// owners (the process collector scans /proc itself, with a cache), no tcp_info, and a
// state mask when the collectors need only some states; no dump at all when no
// collector needs sockets.
func TestQuery(t *testing.T) {
	synRecv := analysis.StateSet(1<<netstat.SynRecv | 1<<netstat.NewSynRecv)
	for _, tt := range []struct {
		args   []string
		dumps  int
		states analysis.StateSet
	}{
		{nil, 1, 0},
		{[]string{"--collector.process"}, 1, 0},
		{[]string{"--collector.disable-defaults", "--collector.tcp"}, 1, 0},
		{[]string{"--collector.disable-defaults", "--collector.listen"}, 1, 1 << netstat.Listen},
		{[]string{"--collector.disable-defaults", "--collector.peers"}, 1, synRecv | 1<<netstat.TimeWait},
		{[]string{"--collector.disable-defaults", "--collector.listen", "--collector.peers"}, 1, synRecv | 1<<netstat.TimeWait | 1<<netstat.Listen},
		{[]string{"--collector.disable-defaults", "--collector.process"}, 1, analysis.AllStates &^ (1 << netstat.TimeWait)},
		{[]string{"--collector.disable-defaults", "--collector.process", "--collector.peers"}, 1, 0},
		{[]string{"--collector.disable-defaults", "--collector.snmp"}, 0, 0},
	} {
		fake := &sourcetest.Fake{}
		cfg, err := parseFlags(tt.args)
		if err != nil {
			t.Fatal(err)
		}
		e := newExporter(context.Background(), cfg, fake, fake, noOwners, time.Now, discardLogger())
		testutil.CollectAndCount(e.forScrape(t.Context(), time.Now()))
		if len(fake.Queries) != tt.dumps {
			t.Fatalf("%v: %d dumps in one scrape, want %d", tt.args, len(fake.Queries), tt.dumps)
		}
		if tt.dumps == 0 {
			continue
		}
		q := fake.Queries[0]
		want := source.Query{Protos: []netstat.Proto{netstat.TCP}, States: tt.states}
		if diff := cmp.Diff(want, q); diff != "" {
			t.Errorf("%v: query (-want +got):\n%s", tt.args, diff)
		}
	}
}
