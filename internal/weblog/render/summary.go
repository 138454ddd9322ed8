package render

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/netstat-go/netstat/internal/weblog/agg"
)

// Meta describes the input of a report.
type Meta struct {
	Format      string   `json:"format"`
	Files       []string `json:"files"`
	Lines       uint64   `json:"lines"`
	Malformed   uint64   `json:"malformed"`
	Bytes       uint64   `json:"input_bytes"`
	HasRespTime bool     `json:"has_response_time"`
	Top         int      `json:"top"`
}

// Count is a key and its count.
type Count struct {
	Key   string `json:"key"`
	Count uint64 `json:"count"`
}

// URLTime is the response-time percentiles of one path, in seconds.
type URLTime struct {
	Path  string  `json:"path"`
	Count uint64  `json:"count"`
	Mean  float64 `json:"mean"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

// Point is one time bucket of the timeline.
type Point struct {
	Start    int64  `json:"start"` // Unix seconds
	Requests uint64 `json:"requests"`
	C4xx     uint64 `json:"status_4xx"`
	C5xx     uint64 `json:"status_5xx"`
	Bytes    uint64 `json:"bytes"`
}

// Summary is every report of one pass, ready for rendering.
type Summary struct {
	Meta       Meta      `json:"input"`
	Requests   uint64    `json:"requests"`
	Filtered   uint64    `json:"filtered"`
	Bytes      uint64    `json:"bytes"`
	GiB        string    `json:"traffic_gib"`
	TopIPs     []Count   `json:"top_ips"`
	TopURLs    []Count   `json:"top_urls"`
	Status     []Count   `json:"status"`
	Largest    []string  `json:"largest"`
	Big        []Count   `json:"big"`
	Slowest    []string  `json:"slowest,omitempty"`
	Slow       []Count   `json:"slow,omitempty"`
	Errors     []Count   `json:"not_found"` // "404 /path" lines counted
	Domains    []Count   `json:"domains"`
	Crawlers   []Count   `json:"crawlers"`
	URLTimes   []URLTime `json:"response_times,omitempty"`
	Timeline   []Point   `json:"timeline"`
	BucketSecs int64     `json:"bucket_seconds"`
}

func counts(e []agg.Entry, n int) []Count {
	e = head(e, n)
	out := make([]Count, len(e))
	for i, x := range e {
		out[i] = Count{x.Key, x.Count}
	}
	return out
}

// Summarize builds the summary of merged aggregates. The response times, which
// take a quantile of every path's histogram, are worked out in a goroutine beside the
// rest.
func Summarize(s *agg.Set, m Meta) *Summary {
	n := m.Top
	var times []URLTime
	done := make(chan struct{})
	go func() {
		defer close(done)
		if m.HasRespTime {
			times = urlTimes(s.URLTimes, n)
		}
	}()
	sum := &Summary{
		Meta: m, Requests: s.Records, Filtered: s.Filtered, Bytes: s.Bytes, GiB: GiB(s.Bytes),
		TopIPs: counts(s.IPs.ByUniqCount(n), n), TopURLs: counts(s.URLs.ByUniqCount(n), n),
		Status: counts(s.Status.ByUniqCount(0), 0), Largest: head(s.Largest.Lines(), n),
		Big: counts(s.Big.ByUniqCount(n), n), Domains: counts(s.Domains.BySum(n), n),
		Crawlers: counts(s.Crawlers.ByUniqCount(n), n),
	}
	nf := s.WithStatus("404")
	sort.Slice(nf, func(i, j int) bool {
		if nf[i].Count != nf[j].Count {
			return nf[i].Count > nf[j].Count
		}
		return nf[i].Key < nf[j].Key
	})
	sum.Errors = counts(nf, n)
	if m.HasRespTime {
		sum.Slowest = head(s.Slowest.Lines(), n)
		sum.Slow = counts(s.Slow.ByUniqCount(n), n)
	}
	sum.Timeline, sum.BucketSecs = timeline(s.Timeline, 120)
	<-done
	sum.URLTimes = times
	return sum
}

// urlTimes returns the n paths (0: all) with the largest p95, with their percentiles.
func urlTimes(hists map[string]*agg.Hist, n int) []URLTime {
	// Every path's p95 orders them; the other figures are for the paths shown.
	type byP95 struct {
		path string
		h    *agg.Hist
		p95  float64
	}
	all := make([]byP95, 0, len(hists))
	for p, h := range hists {
		all = append(all, byP95{p, h, h.Quantile(0.95)})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].p95 != all[j].p95 {
			return all[i].p95 > all[j].p95
		}
		return all[i].path < all[j].path
	})
	var out []URLTime
	for _, u := range head(all, n) {
		h := u.h
		out = append(out, URLTime{Path: u.path, Count: h.N(), Mean: h.Mean(),
			P50: h.Quantile(0.50), P95: u.p95, P99: h.Quantile(0.99), Max: h.Max})
	}
	return out
}

// timeline re-buckets the per-minute counts into at most max buckets of a round size.
func timeline(t map[int64]*agg.Bucket, max int) ([]Point, int64) {
	if len(t) == 0 {
		return nil, 60
	}
	lo, hi := int64(1<<62), int64(-1<<62)
	for k := range t {
		lo, hi = min(lo, k), maxI(hi, k)
	}
	step := int64(60)
	for _, s := range []int64{60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800} {
		step = s
		if (hi-lo)/s+1 <= int64(max) {
			break
		}
	}
	first := lo - lo%step
	n := (hi-first)/step + 1
	pts := make([]Point, n)
	for i := range pts {
		pts[i].Start = first + int64(i)*step
	}
	for k, b := range t {
		p := &pts[(k-first)/step]
		p.Requests += b.Requests
		p.C4xx += b.C4xx
		p.C5xx += b.C5xx
		p.Bytes += b.Bytes
	}
	return pts, step
}

func maxI(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// JSON writes the summary as one indented JSON document.
func JSON(w io.Writer, s *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// Text writes the summary as titled sections; each count section is in its recipe's
// uniq -c layout.
func Text(w io.Writer, s *Summary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# input: %d lines (%d malformed), format %s; %d requests", s.Meta.Lines, s.Meta.Malformed, s.Meta.Format, s.Requests)
	if s.Filtered > 0 {
		fmt.Fprintf(&b, ", %d filtered out", s.Filtered)
	}
	fmt.Fprintf(&b, "\n\n# traffic (GiB)\n%s\n", s.GiB)
	section := func(title string, c []Count) {
		fmt.Fprintf(&b, "\n# %s\n", title)
		for _, x := range c {
			fmt.Fprintf(&b, "%7d %s\n", x.Count, x.Key)
		}
	}
	lines := func(title string, l []string) {
		fmt.Fprintf(&b, "\n# %s\n", title)
		for _, x := range l {
			b.WriteString(x + "\n")
		}
	}
	section("status codes", s.Status)
	section("top client addresses", s.TopIPs)
	section("top pages", s.TopURLs)
	section("not found (404)", s.Errors)
	lines("largest transfers (bytes ip [time path)", s.Largest)
	section("large transfers counted (over --min-bytes)", s.Big)
	if s.Meta.HasRespTime {
		lines("slowest requests (time ip [time path)", s.Slowest)
		section("slow requests counted (over --over)", s.Slow)
		fmt.Fprintf(&b, "\n# response times per path (seconds)\n%10s %10s %10s %10s %10s %8s %s\n", "p50", "p95", "p99", "max", "mean", "count", "path")
		for _, u := range s.URLTimes {
			fmt.Fprintf(&b, "%10.4f %10.4f %10.4f %10.4f %10.4f %8d %s\n", u.P50, u.P95, u.P99, u.Max, u.Mean, u.Count, u.Path)
		}
	}
	if len(s.Domains) > 0 && !(len(s.Domains) == 1 && s.Domains[0].Key == "") {
		fmt.Fprintf(&b, "\n# bytes per domain\n")
		for _, d := range s.Domains {
			fmt.Fprintf(&b, "%s\t%d\n", d.Key, d.Count)
		}
	}
	section("crawlers", s.Crawlers)
	_, err := io.WriteString(w, b.String())
	return err
}
