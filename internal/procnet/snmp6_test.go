package procnet

import (
	"bufio"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func TestParseSNMP6(t *testing.T) {
	long := "Ip6InHdrErrors" + strings.Repeat(" ", 1100) + "7\n"
	tests := []struct {
		name string
		in   string
		want []netstat.CounterSection
	}{
		{"sections", "Ip6InReceives 1\nIp6InDelivers\t2\nIcmp6InMsgs 3\nUdp6InDatagrams 4\nUdpLite6InDatagrams 5\n",
			[]netstat.CounterSection{
				snmpSec("Ip6", "Ip6InReceives", 1, "Ip6InDelivers", 2),
				snmpSec("Icmp6", "Icmp6InMsgs", 3),
				snmpSec("Udp6", "Udp6InDatagrams", 4),
				snmpSec("UdpLite6", "UdpLite6InDatagrams", 5),
			}},
		{"kernel padding", "Ip6InReceives                   \t40\n", []netstat.CounterSection{snmpSec("Ip6", "Ip6InReceives", 40)}},
		{"title is a substring, not a prefix", "Ip6A 1\nXIp6B 2\nIcmp6C 3\n",
			[]netstat.CounterSection{snmpSec("Ip6", "Ip6A", 1, "XIp6B", 2), snmpSec("Icmp6", "Icmp6C", 3)}},
		{"name without 6", "NoSixHere 4\nNoSixHereEither 5\nIp6X 6\n",
			[]netstat.CounterSection{snmpSec("NoSixHere", "NoSixHere", 4, "NoSixHereEither", 5), snmpSec("Ip6", "Ip6X", 6)}},
		{"value kept when missing", "Udp6A 7\nUdp6B\nUdp6C x\n",
			[]netstat.CounterSection{snmpSec("Udp6", "Udp6A", 7, "Udp6B", 7, "Udp6C", 7)}},
		{"blank lines repeat", "Udp6A 7\n\n \t\n",
			[]netstat.CounterSection{snmpSec("Udp6", "Udp6A", 7, "Udp6A", 7, "Udp6A", 7)}},
		{"values", "Udp6A -1\nUdp6B 99999999999999999999\nUdp6C +3\nUdp6D 12abc\n",
			[]netstat.CounterSection{snmpSec("Udp6", "Udp6A", snmpMaxU64, "Udp6B", snmpMaxU64, "Udp6C", 3, "Udp6D", 12)}},
		{"1023-byte pieces", "Ip6InReceives 9\n" + long,
			[]netstat.CounterSection{snmpSec("Ip6", "Ip6InReceives", 9, "Ip6InHdrErrors", 9), snmpSec("7", "7", 9)}},
		{"NUL ends a line", "Ip6A 3\x00 Ip6B 4\nIp6C 5",
			[]netstat.CounterSection{snmpSec("Ip6", "Ip6A", 3, "Ip6C", 5)}},
		{"blank first line", "\nIp6A 1\n",
			[]netstat.CounterSection{{Title: "", Counters: []netstat.Counter{{Name: "", Value: 0}, {Name: "Ip6A", Value: 1}}}}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSNMP6(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSNMP6Fixture(t *testing.T) {
	path := "testdata/snmp/traffic/snmp6"
	got, err := ParseSNMP6(snmpOpen(t, path))
	if err != nil {
		t.Fatal(err)
	}
	// Naive reading, right for kernel output: one "name value" per line.
	var want []netstat.CounterSection
	sc := bufio.NewScanner(snmpOpen(t, path))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		v, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		title := f[0][:strings.IndexByte(f[0], '6')+1]
		if len(want) == 0 || want[len(want)-1].Title != title {
			want = append(want, netstat.CounterSection{Title: title})
		}
		last := &want[len(want)-1]
		last.Counters = append(last.Counters, netstat.Counter{Name: f[0], Value: v})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	var titles []string
	for _, s := range got {
		titles = append(titles, s.Title)
	}
	if diff := cmp.Diff([]string{"Ip6", "Icmp6", "Udp6", "UdpLite6"}, titles); diff != "" {
		t.Errorf("titles mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSNMP6ReadError(t *testing.T) {
	boom := errors.New("boom")
	got, err := ParseSNMP6(io.MultiReader(strings.NewReader("Ip6A 1\n"), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want %v", err, boom)
	}
	if diff := cmp.Diff([]netstat.CounterSection{snmpSec("Ip6", "Ip6A", 1)}, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSCTPSNMP(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want netstat.CounterSection
	}{
		{"kernel format", "SctpCurrEstab                   \t1\nSctpActiveEstabs                \t2\n",
			snmpSec("Sctp", "SctpCurrEstab", 1, "SctpActiveEstabs", 2)},
		{"missing value skipped", "SctpA 1\nSctpNoValue \nSctpB\t\t2\n", snmpSec("Sctp", "SctpA", 1, "SctpB", 2)},
		{"leading space: empty name", "  SctpLeading 3\n", snmpSec("Sctp", "", 0)},
		{"strtoul values", "A -1\nB 12x\nC x\n", snmpSec("Sctp", "A", snmpMaxU64, "B", 12, "C", 0)},
		// "XY" has no separator; net-tools reads on in its buffer, where "A 12345\n"
		// left "2345\n" after the "XY\0" just written.
		{"stale buffer", "A 12345\nXY", snmpSec("Sctp", "A", 12345, "XY", 2345)},
		{"1023-byte pieces", "SctpA" + strings.Repeat(" ", 1100) + "6\nSctpB 7",
			snmpSec("Sctp", "", 6, "SctpB", 7)},
		{"empty", "", netstat.CounterSection{Title: "Sctp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSCTPSNMP(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSCTPSNMPFixture(t *testing.T) {
	got, err := ParseSCTPSNMP(snmpOpen(t, "testdata/snmp/sctp-snmp"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/snmp/sctp-snmp")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if got.Title != "Sctp" || len(got.Counters) != len(lines) {
		t.Fatalf("got %q with %d counters, want Sctp with %d", got.Title, len(got.Counters), len(lines))
	}
	if c := got.Counters[0]; c != (netstat.Counter{Name: "SctpAborteds", Value: 20}) {
		t.Errorf("first counter %+v", c)
	}
}

func FuzzParseSNMP6(f *testing.F) {
	f.Add([]byte("Ip6InReceives 1\nIcmp6InMsgs 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secs, err := ParseSNMP6(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range secs {
			for _, c := range s.Counters {
				if strings.ContainsAny(c.Name, " \t\n\v\f\r\x00") {
					t.Fatalf("bad name %q", c.Name)
				}
				if !strings.Contains(c.Name, s.Title) {
					t.Fatalf("name %q in section %q", c.Name, s.Title)
				}
				n++
			}
		}
		// One counter per fgets piece.
		pieces := 0
		for rest := data; len(rest) > 0; pieces++ {
			_, rest = snmpFgets(rest)
		}
		if n != pieces {
			t.Fatalf("%d counters for %d pieces", n, pieces)
		}
	})
}

func FuzzParseSCTPSNMP(f *testing.F) {
	f.Add([]byte("SctpCurrEstab                   \t1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sec, err := ParseSCTPSNMP(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		if sec.Title != "Sctp" {
			t.Fatalf("title %q", sec.Title)
		}
		for _, c := range sec.Counters {
			if strings.ContainsAny(c.Name, " \t\n\x00") {
				t.Fatalf("bad name %q", c.Name)
			}
		}
	})
}
