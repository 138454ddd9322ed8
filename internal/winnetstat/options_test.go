package winnetstat

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want Options
	}{
		{nil, Options{}},
		{[]string{"-ano"}, Options{All: true, Numeric: true, PID: true}},
		{[]string{"/a", "/N", "-O"}, Options{All: true, Numeric: true, PID: true}},
		{[]string{"-p", "tcp"}, Options{Proto: ProtoTCP, HasProto: true}},
		{[]string{"-anp", "UDPV6"}, Options{All: true, Numeric: true, Proto: ProtoUDPv6, HasProto: true}},
		{[]string{"-s", "-p", "icmpv6"}, Options{Stats: true, Proto: ProtoICMPv6, HasProto: true}},
		{[]string{"-ps", "ip"}, Options{Stats: true, Proto: ProtoIP, HasProto: true}},
		{[]string{"-e", "-s"}, Options{Ethernet: true, Stats: true}},
		{[]string{"-an", "5"}, Options{All: true, Numeric: true, Interval: 5}},
		{[]string{"5", "-r"}, Options{Route: true, Interval: 5}},
		{[]string{"/?"}, Options{Help: true}},
		{[]string{"-y"}, Options{Template: true}},
		{[]string{"-bv"}, Options{Exe: true, Verbose: true}},
		{[]string{"-an", "--filter", "dport = :443", "--count=state,raddr", "--json"}, Options{All: true, Numeric: true,
			Extension: Extension{Filter: "dport = :443", Count: []string{"state", "raddr"}, JSON: true}}},
	} {
		got, err := Parse(tc.args)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.args, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got)\n%s", tc.args, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		reason string
	}{
		{[]string{"-z"}, "unknown option"},
		{[]string{"-p"}, "-p needs a protocol"},
		{[]string{"-p", "sctp"}, "unknown protocol"},
		{[]string{"-p", "icmp"}, "for -s only"},
		{[]string{"-ya"}, "-y cannot be combined"},
		{[]string{"-y", "-n"}, "-y cannot be combined"},
		{[]string{"-y", "5"}, "-y cannot be combined"},
		{[]string{"0"}, "bad interval"},
		{[]string{"5", "6"}, "interval given twice"},
		{[]string{"tcp"}, "unknown argument"},
		{[]string{"--filter"}, "needs an argument"},
		{[]string{"--bogus"}, "unknown option"},
		{[]string{"-"}, "unknown argument"},
	} {
		_, err := Parse(tc.args)
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), tc.reason) {
			t.Errorf("Parse(%q) = %v, want a usage error containing %q", tc.args, err, tc.reason)
		}
	}
}

func TestUnsupported(t *testing.T) {
	o, err := Parse([]string{"-x", "-t", "-q", "-i"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"-i", "-q", "-t", "-x"}, o.Unsupported()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"-ano", "-s -p tcp", "-an 5", "/?", "-y", "-p", "--filter x", "-anp udpv6 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		o, err := Parse(strings.Fields(line))
		if err != nil {
			if !errors.Is(err, ErrUsage) {
				t.Fatalf("non-usage error %v", err)
			}
			return
		}
		if o.Template && len(strings.Fields(line)) > 1 && !strings.Contains(line, "--") {
			t.Fatalf("-y accepted with other options: %q", line)
		}
		if o.Interval < 0 {
			t.Fatalf("negative interval")
		}
	})
}
