package sockdiag

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/netstat-go/netstat/netstat"
)

// The fixtures under testdata/captured are real kernel 6.18 replies recorded by
// TestInetSocketsPrivileged (SOCKDIAG_CAPTURE=dir) together with the /proc/net file
// read at the same moment: <file>.dump holds, per connection ("conn" line), the
// datagrams in hex, one per line; <file>.proc is the /proc text. TCP dumps were taken
// with Options.Timers.

// readCapture parses a .dump fixture into the datagrams of each connection.
func readCapture(t testing.TB, path string) [][][]byte {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var conns [][][]byte
	for _, line := range strings.Split(strings.TrimSpace(string(text)), "\n") {
		if line == "conn" {
			conns = append(conns, nil)
			continue
		}
		d, err := hex.DecodeString(line)
		if err != nil || len(conns) == 0 {
			t.Fatalf("%s: bad line %.40q: %v", path, line, err)
		}
		conns[len(conns)-1] = append(conns[len(conns)-1], d)
	}
	return conns
}

func TestCapturedDumps(t *testing.T) {
	for _, tc := range inetFiles[:6] { // no raw_diag on the capturing kernel
		t.Run(tc.file, func(t *testing.T) {
			base := filepath.Join("testdata", "captured", tc.file)
			conns := readCapture(t, base+".dump")
			proc, err := os.ReadFile(base + ".proc")
			if err != nil {
				t.Fatal(err)
			}
			want, err := parseProc(string(proc), tc.proto)
			if err != nil {
				t.Fatal(err)
			}
			if len(conns) != 1 {
				t.Fatalf("%d connections recorded, want 1", len(conns))
			}
			opts := Options{Timers: tc.proto == netstat.TCP}
			r, err := inetRequest(tc.proto, tc.fam, opts)
			if err != nil {
				t.Fatal(err)
			}
			k := &fakeKernel{t: t, script: []exchange{{req: AppendInetRequest(nil, 1, r), replies: conns[0]}}}
			// The /proc text read with the dump supplies what inet_diag lacks.
			fsys := fstest.MapFS{"net/" + tc.file: {Data: proc}}
			got, err := collect(NewClientProc(k.dial, fsys), tc.proto, tc.fam, opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := diffRows(want, got, opts.Timers, capturedTolerance); diff != "" {
				t.Errorf("replayed dump differs from /proc/net/%s:\n%s", tc.file, diff)
			}
		})
	}
}
