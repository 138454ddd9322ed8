package textfmt

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// iface.go renders netstat -i as net-tools 2.10 does (lib/interface.c: ife_print_short
// and ife_print_long).

// IfaceTitle is printed once per run, when netstat first opens its ioctl socket.
const IfaceTitle = "Kernel Interface table\n"

// IfaceHeader is the column header of the short table (no -e), printed every -c
// iteration.
const IfaceHeader = "Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n"

// AppendIfaceRow appends ifc's line of the short table.
func AppendIfaceRow(b []byte, ifc *netstat.Interface) []byte {
	b = ifacePad(b, ifaceTrunc(ifc.Name, 15), 15, false)
	b = append(b, ' ')
	b = ifacePad(b, strconv.FormatInt(int64(ifc.MTU), 10), 5, true)
	b = append(b, ' ')
	if s := ifc.Stats; s != nil {
		b = ifaceUint(b, s.RxPackets, 8, true)
		b = ifaceUint(b, s.RxErrors, 6, true)
		b = ifaceUint(b, s.RxDropped, 6, true)
		b = ifaceUint(b, s.RxFIFO, 6, false) // "%-6lu": net-tools left-justifies RX-OVR
		b = ifaceUint(b, s.TxPackets, 8, true)
		b = ifaceUint(b, s.TxErrors, 6, true)
		b = ifaceUint(b, s.TxDropped, 6, true)
		b = ifaceUint(b, s.TxFIFO, 6, true)
	} else {
		b = ifacePad(b, "     - no statistics available -", 56, false)
	}
	b = append(b, IfaceFlagLetters(ifc.Flags)...)
	return append(b, '\n')
}

// IfaceFlagLetters is the Flg column: "[NO FLAGS]" for no flags, else one letter per
// flag in net-tools' order. PROMISC and POINTOPOINT are both "P".
func IfaceFlagLetters(f netstat.IfaceFlags) string {
	if f == 0 {
		return "[NO FLAGS]"
	}
	letters := []struct {
		flag netstat.IfaceFlags
		c    byte
	}{
		{netstat.IfAllMulti, 'A'}, {netstat.IfBroadcast, 'B'}, {netstat.IfDebug, 'D'},
		{netstat.IfLoopback, 'L'}, {netstat.IfMulticast, 'M'}, {netstat.IfDynamic, 'd'},
		{netstat.IfPromisc, 'P'}, {netstat.IfNoTrailers, 'N'}, {netstat.IfNoARP, 'O'},
		{netstat.IfPointToPoint, 'P'}, {netstat.IfSlave, 's'}, {netstat.IfMaster, 'm'},
		{netstat.IfRunning, 'R'}, {netstat.IfUp, 'U'},
	}
	var sb strings.Builder
	for _, l := range letters {
		if f&l.flag != 0 {
			sb.WriteByte(l.c)
		}
	}
	return sb.String()
}

// IfaceFlagsText is the "flags=N<LIST>" of the long format: N is the signed 16-bit
// value; an empty list loses its brackets' last byte as in net-tools ("flags=0<").
func IfaceFlagsText(f netstat.IfaceFlags) string {
	names := []struct {
		flag netstat.IfaceFlags
		name string
	}{
		{netstat.IfUp, "UP"}, {netstat.IfBroadcast, "BROADCAST"}, {netstat.IfDebug, "DEBUG"},
		{netstat.IfLoopback, "LOOPBACK"}, {netstat.IfPointToPoint, "POINTOPOINT"},
		{netstat.IfNoTrailers, "NOTRAILERS"}, {netstat.IfRunning, "RUNNING"},
		{netstat.IfNoARP, "NOARP"}, {netstat.IfPromisc, "PROMISC"}, {netstat.IfAllMulti, "ALLMULTI"},
		{netstat.IfSlave, "SLAVE"}, {netstat.IfMaster, "MASTER"}, {netstat.IfMulticast, "MULTICAST"},
		{netstat.IfDynamic, "DYNAMIC"},
	}
	s := "flags=" + strconv.Itoa(int(int16(f))) + "<"
	if f == 0 {
		s += ">"
	}
	for _, n := range names {
		if f&n.flag != 0 {
			s += n.name + ","
		}
	}
	return ifaceCloseList(s)
}

