package textfmt

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

// statSec builds a section from alternating names and values.
func statSec(title string, kv ...any) netstat.CounterSection {
	s := netstat.CounterSection{Title: title}
	for i := 0; i+1 < len(kv); i += 2 {
		var v uint64
		switch x := kv[i+1].(type) {
		case int:
			v = uint64(x)
		case uint64:
			v = x
		}
		s.Counters = append(s.Counters, netstat.Counter{Name: kv[i].(string), Value: v})
	}
	return s
}

// The expected outputs below are /usr/bin/netstat's, captured by writing the sections as
// /proc/net files into a tmpfs mounted on /proc in a private mount namespace (the method
// of internal/cli/testdata/stats/capture.sh) and running the listed command line.
func TestAppendStatsIPv4(t *testing.T) {
	allOn := StatSwitches{Raw: true, TCP: true, UDP: true, SCTP: true}
	tcpOnly := StatSwitches{TCP: true}
	hist := []netstat.CounterSection{
		statSec("Icmp", "InMsgs", 1, "InEchos", 2, "OutMsgs", 0, "OutEchoReps", 2),
		statSec("IcmpMsg", "InType8", 2, "OutType0", 2, "OutType3", 0),
		statSec("Tcp", "ActiveOpens", 0),
		statSec("Late", "X", 1),
	}
	raw := []netstat.CounterSection{
		statSec("Ip", "Forwarding", 2, "DefaultTTL", 64, "InReceives", 0, "ForwDatagrams", 0, "FragCreates", 0, "Future", 5),
		statSec("Tcp", "RtoAlgorithm", 1, "RtoMin", 200, "RtoMax", 120000, "MaxConn", uint64(math.MaxUint64), "ActiveOpens", 7),
		statSec("TcpExt", "TW", 1, "TWKilled", 2, "TCPTimeouts", 3, "TCPHPHits", 0, "DelayedACKs", 0, "TCPPureAcks", 4),
	}
	sctp := []netstat.CounterSection{
		statSec("Ip", "InReceives", 1),
		statSec("Sctp", "SctpCurrEstab", 1, "SctpAborteds", 2, "SctpFoo", 3),
	}
	tests := []struct {
		name string // the netstat command line
		sw   StatSwitches
		secs []netstat.CounterSection
		want string
	}{
		{"-s histograms", allOn, hist, "Icmp:\n    1 ICMP messages received\n    ICMP input histogram:\n        echo requests: 2\n    0 ICMP messages sent\n    ICMP output histogram:\n        echo replies: 2\nIcmpMsg:\n        InType8: 2\n        OutType0: 2\nTcp:\n    0 active connection openings\nLate:\n    X: 1\n"},
		{"-st histograms", tcpOnly, hist, "IcmpMsg:\n    InType8: 2\n    OutType0: 2\nTcp:\n    0 active connection openings\nLate:\n    X: 1\n"},
		{"-sw histograms", StatSwitches{Raw: true}, hist, "Icmp:\n    1 ICMP messages received\n    ICMP input histogram:\n        echo requests: 2\n    0 ICMP messages sent\n    ICMP output histogram:\n        echo replies: 2\nIcmpMsg:\n        InType8: 2\n        OutType0: 2\nLate:\n    X: 1\n"},
		{"-s raw keys", allOn, raw, "Ip:\n    Forwarding: 2\n    0 total packets received\n    0 forwarded\n    Future: 5\nTcp:\n    7 active connection openings\nTcpExt:\n    1 TCP sockets finished time wait in fast timer\n    TWKilled: 2\n    TCPTimeouts: 3\n    0 packet headers predicted\n    4 acknowledgments not containing data payload received\n"},
		{"-su raw keys", StatSwitches{UDP: true}, raw, ""},
		{"-s huge", allOn, []netstat.CounterSection{statSec("Udp", "InDatagrams", uint64(math.MaxUint64), "NoPorts", 0)}, "Udp:\n    18446744073709551615 packets received\n    0 packets to unknown port received\n"},
		{"-s sctp", allOn, sctp, "Ip:\n    1 total packets received\nSctp:\n    1 Current Associations\n    2 Number of Aborteds \n    SctpFoo: 3\n"},
		{"-sS sctp", StatSwitches{SCTP: true}, sctp, "Sctp:\n    1 Current Associations\n    2 Number of Aborteds \n    SctpFoo: 3\n"},
		{"-st sctp", tcpOnly, sctp, ""},
		{"-s nothing", allOn, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendStatsIPv4(nil, tt.sw, tt.secs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppendStatsIPv6(t *testing.T) {
	allOn := StatSwitches{Raw: true, TCP: true, UDP: true, SCTP: true}
	tcpOnly := StatSwitches{TCP: true}
	snmp6 := []netstat.CounterSection{
		statSec("Ip6", "Ip6InReceives", 1, "Ip6OutForwDatagrams", 0, "Ip6InOctets", 5),
		statSec("Icmp6", "Icmp6InMsgs", 1, "Icmp6InEchos", 1, "Icmp6OutEchoReplies", 1, "Icmp6OutRouterAdvertisements", 4, "Icmp6InType128", 1),
		statSec("Udp6", "Udp6InDatagrams", 2),
		statSec("UdpLite6", "UdpLite6InDatagrams", 0),
		statSec("Tcp6", "Tcp6ActiveOpens", 2),
	}
	snmp := []netstat.CounterSection{
		statSec("Ip", "Forwarding", 2),
		statSec("Tcp", "ActiveOpens", 3),
		statSec("TcpFoo", "K", 1),
	}
	tests := []struct {
		name string
		sw   StatSwitches
		snmp []netstat.CounterSection
		want string
	}{
		{"-s -6", allOn, snmp, "Ip6:\n    1 total packets received\n    0 forwarded\n    Ip6InOctets: 5\nIcmp6:\n    1 ICMP messages received\n    ICMP input histogram:\n        echo requests: 1\n        ICMP output histogram:\n        echo replies: 1\n        Icmp6OutRouterAdvertisements: 4\n        Icmp6InType128: 1\nUdp6:\n    2 packets received\nUdpLite6:\nTcp6:\n    Tcp6ActiveOpens: 2\nTcp:\n    3 active connection openings\nTcpFoo:\n    K: 1\n"},
		{"-s -6 -u", StatSwitches{UDP: true}, snmp, "Udp6:\n    2 packets received\nUdpLite6:\nTcpFoo:\n    K: 1\n"},
		{"-s -6 -t", tcpOnly, snmp, "UdpLite6:\nTcp6:\n    Tcp6ActiveOpens: 2\nTcp:\n    3 active connection openings\nTcpFoo:\n    K: 1\n"},
		// /proc/net/snmp missing: the IPv6 part alone (the caller reports the error).
		{"-s -6 -t without snmp", tcpOnly, nil, "UdpLite6:\nTcp6:\n    Tcp6ActiveOpens: 2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendStatsIPv6(nil, tt.sw, snmp6, tt.snmp))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStatTables checks the transcription against Appendix B: table sizes, and which
// stored keys glibc's bsearch cannot find over the stored (partly unsorted) order.
func TestStatTables(t *testing.T) {
	tables := []struct {
		name       string
		tab        []statEntry
		size       int
		unfindable []string
	}{
		{"Iptab", ipTab, 19, []string{"Forwarding"}},
		{"Icmptab", icmpTab, 26, nil},
		{"Tcptab", tcpTab, 14, nil},
		{"Udptab", udpTab, 6, nil},
		{"Sctptab", sctpTab, 17, nil},
		{"Tcpexttab", tcpExtTab, 67, []string{
			"TCPDirectCopyFromPrequeue", "TCPDSACKOfoRecv", "TCPDSACKOfoSent", "TCPDSACKOldSent",
			"TCPDSACKRecv", "TCPDSackUndo", "TCPDSACKUndo", "TCPLoss", "TCPPrequeueDropped",
			"TCPRenoRecoveryFailed", "TCPRenoRecoveryFail", "TCPSackFailures",
			"TCPSackRecoveryFail", "TCPSackRecovery", "TCPSACKReneging", "TCPTimeouts", "TWKilled",
		}},
		{"Ip6tab", ip6Tab, 22, nil},
		{"Icmp6tab", icmp6Tab, 31, nil},
		{"Udp6tab", udp6Tab, 4, nil},
	}
	for _, tt := range tables {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.tab) != tt.size {
				t.Errorf("%d entries, want %d", len(tt.tab), tt.size)
			}
			var unfindable []string
			for i := range tt.tab {
				if statLookup(tt.tab, tt.tab[i].key) != &tt.tab[i] {
					unfindable = append(unfindable, tt.tab[i].key)
				}
			}
			if diff := cmp.Diff(tt.unfindable, unfindable); diff != "" {
				t.Errorf("unfindable keys mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// The kernel's name has no trailing space, the table's key has one.
	if e := statLookup(icmp6Tab, "Icmp6OutRouterAdvertisements"); e != nil {
		t.Errorf("Icmp6OutRouterAdvertisements found: %+v", *e)
	}
	if !slices.ContainsFunc(icmp6Tab, func(e statEntry) bool { return e.key == "Icmp6OutRouterAdvertisements " }) {
		t.Error("Icmp6tab lacks the key with the trailing space")
	}
}
