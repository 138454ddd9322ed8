// Package source is netstat-go's data layer: every view (the net-tools listing, the
// live view, the exporter) asks a Source for self-contained snapshots of the host's
// sockets. A query says which tables, which sockets and which extras it wants; the
// live source pushes the selection into the kernel (inet_diag's state mask and
// bytecode) where it can and checks it in user space where it cannot (/proc files).
package source

import (
	"context"
	"time"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/netstat"
)

// Extras are what a query asks for beyond the /proc columns.
type Extras uint8

// The extras a snapshot can carry.
const (
	// WithOwners fills Snapshot.Owners from /proc/<pid>/fd (every process holding each
	// socket, with names and command lines).
	WithOwners Extras = 1 << iota
	// WithTimers asks for /proc's exact retransmit and probe counts (net-tools' -o).
	WithTimers
	// WithTCPInfo fills Socket.Info and Socket.Congestion for TCP sockets.
	WithTCPInfo
	// WithCgroup fills Socket.CgroupID.
	WithCgroup
)

// Query selects what one snapshot holds. The zero Query asks for every TCP, UDP,
// UDP-Lite and raw socket of both families, without extras.
type Query struct {
	// Protos are the Internet protocols to list; empty means all four.
	Protos []netstat.Proto
	// Families are the address families to list; empty means both.
	Families []netstat.Family
	// Unix adds the unix domain sockets.
	Unix bool
	// NoInet leaves the Internet sockets out (for a unix-only query).
	NoInet bool
	// States, when not 0, keeps only TCP sockets in those states (UDP and raw sockets
	// are not restricted by it).
	States analysis.StateSet
	// Filter, when not nil, keeps only the Internet sockets it matches.
	Filter analysis.Expr
	// Extras asks for owners, timers, tcp_info or cgroups.
	Extras Extras
}

// Source takes snapshots. Implementations are safe for concurrent use.
type Source interface {
	Snapshot(ctx context.Context, q Query) (*netstat.Snapshot, error)
}

// Visit receives the sockets of a stream. Either function may be nil. The values they
// are handed, and a socket's Info, are reused after the call returns: copy what is kept.
// An error returned stops the stream and is returned by Stream.
type Visit struct {
	Inet func(*netstat.Socket) error
	Unix func(*netstat.UnixSocket) error
}

// Streamed is what a stream leaves besides the sockets it handed over.
type Streamed struct {
	// Taken is when the stream was started.
	Taken time.Time
	// Owners maps a socket inode to every process that holds it, lowest PID first,
	// when the query asked for owners; nil otherwise.
	Owners map[uint64][]netstat.Process
	// Partial says what could not be seen.
	Partial netstat.Partial
}

// Streamer is a source that hands sockets over one by one as it decodes them, holding
// none: for views that keep a summary of each snapshot (the exporter's tallies, the
// live view's compact rows), whose memory then grows with what they keep and not
// with a copy of every socket and its tcp_info.
type Streamer interface {
	Stream(ctx context.Context, q Query, v Visit) (*Streamed, error)
}

// Destroyer closes sockets through the kernel (sock_diag SOCK_DESTROY).
type Destroyer interface {
	// Destroy closes the TCP socket s (matched by its endpoints and cookie). It
	// returns an error wrapping ErrDestroyUnsupported when the kernel lacks
	// CONFIG_INET_DIAG_DESTROY, or ErrPermission without CAP_NET_ADMIN.
	Destroy(ctx context.Context, s *netstat.Socket) error
}

// Counters are the kernel's protocol counters, the data of `netstat -s`.
type Counters struct {
	// IPv4 are the sections of /proc/net/snmp and /proc/net/netstat (Ip, Icmp,
	// IcmpMsg, Tcp, Udp, UdpLite, TcpExt, IpExt, ...) in kernel order, every counter
	// kept, known or not.
	IPv4 []netstat.CounterSection
	// IPv6 are the sections of /proc/net/snmp6 (Ip6, Icmp6, Udp6, UdpLite6); nil when
	// the host has no IPv6.
	IPv6 []netstat.CounterSection

	// SNMP, Netstat, SCTP and SNMP6 are what each file gave on its own
	// (/proc/net/snmp, /proc/net/netstat, /proc/net/sctp/snmp, /proc/net/snmp6), for
	// callers with their own rules of which file must be there (netstat -s). Sources
	// that do not read /proc leave them empty.
	SNMP, Netstat, SCTP, SNMP6 CounterFile
}

// CounterSource reads the protocol counters.
type CounterSource interface {
	Counters(ctx context.Context) (*Counters, error)
}

// TableSource reads the tables other than the sockets: counters, routes, group
// memberships, interfaces and the masquerading table. *Tables implements it.
type TableSource interface {
	CounterSource
	// ReadCounters reads every counter file, keeping each file's outcome.
	ReadCounters(ctx context.Context) *Counters
	Routes(ctx context.Context, fn func(*netstat.Route) error) error
	RouteCache(ctx context.Context, begin func(RouteCacheInfo), fn func(*netstat.CachedRoute) error) error
	IPv6Routes(ctx context.Context, cache bool, fn func(*netstat.IPv6Route) error) error
	Memberships(ctx context.Context, family netstat.Family, st *GroupState, warn func(string), fn func(*netstat.Membership) error) error
	Interfaces(ctx context.Context, q IfaceQuery, begin func(), fn func(*netstat.Interface) error) error
	Masquerade(ctx context.Context) error
}
