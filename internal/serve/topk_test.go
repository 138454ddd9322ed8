package serve

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

// addrN is the n-th test address.
func addrN(n int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), byte(n)})
}

// exactCounts is the oracle: counts in a map.
func exactCounts(stream []netip.Addr) map[netip.Addr]uint64 {
	m := map[netip.Addr]uint64{}
	for _, a := range stream {
		m[a]++
	}
	return m
}

func TestAddrCounterExactWithinCapacity(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var stream []netip.Addr
	for range 5000 {
		stream = append(stream, addrN(int(r.ExpFloat64()*20)%64)) // 64 addresses at most
	}
	c := newAddrCounter(64)
	for _, a := range stream {
		c.add(a)
	}
	want := exactCounts(stream)
	got := c.top(len(want))
	if len(got) != len(want) {
		t.Fatalf("%d addresses, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.count != want[e.addr] {
			t.Errorf("%v: %d, want %d", e.addr, e.count, want[e.addr])
		}
		if i > 0 && (got[i-1].count < e.count || got[i-1].count == e.count && got[i-1].addr.Compare(e.addr) > 0) {
			t.Errorf("not ranked: %v %d before %v %d", got[i-1].addr, got[i-1].count, e.addr, e.count)
		}
	}
	// The same stream after reset gives the same answer: nothing survives a reset.
	c.reset()
	for _, a := range stream {
		c.add(a)
	}
	if again := c.top(len(want)); len(again) != len(got) || again[0] != got[0] {
		t.Errorf("after reset: %v, want %v", again[:1], got[:1])
	}
}

// TestAddrCounterBounded feeds a SYN flood from spoofed addresses (every one distinct)
// mixed with three real heavy hitters: far more addresses than counters.
func TestAddrCounterBounded(t *testing.T) {
	const capacity = 100
	r := rand.New(rand.NewPCG(3, 4))
	var stream []netip.Addr
	heavy := []int{1 << 20, 1<<20 + 1, 1<<20 + 2}
	for i := range 50000 {
		switch {
		case i%5 == 0:
			stream = append(stream, addrN(heavy[0]))
		case i%7 == 0:
			stream = append(stream, addrN(heavy[1]))
		case i%11 == 0:
			stream = append(stream, addrN(heavy[2]))
		default:
			stream = append(stream, addrN(r.IntN(1<<20)))
		}
	}
	c := newAddrCounter(capacity)
	for _, a := range stream {
		c.add(a)
	}
	if len(c.heap) != capacity || len(c.pos) != capacity {
		t.Fatalf("%d counters, %d indexed, want %d", len(c.heap), len(c.pos), capacity)
	}
	want := exactCounts(stream)
	n := uint64(len(stream))
	// Every address above n/capacity is kept, and each kept count brackets the truth.
	kept := map[netip.Addr]addrCount{}
	for _, e := range c.heap {
		kept[e.addr] = e
		if tr := want[e.addr]; e.low() > tr || tr > e.count {
			t.Errorf("%v: true count %d outside [%d, %d]", e.addr, tr, e.low(), e.count)
		}
	}
	for a, tr := range want {
		if tr > n/capacity {
			if _, ok := kept[a]; !ok {
				t.Errorf("%v with %d of %d not kept", a, tr, n)
			}
		}
	}
	// The top three are the heavy hitters, with lower bounds; other holds the rest.
	top := c.top(3)
	if len(top) != 4 || top[3].addr.IsValid() {
		t.Fatalf("top(3) = %v, want 3 addresses and other", top)
	}
	var sum uint64
	for i, e := range top {
		sum += e.count
		if i < 3 {
			if e.addr != addrN(heavy[i]) {
				t.Errorf("top[%d] = %v, want %v", i, e.addr, addrN(heavy[i]))
			}
			if e.count > want[e.addr] || want[e.addr]-e.count > n/capacity {
				t.Errorf("%v: %d, true %d: not a lower bound within n/capacity", e.addr, e.count, want[e.addr])
			}
		}
	}
	if sum != n {
		t.Errorf("top(3) sums to %d, want %d", sum, n)
	}
}
