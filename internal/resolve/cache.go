package resolve

import (
	"net/netip"
	"sync"
	"time"
)

// hostCache holds host-name answers, bounded in entries and in age: a one-shot
// listing sees every address at most once, but a live view or an exporter runs for
// days over addresses that come and go, and DNS answers change. Entries older than
// ttl are looked up again; when the cache is full the oldest entry goes. Safe for
// concurrent use.
type hostCache struct {
	mu    sync.Mutex
	max   int
	ttl   time.Duration // 0: entries never expire
	now   func() time.Time
	m     map[netip.Addr]cacheEntry
	order []netip.Addr // insertion order, a ring: order[head] is the oldest
	head  int
}

type cacheEntry struct {
	ans     hostAnswer
	expires time.Time
}

func newHostCache(max int, ttl time.Duration, now func() time.Time) *hostCache {
	return &hostCache{max: max, ttl: ttl, now: now, m: make(map[netip.Addr]cacheEntry)}
}

// load returns the answer for a, if one is cached and fresh.
func (c *hostCache) load(a netip.Addr) (hostAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[a]
	if !ok || (c.ttl > 0 && !c.now().Before(e.expires)) {
		return hostAnswer{}, false
	}
	return e.ans, true
}

// loadOrStore stores ans for a unless a fresh answer is cached already, and returns
// the answer now cached: the first answer wins, so that an address a deadline gave up
// on does not change its text halfway through a listing.
func (c *hostCache) loadOrStore(a netip.Addr, ans hostAnswer) hostAnswer {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if e, ok := c.m[a]; ok {
		if c.ttl == 0 || now.Before(e.expires) {
			return e.ans
		}
		// Expired: replaced in place, keeping its place in the ring.
		c.m[a] = cacheEntry{ans, now.Add(c.ttl)}
		return ans
	}
	if len(c.m) >= c.max {
		old := c.order[c.head]
		delete(c.m, old)
		c.order[c.head] = a
		c.head = (c.head + 1) % len(c.order)
	} else {
		c.order = append(c.order, a)
	}
	c.m[a] = cacheEntry{ans, now.Add(c.ttl)}
	return ans
}

// len is the number of cached answers, fresh or not.
func (c *hostCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
