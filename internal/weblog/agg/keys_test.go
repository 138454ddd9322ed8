package agg

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestKeyIndex checks the numbering against a map: keys of every length (the empty
// one, ones that differ only in their last byte, ones around the 24 bytes a slot
// holds, long ones) numbered in first-seen order through several growths, found again
// afterwards, and unknown keys not found.
func TestKeyIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	x := newKeyIndex()
	want := map[string]int{}
	var order []string
	add := func(k string) {
		i, added := x.index([]byte(k))
		j, known := want[k]
		if added == known {
			t.Fatalf("index(%q): added %v, but known before: %v", k, added, known)
		}
		if !known {
			j = len(order)
			want[k] = j
			order = append(order, k)
		}
		if i != j {
			t.Fatalf("index(%q) = %d, want %d", k, i, j)
		}
	}
	add("")
	for n := 0; n < 20000; n++ {
		var k string
		switch r.IntN(5) {
		case 4:
			// 20 to 29 bytes: around the 24 a slot holds, differing at the end.
			k = fmt.Sprintf("/p/%0*d", 17+r.IntN(10), r.IntN(50))
		case 0:
			k = fmt.Sprintf("10.%d.%d.%d", r.IntN(4), r.IntN(256), r.IntN(256))
		case 1:
			k = fmt.Sprintf("/blog/post-%d.html", r.IntN(3000))
		case 2:
			k = fmt.Sprintf("%0200d", r.IntN(100))
		default:
			k = string([]byte{byte(r.IntN(3)), byte(r.IntN(3))})
		}
		add(k)
	}
	if x.Len() != len(order) {
		t.Fatalf("Len %d, want %d", x.Len(), len(order))
	}
	for i, k := range order {
		if got := string(x.key(i)); got != k {
			t.Fatalf("key(%d) = %q, want %q", i, got, k)
		}
		if got := x.lookup([]byte(k)); got != i {
			t.Fatalf("lookup(%q) = %d, want %d", k, got, i)
		}
	}
	for _, k := range []string{"10.9.9.9", "/blog/post-3000.html", "x", "\x00"} {
		if got := x.lookup([]byte(k)); got != -1 {
			t.Errorf("lookup(%q) = %d, want -1", k, got)
		}
	}
}

func TestCounterNoAllocOnHit(t *testing.T) {
	c := NewCounter()
	keys := [][]byte{[]byte("192.0.2.1"), []byte("/downloads/setup-0.exe"), []byte("2001:db8::1")}
	for _, k := range keys {
		c.Add(k, 1)
	}
	if n := testing.AllocsPerRun(100, func() {
		for _, k := range keys {
			c.Add(k, 1)
		}
	}); n != 0 {
		t.Errorf("%v allocations per run of hits, want 0", n)
	}
	// One Add before, one warm-up run and 100 measured runs.
	if got := c.Get("192.0.2.1"); got != 102 {
		t.Errorf("Get = %d, want 102", got)
	}
}
