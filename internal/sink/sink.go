// Package sink renders the rows of netstat's socket listing: net-tools' text tables,
// netstat-go's JSON and CSV documents, and the --count summary. The listing (in
// internal/cli) decides which tables run and which rows pass; a sink decides what they
// look like. Sinks take their dependencies explicitly (the output writer, the options,
// the name resolver, the owner lookups) and hold no reference to the listing.
package sink

import "github.com/netstat-go/netstat/netstat"

// flushAt is the size of rendered output a sink holds before writing it, so that output
// streams while the kernel dump is still running.
const flushAt = 32 * 1024

// Rows receives the rows a listing iteration selects, in kernel order.
type Rows interface {
	// BeginInet starts the Internet table (called even when it will have no rows).
	BeginInet()
	// Inet receives one Internet socket row.
	Inet(s *netstat.Socket)
	// BeginUnix starts the unix table, once /proc/net/unix could be read.
	BeginUnix()
	// Unix receives one unix socket row.
	Unix(u *netstat.UnixSocket)
	// Flush writes what the sink holds to its writer.
	Flush()
}

// Ender is a sink with something to finish after an iteration of the listing (a JSON
// document's end, the --count summary).
type Ender interface {
	// End finishes the iteration's output; it runs once, after the last table.
	End()
}

// Groups receives the multicast group section (-g) of the listing: its start, then
// each membership. The machine sinks implement it; net-tools' text does not go
// through a sink.
type Groups interface {
	// BeginGroups starts the group table.
	BeginGroups()
	// Group receives one membership row.
	Group(m *netstat.Membership) error
}

// Selection is the listing's choice of rows: -a (all) and -l (listening only); it
// picks the tables' titles.
type Selection struct {
	All, Listening bool
}

// Tables says which tables an iteration of the listing prints, in net-tools' order:
// Internet sockets, multicast groups (-g), unix sockets.
type Tables struct {
	Inet, Groups, Unix bool
}
