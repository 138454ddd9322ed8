// Package resolve answers the name lookups netstat makes (hosts, networks, services,
// protocols, users) the way glibc's NSS would on Debian, with caches and concurrency.
package resolve

import (
	"context"
	"net/netip"
)

// Resolver is what renderers need to turn numbers into names. Every method returns
// ok=false when there is no name, and the caller prints the number instead. Methods are
// safe for concurrent use.
type Resolver interface {
	// HostName is the reverse lookup of addr: gethostbyaddr for IPv4 (the canonical
	// name, i.e. the first name of the first matching hosts line), getnameinfo for IPv6.
	// An IPv4-mapped IPv6 address is looked up as IPv6, never unmapped.
	HostName(addr netip.Addr) (string, bool)
	// NetworkName is getnetbyaddr(net, AF_INET) over /etc/networks, net in host order.
	NetworkName(net uint32) (string, bool)
	// ServiceName is the official service name of port for proto "tcp" or "udp", or for
	// "raw" the official /etc/protocols name of IP protocol number port. When a port is
	// listed several times the last entry wins, as in net-tools.
	ServiceName(port uint16, proto string) (string, bool)
	// UserName is getpwuid(uid)'s pw_name.
	UserName(uid uint32) (string, bool)
}

// Numeric is a Resolver that knows no names: every lookup fails.
type Numeric struct{}

// HostName implements Resolver.
func (Numeric) HostName(netip.Addr) (string, bool) { return "", false }

// NetworkName implements Resolver.
func (Numeric) NetworkName(uint32) (string, bool) { return "", false }

// ServiceName implements Resolver.
func (Numeric) ServiceName(uint16, string) (string, bool) { return "", false }

// UserName implements Resolver.
func (Numeric) UserName(uint32) (string, bool) { return "", false }

// Names is a Resolver that also resolves host names ahead of use and forward: what a
// listing, a view or a filter needs. Numeric and System implement it.
type Names interface {
	Resolver
	// Slow reports whether host look-ups may leave the machine; callers then batch
	// the addresses of many rows into one Resolve.
	Slow() bool
	// Resolve looks addrs up (concurrently where that helps) so that HostName then
	// answers at once; it returns when done or when ctx ends, and addresses not
	// answered by then stay numeric.
	Resolve(ctx context.Context, addrs []netip.Addr)
	// CachedHostName answers without looking anything up; cached reports whether
	// addr had an answer (a name or none) ready.
	CachedHostName(addr netip.Addr) (name string, ok, cached bool)
	// HostAddrs is the forward look-up of a host name (getaddrinfo's sources).
	HostAddrs(ctx context.Context, name string) ([]netip.Addr, bool)
}

var _ Names = Numeric{}

// Slow implements Names: nothing to look up.
func (Numeric) Slow() bool { return false }

// Resolve implements Names: nothing to look up.
func (Numeric) Resolve(context.Context, []netip.Addr) {}

// CachedHostName implements Names: every address is known to have no name.
func (Numeric) CachedHostName(netip.Addr) (string, bool, bool) { return "", false, true }

// HostAddrs implements Names: no name is known.
func (Numeric) HostAddrs(context.Context, string) ([]netip.Addr, bool) { return nil, false }
