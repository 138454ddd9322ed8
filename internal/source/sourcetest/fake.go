// Package sourcetest provides a fake source.Source for the unit tests of views.
package sourcetest

import (
	"context"
	"sync"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// Fake is a source.Source, source.Streamer and source.Destroyer that replays snapshots. It records
// the queries and destroy calls it received. Safe for concurrent use.
type Fake struct {
	mu sync.Mutex
	// Snapshots are handed out in order; the last one repeats.
	Snapshots []*netstat.Snapshot
	// Err, when set, is returned by Snapshot instead.
	Err error
	// DestroyErr is returned by Destroy.
	DestroyErr error
	// FakeCounters is returned by Counters; CountersErr instead when set.
	FakeCounters *source.Counters
	CountersErr  error

	Queries   []source.Query
	Destroyed []netstat.Socket
	next      int
}

// Snapshot implements source.Source.
func (f *Fake) Snapshot(ctx context.Context, q source.Query) (*netstat.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Queries = append(f.Queries, q)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.Err != nil {
		return nil, f.Err
	}
	if len(f.Snapshots) == 0 {
		return &netstat.Snapshot{}, nil
	}
	s := f.Snapshots[f.next]
	if f.next < len(f.Snapshots)-1 {
		f.next++
	}
	return s, nil
}

// Stream implements source.Streamer: it hands over the sockets of the snapshot that
// Snapshot would return, through one reused value each (Info included), as the live
// source does, so a view that keeps a pointer past its call sees it overwritten.
func (f *Fake) Stream(ctx context.Context, q source.Query, v source.Visit) (*source.Streamed, error) {
	snap, err := f.Snapshot(ctx, q)
	if err != nil {
		return nil, err
	}
	var s netstat.Socket
	var info netstat.TCPInfo
	for i := range snap.Inet {
		s = snap.Inet[i]
		if s.Info != nil {
			info = *s.Info
			s.Info = &info
		}
		if v.Inet != nil {
			if err := v.Inet(&s); err != nil {
				return nil, err
			}
		}
	}
	var u netstat.UnixSocket
	for i := range snap.Unix {
		u = snap.Unix[i]
		if v.Unix != nil {
			if err := v.Unix(&u); err != nil {
				return nil, err
			}
		}
	}
	return &source.Streamed{Taken: snap.Taken, Owners: snap.Owners, Partial: snap.Partial}, nil
}

// Destroy implements source.Destroyer.
func (f *Fake) Destroy(ctx context.Context, s *netstat.Socket) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.DestroyErr != nil {
		return f.DestroyErr
	}
	f.Destroyed = append(f.Destroyed, *s)
	return nil
}

// Counters implements source.CounterSource: it returns FakeCounters, or an empty set.
func (f *Fake) Counters(ctx context.Context) (*source.Counters, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.CountersErr != nil {
		return nil, f.CountersErr
	}
	if f.FakeCounters == nil {
		return &source.Counters{}, nil
	}
	return f.FakeCounters, nil
}
