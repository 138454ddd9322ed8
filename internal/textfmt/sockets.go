package textfmt

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// SocketOptions are the command-line choices that change how socket rows look.
type SocketOptions struct {
	NumericHosts, NumericPorts, NumericUsers bool
	Wide                                     bool // -W: never truncate addresses
	Extend                                   bool // -e given at least once: User and Inode
	Programs                                 bool // -p: PID/Program name
	Timers                                   bool // -o
}

// TitleSuffix is net-tools' title suffix for the -a/-l selection.
func TitleSuffix(all, listening bool) string {
	switch {
	case all:
		return "(servers and established)"
	case listening:
		return "(only servers)"
	}
	return "(w/o servers)"
}

// InetHeader returns the two header lines of the Internet socket table.
func InetHeader(o *SocketOptions, all, listening bool) string {
	var sb strings.Builder
	sb.WriteString("Active Internet connections ")
	sb.WriteString(TitleSuffix(all, listening))
	sb.WriteString("\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ")
	if o.Extend {
		sb.WriteString(" User       Inode     ")
	}
	if o.Programs {
		sb.WriteString(" PID/Program name    ")
	}
	if o.Timers {
		sb.WriteString(" Timer")
	}
	sb.WriteByte('\n')
	return sb.String()
}

// UnixHeader returns the two header lines of the unix socket table.
func UnixHeader(programs, all, listening bool) string {
	h := "Active UNIX domain sockets " + TitleSuffix(all, listening) +
		"\nProto RefCnt Flags       Type       State         I-Node  "
	if programs {
		h += " PID/Program name    "
	}
	return h + " Path\n"
}

// protoLabel is the Proto column: tcp, tcp6, udp, udp6, udpl, udpl6, raw, raw6.
func protoLabel(s *netstat.Socket) string {
	v6 := s.Family == netstat.IPv6
	switch s.Proto {
	case netstat.TCP:
		return pick(v6, "tcp6", "tcp")
	case netstat.UDP:
		return pick(v6, "udp6", "udp")
	case netstat.UDPLite:
		return pick(v6, "udpl6", "udpl")
	case netstat.RAW:
		return pick(v6, "raw6", "raw")
	}
	return pick(v6, "?6", "?")
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// AppendInetRow appends one Internet socket row, newline included, exactly as
// net-tools' tcp_do_one/udp_do_one/raw_do_one print it. It allocates nothing unless r
// does, or an address is IPv6.
func AppendInetRow(b []byte, s *netstat.Socket, o *SocketOptions, r resolve.Resolver, prog ProgramLookup) []byte {
	svc := s.Proto.ServiceProto()
	label := protoLabel(s)
	if s.Proto == netstat.UDP || s.Proto == netstat.UDPLite {
		b = padRight(b, label, 5)
		b = append(b, ' ')
	} else {
		b = padRight(b, label, 4)
		b = append(b, ' ', ' ')
	}
	b = padLeftInt(b, int64(s.RecvQ), 6)
	b = append(b, ' ')
	b = padLeftInt(b, int64(s.SendQ), 6)
	b = append(b, ' ')
	start := len(b)
	b = padRightFrom(appendEndpoint(b, s.Local.Addr(), s.Local.Port(), svc, o, r), start, 23)
	b = append(b, ' ')
	start = len(b)
	b = padRightFrom(appendEndpoint(b, s.Remote.Addr(), s.Remote.Port(), svc, o, r), start, 23)
	b = append(b, ' ')
	start = len(b)
	switch s.Proto {
	case netstat.TCP:
		b = padRight(b, s.State.String(), 11)
	case netstat.RAW:
		b = padRightFrom(strconv.AppendInt(b, int64(s.State), 10), start, 11)
	default:
		b = padRight(b, udpStateText(s.State), 11)
	}

	if o.Extend {
		b = append(b, ' ')
		name, ok := "", false
		if !o.NumericUsers {
			name, ok = r.UserName(s.UID)
		}
		start = len(b)
		if ok {
			b = padRight(b, name, 10)
		} else {
			b = padRightFrom(strconv.AppendInt(b, int64(int32(s.UID)), 10), start, 10)
		}
		b = append(b, ' ')
		start = len(b)
		b = padRightFrom(strconv.AppendUint(b, s.Inode, 10), start, 10)
	}
	if o.Programs {
		b = append(b, ' ')
		b = appendProgram(b, prog, s.Inode)
	}
	if o.Timers {
		b = append(b, ' ')
		b = appendTimer(b, s)
	}
	return append(b, '\n')
}

func udpStateText(st netstat.TCPState) string {
	switch st {
	case netstat.Established:
		return "ESTABLISHED"
	case netstat.Close:
		return ""
	}
	return "UNKNOWN"
}

// appendProgram appends the PID/Program name column of inode, padded to 20 bytes.
func appendProgram(b []byte, prog ProgramLookup, inode uint64) []byte {
	start := len(b)
	if p := lookupProgram(prog, inode); p != nil {
		b = AppendProgramColumn(b, p)
	} else {
		b = append(b, '-')
	}
	if n := len(b) - start; n < 20 {
		b = append(b, "                    "[:20-n]...)
	}
	return b
}

func lookupProgram(prog ProgramLookup, inode uint64) *netstat.Process {
	if prog == nil {
		return nil
	}
	return prog(inode)
}

// appendTimer appends the -o text: "off (0.00/0/0)", "on (0.76/1/0)", ... TCP names
// its timers; UDP, UDP-Lite and raw print "on<code>".
func appendTimer(b []byte, s *netstat.Socket) []byte {
	code := int(s.Timer)
	tcp := s.Proto == netstat.TCP
	switch {
	case code == 0:
		b = append(b, "off (0.00"...)
		return appendRetrProbes(b, s)
	case tcp && code <= 4:
		b = append(b, [...]string{"", "on", "keepalive", "timewait", "probe"}[code]...)
	case !tcp && code <= 2:
		b = append(b, "on"...)
		b = strconv.AppendInt(b, int64(code), 10)
	default:
		b = append(b, "unkn-"...)
		b = strconv.AppendInt(b, int64(code), 10)
	}
	b = append(b, " ("...)
	b = strconv.AppendFloat(b, float64(s.TimerTicks)/100, 'f', 2, 64)
	return appendRetrProbes(b, s)
}

func appendRetrProbes(b []byte, s *netstat.Socket) []byte {
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(s.Retransmits), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(int32(s.Probes)), 10)
	return append(b, ')')
}

