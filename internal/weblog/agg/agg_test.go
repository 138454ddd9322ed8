package agg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/weblog/awkcompat"
)

func TestHistQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h Hist
	var vals []float64
	for i := 0; i < 20000; i++ {
		v := math.Exp(r.NormFloat64()*2 - 3) // log-normal: µs to minutes
		vals = append(vals, v)
		h.Add(v)
	}
	sort.Float64s(vals)
	for _, q := range []float64{0.5, 0.95, 0.99, 1} {
		exact := vals[int(math.Ceil(q*float64(len(vals))))-1]
		got := h.Quantile(q)
		if got < exact || got > exact*1.0625 {
			t.Errorf("q%.2f = %g, exact %g: want within [exact, exact*1.0625]", q, got, exact)
		}
	}
}

func TestDomain(t *testing.T) {
	for in, want := range map[string]string{
		"http://a.example.com/x/y": "a.example.com",
		"http://a.example.com":     "a.example.com",
		"a.example.com:443":        "a.example.com",
		"[2001:db8::1]:443":        "[2001:db8::1]",
		"/local/path":              "path",
		"a/b":                      "",
	} {
		if got := string(Domain([]byte(in))); got != want {
			t.Errorf("Domain(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCounterUniqOrder(t *testing.T) {
	c := NewCounter()
	for _, k := range []string{"b", "a", "c", "a", "b", "d"} {
		c.Add([]byte(k), 1)
	}
	var got []string
	for _, e := range c.ByUniqCount(0) {
		got = append(got, e.Key)
	}
	// Equal counts: descending bytes, as sort -nr's reversed last-resort comparison.
	if want := "b a d c"; join(got) != want {
		t.Errorf("got %q want %q", join(got), want)
	}
}

// TestCounterFirst checks the first n entries of both orders, kept in a heap,
// against a sort of every entry: many equal counts, n below, at and above the number
// of keys.
func TestCounterFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 50 {
		c := NewCounter()
		keys := 1 + r.IntN(300)
		for range 2 * keys {
			c.Add([]byte(fmt.Sprintf("k%d", r.IntN(keys))), uint64(r.IntN(4)))
		}
		all := c.Entries()
		uniq := slices.Clone(all)
		sort.Slice(uniq, func(i, j int) bool {
			if uniq[i].Count != uniq[j].Count {
				return uniq[i].Count > uniq[j].Count
			}
			return uniq[i].Key > uniq[j].Key
		})
		sum := slices.Clone(all)
		sort.Slice(sum, func(i, j int) bool {
			if sum[i].Count != sum[j].Count {
				return sum[i].Count > sum[j].Count
			}
			return sum[i].Key < sum[j].Key
		})
		for _, n := range []int{0, 1, 2, 7, 20, c.Len() - 1, c.Len(), c.Len() + 1} {
			want := uniq
			if n > 0 && n < len(want) {
				want = want[:n]
			}
			if got := c.ByUniqCount(n); !slices.Equal(got, want) {
				t.Fatalf("round %d: ByUniqCount(%d) of %d keys:\ngot  %v\nwant %v", round, n, c.Len(), got, want)
			}
			want = sum
			if n > 0 && n < len(want) {
				want = want[:n]
			}
			if got := c.BySum(n); !slices.Equal(got, want) {
				t.Fatalf("round %d: BySum(%d) of %d keys:\ngot  %v\nwant %v", round, n, c.Len(), got, want)
			}
		}
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

// TestHistGrowAndMerge checks the histogram that grows by powers of two against
// counts over every bucket: values far apart, added in any order and merged from
// parts, give the same buckets and quantiles.
func TestHistGrowAndMerge(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var vals []float64
	for i := 0; i < 5000; i++ {
		vals = append(vals, math.Exp(r.NormFloat64()*4-2))
	}
	vals = append(vals, 0, 1e-9, 1e9, 0.5, 60, 60)
	var full [histBuckets]uint64
	for _, v := range vals {
		full[bucketOf(v)]++
	}
	var whole, a, b Hist
	for i, v := range vals {
		whole.Add(v)
		if i%3 == 0 {
			a.Add(v)
		} else {
			b.Add(v)
		}
	}
	var desc Hist // descending order grows the other way
	for i := len(vals) - 1; i >= 0; i-- {
		desc.Add(vals[i])
	}
	a.Merge(&b)
	for name, h := range map[string]*Hist{"whole": &whole, "merged": &a, "descending": &desc} {
		if h.N() != uint64(len(vals)) {
			t.Errorf("%s: N %d, want %d", name, h.N(), len(vals))
		}
		h.flush()
		var got [histBuckets]uint64
		got[0] = uint64(h.under)
		for i := range h.buckets() {
			got[int(h.lo)+i] += uint64(h.count(i))
		}
		if got != full {
			t.Errorf("%s: bucket counts differ from a count over every bucket", name)
		}
		if h.N() != uint64(len(vals)) || h.buckets() > histBuckets || h.lo%histSub != 0 {
			t.Errorf("%s: N %d, %d counts from %d", name, h.N(), len(h.counts), h.lo)
		}
		if h.Mean() != whole.Mean() {
			t.Errorf("%s: mean %v, whole %v: the order of the values changed it", name, h.Mean(), whole.Mean())
		}
		for _, q := range []float64{0.5, 0.95, 0.99} {
			if h.Quantile(q) != whole.Quantile(q) {
				t.Errorf("%s: q%.2f = %g, whole %g", name, q, h.Quantile(q), whole.Quantile(q))
			}
		}
	}
}

// TestURLStatuses counts status codes per path beyond the four kept inline, of every
// length, through a merge, and checks the status list's "CODE PATH" keys.
func TestURLStatuses(t *testing.T) {
	codes := []string{"200", "404", "301", "500", "503", "200", "2000", "1", "42", "404", "2000", "099"}
	var a, b urlStat
	want := map[string]uint64{}
	for i, c := range codes {
		want[c]++
		if i%2 == 0 {
			a.addStatus([]byte(c), 1)
		} else {
			b.addStatus([]byte(c), 1)
		}
	}
	b.statuses(func(code string, n uint64) { a.addStatus([]byte(code), n) })
	got := map[string]uint64{}
	a.statuses(func(code string, n uint64) {
		if _, dup := got[code]; dup {
			t.Errorf("code %q listed twice", code)
		}
		got[code] = n
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status counts (-want +got):\n%s", diff)
	}
}

// TestTopLinesBelow checks that skipping the lines Below rejects keeps the same n
// lines as offering every line, against a full sort -nr of all of them: numbers with
// ties, leading zeros, fractions, "-" and empty fields.
func TestTopLinesBelow(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	firsts := []string{"-", "0", "00", "0.0", "1", "01", "1.50", "1.5", "2", "10", "10.", "99", "100", "250000", "0250000", "1e3", "x", "61.250", "60.000", "60"}
	for _, n := range []int{1, 5, 20} {
		all := NewTopLines(0)
		skip := NewTopLines(n)
		var lines []string
		for i := 0; i < 3000; i++ {
			first := firsts[r.IntN(len(firsts))]
			if r.IntN(4) == 0 {
				first = fmt.Sprint(r.IntN(100000))
			}
			line := fmt.Sprintf("%s 10.0.0.%d [06/Dec/2026:10:00:%02d /p%d", first, r.IntN(9), r.IntN(60), r.IntN(50))
			lines = append(lines, line)
			all.Offer([]byte(line))
			if !skip.Below([]byte(first)) {
				skip.Offer([]byte(line))
			}
		}
		sort.Slice(lines, func(i, j int) bool { return awkcompat.SortNCompare([]byte(lines[i]), []byte(lines[j])) > 0 })
		if diff := cmp.Diff(lines[:n], skip.Lines()); diff != "" {
			t.Errorf("n=%d: kept lines (-sort -nr +got):\n%s", n, diff)
		}
		if diff := cmp.Diff(lines, all.Lines()); diff != "" {
			t.Errorf("n=0: lines (-sort -nr +got):\n%s", diff)
		}
	}
}

// TestHistWide counts past 65535 in one bucket, by Add and by Merge, and grows the
// histogram after its counts went to 32 bits.
func TestHistWide(t *testing.T) {
	var a, b Hist
	for range 70000 {
		a.Add(0.1)
	}
	for range 40000 {
		b.Add(0.1)
	}
	b.Add(1e6) // grows b far up
	if !a.wide || b.wide {
		t.Fatalf("wide: a %v (70000 in a bucket), b %v (40000)", a.wide, b.wide)
	}
	a.Add(1e-5) // grows a, wide, far down
	a.Merge(&b) // 110000 in one bucket
	a.flush()
	if a.N() != 110002 {
		t.Errorf("N %d, want 110002", a.N())
	}
	want := map[int]uint32{bucketOf(0.1): 110000, bucketOf(1e6): 1, bucketOf(1e-5): 1}
	for i := range a.buckets() {
		if c := a.count(i); c != want[int(a.lo)+i] {
			t.Errorf("bucket %d: %d, want %d", int(a.lo)+i, c, want[int(a.lo)+i])
		}
	}
	if q := a.Quantile(0.5); q < 0.1 || q > 0.1*1.0625 {
		t.Errorf("p50 %g, want 0.1 within 6.25%%", q)
	}
}
