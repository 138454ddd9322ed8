package jsonfmt

import (
	"math/bits"
	"net/netip"
	"strconv"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// routes.go renders the rows of a "routes" document: the IPv4 forwarding table
// (/proc/net/route), the IPv4 routing cache (/proc/net/rt_cache) and the IPv6 table
// (/proc/net/ipv6_route).

// Route table names, the "table" of a routes document's table.
const (
	TableFIB   = "fib"
	TableCache = "cache"
)

// routeFlags names the RTF_* bits of the forwarding tables (IPv4 and IPv6).
var routeFlags = [...]struct {
	bit  netstat.RouteFlags
	name string
}{
	{netstat.RouteUp, "UP"}, {netstat.RouteGateway, "GATEWAY"}, {netstat.RouteHost, "HOST"},
	{netstat.RouteReinstate, "REINSTATE"}, {netstat.RouteDynamic, "DYNAMIC"},
	{netstat.RouteModified, "MODIFIED"}, {netstat.RouteMTU, "MTU"}, {netstat.RouteWindow, "WINDOW"},
	{netstat.RouteIRTT, "IRTT"}, {netstat.RouteReject, "REJECT"}, {netstat.RouteNotCached, "NOTCACHED"},
	{netstat.RouteDefault, "DEFAULT"}, {netstat.RouteAllOnLink, "ALLONLINK"},
	{netstat.RouteAddrConf, "ADDRCONF"}, {netstat.RouteNoNextHop, "NONEXTHOP"},
	{netstat.RouteExpires, "EXPIRES"}, {netstat.RouteCache, "CACHE"}, {netstat.RouteFlow, "FLOW"},
	{netstat.RoutePolicy, "POLICY"}, {netstat.RouteLocal, "LOCAL"},
}

// RouteFlagNames lists the RTF_* names of a forwarding-table route's flags, in bit
// order; a bit without a name appears as its hexadecimal value ("0x00000800").
func RouteFlagNames(f netstat.RouteFlags) []string {
	var out []string
	for _, n := range routeFlags {
		if f&n.bit != 0 {
			out = append(out, n.name)
			f &^= n.bit
		}
	}
	return appendUnknownBits(out, uint32(f))
}

// CacheFlagNames lists the names of a routing-cache entry's flags in bit order: the
// RTF_* bits of the low half (bits 0 and 2 are UP and HOST in the Linux 2.0 layout,
// where the low bits are RTF_*, and DEAD and ONLINK in the 2.2 layout, where they are
// RTCF_*) and the RTCF_* bits of the high half; other bits as hexadecimal values.
func CacheFlagNames(f netstat.RouteFlags, layout netstat.RouteCacheLayout) []string {
	low := [2]string{"UP", "HOST"}
	if layout == netstat.RouteCache22 {
		low = [2]string{"DEAD", "ONLINK"}
	}
	var out []string
	for _, n := range [...]struct {
		bit  netstat.RouteFlags
		name string
	}{
		{0x1, low[0]}, {netstat.RouteGateway, "GATEWAY"}, {0x4, low[1]},
		{netstat.RouteReinstate, "REINSTATE"}, {netstat.RouteDynamic, "DYNAMIC"},
		{netstat.RouteModified, "MODIFIED"}, {netstat.RouteReject, "REJECT"},
		{netstat.RTCFNotify, "NOTIFY"}, {netstat.RTCFDirectDst, "DIRECTDST"},
		{netstat.RTCFRedirected, "REDIRECTED"}, {netstat.RTCFTProxy, "TPROXY"},
		{netstat.RTCFFast, "FAST"}, {netstat.RTCFMasq, "MASQ"}, {netstat.RTCFSNAT, "SNAT"},
		{netstat.RTCFDoRedirect, "DOREDIRECT"}, {netstat.RTCFDirectSrc, "DIRECTSRC"},
		{netstat.RTCFDNAT, "DNAT"}, {netstat.RTCFBroadcast, "BROADCAST"},
		{netstat.RTCFMulticast, "MULTICAST"}, {netstat.RTCFReject, "RTCF_REJECT"},
		{netstat.RTCFLocal, "LOCAL"},
	} {
		if f&n.bit != 0 {
			out = append(out, n.name)
			f &^= n.bit
		}
	}
	return appendUnknownBits(out, uint32(f))
}

func appendUnknownBits(out []string, f uint32) []string {
	for f != 0 {
		bit := f & -f
		f &^= bit
		v := strconv.FormatUint(uint64(bit), 16)
		for len(v) < 8 {
			v = "0" + v
		}
		out = append(out, "0x"+v)
	}
	return out
}

// CacheLayoutName is the "layout" of a routing-cache table: "2.2", "2.0" or "unknown"
// (the column set of /proc/net/rt_cache that net-tools recognised).
func CacheLayoutName(l netstat.RouteCacheLayout) string {
	switch l {
	case netstat.RouteCache22:
		return "2.2"
	case netstat.RouteCache20:
		return "2.0"
	}
	return "unknown"
}

// PrefixLen is the length of an IPv4 netmask, false when the mask is not contiguous.
func PrefixLen(mask netip.Addr) (int, bool) {
	if !mask.Is4() {
		return 0, false
	}
	a := mask.As4()
	m := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n := bits.LeadingZeros32(^m)
	if n < 32 && m<<n != 0 {
		return 0, false
	}
	return n, true
}

// RouteDestinationName is the name net-tools shows for an IPv4 route's destination,
// without its "default" and truncation: none for 0.0.0.0; a host name for a host route
// or an address with bits outside the mask; otherwise a network name.
func RouteDestinationName(rt *netstat.Route, r resolve.Resolver) (string, bool) {
	dst, mask := ipv4Word(rt.Destination), ipv4Word(rt.Mask)
	if dst == 0 {
		return "", false
	}
	if rt.Flags&netstat.RouteHost != 0 || dst&^mask != 0 {
		return r.HostName(rt.Destination)
	}
	return r.NetworkName(dst)
}

// gatewayName is the host name of a gateway (none for 0.0.0.0).
func gatewayName(gw netip.Addr, r resolve.Resolver) (string, bool) {
	if !gw.IsValid() || gw.IsUnspecified() {
		return "", false
	}
	return r.HostName(gw)
}

func ipv4Word(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// AppendRoute appends one IPv4 forwarding-table route. names adds "destination_name"
// and "gateway_name" (no -n).
func AppendRoute(b []byte, rt *netstat.Route, names bool, r resolve.Resolver) []byte {
	b = append(b, `{"destination":`...)
	b = appendAddr(b, rt.Destination)
	b = AppendKey(b, "gateway")
	b = appendAddr(b, rt.Gateway)
	b = AppendKey(b, "genmask")
	b = appendAddr(b, rt.Mask)
	b = AppendKey(b, "prefix_len")
	if n, ok := PrefixLen(rt.Mask); ok {
		b = appendUint(b, uint64(n))
	} else {
		b = append(b, "null"...)
	}
	if names {
		b = AppendKey(b, "destination_name")
		name, ok := RouteDestinationName(rt, r)
		b = appendStringOrNull(b, name, ok)
		b = AppendKey(b, "gateway_name")
		name, ok = gatewayName(rt.Gateway, r)
		b = appendStringOrNull(b, name, ok)
	}
	b = AppendKey(b, "flags")
	b = appendStrings(b, RouteFlagNames(rt.Flags))
	b = appendRouteNumbers(b, rt.Metric, rt.RefCnt, rt.Use, rt.Iface, rt.MTU, rt.Window, rt.IRTT)
	return append(b, '}')
}

func appendRouteNumbers(b []byte, metric, ref, use int32, iface string, mss, window, irtt int32) []byte {
	b = AppendKey(b, "metric")
	b = appendInt(b, int64(metric))
	b = AppendKey(b, "ref")
	b = appendInt(b, int64(ref))
	b = AppendKey(b, "use")
	b = appendInt(b, int64(use))
	b = AppendKey(b, "iface")
	b = AppendString(b, iface)
	b = AppendKey(b, "mss")
	b = appendInt(b, int64(mss))
	b = AppendKey(b, "window")
	b = appendInt(b, int64(window))
	b = AppendKey(b, "irtt")
	return appendInt(b, int64(irtt))
}

// AppendCachedRoute appends one IPv4 routing-cache entry of the given layout: "tos",
// "hh_ref", "hh_uptodate" and "spec_dst" for 2.2, "hh" and "arp" for 2.0. names adds
// a "…_name" field for each address.
func AppendCachedRoute(b []byte, rt *netstat.CachedRoute, layout netstat.RouteCacheLayout, names bool, r resolve.Resolver) []byte {
	addrs := [...]struct {
		key  string
		addr netip.Addr
	}{{"source", rt.Source}, {"destination", rt.Destination}, {"gateway", rt.Gateway}}
	b = append(b, '{')
	for i, a := range addrs {
		if i == 0 {
			b = appendFirstKey(b, a.key)
		} else {
			b = AppendKey(b, a.key)
		}
		b = appendAddr(b, a.addr)
		if names {
			b = append(b, ',', '"')
			b = append(b, a.key...)
			b = append(b, `_name":`...)
			name, ok := HostName(a.addr, r)
			b = appendStringOrNull(b, name, ok)
		}
	}
	b = AppendKey(b, "flags")
	b = appendStrings(b, CacheFlagNames(rt.Flags, layout))
	b = appendRouteNumbers(b, rt.Metric, rt.RefCnt, rt.Use, rt.Iface, rt.MTU, rt.Window, rt.IRTT)
	switch layout {
	case netstat.RouteCache22:
		b = AppendKey(b, "tos")
		b = appendInt(b, int64(rt.TOS))
		b = AppendKey(b, "hh_ref")
		b = appendInt(b, int64(rt.HHRef))
		b = AppendKey(b, "hh_uptodate")
		b = appendInt(b, int64(rt.HHUptod))
		b = AppendKey(b, "spec_dst")
		b = appendAddr(b, rt.SpecDst)
		if names {
			b = AppendKey(b, "spec_dst_name")
			name, ok := HostName(rt.SpecDst, r)
			b = appendStringOrNull(b, name, ok)
		}
	case netstat.RouteCache20:
		b = AppendKey(b, "hh")
		b = appendInt(b, int64(rt.HH))
		b = AppendKey(b, "arp")
		b = appendInt(b, int64(rt.ARP))
	}
	return append(b, '}')
}

// AppendIPv6Route appends one IPv6 route. names adds "destination_name" and
// "next_hop_name".
func AppendIPv6Route(b []byte, rt *netstat.IPv6Route, names bool, r resolve.Resolver) []byte {
	b = append(b, `{"destination":`...)
	b = appendAddr(b, rt.Destination)
	b = AppendKey(b, "prefix_len")
	b = appendInt(b, int64(rt.DestinationLen))
	b = AppendKey(b, "source")
	b = appendAddr(b, rt.Source)
	b = AppendKey(b, "source_prefix_len")
	b = appendInt(b, int64(rt.SourceLen))
	b = AppendKey(b, "next_hop")
	b = appendAddr(b, rt.NextHop)
	if names {
		b = AppendKey(b, "destination_name")
		name, ok := HostName(rt.Destination, r)
		b = appendStringOrNull(b, name, ok)
		b = AppendKey(b, "next_hop_name")
		name, ok = HostName(rt.NextHop, r)
		b = appendStringOrNull(b, name, ok)
	}
	b = AppendKey(b, "flags")
	b = appendStrings(b, RouteFlagNames(rt.Flags))
	b = AppendKey(b, "metric")
	b = appendInt(b, int64(rt.Metric))
	b = AppendKey(b, "ref")
	b = appendInt(b, int64(rt.RefCnt))
	b = AppendKey(b, "use")
	b = appendInt(b, int64(rt.Use))
	b = AppendKey(b, "iface")
	b = AppendString(b, rt.Iface)
	return append(b, '}')
}

// AppendRouteTableOpen appends the start of one table of a routes document, up to its
// "routes" array's '['. layout is used by the routing cache only.
func AppendRouteTableOpen(b []byte, family, table string, cacheLayout netstat.RouteCacheLayout) []byte {
	b = append(b, `{"family":`...)
	b = AppendString(b, family)
	b = AppendKey(b, "table")
	b = AppendString(b, table)
	if family == "inet" && table == TableCache {
		b = AppendKey(b, "layout")
		b = AppendString(b, CacheLayoutName(cacheLayout))
	}
	return append(b, `,"routes":[`...)
}

// AppendRouteTableClose appends the end of a table opened by AppendRouteTableOpen.
func AppendRouteTableClose(b []byte) []byte { return append(b, "]}"...) }
