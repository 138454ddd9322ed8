// Package sniff implements `netstat sniff RECIPE`: the cheat sheet's tcpdump recipes
// (top sources of port 80, crawlers, MySQL statements) done right, on a live AF_PACKET
// capture or a pcap/pcapng file.
package sniff

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/netstat-go/netstat/internal/sniff/capture"
	"github.com/netstat-go/netstat/internal/sniff/pcapfile"
)

const usage = `Usage: netstat sniff RECIPE [OPTIONS]

Recipes:
  top-sources   the sources that send most to a port (default 80), largest first:
                  --by requests|packets|connections|bytes  what to count (default requests:
                                                           HTTP request lines)
                  --top N                                  lines to print (default 20)
  crawlers      each crawler's HTTP request as it happens (time, client, User-Agent, Host,
                method, path), then the requests per User-Agent:
                  --ua REGEX   User-Agents to show (default bot|crawler|slurp|spider,
                               case-insensitive)
                  --all        every request
  mysql         each MySQL/MariaDB statement (default port 3306) whole, with time, client,
                user and database; prepared statements with their parameter values;
                TLS and compressed connections are reported once each

Options:
  --port N         the server's TCP port
  -i IFACE         capture on IFACE only (default: every interface)
  -c COUNT         stop after COUNT packets
  --duration D     stop after D (e.g. 30s, 5m); Ctrl-C also stops, with the summary
  -r FILE          read a pcap or pcapng file instead of capturing ("-" for standard input)
  --json           one JSON object per event, then one for the summary

Live capture needs the CAP_NET_RAW capability (root, or setcap cap_net_raw+ep on the
binary). Kernel drop counts are printed on standard error at the end.
`

// config is the parsed command line.
type config struct {
	recipe   string
	port     uint16
	by       string
	top      int
	ua       *regexp.Regexp
	all      bool
	iface    string
	count    int
	duration time.Duration
	file     string
	json     bool
	loc      *time.Location
}

// Recipes returns the recipes sniff knows, in the order its help gives them (shell
// completion offers them too).
func Recipes() []string { return []string{"top-sources", "crawlers", "mysql"} }

// parse reads the command line: the recipe, then its options.
func parse(args []string) (config, error) {
	var c config
	if len(args) == 0 {
		return c, errors.New("missing RECIPE (top-sources, crawlers or mysql)")
	}
	c.recipe = args[0]
	if c.recipe == "-h" || c.recipe == "--help" || c.recipe == "help" {
		return c, flag.ErrHelp
	}
	if !slices.Contains(Recipes(), c.recipe) {
		return c, fmt.Errorf("unknown recipe %q (top-sources, crawlers or mysql)", c.recipe)
	}
	defPort := 80
	if c.recipe == "mysql" {
		defPort = 3306
	}
	fs := flag.NewFlagSet("sniff "+c.recipe, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	port := fs.Int("port", defPort, "")
	fs.StringVar(&c.by, "by", "requests", "")
	fs.IntVar(&c.top, "top", 20, "")
	ua := fs.String("ua", "bot|crawler|slurp|spider", "")
	fs.BoolVar(&c.all, "all", false, "")
	fs.StringVar(&c.iface, "i", "", "")
	fs.IntVar(&c.count, "c", 0, "")
	fs.DurationVar(&c.duration, "duration", 0, "")
	fs.StringVar(&c.file, "r", "", "")
	fs.BoolVar(&c.json, "json", false, "")
	if err := fs.Parse(args[1:]); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *port < 1 || *port > 65535 {
		return c, fmt.Errorf("--port %d: not a TCP port", *port)
	}
	c.port = uint16(*port)
	switch c.by {
	case "requests", "packets", "connections", "bytes":
	default:
		return c, fmt.Errorf("--by %q: want requests, packets, connections or bytes", c.by)
	}
	if c.top < 1 {
		return c, fmt.Errorf("--top %d: want at least 1", c.top)
	}
	if c.count < 0 || c.duration < 0 {
		return c, errors.New("-c and --duration must not be negative")
	}
	re, err := regexp.Compile("(?i)" + *ua)
	if err != nil {
		return c, fmt.Errorf("--ua: %w", err)
	}
	c.ua = re
	c.loc = time.Local
	return c, nil
}

// Run is the entry point of `netstat sniff`.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "netstat sniff: %v\nTry 'netstat sniff --help' for more information.\n", err)
		return 2
	}
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	if cfg.file != "" {
		return runFile(ctx, cfg, stdin, stdout, stderr)
	}
	return runLive(ctx, cfg, stdout, stderr)
}

func runFile(ctx context.Context, cfg config, stdin io.Reader, stdout, stderr io.Writer) int {
	in := stdin
	if cfg.file != "-" {
		f, err := os.Open(cfg.file)
		if err != nil {
			fmt.Fprintf(stderr, "netstat sniff: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	r, err := pcapfile.NewReader(in)
	if err != nil {
		fmt.Fprintf(stderr, "netstat sniff: %s: %v\n", cfg.file, err)
		return 1
	}
	rec := newRecipe(cfg, stdout)
	rc := 0
	for ctx.Err() == nil {
		data, ts, lt, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "netstat sniff: %s: %v\n", cfg.file, err)
			rc = 1
			break
		}
		if rec.packet(lt, data, ts) && cfg.count > 0 && rec.packets >= cfg.count {
			break
		}
	}
	if err := rec.finish(nil); err != nil {
		fmt.Fprintf(stderr, "netstat sniff: %v\n", err)
		return 1
	}
	return rc
}

func runLive(ctx context.Context, cfg config, stdout, stderr io.Writer) int {
	h, err := capture.Open(capture.Options{Interface: cfg.iface, Port: cfg.port, Both: cfg.recipe == "mysql"})
	if errors.Is(err, capture.ErrPermission) {
		fmt.Fprintln(stderr, "netstat sniff: capturing packets needs the CAP_NET_RAW capability: run as root, or grant it to the binary with 'setcap cap_net_raw+ep "+exe()+"'")
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "netstat sniff: %v\n", err)
		return 1
	}
	defer h.Close()
	rec := newRecipe(cfg, stdout)
	rc := 0
	for ctx.Err() == nil {
		data, ts, err := h.Next()
		if errors.Is(err, capture.ErrTimeout) {
			continue
		}
		if err != nil {
			fmt.Fprintf(stderr, "netstat sniff: %v\n", err)
			rc = 1
			break
		}
		if rec.packet(h.LinkType(), data, ts) && cfg.count > 0 && rec.packets >= cfg.count {
			break
		}
	}
	st, err := h.Stats()
	if err != nil {
		fmt.Fprintf(stderr, "netstat sniff: %v\n", err)
		rc = 1
	}
	if err := rec.finish(&st); err != nil {
		fmt.Fprintf(stderr, "netstat sniff: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "%d packets received by filter, %d packets dropped by kernel\n", st.Packets, st.Drops)
	return rc
}

func exe() string {
	p, err := os.Executable()
	if err != nil {
		return "netstat"
	}
	return p
}

// sanitize makes captured text safe for a terminal: newlines and tabs stay, other
// control characters and invalid UTF-8 become \xNN.
func sanitize(s string) string {
	clean := true
	for _, r := range s {
		if r == 0xfffd || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0xfffd && n <= 1 || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			for j := 0; j < n; j++ {
				fmt.Fprintf(&b, `\x%02x`, s[i+j])
			}
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
