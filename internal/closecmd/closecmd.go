// Package closecmd is `netstat close FILTER`: it closes every TCP socket the filter
// selects through sock_diag SOCK_DESTROY (like ss -K), printing each one it closed as
// a net-tools row and each one it could not close with the reason.
package closecmd

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/termsafe"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

const usage = `usage: netstat close [--yes] [-p] FILTER

Closes every TCP socket FILTER selects, as ss -K does: the kernel aborts the
connection (the peer sees a reset) through sock_diag SOCK_DESTROY. Each socket
closed is printed as a netstat row; each one that could not be closed is
reported on stderr with the reason. On a terminal it lists the sockets and asks
first, unless --yes.

FILTER is the --filter language of netstat (ss's syntax), for example
  netstat close 'dport = :443 and dst 192.0.2.0/24'
  netstat close 'sport = :8080 and state established'
An empty filter is refused: it would close every connection.

  -y, --yes       do not ask
  -p, --program   show the PID/Program name column

Needs root (CAP_NET_ADMIN) and a kernel with CONFIG_INET_DIAG_DESTROY.
Exit status: 0 all closed, 1 some not closed or none matched, 2 usage error.
`

// env is what a run needs from outside: the data layer, the terminal, the name
// look-ups of the filter.
type env struct {
	src      source.Source
	destroy  source.Destroyer
	terminal bool // stdin and stdout are a terminal: ask before closing
	filter   analysis.ParseOptions
	stdin    io.Reader
	stdout   io.Writer
	stderr   io.Writer
	timeout  time.Duration
}

// Run is `netstat close`.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	names := resolve.NewSystem(os.DirFS("/etc"))
	src := source.NewLive(source.LiveOptions{})
	defer func() {
		if err := src.Close(); err != nil {
			fmt.Fprintf(stderr, "netstat close: %v\n", err)
		}
	}()
	e := &env{
		src: src, destroy: src, terminal: isTerminal(stdin) && isTerminal(stdout),
		filter: analysis.NameLookups(ctx, names), stdin: stdin, stdout: stdout, stderr: stderr,
		timeout: 30 * time.Second,
	}
	return e.run(ctx, args)
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}

func (e *env) usageError(format string, a ...any) int {
	fmt.Fprintf(e.stderr, "netstat close: "+format+"\nTry 'netstat close --help' for more information.\n", a...)
	return 2
}

func (e *env) run(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("close", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var yes, programs bool
	for _, n := range []string{"y", "yes"} {
		fs.BoolVar(&yes, n, false, "")
	}
	for _, n := range []string{"p", "program", "programs"} {
		fs.BoolVar(&programs, n, false, "")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(e.stdout, usage)
			return 0
		}
		return e.usageError("%v", err)
	}
	text := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if text == "" {
		return e.usageError("refusing to close every TCP socket: give a FILTER (e.g. netstat close 'dport = :8080')")
	}
	expr, err := analysis.ParseFilter(text, e.filter)
	if err != nil {
		return e.usageError("FILTER: %v", err)
	}

	q := source.Query{Protos: []netstat.Proto{netstat.TCP}, Filter: expr}
	if programs {
		q.Extras |= source.WithOwners
	}
	sctx, cancel := context.WithTimeout(ctx, e.timeout)
	snap, err := e.src.Snapshot(sctx, q)
	cancel()
	if err != nil {
		fmt.Fprintf(e.stderr, "netstat close: %v\n", err)
		return 1
	}
	var targets []netstat.Socket
	for i := range snap.Inet {
		s := &snap.Inet[i]
		if s.Proto == netstat.TCP && expr.Match(s) {
			targets = append(targets, *s)
		}
	}
	if len(targets) == 0 {
		fmt.Fprintf(e.stderr, "netstat close: no TCP socket matches %q\n", text)
		return 1
	}
	p := printer{snap: snap, programs: programs}
	if e.terminal && !yes {
		b := p.header(nil)
		for i := range targets {
			b = p.row(b, &targets[i])
		}
		e.stderr.Write(b)
		fmt.Fprintf(e.stderr, "Close %s? [y/N] ", plural(len(targets)))
		if !confirmed(e.stdin) {
			fmt.Fprintln(e.stderr, "nothing closed")
			return 1
		}
	}

	var out []byte
	failed := 0
	for i := range targets {
		s := &targets[i]
		dctx, cancel := context.WithTimeout(ctx, e.timeout)
		err := e.destroy.Destroy(dctx, s)
		cancel()
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "netstat close: not closed: %s %s -> %s: %v\n", "tcp", s.Local, s.Remote, err)
			if errors.Is(err, source.ErrDestroyUnsupported) || errors.Is(err, source.ErrPermission) {
				// Every other socket would fail the same way.
				if rest := len(targets) - i - 1; rest > 0 {
					fmt.Fprintf(e.stderr, "netstat close: %s more not tried, for the same reason\n", plural(rest))
					failed += rest
				}
				break
			}
			continue
		}
		if out == nil {
			out = p.header(out)
		}
		out = p.row(out, s)
	}
	e.stdout.Write(out)
	if failed > 0 {
		fmt.Fprintf(e.stderr, "netstat close: closed %d of %s\n", len(targets)-failed, plural(len(targets)))
		return 1
	}
	return 0
}

// confirmed reads one answer line: yes or y (any case) confirms.
func confirmed(r io.Reader) bool {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && line == "" {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

func plural(n int) string {
	if n == 1 {
		return "1 socket"
	}
	return strconv.Itoa(n) + " sockets"
}

// printer writes net-tools rows (netstat -tn, with -p the program column).
type printer struct {
	snap     *netstat.Snapshot
	programs bool
}

func (p *printer) header(b []byte) []byte {
	b = append(b, "Proto Recv-Q Send-Q Local Address           Foreign Address         State      "...)
	if p.programs {
		b = append(b, " PID/Program name    "...)
	}
	return append(b, '\n')
}

func (p *printer) row(b []byte, s *netstat.Socket) []byte {
	o := textfmt.SocketOptions{NumericHosts: true, NumericPorts: true, NumericUsers: true}
	b = textfmt.AppendInetRow(b, s, &o, resolve.Numeric{}, nil)
	if !p.programs {
		return b
	}
	return append(p.appendProgram(append(b[:len(b)-1], ' '), s.Inode), '\n')
}

// appendProgram appends net-tools' "PID/name" column of the first holder (cut to 19
// bytes by textfmt, then made safe for the terminal), padded to 20 bytes.
func (p *printer) appendProgram(b []byte, inode uint64) []byte {
	text := "-"
	if owners := p.snap.OwnersOf(inode); len(owners) > 0 {
		text = termsafe.Sanitize(textfmt.ProgramColumn(owners[0]))
	}
	b = append(b, text...)
	for i := len(text); i < 20; i++ {
		b = append(b, ' ')
	}
	return b
}
