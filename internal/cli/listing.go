package cli

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/sink"
	"github.com/netstat-go/netstat/internal/system"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// listing is one iteration of the socket listing (net-tools' default mode, §3.1).
type listing struct {
	e      *env
	c      *Config
	opts   textfmt.SocketOptions
	owners *procfd.Owners
	loaded bool
	ctx    context.Context
	// sink receives the selected rows: net-tools text by default.
	sink sink.Rows
	// keep, when set, further selects rows (netstat-go's filters); nil keeps all.
	keep func(*netstat.Socket) bool
	// Hook: netstat-go filters and counts (filter.go): needOwners loads the -p table
	// without -p (--process, --count=program), noUnix leaves out the unix table.
	needOwners, noUnix bool

	// batching holds rows in batches that are prepared together before printing:
	// when host names may need the network (resolveNames), the resolver looks up
	// their distinct addresses; with -p, the owners of their inodes are read in one
	// concurrent pass (procfd.Owners.Want) instead of one lookup per row.
	batching, resolveNames bool
	batch                  []netstat.Socket
	inodes                 []uint64
}

const (
	// batchRows bounds the rows held while their names are resolved.
	batchRows = 4096
	// resolveBudget bounds the wait for one batch's names; addresses without an answer
	// by then stay numeric, as when a lookup fails.
	resolveBudget = 2500 * time.Millisecond
)

// runListing prints one iteration of the socket listing and returns its status:
// 0, 1 for a missing requested family, -1 for an unexpected /proc error.
func (e *env) runListing(ctx context.Context, c *Config) int {
	l := &listing{e: e, c: c, opts: textfmt.SocketOptions{
		NumericHosts: c.NumericHosts,
		NumericPorts: c.NumericPorts,
		NumericUsers: c.NumericUsers,
		Wide:         c.Wide > 0,
		Extend:       c.Extend > 1,
		Programs:     c.Programs > 0,
		Timers:       c.Timers > 0,
	}}
	l.resolveNames = !c.NumericHosts && e.names.Slow()
	l.batching = l.resolveNames || c.Programs > 0
	l.ctx = ctx
	l.sink = sink.NewText(e.stdout, &l.opts, sink.Selection{All: c.All > 0, Listening: c.Listening > 0}, e.names, l.program)
	// Hook: netstat-go filters and counts (--state, --filter, --process, --user,
	// --count, --top; filter.go, internal/sink.Count).
	if rc, stop := l.applySelection(); stop {
		return rc
	}
	// Hook: netstat-go machine output (--format=json|csv) replaces the text sink and
	// ends its document after the iteration (format_listing.go). A sink that is not
	// the text sink (--count) renders the format itself (writeCounts).
	if _, text := l.sink.(*sink.Text); text && c.Ext.Format != "" {
		l.sink = newMachineSink(l)
	}
	rc := l.run(ctx)
	if end, ok := l.sink.(sink.Ender); ok {
		end.End()
	}
	return rc
}

func (l *listing) run(ctx context.Context) int {
	c := l.c
	// Whatever the sink still holds (a header whose table stayed empty, as in
	// netstat -6 --sctp) is printed however the iteration ends; an owner scan still
	// reading ahead stops.
	defer func() { l.owners.StopPrefetch() }()
	defer l.flush()
	noArg := c.Arg == 0
	if noArg || c.TCP > 0 || c.SCTP > 0 || c.UDP > 0 || c.UDPLite > 0 || c.Raw > 0 {
		l.loadOwners()
		l.sink.BeginInet()
	}
	if noArg || c.TCP > 0 {
		if rc := l.inet(ctx, netstat.TCP, "AF INET (tcp)"); rc != 0 {
			return rc
		}
	}
	if noArg || c.SCTP > 0 {
		if rc := l.sctp(); rc != 0 {
			return rc
		}
	}
	for _, p := range []struct {
		on   bool
		pr   netstat.Proto
		name string
	}{
		{c.UDP > 0, netstat.UDP, "AF INET (udp)"},
		{c.UDPLite > 0, netstat.UDPLite, "AF INET (udplite)"},
		{c.Raw > 0, netstat.RAW, "AF INET (raw)"},
	} {
		if noArg || p.on {
			if rc := l.inet(ctx, p.pr, p.name); rc != 0 {
				return rc
			}
		}
	}
	if c.Groups > 0 {
		l.flush()
		// Hook: a machine sink takes the group rows too (format_listing.go).
		if rc := l.e.printGroups(c, l.groupsOut()); rc != 0 {
			return rc
		}
	}
	if (noArg || c.Unix > 0) && !l.noUnix {
		if rc := l.unix(ctx); rc != 0 {
			return rc
		}
	}
	if rc := l.legacy(); rc != 0 {
		return rc
	}
	if c.Arg > 0 && (c.L2CAP > 0 || c.RFCOMM > 0) {
		l.flush()
		fmt.Fprint(l.e.stderr, "netstat: feature `AF BLUETOOTH' not supported.\n"+
			"Please recompile `net-tools' with newer kernel source or full configuration.\n")
		return 1
	}
	return 0
}

