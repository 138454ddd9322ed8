package winnetstat

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/netstat"

	"github.com/netstat-go/netstat/internal/winsource"
)

// Every line Windows netstat prints ends in CR LF.
const crlf = "\r\n"

// Names resolves what the connection listing shows without -n: the foreign host's
// name and the foreign port's service name. Implementations bound their own time.
type Names interface {
	// HostName returns the fully qualified name of a, false when it has none.
	HostName(a netip.Addr) (string, bool)
	// ServiceName returns the service of port for proto ("tcp" or "udp").
	ServiceName(port uint16, proto string) (string, bool)
	// ComputerName is the name shown for an unspecified or loopback foreign address.
	ComputerName() string
}

// StateName returns Windows' name for a TCP state in netstat.TCPState numbering
// (LISTENING, SYN_RECEIVED, FIN_WAIT_1, ...); "" for states Windows does not have.
func StateName(st netstat.TCPState) string {
	switch netstat.TCPState(st) {
	case netstat.Established:
		return "ESTABLISHED"
	case netstat.SynSent:
		return "SYN_SENT"
	case netstat.SynRecv, netstat.NewSynRecv:
		return "SYN_RECEIVED"
	case netstat.FinWait1:
		return "FIN_WAIT_1"
	case netstat.FinWait2:
		return "FIN_WAIT_2"
	case netstat.TimeWait:
		return "TIME_WAIT"
	case netstat.Close:
		return "CLOSED"
	case netstat.CloseWait:
		return "CLOSE_WAIT"
	case netstat.LastAck:
		return "LAST_ACK"
	case netstat.Listen:
		return "LISTENING"
	case netstat.Closing:
		return "CLOSING"
	}
	return ""
}

// Selected reports whether the connection listing of o shows s: -p picks one protocol
// in one family (TCP, UDP: IPv4; TCPv6, UDPv6: IPv6), no -p means TCP and, with -a,
// UDP of both families; without -a listening TCP sockets and every UDP socket are
// left out.
func Selected(o *Options, s *netstat.Socket) bool {
	if s.Proto != netstat.TCP && s.Proto != netstat.UDP {
		return false
	}
	if o.HasProto {
		proto, family := netstat.TCP, netstat.IPv4
		switch o.Proto {
		case ProtoUDP:
			proto = netstat.UDP
		case ProtoTCPv6:
			family = netstat.IPv6
		case ProtoUDPv6:
			proto, family = netstat.UDP, netstat.IPv6
		case ProtoTCP:
		default:
			return false
		}
		if s.Proto != proto || s.Family != family {
			return false
		}
	}
	if o.All {
		return true
	}
	return s.Proto == netstat.TCP && s.State != netstat.Listen
}

// connOrder is Windows' table order: TCP, TCPv6, UDP, UDPv6.
func connOrder(s *netstat.Socket) int {
	n := 0
	if s.Proto == netstat.UDP {
		n = 2
	}
	if s.Family == netstat.IPv6 {
		n++
	}
	return n
}

// AppendConnections appends the "Active Connections" listing of l as o selects it:
// rows in Windows' table order (TCP, TCPv6, UDP, UDPv6), each table in the order the
// source gave. names is used unless o.Numeric.
func AppendConnections(b []byte, l *winsource.Listing, o *Options, names Names) []byte {
	b = append(b, crlf+"Active Connections"+crlf+crlf...)
	b = append(b, "  Proto  Local Address          Foreign Address        State"...)
	if o.PID {
		b = append(b, "           PID"...)
	}
	b = append(b, crlf...)
	for table := 0; table < 4; table++ {
		for i := range l.Snapshot.Inet {
			s := &l.Snapshot.Inet[i]
			if connOrder(s) != table || !Selected(o, s) {
				continue
			}
			b = AppendConnection(b, s, l, o, names)
		}
	}
	return b
}

