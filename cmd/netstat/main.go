// Command netstat prints network connections, routing tables, interface statistics,
// multicast memberships and protocol statistics, compatible with net-tools 2.10, and
// runs netstat-go's subcommands (weblog, sniff, top, close, serve). Built for Windows it
// is netstat.exe, with Windows netstat's options and output (main_windows.go).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/netstat-go/netstat/internal/closecmd"
	"github.com/netstat-go/netstat/internal/serve"
	"github.com/netstat-go/netstat/internal/sniff"
	"github.com/netstat-go/netstat/internal/top"
	"github.com/netstat-go/netstat/internal/weblog"
)

// runFunc is the entry point of a subcommand package: args are the arguments after the
// subcommand's name; it returns the exit status.
type runFunc func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// subcommands are dispatched on the first argument, before net-tools' option parsing
// sees the command line. Each lives in its own package.
var subcommands = map[string]runFunc{
	"serve":  serve.Run,
	"top":    top.Run,
	"close":  closecmd.Run,
	"weblog": weblog.Run,
	"sniff":  sniff.Run,
}

func main() {
	if len(os.Args) > 1 {
		if run, ok := subcommands[os.Args[1]]; ok {
			// SIGINT and SIGTERM cancel the context: a subcommand ends its work,
			// prints what it has (a summary, say) and returns.
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			endProfile := func() {}
			if path := os.Getenv(profileEnv); path != "" {
				if end, err := startCPUProfile(path, false); err == nil {
					endProfile = end
				}
			}
			rc := run(ctx, os.Args[2:], os.Stdin, os.Stdout, os.Stderr)
			endProfile()
			stop()
			os.Exit(rc)
		}
	}
	if path := os.Getenv(profileEnv); path != "" {
		if stop, err := startCPUProfile(path, true); err == nil {
			rc := platformMain(os.Args)
			stop()
			os.Exit(rc)
		}
	}
	os.Exit(platformMain(os.Args))
}

// profileEnv names the environment variable that, when set to a file name, makes
// netstat write a CPU profile (pprof format) of its run there. For development.
const profileEnv = "NETSTAT_GO_CPUPROFILE"
