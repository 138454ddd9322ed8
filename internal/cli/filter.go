package cli

import (
	"context"
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// filter.go wires netstat-go's socket filters (--state, --filter, --process, --user)
// and counts (--count, --top; the count sink is internal/sink.Count) into the socket
// listing. Filters narrow the rows net-tools would print with the same options (its
// -a/-l selection still applies); a filtered listing prints exactly net-tools' headers
// and rows for the sockets that pass. They apply to TCP, UDP, UDP-Lite and raw
// sockets; unix sockets are not listed when a filter is given unless -x (or --unix,
// -A unix) asks for them, and then they are listed unfiltered.

// selection is what the extension options ask of one listing.
type selection struct {
	expr    analysis.Expr // --state and --filter; nil: no condition
	process *analysis.Process
	user    *analysis.User
	keys    []analysis.Key // --count
	top     int
}

// compileSelection checks and compiles the filter and count options of c, once per
// run: later calls (every -c iteration) return the first result. A bad value yields a
// usage Action (exit status 3) whose one-line message points at the offending token.
// The selection is nil when none of these options was given.
func (e *env) compileSelection(ctx context.Context, c *Config) (*selection, *Action) {
	if e.selReady {
		return e.sel, nil
	}
	sel, act := e.compileSelectionOnce(ctx, c)
	if act == nil {
		e.sel, e.selReady = sel, true
	}
	return sel, act
}

func (e *env) compileSelectionOnce(ctx context.Context, c *Config) (*selection, *Action) {
	x := &c.Ext
	sel := &selection{top: x.Top}
	if len(x.States) > 0 {
		set, err := analysis.ParseStates(x.States)
		if err != nil {
			return nil, extError("--state: " + err.Error())
		}
		sel.expr = &analysis.States{Set: set}
	}
	if x.Filter != "" {
		f, err := analysis.ParseFilter(x.Filter, analysis.NameLookups(ctx, e.names))
		if err != nil {
			return nil, extError("--filter: " + err.Error())
		}
		switch {
		case f == nil:
		case sel.expr == nil:
			sel.expr = f
		default:
			sel.expr = &analysis.And{X: sel.expr, Y: f}
		}
	}
	if x.Process != "" {
		p, err := analysis.ParseProcess(x.Process)
		if err != nil {
			return nil, extError("--process: " + err.Error())
		}
		sel.process = &p
	}
	if x.User != "" {
		u, err := analysis.ParseUser(x.User)
		if err != nil {
			return nil, extError("--user: " + err.Error())
		}
		sel.user = &u
	}
	if len(x.Count) > 0 {
		keys, err := analysis.ParseKeys(x.Count)
		if err != nil {
			return nil, extError("--count: " + err.Error())
		}
		sel.keys = keys
	}
	if x.Top > 0 && sel.keys == nil {
		return nil, extError("--top: only with --count")
	}
	if !sel.filters() && sel.keys == nil {
		return nil, nil
	}
	return sel, nil
}

// filters reports whether the selection drops rows.
func (sel *selection) filters() bool {
	return sel.expr != nil || sel.process != nil || sel.user != nil
}

// socketSource is what the listing reads sockets from: a netstat.SocketSource that
// can also be told the kernel's share of a selection. What a source returns after
// SelectInKernel is a superset that the listing's own filter narrows exactly, so a
// source may ignore the selection (the /proc source does) but must say so by
// implementing the method: test fakes then see the selection too.
type socketSource interface {
	netstat.SocketSource
	// SelectInKernel restricts later dumps of proto to sockets in the states of the
	// inet_diag mask states (0: all) that the inet_diag program bytecode accepts (nil:
	// all).
	SelectInKernel(proto netstat.Proto, states uint32, bytecode []byte)
}

// applySelection hooks the filter and count options into the listing: the row filter,
// the owners table when a filter or key needs it, the unix table rule, the kernel's
// share of the filtering and the count sink. stop reports a bad option, with the exit
// status in rc.
func (l *listing) applySelection() (rc int, stop bool) {
	sel, act := l.e.compileSelection(l.ctx, l.c)
	if act != nil {
		l.e.stderr.Write([]byte(act.Stderr))
		return act.Exit, true
	}
	if sel == nil {
		l.selectInKernel(nil)
		return 0, false
	}
	counting := sel.keys != nil
	l.needOwners = sel.process != nil || analysis.NeedsOwners(sel.keys)
	l.noUnix = counting || (sel.filters() && l.c.Unix == 0)
	if sel.filters() {
		l.keep = sel.keeper(l)
	}
	l.selectInKernel(sel.expr)
	if counting {
		l.sink = newCountSink(l, sel)
	}
	return 0, false
}

// selectInKernel hands the kernel its share of the row selection: the netstat-go
// filter expression e (nil: none) and, for TCP under -l without -a, "no remote port"
// (what Socket.Listening tests), so that a host with many connections is not dumped
// whole for its few listeners. The listing still applies both to every row.
func (l *listing) selectInKernel(e analysis.Expr) {
	ks := l.e.sockets
	for _, p := range []netstat.Proto{netstat.TCP, netstat.UDP, netstat.UDPLite, netstat.RAW} {
		pe := e
		if p == netstat.TCP && l.c.Listening > 0 && l.c.All == 0 {
			listening := &analysis.PortCmp{Side: analysis.Remote, Op: analysis.EQ, Port: 0}
			if pe == nil {
				pe = listening
			} else {
				pe = &analysis.And{X: pe, Y: listening}
			}
		}
		if pe == nil {
			continue
		}
		states, bc := source.KernelSelection(pe, p)
		ks.SelectInKernel(p, states, bc)
	}
}

// keeper returns the row filter of the selection.
func (sel *selection) keeper(l *listing) func(*netstat.Socket) bool {
	return func(s *netstat.Socket) bool {
		if sel.expr != nil && !sel.expr.Match(s) {
			return false
		}
		if sel.process != nil && !sel.process.Match(l.program(s.Inode)) {
			return false
		}
		return sel.user == nil || sel.user.Match(s.UID, l.e.names)
	}
}
