package cli

import (
	"encoding/csv"

	"github.com/netstat-go/netstat/internal/csvfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// format_listing.go is netstat-go's machine output of the socket listing
// (--format=json, --json, --format=csv): sinks that take the rows the listing selects,
// so that the selection (-t -u -x -a -l -4 -6 ..., filters) stays the listing's.
// docs/json.md and docs/csv.md describe the output.

// sinkEnder is a sink with something to finish after an iteration of the listing
// (a JSON document's end).
type sinkEnder interface{ end() }

// newMachineSink returns the sink for c.Ext.Format ("json" or "csv").
func newMachineSink(l *listing) rowSink {
	if l.c.Ext.Format == "csv" {
		return newCSVSink(l)
	}
	return newJSONSink(l)
}

// groupsOut is where the -g section of the listing goes: the sink when it takes group
// rows, else nil (net-tools' text).
func (l *listing) groupsOut() groupOut {
	if g, ok := l.sink.(groupOut); ok {
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

// jsonSink writes one JSON document per iteration, element by element as rows arrive:
// a "sockets" document with an array per table ("inet", "groups", "unix"), or a
// "groups" document when the listing shows groups only (-g).
type jsonSink struct {
	l       *listing
	o       jsonfmt.SocketOptions
	kind    string
	buf     []byte
	opened  bool
	inArray bool
	items   jsonfmt.Array
}

func newJSONSink(l *listing) *jsonSink {
	j := &jsonSink{l: l, o: machineSocketOptions(l.c), kind: jsonfmt.KindSockets}
	if inet, groups, unix := listingTables(l.c); groups && !inet && !unix {
		j.kind = jsonfmt.KindGroups
	}
	return j
}

func (j *jsonSink) open() {
	if j.opened {
		return
	}
	j.opened = true
	j.buf = jsonfmt.Open(j.buf, j.kind)
	if j.kind == jsonfmt.KindSockets {
		j.buf = jsonfmt.AppendKey(j.buf, "selection")
		j.buf = jsonfmt.AppendString(j.buf, jsonfmt.Selection(j.l.c.All > 0, j.l.c.Listening > 0))
	}
}

// array starts the document's array called name, ending the one before.
func (j *jsonSink) array(name string) {
	j.open()
	j.closeArray()
	j.buf = jsonfmt.AppendKey(j.buf, name)
	j.buf = append(j.buf, '[')
	j.inArray = true
	j.items = jsonfmt.Array{}
}

func (j *jsonSink) closeArray() {
	if j.inArray {
		j.buf = append(j.buf, ']')
		j.inArray = false
	}
}

func (j *jsonSink) beginInet() { j.array("inet") }

func (j *jsonSink) inet(s *netstat.Socket) {
	var holders jsonfmt.Holders
	if j.o.Programs {
		holders = j.l.holders
	}
	j.buf = j.items.Next(j.buf)
	j.buf = jsonfmt.AppendInetSocket(j.buf, s, &j.o, j.l.e.names, holders)
	j.maybeFlush()
}

func (j *jsonSink) beginUnix() { j.array("unix") }

func (j *jsonSink) unix(u *netstat.UnixSocket) {
	j.buf = j.items.Next(j.buf)
	j.buf = jsonfmt.AppendUnixSocket(j.buf, u, j.o.Programs, j.l.holders)
	j.maybeFlush()
}

func (j *jsonSink) beginGroups() { j.array("groups") }

func (j *jsonSink) group(m *netstat.Membership) error {
	j.buf = j.items.Next(j.buf)
	j.buf = jsonfmt.AppendMembership(j.buf, m, j.o.HostNames, j.l.e.names)
	j.maybeFlush()
	return nil
}

func (j *jsonSink) maybeFlush() {
	if len(j.buf) >= 32*1024 {
		j.flush()
	}
}

func (j *jsonSink) flush() {
	if len(j.buf) > 0 {
		j.l.e.stdout.Write(j.buf)
		j.buf = j.buf[:0]
	}
}

func (j *jsonSink) end() {
	j.open()
	j.closeArray()
	j.buf = jsonfmt.Close(j.buf)
	j.flush()
}

// csvSink writes one table per iteration, header first: the first table the listing
// prints (Internet sockets, else groups, else unix sockets); the others are left out.
type csvSink struct {
	l     *listing
	o     jsonfmt.SocketOptions
	table string // "inet", "groups" or "unix"
	w     *csv.Writer
	rec   []string
}

func newCSVSink(l *listing) *csvSink {
	s := &csvSink{l: l, o: machineSocketOptions(l.c), w: csv.NewWriter(l.e.stdout)}
	switch inet, groups, unix := listingTables(l.c); {
	case inet:
		s.table = "inet"
	case groups:
		s.table = "groups"
	case unix:
		s.table = "unix"
	}
	return s
}

func (s *csvSink) beginInet() {
	if s.table == "inet" {
		s.w.Write(csvfmt.InetHeader(&s.o))
	}
}

func (s *csvSink) inet(sk *netstat.Socket) {
	if s.table != "inet" {
		return
	}
	var prog textfmt.ProgramLookup
	if s.o.Programs {
		prog = s.l.program
	}
	s.rec = csvfmt.InetRecord(s.rec, sk, &s.o, s.l.e.names, prog)
	s.w.Write(s.rec)
}

func (s *csvSink) beginUnix() {
	if s.table == "unix" {
		s.w.Write(csvfmt.UnixHeader(s.o.Programs))
	}
}

func (s *csvSink) unix(u *netstat.UnixSocket) {
	if s.table != "unix" {
		return
	}
	s.rec = csvfmt.UnixRecord(s.rec, u, s.o.Programs, s.l.program)
	s.w.Write(s.rec)
}

func (s *csvSink) beginGroups() {
	if s.table == "groups" {
		s.w.Write(csvfmt.GroupHeader(s.o.HostNames))
	}
}

func (s *csvSink) group(m *netstat.Membership) error {
	if s.table == "groups" {
		s.rec = csvfmt.GroupRecord(s.rec, m, s.o.HostNames, s.l.e.names)
		s.w.Write(s.rec)
	}
	return nil
}

func (s *csvSink) flush() { s.w.Flush() }

func (s *csvSink) end() { s.w.Flush() }
