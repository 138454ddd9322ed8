package top

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

const usage = `usage: netstat top [--interval D] [-n] [--filter EXPR] [-t] [-u] [-w] [-4] [-6]

A live table of the host's TCP and UDP sockets (TCPView for the terminal):
queues, owners, per-connection send and receive rates from tcp_info, RTT.
New sockets are marked +, changed ~, closed - (green, yellow, red).
Press ? in the view for the keys; see docs/top.md.

  --interval D    time between refreshes (default 1s)
  -n, --numeric   start without host and service names (n toggles)
  --filter EXPR   only sockets the ss-style expression selects
                  (e.g. 'dport = :443 or state listening')
  -t, --tcp       TCP sockets        -u, --udp   UDP sockets
  -w, --raw       raw sockets        (default: TCP and UDP)
  -4, --inet      IPv4 only          -6, --inet6 IPv6 only

It needs a terminal on stdin and stdout. Closing a connection (x) needs root
and a kernel with CONFIG_INET_DIAG_DESTROY.
`

// options are the parsed command line.
type options struct {
	interval     time.Duration
	numeric      bool
	filter       string
	tcp, udp     bool
	raw          bool
	inet, inet6  bool
	showHelpOnly bool
}

func parseArgs(args []string, stderr io.Writer) (*options, int) {
	o := &options{}
	fs := flag.NewFlagSet("top", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.DurationVar(&o.interval, "interval", time.Second, "")
	for _, n := range []string{"n", "numeric"} {
		fs.BoolVar(&o.numeric, n, false, "")
	}
	fs.StringVar(&o.filter, "filter", "", "")
	for _, b := range []struct {
		p     *bool
		names []string
	}{{&o.tcp, []string{"t", "tcp"}}, {&o.udp, []string{"u", "udp"}}, {&o.raw, []string{"w", "raw"}},
		{&o.inet, []string{"4", "inet"}}, {&o.inet6, []string{"6", "inet6"}}} {
		for _, n := range b.names {
			fs.BoolVar(b.p, n, false, "")
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			o.showHelpOnly = true
			return o, 0
		}
		fmt.Fprintf(stderr, "netstat top: %v\nTry 'netstat top --help' for more information.\n", err)
		return nil, 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "netstat top: unexpected argument %q\nTry 'netstat top --help' for more information.\n", fs.Arg(0))
		return nil, 2
	}
	if o.interval < 10*time.Millisecond {
		fmt.Fprintf(stderr, "netstat top: --interval %v is too short (at least 10ms)\nTry 'netstat top --help' for more information.\n", o.interval)
		return nil, 2
	}
	return o, 0
}

// query is the snapshot query the options ask for.
func (o *options) query() source.Query {
	var q source.Query
	if o.tcp {
		q.Protos = append(q.Protos, netstat.TCP)
	}
	if o.udp {
		q.Protos = append(q.Protos, netstat.UDP)
	}
	if o.raw {
		q.Protos = append(q.Protos, netstat.RAW)
	}
	if len(q.Protos) == 0 {
		q.Protos = []netstat.Proto{netstat.TCP, netstat.UDP}
	}
	if o.inet {
		q.Families = append(q.Families, netstat.IPv4)
	}
	if o.inet6 {
		q.Families = append(q.Families, netstat.IPv6)
	}
	return q
}

// gcPercent is the garbage collector's target of `netstat top`: a collection when
// the heap has grown 10% over what the last one kept (Go's default is 100%). Nearly
// all the view keeps is pointer-free slabs of rows, which a collection does not scan,
// so collections are cheap; and the peak memory stays near the rows' own size (about
// 30 MiB of heap at 200,000 sockets) instead of twice it.
const gcPercent = 10

// tuneGC sets gcPercent unless GOGC or GOMEMLIMIT in the environment say otherwise.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// Run is `netstat top`.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, rc := parseArgs(args, stderr)
	if o == nil {
		return rc
	}
	if o.showHelpOnly {
		io.WriteString(stdout, usage)
		return 0
	}
	in, inOK := stdin.(*os.File)
	out, outOK := stdout.(*os.File)
	if !inOK || !outOK || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		fmt.Fprintln(stderr, "netstat top: needs a terminal on stdin and stdout (for a listing, use netstat -tunap or netstat --json)")
		return 2
	}
	tuneGC(os.Getenv)
	names := resolve.NewSystem(os.DirFS("/etc"))
	q := o.query()
	if o.filter != "" {
		expr, err := analysis.ParseFilter(o.filter, analysis.NameLookups(ctx, names))
		if err != nil {
			fmt.Fprintf(stderr, "netstat top: --filter: %v\nTry 'netstat top --help' for more information.\n", err)
			return 2
		}
		q.Filter = expr
	}
	src := source.NewLive(source.LiveOptions{})
	defer func() {
		if err := src.Close(); err != nil {
			fmt.Fprintf(stderr, "netstat top: %v\n", err)
		}
	}()
	_, noColor := os.LookupEnv("NO_COLOR")
	m := New(ctx, Config{
		Source:       src,
		Destroyer:    src,
		Owners:       src.Owners(),
		Names:        names,
		Query:        q,
		Interval:     o.interval,
		ResolveNames: !o.numeric,
		Color:        !noColor && os.Getenv("TERM") != "dumb",
	})
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && ctx.Err() == nil {
		fmt.Fprintf(stderr, "netstat top: %v\n", strings.TrimSpace(err.Error()))
		return 1
	}
	return 0
}
