package procnet

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

func TestParseUnixLine(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		hasInode bool
		ok       bool
		want     netstat.UnixSocket
	}{
		{"listener", "00000000359a9290: 00000002 00000000 00010000 0001 01  3713 @x", true, true,
			netstat.UnixSocket{RefCnt: 2, Flags: 1 << 16, Type: 1, State: 1, HasInode: true, Inode: 3713, Path: "@x"}},
		{"connecting no path", "00000000b11816f6: 00000003 00000000 00000000 0001 02     0", true, true,
			netstat.UnixSocket{RefCnt: 3, Type: 1, State: 2, HasInode: true}},
		{"path cut at space", "0000000000000000: 00000002 00000000 00000000 0002 01 14630 /tmp/nsw/with space", true, true,
			netstat.UnixSocket{RefCnt: 2, Type: 2, State: 1, HasInode: true, Inode: 14630, Path: "/tmp/nsw/with"}},
		{"no inode column", "0000000000000000: 00000002 00000000 00000000 0002 01 /p", false, true,
			netstat.UnixSocket{RefCnt: 2, Type: 2, State: 1, Path: "/p"}},
		{"five fields", "0000000000000000: 00000002 00000000 00000000 0002", true, false, netstat.UnixSocket{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got netstat.UnixSocket
			ok := ParseUnixLine([]byte(tt.line), tt.hasInode, &got)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestScanUnixFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/unix")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	err = ScanUnix(strings.NewReader(string(data)), func(m string) { t.Errorf("warning %q", m) }, func(u *netstat.UnixSocket) error {
		rows++
		if !u.HasInode {
			t.Errorf("row %d lost its inode column", rows)
		}
		return nil
	})
	if want := strings.Count(string(data), "\n") - 1; err != nil || rows != want {
		t.Errorf("rows = %d, want %d (err %v)", rows, want, err)
	}
}

func FuzzParseUnixLine(f *testing.F) {
	data, err := os.ReadFile("testdata/unix")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		f.Add(line, true)
	}
	f.Fuzz(func(t *testing.T, line string, hasInode bool) {
		var u netstat.UnixSocket
		if ParseUnixLine([]byte(line), hasInode, &u) && u.HasInode != hasInode {
			t.Fatal("HasInode changed")
		}
	})
}