// ifaceCloseList turns a trailing ',' into '>' and otherwise drops the last byte, as
// net-tools does with its flag and scope lists.
func ifaceCloseList(s string) string {
	if strings.HasSuffix(s, ",") {
		return s[:len(s)-1] + ">"
	}
	return s[:len(s)-1]
}

// AppendIfaceBlock appends ifc's block of the long (-e) format, including the empty
// line that ends it.
func AppendIfaceBlock(b []byte, ifc *netstat.Interface) []byte {
	b = append(b, ifc.Name...)
	b = append(b, ": "...)
	b = append(b, IfaceFlagsText(ifc.Flags)...)
	b = append(b, "  mtu "...)
	b = strconv.AppendInt(b, int64(ifc.MTU), 10)
	if ifc.Outfill != 0 || ifc.Keepalive != 0 {
		b = append(b, "  outfill "...)
		b = strconv.AppendInt(b, int64(ifc.Outfill), 10)
		b = append(b, "  keepalive "...)
		b = strconv.AppendInt(b, int64(ifc.Keepalive), 10)
	}
	b = append(b, '\n')

	if ifc.HasIPv4 {
		b = append(b, "        inet "...)
		b = append(b, inetText(ifc.Addr)...)
		b = append(b, "  netmask "...)
		b = append(b, inetText(ifc.Netmask)...)
		if ifc.Flags&netstat.IfBroadcast != 0 {
			b = append(b, "  broadcast "...)
			b = append(b, inetText(ifc.Broadcast)...)
		}
		if ifc.Flags&netstat.IfPointToPoint != 0 {
			b = append(b, "  destination "...)
			b = append(b, inetText(ifc.Destination)...)
		}
		b = append(b, '\n')
	}

	b = appendInet6Lines(b, ifc.Inet6)

	hw := lookupHW(ifc.HWType)
	var addr [64]byte
	copy(addr[:], ifc.HWAddr[:])
	if hw.print != nil && !(hw.suppressNull && ifaceAllZero(addr[:hw.alen])) {
		b = append(b, "        "...)
		b = append(b, hw.name...)
		b = append(b, ' ')
		b = append(b, hw.print(addr[:])...)
	} else {
		b = append(b, "        "...)
		b = append(b, hw.name...)
	}
	if ifc.TxQueueLen != -1 {
		b = append(b, "  txqueuelen "...)
		b = strconv.AppendInt(b, int64(ifc.TxQueueLen), 10)
	}
	b = append(b, "  ("...)
	b = append(b, hw.title...)
	b = append(b, ")\n"...)

	if ifc.Flags&netstat.IfPortSel != 0 {
		b = append(b, "        media "...)
		b = append(b, ifPortText(ifc.Map.Port)...)
		if ifc.Flags&netstat.IfAutoMedia != 0 {
			b = append(b, "autoselect"...)
		}
		b = append(b, '\n')
	}

	if s := ifc.Stats; s != nil {
		compress := ifc.HWType == netstat.HWCSLIP || ifc.HWType == netstat.HWCSLIP6
		b = append(b, "        RX packets "...)
		b = strconv.AppendUint(b, s.RxPackets, 10)
		b = append(b, "  bytes "...)
		b = strconv.AppendUint(b, s.RxBytes, 10)
		b = append(b, " ("...)
		b = append(b, ByteUnits(s.RxBytes)...)
		b = append(b, ")\n"...)
		if compress {
			b = append(b, "        RX compressed:"...)
			b = strconv.AppendUint(b, s.RxCompressed, 10)
			b = append(b, '\n')
		}
		b = append(b, "        RX errors "...)
		b = strconv.AppendUint(b, s.RxErrors, 10)
		b = append(b, "  dropped "...)
		b = strconv.AppendUint(b, s.RxDropped, 10)
		b = append(b, "  overruns "...)
		b = strconv.AppendUint(b, s.RxFIFO, 10)
		b = append(b, "  frame "...)
		b = strconv.AppendUint(b, s.RxFrame, 10)
		b = append(b, '\n')

		b = append(b, "        TX packets "...)
		b = strconv.AppendUint(b, s.TxPackets, 10)
		b = append(b, "  bytes "...)
		b = strconv.AppendUint(b, s.TxBytes, 10)
		b = append(b, " ("...)
		b = append(b, ByteUnits(s.TxBytes)...)
		b = append(b, ")\n"...)
		if compress {
			b = append(b, "        TX compressed "...)
			b = strconv.AppendUint(b, s.TxCompressed, 10)
			b = append(b, '\n')
		}
		b = append(b, "        TX errors "...)
		b = strconv.AppendUint(b, s.TxErrors, 10)
		b = append(b, "  dropped "...)
		b = strconv.AppendUint(b, s.TxDropped, 10)
		b = append(b, " overruns "...) // a single space, as in net-tools
		b = strconv.AppendUint(b, s.TxFIFO, 10)
		b = append(b, "  carrier "...)
		b = strconv.AppendUint(b, s.TxCarrier, 10)
		b = append(b, "  collisions "...)
		b = strconv.AppendUint(b, s.Collisions, 10)
		b = append(b, '\n')
	}

	if m := ifc.Map; m.IRQ != 0 || m.MemStart != 0 || m.DMA != 0 || m.BaseAddr >= 0x100 {
		b = append(b, "        device "...)
		if m.IRQ != 0 {
			b = append(b, "interrupt "...)
			b = strconv.AppendUint(b, uint64(m.IRQ), 10)
			b = append(b, "  "...)
		}
		if m.BaseAddr >= 0x100 {
			b = append(b, "base 0x"...)
			b = strconv.AppendUint(b, uint64(m.BaseAddr), 16)
			b = append(b, "  "...)
		}
		if m.MemStart != 0 {
			b = append(b, "memory 0x"...)
			b = strconv.AppendUint(b, m.MemStart, 16)
			b = append(b, '-')
			b = strconv.AppendUint(b, m.MemEnd, 16)
			b = append(b, "  "...)
		}
		if m.DMA != 0 {
			b = append(b, "  dma 0x"...)
			b = strconv.AppendUint(b, uint64(m.DMA), 16)
		}
		b = append(b, '\n')
	}
	return append(b, '\n')
}

