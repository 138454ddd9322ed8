package cli

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
	"net/netip"
)

// filter.go wires netstat-go's socket filters (--state, --filter, --process, --user)
// and counts (--count, --top, count.go) into the socket listing. Filters narrow the
// rows net-tools would print with the same options (its -a/-l selection still
// applies); a filtered listing prints exactly net-tools' headers and rows for the
// sockets that pass. They apply to TCP, UDP, UDP-Lite and raw sockets; unix sockets are
// not listed when a filter is given unless -x (or --unix, -A unix) asks for them, and
// then they are listed unfiltered.

// selection is what the extension options ask of one listing.
type selection struct {
	expr    analysis.Expr // --state and --filter; nil: no condition
	process *analysis.Process
	user    *analysis.User
	keys    []analysis.Key // --count
	top     int
}

// compileSelection checks and compiles the filter and count options of c. A bad value
// yields a usage Action (exit status 3) whose one-line message points at the offending
// token. The selection is nil when none of these options was given.
func (e *env) compileSelection(c *Config) (*selection, *Action) {
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
		f, err := analysis.ParseFilter(x.Filter, analysis.ParseOptions{Service: e.servicePort, Host: e.hostAddrs})
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

// servicePort returns the port of a TCP (else UDP) service name, for port names in
// --filter ("sport = :http"), from the same services database that names ports.
func (e *env) servicePort(name string) (uint16, bool) {
	for _, proto := range []string{"tcp", "udp"} {
		for port := 1; port <= 0xffff; port++ {
			if n, ok := e.names.ServiceName(uint16(port), proto); ok && n == name {
				return uint16(port), true
			}
		}
	}
	return 0, false
}

// hostAddrs returns the addresses of a host name in --filter ("dst db1"), from the
// resolver's hosts sources when it has forward lookups (resolve.System does).
func (e *env) hostAddrs(name string) ([]netip.Addr, bool) {
	if f, ok := e.names.(interface {
		HostAddrs(string) ([]netip.Addr, bool)
	}); ok {
		return f.HostAddrs(name)
	}
	return nil, false
}

// kernelSelector is implemented by socket sources that can have the kernel select the
// sockets of a dump (the live source, over sock_diag). What they return is a superset
// that the listing's own filter narrows exactly, so a source may ignore the selection
// (the /proc fallback does).
type kernelSelector interface {
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
	sel, act := l.e.compileSelection(l.c)
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
	ks, ok := l.e.sockets.(kernelSelector)
	if !ok {
		return
	}
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
		states, bc := kernelSelection(pe, p)
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

// kernelSelection returns the share of e the kernel can apply to dumps of proto, as ss
// does: the inet_diag state mask of the states e allows (0: all) and an inet_diag
// program for its address and port conditions (nil: none). Together they accept every
// socket e accepts, and possibly more.
func kernelSelection(e analysis.Expr, proto netstat.Proto) (states uint32, bytecode []byte) {
	set := analysis.StatesOf(e)
	c := kernelCond(e, proto, set, true)
	switch set {
	case analysis.AllStates:
	case 0:
		// An idiag_states of 0 means "all" to the dump; a program refuses everything.
		c = sockdiag.CondConst(false)
	default:
		states = uint32(set)
	}
	bc, err := sockdiag.Bytecode(c)
	if err != nil {
		return states, nil // too long for the kernel: filtering in user space only
	}
	return states, bc
}

// kernelCond returns a condition the kernel can evaluate on sockets of proto in the
// states of mask that holds whenever e holds (over) or, with over false, holds only
// when e holds. A state condition is decided by mask when mask lies inside or outside
// its states; the other parts the kernel cannot evaluate (the remaining state
// conditions, which the state mask covers, and for raw sockets the remote port, which
// /proc shows as 0 whatever the kernel holds) become the constant that keeps the
// approximation on the right side.
func kernelCond(e analysis.Expr, proto netstat.Proto, mask analysis.StateSet, over bool) sockdiag.Cond {
	switch e := e.(type) {
	case *analysis.And:
		return sockdiag.CondAnd{X: kernelCond(e.X, proto, mask, over), Y: kernelCond(e.Y, proto, mask, over)}
	case *analysis.Or:
		return sockdiag.CondOr{X: kernelCond(e.X, proto, mask, over), Y: kernelCond(e.Y, proto, mask, over)}
	case *analysis.Not:
		return sockdiag.CondNot{X: kernelCond(e.X, proto, mask, !over)}
	case *analysis.States:
		switch {
		case mask&e.Set == 0:
			return sockdiag.CondConst(false)
		case mask&^e.Set == 0:
			return sockdiag.CondConst(true)
		}
	case *analysis.PortCmp:
		if e.Side == analysis.Remote && proto == netstat.RAW {
			break
		}
		op := sockdiag.PortEQ
		switch e.Op {
		case analysis.LE:
			op = sockdiag.PortLE
		case analysis.GE:
			op = sockdiag.PortGE
		}
		return sockdiag.CondPort{Dst: e.Side == analysis.Remote, Op: op, Port: e.Port}
	case *analysis.Host:
		if e.Side == analysis.Remote && proto == netstat.RAW && e.Port >= 0 {
			break
		}
		return sockdiag.CondHost{Dst: e.Side == analysis.Remote, Prefix: e.Prefix, Port: e.Port}
	}
	return sockdiag.CondConst(over)
}
