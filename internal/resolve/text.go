package resolve

import (
	"net/netip"
	"strconv"
	"strings"
)

// text.go is the text of hosts and ports as net-tools shows them (INET_sprint,
// INET6_sprint, get_sname): the names from a Resolver cut to net-tools' buffers, the
// numeric forms glibc prints. The text renderer and the count keys of analysis share
// it.

// IPv6Text formats a 16-byte address like glibc's inet_ntop(AF_INET6): lower-case hex,
// the first longest run of two or more zero groups compressed to "::", and a dotted
// IPv4 tail for IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses.
func IPv6Text(addr netip.Addr) string {
	b := addr.As16()
	var w [8]uint16
	for i := range w {
		w[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i := 0; i < 8; i++ {
		if w[i] == 0 {
			if curBase == -1 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
			continue
		}
		if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if bestBase != -1 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				sb.WriteByte(':')
			}
			continue
		}
		if i != 0 {
			sb.WriteByte(':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 7 && w[7] != 1) || (bestLen == 5 && w[5] == 0xffff)) {
			sb.WriteString(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}).String())
			break
		}
		sb.WriteString(strconv.FormatUint(uint64(w[i]), 16))
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		sb.WriteByte(':')
	}
	return sb.String()
}

// NumericHost is the numeric text of an address: a dotted quad for IPv4, IPv6Text for
// IPv6.
func NumericHost(addr netip.Addr) string {
	if addr.Is4() {
		return addr.String()
	}
	return IPv6Text(addr)
}

// HostText is the host part of a socket address (net-tools' INET_sprint/INET6_sprint):
// "0.0.0.0" for the IPv4 wildcard, "[::]" for the IPv6 one unless numeric, a name from
// r where there is one, else the numeric text; IPv4-mapped IPv6 addresses lose their
// "::ffff:" prefix.
func HostText(addr netip.Addr, numeric bool, r Resolver) string {
	return string(AppendHost(nil, addr, numeric, r))
}

// AppendHost appends HostText; IPv4 addresses without a name cost no allocation.
func AppendHost(b []byte, addr netip.Addr, numeric bool, r Resolver) []byte {
	if addr.Is4() {
		if numeric || addr.IsUnspecified() {
			return addr.AppendTo(b)
		}
		a := addr.As4()
		// net-tools tests (addr & ~0xffffff00) on the little-endian integer, i.e. the
		// first octet: a non-zero first octet means a host, otherwise a network.
		if a[0] != 0 {
			if name, ok := r.HostName(addr); ok {
				return append(b, truncate(name, maxIPv4Name)...)
			}
		} else if name, ok := r.NetworkName(uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])); ok {
			return append(b, truncate(name, maxIPv4Name)...)
		}
		return addr.AppendTo(b)
	}
	var text string
	switch {
	case numeric:
		text = IPv6Text(addr)
	case addr.IsUnspecified():
		return append(b, "[::]"...)
	default:
		if name, ok := r.HostName(addr); ok && len(name) < maxIPv6Name {
			text = name
		} else {
			text = IPv6Text(addr)
		}
	}
	if addr.Is4In6() {
		text = demangleMapped(text)
	}
	return append(b, text...)
}

// net-tools' name buffers: IPv4 names are cut to 127 bytes; an IPv6 name that does not
// fit in 128 bytes makes getnameinfo fail, and the number is shown.
const (
	maxIPv4Name = 127
	maxIPv6Name = 128
)

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// demangleMapped is net-tools' fix_v4_address: in the text of an IPv4-mapped address,
// drop everything up to the last ':' before the first '.', so "::ffff:127.0.0.1"
// shows as "127.0.0.1".
func demangleMapped(s string) string {
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s
	}
	if colon := strings.LastIndexByte(s[:dot], ':'); colon >= 0 {
		return s[colon+1:]
	}
	return s
}

// maxServiceName is net-tools' buffer for service names (63 bytes and a NUL).
const maxServiceName = 63

// PortText is "*" for port 0 (even when numeric), else the service name of port for
// svcProto, else the decimal number.
func PortText(port uint16, svcProto string, numeric bool, r Resolver) string {
	return string(AppendPort(nil, port, svcProto, numeric, r))
}

// AppendPort appends PortText.
func AppendPort(b []byte, port uint16, svcProto string, numeric bool, r Resolver) []byte {
	if port == 0 {
		return append(b, '*')
	}
	if !numeric {
		if name, ok := r.ServiceName(port, svcProto); ok {
			return append(b, truncate(name, maxServiceName)...)
		}
	}
	return strconv.AppendUint(b, uint64(port), 10)
}
