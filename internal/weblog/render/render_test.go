package render

import (
	"bytes"
	"testing"

	"github.com/netstat-go/netstat/internal/weblog/agg"
)

func TestTimelineBuckets(t *testing.T) {
	tl := map[int64]*agg.Bucket{}
	for m := int64(0); m < 24*60; m++ {
		tl[1_800_000_000+m*60] = &agg.Bucket{Requests: 1, Bytes: 10}
	}
	pts, step := timeline(tl, 120)
	if step != 900 || len(pts) > 120 {
		t.Fatalf("step %d, %d points; want 15-minute buckets, at most 120", step, len(pts))
	}
	var n uint64
	for _, p := range pts {
		n += p.Requests
	}
	if n != 24*60 {
		t.Errorf("%d requests in the buckets, want %d", n, 24*60)
	}
}

func TestRepeatedAndUniq(t *testing.T) {
	var b bytes.Buffer
	Repeated(&b, []agg.Entry{{Key: "404 /a", Count: 2}, {Key: "404 /b", Count: 1}}, 0)
	if b.String() != "404 /a\n404 /a\n404 /b\n" {
		t.Errorf("Repeated: %q", b.String())
	}
	b.Reset()
	UniqCounts(&b, []agg.Entry{{Key: "x", Count: 3}, {Key: "y", Count: 1}}, 1)
	if b.String() != "      3 x\n" {
		t.Errorf("UniqCounts: %q", b.String())
	}
}
