// Package cli turns a netstat command line into output: net-tools-compatible option
// parsing, mode dispatch, and the -c loop.
package cli

import (
	"bufio"
	"context"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/system"
)

// SourceEnv names the environment variable that picks the socket data source:
// "proc" forces the /proc/net text files (net-tools' own source); anything else, or
// unset, uses netlink sock_diag with /proc as the per-protocol fallback.
const SourceEnv = "NETSTAT_GO_SOURCE"

// oneShotGCPercent is the garbage collector's GOGC for a run without -c (unless GOGC is
// set). At the default 100, netstat -tulpn at 200,000 sockets ran one or two
// collections while it read /proc, each taking one of the two cores for about 20 ms:
// 0.499 s against 0.487 s at 400 (medians of 7), with a lower peak RSS (26.7 against
// 32.0 MiB; -tanp 30.4 against 35.6 MiB). A -c loop keeps the default: its heap would
// otherwise settle at five times what each refresh keeps.
const oneShotGCPercent = 400

// Main runs netstat with args (args[0] is the program name as invoked) and returns the
// exit status. lookupEnv reads the environment (os.LookupEnv live).
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, lookupEnv func(string) (string, bool)) int {
	_, posixly := lookupEnv("POSIXLY_CORRECT")
	args, ext, act := splitExtensions(args)
	if act != nil {
		io.WriteString(stderr, act.Stderr)
		return act.Exit
	}
	cfg, warnings, act := Parse(args, posixly)
	if act != nil {
		io.WriteString(stdout, act.Stdout)
		io.WriteString(stderr, act.Stderr)
		return act.Exit
	}
	io.WriteString(stderr, warnings)
	cfg.Ext = ext
	if _, set := lookupEnv("GOGC"); !set && cfg.Continuous == 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(oneShotGCPercent))
	}

	out := bufio.NewWriterSize(stdout, 64*1024)
	defer out.Flush()
	proc := os.DirFS("/proc")
	e := &env{
		stdout: out,
		stderr: stderr,
		proc:   proc,
		names:  resolve.NewSystem(os.DirFS("/etc")),
		sleep:  time.Sleep,
		owners: func(every bool) *procfd.Owners {
			if every {
				return procfd.LiveEvery("/proc")
			}
			return procfd.Live("/proc")
		},
		euid: os.Geteuid(),
	}
	warn := func(msg string) {
		out.Flush()
		io.WriteString(stderr, msg+"\n")
	}
	source, _ := lookupEnv(SourceEnv)
	sockets := system.NewSockets(proc, source == "proc", cfg.Timers > 0, warn)
	defer sockets.Close()
	e.sockets = sockets
	// Hook: bad netstat-go filters and count keys fail here, before any output and in
	// every mode (filter.go).
	if _, act := e.compileSelection(ctx, cfg); act != nil {
		io.WriteString(stderr, act.Stderr)
		return act.Exit
	}
	return e.run(ctx, cfg)
}

// run dispatches to the mode the configuration selects (first match wins: -M, -s, -r,
// -i, the socket listing) and repeats it every second with -c while it succeeds.
func (e *env) run(ctx context.Context, c *Config) int {
	// Hook: netstat-go subcommands (states.go, exthelp.go).
	switch c.Ext.Subcommand {
	case "states":
		return exitStatus(e.runStates(ctx, c))
	case "help":
		e.stdout.WriteString(extHelp())
		return 0
	case "completion":
		return e.runCompletion(c)
	}
	var once func() int
	switch {
	case c.Masquerade > 0:
		once = func() int { return e.runMasquerade(ctx, c) }
	case c.Statistics > 0:
		return exitStatus(e.runStatistics(ctx, c))
	case c.Route > 0:
		once = func() int { return e.runRoute(ctx, c) }
	case c.Interfaces > 0:
		once = func() int { return e.runInterfaces(ctx, c) }
	default:
		once = func() int { return e.runListing(ctx, c) }
	}
	for {
		rc := once()
		if rc != 0 || c.Continuous == 0 || ctx.Err() != nil {
			return exitStatus(rc)
		}
		e.stdout.Flush()
		e.sleep(time.Second)
	}
}

// exitStatus maps net-tools' internal -1 to the exit status 255 it produces.
func exitStatus(rc int) int { return rc & 0xff }