// appendInet6Lines appends the inet6 lines; a zero Addr prints as "[NONE SET]".
func appendInet6Lines(b []byte, recs []netstat.Inet6Addr) []byte {
	for _, r := range recs {
		b = append(b, "        inet6 "...)
		if r.Addr.IsValid() {
			b = append(b, inet6Text(r)...)
		} else {
			b = append(b, "[NONE SET]"...)
		}
		b = append(b, "  prefixlen "...)
		b = strconv.AppendInt(b, int64(int32(r.PrefixLen)), 10)
		b = append(b, "  scopeid 0x"...)
		b = strconv.AppendUint(b, uint64(r.Scope), 16)
		b = append(b, Inet6ScopeText(r.Scope)...)
		b = append(b, '\n')
	}
	return b
}

// inet6Text is net-tools' INET6_sprint: inet_ntop text, but an IPv4-mapped address
// shows only its dotted quad.
func inet6Text(r netstat.Inet6Addr) string {
	s := IPv6Text(r.Addr)
	if r.Addr.Is4In6() {
		if i := strings.IndexByte(s, '.'); i >= 0 {
			if j := strings.LastIndexByte(s[:i], ':'); j >= 0 {
				return s[j+1:]
			}
		}
	}
	return s
}

// Inet6ScopeText is the "<…>" after the scope id: compat (0x80, then removed),
// global (nothing left), link (0x20), site (0x40), host (0x10); "" when none apply.
func Inet6ScopeText(scope uint32) string {
	s := "<"
	v := int32(scope)
	if v&0x80 != 0 {
		s += "compat,"
		v -= 0x80
	}
	if v == 0 {
		s += "global,"
	}
	if v&0x20 != 0 {
		s += "link,"
	}
	if v&0x40 != 0 {
		s += "site,"
	}
	if v&0x10 != 0 {
		s += "host,"
	}
	return ifaceCloseList(s)
}

// inetText is INET_sprint with numeric output: a dotted quad, "[NONE SET]" when the
// ioctl that should have filled the address failed.
func inetText(a netip.Addr) string {
	if !a.IsValid() {
		return "[NONE SET]"
	}
	return a.String()
}

