package serve

import (
	"context"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

// gate is a fetch that blocks until released and returns its call number.
type gate struct {
	calls   atomic.Int32
	started chan int32
	release chan struct{}
}

func newGate() *gate {
	return &gate{started: make(chan int32, 10), release: make(chan struct{}, 10)}
}

func (g *gate) fetch(ctx context.Context) (int32, error) {
	n := g.calls.Add(1)
	g.started <- n
	select {
	case <-g.release:
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// clock is a fake clock that moves one second per reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func TestSharedQueuesLateArrivals(t *testing.T) {
	g := newGate()
	clk := &clock{t: time.Unix(0, 0)}
	s := newShared(t.Context(), time.Minute, clk.now, g.fetch)
	type result struct {
		name string
		n    int32
	}
	results := make(chan result, 3)
	get := func(name string, arrived time.Time) {
		n, err := s.get(t.Context(), arrived)
		if err != nil {
			t.Error(err)
		}
		results <- result{name, n}
	}
	go get("a", clk.now())
	if n := <-g.started; n != 1 {
		t.Fatalf("first fetch is call %d", n)
	}
	// b and c arrive while fetch 1 runs: they must not get it, and share fetch 2.
	b, c := clk.now(), clk.now()
	go get("b", b)
	go get("c", c)
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.next != nil && s.next.waiters == 2 })
	if n := g.calls.Load(); n != 1 {
		t.Fatalf("%d fetches while the first runs, want 1", n)
	}
	g.release <- struct{}{}
	if r := <-results; r != (result{"a", 1}) {
		t.Fatalf("got %+v first, want a from fetch 1", r)
	}
	if n := <-g.started; n != 2 {
		t.Fatalf("second fetch is call %d", n)
	}
	g.release <- struct{}{}
	got := map[string]int32{}
	for range 2 {
		r := <-results
		got[r.name] = r.n
	}
	if got["b"] != 2 || got["c"] != 2 {
		t.Errorf("b and c got fetches %v, want both 2", got)
	}
	if n := g.calls.Load(); n != 2 {
		t.Errorf("%d fetches for three callers, want 2", n)
	}
}

func TestSharedJoinsFetchStartedAfterArrival(t *testing.T) {
	g := newGate()
	clk := &clock{t: time.Unix(0, 0)}
	s := newShared(t.Context(), time.Minute, clk.now, g.fetch)
	early := clk.now() // arrived, but asked only after the fetch below started
	done := make(chan int32, 2)
	go func() { n, _ := s.get(t.Context(), clk.now()); done <- n }()
	<-g.started
	go func() { n, _ := s.get(t.Context(), early); done <- n }()
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.running.waiters == 2 })
	g.release <- struct{}{}
	if a, b := <-done, <-done; a != 1 || b != 1 {
		t.Errorf("got fetches %d and %d, want both 1 (the fetch started after both arrived)", a, b)
	}
	if n := g.calls.Load(); n != 1 {
		t.Errorf("%d fetches, want 1", n)
	}
}

func TestSharedCallerDeadline(t *testing.T) {
	g := newGate()
	s := newShared(t.Context(), time.Minute, time.Now, g.fetch)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.get(ctx, time.Now()); err != context.DeadlineExceeded {
		t.Errorf("got %v, want the caller's deadline", err)
	}
	g.release <- struct{}{} // let the fetch end
}

func TestSharedFetchTimeout(t *testing.T) {
	g := newGate()
	s := newShared(t.Context(), 20*time.Millisecond, time.Now, g.fetch)
	if _, err := s.get(t.Context(), time.Now()); err != context.DeadlineExceeded {
		t.Errorf("got %v, want the fetch's own deadline", err)
	}
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 500 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not reached in 5 s")
}

// slowSource counts snapshots; each takes until released.
type slowSource struct {
	calls   atomic.Int32
	entered chan struct{}
	release chan struct{}
}

func (s *slowSource) Stream(ctx context.Context, q source.Query, v source.Visit) (*source.Streamed, error) {
	s.calls.Add(1)
	s.entered <- struct{}{}
	select {
	case <-s.release:
		fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}}
		return fake.Stream(ctx, q, v)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// TestConcurrentScrapesShareSnapshots sends ten scrapes while a snapshot is being
// taken: they must cost one more snapshot, not ten, and all succeed.
func TestConcurrentScrapesShareSnapshots(t *testing.T) {
	src := &slowSource{entered: make(chan struct{}, 10), release: make(chan struct{})}
	exp := newExporter(t.Context(), testConfig(t, "--no-collector.snmp"), src, &sourcetest.Fake{}, noOwners, time.Now, discardLogger())
	h := &metricsHandler{exp: exp, self: prometheus.NewRegistry(), timeout: time.Minute, log: discardLogger()}
	scrape := func() string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	bodies := make(chan string, 11)
	var wg sync.WaitGroup // all eleven: the first may end after the ten on a busy machine
	wg.Go(func() { bodies <- scrape() })
	<-src.entered
	for range 10 {
		wg.Go(func() { bodies <- scrape() })
	}
	// Once the ten have queued for the next snapshot, let both snapshots finish.
	waitFor(t, func() bool {
		exp.tallies.mu.Lock()
		defer exp.tallies.mu.Unlock()
		return exp.tallies.next != nil && exp.tallies.next.waiters == 10
	})
	close(src.release)
	wg.Wait()
	close(bodies)
	for b := range bodies {
		if !strings.Contains(b, `netstat_tcp_connections{state="syn_recv"} 9`) {
			t.Errorf("a scrape lacks the population:\n%.500s", b)
		}
	}
	if n := src.calls.Load(); n != 2 {
		t.Errorf("%d snapshots for 11 scrapes, want 2", n)
	}
}
