package procnet

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

func TestParseInetLine(t *testing.T) {
	tests := []struct {
		name  string
		proto netstat.Proto
		line  string
		ok    bool
		want  netstat.Socket
	}{
		{
			name:  "tcp listen with accept queue",
			proto: netstat.TCP,
			line:  "   0: 0100007F:1B58 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 3706 1 000000006d2244ec 100 0 0 10 0",
			ok:    true,
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local:  netip.MustParseAddrPort("127.0.0.1:7000"),
				Remote: netip.MustParseAddrPort("0.0.0.0:0"),
				State:  10, RecvQ: 2, Inode: 3706},
		},
		{
			name:  "tcp6 v4-mapped with timer and uid",
			proto: netstat.TCP,
			line:  "   3: 0000000000000000FFFF00000100007F:2382 0000000000000000FFFF00000100007F:9C54 01 0000000A:00000014 02:000AFB2C 00000003  1000        2 56570 1 0000000000000000 20 4 30 10 -1",
			ok:    true,
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv6,
				Local:  netip.MustParseAddrPort("[::ffff:127.0.0.1]:9090"),
				Remote: netip.MustParseAddrPort("[::ffff:127.0.0.1]:40020"),
				State:  1, SendQ: 10, RecvQ: 20, Timer: 2, TimerTicks: 0xAFB2C, Retransmits: 3,
				UID: 1000, Probes: 2, Inode: 56570},
		},
		{
			name:  "udp forces retransmits to zero",
			proto: netstat.UDP,
			line:  " 123: 00000000:0035 00000000:0000 07 00000000:00000340 00:00000000 00000005     0        0 555 2 0000000000000000 0",
			ok:    true,
			want: netstat.Socket{Proto: netstat.UDP, Family: netstat.IPv4,
				Local:  netip.MustParseAddrPort("0.0.0.0:53"),
				Remote: netip.MustParseAddrPort("0.0.0.0:0"),
				State:  7, RecvQ: 0x340, Inode: 555},
		},
		{
			name:  "tcp needs eleven fields",
			proto: netstat.TCP,
			line:  "   0: 0100007F:1B58 00000000:0000 0A 00000000:00000002 00:00000000",
			ok:    false,
		},
		{
			name:  "udp accepts ten fields",
			proto: netstat.UDP,
			line:  "   0: 0100007F:1B58 00000000:0000 07 00000000:00000002 00:00000001",
			ok:    true,
			want: netstat.Socket{Proto: netstat.UDP, Family: netstat.IPv4,
				Local:  netip.MustParseAddrPort("127.0.0.1:7000"),
				Remote: netip.MustParseAddrPort("0.0.0.0:0"),
				State:  7, RecvQ: 2, TimerTicks: 1},
		},
		{name: "garbage", proto: netstat.RAW, line: "hello world", ok: false},
		{name: "empty", proto: netstat.TCP, line: "", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got netstat.Socket
			ok := ParseInetLine([]byte(tt.line), tt.proto, &got)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanInetFixture(t *testing.T) {
	for _, tc := range []struct {
		file  string
		proto netstat.Proto
		fam   netstat.Family
	}{
		{"testdata/tcp", netstat.TCP, netstat.IPv4},
		{"testdata/tcp6", netstat.TCP, netstat.IPv6},
		{"testdata/raw", netstat.RAW, netstat.IPv4},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			wantRows := strings.Count(string(data), "\n") - 1
			var warnings []string
			rows := 0
			err = ScanInet(strings.NewReader(string(data)), tc.proto, func(m string) { warnings = append(warnings, m) }, func(s *netstat.Socket) error {
				rows++
				if s.Family != tc.fam || s.Proto != tc.proto {
					t.Errorf("row %d: family %v proto %v", rows, s.Family, s.Proto)
				}
				return nil
			})
			if err != nil || len(warnings) != 0 || rows != wantRows {
				t.Errorf("rows = %d (want %d), warnings %q, err %v", rows, wantRows, warnings, err)
			}
		})
	}
}

func TestScanInetBogusLine(t *testing.T) {
	in := "header\nbogus\n   0: 0100007F:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n"
	var warnings []string
	rows := 0
	err := ScanInet(strings.NewReader(in), netstat.TCP, func(m string) { warnings = append(warnings, m) }, func(*netstat.Socket) error { rows++; return nil })
	if err != nil || rows != 1 || len(warnings) != 1 || warnings[0] != "warning, got bogus tcp line." {
		t.Errorf("rows=%d warnings=%q err=%v", rows, warnings, err)
	}
}

func FuzzParseInetLine(f *testing.F) {
	for _, file := range []string{"testdata/tcp", "testdata/tcp6", "testdata/raw"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, p := range []netstat.Proto{netstat.TCP, netstat.UDP, netstat.RAW} {
			var s netstat.Socket
			if ParseInetLine([]byte(line), p, &s) && s.Proto != p {
				t.Fatalf("proto %v became %v", p, s.Proto)
			}
		}
	})
}