// ByteUnits is the "(X.Y UNIT)" text of the long format without parentheses: binary
// units chosen with a strict ">", tenths computed by integer division (EiB divides
// by 2^60/10 directly), e.g. 1024 is "1024.0 B" and 3028220 is "2.8 MiB".
func ByteUnits(v uint64) string {
	tenths, unit := v*10, "B"
	switch {
	case v > 1<<60:
		tenths, unit = v/115292150460684697, "EiB"
	case v > 1<<50:
		tenths, unit = tenths/(1<<50), "PiB"
	case v > 1<<40:
		tenths, unit = tenths/(1<<40), "TiB"
	case v > 1<<30:
		tenths, unit = tenths/(1<<30), "GiB"
	case v > 1<<20:
		tenths, unit = tenths/(1<<20), "MiB"
	case v > 1<<10:
		tenths, unit = tenths/(1<<10), "KiB"
	}
	return strconv.FormatUint(tenths/10, 10) + "." + strconv.FormatUint(tenths%10, 10) + " " + unit
}

// ifPortText is if_port_text[port][0]; net-tools' table has 7 entries and a NULL
// row, which glibc's printf shows as "(null)".
func ifPortText(port uint8) string {
	names := [...]string{"unknown", "10base2", "10baseT", "AUI", "100baseT", "100baseTX", "100baseFX"}
	if int(port) < len(names) {
		return names[port]
	}
	return "(null)"
}

// hwEntry is one entry of net-tools' hardware type table.
type hwEntry struct {
	name, title  string
	alen         int
	suppressNull bool
	// print formats the address bytes (at least 64, zero padded); nil types print
	// only their name.
	print func(a []byte) string
}

// lookupHW returns the hardware type net-tools uses for an ARPHRD value: the table
// entry, or "unspec" for anything it does not know.
func lookupHW(t netstat.HWType) hwEntry {
	switch t {
	case netstat.HWLoopback:
		return hwEntry{name: "loop", title: "Local Loopback"}
	case netstat.HWSLIP:
		return hwEntry{name: "slip", title: "Serial Line IP"}
	case netstat.HWCSLIP:
		return hwEntry{name: "cslip", title: "VJ Serial Line IP"}
	case netstat.HWSLIP6:
		return hwEntry{name: "slip6", title: "6-bit Serial Line IP"}
	case netstat.HWCSLIP6:
		return hwEntry{name: "cslip6", title: "VJ 6-bit Serial Line IP"}
	case netstat.HWAdaptive:
		return hwEntry{name: "adaptive", title: "Adaptive Serial Line IP"}
	case netstat.HWAsh:
		return hwEntry{name: "ash", title: "Ash", alen: 64, suppressNull: true, print: hwAsh}
	case netstat.HWEther:
		return hwEntry{name: "ether", title: "Ethernet", alen: 6, print: hwFormat("%02x:", 6)}
	case netstat.HWAX25:
		return hwEntry{name: "ax25", title: "AMPR AX.25", alen: 7, print: hwCallsign}
	case netstat.HWNetROM:
		return hwEntry{name: "netrom", title: "AMPR NET/ROM", alen: 7, print: hwCallsign}
	case netstat.HWROSE:
		return hwEntry{name: "rose", title: "AMPR ROSE", alen: 10, print: hwFormat("%02x", 5)}
	case netstat.HWTunnel:
		return hwEntry{name: "tunnel", title: "IPIP Tunnel", print: func([]byte) string { return "" }}
	case netstat.HWPPP:
		return hwEntry{name: "ppp", title: "Point-to-Point Protocol"}
	case netstat.HWHDLC:
		return hwEntry{name: "hdlc", title: "(Cisco)-HDLC"}
	case netstat.HWLAPB:
		return hwEntry{name: "lapb", title: "LAPB"}
	case netstat.HWARCnet:
		return hwEntry{name: "arcnet", title: "ARCnet", alen: 1, print: hwFormat("%02X", 1)}
	case netstat.HWDLCI:
		return hwEntry{name: "dlci", title: "Frame Relay DLCI", alen: 3, print: hwDLCI}
	case netstat.HWFRAD:
		return hwEntry{name: "frad", title: "Frame Relay Access Device"}
	case netstat.HWSIT:
		return hwEntry{name: "sit", title: "IPv6-in-IPv4"}
	case netstat.HWFDDI:
		return hwEntry{name: "fddi", title: "Fiber Distributed Data Interface", alen: 6, print: hwFormat("%02X-", 6)}
	case netstat.HWHIPPI:
		return hwEntry{name: "hippi", title: "HIPPI", alen: 6, print: hwFormat("%02X:", 6)}
	case netstat.HWIrDA:
		return hwEntry{name: "irda", title: "IrLAP", alen: 2, print: hwIrDA}
	case netstat.HWEconet:
		return hwEntry{name: "ec", title: "Econet"}
	case netstat.HWX25:
		return hwEntry{name: "x25", title: "generic X.25", alen: 16, print: hwX25}
	case netstat.HWEUI64:
		return hwEntry{name: "eui64", title: "Generic EUI-64", alen: 8, print: hwFormat("%02X:", 8)}
	}
	return hwEntry{name: "unspec", title: "UNSPEC", print: hwFormat("%02X-", 16)}
}

