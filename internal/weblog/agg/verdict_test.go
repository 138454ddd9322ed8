package agg

import (
	"fmt"
	"strings"
	"testing"
)

// TestVerdicts checks the cached answers against the function on keys that collide in
// the front (more keys than slots, short and long, revisited in several orders), that
// the function runs once per key while the map has room, and that keys past the
// bound still get the right answer.
func TestVerdicts(t *testing.T) {
	calls := map[string]int{}
	f := func(k string) bool { calls[k]++; return strings.Contains(k, "bot") }
	v := newVerdicts(f)
	var keys []string
	for i := 0; i < 3000; i++ {
		k := fmt.Sprintf("agent %d", i)
		switch i % 3 {
		case 1:
			k = fmt.Sprintf("Mozilla/5.0 (compatible; bot %d; +http://example.com/bot.html)", i)
		case 2:
			k = fmt.Sprint(i)
		}
		keys = append(keys, k)
	}
	keys = append(keys, "", "-", "bot")
	for round := 0; round < 3; round++ {
		for i := range keys {
			k := keys[(i*(round*2+1))%len(keys)]
			if got, want := v.get([]byte(k)), strings.Contains(k, "bot"); got != want {
				t.Fatalf("round %d: get(%q) = %v, want %v", round, k, got, want)
			}
		}
	}
	for k, n := range calls {
		if n != 1 {
			t.Errorf("f(%q) ran %d times, want once", k, n)
		}
	}
	if len(calls) != len(keys) {
		t.Errorf("f ran for %d keys, want %d", len(calls), len(keys))
	}
	// Past the bound: answers stay right, the map does not grow.
	for i := 0; i < cacheLimit+100; i++ {
		k := fmt.Sprintf("k%dbot", i)
		if !v.get([]byte(k)) {
			t.Fatalf("get(%q) = false", k)
		}
	}
	if v.keys.Len() != cacheLimit || len(v.yes) != cacheLimit {
		t.Errorf("table holds %d keys (%d verdicts), want the bound %d", v.keys.Len(), len(v.yes), cacheLimit)
	}
}

func TestVerdictsNoAllocOnHit(t *testing.T) {
	v := newVerdicts(func(k string) bool { return k == "yes" })
	keys := [][]byte{[]byte("yes"), []byte("no"), []byte("Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0")}
	for _, k := range keys {
		v.get(k)
	}
	// Keys missing the front are found in the table: still no allocation.
	if n := testing.AllocsPerRun(100, func() {
		for _, k := range keys {
			v.get(k)
		}
	}); n != 0 {
		t.Errorf("%v allocations per run of hits, want 0", n)
	}
}
