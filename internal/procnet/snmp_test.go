package procnet

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

// snmpSec builds a section from alternating names and values.
func snmpSec(title string, kv ...any) netstat.CounterSection {
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

const snmpMaxU64 = uint64(math.MaxUint64)

func TestParseSNMP(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []netstat.CounterSection
		wantErr error
	}{
		{"pairs", "Ip: A B\nIp: 1 2\nTcp: C\nTcp: 3\n",
			[]netstat.CounterSection{snmpSec("Ip", "A", 1, "B", 2), snmpSec("Tcp", "C", 3)}, nil},
		{"no final newline", "Ip: A\nIp: 1", []netstat.CounterSection{snmpSec("Ip", "A", 1)}, nil},
		{"empty title lines skipped", "\n\nIp: A\nIp: 1\n\n",
			[]netstat.CounterSection{snmpSec("Ip", "A", 1)}, nil},
		{"unknown titles and keys kept", "Zz: Future Other\nZz: 5 0\n",
			[]netstat.CounterSection{snmpSec("Zz", "Future", 5, "Other", 0)}, nil},
		{"strtoull values", "V: A B C D E F G\nV: -1 99999999999999999999 +7 -0 18446744073709551615 -18446744073709551615 -18446744073709551616\n",
			[]netstat.CounterSection{snmpSec("V", "A", snmpMaxU64, "B", snmpMaxU64, "C", 7, "D", 0, "E", snmpMaxU64, "F", 1, "G", snmpMaxU64)}, nil},
		{"non-numeric value zeroes the rest", "V: A B C\nV: 1x2 3 4\n",
			[]netstat.CounterSection{snmpSec("V", "A", 1, "B", 0, "C", 0)}, nil},
		{"lone sign converts nothing", "V: A B\nV: - 3\n",
			[]netstat.CounterSection{snmpSec("V", "A", 0, "B", 0)}, nil},
		{"fewer values", "V: A B C\nV: 1\n", []netstat.CounterSection{snmpSec("V", "A", 1, "B", 0, "C", 0)}, nil},
		{"more values", "V: A\nV: 1 2 3\n", []netstat.CounterSection{snmpSec("V", "A", 1)}, nil},
		{"separators", "V:\tA\t B\r  C\nV:\t1\v2\r 3\n",
			[]netstat.CounterSection{snmpSec("V", "A", 1, "B\r", 2, "C", 3)}, nil},
		{"value line title ignored", "V: A\nW: 4\n", []netstat.CounterSection{snmpSec("V", "A", 4)}, nil},
		{"value after second colon", "V: A B\nW: 4: 5\n", []netstat.CounterSection{snmpSec("V", "A", 4, "B", 0)}, nil},
		{"title with spaces and colons", "Spaced Title: K:x\nv: 2\n",
			[]netstat.CounterSection{snmpSec("Spaced Title", "K:x", 2)}, nil},
		{"empty section", "Empty:\nEmpty:\n", []netstat.CounterSection{{Title: "Empty"}}, nil},
		{"final title line ignored", "V: A\nV: 1\nDangling: B\n", []netstat.CounterSection{snmpSec("V", "A", 1)}, nil},
		{"NUL ends a line", "N: A B\x00C\nN: 1 2 3\nM: A\nM: 1\x00 2\n",
			[]netstat.CounterSection{snmpSec("N", "A", 1, "B", 2), snmpSec("M", "A", 1)}, nil},
		{"title line without colon", "V: A\nV: 1\nIcmp InMsgs\nIcmp: 1\nW: B\nW: 2\n",
			[]netstat.CounterSection{snmpSec("V", "A", 1)}, ErrSNMPFormat},
		{"empty value line", "V: A\n\nW: B\nW: 2\n", nil, ErrSNMPFormat},
		{"line starting with NUL", "\x00V: A\nV: 1\n", nil, ErrSNMPFormat},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSNMP(strings.NewReader(tt.in))
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSNMPReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("Ip: A\nIp: 1\n"), iotest.ErrReader(boom))
	got, err := ParseSNMP(r)
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want %v", err, boom)
	}
	if diff := cmp.Diff([]netstat.CounterSection{snmpSec("Ip", "A", 1)}, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

// TestParseSNMPFixtures parses files of kernel 6.18 and checks them against a naive
// reading (fields split on white space, decimal or -1), which is right for kernel output.
func TestParseSNMPFixtures(t *testing.T) {
	for _, c := range []string{"fresh", "traffic"} {
		for _, f := range []string{"snmp", "netstat"} {
			path := filepath.Join("testdata", "snmp", c, f)
			t.Run(c+"/"+f, func(t *testing.T) {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				got, err := ParseSNMP(strings.NewReader(string(data)))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(snmpNaive(t, string(data)), got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
	got, err := ParseSNMP(snmpOpen(t, "testdata/snmp/fresh/snmp"))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range got {
		titles = append(titles, s.Title)
	}
	want := []string{"Ip", "Icmp", "Tcp", "Udp", "UdpLite"}
	if diff := cmp.Diff(want, titles); diff != "" {
		t.Errorf("titles mismatch (-want +got):\n%s", diff)
	}
	if c := got[2].Counters[3]; c != (netstat.Counter{Name: "MaxConn", Value: snmpMaxU64}) {
		t.Errorf("Tcp counter 3 = %+v, want MaxConn -1", c)
	}
}

func snmpNaive(t *testing.T, data string) []netstat.CounterSection {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	var secs []netstat.CounterSection
	for i := 0; i+1 < len(lines); i += 2 {
		title, keys, _ := strings.Cut(lines[i], ":")
		_, vals, _ := strings.Cut(lines[i+1], ":")
		k, v := strings.Fields(keys), strings.Fields(vals)
		if len(k) != len(v) {
			t.Fatalf("%s: %d keys, %d values", title, len(k), len(v))
		}
		s := netstat.CounterSection{Title: title}
		for j := range k {
			n, err := strconv.ParseInt(v[j], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			s.Counters = append(s.Counters, netstat.Counter{Name: k[j], Value: uint64(n)})
		}
		secs = append(secs, s)
	}
	return secs
}

func snmpOpen(t *testing.T, path string) io.Reader {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// FuzzParseSNMP checks that ParseSNMP never panics, that what it returns respects the
// format's rules, and that it reads its own output back unchanged.
func FuzzParseSNMP(f *testing.F) {
	f.Add([]byte("Ip: A B\nIp: 1 -1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secs, err := ParseSNMP(strings.NewReader(string(data)))
		if err != nil && !errors.Is(err, ErrSNMPFormat) {
			t.Fatalf("unexpected error %v", err)
		}
		var b strings.Builder
		for _, s := range secs {
			if strings.ContainsAny(s.Title, ":\n\x00") {
				t.Fatalf("bad title %q", s.Title)
			}
			var keys, vals strings.Builder
			for _, c := range s.Counters {
				if c.Name == "" || strings.ContainsAny(c.Name, " \t\n\x00") {
					t.Fatalf("bad key %q", c.Name)
				}
				keys.WriteString(" " + c.Name)
				vals.WriteString(" " + strconv.FormatUint(c.Value, 10))
			}
			b.WriteString(s.Title + ":" + keys.String() + "\n" + s.Title + ":" + vals.String() + "\n")
		}
		again, err := ParseSNMP(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("re-reading %q: %v", b.String(), err)
		}
		if diff := cmp.Diff(secs, again); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}
