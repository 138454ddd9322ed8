package serve

import (
	"context"
	"sync"
	"time"
)

// shared hands the result of one fetch (a socket dump, a counter read) to every caller
// that asks while it is pending, with at most one fetch running at a time, and never
// answers a caller from a fetch that started before the caller arrived:
//
//   - no fetch running: the caller starts one and waits for it;
//   - a fetch running that started at or after the caller's arrival: the caller joins it;
//   - a fetch running that started earlier: the caller joins the next fetch, which starts
//     as soon as the running one ends and is shared by everyone who queued for it.
//
// So N scrapes arriving during one dump cost one more dump, not N, and each still sees
// sockets as they were after it arrived. A fetch runs under its own deadline (timeout),
// detached from the callers, so that one impatient caller does not fail the others;
// each caller stops waiting when its own context ends.
type shared[T any] struct {
	fetch   func(context.Context) (T, error)
	base    context.Context // cancelled when the server stops
	timeout time.Duration
	now     func() time.Time

	mu      sync.Mutex
	running *flight[T]
	next    *flight[T]
}

// flight is one fetch and its result, published by closing done.
type flight[T any] struct {
	started time.Time
	done    chan struct{}
	val     T
	err     error
	waiters int // callers that asked for it (under shared.mu)
}

func newShared[T any](base context.Context, timeout time.Duration, now func() time.Time, fetch func(context.Context) (T, error)) *shared[T] {
	return &shared[T]{fetch: fetch, base: base, timeout: timeout, now: now}
}

// get returns the result of a fetch that started at or after arrived.
func (s *shared[T]) get(ctx context.Context, arrived time.Time) (T, error) {
	s.mu.Lock()
	var f *flight[T]
	switch {
	case s.running == nil:
		f = &flight[T]{done: make(chan struct{})}
		s.start(f)
	case !s.running.started.Before(arrived):
		f = s.running
	default:
		if s.next == nil {
			s.next = &flight[T]{done: make(chan struct{})}
		}
		f = s.next
	}
	f.waiters++
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// start runs f as the running fetch; s.mu is held.
func (s *shared[T]) start(f *flight[T]) {
	f.started = s.now()
	s.running = f
	go func() {
		ctx, cancel := context.WithTimeout(s.base, s.timeout)
		f.val, f.err = s.fetch(ctx)
		cancel()
		s.mu.Lock()
		close(f.done)
		s.running = nil
		if n := s.next; n != nil {
			s.next = nil
			s.start(n)
		}
		s.mu.Unlock()
	}()
}
