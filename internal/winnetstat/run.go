package winnetstat

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/winsource"
	"github.com/netstat-go/netstat/netstat"
)

// unsupportedWhy says, for each option no public API serves, what is missing.
var unsupportedWhy = map[string]string{
	"-i": "no public API gives the time a connection has spent in its state",
	"-q": "no public API lists bound non-listening TCP ports",
	"-t": "no public API gives a connection's offload state",
	"-x": "no public API lists NetworkDirect connections",
	"-y": "no public API gives TCP connection templates",
}

// ElevationMessage is what -b prints without administrator rights.
const ElevationMessage = "The requested operation requires elevation."

// Env is what Run needs besides the command line: the host to read, the names to
// resolve without -n and the clock for the interval.
type Env struct {
	Host  winsource.Source
	Names Names
	// Sleep waits d or until ctx is done; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Run is netstat.exe: it parses args with Windows' rules, prints to stdout, and
// returns the exit status (0, or 1 for a usage error, an unsupported option or a
// failure; the help text exits 0). With an interval it repeats until ctx is done.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer, env *Env) int {
	if len(args) > 0 && args[0] == "states" {
		return runStates(ctx, args[1:], stdout, stderr, env)
	}
	o, err := Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "netstat: %v\r\n", err)
		io.WriteString(stdout, Usage())
		return 1
	}
	if o.Help {
		io.WriteString(stdout, Usage())
		return 0
	}
	if u := o.Unsupported(); len(u) > 0 {
		fmt.Fprintf(stderr, "netstat: %s is not supported by netstat-go: %s.\r\n", u[0], unsupportedWhy[u[0]])
		return 1
	}
	if o.Exe && !env.Host.Elevated() {
		io.WriteString(stdout, ElevationMessage+crlf)
		return 1
	}
	var filter analysis.Expr
	if o.Extension.Filter != "" {
		filter, err = analysis.ParseFilter(o.Extension.Filter, analysis.ParseOptions{})
		if err != nil {
			fmt.Fprintf(stderr, "netstat: --filter: %v\r\n", err)
			return 1
		}
	}
	var keys []analysis.Key
	if len(o.Extension.Count) > 0 {
		keys, err = analysis.ParseKeys(o.Extension.Count)
		if err != nil {
			fmt.Fprintf(stderr, "netstat: --count: %v\r\n", err)
			return 1
		}
		for _, k := range keys {
			if k == analysis.KeyProgram || k == analysis.KeyUser {
				fmt.Fprintf(stderr, "netstat: --count: key %s is not available on Windows\r\n", k)
				return 1
			}
		}
	}
	sleep := env.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	for {
		out, err := render(ctx, &o, filter, keys, env)
		if _, werr := stdout.Write(out); werr != nil && err == nil {
			err = werr
		}
		if err != nil {
			fmt.Fprintf(stderr, "netstat: %v\r\n", err)
			return 1
		}
		if o.Interval == 0 {
			return 0
		}
		if sleep(ctx, time.Duration(o.Interval)*time.Second) != nil {
			return 0 // Ctrl+C
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// render produces one display of what o selects.
func render(ctx context.Context, o *Options, filter analysis.Expr, keys []analysis.Key, env *Env) ([]byte, error) {
	var b []byte
	switch {
	case o.Route:
		t, err := env.Host.Routes(ctx)
		if err != nil {
			return b, fmt.Errorf("reading the routing table: %w", err)
		}
		return AppendRoutes(b, t), nil
	case o.Ethernet || o.Stats:
		if o.Ethernet {
			e, err := env.Host.Ethernet(ctx)
			if err != nil {
				return b, fmt.Errorf("reading interface statistics: %w", err)
			}
			b = AppendEthernet(b, e)
		}
		if o.Stats {
			c, err := env.Host.Counters(ctx)
			if err != nil {
				return b, fmt.Errorf("reading protocol statistics: %w", err)
			}
			b = AppendStats(b, c, StatsProtos(o))
		}
		// -s -p with a connection protocol also lists that protocol's connections.
		if !o.Stats || !o.HasProto || o.Proto > ProtoUDPv6 {
			return b, nil
		}
	}
	q := source.Query{Protos: []netstat.Proto{netstat.TCP, netstat.UDP}, Filter: filter}
	l, err := env.Host.Listing(ctx, q, o.Exe)
	if err != nil {
		return b, fmt.Errorf("reading the connection tables: %w", err)
	}
	if filter != nil {
		l = filtered(l, filter)
	}
	switch {
	case keys != nil:
		return AppendCounts(b, l, o, keys), nil
	case o.Extension.JSON:
		return AppendJSON(b, l, o), nil
	}
	return AppendConnections(b, l, o, names(o, env)), nil
}

func names(o *Options, env *Env) Names {
	if o.Numeric {
		return nil
	}
	return env.Names
}

// filtered returns l with only the sockets filter matches (the source may have
// applied it already; applying it again changes nothing).
func filtered(l *winsource.Listing, filter analysis.Expr) *winsource.Listing {
	snap := *l.Snapshot
	snap.Inet = nil
	for i := range l.Snapshot.Inet {
		if filter.Match(&l.Snapshot.Inet[i]) {
			snap.Inet = append(snap.Inet, l.Snapshot.Inet[i])
		}
	}
	return &winsource.Listing{Snapshot: &snap, Modules: l.Modules}
}

// protoText is the proto a --count or JSON row names: TCP, TCPv6, UDP, UDPv6.
func protoText(s *netstat.Socket) string {
	p := "TCP"
	if s.Proto == netstat.UDP {
		p = "UDP"
	}
	if s.Family == netstat.IPv6 {
		p += "v6"
	}
	return p
}

// AppendCounts appends --count's groups over the connections o selects: count, then
// the keys' values, largest groups first.
func AppendCounts(b []byte, l *winsource.Listing, o *Options, keys []analysis.Key) []byte {
	var c analysis.Counter
	fields := make([]string, 0, len(keys))
	for table := 0; table < 4; table++ {
		for i := range l.Snapshot.Inet {
			s := &l.Snapshot.Inet[i]
			if connOrder(s) != table || !Selected(o, s) {
				continue
			}
			fields = fields[:0]
			for _, k := range keys {
				fields = append(fields, keyText(k, s, l))
			}
			c.Add(fields)
		}
	}
	text := string(analysis.AppendGroups(nil, c.Groups(0)))
	return append(b, strings.ReplaceAll(text, "\n", crlf)...)
}

func keyText(k analysis.Key, s *netstat.Socket, l *winsource.Listing) string {
	switch k {
	case analysis.KeyState:
		if s.Proto != netstat.TCP {
			return "-"
		}
		return StateName(s.State)
	case analysis.KeyProto:
		return protoText(s)
	case analysis.KeyLocalAddr:
		return addrText(s.Local.Addr())
	case analysis.KeyLocalPort:
		return fmt.Sprint(s.Local.Port())
	case analysis.KeyRemoteAddr:
		if s.Proto == netstat.UDP {
			return "*"
		}
		return addrText(s.Remote.Addr())
	case analysis.KeyRemotePort:
		if s.Proto == netstat.UDP {
			return "*"
		}
		return fmt.Sprint(s.Remote.Port())
	case analysis.KeyPID:
		return fmt.Sprint(l.PID(s.Inode))
	}
	return "-"
}
