// Command weblog-gen writes a deterministic synthetic access log to standard output,
// for the weblog benchmark (scripts/bench-weblog.sh).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netstat-go/netstat/internal/weblog/gen"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "lines to write")
	clients := flag.Int("clients", 4000, "distinct clients")
	urls := flag.Int("urls", 3000, "distinct URLs")
	seed := flag.Uint64("seed", 1, "random seed")
	format := flag.String("format", "combined-time", "combined, combined-time or squid-combined")
	flag.Parse()
	f := map[string]gen.Format{"combined": gen.Combined, "combined-time": gen.CombinedTime, "squid-combined": gen.SquidCombined}
	ff, ok := f[*format]
	if !ok {
		fmt.Fprintf(os.Stderr, "weblog-gen: unknown format %q\n", *format)
		os.Exit(2)
	}
	g := gen.New(gen.Config{Seed: *seed, Lines: *lines, Clients: *clients, URLs: *urls, Format: ff})
	if _, err := g.WriteTo(os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "weblog-gen: %v\n", err)
		os.Exit(1)
	}
}
