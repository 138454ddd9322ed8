package jsonfmt

import (
	"net/netip"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// sockets.go renders the rows of the socket listing ("inet" and "unix" arrays of a
// "sockets" document) and holds the names they use.

// SocketOptions are the command-line choices that add fields to socket rows. Numbers
// are always present; a name field appears only when names were asked for, so that
// `-n` output never waits for a lookup.
type SocketOptions struct {
	// HostNames adds "local_host" and "remote_host" (no -n/--numeric-hosts).
	HostNames bool
	// PortNames adds "local_service" and "remote_service" (no -n/--numeric-ports).
	PortNames bool
	// UserNames adds "user" (no -n/--numeric-users).
	UserNames bool
	// Programs adds "pid", "program" and "processes" (-p).
	Programs bool
	// Timers adds "timer" (-o).
	Timers bool
}

// Selection is the "selection" of a sockets document for net-tools' -a and -l:
// "all", "listening" or "non_listening" (the default, net-tools' "w/o servers").
func Selection(all, listening bool) string {
	switch {
	case all:
		return "all"
	case listening:
		return "listening"
	}
	return "non_listening"
}

// FamilyName is "inet" for IPv4 and "inet6" for IPv6, net-tools' family keywords.
func FamilyName(f netstat.Family) string {
	if f == netstat.IPv6 {
		return "inet6"
	}
	return "inet"
}

// StateName is the name of a kernel TCP state number: ESTABLISHED … CLOSING, or
// UNKNOWN for 0 and numbers past CLOSING. UDP and raw sockets use the same numbers
// (ESTABLISHED when connected, CLOSE otherwise).
func StateName(st netstat.TCPState) string {
	if st == 0 || st > netstat.Closing {
		return "UNKNOWN"
	}
	return st.String()
}

// StateNames lists the twelve values of StateName in kernel order, UNKNOWN last.
func StateNames() []string {
	names := make([]string, 0, 12)
	for st := netstat.Established; st <= netstat.Closing; st++ {
		names = append(names, st.String())
	}
	return append(names, "UNKNOWN")
}

// HostName is the name net-tools would show for a socket or group address, without
// net-tools' truncation: none for a wildcard address; for IPv4 a host name, or a
// network name (/etc/networks) when the first octet is 0; for IPv6 a host name.
func HostName(addr netip.Addr, r resolve.Resolver) (string, bool) {
	if !addr.IsValid() || addr.IsUnspecified() {
		return "", false
	}
	if addr.Is4() {
		a := addr.As4()
		if a[0] == 0 {
			return r.NetworkName(uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]))
		}
	}
	return r.HostName(addr)
}

// ServiceName is the service name of a port (none for port 0).
func ServiceName(port uint16, proto string, r resolve.Resolver) (string, bool) {
	if port == 0 {
		return "", false
	}
	return r.ServiceName(port, proto)
}

// Holders returns every process that holds a socket inode, lowest PID first (nil or
// empty when none is known).
type Holders func(inode uint64) []netstat.Process

// TimerKind is the "kind" of a socket's timer: off, on, keepalive, timewait or probe
// for TCP; off or on for the other protocols (their timer codes 1 and 2 are both
// "on"); unknown for any other code.
func TimerKind(p netstat.Proto, code netstat.TimerKind) string {
	switch {
	case code == netstat.TimerOff:
		return "off"
	case p == netstat.TCP && code <= netstat.TimerProbe:
		return [...]string{"", "on", "keepalive", "timewait", "probe"}[code]
	case p != netstat.TCP && code <= 2:
		return "on"
	}
	return "unknown"
}

