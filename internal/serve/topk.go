package serve

import (
	"cmp"
	"net/netip"
	"slices"
)

// addrCounter counts addresses in bounded memory: at most capacity counters, kept by
// the Space-Saving algorithm (Metwally, Agrawal and El Abbadi, "Efficient computation
// of frequent and top-k elements in data streams", 2005). While at most capacity
// distinct addresses have been added, every count is exact. Beyond that, a new
// address takes over the smallest counter and inherits its count as an error bound:
// each kept address's true count lies between count-err and count, every address
// added more than n/capacity times is kept, and the counts still sum to n.
//
// The counters form a min-heap on count, so that the smallest is found at once.
type addrCounter struct {
	capacity int
	n        uint64
	pos      map[netip.Addr]int // address -> index in heap
	heap     []addrCount
}

// addrCount is one counter of an addrCounter.
type addrCount struct {
	addr       netip.Addr
	count, err uint64
}

// low is the count the address certainly has.
func (c addrCount) low() uint64 { return c.count - c.err }

func newAddrCounter(capacity int) *addrCounter {
	return &addrCounter{capacity: max(capacity, 1), pos: map[netip.Addr]int{}}
}

// reset forgets every count, keeping the memory.
func (c *addrCounter) reset() {
	c.n = 0
	clear(c.pos)
	c.heap = c.heap[:0]
}

// add counts one occurrence of a.
func (c *addrCounter) add(a netip.Addr) {
	c.n++
	if i, ok := c.pos[a]; ok {
		c.heap[i].count++
		c.down(i)
		return
	}
	if len(c.heap) < c.capacity {
		c.heap = append(c.heap, addrCount{addr: a, count: 1})
		c.pos[a] = len(c.heap) - 1
		c.up(len(c.heap) - 1)
		return
	}
	least := c.heap[0]
	delete(c.pos, least.addr)
	c.heap[0] = addrCount{addr: a, count: least.count + 1, err: least.count}
	c.pos[a] = 0
	c.down(0)
}

// top returns the top addresses, each with the count it certainly has (exact while
// nothing was evicted), most first, ties in address order; then, when more addresses
// were counted, one entry with an invalid address holding the rest of n, so that the
// counts returned sum to n.
func (c *addrCounter) top(top int) []addrCount {
	all := slices.Clone(c.heap)
	slices.SortFunc(all, func(a, b addrCount) int {
		return cmp.Or(cmp.Compare(b.low(), a.low()), a.addr.Compare(b.addr))
	})
	out := all[:min(top, len(all)):min(top, len(all))]
	rest := c.n
	for i := range out {
		out[i] = addrCount{addr: out[i].addr, count: out[i].low()}
		rest -= out[i].count
	}
	if len(all) > top || rest > 0 {
		out = append(out, addrCount{count: rest})
	}
	return out
}

func (c *addrCounter) less(i, j int) bool { return c.heap[i].count < c.heap[j].count }

func (c *addrCounter) swap(i, j int) {
	c.heap[i], c.heap[j] = c.heap[j], c.heap[i]
	c.pos[c.heap[i].addr] = i
	c.pos[c.heap[j].addr] = j
}

func (c *addrCounter) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !c.less(i, p) {
			return
		}
		c.swap(i, p)
		i = p
	}
}

func (c *addrCounter) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(c.heap) {
			return
		}
		m := l
		if r := l + 1; r < len(c.heap) && c.less(r, l) {
			m = r
		}
		if !c.less(m, i) {
			return
		}
		c.swap(i, m)
		i = m
	}
}
