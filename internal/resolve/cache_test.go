package resolve

import (
	"context"
	"fmt"
	"net/netip"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

func TestHostCacheBoundsAndTTL(t *testing.T) {
	now := time.Unix(1000, 0)
	c := newHostCache(3, time.Minute, func() time.Time { return now })
	addr := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}) }
	for i := 1; i <= 3; i++ {
		c.loadOrStore(addr(i), hostAnswer{name: fmt.Sprint("h", i), ok: true})
	}
	// The first answer stored wins.
	if got := c.loadOrStore(addr(1), hostAnswer{}); got.name != "h1" {
		t.Errorf("second store replaced a fresh answer: %+v", got)
	}
	// A fourth address evicts the oldest.
	c.loadOrStore(addr(4), hostAnswer{name: "h4", ok: true})
	if c.len() != 3 {
		t.Errorf("cache holds %d entries, want at most 3", c.len())
	}
	if _, ok := c.load(addr(1)); ok {
		t.Error("oldest entry survived a full cache")
	}
	if a, ok := c.load(addr(4)); !ok || a.name != "h4" {
		t.Errorf("newest entry: %+v, %v", a, ok)
	}
	// After the TTL nothing is fresh, and a new answer replaces the old one.
	now = now.Add(time.Minute)
	if _, ok := c.load(addr(2)); ok {
		t.Error("expired entry still answered")
	}
	if got := c.loadOrStore(addr(2), hostAnswer{name: "new", ok: true}); got.name != "new" {
		t.Errorf("expired entry not replaced: %+v", got)
	}
	if c.len() != 3 {
		t.Errorf("replacing an expired entry changed the size to %d", c.len())
	}
}

func TestSystemResolve(t *testing.T) {
	etc := fstest.MapFS{
		"nsswitch.conf": {Data: []byte("hosts: files dns\n")},
		"hosts":         {Data: []byte("127.0.0.2 filehost\n")},
	}
	s := NewSystem(etc)
	var calls atomic.Int32
	slow := netip.MustParseAddr("192.0.2.99")
	s.dns = func(ctx context.Context, a netip.Addr) (string, bool) {
		calls.Add(1)
		if a == slow {
			<-ctx.Done() // a server that never answers
			return "", false
		}
		return "dns-" + a.String(), true
	}
	if !s.Slow() {
		t.Fatal("files dns: Slow() = false")
	}
	addrs := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("192.0.2.1"), slow}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	s.Resolve(ctx, addrs)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Resolve ignored its context: %v", d)
	}
	for _, tt := range []struct {
		a    netip.Addr
		name string
		ok   bool
	}{{addrs[0], "filehost", true}, {addrs[1], "dns-192.0.2.1", true}, {slow, "", false}} {
		name, ok, cached := s.CachedHostName(tt.a)
		if !cached || name != tt.name || ok != tt.ok {
			t.Errorf("CachedHostName(%v) = %q, %v, %v; want %q, %v, cached", tt.a, name, ok, cached, tt.name, tt.ok)
		}
	}
	n := calls.Load()
	s.Resolve(context.Background(), addrs) // all cached: no look-up
	if s.HostName(addrs[1]); calls.Load() != n {
		t.Errorf("cached addresses were looked up again (%d calls, want %d)", calls.Load(), n)
	}
	if _, _, cached := s.CachedHostName(netip.MustParseAddr("192.0.2.55")); cached {
		t.Error("an address never looked up reads as cached")
	}
}
