package textfmt

import (
	"net/netip"
	"strconv"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// route.go renders netstat -r: net-tools' rprint_fib, rprint_cache (lib/inet_gr.c) and
// rprint_fib6 (lib/inet6_gr.c). The ext argument is the layout level those functions
// get: 1 (-e), 2 (default), 3 (-ee) or 0 (-eee: title only); numeric is -n,
// --numeric-hosts or -N.

// Titles of the route tables.
const (
	RouteTitle          = "Kernel IP routing table\n"
	RouteCacheTitle     = "Kernel IP routing cache\n"
	IPv6RouteTitle      = "Kernel IPv6 routing table\n"
	IPv6RouteCacheTitle = "Kernel IPv6 routing cache\n"
)

// RouteHeader is the column header of the IPv4 forwarding table ("" for level 0).
func RouteHeader(ext int) string {
	switch ext {
	case 1:
		return "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
	case 2:
		return "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n"
	case 3:
		return "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n"
	}
	return ""
}

// routeFlagsText is rprint_fib's flag string.
func routeFlagsText(f netstat.RouteFlags) string {
	b := make([]byte, 0, 24)
	if f&netstat.RouteUp != 0 {
		b = append(b, 'U')
	}
	if f&netstat.RouteGateway != 0 {
		b = append(b, 'G')
	}
	if f&netstat.RouteReject != 0 {
		b = append(b[:0], '!')
	}
	for _, l := range []struct {
		bit    netstat.RouteFlags
		letter byte
	}{
		{netstat.RouteHost, 'H'}, {netstat.RouteReinstate, 'R'}, {netstat.RouteDynamic, 'D'},
		{netstat.RouteModified, 'M'}, {netstat.RouteDefault, 'd'}, {netstat.RouteAllOnLink, 'a'},
		{netstat.RouteAddrConf, 'c'}, {netstat.RouteNoNextHop, 'o'}, {netstat.RouteExpires, 'e'},
		{netstat.RouteCache, 'c'}, {netstat.RouteFlow, 'f'}, {netstat.RoutePolicy, 'p'},
		{netstat.RouteLocal, 'l'}, {netstat.RouteMTU, 'u'}, {netstat.RouteWindow, 'w'},
		{netstat.RouteIRTT, 'i'}, {netstat.RouteNotCached, 'n'},
	} {
		if f&l.bit != 0 {
			b = append(b, l.letter)
		}
	}
	return string(b)
}

// routeDestinationText is the Destination column (INET_sprintmask with the default
// and host bits): "default" for 0.0.0.0/0, "0.0.0.0" for another mask; a host name
// when the route has RTF_HOST or host bits outside its mask, else a network name.
func routeDestinationText(rt *netstat.Route, numeric bool, r resolve.Resolver) string {
	if numeric {
		return rt.Destination.String()
	}
	dst, mask := ipv4Word(rt.Destination), ipv4Word(rt.Mask)
	if dst == 0 {
		if mask == 0 {
			return "default"
		}
		return "0.0.0.0"
	}
	if rt.Flags&netstat.RouteHost != 0 || dst&^mask != 0 {
		if name, ok := r.HostName(rt.Destination); ok {
			return name
		}
	} else if name, ok := r.NetworkName(dst); ok {
		return name
	}
	return rt.Destination.String()
}

// routeGatewayText is the Gateway column: "0.0.0.0" for none, else always a host
// lookup.
func routeGatewayText(gw netip.Addr, numeric bool, r resolve.Resolver) string {
	if numeric || gw.IsUnspecified() {
		return gw.String()
	}
	if name, ok := r.HostName(gw); ok {
		return name
	}
	return gw.String()
}

// ipv4Word is an IPv4 address as a host-order integer (0 for anything else).
func ipv4Word(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// cutTo keeps the first n bytes of s: net-tools' "buf[n] = 0", a "%.<n>s" precision
// or an snprintf into an n+1-byte buffer.
func cutTo(n int, s string) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func i32toa(v int32) string { return strconv.FormatInt(int64(v), 10) }

// AppendRouteRow appends one forwarding-table row (nothing for level 0).
func AppendRouteRow(b []byte, rt *netstat.Route, ext int, numeric bool, r resolve.Resolver) []byte {
	if ext < 1 || ext > 3 {
		return b
	}
	dst := cutTo(15, routeDestinationText(rt, numeric, r))
	mask := cutTo(15, rt.Mask.String())
	flags := routeFlagsText(rt.Flags)
	b = padRight(b, dst, 15)
	b = append(b, ' ')
	if rt.Flags&netstat.RouteReject != 0 {
		b = append(b, "-               "...)
		b = padRight(b, mask, 15)
		b = append(b, ' ')
		b = padRight(b, flags, 5)
		switch ext {
		case 1:
			b = append(b, ' ')
			b = padRight(b, i32toa(rt.Metric), 6)
			b = append(b, " -  "...)
			b = padLeft(b, i32toa(rt.Use), 7)
			b = append(b, " -"...)
		case 2:
			b = append(b, "     - -          - -"...)
		case 3:
			b = append(b, ' ')
			b = padRight(b, i32toa(rt.Metric), 6)
			b = append(b, " -  "...)
			b = padLeft(b, i32toa(rt.Use), 7)
			b = append(b, " -        -     -      -"...)
		}
		return append(b, '\n')
	}
	b = padRight(b, cutTo(15, routeGatewayText(rt.Gateway, numeric, r)), 15)
	b = append(b, ' ')
	b = padRight(b, mask, 15)
	b = append(b, ' ')
	b = padRight(b, flags, 5)
	b = append(b, ' ')
	b = appendRouteColumns(b, ext, rt.Metric, rt.RefCnt, rt.Use, rt.Iface, rt.MTU, rt.Window, rt.IRTT)
	if ext == 3 {
		b = append(b, i32toa(rt.IRTT)...)
	}
	return append(b, '\n')
}

// appendRouteColumns appends what follows Flags in the rows of the forwarding table
// and of the routing cache: level 1 "%-6d %-2d %7d %s" (Metric, Ref, Use, Iface),
// level 2 "%5d %-5d %6d %s" (MSS, Window, irtt, Iface), level 3
// "%-6d %-3d %6d %-6.6s   %-5d %-6d " (Metric, Ref, Use, Iface, MSS, Window), after
// which the caller appends irtt and what else its layout has.
func appendRouteColumns(b []byte, ext int, metric, refCnt, use int32, iface string, mtu, window, irtt int32) []byte {
	switch ext {
	case 1:
		b = padRight(b, i32toa(metric), 6)
		b = append(b, ' ')
		b = padRight(b, i32toa(refCnt), 2)
		b = append(b, ' ')
		b = padLeft(b, i32toa(use), 7)
		b = append(b, ' ')
		b = append(b, iface...)
	case 2:
		b = padLeft(b, i32toa(mtu), 5)
		b = append(b, ' ')
		b = padRight(b, i32toa(window), 5)
		b = append(b, ' ')
		b = padLeft(b, i32toa(irtt), 6)
		b = append(b, ' ')
		b = append(b, iface...)
	case 3:
		b = padRight(b, i32toa(metric), 6)
		b = append(b, ' ')
		b = padRight(b, i32toa(refCnt), 3)
		b = append(b, ' ')
		b = padLeft(b, i32toa(use), 6)
		b = append(b, ' ')
		b = padRight(b, cutTo(6, iface), 6)
		b = append(b, "   "...)
		b = padRight(b, i32toa(mtu), 5)
		b = append(b, ' ')
		b = padRight(b, i32toa(window), 6)
		b = append(b, ' ')
	}
	return b
}

// RouteCacheHeader is the column header of the IPv4 routing cache for a level and
// layout (net-tools prints the level-3 header only for a known layout).
func RouteCacheHeader(ext int, layout netstat.RouteCacheLayout) string {
	switch ext {
	case 1:
		return "Source          Destination     Gateway         Flags Metric Ref    Use Iface\n"
	case 2:
		return "Source          Destination     Gateway         Flags   MSS Window  irtt Iface\n"
	case 3:
		switch layout {
		case netstat.RouteCache20:
			return "Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  HH  Arp\n"
		case netstat.RouteCache22:
			return "Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n"
		}
	}
	return ""
}

// routeCacheFlagsText is rprint_cache's flag string.
func routeCacheFlagsText(f netstat.RouteFlags, layout netstat.RouteCacheLayout) string {
	b := make([]byte, 0, 32)
	if layout == netstat.RouteCache20 {
		if f&netstat.RouteUp != 0 {
			b = append(b, 'U')
		}
		if f&netstat.RouteHost != 0 {
			b = append(b, 'H')
		}
	}
	if f&netstat.RouteGateway != 0 {
		b = append(b, 'G')
	}
	if f&netstat.RouteReject != 0 {
		b = append(b[:0], '!')
	}
	if f&netstat.RouteReinstate != 0 {
		b = append(b, 'R')
	}
	if f&netstat.RouteDynamic != 0 {
		b = append(b, 'D')
	}
	if f&netstat.RouteModified != 0 {
		b = append(b, 'M')
	}
	if layout == netstat.RouteCache22 {
		if f&netstat.RTCFDead != 0 {
			b = append(b, '-')
		}
		if f&netstat.RTCFOnLink != 0 {
			b = append(b, 'o')
		}
	}
	for _, l := range []struct {
		bit    netstat.RouteFlags
		letter string
	}{
		{netstat.RTCFNotify, "n"}, {netstat.RTCFDirectDst, "d"}, {netstat.RTCFTProxy, "t"},
		{netstat.RTCFFast, "f"}, {netstat.RTCFMasq, "q"}, {netstat.RTCFSNAT, "Ns"},
		{netstat.RTCFDoRedirect, "r"}, {netstat.RTCFDirectSrc, "i"}, {netstat.RTCFDNAT, "Nd"},
		{netstat.RTCFBroadcast, "b"}, {netstat.RTCFMulticast, "m"}, {netstat.RTCFReject, "#"},
		{netstat.RTCFLocal, "l"},
	} {
		if f&l.bit != 0 {
			b = append(b, l.letter...)
		}
	}
	return string(b)
}

// AppendRouteCacheRow appends one routing-cache row. Addresses are named like socket
// addresses (HostText) and, unlike the forwarding table's, never cut.
func AppendRouteCacheRow(b []byte, rt *netstat.CachedRoute, ext int, layout netstat.RouteCacheLayout, numeric bool, r resolve.Resolver) []byte {
	if ext < 1 || ext > 3 || (ext == 3 && layout == netstat.RouteCacheUnknown) {
		return b
	}
	b = padRight(b, HostText(rt.Source, numeric, r), 15)
	b = append(b, ' ')
	b = padRight(b, HostText(rt.Destination, numeric, r), 15)
	b = append(b, ' ')
	b = padRight(b, HostText(rt.Gateway, numeric, r), 15)
	b = append(b, ' ')
	b = padRight(b, routeCacheFlagsText(rt.Flags, layout), 5)
	b = append(b, ' ')
	b = appendRouteColumns(b, ext, rt.Metric, rt.RefCnt, rt.Use, rt.Iface, rt.MTU, rt.Window, rt.IRTT)
	if ext == 3 {
		b = padRight(b, i32toa(rt.IRTT), 5)
		b = append(b, ' ')
		if layout == netstat.RouteCache20 {
			b = padRight(b, i32toa(rt.HH), 3)
			b = append(b, ' ')
			b = append(b, i32toa(rt.ARP)...)
		} else {
			b = padRight(b, i32toa(rt.TOS), 3)
			b = append(b, ' ')
			b = padRight(b, i32toa(rt.HHRef), 3)
			b = append(b, "   "...)
			b = padRight(b, i32toa(rt.HHUptod), 3)
			b = append(b, ' ')
			b = padLeft(b, HostText(rt.SpecDst, numeric, r), 15)
		}
	}
	return append(b, '\n')
}

// IPv6RouteHeader is the title and column header of the IPv6 table; cache selects
// the routing-cache title (the extend level does not matter).
func IPv6RouteHeader(cache bool) string {
	const header = "Destination                    Next Hop                   Flag Met Ref  Use If\n"
	if cache {
		return IPv6RouteCacheTitle + header
	}
	return IPv6RouteTitle + header
}

// ipv6RouteFlagsText is rprint_fib6's flag string.
func ipv6RouteFlagsText(f netstat.RouteFlags) string {
	b := make([]byte, 0, 16)
	for _, l := range []struct {
		bit    netstat.RouteFlags
		letter byte
	}{
		{netstat.RouteUp, 'U'}, {netstat.RouteReject, '!'}, {netstat.RouteGateway, 'G'},
		{netstat.RouteHost, 'H'}, {netstat.RouteDefault, 'D'}, {netstat.RouteAddrConf, 'A'},
		{netstat.RouteCache, 'C'}, {netstat.RouteAllOnLink, 'a'}, {netstat.RouteExpires, 'e'},
		{netstat.RouteModified, 'm'}, {netstat.RouteNoNextHop, 'n'}, {netstat.RouteFlow, 'f'},
	} {
		if f&l.bit != 0 {
			b = append(b, l.letter)
		}
	}
	return string(b)
}

// AppendIPv6RouteRow appends one IPv6 route row: "%-30s %-26s %-4s %-3d %-1d %6d %s",
// the two addresses cut only by net-tools' 128-byte buffers.
func AppendIPv6RouteRow(b []byte, rt *netstat.IPv6Route, numeric bool, r resolve.Resolver) []byte {
	b = padRight(b, cutTo(127, HostText(rt.Destination, numeric, r)+"/"+i32toa(rt.DestinationLen)), 30)
	b = append(b, ' ')
	b = padRight(b, cutTo(127, HostText(rt.NextHop, numeric, r)), 26)
	b = append(b, ' ')
	b = padRight(b, ipv6RouteFlagsText(rt.Flags), 4)
	b = append(b, ' ')
	b = padRight(b, i32toa(rt.Metric), 3)
	b = append(b, ' ')
	b = padRight(b, i32toa(rt.RefCnt), 1)
	b = append(b, ' ')
	b = padLeft(b, i32toa(rt.Use), 6)
	b = append(b, ' ')
	b = append(b, rt.Iface...)
	return append(b, '\n')
}