// AppendConnection appends one row of the listing (and -b's owner lines).
func AppendConnection(b []byte, s *netstat.Socket, l *winsource.Listing, o *Options, names Names) []byte {
	b = append(b, "  "...)
	proto := "TCP"
	if s.Proto == netstat.UDP {
		proto = "UDP"
	}
	b = appendPadded(b, proto, 5)
	b = append(b, "  "...)
	b = appendPadded(b, localText(s), 21)
	b = append(b, "  "...)
	b = appendPadded(b, foreignText(s, o, names), 21)
	b = append(b, "  "...)
	state := ""
	if s.Proto == netstat.TCP {
		state = StateName(s.State)
	}
	pid := l.PID(s.Inode)
	if o.PID {
		b = appendPadded(b, state, 14)
		b = append(b, "  "...)
		b = strconv.AppendInt(b, int64(pid), 10)
	} else {
		b = append(b, state...)
	}
	b = append(b, crlf...)
	if o.Exe && pid != 0 {
		m, ok := l.Modules[s.Inode]
		switch {
		case !ok || m.Exe == "":
			b = append(b, " Can not obtain ownership information"+crlf...)
		default:
			if m.Service != "" {
				b = append(b, "  "...)
				b = append(b, m.Service...)
				b = append(b, crlf...)
			}
			b = append(b, " ["...)
			b = append(b, m.Exe...)
			b = append(b, "]"+crlf...)
		}
	}
	return b
}

func appendPadded(b []byte, s string, width int) []byte {
	b = append(b, s...)
	for n := len(s); n < width; n++ {
		b = append(b, ' ')
	}
	return b
}

// addrText is an address as Windows prints it: IPv4 dotted, IPv6 in brackets with its
// zone (the scope id).
func addrText(a netip.Addr) string {
	if a.Is6() {
		return "[" + a.String() + "]"
	}
	return a.String()
}

func localText(s *netstat.Socket) string {
	return addrText(s.Local.Addr()) + ":" + strconv.Itoa(int(s.Local.Port()))
}

func foreignText(s *netstat.Socket, o *Options, names Names) string {
	if s.Proto == netstat.UDP {
		return "*:*"
	}
	a, port := s.Remote.Addr(), s.Remote.Port()
	if o.Numeric || names == nil {
		return addrText(a) + ":" + strconv.Itoa(int(port))
	}
	host := ""
	switch {
	case a.IsUnspecified() || a.IsLoopback():
		// Windows names both after the computer (127.0.0.1:49669 shows as MSI:49669).
		host = names.ComputerName()
	default:
		if name, ok := names.HostName(a); ok && name != "" {
			host = name
			if !o.FQDN {
				host, _, _ = strings.Cut(name, ".")
			}
		}
	}
	if host == "" {
		host = addrText(a)
	}
	svc := strconv.Itoa(int(port))
	if port != 0 {
		if name, ok := names.ServiceName(port, "tcp"); ok {
			svc = name
		}
	}
	return host + ":" + svc
}

// AppendEthernet appends -e's "Interface Statistics".
func AppendEthernet(b []byte, e *winsource.EthernetStats) []byte {
	b = append(b, "Interface Statistics"+crlf+crlf...)
	b = append(b, "                           Received            Sent"+crlf+crlf...)
	row := func(label string, recv, sent uint64, hasSent bool) {
		b = appendPadded(b, label, 19)
		b = appendRight(b, strconv.FormatUint(recv, 10), 16)
		if hasSent {
			b = appendRight(b, strconv.FormatUint(sent, 10), 16)
		}
		b = append(b, crlf...)
	}
	row("Bytes", e.RecvBytes, e.SentBytes, true)
	row("Unicast packets", e.RecvUnicast, e.SentUnicast, true)
	row("Non-unicast packets", e.RecvNonUnicast, e.SentNonUnicast, true)
	row("Discards", e.RecvDiscards, e.SentDiscards, true)
	row("Errors", e.RecvErrors, e.SentErrors, true)
	row("Unknown protocols", e.RecvUnknownProtos, 0, false)
	return b
}

// appendRight appends s right-aligned in width columns, with at least one space
// before it so that neighbouring columns never run together.
func appendRight(b []byte, s string, width int) []byte {
	n := width - len(s)
	if n < 1 {
		n = 1
	}
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return append(b, s...)
}
