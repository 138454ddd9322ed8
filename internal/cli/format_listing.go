package cli

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/sink"
)

// format_listing.go is netstat-go's machine output of the socket listing
// (--format=json, --json, --format=csv): it picks the sink (internal/sink) that takes
// the rows the listing selects, so that the selection (-t -u -x -a -l -4 -6 ...,
// filters) stays the listing's.
// docs/json.md and docs/csv.md describe the output.

// newMachineSink returns the sink for c.Ext.Format ("json" or "csv").
func newMachineSink(l *listing) sink.Rows {
	c := l.c
	inet, groups, unix := listingTables(c)
	return sink.NewMachine(c.Ext.Format, l.e.stdout, sink.Machine{
		Options:   machineSocketOptions(c),
		Selection: sink.Selection{All: c.All > 0, Listening: c.Listening > 0},
		Tables:    sink.Tables{Inet: inet, Groups: groups, Unix: unix},
		Names:     l.e.names,
		Program:   l.program,
		Holders:   l.holders,
	})
}

// newCountSink returns the sink of --count for the compiled selection sel: its
// groups go out as text, or in the --format machine format.
func newCountSink(l *listing, sel *selection) *sink.Count {
	c, e := l.c, l.e
	text := analysis.KeyText{
		NumericHosts: c.NumericHosts,
		NumericPorts: c.NumericPorts,
		NumericUsers: c.NumericUsers,
		Names:        e.names,
		Program:      l.program,
	}
	return sink.NewCount(sel.keys, sel.top, text, func(groups []analysis.Group, total int) {
		if c.Ext.Format != "" {
			e.writeCounts(c, c.Ext.Count, groups, total)
			return
		}
		e.stdout.Write(analysis.AppendGroups(nil, groups))
	})
}

// groupsOut is where the -g section of the listing goes: the sink when it takes group
// rows, else nil (net-tools' text).
func (l *listing) groupsOut() sink.Groups {
	if g, ok := l.sink.(sink.Groups); ok {
		return g
	}
	return nil
}

// machineSocketOptions are the optional fields of socket rows for c: names unless
// numeric, owners with -p, timers with -o.
func machineSocketOptions(c *Config) jsonfmt.SocketOptions {
	return jsonfmt.SocketOptions{
		HostNames: !c.NumericHosts,
		PortNames: !c.NumericPorts,
		UserNames: !c.NumericUsers,
		Programs:  c.Programs > 0,
		Timers:    c.Timers > 0,
	}
}

// listingTables reports which tables an iteration of the listing prints for c, in
// net-tools' order: Internet sockets, multicast groups (-g), unix sockets.
func listingTables(c *Config) (inet, groups, unix bool) {
	noArg := c.Arg == 0
	inet = noArg || c.TCP > 0 || c.SCTP > 0 || c.UDP > 0 || c.UDPLite > 0 || c.Raw > 0
	return inet, c.Groups > 0, noArg || c.Unix > 0
}
