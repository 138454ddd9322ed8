package textfmt

import (
	"math/rand"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

type fakeRes struct{ rnd int }

func (f fakeRes) HostName(a netip.Addr) (string, bool) {
	h := int(a.As16()[15]) % 7
	switch h {
	case 0:
		return "", false
	case 1:
		return "h", true
	case 2:
		return strings.Repeat("n", 30), true
	case 3:
		return strings.Repeat("x", 130), true
	case 4:
		return strings.Repeat("y", 127), true
	case 5:
		return "host.example.com", true
	}
	return "", false
}
func (f fakeRes) NetworkName(n uint32) (string, bool) {
	if n%3 == 0 {
		return "net" + strconv.Itoa(int(n%100)), true
	}
	return "", false
}
func (f fakeRes) ServiceName(p uint16, proto string) (string, bool) {
	switch p % 5 {
	case 0:
		return "svc", true
	case 1:
		return strings.Repeat("s", 70), true
	case 2:
		return strings.Repeat("q", 20), true
	}
	return "", false
}
func (f fakeRes) UserName(u uint32) (string, bool) {
	if u%2 == 0 {
		return "user" + strings.Repeat("u", int(u%15)), true
	}
	return "", false
}

func randAddr(r *rand.Rand, v6 bool) netip.Addr {
	if !v6 {
		var b [4]byte
		switch r.Intn(4) {
		case 0:
		case 1:
			b = [4]byte{0, byte(r.Intn(3)), byte(r.Intn(3)), byte(r.Intn(256))}
		default:
			r.Read(b[:])
		}
		return netip.AddrFrom4(b)
	}
	var b [16]byte
	switch r.Intn(5) {
	case 0:
	case 1:
		b[10], b[11] = 0xff, 0xff
		r.Read(b[12:])
	case 2:
		b[15] = 1
	default:
		for i := range b {
			if r.Intn(3) == 0 {
				b[i] = byte(r.Intn(256))
			}
		}
	}
	return netip.AddrFrom16(b)
}

func TestZZEquiv(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var res resolve.Resolver = fakeRes{}
	prog := func(ino uint64) string {
		if ino%3 == 0 {
			return ""
		}
		return strconv.Itoa(int(ino)) + "/prog" + strings.Repeat("p", int(ino%20))
	}
	for i := 0; i < 300000; i++ {
		v6 := r.Intn(3) == 0
		s := netstat.Socket{
			Proto:  netstat.Proto(1 + r.Intn(5)),
			Family: netstat.IPv4,
			State:  uint8(r.Intn(14)),
			RecvQ:  uint64(r.Int63n(1 << uint(r.Intn(62)+1))),
			SendQ:  uint64(r.Int63n(1 << uint(r.Intn(62)+1))),
			UID:    r.Uint32(),
			Inode:  uint64(r.Int63()),
			Timer:  netstat.TimerKind(r.Intn(7)),
			TimerTicks: uint64(r.Intn(100000)),
			Retransmits: r.Uint32(),
			Probes: r.Uint32(),
		}
		if r.Intn(4) == 0 { s.RecvQ = r.Uint64(); s.UID = uint32(r.Intn(5)); s.Inode = uint64(r.Intn(100)) }
		if v6 {
			s.Family = netstat.IPv6
		}
		s.Local = netip.AddrPortFrom(randAddr(r, v6), uint16(r.Intn(3)*r.Intn(65536)))
		s.Remote = netip.AddrPortFrom(randAddr(r, v6), uint16(r.Intn(3)*r.Intn(65536)))
		o := SocketOptions{NumericHosts: r.Intn(2) == 0, NumericPorts: r.Intn(2) == 0, NumericUsers: r.Intn(2) == 0, Wide: r.Intn(3) == 0, Extend: r.Intn(2) == 0, Programs: r.Intn(2) == 0, Timers: r.Intn(2) == 0}
		var p ProgramLookup
		if r.Intn(4) != 0 {
			p = prog
		}
		got := string(AppendInetRow([]byte("pre"), &s, &o, res, p))
		want := string(old_AppendInetRow([]byte("pre"), &s, &o, res, p))
		if got != want {
			t.Fatalf("%+v %+v\ngot  %q\nwant %q", s, o, got, want)
		}
		u := netstat.UnixSocket{Protocol: uint64(r.Intn(2)), RefCnt: r.Uint64() >> uint(r.Intn(64)), Flags: r.Uint64(), Type: uint16(r.Intn(7)), State: uint8(r.Intn(6)), HasInode: r.Intn(3) != 0, Inode: uint64(r.Int63()) >> uint(r.Intn(63)), Path: "/x/" + strings.Repeat("a", r.Intn(5))}
		pr := r.Intn(2) == 0
		gu := string(AppendUnixRow([]byte("u"), &u, pr, p))
		wu := string(old_AppendUnixRow([]byte("u"), &u, pr, p))
		if gu != wu {
			t.Fatalf("%+v\ngot  %q\nwant %q", u, gu, wu)
		}
	}
}
// protoLabel is the Proto column: tcp, tcp6, udp, udp6, udpl, udpl6, raw, raw6.
func old_protoLabel(s *netstat.Socket) string {
	var p string
	switch s.Proto {
	case netstat.TCP:
		p = "tcp"
	case netstat.UDP:
		p = "udp"
	case netstat.UDPLite:
		p = "udpl"
	case netstat.RAW:
		p = "raw"
	default:
		p = "?"
	}
	if s.Family == netstat.IPv6 {
		p += "6"
	}
	return p
}

// serviceProto is the protocol whose service names a socket's ports use.
func old_serviceProto(p netstat.Proto) string {
	switch p {
	case netstat.TCP:
		return "tcp"
	case netstat.RAW:
		return "raw"
	}
	return "udp"
}

// AppendInetRow appends one Internet socket row, newline included, exactly as
// net-tools' tcp_do_one/udp_do_one/raw_do_one print it.
func old_AppendInetRow(b []byte, s *netstat.Socket, o *SocketOptions, r resolve.Resolver, prog ProgramLookup) []byte {
	svc := old_serviceProto(s.Proto)
	local := old_EndpointText(s.Local.Addr(), s.Local.Port(), svc, o, r)
	remote := old_EndpointText(s.Remote.Addr(), s.Remote.Port(), svc, o, r)

	label := old_protoLabel(s)
	if s.Proto == netstat.UDP || s.Proto == netstat.UDPLite {
		b = old_padRight(b, label, 5)
		b = append(b, ' ')
	} else {
		b = old_padRight(b, label, 4)
		b = append(b, ' ', ' ')
	}
	b = old_padLeft(b, strconv.FormatInt(int64(s.RecvQ), 10), 6)
	b = append(b, ' ')
	b = old_padLeft(b, strconv.FormatInt(int64(s.SendQ), 10), 6)
	b = append(b, ' ')
	b = old_padRight(b, local, 23)
	b = append(b, ' ')
	b = old_padRight(b, remote, 23)
	b = append(b, ' ')
	switch s.Proto {
	case netstat.TCP:
		b = old_padRight(b, netstat.TCPState(s.State).String(), 11)
	case netstat.RAW:
		b = old_padRight(b, strconv.Itoa(int(s.State)), 11)
	default:
		b = old_padRight(b, old_udpStateText(s.State), 11)
	}

	if o.Extend {
		b = append(b, ' ')
		name, ok := "", false
		if !o.NumericUsers {
			name, ok = r.UserName(s.UID)
		}
		if !ok {
			name = strconv.Itoa(int(int32(s.UID)))
		}
		b = old_padRight(b, name, 10)
		b = append(b, ' ')
		b = old_padRight(b, strconv.FormatUint(s.Inode, 10), 10)
	}
	if o.Programs {
		b = append(b, ' ')
		b = old_padRight(b, old_programText(prog, s.Inode), 20)
	}
	if o.Timers {
		b = append(b, ' ')
		b = old_appendTimer(b, s)
	}
	return append(b, '\n')
}

func old_udpStateText(st uint8) string {
	switch st {
	case 1:
		return "ESTABLISHED"
	case 7:
		return ""
	}
	return "UNKNOWN"
}

func old_programText(prog ProgramLookup, inode uint64) string {
	if prog != nil {
		if p := prog(inode); p != "" {
			return p
		}
	}
	return "-"
}

// appendTimer appends the -o text: "off (0.00/0/0)", "on (0.76/1/0)", ... TCP names
// its timers; UDP, UDP-Lite and raw print "on<code>".
func old_appendTimer(b []byte, s *netstat.Socket) []byte {
	code := int(s.Timer)
	tcp := s.Proto == netstat.TCP
	switch {
	case code == 0:
		b = append(b, "off (0.00"...)
		return old_appendRetrProbes(b, s)
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
	return old_appendRetrProbes(b, s)
}

func old_appendRetrProbes(b []byte, s *netstat.Socket) []byte {
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(s.Retransmits), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(int32(s.Probes)), 10)
	return append(b, ')')
}

// shortLen is the room net-tools gives "host:port" before it truncates (without -W).


// EndpointText is the Local/Foreign Address text of one end: host and port names per
// r, "*" for port 0, cut to 23 bytes unless wide (net-tools' addr_do_one).
func old_EndpointText(addr netip.Addr, port uint16, svcProto string, o *SocketOptions, r resolve.Resolver) string {
	h := old_HostText(addr, o.NumericHosts, r)
	p := old_PortText(port, svcProto, o.NumericPorts, r)
	if !o.Wide && len(h)+len(p) > shortLen {
		pl := min(len(p), shortLen-4)
		al := min(shortLen-pl, len(h))
		return h[:al] + ":" + p[:pl]
	}
	return h + ":" + p
}

// HostText is the host part of a socket address (net-tools' INET_sprint/INET6_sprint):
// "0.0.0.0" for the IPv4 wildcard, "[::]" for the IPv6 one unless numeric, a name from
// r where there is one, else the numeric text; IPv4-mapped IPv6 addresses lose their
// "::ffff:" prefix.
func old_HostText(addr netip.Addr, numeric bool, r resolve.Resolver) string {
	if addr.Is4() {
		if numeric || addr.IsUnspecified() {
			return addr.String()
		}
		a := addr.As4()
		// net-tools tests (addr & ~0xffffff00) on the little-endian integer, i.e. the
		// first octet: a non-zero first octet means a host, otherwise a network.
		if a[0] != 0 {
			if name, ok := r.HostName(addr); ok {
				return old_truncate(name, maxIPv4Name)
			}
		} else if name, ok := r.NetworkName(uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])); ok {
			return old_truncate(name, maxIPv4Name)
		}
		return addr.String()
	}
	var text string
	switch {
	case numeric:
		text = IPv6Text(addr)
	case addr.IsUnspecified():
		return "[::]"
	default:
		if name, ok := r.HostName(addr); ok && len(name) < maxIPv6Name {
			text = name
		} else {
			text = IPv6Text(addr)
		}
	}
	if addr.Is4In6() {
		text = old_demangleMapped(text)
	}
	return text
}

