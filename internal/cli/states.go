package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/csvfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// states.go is `netstat states` (netstat-go's own subcommand): the TCP states
// explained (textfmt.StatesGuide), then the number of TCP sockets in each state on
// this system, read from the normal socket source, with the patterns worth a look.
// --json and --format=csv print the counts only. -4 or -6 restricts the count to
// one family; other net-tools options are accepted and ignored. State names after
// "states" (netstat states close-wait) narrow the guide to their paragraphs.

// runStates prints the states report once and returns 0, or 1 when the sockets could
// not be listed (the guide is printed all the same).
func (e *env) runStates(ctx context.Context, c *Config) int {
	fams := []netstat.Family{netstat.IPv4, netstat.IPv6}
	switch {
	case c.Inet > 0 && c.Inet6 == 0:
		fams = fams[:1]
	case c.Inet6 > 0 && c.Inet == 0:
		fams = fams[1:]
	}
	var counts analysis.StateCounts
	var names []string
	rc := 0
	for _, fam := range fams {
		err := e.sockets.InetSockets(ctx, netstat.TCP, fam, func(s *netstat.Socket) error {
			counts.Add(s.State)
			return nil
		})
		switch {
		case errors.Is(err, netstat.ErrNotSupported):
			// No TCP for this family (IPv6 disabled): nothing to count.
		case err != nil:
			e.stdout.Flush()
			fmt.Fprintf(e.stderr, "netstat: %v\n", err)
			rc = 1
		default:
			names = append(names, jsonfmt.FamilyName(fam))
		}
	}
	switch c.Ext.Format {
	case "json":
		e.stdout.Write(jsonfmt.AppendStates(nil, names, &counts))
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write(csvfmt.StatesHeader())
		w.WriteAll(csvfmt.StatesRecords(&counts))
	default:
		if c.Ext.Explain == 0 && !c.Ext.ExplainUnknown {
			e.stdout.WriteString(textfmt.StatesGuide)
		} else {
			e.stdout.WriteString(explainStates(c.Ext.Explain, c.Ext.ExplainUnknown))
		}
		e.stdout.WriteByte('\n')
		e.stdout.Write(textfmt.AppendStatesReport(nil, &counts, familiesText(names)))
	}
	return rc
}

// explainStates returns the guide's paragraphs for the states of set, in the guide's
// order, and the one on UNKNOWN last when unknown is set.
func explainStates(set analysis.StateSet, unknown bool) string {
	var b strings.Builder
	for st := netstat.Established; st <= netstat.Closing; st++ {
		if set.Has(st) {
			b.WriteString(textfmt.StateEntry(st.String()))
		}
	}
	if unknown {
		b.WriteString(textfmt.StateEntry("UNKNOWN"))
	}
	return b.String()
}

// familiesText names the families counted for the report's title.
func familiesText(names []string) string {
	switch len(names) {
	case 0:
		return "none could be listed"
	case 1:
		if names[0] == "inet6" {
			return "IPv6"
		}
		return "IPv4"
	}
	return "IPv4 and IPv6"
}