// maxEndpointLen is what fits net-tools' 128-byte address buffer, NUL excluded.
const maxEndpointLen = 127

// shortLen is the room net-tools gives "host:port" before it truncates (without -W).
const shortLen = 22

// appendEndpoint appends the Local/Foreign Address text of one end: host and port
// names per r, "*" for port 0, cut to 23 bytes unless wide (net-tools' addr_do_one).
// Host, ':' and port are appended in place, then cut by moving the port left.
func appendEndpoint(b []byte, addr netip.Addr, port uint16, svcProto string, o *SocketOptions, r resolve.Resolver) []byte {
	start := len(b)
	b = resolve.AppendHost(b, addr, o.NumericHosts, r)
	hl := len(b) - start
	b = append(b, ':')
	b = resolve.AppendPort(b, port, svcProto, o.NumericPorts, r)
	pl := len(b) - start - hl - 1
	if o.Wide {
		// net-tools formats "host:port" into a 128-byte buffer with snprintf.
		return b[:start+min(hl+1+pl, maxEndpointLen)]
	}
	if hl+pl <= shortLen {
		return b
	}
	cutPl := min(pl, shortLen-4)
	al := min(shortLen-cutPl, hl)
	b[start+al] = ':'
	copy(b[start+al+1:], b[start+hl+1:start+hl+1+cutPl])
	return b[:start+al+1+cutPl]
}

// HostText is resolve.HostText: the host part of a socket address as net-tools
// prints it.
func HostText(addr netip.Addr, numeric bool, r resolve.Resolver) string {
	return resolve.HostText(addr, numeric, r)
}

// AppendUnixRow appends one unix socket row, newline included (net-tools' unix_do_one).
func AppendUnixRow(b []byte, u *netstat.UnixSocket, programs bool, prog ProgramLookup) []byte {
	if u.Protocol == 0 {
		b = append(b, "unix  "...)
	} else {
		b = append(b, "??    "...)
	}
	start := len(b)
	b = padRightFrom(strconv.AppendInt(b, int64(u.RefCnt), 10), start, 6)
	b = append(b, ' ')
	b = padRight(b, unixFlagsText(u.Flags), 11)
	b = append(b, ' ')
	b = padRight(b, u.Type.String(), 10)
	b = append(b, ' ')
	b = padRight(b, unixStateText(u), 13)
	b = append(b, ' ')
	if u.HasInode {
		start = len(b)
		b = padRightFrom(strconv.AppendUint(b, u.Inode, 10), start, 8)
	} else {
		b = append(b, "-       "...)
	}
	if programs {
		b = append(b, ' ')
		if u.HasInode {
			b = appendProgram(b, prog, u.Inode)
		} else {
			b = padRight(b, "-", 20)
		}
	}
	b = append(b, ' ')
	b = append(b, u.Path...)
	return append(b, '\n')
}

// unixFlags is the Flags column for each combination of __SO_ACCEPTCON (1<<16),
// SO_WAITDATA (1<<17) and SO_NOSPACE (1<<18), indexed by those bits shifted down.
var unixFlags = [8]string{"[ ]", "[ ACC ]", "[ W ]", "[ ACC W ]", "[ N ]", "[ ACC N ]", "[ W N ]", "[ ACC W N ]"}

func unixFlagsText(f uint64) string { return unixFlags[f>>16&7] }

// unixStateText is the State column: net-tools leaves unconnected sockets blank.
func unixStateText(u *netstat.UnixSocket) string {
	if name := u.StateName(); name != "UNCONNECTED" {
		return name
	}
	return ""
}

// padRight appends s left-justified in width bytes (printf "%-*s": never truncates).
func padRight(b []byte, s string, width int) []byte {
	b = append(b, s...)
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return b
}

// padRightFrom pads the text b[start:], just appended, with spaces to width bytes
// (printf "%-*s" of that text).
func padRightFrom(b []byte, start, width int) []byte {
	for i := len(b) - start; i < width; i++ {
		b = append(b, ' ')
	}
	return b
}

// padLeft appends s right-justified in width bytes (printf "%*s").
func padLeft(b []byte, s string, width int) []byte {
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

// padLeftInt appends the decimal v right-justified in width bytes (printf "%*ld").
func padLeftInt(b []byte, v int64, width int) []byte {
	var digits [24]byte
	d := strconv.AppendInt(digits[:0], v, 10)
	for i := len(d); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, d...)
}