// loadOwners builds the -p table once per iteration, before the first table needing it.
func (l *listing) loadOwners() {
	if (l.c.Programs == 0 && !l.needOwners) || l.loaded {
		return
	}
	l.loaded = true
	// JSON's "processes" lists every holder; the text shows the lowest PID only.
	l.owners = l.e.owners(l.c.Ext.Format == "json")
	if msg := l.owners.Notice(l.e.euid); msg != "" {
		l.e.stderr.Write([]byte(msg))
	}
	if l.c.Programs > 0 {
		// The rows' owners are read per batch (drainBatch); the reading starts now,
		// beside the netlink dump, and the first batch's Want goes on from there.
		l.owners.Prefetch()
	}
}

// program returns the lowest-PID process holding inode.
func (l *listing) program(inode uint64) *netstat.Process { return l.owners.Lookup(inode) }

// holders returns every process holding inode, lowest PID first.
func (l *listing) holders(inode uint64) []netstat.Process { return l.owners.Holders(inode) }

// flush prints the rows held for name resolution and pushes what the sink holds to
// stdout; it runs at the end of each table and before anything goes to stderr.
func (l *listing) flush() {
	l.drainBatch()
	l.sink.Flush()
}

// missing applies net-tools' rule for a protocol whose primary /proc file is absent.
func (l *listing) missing(name string) int {
	c := l.c
	if !c.NoProt && (c.Arg > 0 || c.Verbose > 0) {
		l.flush()
		fmt.Fprintf(l.e.stderr, "netstat: no support for `%s' on this system.\n", name)
	}
	if !c.NoProt && c.Arg > 0 {
		return 1
	}
	return 0
}

// failed reports an unexpected /proc error the way perror does; status -1.
func (l *listing) failed(err error) int {
	l.flush()
	var oe *system.OpenError
	if errors.As(err, &oe) {
		fmt.Fprintf(l.e.stderr, "%s: %s\n", oe.Path, textfmt.Strerror(oe.Err))
	} else {
		fmt.Fprintf(l.e.stderr, "netstat: %v\n", err)
	}
	return -1
}

func (l *listing) inet(ctx context.Context, proto netstat.Proto, name string) int {
	c := l.c
	rc := 0
	all, lst := c.All > 0, c.Listening > 0
	emit := func(s *netstat.Socket) error {
		if !all && s.Listening() != lst {
			return nil
		}
		if l.keep != nil && !l.keep(s) {
			return nil
		}
		if l.batching {
			l.batch = append(l.batch, *s)
			if len(l.batch) >= batchRows {
				l.drainBatch()
			}
			return nil
		}
		l.sink.Inet(s)
		return nil
	}
	if c.ReadsIPv4() {
		err := l.e.sockets.InetSockets(ctx, proto, netstat.IPv4, emit)
		switch {
		case errors.Is(err, netstat.ErrNotSupported):
			rc = l.missing(name)
		case err != nil:
			return l.failed(err)
		}
	}
	if c.ReadsIPv6() {
		if err := l.e.sockets.InetSockets(ctx, proto, netstat.IPv6, emit); err != nil && !errors.Is(err, netstat.ErrNotSupported) {
			return l.failed(err)
		}
	}
	l.flush()
	return rc
}

// drainBatch reads the held rows' owners and resolves their addresses, concurrently,
// then prints the rows.
func (l *listing) drainBatch() {
	if len(l.batch) == 0 {
		return
	}
	if l.c.Programs > 0 && l.owners != nil {
		l.inodes = l.inodes[:0]
		for i := range l.batch {
			l.inodes = append(l.inodes, l.batch[i].Inode)
		}
		l.owners.Want(l.inodes)
	}
	if l.resolveNames {
		l.resolveBatch()
	}
	for i := range l.batch {
		l.sink.Inet(&l.batch[i])
	}
	l.batch = l.batch[:0]
}