// hwFormat prints n bytes as two hex digits each (lower case for "%02x", upper case
// for "%02X"), joined by the separator after the verb ("" for none).
func hwFormat(verb string, n int) func([]byte) string {
	upper := verb[3] == 'X'
	sep := verb[4:]
	return func(a []byte) string {
		var sb strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				sb.WriteString(sep)
			}
			sb.WriteString(ifaceHex2(a[i], upper))
		}
		return sb.String()
	}
}

func ifaceHex2(c byte, upper bool) string {
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// hwCallsign is AX25_print / NETROM_print: six shifted callsign bytes up to the
// first blank or NUL, then "-SSID" when the SSID is not zero.
func hwCallsign(a []byte) string {
	var sb strings.Builder
	for i := 0; i < 6; i++ {
		c := a[i] >> 1
		if c == ' ' || c == 0 {
			break
		}
		sb.WriteByte(c)
	}
	if ssid := (a[6] & 0x1e) >> 1; ssid != 0 {
		sb.WriteString("-" + strconv.Itoa(int(ssid)))
	}
	return sb.String()
}

// hwDLCI is "%i" of the first two bytes as a host-order (little-endian) short.
func hwDLCI(a []byte) string {
	return strconv.Itoa(int(int16(uint16(a[0]) | uint16(a[1])<<8)))
}

// hwIrDA is snprintf(buf, 12, "%02x:%02x:%02x:%02x", bytes 3..0 as signed chars):
// bytes >= 0x80 print as "ffffffXX" and the text is cut at 11 bytes.
func hwIrDA(a []byte) string {
	var sb strings.Builder
	for i := 3; i >= 0; i-- {
		if i < 3 {
			sb.WriteByte(':')
		}
		if a[i] >= 0x80 {
			sb.WriteString("ffffff")
		}
		sb.WriteString(ifaceHex2(a[i], false))
	}
	return ifaceTrunc(sb.String(), 11)
}

// hwX25 is strncpy of up to 16 bytes: the address up to its first NUL.
func hwX25(a []byte) string {
	s := a[:16]
	for i, c := range s {
		if c == 0 {
			return string(s[:i])
		}
	}
	return string(s)
}

// hwAsh is net-tools 2.10's pr_ash: '[', the first character of "%1x" of each of the
// 64 bytes taken as signed chars, ']'.
func hwAsh(a []byte) string {
	const digits = "0123456789abcdef"
	var sb strings.Builder
	sb.WriteByte('[')
	for _, c := range a[:64] {
		switch {
		case c >= 0x80:
			sb.WriteByte('f')
		case c >= 0x10:
			sb.WriteByte(digits[c>>4])
		default:
			sb.WriteByte(digits[c])
		}
	}
	sb.WriteByte(']')
	return sb.String()
}

func ifaceAllZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func ifaceTrunc(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// ifacePad appends s padded with blanks to width, on the left when right is set.
func ifacePad(b []byte, s string, width int, right bool) []byte {
	pad := width - len(s)
	if right {
		for ; pad > 0; pad-- {
			b = append(b, ' ')
		}
		return append(b, s...)
	}
	b = append(b, s...)
	for ; pad > 0; pad-- {
		b = append(b, ' ')
	}
	return b
}

// ifaceUint appends v in a field of width followed by a blank.
func ifaceUint(b []byte, v uint64, width int, right bool) []byte {
	b = ifacePad(b, strconv.FormatUint(v, 10), width, right)
	return append(b, ' ')
}
