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

// snapshotMsg is the reply to a refresh tagged with token: the records of the
// stream in buf (which the model keeps for the next refresh), when it was taken and
// what it could not see.
type snapshotMsg struct {
	token   uint64
	buf     *recBuf
	taken   time.Time
	partial netstat.Partial
	err     error
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

// fetchCmd streams the sockets of q into buf, one compact record each: no socket,
// tcp_info or owner is kept beyond what the table shows.
func fetchCmd(ctx context.Context, src source.Streamer, q source.Query, timeout time.Duration, token uint64, buf *recBuf) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		buf.reset()
		st, err := src.Stream(ctx, q, source.Visit{Inet: func(s *netstat.Socket) error {
			buf.add().set(s)
			return nil
		}})
		if err == nil && st == nil {
			err = errors.New("the source returned no stream")
		}
		msg := snapshotMsg{token: token, buf: buf, err: err}
		if err == nil {
			msg.taken, msg.partial = st.Taken, st.Partial
		}
		return msg
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
