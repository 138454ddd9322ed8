package netstat

import "net/netip"

// Membership is one multicast group joined on an interface, as /proc/net/igmp (IPv4)
// and /proc/net/igmp6 (IPv6) list it.
type Membership struct {
	Family Family
	// Iface is the device name as net-tools reads it: at most 15 bytes.
	Iface string
	// Index is the interface index (net-tools reads it but never prints it).
	Index int32
	// Users is the number of sockets (and kernel users) that joined the group; net-tools
	// prints it as "RefCnt".
	Users int32
	Group netip.Addr
}
