package weblog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/weblog/agg"
	"github.com/netstat-go/netstat/internal/weblog/gen"
	"github.com/netstat-go/netstat/internal/weblog/input"
	"github.com/netstat-go/netstat/internal/weblog/logfmt"
)

// TestScanChunksAgree checks that cutting a file into byte ranges (plain) or blocks
// (stream) of any size, with any number of workers, gives the generator's ground
// truth, and that malformed lines are numbered as in the file.
func TestScanChunksAgree(t *testing.T) {
	var buf bytes.Buffer
	g := gen.New(gen.Config{Seed: 5, Lines: 5000, Clients: 200, URLs: 100, Format: gen.CombinedTime})
	if _, err := g.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	out := strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")
	out[len(out)-1] += "\n"
	// Malformed lines at known places (1-based line numbers after insertion); the last
	// one has no newline.
	for _, b := range []struct {
		at   int
		line string
	}{{1, "garbage\n"}, {100, "1.2.3.4 - - [x] \"GET / HTTP/1.1\" abc 12 \"-\" \"-\" 0.1\n"}, {2500, "\n"}} {
		out = append(out[:b.at-1], append([]string{b.line}, out[b.at-1:]...)...)
	}
	out = append(out, "no newline at the end")
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, []byte(strings.Join(out, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := logfmt.Builtin(logfmt.CombinedTime)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &agg.Config{Want: agg.WantAll}
	for _, tc := range []struct {
		name    string
		workers int
		rng     int64
		block   int
		stream  bool
	}{
		{"one-range", 1, 1 << 30, 1 << 20, false},
		{"small-ranges", 3, 997, 1 << 20, false},
		{"tiny-ranges", 2, 61, 1 << 20, false},
		{"stream-blocks", 3, 1 << 20, 1500, true},
		{"stream-tiny", 2, 1 << 20, 64, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var src *input.Source
			if tc.stream {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				src, err = input.Open("-", f)
				if err != nil {
					t.Fatal(err)
				}
			} else {
				src, err = input.Open(path, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer src.Close()
			}
			set, st, err := scanChunks(context.Background(), []*input.Source{src}, plan, cfg, tc.workers, tc.rng, tc.block, nil)
			if err != nil {
				t.Fatal(err)
			}
			if st.Lines != uint64(len(out)) || st.Malformed != 4 {
				t.Errorf("lines %d malformed %d, want %d and 4", st.Lines, st.Malformed, len(out))
			}
			var at []uint64
			for _, b := range st.FirstBad {
				at = append(at, b.Line)
			}
			if diff := cmp.Diff([]uint64{1, 100, 2500, 5004}, at); diff != "" {
				t.Errorf("malformed line numbers (-want +got):\n%s", diff)
			}
			got := map[string]uint64{}
			for _, e := range set.IPs.Entries() {
				got[e.Key] = e.Count
			}
			if diff := cmp.Diff(g.Truth.IPs, got); diff != "" {
				t.Errorf("requests per client (-want +got):\n%s", diff)
			}
			if set.Bytes != g.Truth.Bytes || set.Records != g.Truth.Lines {
				t.Errorf("bytes %d records %d, want %d %d", set.Bytes, set.Records, g.Truth.Bytes, g.Truth.Lines)
			}
		})
	}
}
