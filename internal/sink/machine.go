package sink

import (
	"encoding/csv"
	"io"

	"github.com/netstat-go/netstat/internal/csvfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// Machine is what a machine sink needs besides its writer (--format=json, --json,
// --format=csv). docs/json.md and docs/csv.md describe the output.
type Machine struct {
	// Options are the optional fields of socket rows: names unless numeric, owners
	// with -p, timers with -o.
	Options jsonfmt.SocketOptions
	// Selection is -a and -l (JSON's "selection").
	Selection Selection
	// Tables are the tables the iteration prints.
	Tables Tables
	// Names turns numbers into names where Options allow it.
	Names resolve.Resolver
	// Program returns the lowest-PID process holding an inode (CSV's owner columns).
	Program netstat.ProgramLookup
	// Holders returns every process holding an inode (JSON's "processes").
	Holders jsonfmt.Holders
}

// NewMachine returns the sink for format ("json" or "csv") writing to w. The sink
// also implements Groups and Ender.
func NewMachine(format string, w io.Writer, m Machine) Rows {
	if format == "csv" {
		return NewCSV(w, m)
	}
	return NewJSON(w, m)
}

// JSON writes one JSON document per iteration, element by element as rows arrive: a
// "sockets" document with an array per table ("inet", "groups", "unix"), or a "groups"
// document when the listing shows groups only (-g).
type JSON struct {
	w       io.Writer
	m       Machine
	kind    string
	buf     []byte
	opened  bool
	inArray bool
	items   jsonfmt.Array
}

// NewJSON returns the JSON sink writing to w.
func NewJSON(w io.Writer, m Machine) *JSON {
	j := &JSON{w: w, m: m, kind: jsonfmt.KindSockets}
	if t := m.Tables; t.Groups && !t.Inet && !t.Unix {
		j.kind = jsonfmt.KindGroups
	}
	return j
}

func (j *JSON) open() {
	if j.opened {
		return
	}
	j.opened = true
	j.buf = jsonfmt.Open(j.buf, j.kind)
	if j.kind == jsonfmt.KindSockets {
		j.buf = jsonfmt.AppendKey(j.buf, "selection")
		j.buf = jsonfmt.AppendString(j.buf, jsonfmt.Selection(j.m.Selection.All, j.m.Selection.Listening))
	}
}

// array starts the document's array called name, ending the one before.
func (j *JSON) array(name string) {
	j.open()
	j.closeArray()
	j.buf = jsonfmt.AppendKey(j.buf, name)
	j.buf = append(j.buf, '[')
	j.inArray = true
	j.items = jsonfmt.Array{}
}

func (j *JSON) closeArray() {
	if j.inArray {
		j.buf = append(j.buf, ']')
		j.inArray = false
	}
}

// holders is the owner lookup of the rows: nil without -p.
func (j *JSON) holders() jsonfmt.Holders {
	if j.m.Options.Programs {
		return j.m.Holders
	}
	return nil
}

// BeginInet implements Rows.
func (j *JSON) BeginInet() { j.array("inet") }

// Inet implements Rows.
func (j *JSON) Inet(s *netstat.Socket) {
	j.buf = j.items.Next(j.buf)
	j.buf = jsonfmt.AppendInetSocket(j.buf, s, &j.m.Options, j.m.Names, j.holders())
	j.maybeFlush()
}

// BeginUnix implements Rows.
func (j *JSON) BeginUnix() { j.array("unix") }

// Unix implements Rows.
func (j *JSON) Unix(u *netstat.UnixSocket) {
	j.buf = j.items.Next(j.buf)
	j.buf = jsonfmt.AppendUnixSocket(j.buf, u, j.m.Options.Programs, j.m.Holders)
	j.maybeFlush()
}

// BeginGroups implements Groups.
func (j *JSON) BeginGroups() { j.array("groups") }

// Group implements Groups.
func (j *JSON) Group(m *netstat.Membership) error {
	j.buf = j.items.Next(j.buf)
	j.buf = jsonfmt.AppendMembership(j.buf, m, j.m.Options.HostNames, j.m.Names)
	j.maybeFlush()
	return nil
}

func (j *JSON) maybeFlush() {
	if len(j.buf) >= flushAt {
		j.Flush()
	}
}

// Flush implements Rows.
func (j *JSON) Flush() {
	if len(j.buf) > 0 {
		j.w.Write(j.buf)
		j.buf = j.buf[:0]
	}
}

// End implements Ender: it closes the document and writes it out.
func (j *JSON) End() {
	j.open()
	j.closeArray()
	j.buf = jsonfmt.Close(j.buf)
	j.Flush()
}

// CSV writes one table per iteration, header first: the first table the listing prints
// (Internet sockets, else groups, else unix sockets); the others are left out.
type CSV struct {
	m     Machine
	table string // "inet", "groups" or "unix"
	w     *csv.Writer
	rec   []string
}

// NewCSV returns the CSV sink writing to w.
func NewCSV(w io.Writer, m Machine) *CSV {
	s := &CSV{m: m, w: csv.NewWriter(w)}
	switch t := m.Tables; {
	case t.Inet:
		s.table = "inet"
	case t.Groups:
		s.table = "groups"
	case t.Unix:
		s.table = "unix"
	}
	return s
}

// BeginInet implements Rows.
func (s *CSV) BeginInet() {
	if s.table == "inet" {
		s.w.Write(csvfmt.InetHeader(&s.m.Options))
	}
}

// Inet implements Rows.
func (s *CSV) Inet(sk *netstat.Socket) {
	if s.table != "inet" {
		return
	}
	var prog netstat.ProgramLookup
	if s.m.Options.Programs {
		prog = s.m.Program
	}
	s.rec = csvfmt.InetRecord(s.rec, sk, &s.m.Options, s.m.Names, prog)
	s.w.Write(s.rec)
}

// BeginUnix implements Rows.
func (s *CSV) BeginUnix() {
	if s.table == "unix" {
		s.w.Write(csvfmt.UnixHeader(s.m.Options.Programs))
	}
}

// Unix implements Rows.
func (s *CSV) Unix(u *netstat.UnixSocket) {
	if s.table != "unix" {
		return
	}
	s.rec = csvfmt.UnixRecord(s.rec, u, s.m.Options.Programs, s.m.Program)
	s.w.Write(s.rec)
}

// BeginGroups implements Groups.
func (s *CSV) BeginGroups() {
	if s.table == "groups" {
		s.w.Write(csvfmt.GroupHeader(s.m.Options.HostNames))
	}
}

// Group implements Groups.
func (s *CSV) Group(m *netstat.Membership) error {
	if s.table == "groups" {
		s.rec = csvfmt.GroupRecord(s.rec, m, s.m.Options.HostNames, s.m.Names)
		s.w.Write(s.rec)
	}
	return nil
}

// Flush implements Rows.
func (s *CSV) Flush() { s.w.Flush() }

// End implements Ender.
func (s *CSV) End() { s.w.Flush() }
