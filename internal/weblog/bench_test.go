package weblog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/netstat-go/netstat/internal/weblog/agg"
	"github.com/netstat-go/netstat/internal/weblog/gen"
	"github.com/netstat-go/netstat/internal/weblog/input"
	"github.com/netstat-go/netstat/internal/weblog/logfmt"
)

func benchScan(b *testing.B, want agg.Want) {
	var buf bytes.Buffer
	g := gen.New(gen.Config{Seed: 1, Lines: 200000, Clients: 4000, URLs: 3000, Format: gen.CombinedTime})
	if _, err := g.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "log")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	plan, _ := logfmt.Builtin(logfmt.CombinedTime)
	cfg := &agg.Config{Want: want, LargestN: 20, SlowestN: 20, MinBytes: 200000, Over: 30}
	b.SetBytes(int64(buf.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := input.Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := scan(context.Background(), []*input.Source{src}, plan, cfg, 1, nil); err != nil {
			b.Fatal(err)
		}
		src.Close()
	}
}

func BenchmarkScanTopIPs(b *testing.B) { benchScan(b, agg.WantIPs) }
func BenchmarkScanAll(b *testing.B)    { benchScan(b, agg.WantAll) }

// BenchmarkScanFile scans $WEBLOG_BENCH_FILE (a big generated log) when set, with
// one worker, for the aggregates of $WEBLOG_BENCH_REPORT (default top-ips; report:
// all of them), with --match $WEBLOG_BENCH_MATCH when set.
func BenchmarkScanFile(b *testing.B) {
	path := os.Getenv("WEBLOG_BENCH_FILE")
	if path == "" {
		b.Skip("WEBLOG_BENCH_FILE not set")
	}
	name := os.Getenv("WEBLOG_BENCH_REPORT")
	if name == "" {
		name = "top-ips"
	}
	spec, ok := reports[name]
	if !ok {
		b.Fatalf("WEBLOG_BENCH_REPORT=%q: no such report", name)
	}
	cfg := &agg.Config{Want: spec.want, LargestN: 20, SlowestN: 20, MinBytes: 200000, Over: 30, BotRE: regexp.MustCompile(defaultBotUA)}
	if m := os.Getenv("WEBLOG_BENCH_MATCH"); m != "" { // --match
		cfg.Match = regexp.MustCompile(m)
	}
	plan, _ := logfmt.Builtin(logfmt.CombinedTime)
	plan = plan.Needing(cfg.Fields())
	cpu := processCPU()
	defer func() {
		// CPU time is steadier than wall time on a shared machine.
		b.ReportMetric(float64(processCPU()-cpu)/1e6/float64(b.N), "cpu-ms/op")
	}()
	for i := 0; i < b.N; i++ {
		src, err := input.Open(path, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := scan(context.Background(), []*input.Source{src}, plan, cfg, 1, nil); err != nil {
			b.Fatal(err)
		}
		src.Close()
	}
}
