package jsonfmt

import (
	"github.com/netstat-go/netstat/internal/resolve"
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// iface.go renders the elements of an "interfaces" document (netstat -i).

// ifaceFlags names the IFF_* bits, in bit order.
var ifaceFlags = [...]struct {
	bit  netstat.IfaceFlags
	name string
}{
	{netstat.IfUp, "UP"}, {netstat.IfBroadcast, "BROADCAST"}, {netstat.IfDebug, "DEBUG"},
	{netstat.IfLoopback, "LOOPBACK"}, {netstat.IfPointToPoint, "POINTOPOINT"},
	{netstat.IfNoTrailers, "NOTRAILERS"}, {netstat.IfRunning, "RUNNING"}, {netstat.IfNoARP, "NOARP"},
	{netstat.IfPromisc, "PROMISC"}, {netstat.IfAllMulti, "ALLMULTI"}, {netstat.IfMaster, "MASTER"},
	{netstat.IfSlave, "SLAVE"}, {netstat.IfMulticast, "MULTICAST"}, {netstat.IfPortSel, "PORTSEL"},
	{netstat.IfAutoMedia, "AUTOMEDIA"}, {netstat.IfDynamic, "DYNAMIC"},
}

// IfaceFlagNames lists the IFF_* names of an interface's flags, in bit order.
func IfaceFlagNames(f netstat.IfaceFlags) []string {
	out := make([]string, 0, 8)
	for _, n := range ifaceFlags {
		if f&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return out
}

// HWAddress is the text of an interface's hardware address for the types whose
// address fits the 8 bytes the ioctl returns and has a known length: Ethernet, FDDI,
// HIPPI (6 bytes) and EUI-64 (8 bytes), as lower-case hex pairs joined by ':'.
// ok is false for every other type (loopback, tunnels, ...).
func HWAddress(ifc *netstat.Interface) (string, bool) {
	n := 0
	switch ifc.HWType {
	case netstat.HWEther, netstat.HWFDDI, netstat.HWHIPPI:
		n = 6
	case netstat.HWEUI64:
		n = 8
	default:
		return "", false
	}
	b := make([]byte, 0, 3*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ':')
		}
		c := ifc.HWAddr[i]
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return string(b), true
}

// Inet6ScopeNames lists the scope names of an if_inet6 scope value as net-tools
// derives them: compat, global, link, site, host.
func Inet6ScopeNames(scope uint32) []string {
	out := make([]string, 0, 2)
	v := int32(scope)
	if v&0x80 != 0 {
		out = append(out, "compat")
		v -= 0x80
	}
	if v == 0 {
		out = append(out, "global")
	}
	if v&0x20 != 0 {
		out = append(out, "link")
	}
	if v&0x40 != 0 {
		out = append(out, "site")
	}
	if v&0x10 != 0 {
		out = append(out, "host")
	}
	return out
}

// appendAddrOrNull appends the numeric text of a, or null when a is not valid (an
// address the ioctl could not fetch: net-tools' "[NONE SET]").
func appendAddrOrNull(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, "null"...)
	}
	return AppendString(b, resolve.NumericHost(a))
}

