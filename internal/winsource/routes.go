package winsource

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Interface is what -r needs of one interface, gathered from GetAdaptersAddresses
// (index, hardware address, description, type), GetUnicastIpAddressTable (its IPv4
// addresses) and GetIpInterfaceTable (its metrics).
type Interface struct {
	Index       uint32
	HWAddr      []byte
	Description string
	Loopback    bool
	IPv4        []netip.Addr
	// Metric4 and Metric6 are the interface metrics route print adds to each route's.
	Metric4, Metric6 uint32
}

// Route is one row of GetIpForwardTable2; NextHop is unspecified for on-link routes.
type Route struct {
	IfIndex     uint32
	Destination netip.Prefix
	NextHop     netip.Addr
	Metric      uint32
}

// BuildRoutes lays the tables out as route print does: interfaces in the adapters'
// order with the loopback interfaces last; routes sorted by destination, prefix length
// and interface index; each IPv4 route shows its interface's first IPv4 address; the
// metric shown is the route's plus the interface's.
func BuildRoutes(ifs []Interface, v4, v6 []Route, persist4 []IPv4Route) *RouteTable {
	t := &RouteTable{IPv4Persist: persist4}
	byIndex := make(map[uint32]*Interface, len(ifs))
	for i := range ifs {
		byIndex[ifs[i].Index] = &ifs[i]
	}
	for _, loop := range []bool{false, true} {
		for _, ifc := range ifs {
			if ifc.Loopback == loop {
				t.Interfaces = append(t.Interfaces, RouteInterface{
					Index: ifc.Index, HWAddr: ifc.HWAddr, Description: ifc.Description})
			}
		}
	}
	sortRoutes := func(rs []Route) {
		slices.SortStableFunc(rs, func(a, b Route) int {
			return cmp.Or(a.Destination.Addr().Compare(b.Destination.Addr()),
				cmp.Compare(a.Destination.Bits(), b.Destination.Bits()),
				cmp.Compare(a.IfIndex, b.IfIndex))
		})
	}
	v4 = slices.Clone(v4)
	sortRoutes(v4)
	for _, r := range v4 {
		ifc := byIndex[r.IfIndex]
		row := IPv4Route{
			Destination: r.Destination.Addr(),
			Netmask:     maskOf(r.Destination.Bits()),
			Gateway:     r.NextHop,
			Interface:   netip.IPv4Unspecified(),
			Metric:      r.Metric,
		}
		if ifc != nil {
			if len(ifc.IPv4) > 0 {
				row.Interface = ifc.IPv4[0]
			}
			row.Metric += ifc.Metric4
		}
		t.IPv4 = append(t.IPv4, row)
	}
	v6 = slices.Clone(v6)
	sortRoutes(v6)
	for _, r := range v6 {
		row := IPv6Route{IfIndex: r.IfIndex, Metric: r.Metric, Destination: r.Destination, Gateway: r.NextHop}
		if ifc := byIndex[r.IfIndex]; ifc != nil {
			row.Metric += ifc.Metric6
		}
		t.IPv6 = append(t.IPv6, row)
	}
	return t
}

// maskOf returns the IPv4 netmask of a prefix length.
func maskOf(bits int) netip.Addr {
	var m [4]byte
	for i := 0; i < bits && i < 32; i++ {
		m[i/8] |= 0x80 >> (i % 8)
	}
	return netip.AddrFrom4(m)
}

// ParsePersistentRoute reads one value name of the registry key
// HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\PersistentRoutes, where
// `route -p add` stores "destination,netmask,gateway,metric".
func ParsePersistentRoute(name string) (IPv4Route, bool) {
	f := strings.Split(name, ",")
	if len(f) != 4 {
		return IPv4Route{}, false
	}
	dst, err1 := netip.ParseAddr(f[0])
	mask, err2 := netip.ParseAddr(f[1])
	gw, err3 := netip.ParseAddr(f[2])
	metric, err4 := strconv.ParseUint(f[3], 10, 32)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || !dst.Is4() || !mask.Is4() || !gw.Is4() {
		return IPv4Route{}, false
	}
	return IPv4Route{Destination: dst, Netmask: mask, Gateway: gw, Metric: uint32(metric)}, true
}
