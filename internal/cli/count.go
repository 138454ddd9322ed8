package cli

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/netstat"
)

// countSink groups the rows of a listing by the --count keys and, at the end of the
// iteration, prints one line per group the way `sort | uniq -c | sort -rn | head -N`
// prints them. Only Internet sockets are counted; no headers are printed.
type countSink struct {
	l       *listing
	keys    []analysis.Key
	top     int
	text    analysis.KeyText
	counter analysis.Counter
	fields  []string
}

func newCountSink(l *listing, sel *selection) *countSink {
	c := l.c
	return &countSink{
		l:    l,
		keys: sel.keys,
		top:  sel.top,
		text: analysis.KeyText{
			NumericHosts: c.NumericHosts,
			NumericPorts: c.NumericPorts,
			NumericUsers: c.NumericUsers,
			Names:        l.e.names,
			Program:      l.program,
		},
	}
}

func (cs *countSink) beginInet() {}

func (cs *countSink) inet(s *netstat.Socket) {
	cs.fields = cs.text.Append(cs.fields[:0], cs.keys, s)
	cs.counter.Add(cs.fields)
}

func (cs *countSink) beginUnix()               {}
func (cs *countSink) unix(*netstat.UnixSocket) {}
func (cs *countSink) flush()                   {}

// groups returns the counted groups in printing order, --top applied.
func (cs *countSink) groups() []analysis.Group { return cs.counter.Groups(cs.top) }

// end prints the groups, as text or in the --format machine format; it runs once,
// after the iteration's last table.
func (cs *countSink) end() {
	if c := cs.l.c; c.Ext.Format != "" {
		cs.l.e.writeCounts(c, c.Ext.Count, cs.groups(), cs.counter.Total())
		return
	}
	cs.l.e.stdout.Write(analysis.AppendGroups(nil, cs.groups()))
}
