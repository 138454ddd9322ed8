package serve

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/internal/source"
)

// BenchmarkScrapeLive measures whole scrapes (the pass over the sockets, the counters,
// the exposition) of the network namespace it runs in, for profiles at a large
// population:
//
//	go test -c -o serve.test ./internal/serve
//	ip netns exec NS ./serve.test -test.run '^$' -test.bench ScrapeLive -test.cpuprofile cpu.out
//
// SERVE_BENCH_ARGS adds flags of netstat serve (e.g. "--collector.process").
func BenchmarkScrapeLive(b *testing.B) {
	cfg, err := parseFlags(strings.Fields(os.Getenv("SERVE_BENCH_ARGS")))
	if err != nil {
		b.Fatal(err)
	}
	src := source.NewLive(source.LiveOptions{})
	defer src.Close()
	h, err := newHandler(b.Context(), cfg, src, src, src.ScanHolders, discardLogger())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