// net-tools' name buffers: IPv4 names are cut to 127 bytes; an IPv6 name that does not
// fit in 128 bytes makes getnameinfo fail, and the number is shown.


func old_truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// demangleMapped is net-tools' fix_v4_address: in the text of an IPv4-mapped address,
// drop everything up to the last ':' before the first '.', so "::ffff:127.0.0.1"
// shows as "127.0.0.1".
func old_demangleMapped(s string) string {
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s
	}
	if colon := strings.LastIndexByte(s[:dot], ':'); colon >= 0 {
		return s[colon+1:]
	}
	return s
}

// maxServiceName is net-tools' buffer for service names (63 bytes and a NUL).


// PortText is "*" for port 0 (even when numeric), else the service name of port for
// svcProto, else the decimal number.
func old_PortText(port uint16, svcProto string, numeric bool, r resolve.Resolver) string {
	if port == 0 {
		return "*"
	}
	if numeric {
		return strconv.Itoa(int(port))
	}
	if name, ok := r.ServiceName(port, svcProto); ok {
		if len(name) > maxServiceName {
			name = name[:maxServiceName]
		}
		return name
	}
	return strconv.Itoa(int(port))
}

// AppendUnixRow appends one unix socket row, newline included (net-tools' unix_do_one).
func old_AppendUnixRow(b []byte, u *netstat.UnixSocket, programs bool, prog ProgramLookup) []byte {
	if u.Protocol == 0 {
		b = append(b, "unix  "...)
	} else {
		b = append(b, "??    "...)
	}
	b = old_padRight(b, strconv.FormatInt(int64(u.RefCnt), 10), 6)
	b = append(b, ' ')
	b = old_padRight(b, old_unixFlagsText(u.Flags), 11)
	b = append(b, ' ')
	b = old_padRight(b, old_unixTypeText(u.Type), 10)
	b = append(b, ' ')
	b = old_padRight(b, old_unixStateText(u), 13)
	b = append(b, ' ')
	if u.HasInode {
		b = old_padRight(b, strconv.FormatUint(u.Inode, 10), 8)
	} else {
		b = append(b, "-       "...)
	}
	if programs {
		b = append(b, ' ')
		p := "-"
		if u.HasInode {
			p = old_programText(prog, u.Inode)
		}
		b = old_padRight(b, p, 20)
	}
	b = append(b, ' ')
	b = append(b, u.Path...)
	return append(b, '\n')
}

