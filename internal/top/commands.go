package top

import (
	"context"
	"errors"
	"net/netip"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// This file is the only code of the view that talks to the Source, the Destroyer and
// the resolver. Every call runs in a command, off the drawing path, under a timeout.

// chunkMsg carries a chunk of records of the stream tagged with token, as the
// stream decodes them; the last one (done) also says when the stream was taken, what
// it could not see, or why it failed. next waits for the chunk after this one.
type chunkMsg struct {
	token   uint64
	recs    *[]record
	done    bool
	taken   time.Time
	partial netstat.Partial
	err     error
	next    <-chan chunkMsg
}

// detailMsg carries the whole socket of the details panel (nil when it has gone).
type detailMsg struct {
	gen  uint64
	key  netstat.SocketKey
	sock *netstat.Socket
	err  error
}

// ownersMsg carries the holders of the inodes of the rows marked ownerAsked.
type ownersMsg struct {
	found *source.FoundOwners
	err   error
}

// tickMsg asks for the next refresh; gen tells a current timer from a cancelled one.
type tickMsg struct{ gen uint64 }

// destroyedMsg is the outcome of closing a connection.
type destroyedMsg struct {
	what string
	err  error
}

// namesMsg carries resolved names; an empty string means there is none.
type namesMsg struct{ names names }

// nameRequest lists what to look up.
type nameRequest struct {
	hosts []netip.Addr
	svcs  []svcKey
	users []uint32
}

func (r *nameRequest) empty() bool {
	return len(r.hosts) == 0 && len(r.svcs) == 0 && len(r.users) == 0
}

// chunkLen is the number of records in a chunk of a stream: 4,096 records are 352 KiB.
const chunkLen = 4096

// chunkPool holds a model's spare record chunks between streams; a stream has at
// most three chunks out at once.
type chunkPool chan *[]record

func newChunkPool() chunkPool { return make(chunkPool, 4) }

func (p chunkPool) get() *[]record {
	select {
	case c := <-p:
		return c
	default:
		c := make([]record, 0, chunkLen)
		return &c
	}
}

// put gives a chunk back (or drops it when the pool is full).
func (p chunkPool) put(c *[]record) {
	if c == nil {
		return
	}
	*c = (*c)[:0]
	select {
	case p <- c:
	default:
	}
}

// fetchCmd streams the sockets of q, one compact record each, and hands them to
// Update in chunks while the stream goes on: no socket, tcp_info or owner is kept
// beyond what the table shows, and no more than three chunks of records exist at
// once, whatever the number of sockets. The stream stops when ctx is cancelled.
func fetchCmd(ctx context.Context, src source.Streamer, q source.Query, timeout time.Duration, token uint64, pool chunkPool) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan chunkMsg, 1)
		go func() {
			defer close(ch) // a stopped stream may end without its last chunk
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			recs := pool.get()
			st, err := src.Stream(ctx, q, source.Visit{Inet: func(s *netstat.Socket) error {
				*recs = append(*recs, record{})
				(*recs)[len(*recs)-1].set(s)
				if len(*recs) < chunkLen {
					return nil
				}
				select {
				case ch <- chunkMsg{token: token, recs: recs, next: ch}:
				case <-ctx.Done():
					return ctx.Err()
				}
				recs = pool.get()
				return nil
			}})
			if err == nil && st == nil {
				err = errors.New("the source returned no stream")
			}
			last := chunkMsg{token: token, recs: recs, done: true, err: err}
			if err == nil {
				last.taken, last.partial = st.Taken, st.Partial
			}
			select {
			case ch <- last:
			case <-ctx.Done():
			}
		}()
		return receiveChunk(ch, token)
	}
}

// receiveChunk waits for the next chunk of a stream; a stream that ended without
// its last chunk (it was stopped) ends with an error.
func receiveChunk(ch <-chan chunkMsg, token uint64) tea.Msg {
	msg, ok := <-ch
	if !ok {
		return chunkMsg{token: token, done: true, err: errors.New("the stream was stopped")}
	}
	return msg
}

