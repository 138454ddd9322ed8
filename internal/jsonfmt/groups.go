package jsonfmt

import (
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// AppendMembership appends one multicast group membership (an element of a "groups"
// array). names adds "group_host", the group's host name or null.
func AppendMembership(b []byte, m *netstat.Membership, names bool, r resolve.Resolver) []byte {
	b = append(b, `{"family":`...)
	b = AppendString(b, FamilyName(m.Family))
	b = AppendKey(b, "interface")
	b = AppendString(b, m.Iface)
	b = AppendKey(b, "users")
	b = appendInt(b, int64(m.Users))
	b = AppendKey(b, "group")
	if m.Group.IsValid() {
		b = AppendString(b, resolve.NumericHost(m.Group))
	} else {
		b = AppendString(b, "")
	}
	if names {
		b = AppendKey(b, "group_host")
		name, ok := HostName(m.Group, r)
		b = appendStringOrNull(b, name, ok)
	}
	return append(b, '}')
}