// AppendInetSocket appends one element of a sockets document's "inet" array.
// Addresses are numeric (glibc inet_ntop text; IPv4-mapped IPv6 addresses keep their
// "::ffff:" prefix); holders is the -p lookup (nil without -p).
func AppendInetSocket(b []byte, s *netstat.Socket, o *SocketOptions, r resolve.Resolver, holders Holders) []byte {
	b = append(b, `{"proto":`...)
	b = AppendString(b, s.Proto.String())
	b = AppendKey(b, "family")
	b = AppendString(b, FamilyName(s.Family))
	b = AppendKey(b, "recv_q")
	b = appendUint(b, s.RecvQ)
	b = AppendKey(b, "send_q")
	b = appendUint(b, s.SendQ)
	b = AppendKey(b, "local_address")
	b = appendAddr(b, s.Local.Addr())
	b = AppendKey(b, "local_port")
	b = appendUint(b, uint64(s.Local.Port()))
	b = AppendKey(b, "remote_address")
	b = appendAddr(b, s.Remote.Addr())
	b = AppendKey(b, "remote_port")
	b = appendUint(b, uint64(s.Remote.Port()))
	if o.HostNames {
		b = AppendKey(b, "local_host")
		name, ok := HostName(s.Local.Addr(), r)
		b = appendStringOrNull(b, name, ok)
		b = AppendKey(b, "remote_host")
		name, ok = HostName(s.Remote.Addr(), r)
		b = appendStringOrNull(b, name, ok)
	}
	if o.PortNames {
		svc := s.Proto.ServiceProto()
		b = AppendKey(b, "local_service")
		name, ok := ServiceName(s.Local.Port(), svc, r)
		b = appendStringOrNull(b, name, ok)
		b = AppendKey(b, "remote_service")
		name, ok = ServiceName(s.Remote.Port(), svc, r)
		b = appendStringOrNull(b, name, ok)
	}
	b = AppendKey(b, "state")
	b = AppendString(b, StateName(s.State))
	b = AppendKey(b, "uid")
	b = appendUint(b, uint64(s.UID))
	if o.UserNames {
		b = AppendKey(b, "user")
		name, ok := r.UserName(s.UID)
		b = appendStringOrNull(b, name, ok)
	}
	b = AppendKey(b, "inode")
	b = appendUint(b, s.Inode)
	if o.Programs {
		b = appendProgram(b, holders, s.Inode, true)
	}
	if o.Timers {
		b = AppendKey(b, "timer")
		b = append(b, `{"kind":`...)
		b = AppendString(b, TimerKind(s.Proto, s.Timer))
		b = AppendKey(b, "code")
		b = appendUint(b, uint64(s.Timer))
		b = AppendKey(b, "expires_ms")
		b = appendUint(b, s.TimerTicks*10)
		b = AppendKey(b, "retransmits")
		b = appendUint(b, uint64(s.Retransmits))
		b = AppendKey(b, "probes")
		b = appendInt(b, int64(int32(s.Probes)))
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendAddr appends the numeric text of addr ("" for an invalid address, which the
// sources never produce).
func appendAddr(b []byte, a netip.Addr) []byte {
	switch {
	case !a.IsValid():
		return AppendString(b, "")
	case a.Is4():
		// A dotted quad needs no escaping; this path does not allocate.
		b = append(b, '"')
		b = a.AppendTo(b)
		return append(b, '"')
	}
	return AppendString(b, resolve.NumericHost(a))
}

// appendProgram appends the "pid" and "program" fields of the lowest-PID holder (null
// when no process is known, or known is false), the program name whole, and
// "processes", every holder.
func appendProgram(b []byte, holders Holders, inode uint64, known bool) []byte {
	var ps []netstat.Process
	if known && holders != nil {
		ps = holders(inode)
	}
	b = AppendKey(b, "pid")
	if len(ps) > 0 {
		b = appendInt(b, int64(ps[0].PID))
		b = AppendKey(b, "program")
		b = AppendString(b, ps[0].Name)
	} else {
		b = append(b, `null,"program":null`...)
	}
	b = AppendKey(b, "processes")
	b = append(b, '[')
	for i := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"pid":`...)
		b = appendInt(b, int64(ps[i].PID))
		b = AppendKey(b, "program")
		b = AppendString(b, ps[i].Name)
		b = append(b, '}')
	}
	return append(b, ']')
}

// unixFlags are the flag bits net-tools shows, with its letters: ACC (__SO_ACCEPTCON,
// a listener), W (SOCK_WAITDATA) and N (SOCK_NOSPACE).
var unixFlags = [...]struct {
	bit  uint64
	name string
}{{1 << 16, "ACC"}, {1 << 17, "W"}, {1 << 18, "N"}}

// UnixFlagNames lists the flags of a unix socket that net-tools shows, in its order.
func UnixFlagNames(f uint64) []string {
	var out []string
	for _, u := range unixFlags {
		if f&u.bit != 0 {
			out = append(out, u.name)
		}
	}
	return out
}

// AppendUnixSocket appends one element of a sockets document's "unix" array. programs
// adds "pid" and "program" (-p); prog is the lookup.
func AppendUnixSocket(b []byte, u *netstat.UnixSocket, programs bool, holders Holders) []byte {
	b = append(b, `{"proto":"unix","refcnt":`...)
	b = appendUint(b, u.RefCnt)
	b = AppendKey(b, "flags")
	b = append(b, '[')
	n := 0
	for _, f := range unixFlags {
		if u.Flags&f.bit != 0 {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = AppendString(b, f.name)
		}
	}
	b = append(b, ']')
	b = AppendKey(b, "type")
	b = AppendString(b, u.Type.String())
	b = AppendKey(b, "state")
	b = AppendString(b, u.StateName())
	b = AppendKey(b, "inode")
	if u.HasInode {
		b = appendUint(b, u.Inode)
	} else {
		b = append(b, "null"...)
	}
	if programs {
		b = appendProgram(b, holders, u.Inode, u.HasInode)
	}
	b = AppendKey(b, "path")
	b = appendStringOrNull(b, u.Path, u.Path != "")
	return append(b, '}')
}
