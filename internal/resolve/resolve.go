// Package resolve answers the name lookups netstat makes (hosts, networks, services,
// protocols, users) the way glibc's NSS would on Debian, with caches and concurrency.
package resolve

import "net/netip"

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
