package winnetstat

import (
	"net/netip"
	"strconv"

	"github.com/netstat-go/netstat/internal/winsource"
)

const routeRule = "==========================================================================="

// AppendRoutes appends -r's output, laid out as `route print`: the interface list,
// the IPv4 table with its persistent routes, the IPv6 table with its persistent
// routes.
func AppendRoutes(b []byte, t *winsource.RouteTable) []byte {
	b = append(b, routeRule+crlf+"Interface List"+crlf...)
	for _, ifc := range t.Interfaces {
		b = appendRight(b, strconv.FormatUint(uint64(ifc.Index), 10), 3)
		b = append(b, "..."...)
		n := 0
		for _, x := range ifc.HWAddr {
			b = append(b, hexDigits[x>>4], hexDigits[x&15], ' ')
			n += 3
		}
		for ; n < 24; n++ {
			b = append(b, '.')
		}
		b = append(b, ifc.Description...)
		b = append(b, crlf...)
	}
	b = append(b, routeRule+crlf+crlf...)

	b = append(b, "IPv4 Route Table"+crlf+routeRule+crlf+"Active Routes:"+crlf...)
	b = append(b, "Network Destination        Netmask          Gateway       Interface  Metric"+crlf...)
	for _, r := range t.IPv4 {
		b = appendRight(b, r.Destination.String(), 17)
		b = appendRight(b, r.Netmask.String(), 17)
		b = appendGateway(b, r.Gateway)
		b = appendRight(b, r.Interface.String(), 17)
		b = appendRight(b, strconv.FormatUint(uint64(r.Metric), 10), 7)
		b = append(b, crlf...)
	}
	b = append(b, routeRule+crlf+"Persistent Routes:"+crlf...)
	if len(t.IPv4Persist) == 0 {
		b = append(b, "  None"+crlf...)
	} else {
		b = append(b, "  Network Address          Netmask  Gateway Address  Metric"+crlf...)
		for _, r := range t.IPv4Persist {
			b = appendRight(b, r.Destination.String(), 17)
			b = appendRight(b, r.Netmask.String(), 17)
			b = appendRight(b, gatewayText(r.Gateway), 17)
			metric := "Default"
			if r.Metric != 0 {
				metric = strconv.FormatUint(uint64(r.Metric), 10)
			}
			b = appendRight(b, metric, 8)
			b = append(b, crlf...)
		}
	}
	b = append(b, crlf+"IPv6 Route Table"+crlf+routeRule+crlf+"Active Routes:"+crlf...)
	b = append(b, " If Metric Network Destination      Gateway"+crlf...)
	for _, r := range t.IPv6 {
		b = appendIPv6Route(b, &r)
	}
	b = append(b, routeRule+crlf+"Persistent Routes:"+crlf...)
	if len(t.IPv6Persist) == 0 {
		b = append(b, "  None"+crlf...)
	} else {
		b = append(b, " If Metric Network Destination      Gateway"+crlf...)
		for _, r := range t.IPv6Persist {
			b = appendIPv6Route(b, &r)
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

func gatewayText(a netip.Addr) string {
	if !a.IsValid() || a.IsUnspecified() {
		return "On-link"
	}
	return a.String()
}

// appendGateway appends the gateway column of the IPv4 table: an address right-aligned
// in 17 columns, "On-link" right-aligned in 16 and followed by a space (as route
// print lays it out).
func appendGateway(b []byte, gw netip.Addr) []byte {
	if t := gatewayText(gw); t != "On-link" {
		return appendRight(b, t, 17)
	}
	return append(appendRight(b, "On-link", 16), ' ')
}

func appendIPv6Route(b []byte, r *winsource.IPv6Route) []byte {
	b = appendRight(b, strconv.FormatUint(uint64(r.IfIndex), 10), 3)
	b = appendRight(b, strconv.FormatUint(uint64(r.Metric), 10), 7)
	b = append(b, ' ')
	dst := r.Destination.String()
	if len(dst) > 24 {
		// A destination wider than its column takes a line of its own; the gateway
		// follows on the next line under its column.
		b = append(b, dst...)
		b = append(b, crlf+"                                    "...)
	} else {
		b = appendPadded(b, dst, 24)
		b = append(b, ' ')
	}
	b = append(b, gatewayText(r.Gateway)...)
	return append(b, crlf...)
}
