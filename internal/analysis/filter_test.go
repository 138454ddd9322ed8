package analysis

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func sock(proto netstat.Proto, local, remote string, state netstat.TCPState) *netstat.Socket {
	l, r := netip.MustParseAddrPort(local), netip.MustParseAddrPort(remote)
	fam := netstat.IPv4
	if l.Addr().Is6() {
		fam = netstat.IPv6
	}
	return &netstat.Socket{Proto: proto, Family: fam, Local: l, Remote: r, State: state}
}

func TestMatch(t *testing.T) {
	est := sock(netstat.TCP, "127.0.0.1:80", "127.0.0.2:40000", netstat.Established)
	listen := sock(netstat.TCP, "0.0.0.0:80", "0.0.0.0:0", netstat.Listen)
	mapped := sock(netstat.TCP, "[::ffff:127.0.0.1]:8080", "[::ffff:127.0.0.7]:50000", netstat.Established)
	v6 := sock(netstat.TCP, "[::1]:8443", "[::1]:50001", netstat.TimeWait)
	udp := sock(netstat.UDP, "127.0.0.1:53", "0.0.0.0:0", netstat.Close)
	udpConn := sock(netstat.UDP, "127.0.0.13:5000", "127.0.0.1:53", netstat.Established)
	raw := sock(netstat.RAW, "0.0.0.0:1", "0.0.0.0:0", netstat.Close)
	all := []*netstat.Socket{est, listen, mapped, v6, udp, udpConn, raw}
	names := map[*netstat.Socket]string{est: "est", listen: "listen", mapped: "mapped", v6: "v6", udp: "udp", udpConn: "udpConn", raw: "raw"}

	tests := []struct {
		filter string
		want   []string
	}{
		{"sport = :80", []string{"est", "listen"}},
		{"sport != :80", []string{"mapped", "v6", "udp", "udpConn", "raw"}},
		{"sport = :1", []string{"raw"}}, // a raw socket's local port is its protocol
		{"dport = :0", []string{"listen", "udp", "raw"}},
		{"dport > :40000", []string{"mapped", "v6"}},
		{"dport >= :40000", []string{"est", "mapped", "v6"}},
		{"dport < :53", []string{"listen", "udp", "raw"}},
		{"dport <= :53", []string{"listen", "udp", "udpConn", "raw"}},
		{"src 127.0.0.1", []string{"est", "mapped", "udp"}}, // IPv4 prefixes match mapped addresses
		{"src ::ffff:127.0.0.1", []string{"mapped"}},        // IPv6 prefixes never match IPv4 sockets
		{"src 127.0.0.0/8", []string{"est", "mapped", "udp", "udpConn"}},
		{"src 0.0.0.0/0", []string{"est", "listen", "mapped", "udp", "udpConn", "raw"}},
		{"src ::/0", []string{"mapped", "v6"}},
		{"src 0.0.0.0", []string{"listen", "raw"}},
		{"dst 127.0.0.0/30", []string{"est", "udpConn"}},
		{"dst 127.0.0.4/30", []string{"mapped"}},
		{"dst [::1]:50001", []string{"v6"}},
		{"dst ::1", []string{"v6"}},
		{"src :80", []string{"est", "listen"}},
		{"src *:8080", []string{"mapped"}},
		{"src 127.0.0.1:80", []string{"est"}},
		{"src *", []string{"est", "listen", "mapped", "v6", "udp", "udpConn", "raw"}},
		{"state established", []string{"est", "mapped", "udpConn"}},
		{"state closed", []string{"udp", "raw"}},
		{"state connected", []string{"est", "mapped", "v6", "udpConn"}},
		{"exclude established", []string{"listen", "v6", "udp", "raw"}},
		{"state time-wait or state listening", []string{"listen", "v6"}},
		{"state time-wait state listening", []string{"listen", "v6"}},
		{"state established sport = :80", []string{"est"}},
		{"sport = :80 or sport = :8080 and dport > :40000", []string{"mapped"}}, // left to right
		{"sport = :80 or ( sport = :8080 and dport > :40000 )", []string{"est", "listen", "mapped"}},
		{"not ( src 127.0.0.0/8 or src ::/0 )", []string{"listen", "raw"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			e, err := ParseFilter(tt.filter, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range all {
				if e.Match(s) {
					got = append(got, names[s])
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatesOf(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		{"sport = :80", AllStates.Names()},
		{"state time-wait", []string{"time-wait"}},
		{"state time-wait and sport = :80", []string{"time-wait"}},
		{"state time-wait or sport = :80", AllStates.Names()},
		{"state time-wait or state syn-recv and dport = :1", []string{"syn-recv", "time-wait"}},
		{"not state listening", (AllStates &^ Bit(netstat.Listen)).Names()},
		{"not ( state listening and sport = :80 )", AllStates.Names()},
		{"not ( state listening or sport = :80 )", (AllStates &^ Bit(netstat.Listen)).Names()},
		{"state established and state listening", nil},
		{"exclude all", nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			e, err := ParseFilter(tt.filter, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, StatesOf(e).Names()); diff != "" {
				t.Errorf("StatesOf (-want +got):\n%s", diff)
			}
		})
	}
	if StatesOf(nil) != AllStates {
		t.Errorf("StatesOf(nil) = %b", StatesOf(nil))
	}
}