// nextChunk waits for the next chunk of a stream.
func nextChunk(ch <-chan chunkMsg, token uint64) tea.Cmd {
	return func() tea.Msg { return receiveChunk(ch, token) }
}

// drainCmd reads a stale stream to its end, so that its goroutine ends.
func drainCmd(ch <-chan chunkMsg, pool chunkPool) tea.Cmd {
	return func() tea.Msg {
		for msg := range ch {
			pool.put(msg.recs)
			if msg.done {
				return nil
			}
		}
		return nil
	}
}

// detailCmd takes a snapshot of the one socket with key k, with every extra: the
// selection goes into the kernel's filter, so this costs a walk of the socket table
// without copying the other sockets out.
func detailCmd(ctx context.Context, src source.Source, q source.Query, k netstat.SocketKey, fam netstat.Family, timeout time.Duration, gen uint64) tea.Cmd {
	q.Protos = []netstat.Proto{k.Proto}
	q.Families = []netstat.Family{fam}
	q.States, q.NoInet, q.Unix = 0, false, false
	q.Extras = source.WithTCPInfo | source.WithTimers | source.WithCgroup
	q.Filter = endpointsFilter(k)
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		snap, err := src.Snapshot(ctx, q)
		msg := detailMsg{gen: gen, key: k, err: err}
		if err == nil && snap != nil {
			for i := range snap.Inet {
				if s := &snap.Inet[i]; s.Key() == k {
					msg.sock = s
					break
				}
			}
		}
		return msg
	}
}

// endpointsFilter selects the sockets with k's two endpoints.
func endpointsFilter(k netstat.SocketKey) analysis.Expr {
	host := func(side analysis.Side, ap netip.AddrPort) analysis.Expr {
		a := ap.Addr()
		if !a.IsValid() {
			return &analysis.PortCmp{Side: side, Op: analysis.EQ, Port: ap.Port()}
		}
		return &analysis.Host{Side: side, Prefix: netip.PrefixFrom(a, a.BitLen()), Port: int32(ap.Port())}
	}
	return &analysis.And{X: host(analysis.Local, k.Local), Y: host(analysis.Remote, k.Remote)}
}

// ownersCmd looks up the holders of new sockets' inodes.
func ownersCmd(ctx context.Context, f source.OwnerFinder, inodes []uint64, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		found, err := f.FindOwners(ctx, inodes)
		if err == nil && found == nil {
			err = errors.New("the owner finder returned nothing")
		}
		return ownersMsg{found: found, err: err}
	}
}

func tick(d time.Duration, gen uint64) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

func destroyCmd(ctx context.Context, d source.Destroyer, s netstat.Socket, timeout time.Duration) tea.Cmd {
	what := protoText(&s) + " " + s.Local.String() + " -> " + s.Remote.String()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return destroyedMsg{what: what, err: d.Destroy(ctx, &s)}
	}
}

// resolveCmd looks names up in the background. Host look-ups may go to DNS: the
// resolver runs them concurrently, and the ones unfinished at the timeout stay
// numbers.
func resolveCmd(ctx context.Context, r resolve.Names, req nameRequest, timeout time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		out := names{hosts: map[netip.Addr]string{}, svcs: map[svcKey]string{}, users: map[uint32]string{}}
		for _, uid := range req.users {
			n, _ := r.UserName(uid)
			out.users[uid] = n
		}
		for _, k := range req.svcs {
			n, _ := r.ServiceName(k.port, k.proto)
			out.svcs[k] = n
		}
		if len(req.hosts) > 0 {
			r.Resolve(ctx, req.hosts)
			for _, a := range req.hosts {
				n, _, _ := r.CachedHostName(a)
				out.hosts[a] = n
			}
		}
		return namesMsg{names: out}
	}
}
