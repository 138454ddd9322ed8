package netstat

import "net/netip"

// RouteFlags holds the RTF_* bits of a route as /proc/net/route and
// /proc/net/ipv6_route print them (the IPv4 routing cache reuses the word for its
// RTCF_* bits, see the RTCF constants).
type RouteFlags uint32

// Route flag bits (linux/route.h, linux/ipv6_route.h, and net-tools' own RTF_NOTCACHED).
const (
	RouteUp        RouteFlags = 0x0001 // RTF_UP
	RouteGateway   RouteFlags = 0x0002 // RTF_GATEWAY
	RouteHost      RouteFlags = 0x0004 // RTF_HOST
	RouteReinstate RouteFlags = 0x0008 // RTF_REINSTATE
	RouteDynamic   RouteFlags = 0x0010 // RTF_DYNAMIC
	RouteModified  RouteFlags = 0x0020 // RTF_MODIFIED
	RouteMTU       RouteFlags = 0x0040 // RTF_MTU
	RouteWindow    RouteFlags = 0x0080 // RTF_WINDOW
	RouteIRTT      RouteFlags = 0x0100 // RTF_IRTT
	RouteReject    RouteFlags = 0x0200 // RTF_REJECT: unreachable, prohibit
	RouteNotCached RouteFlags = 0x0400 // RTF_NOTCACHED (Linux 2.0.36)
	RouteDefault   RouteFlags = 0x00010000
	RouteAllOnLink RouteFlags = 0x00020000
	RouteAddrConf  RouteFlags = 0x00040000
	RouteNoNextHop RouteFlags = 0x00200000
	RouteExpires   RouteFlags = 0x00400000
	RouteCache     RouteFlags = 0x01000000 // RTF_CACHE: a cloned IPv6 route
	RouteFlow      RouteFlags = 0x02000000
	RoutePolicy    RouteFlags = 0x04000000
	RouteLocal     RouteFlags = 0x80000000
)

// IPv4 routing-cache flag bits (linux/in_route.h), found in CachedRoute.Flags.
const (
	RTCFDead       RouteFlags = 0x00000001
	RTCFOnLink     RouteFlags = 0x00000004
	RTCFNotify     RouteFlags = 0x00010000
	RTCFDirectDst  RouteFlags = 0x00020000
	RTCFRedirected RouteFlags = 0x00040000
	RTCFTProxy     RouteFlags = 0x00080000
	RTCFFast       RouteFlags = 0x00200000
	RTCFMasq       RouteFlags = 0x00400000
	RTCFSNAT       RouteFlags = 0x00800000
	RTCFDoRedirect RouteFlags = 0x01000000
	RTCFDirectSrc  RouteFlags = 0x04000000
	RTCFDNAT       RouteFlags = 0x08000000
	RTCFBroadcast  RouteFlags = 0x10000000
	RTCFMulticast  RouteFlags = 0x20000000
	RTCFReject     RouteFlags = 0x40000000
	RTCFLocal      RouteFlags = 0x80000000
)

// Route is one IPv4 route of the forwarding table (/proc/net/route). The integer
// columns are the kernel's as a C int reads them, so 4294967295 is -1.
type Route struct {
	// Iface is the output device; "*" for blackhole, unreachable and prohibit routes.
	Iface string
	// Destination, Gateway and Mask are IPv4 addresses.
	Destination, Gateway, Mask netip.Addr
	Flags                      RouteFlags
	RefCnt, Use, Metric        int32
	// MTU is the kernel's "MTU" column, which holds the route's advmss + 40; net-tools
	// shows it under "MSS".
	MTU int32
	// Window is the route's window clamp and IRTT its initial RTT in milliseconds.
	Window, IRTT int32
}

// RouteCacheLayout names the two /proc/net/rt_cache formats net-tools knows.
type RouteCacheLayout uint8

// The routing-cache layouts, told apart by the column names of the header line.
const (
	// RouteCacheUnknown is a header net-tools recognises as neither layout.
	RouteCacheUnknown RouteCacheLayout = iota
	// RouteCache20 is Linux 2.0.36's layout (…, IRTT, HH, ARP).
	RouteCache20
	// RouteCache22 is the layout of Linux 2.2 and later (…, IRTT, TOS, HHRef,
	// HHUptod, SpecDst). Since Linux 3.6 the file has only this header line.
	RouteCache22
)

// CachedRoute is one entry of the IPv4 routing cache (/proc/net/rt_cache, Linux
// before 3.6). Fields a layout lacks are zero.
type CachedRoute struct {
	Iface                                  string
	Destination, Gateway, Source, SpecDst  netip.Addr
	Flags                                  RouteFlags
	RefCnt, Use, Metric, MTU, Window, IRTT int32
	TOS, HHRef, HHUptod                    int32 // RouteCache22
	HH, ARP                                int32 // RouteCache20
}

// IPv6Route is one line of /proc/net/ipv6_route. The integer columns are read as C
// ints (metric 0xffffffff is -1); prefix lengths are kept as read, not validated.
type IPv6Route struct {
	Destination    netip.Addr
	DestinationLen int32
	Source         netip.Addr
	SourceLen      int32
	NextHop        netip.Addr
	Metric, RefCnt int32
	Use            int32
	Flags          RouteFlags
	Iface          string
}
