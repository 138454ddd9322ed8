package winsource

import (
	"context"
	"net/netip"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// Source is what the Windows command line (internal/winnetstat) reads: Host, the IP
// Helper API, on Windows; fakes in tests.
type Source interface {
	// Listing takes a snapshot of the TCP and UDP endpoints. Each socket's Inode is an
	// identifier the source assigns (Windows has no inodes); Owners maps it to the
	// owning process's PID (0 for sockets no process owns, such as TIME_WAIT). With
	// modules, Modules is filled for -b.
	Listing(ctx context.Context, q source.Query, modules bool) (*Listing, error)
	// Counters are the protocol statistics of -s, in /proc/net/snmp's section and
	// counter names (see StatsSections).
	source.CounterSource
	// Ethernet sums the interface counters -e shows.
	Ethernet(ctx context.Context) (*EthernetStats, error)
	// Routes reads what -r prints.
	Routes(ctx context.Context) (*RouteTable, error)
	// Elevated reports whether the process runs with administrator rights (-b needs
	// them).
	Elevated() bool
}

// Listing is a snapshot with -b's owner modules.
type Listing struct {
	Snapshot *netstat.Snapshot
	// Modules maps a socket's Inode to its owner module; sockets without an entry
	// print "Can not obtain ownership information" under -b.
	Modules map[uint64]Module
}

// Module is the owner -b prints: the service (for a socket a service in a shared host
// process created) and the executable's base name.
type Module struct {
	Service string
	Exe     string
}

// PID returns the PID that owns the socket with inode in l, 0 when none does.
func (l *Listing) PID(inode uint64) int {
	if p := l.Snapshot.OwnersOf(inode); len(p) > 0 {
		return p[0].PID
	}
	return 0
}

// EthernetStats are the interface counters -e prints, summed over the host's
// interfaces.
type EthernetStats struct {
	RecvBytes, SentBytes           uint64
	RecvUnicast, SentUnicast       uint64
	RecvNonUnicast, SentNonUnicast uint64
	RecvDiscards, SentDiscards     uint64
	RecvErrors, SentErrors         uint64
	RecvUnknownProtos              uint64
}

// RouteTable is what -r prints (route print's layout).
type RouteTable struct {
	Interfaces  []RouteInterface
	IPv4        []IPv4Route
	IPv4Persist []IPv4Route
	IPv6        []IPv6Route
	IPv6Persist []IPv6Route
}

// RouteInterface is one line of the interface list.
type RouteInterface struct {
	Index       uint32
	HWAddr      []byte // empty for interfaces without a link-layer address
	Description string
}

// IPv4Route is one IPv4 route: Gateway is invalid (or unspecified) for an on-link
// route; Interface is the address of the interface the route leaves through; Metric
// is the route's metric plus the interface's, as route print shows it.
type IPv4Route struct {
	Destination, Netmask, Gateway, Interface netip.Addr
	Metric                                   uint32
}

// IPv6Route is one IPv6 route: Gateway is invalid (or unspecified) for an on-link
// route.
type IPv6Route struct {
	IfIndex     uint32
	Metric      uint32
	Destination netip.Prefix
	Gateway     netip.Addr
}