func old_unixFlagsText(f uint64) string {
	s := "[ "
	if f&(1<<16) != 0 {
		s += "ACC "
	}
	if f&(1<<17) != 0 {
		s += "W "
	}
	if f&(1<<18) != 0 {
		s += "N "
	}
	return s + "]"
}

func old_unixTypeText(t uint16) string {
	switch t {
	case netstat.UnixStream:
		return "STREAM"
	case netstat.UnixDgram:
		return "DGRAM"
	case netstat.UnixRaw:
		return "RAW"
	case netstat.UnixRDM:
		return "RDM"
	case netstat.UnixSeqPacket:
		return "SEQPACKET"
	}
	return "UNKNOWN"
}

func old_unixStateText(u *netstat.UnixSocket) string {
	switch u.State {
	case netstat.UnixFree:
		return "FREE"
	case netstat.UnixUnconnected:
		if u.Flags&netstat.UnixAcceptConn != 0 {
			return "LISTENING"
		}
		return ""
	case netstat.UnixConnecting:
		return "CONNECTING"
	case netstat.UnixConnected:
		return "CONNECTED"
	case netstat.UnixDisconnecting:
		return "DISCONNECTING"
	}
	return "UNKNOWN"
}

// padRight appends s left-justified in width bytes (printf "%-*s": never truncates).
func old_padRight(b []byte, s string, width int) []byte {
	b = append(b, s...)
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return b
}

// padLeft appends s right-justified in width bytes (printf "%*s").
func old_padLeft(b []byte, s string, width int) []byte {
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func TestZZEquiv2(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	res := fakeRes{}
	for i := 0; i < 200000; i++ {
		a := randAddr(r, r.Intn(2) == 0)
		n := r.Intn(2) == 0
		if HostText(a, n, res) != old_HostText(a, n, res) {
			t.Fatal(a, n)
		}
		p := uint16(r.Intn(3) * r.Intn(65536))
		if PortText(p, "tcp", n, res) != old_PortText(p, "tcp", n, res) {
			t.Fatal(p)
		}
		o := SocketOptions{NumericHosts: n, NumericPorts: r.Intn(2) == 0, Wide: r.Intn(2) == 0}
		if EndpointText(a, p, "udp", &o, res) != old_EndpointText(a, p, "udp", &o, res) {
			t.Fatal(a, p, o)
		}
	}
}
