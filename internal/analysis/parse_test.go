package analysis

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func testServices(name string) (uint16, bool) {
	ports := map[string]uint16{"http": 80, "ssh": 22, "https": 443, "domain": 53}
	p, ok := ports[name]
	return p, ok
}

// testHosts resolves a few names as /etc/hosts and DNS might.
func testHosts(name string) ([]netip.Addr, bool) {
	hosts := map[string][]netip.Addr{
		"localhost":   {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
		"two.example": {netip.MustParseAddr("127.0.0.2")},
		"mapped-host": {netip.MustParseAddr("::ffff:10.1.2.3")},
		"zoned-only":  {netip.MustParseAddr("fe80::1%eth0")},
		"db-1_a":      {netip.MustParseAddr("10.0.0.9"), netip.MustParseAddr("10.0.0.10"), netip.MustParseAddr("fd00::9")},
	}
	a, ok := hosts[name]
	return a, ok
}

func TestParseFilterHostNames(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"dst localhost", "(dst 127.0.0.1 or dst ::1)"},
		{"src two.example", "src 127.0.0.2"},
		{"dst localhost:80", "(dst 127.0.0.1:80 or dst [::1]:80)"},
		{"dst localhost:http", "(dst 127.0.0.1:80 or dst [::1]:80)"},
		{"dst localhost:*", "(dst 127.0.0.1 or dst ::1)"},
		{"dst != localhost", "not (dst 127.0.0.1 or dst ::1)"},
		{"not src two.example and sport = :22", "(not src 127.0.0.2 and sport = :22)"},
		{"dst mapped-host", "dst 10.1.2.3"},
		{"dst db-1_a", "((dst 10.0.0.9 or dst 10.0.0.10) or dst fd00::9)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseFilter(tt.in, ParseOptions{Service: testServices, Host: testHosts})
			if err != nil {
				t.Fatal(err)
			}
			if got := e.String(); got != tt.want {
				t.Errorf("ParseFilter(%q) = %s, want %s", tt.in, got, tt.want)
			}
			// The printed tree holds addresses only: it parses back without names.
			again, err := ParseFilter(e.String(), ParseOptions{})
			if err != nil || again.String() != tt.want {
				t.Errorf("%s does not parse back: %v", tt.want, err)
			}
		})
	}
	errs := []struct {
		in, want string
	}{
		{"dst nosuch.example", "unknown host 'nosuch.example' at offset 4"},
		{"dst zoned-only", "unknown host 'zoned-only' at offset 4"},
		{"dst localhost/8", "bad address 'localhost/8' at offset 4"},
		{"dst local+host", "bad address 'local+host' at offset 4"},
		{"dst 10.0.0", "bad address '10.0.0' at offset 4"},
		{"dst localhost:http2", "bad port 'localhost:http2' at offset 4"},
		{"dst [localhost]", "bad address '[localhost]' at offset 4"},
	}
	for _, tt := range errs {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseFilter(tt.in, ParseOptions{Service: testServices, Host: testHosts})
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseFilter(%q) error = %v, want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in   string
		want string // String() of the tree; "" for a nil Expr
	}{
		{"", ""},
		{"   ", ""},
		// ss's port conditions, every operator spelling.
		{"sport = :80", "sport = :80"},
		{"sport == :80", "sport = :80"},
		{"sport eq :80", "sport = :80"},
		{"sport :80", "sport = :80"},
		{"sport 80", "sport = :80"},
		{"dport != :22", "not dport = :22"},
		{"dport ne :22", "not dport = :22"},
		{"dport neq :22", "not dport = :22"},
		{"dport > :1024", "not dport <= :1024"},
		{"dport gt :1024", "not dport <= :1024"},
		{"dport < :1024", "not dport >= :1024"},
		{"dport lt :1024", "not dport >= :1024"},
		{"sport <= :1023", "sport <= :1023"},
		{"sport le :1023", "sport <= :1023"},
		{"sport leq :1023", "sport <= :1023"},
		{"sport >= :1024", "sport >= :1024"},
		{"sport ge :1024", "sport >= :1024"},
		{"sport geq :1024", "sport >= :1024"},
		{"sport = :http", "sport = :80"},
		{"sport = *", "src *"},
		{"sport != *", "not src *"},
		{"dport = :0", "dport = :0"},
		{"dport = :65535", "dport = :65535"},
		// Operators need no blanks.
		{"sport=:80", "sport = :80"},
		{"dport>=:1024&&dport<=:2000", "(dport >= :1024 and dport <= :2000)"},
		{"(sport=:22)||(dport=:22)", "(sport = :22 or dport = :22)"},
		{"!sport=:22", "not sport = :22"},
		// Addresses.
		{"src 127.0.0.1", "src 127.0.0.1"},
		{"src = 127.0.0.1", "src 127.0.0.1"},
		{"src == 127.0.0.1", "src 127.0.0.1"},
		{"dst != 127.0.0.1", "not dst 127.0.0.1"},
		{"dst 10.0.0.0/8", "dst 10.0.0.0/8"},
		{"dst 10.1.2.3/8", "dst 10.1.2.3/8"},
		{"dst 127.0.0.1:80", "dst 127.0.0.1:80"},
		{"dst 127.0.0.0/8:http", "dst 127.0.0.0/8:80"},
		{"dst 127.0.0.1:*", "dst 127.0.0.1"},
		{"dst :80", "dst *:80"},
		{"dst *:80", "dst *:80"},
		{"dst *", "dst *"},
		{"dst [::1]", "dst ::1"},
		{"dst [::1]:443", "dst [::1]:443"},
		{"dst [2001:db8::/32]:443", "dst [2001:db8::/32]:443"},
		{"dst ::1", "dst ::1"},
		{"dst ::ffff:127.0.0.1", "dst ::ffff:127.0.0.1"},
		{"dst 2001:db8::/32", "dst 2001:db8::/32"},
		{"src 0.0.0.0/0", "src 0.0.0.0/0"},
		// States: runs of state/exclude make one set, as ss's leading state filter.
		{"state established", "state established"},
		{"state TIME_WAIT", "state time-wait"},
		{"state established state syn-recv", "state established state syn-recv"},
		{"exclude listening", "state established state syn-sent state syn-recv state fin-wait-1 state fin-wait-2 state time-wait state closed state close-wait state last-ack state closing"},
		{"excl listening excl closed", "state established state syn-sent state syn-recv state fin-wait-1 state fin-wait-2 state time-wait state close-wait state last-ack state closing"},
		{"state connected exclude time-wait exclude syn-recv", "state established state syn-sent state fin-wait-1 state fin-wait-2 state close-wait state last-ack state closing"},
		{"state all", "state all"},
		{"state established exclude established", "exclude all"},
		{"state established dport = :80", "(state established and dport = :80)"},
		{"state established and state syn-recv", "(state established and state syn-recv)"},
		{"sport = :443 and state syn-recv", "(sport = :443 and state syn-recv)"},
		{"not state listening", "not state listening"},
		// Boolean structure: left to right, and/or of equal precedence, as in ss.
		{"sport = :1 or sport = :2 and dport = :3", "((sport = :1 or sport = :2) and dport = :3)"},
		{"sport = :1 and sport = :2 or dport = :3", "((sport = :1 and sport = :2) or dport = :3)"},
		{"sport = :1 or ( sport = :2 and dport = :3 )", "(sport = :1 or (sport = :2 and dport = :3))"},
		{"sport = :1 dport = :2", "(sport = :1 and dport = :2)"},
		{"sport = :1 & dport = :2 | dport = :3", "((sport = :1 and dport = :2) or dport = :3)"},
		{"not not sport = :1", "not not sport = :1"},
		{"! ( sport = :1 or dport = :1 )", "not (sport = :1 or dport = :1)"},
		{"( ( dst 127.0.0.2 ) )", "dst 127.0.0.2"},
		{"\tsport\n=\r:80 ", "sport = :80"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := ParseFilter(tt.in, ParseOptions{Service: testServices})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if e != nil {
				got = e.String()
			}
			if got != tt.want {
				t.Errorf("ParseFilter(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseFilterTree(t *testing.T) {
	e, err := ParseFilter("dst 127.0.0.0/8:80 or not sport >= :1024", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Or{
		&Host{Side: Remote, Prefix: netip.MustParsePrefix("127.0.0.0/8"), Port: 80},
		&Not{&PortCmp{Side: Local, Op: GE, Port: 1024}},
	}
	if diff := cmp.Diff(Expr(want), e, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

func TestParseFilterErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"foo", "unexpected 'foo' at offset 0"},
		{"sport = :80 foo", "unexpected 'foo' at offset 12"},
		{"sport = :80 and", "unexpected end of expression at offset 15"},
		{"sport = :80 or or", "unexpected 'or' at offset 15"},
		{"sport", "unexpected end of expression at offset 5"},
		{"sport =", "unexpected end of expression at offset 7"},
		{"sport = :http2", "bad port ':http2' at offset 8"},
		{"sport = :http", "bad port ':http' at offset 8"}, // no service database
		{"sport = :65536", "bad port ':65536' at offset 8"},
		{"sport = :-1", "bad port ':-1' at offset 8"},
		{"sport > *", "bad port '*' at offset 8"},
		{"sport = 1.2.3.4:80", "bad port '1.2.3.4:80' at offset 8"},
		{"dst 1.2.3", "bad address '1.2.3' at offset 4"},
		{"dst localhost", "bad address 'localhost' at offset 4"},
		{"dst 1.2.3.4/33", "bad address '1.2.3.4/33' at offset 4"},
		{"dst [::1", "bad address '[::1' at offset 4"},
		{"dst []:80", "bad address '[]:80' at offset 4"},
		{"dst [::1]x", "bad address '[::1]x' at offset 4"},
		{"dst *x", "bad address '*x' at offset 4"},
		{"dst fe80::1%eth0", "bad address 'fe80::1%eth0' at offset 4"},
		{"dst 127.0.0.1:http2", "bad port '127.0.0.1:http2' at offset 4"},
		{"dst > 127.0.0.1", "unexpected '>' at offset 4"},
		{"dst", "unexpected end of expression at offset 3"},
		{"state", "unexpected end of expression at offset 5"},
		{"state foo", "unknown state 'foo' at offset 6"},
		{"state established exclude bar", "unknown state 'bar' at offset 26"},
		{"state (", "unexpected '(' at offset 6"},
		{"(sport = :80", "unexpected end of expression at offset 12"},
		{"sport = :80)", "unexpected ')' at offset 11"},
		{"()", "unexpected ')' at offset 1"},
		{"not", "unexpected end of expression at offset 3"},
		{"and sport = :80", "unexpected 'and' at offset 0"},
		{"dev eth0", "unsupported condition 'dev' at offset 0"},
		{"autobound", "unsupported condition 'autobound' at offset 0"},
		{"fwmark = 0x1", "unsupported condition 'fwmark' at offset 0"},
		{"cgroup = /", "unsupported condition 'cgroup' at offset 0"},
		{"SPORT = :80", "unexpected 'SPORT' at offset 0"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseFilter(tt.in, ParseOptions{})
			if err == nil {
				t.Fatalf("ParseFilter(%q) succeeded", tt.in)
			}
			if _, ok := err.(*SyntaxError); !ok {
				t.Errorf("error of type %T, want *SyntaxError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q, want %q", err, tt.want)
			}
		})
	}
}

// FuzzParseFilter checks that the parser never panics, that every tree it builds
// prints as text that parses back to the same tree, and that StatesOf covers the state
// of every socket the tree matches.
func FuzzParseFilter(f *testing.F) {
	socks := fuzzSockets()
	f.Fuzz(func(t *testing.T, src string) {
		e, err := ParseFilter(src, ParseOptions{Service: testServices, Host: testHosts})
		if err != nil || e == nil {
			return
		}
		text := e.String()
		again, err := ParseFilter(text, ParseOptions{})
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", src, text, err)
		}
		if again.String() != text {
			t.Fatalf("%q printed as %q, which parses as %q", src, text, again.String())
		}
		states := StatesOf(e)
		for i := range socks {
			if e.Match(&socks[i]) && !states.Has(socks[i].State) {
				t.Fatalf("%q matches a socket in state %d but StatesOf is %b", src, socks[i].State, states)
			}
		}
	})
}

func fuzzSockets() []netstat.Socket {
	mk := func(proto netstat.Proto, local, remote string, state netstat.TCPState) netstat.Socket {
		l, r := netip.MustParseAddrPort(local), netip.MustParseAddrPort(remote)
		fam := netstat.IPv4
		if l.Addr().Is6() {
			fam = netstat.IPv6
		}
		return netstat.Socket{Proto: proto, Family: fam, Local: l, Remote: r, State: state}
	}
	var out []netstat.Socket
	for st := netstat.Established; st <= netstat.Closing; st++ {
		out = append(out,
			mk(netstat.TCP, "127.0.0.1:80", "127.0.0.2:40000", st),
			mk(netstat.TCP, "[::ffff:127.0.0.1]:8080", "[::ffff:10.0.0.1]:1023", st),
			mk(netstat.TCP, "[::1]:443", "[2001:db8::1]:22", st),
		)
	}
	return append(out,
		mk(netstat.UDP, "0.0.0.0:53", "0.0.0.0:0", netstat.Close),
		mk(netstat.RAW, "[::]:58", "[::]:0", netstat.Close),
	)
}
