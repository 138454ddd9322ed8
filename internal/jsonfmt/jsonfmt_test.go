package jsonfmt

import (
	"bytes"
	"encoding/json"
	"github.com/netstat-go/netstat/internal/analysis"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/jsonfmt/schematest"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// stdlibString is encoding/json's text for s, without HTML escaping.
func stdlibString(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestAppendString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "tab\tnl\ncr\rbs\bff\f", "\x00\x01\x1f\x7f",
		"<&>", "é ü 日本", "\u2028\u2029", "bad \xff\xfe utf8", "\xe2\x82", "@abstract\x00name",
	} {
		got := string(AppendString(nil, s))
		if want := stdlibString(t, s); got != want {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\xff", "\u2028", "\x00\t", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(AppendString([]byte("x"), s))
		if want := "x" + stdlibString(t, s); got != want {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// fakeNames knows a few names, for the name fields.
type fakeNames struct{}

func (fakeNames) HostName(a netip.Addr) (string, bool) {
	switch a.String() {
	case "127.0.0.1", "::1":
		return "localhost", true
	case "192.0.2.1":
		return "gw.example", true
	case "224.0.0.1":
		return "all-systems.mcast.net", true
	}
	return "", false
}

func (fakeNames) NetworkName(n uint32) (string, bool) {
	if n == 0x000a0001 {
		return "zeronet", true
	}
	if n == 0x0a000000 {
		return "tennet", true
	}
	return "", false
}

func (fakeNames) ServiceName(port uint16, proto string) (string, bool) {
	switch {
	case port == 22 && proto == "tcp":
		return "ssh", true
	case port == 6 && proto == "raw":
		return "tcp", true
	}
	return "", false
}

func (fakeNames) UserName(uid uint32) (string, bool) {
	if uid == 0 {
		return "root", true
	}
	return "", false
}

func schema(t *testing.T) *schematest.Schema {
	t.Helper()
	data, err := os.ReadFile("../../docs/json-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := schematest.Compile(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// decodeDoc checks that b is one valid document ending in a newline and returns it
// decoded.
func decodeDoc(t *testing.T, s *schematest.Schema, b []byte) map[string]any {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("}\n")) || bytes.Count(b, []byte("\n")) != 1 {
		t.Fatalf("not one JSON line: %q", b)
	}
	if err := s.Validate(b); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestSocketsDocument(t *testing.T) {
	sc := schema(t)
	tcp := netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.1:22"),
		Remote: ap("127.0.0.1:40000"), State: netstat.Established, RecvQ: 1, SendQ: 18446744073709551615,
		UID: 0, Inode: 4242, Timer: netstat.TimerKeepalive, TimerTicks: 76, Retransmits: 1, Probes: 0xffffffff}
	raw6 := netstat.Socket{Proto: netstat.RAW, Family: netstat.IPv6, Local: ap("[::ffff:10.0.0.1]:6"),
		Remote: ap("[::]:0"), State: 7, UID: 1000, Inode: 7, Timer: 5}
	udp := netstat.Socket{Proto: netstat.UDPLite, Family: netstat.IPv4, Local: ap("0.10.0.1:53"),
		Remote: ap("0.0.0.0:0"), State: 12, UID: 1, Inode: 8, Timer: 2}
	// A 34-byte name, which net-tools' text cuts to "812/sshd: root@pts/": JSON has
	// it whole, and every holder.
	const long = "sshd: root@pts/0 [priv] session 77"
	holders := func(inode uint64) []netstat.Process {
		if inode == 4242 {
			return []netstat.Process{{PID: 812, Name: long}, {PID: 901, Name: "sshd"}}
		}
		return nil
	}
	unix := []netstat.UnixSocket{
		{RefCnt: 2, Flags: netstat.UnixAcceptConn | 1<<18, Type: netstat.UnixStream, State: netstat.UnixUnconnected,
			HasInode: true, Inode: 4242, Path: "/run/a \"b\""},
		{RefCnt: 3, Type: netstat.UnixSeqPacket, State: netstat.UnixConnected, HasInode: true, Inode: 9},
		{RefCnt: 1, Type: 9, State: 9, Path: "@x\xff"},
	}
	for _, tt := range []struct {
		name string
		o    SocketOptions
		want string
	}{
		{"numeric", SocketOptions{}, `{"schema_version":2,"kind":"sockets","selection":"all","inet":[` +
			`{"proto":"tcp","family":"inet","recv_q":1,"send_q":18446744073709551615,"local_address":"127.0.0.1","local_port":22,"remote_address":"127.0.0.1","remote_port":40000,"state":"ESTABLISHED","uid":0,"inode":4242},` +
			`{"proto":"raw","family":"inet6","recv_q":0,"send_q":0,"local_address":"::ffff:10.0.0.1","local_port":6,"remote_address":"::","remote_port":0,"state":"CLOSE","uid":1000,"inode":7},` +
			`{"proto":"udplite","family":"inet","recv_q":0,"send_q":0,"local_address":"0.10.0.1","local_port":53,"remote_address":"0.0.0.0","remote_port":0,"state":"UNKNOWN","uid":1,"inode":8}],"unix":[` +
			`{"proto":"unix","refcnt":2,"flags":["ACC","N"],"type":"STREAM","state":"LISTENING","inode":4242,"path":"/run/a \"b\""},` +
			`{"proto":"unix","refcnt":3,"flags":[],"type":"SEQPACKET","state":"CONNECTED","inode":9,"path":null},` +
			`{"proto":"unix","refcnt":1,"flags":[],"type":"UNKNOWN","state":"UNKNOWN","inode":null,"path":"@x\ufffd"}]}` + "\n"},
		{"names, -p, -o", SocketOptions{HostNames: true, PortNames: true, UserNames: true, Programs: true, Timers: true},
			`{"schema_version":2,"kind":"sockets","selection":"all","inet":[` +
				`{"proto":"tcp","family":"inet","recv_q":1,"send_q":18446744073709551615,"local_address":"127.0.0.1","local_port":22,"remote_address":"127.0.0.1","remote_port":40000,"local_host":"localhost","remote_host":"localhost","local_service":"ssh","remote_service":null,"state":"ESTABLISHED","uid":0,"user":"root","inode":4242,"pid":812,"program":"sshd: root@pts/0 [priv] session 77","processes":[{"pid":812,"program":"sshd: root@pts/0 [priv] session 77"},{"pid":901,"program":"sshd"}],"timer":{"kind":"keepalive","code":2,"expires_ms":760,"retransmits":1,"probes":-1}},` +
				`{"proto":"raw","family":"inet6","recv_q":0,"send_q":0,"local_address":"::ffff:10.0.0.1","local_port":6,"remote_address":"::","remote_port":0,"local_host":null,"remote_host":null,"local_service":"tcp","remote_service":null,"state":"CLOSE","uid":1000,"user":null,"inode":7,"pid":null,"program":null,"processes":[],"timer":{"kind":"unknown","code":5,"expires_ms":0,"retransmits":0,"probes":0}},` +
				`{"proto":"udplite","family":"inet","recv_q":0,"send_q":0,"local_address":"0.10.0.1","local_port":53,"remote_address":"0.0.0.0","remote_port":0,"local_host":"zeronet","remote_host":null,"local_service":null,"remote_service":null,"state":"UNKNOWN","uid":1,"user":null,"inode":8,"pid":null,"program":null,"processes":[],"timer":{"kind":"on","code":2,"expires_ms":0,"retransmits":0,"probes":0}}],"unix":[` +
				`{"proto":"unix","refcnt":2,"flags":["ACC","N"],"type":"STREAM","state":"LISTENING","inode":4242,"pid":812,"program":"sshd: root@pts/0 [priv] session 77","processes":[{"pid":812,"program":"sshd: root@pts/0 [priv] session 77"},{"pid":901,"program":"sshd"}],"path":"/run/a \"b\""},` +
				`{"proto":"unix","refcnt":3,"flags":[],"type":"SEQPACKET","state":"CONNECTED","inode":9,"pid":null,"program":null,"processes":[],"path":null},` +
				`{"proto":"unix","refcnt":1,"flags":[],"type":"UNKNOWN","state":"UNKNOWN","inode":null,"pid":null,"program":null,"processes":[],"path":"@x\ufffd"}]}` + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := Open(nil, KindSockets)
			b = AppendKey(b, "selection")
			b = AppendString(b, Selection(true, false))
			b = append(b, `,"inet":[`...)
			var a Array
			for _, s := range []*netstat.Socket{&tcp, &raw6, &udp} {
				b = a.Next(b)
				b = AppendInetSocket(b, s, &tt.o, fakeNames{}, holders)
			}
			b = append(b, `],"unix":[`...)
			a = Array{}
			for i := range unix {
				b = a.Next(b)
				b = AppendUnixSocket(b, &unix[i], tt.o.Programs, holders)
			}
			b = Close(append(b, ']'))
			decodeDoc(t, sc, b)
			if diff := cmp.Diff(tt.want, string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestRoutesDocument(t *testing.T) {
	sc := schema(t)
	a := netip.MustParseAddr
	fib := []netstat.Route{
		{Iface: "eth0", Destination: a("0.0.0.0"), Gateway: a("192.0.2.1"), Mask: a("0.0.0.0"), Flags: netstat.RouteUp | netstat.RouteGateway, Metric: 100},
		{Iface: "eth0", Destination: a("10.0.0.0"), Gateway: a("0.0.0.0"), Mask: a("255.0.255.0"), Flags: netstat.RouteUp | 1<<11, MTU: 1500, Window: 2, IRTT: 3},
		{Iface: "lo", Destination: a("127.0.0.1"), Gateway: a("0.0.0.0"), Mask: a("255.255.255.255"), Flags: netstat.RouteUp | netstat.RouteHost, RefCnt: 1, Use: -1},
	}
	cache := netstat.CachedRoute{Iface: "eth0", Source: a("192.0.2.2"), Destination: a("127.0.0.1"), Gateway: a("192.0.2.1"),
		SpecDst: a("192.0.2.2"), Flags: netstat.RTCFLocal | netstat.RTCFOnLink | netstat.RouteGateway, TOS: 16}
	v6 := netstat.IPv6Route{Destination: a("::"), Source: a("::"), NextHop: a("fe80::1"), Metric: -1, RefCnt: 1,
		Flags: netstat.RouteUp | netstat.RouteGateway | netstat.RouteExpires, Iface: "eth0"}
	for _, names := range []bool{false, true} {
		b := Open(nil, KindRoutes)
		b = append(b, `,"tables":[`...)
		b = AppendRouteTableOpen(b, "inet", TableFIB, 0)
		for i := range fib {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendRoute(b, &fib[i], names, fakeNames{})
		}
		b = AppendRouteTableClose(b)
		b = append(b, ',')
		b = AppendRouteTableOpen(b, "inet", TableCache, netstat.RouteCache22)
		b = AppendCachedRoute(b, &cache, netstat.RouteCache22, names, fakeNames{})
		b = AppendRouteTableClose(b)
		b = append(b, ',')
		b = AppendRouteTableOpen(b, "inet", TableCache, netstat.RouteCache20)
		b = AppendCachedRoute(b, &cache, netstat.RouteCache20, names, fakeNames{})
		b = AppendRouteTableClose(b)
		b = append(b, ',')
		b = AppendRouteTableOpen(b, "inet6", TableFIB, 0)
		b = AppendIPv6Route(b, &v6, names, fakeNames{})
		b = AppendRouteTableClose(b)
		b = Close(append(b, ']'))
		doc := decodeDoc(t, sc, b)
		tables := doc["tables"].([]any)
		routes := tables[0].(map[string]any)["routes"].([]any)
		r1 := routes[1].(map[string]any)
		if r1["prefix_len"] != nil || r1["mss"] != json.Number("1500") {
			t.Errorf("non-contiguous mask route = %v", r1)
		}
		if got := r1["flags"]; !cmp.Equal(got, []any{"UP", "0x00000800"}) {
			t.Errorf("flags = %v", got)
		}
		c22 := tables[1].(map[string]any)["routes"].([]any)[0].(map[string]any)
		if got := c22["flags"]; !cmp.Equal(got, []any{"GATEWAY", "ONLINK", "LOCAL"}) {
			t.Errorf("2.2 cache flags = %v", got)
		}
		c20 := tables[2].(map[string]any)["routes"].([]any)[0].(map[string]any)
		if _, ok := c20["tos"]; ok {
			t.Errorf("2.0 layout has tos: %v", c20)
		}
		if got := c20["flags"]; !cmp.Equal(got, []any{"GATEWAY", "HOST", "LOCAL"}) {
			t.Errorf("2.0 cache flags = %v", got)
		}
		if names {
			want := []any{nil, "tennet", "localhost"}
			for i, r := range routes {
				if got := r.(map[string]any)["destination_name"]; got != want[i] {
					t.Errorf("route %d destination_name = %v, want %v", i, got, want[i])
				}
			}
			if got := routes[0].(map[string]any)["gateway_name"]; got != "gw.example" {
				t.Errorf("gateway_name = %v", got)
			}
		} else if _, ok := routes[0].(map[string]any)["gateway_name"]; ok {
			t.Error("gateway_name present with -n")
		}
	}
}

func TestInterfacesDocument(t *testing.T) {
	sc := schema(t)
	a := netip.MustParseAddr
	ifcs := []netstat.Interface{
		{Name: "eth0", Flags: netstat.IfUp | netstat.IfBroadcast | netstat.IfRunning | netstat.IfMulticast, HWType: netstat.HWEther,
			HWAddr: [8]byte{0x02, 0xfc, 0, 0, 0, 0xab}, MTU: 1500, TxQueueLen: 1000, HasIPv4: true,
			Addr: a("192.0.2.2"), Netmask: a("255.255.255.0"), Broadcast: a("192.0.2.255"),
			Stats: &netstat.IfaceStats{RxBytes: 1, TxCompressed: 18446744073709551615, Collisions: 3},
			Inet6: []netstat.Inet6Addr{{Addr: a("fe80::1"), PrefixLen: 64, Scope: 0x20}, {PrefixLen: 128, Scope: 0x90}}},
		{Name: "tun0", Flags: netstat.IfUp | netstat.IfPointToPoint, HWType: 65534, MTU: 1500, TxQueueLen: -1,
			HasIPv4: true, Addr: a("10.99.0.1"), Destination: a("10.99.0.2")},
		{Name: "down", HWType: netstat.HWLoopback},
	}
	b := Open(nil, KindInterfaces)
	b = append(b, `,"interfaces":[`...)
	for i := range ifcs {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendInterface(b, &ifcs[i])
	}
	b = Close(append(b, ']'))
	doc := decodeDoc(t, sc, b)
	list := doc["interfaces"].([]any)
	eth := list[0].(map[string]any)
	if eth["hw_address"] != "02:fc:00:00:00:ab" {
		t.Errorf("hw_address = %v", eth["hw_address"])
	}
	v6 := eth["ipv6"].([]any)
	if got := v6[1].(map[string]any); got["address"] != nil || !cmp.Equal(got["scope"], []any{"compat", "host"}) {
		t.Errorf("second inet6 = %v", got)
	}
	tun := list[1].(map[string]any)
	if tun["tx_queue_len"] != nil || tun["hw_address"] != nil || tun["stats"] != nil {
		t.Errorf("tun0 = %v", tun)
	}
	if v4 := tun["ipv4"].(map[string]any); v4["broadcast"] != nil || v4["destination"] != "10.99.0.2" || v4["netmask"] != nil {
		t.Errorf("tun0 ipv4 = %v", v4)
	}
	if down := list[2].(map[string]any); down["ipv4"] != nil || len(down["flags"].([]any)) != 0 {
		t.Errorf("down = %v", down)
	}
}

func TestGroupsDocument(t *testing.T) {
	sc := schema(t)
	ms := []netstat.Membership{
		{Family: netstat.IPv4, Iface: "lo", Users: 1, Group: netip.MustParseAddr("224.0.0.1")},
		{Family: netstat.IPv6, Iface: "eth0", Users: 2, Group: netip.MustParseAddr("ff02::1:ff00:1")},
	}
	for _, names := range []bool{false, true} {
		b := Open(nil, KindGroups)
		b = append(b, `,"groups":[`...)
		for i := range ms {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendMembership(b, &ms[i], names, fakeNames{})
		}
		b = Close(append(b, ']'))
		decodeDoc(t, sc, b)
		want := `{"family":"inet","interface":"lo","users":1,"group":"224.0.0.1"}`
		if names {
			want = `{"family":"inet","interface":"lo","users":1,"group":"224.0.0.1","group_host":"all-systems.mcast.net"}`
		}
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("names=%v: %s lacks %s", names, b, want)
		}
	}
}

func TestStatistics(t *testing.T) {
	sc := schema(t)
	sec := func(title string, names ...string) netstat.CounterSection {
		s := netstat.CounterSection{Title: title}
		for i, n := range names {
			s.Counters = append(s.Counters, netstat.Counter{Name: n, Value: uint64(i)})
		}
		return s
	}
	v4 := []netstat.CounterSection{sec("Ip", "Forwarding"), sec("Icmp", "InMsgs"), sec("IcmpMsg", "InType3"),
		sec("Tcp", "ActiveOpens", "ActiveOpens"), sec("Udp", "InDatagrams"), sec("UdpLite", "InDatagrams"),
		sec("TcpExt", "SyncookiesSent"), sec("IpExt", "InOctets"), sec("Sctp", "SctpCurrEstab")}
	v6 := []netstat.CounterSection{sec("Ip6", "Ip6InReceives"), sec("Icmp6", "Icmp6InMsgs"), sec("Udp6", "Udp6InDatagrams"),
		sec("UdpLite6", "UdpLite6InDatagrams")}
	titles := func(secs []netstat.CounterSection) []string {
		var out []string
		for _, s := range secs {
			out = append(out, s.Title)
		}
		return out
	}
	all := textfmt.StatSwitches{Raw: true, TCP: true, UDP: true, SCTP: true}
	for _, tt := range []struct {
		name string
		got  []netstat.CounterSection
		want []string
	}{
		{"-s", StatsIPv4(all, v4), []string{"Ip", "Icmp", "IcmpMsg", "Tcp", "Udp", "UdpLite", "TcpExt", "IpExt", "Sctp"}},
		{"-st", StatsIPv4(textfmt.StatSwitches{TCP: true}, v4), []string{"IcmpMsg", "Tcp", "UdpLite", "TcpExt", "IpExt"}},
		{"-sw", StatsIPv4(textfmt.StatSwitches{Raw: true}, v4), []string{"Ip", "Icmp", "IcmpMsg", "UdpLite", "IpExt"}},
		{"-s6", StatsIPv6(all, v6, v4), []string{"Ip6", "Icmp6", "Udp6", "UdpLite6", "Tcp", "TcpExt"}},
		{"-s6u", StatsIPv6(textfmt.StatSwitches{UDP: true}, v6, v4), []string{"Udp6", "UdpLite6"}},
		{"-s6 no snmp", StatsIPv6(all, v6, nil), []string{"Ip6", "Icmp6", "Udp6", "UdpLite6"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, titles(tt.got)); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
		})
	}
	b := AppendStatistics(nil, "inet", StatsIPv4(all, v4))
	decodeDoc(t, sc, b)
	if !bytes.Contains(b, []byte(`{"title":"Tcp","counters":{"ActiveOpens":0}}`)) {
		t.Errorf("repeated counter not collapsed to its first value: %s", b)
	}
	decodeDoc(t, sc, AppendStatistics(nil, "inet6", nil))
}

func TestStatesAndCounts(t *testing.T) {
	sc := schema(t)
	var c analysis.StateCounts
	for i := 0; i < 150; i++ {
		c.Add(netstat.SynRecv)
	}
	c.Add(0)
	c.Add(12)
	c.Add(netstat.Listen)
	doc := decodeDoc(t, sc, AppendStates(nil, []string{"inet", "inet6"}, &c))
	counts := doc["counts"].(map[string]any)
	if counts["SYN_RECV"] != json.Number("150") || counts["UNKNOWN"] != json.Number("2") || doc["total"] != json.Number("153") {
		t.Errorf("counts = %v total %v", counts, doc["total"])
	}
	f := doc["findings"].([]any)
	if len(f) != 1 || f[0].(map[string]any)["pattern"] != "syn_flood" {
		t.Errorf("findings = %v", f)
	}

	b := AppendCountsOpen(nil, []string{"state", "raddr"})
	b = AppendCount(b, []string{"ESTABLISHED", "10.0.0.1"}, 3)
	b = append(b, ',')
	b = AppendCount(b, []string{"TIME_WAIT", "10.0.0.2"}, 1)
	for _, total := range []int{4, -1} {
		got := string(decodeDocBytes(t, sc, AppendCountsClose(b, total)))
		want := `{"schema_version":2,"kind":"counts","keys":["state","raddr"],"groups":[{"keys":["ESTABLISHED","10.0.0.1"],"count":3},{"keys":["TIME_WAIT","10.0.0.2"],"count":1}],"total":4}` + "\n"
		if total < 0 {
			want = strings.Replace(want, `,"total":4`, "", 1)
		}
		if got != want {
			t.Errorf("counts document = %s, want %s", got, want)
		}
	}
}

func decodeDocBytes(t *testing.T, s *schematest.Schema, b []byte) []byte {
	t.Helper()
	decodeDoc(t, s, b)
	return b
}

func TestNames(t *testing.T) {
	if diff := cmp.Diff([]string{"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
		"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "UNKNOWN"}, StateNames()); diff != "" {
		t.Errorf("StateNames (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		mask string
		n    int
		ok   bool
	}{
		{"0.0.0.0", 0, true}, {"255.255.255.255", 32, true}, {"255.255.240.0", 20, true},
		{"255.0.255.0", 0, false}, {"0.0.0.1", 0, false}, {"::", 0, false},
	} {
		n, ok := PrefixLen(netip.MustParseAddr(tt.mask))
		if n != tt.n || ok != tt.ok {
			t.Errorf("PrefixLen(%s) = %d, %v", tt.mask, n, ok)
		}
	}
	if got := TimerKind(netstat.TCP, netstat.TimerProbe); got != "probe" {
		t.Errorf("TimerKind(tcp, 4) = %q", got)
	}
	if got := TimerKind(netstat.UDP, 3); got != "unknown" {
		t.Errorf("TimerKind(udp, 3) = %q", got)
	}
}

// BenchmarkAppendInetSocket measures one numeric IPv4 row, as `netstat -tan --json`
// writes it.
func BenchmarkAppendInetSocket(b *testing.B) {
	s := netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("10.0.0.1:443"),
		Remote: ap("192.0.2.77:51234"), State: netstat.Established, Inode: 123456, UID: 33}
	var o SocketOptions
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendInetSocket(buf[:0], &s, &o, nil, nil)
	}
}
