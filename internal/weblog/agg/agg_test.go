package agg

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
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
	for _, e := range c.ByUniqCount() {
		got = append(got, e.Key)
	}
	// Equal counts: descending bytes, as sort -nr's reversed last-resort comparison.
	if want := "b a d c"; join(got) != want {
		t.Errorf("got %q want %q", join(got), want)
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
