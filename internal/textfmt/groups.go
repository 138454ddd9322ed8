package textfmt

import (
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// groups.go renders netstat -g, the multicast group memberships of net-tools'
// netstat.c (igmp_do_one).

// GroupsHeader opens the group section (net-tools built with IPv6 prints "IPv6/").
const GroupsHeader = "IPv6/IPv4 Group Memberships\n" +
	"Interface       RefCnt Group\n" +
	"--------------- ------ ---------------------\n"

// AppendGroupRow appends "%-15s %-6d %s": the interface, the users count and the group
// address, named like a socket address (HostText) unless numeric.
func AppendGroupRow(b []byte, m *netstat.Membership, numeric bool, r resolve.Resolver) []byte {
	b = padRight(b, m.Iface, 15)
	b = append(b, ' ')
	b = padRight(b, i32toa(m.Users), 6)
	b = append(b, ' ')
	b = append(b, HostText(m.Group, numeric, r)...)
	return append(b, '\n')
}
