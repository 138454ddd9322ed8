package procnet

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

const devHeader = "Inter-|   Receive                                                |  Transmit\n" +
	" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"

func TestParseDev(t *testing.T) {
	long := "    v0:" + strings.Repeat(" ", 511-7-5) + "1 2 3" // exactly one fgets buffer
	tests := []struct {
		name string
		in   string
		want Dev
	}{
		{
			name: "kernel",
			in: devHeader +
				"    lo: 2998800    2100    0    0    0     0          0         0  2998800    2100    0    0    0     0       0          0\n" +
				"  ifb0:     140       2    0    2    0     0          0         0        0       0    0    0    0     0       0          0\n",
			want: Dev{Layout: DevLayoutFull, Entries: []DevEntry{
				{Name: "lo", Counters: []uint64{2998800, 2100, 0, 0, 0, 0, 0, 0, 2998800, 2100, 0, 0, 0, 0, 0, 0}},
				{Name: "ifb0", Counters: []uint64{140, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
			}},
		},
		{
			name: "layout without compressed",
			in:   "x\n face |bytes packets\n lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n",
			want: Dev{Layout: DevLayoutBytes, Entries: []DevEntry{
				{Name: "lo", Counters: []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}},
			}},
		},
		{
			name: "layout without bytes",
			in:   "x\n face |packets errs\n lo: 1 2 3 4 5 6 7 8 9 10 11 12 13\n",
			want: Dev{Layout: DevLayoutPackets, Entries: []DevEntry{
				{Name: "lo", Counters: []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
			}},
		},
		{
			// fgets fails on the second line, so the first is the layout header.
			name: "one header line",
			in:   "only one line with compressed",
			want: Dev{Layout: DevLayoutFull},
		},
		{name: "empty", in: "", want: Dev{Layout: DevLayoutPackets}},
		{
			name: "names",
			in: devHeader +
				"averyveryverylo: 1 2\n" + // 15 bytes: copying stops before the ':'
				"  eth0:1: 3 4\n" + // old alias form
				"abcdefghijklm:123: 5 6\n" + // alias cut at 15 bytes, digits left over
				"abc:: 7\n" + // alias without digits
				"v1 8 9\n" + // no colon at all
				"\n" + // empty name
				"a-name-longer-than-fifteen: 10\n",
			want: Dev{Layout: DevLayoutFull, Entries: []DevEntry{
				{Name: "averyveryverylo"},
				{Name: "eth0:1", Counters: []uint64{3, 4}},
				{Name: "abcdefghijklm:1", Counters: []uint64{23}},
				{Name: "abc:", Counters: []uint64{7}},
				{Name: "v1", Counters: []uint64{8, 9}},
				{Name: ""},
				{Name: "a-name-longer-t"},
			}},
		},
		{
			name: "numbers",
			in: devHeader +
				" a: -1 +5 18446744073709551615 18446744073709551616 -18446744073709551616 x 4\n" +
				" b: 1 2\x003 4\n" + // C strings end at NUL
				"\tc:\t1\r2\v3\f4\n",
			want: Dev{Layout: DevLayoutFull, Entries: []DevEntry{
				{Name: "a", Counters: []uint64{1<<64 - 1, 5, 1<<64 - 1, 1<<64 - 1, 1<<64 - 1}},
				{Name: "b", Counters: []uint64{1, 2}},
				{Name: "c", Counters: []uint64{1, 2, 3, 4}},
			}},
		},
		{
			// A line longer than net-tools' buffer is read by two fgets calls.
			name: "long line",
			in:   devHeader + long + "v1: 9\n",
			want: Dev{Layout: DevLayoutFull, Entries: []DevEntry{
				{Name: "v0", Counters: []uint64{1, 2, 3}},
				{Name: "v1", Counters: []uint64{9}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDev(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseDev mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDevFixture(t *testing.T) {
	f, err := os.Open("testdata/dev")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := ParseDev(f)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range d.Entries {
		names = append(names, e.Name)
		if e.Name != "averyveryverylo" && len(e.Counters) != 16 {
			t.Errorf("%s: %d counters, want 16", e.Name, len(e.Counters))
		}
	}
	want := []string{"lo", "v1", "v0", "br0", "tun0", "p15", "averyveryverylo", "ifb0", "pp1", "pp0"}
	if d.Layout != DevLayoutFull || !cmp.Equal(want, names) {
		t.Errorf("layout %d names %q, want 3 %q", d.Layout, names, want)
	}
}

func TestDevEntryApply(t *testing.T) {
	full := netstat.IfaceStats{
		RxBytes: 1, RxPackets: 2, RxErrors: 3, RxDropped: 4, RxFIFO: 5, RxFrame: 6, RxCompressed: 7, RxMulticast: 8,
		TxBytes: 9, TxPackets: 10, TxErrors: 11, TxDropped: 12, TxFIFO: 13, Collisions: 14, TxCarrier: 15, TxCompressed: 16,
	}
	seq := func(n int) []uint64 {
		var v []uint64
		for i := 1; i <= n; i++ {
			v = append(v, uint64(100+i))
		}
		return v
	}
	tests := []struct {
		name   string
		layout DevLayout
		in     []uint64
		want   netstat.IfaceStats
	}{
		{"full", DevLayoutFull, seq(16), netstat.IfaceStats{
			RxBytes: 101, RxPackets: 102, RxErrors: 103, RxDropped: 104, RxFIFO: 105, RxFrame: 106, RxCompressed: 107, RxMulticast: 108,
			TxBytes: 109, TxPackets: 110, TxErrors: 111, TxDropped: 112, TxFIFO: 113, Collisions: 114, TxCarrier: 115, TxCompressed: 116}},
		{"full, partial line keeps the rest", DevLayoutFull, seq(2), func() netstat.IfaceStats {
			s := full
			s.RxBytes, s.RxPackets = 101, 102
			return s
		}()},
		{"bytes: colls before carrier, multicast reset", DevLayoutBytes, seq(13), netstat.IfaceStats{
			RxBytes: 101, RxPackets: 102, RxErrors: 103, RxDropped: 104, RxFIFO: 105, RxFrame: 106, RxCompressed: 7,
			TxBytes: 107, TxPackets: 108, TxErrors: 109, TxDropped: 110, TxFIFO: 111, Collisions: 112, TxCarrier: 113, TxCompressed: 16}},
		{"packets: byte counters reset", DevLayoutPackets, seq(11), netstat.IfaceStats{
			RxPackets: 101, RxErrors: 102, RxDropped: 103, RxFIFO: 104, RxFrame: 105, RxCompressed: 7,
			TxPackets: 106, TxErrors: 107, TxDropped: 108, TxFIFO: 109, Collisions: 110, TxCarrier: 111, TxCompressed: 16}},
		{"packets, no counters", DevLayoutPackets, nil, func() netstat.IfaceStats {
			s := full
			s.RxBytes, s.TxBytes, s.RxMulticast = 0, 0, 0
			return s
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := full
			DevEntry{Name: "x", Counters: tt.in}.Apply(tt.layout, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Apply mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseDev(f *testing.F) {
	if b, err := os.ReadFile("testdata/dev"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(devHeader + "  eth0:1: 1 2\nabcdefghijklmno: 3\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDev(strings.NewReader(string(data)))
		if err != nil {
			t.Fatal(err)
		}
		if d.Layout < DevLayoutPackets || d.Layout > DevLayoutFull {
			t.Fatalf("layout %d", d.Layout)
		}
		for _, e := range d.Entries {
			if len(e.Name) > 15 || strings.ContainsAny(e.Name, " \t\n\v\f\r\x00") {
				t.Fatalf("bad name %q", e.Name)
			}
			if len(e.Counters) > d.Layout.columns() {
				t.Fatalf("%d counters for layout %d", len(e.Counters), d.Layout)
			}
			var s netstat.IfaceStats
			e.Apply(d.Layout, &s)
		}
	})
}
