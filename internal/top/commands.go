package top

import (
	"context"
	"errors"
	"net/netip"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// This file is the only code of the view that talks to the Source, the Destroyer and
// the resolver. Every call runs in a command, off the drawing path, under a timeout.

// snapshotMsg is the reply to a snapshot request tagged with token.
type snapshotMsg struct {
	token uint64
	snap  *netstat.Snapshot
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

func fetchCmd(ctx context.Context, src source.Source, q source.Query, timeout time.Duration, token uint64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		snap, err := src.Snapshot(ctx, q)
		if err == nil && snap == nil {
			err = errors.New("the source returned no snapshot")
		}
		return snapshotMsg{token: token, snap: snap, err: err}
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