// AppendInterface appends one element of an "interfaces" document: every field the
// short and the long (-e) table show, whatever the layout asked for.
func AppendInterface(b []byte, ifc *netstat.Interface) []byte {
	b = append(b, `{"name":`...)
	b = AppendString(b, ifc.Name)
	b = AppendKey(b, "flags")
	b = appendStrings(b, IfaceFlagNames(ifc.Flags))
	b = AppendKey(b, "mtu")
	b = appendInt(b, int64(ifc.MTU))
	b = AppendKey(b, "tx_queue_len")
	if ifc.TxQueueLen == -1 {
		b = append(b, "null"...)
	} else {
		b = appendInt(b, int64(ifc.TxQueueLen))
	}
	b = AppendKey(b, "hw_type")
	b = appendUint(b, uint64(ifc.HWType))
	b = AppendKey(b, "hw_address")
	hw, ok := HWAddress(ifc)
	b = appendStringOrNull(b, hw, ok)
	b = AppendKey(b, "outfill")
	b = appendInt(b, int64(ifc.Outfill))
	b = AppendKey(b, "keepalive")
	b = appendInt(b, int64(ifc.Keepalive))
	b = AppendKey(b, "map")
	b = append(b, `{"mem_start":`...)
	b = appendUint(b, ifc.Map.MemStart)
	b = AppendKey(b, "mem_end")
	b = appendUint(b, ifc.Map.MemEnd)
	b = AppendKey(b, "base_addr")
	b = appendUint(b, uint64(ifc.Map.BaseAddr))
	b = AppendKey(b, "irq")
	b = appendUint(b, uint64(ifc.Map.IRQ))
	b = AppendKey(b, "dma")
	b = appendUint(b, uint64(ifc.Map.DMA))
	b = AppendKey(b, "port")
	b = appendUint(b, uint64(ifc.Map.Port))
	b = append(b, '}')

	b = AppendKey(b, "ipv4")
	if ifc.HasIPv4 {
		b = append(b, `{"address":`...)
		b = appendAddrOrNull(b, ifc.Addr)
		b = AppendKey(b, "netmask")
		b = appendAddrOrNull(b, ifc.Netmask)
		b = AppendKey(b, "broadcast")
		if ifc.Flags&netstat.IfBroadcast != 0 {
			b = appendAddrOrNull(b, ifc.Broadcast)
		} else {
			b = append(b, "null"...)
		}
		b = AppendKey(b, "destination")
		if ifc.Flags&netstat.IfPointToPoint != 0 {
			b = appendAddrOrNull(b, ifc.Destination)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}

	b = AppendKey(b, "ipv6")
	b = append(b, '[')
	for i := range ifc.Inet6 {
		a := &ifc.Inet6[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"address":`...)
		b = appendAddrOrNull(b, a.Addr)
		b = AppendKey(b, "prefix_len")
		b = appendInt(b, int64(int32(a.PrefixLen)))
		b = AppendKey(b, "scope_id")
		b = appendUint(b, uint64(a.Scope))
		b = AppendKey(b, "scope")
		b = appendStrings(b, Inet6ScopeNames(a.Scope))
		b = append(b, '}')
	}
	b = append(b, ']')

	b = AppendKey(b, "stats")
	if s := ifc.Stats; s != nil {
		for i, c := range IfaceCounters(s) {
			if i == 0 {
				b = append(b, '{')
				b = appendFirstKey(b, c.Name)
			} else {
				b = AppendKey(b, c.Name)
			}
			b = appendUint(b, c.Value)
		}
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}
	return append(b, '}')
}

// IfaceCounters lists an interface's statistics under their schema names, in
// /proc/net/dev's column order.
func IfaceCounters(s *netstat.IfaceStats) [16]netstat.Counter {
	return [16]netstat.Counter{
		{Name: "rx_bytes", Value: s.RxBytes}, {Name: "rx_packets", Value: s.RxPackets},
		{Name: "rx_errors", Value: s.RxErrors}, {Name: "rx_dropped", Value: s.RxDropped},
		{Name: "rx_fifo", Value: s.RxFIFO}, {Name: "rx_frame", Value: s.RxFrame},
		{Name: "rx_compressed", Value: s.RxCompressed}, {Name: "rx_multicast", Value: s.RxMulticast},
		{Name: "tx_bytes", Value: s.TxBytes}, {Name: "tx_packets", Value: s.TxPackets},
		{Name: "tx_errors", Value: s.TxErrors}, {Name: "tx_dropped", Value: s.TxDropped},
		{Name: "tx_fifo", Value: s.TxFIFO}, {Name: "tx_collisions", Value: s.Collisions},
		{Name: "tx_carrier", Value: s.TxCarrier}, {Name: "tx_compressed", Value: s.TxCompressed},
	}
}