// resolveBatch looks up the held rows' distinct addresses, within resolveBudget.
func (l *listing) resolveBatch() {
	seen := make(map[netip.Addr]struct{}, len(l.batch))
	var addrs []netip.Addr
	for i := range l.batch {
		for _, a := range [2]netip.Addr{l.batch[i].Local.Addr(), l.batch[i].Remote.Addr()} {
			if _, dup := seen[a]; dup || !a.IsValid() || a.IsUnspecified() {
				continue
			}
			seen[a] = struct{}{}
			addrs = append(addrs, a)
		}
	}
	pctx, cancel := context.WithTimeout(l.ctx, resolveBudget)
	l.e.names.Resolve(pctx, addrs)
	cancel()
}

// sctp follows net-tools' SCTP steps: endpoints with -a or -l, associations with -a or
// without -l. This kernel family is reported through its /proc files.
func (l *listing) sctp() int {
	c := l.c
	if c.All > 0 || c.Listening > 0 {
		if rc := l.sctpFile("net/sctp/eps"); rc != 0 {
			return rc
		}
	}
	if c.All > 0 || c.Listening == 0 {
		if rc := l.sctpFile("net/sctp/assocs"); rc != 0 {
			return rc
		}
	}
	return 0
}

func (l *listing) sctpFile(name string) int {
	// Only net-tools' "no support" and error paths are implemented: the kernels we
	// build and test on have no SCTP, so its rows could not be checked against net-tools.
	// As for the other protocols, the IPv4 file is opened only when inet is selected
	// (netstat -6 --sctp says nothing), and a missing IPv6 file is silently skipped.
	if !l.c.ReadsIPv4() {
		return 0
	}
	err := system.Exists(l.e.proc, name)
	switch {
	case errors.Is(err, netstat.ErrNotSupported):
		return l.missing("AF INET (sctp)")
	case err != nil:
		return l.failed(err)
	}
	return 0
}

func (l *listing) unix(ctx context.Context) int {
	c := l.c
	l.loadOwners()
	all, lst := c.All > 0, c.Listening > 0
	begun := false
	begin := func() {
		if !begun {
			begun = true
			l.sink.BeginUnix()
		}
	}
	err := l.e.sockets.UnixSockets(ctx, func(u *netstat.UnixSocket) error {
		begin()
		if !all && u.Listening() != lst {
			return nil
		}
		l.sink.Unix(u)
		return nil
	})
	switch {
	case errors.Is(err, netstat.ErrNotSupported):
		return l.missing("AF UNIX")
	case err != nil:
		return l.failed(err)
	}
	begin()
	l.flush()
	return 0
}

// legacy handles IPX, AX.25, X.25, NET/ROM and ROSE, in net-tools' order. No modern
// kernel has them; only their "no support" paths are reachable.
func (l *listing) legacy() int {
	c := l.c
	for _, f := range []struct {
		on    int
		files []string
		name  string
	}{
		{c.IPX, []string{"net/ipx/socket", "net/ipx"}, "AF IPX"},
		{c.AX25, []string{"net/ax25"}, "AF AX25"},
		{c.X25, []string{"net/x25"}, "AF X25"},
		{c.NetROM, []string{"net/nr"}, "AF NETROM"},
		{c.Rose, []string{"net/rose"}, "AF ROSE"},
	} {
		if c.Arg != 0 && f.on == 0 {
			continue
		}
		var err error
		for _, name := range f.files {
			if err = system.Exists(l.e.proc, name); err == nil {
				break
			}
		}
		if err == nil {
			continue
		}
		if rc := l.legacyMissing(f.name); rc != 0 {
			return rc
		}
	}
	return 0
}

// legacyMissing is the "no support" rule of the legacy families: printed when the
// family was asked for or with -v, fatal only when asked for.
func (l *listing) legacyMissing(name string) int {
	c := l.c
	if c.Arg > 0 || c.Verbose > 0 {
		l.flush()
		fmt.Fprintf(l.e.stderr, "netstat: no support for `%s' on this system.\n", name)
	}
	if c.Arg > 0 {
		return 1
	}
	return 0
}
