package sockdiag

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/netstat-go/netstat/netstat"
)

// Test-side encoders, written independently of the package's decoders: they lay out the
// kernel structures field by field.

var ne = binary.NativeEndian

// nlmsg builds one netlink message.
func nlmsg(typ, flags uint16, seq uint32, payload []byte) []byte {
	b := make([]byte, 16, 16+len(payload)+3)
	ne.PutUint32(b[0:], uint32(16+len(payload)))
	ne.PutUint16(b[4:], typ)
	ne.PutUint16(b[6:], flags)
	ne.PutUint32(b[8:], seq)
	ne.PutUint32(b[12:], 4242) // the requester's port id, as the kernel sets it
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// nlattr builds one attribute, padded.
func nlattr(typ uint16, data []byte) []byte {
	b := make([]byte, 4, 4+len(data)+3)
	ne.PutUint16(b[0:], uint16(4+len(data)))
	ne.PutUint16(b[2:], typ)
	b = append(b, data...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// doneMsg is NLMSG_DONE with the dump's result (0 or a negative errno).
func doneMsg(seq uint32, errno int32) []byte {
	return nlmsg(typeDone, 0x2, seq, ne.AppendUint32(nil, uint32(errno)))
}

// errorMsg is NLMSG_ERROR with errno and the offending request header.
func errorMsg(seq uint32, errno int32) []byte {
	p := ne.AppendUint32(nil, uint32(errno))
	p = append(p, make([]byte, 16)...)
	return nlmsg(typeError, 0, seq, p)
}

// diagMsg describes one inet_diag_msg in readable form.
type diagMsg struct {
	family                  uint8
	state, timer, retrans   uint8
	src, dst                string // netip.AddrPort text
	expires, rq, wq, uid, i uint32
	ifindex                 uint32 // idiag_if
	attrs                   []byte
}

// inetPayload lays out struct inet_diag_msg followed by attrs.
func inetPayload(m diagMsg) []byte {
	b := make([]byte, 72)
	b[0], b[1], b[2], b[3] = m.family, m.state, m.timer, m.retrans
	put := func(portOff, addrOff int, s string) {
		ap := netip.MustParseAddrPort(s)
		binary.BigEndian.PutUint16(b[portOff:], ap.Port())
		copy(b[addrOff:], ap.Addr().AsSlice())
	}
	put(4, 8, m.src)
	put(6, 24, m.dst)
	ne.PutUint32(b[40:], m.ifindex)
	ne.PutUint32(b[44:], 0xc0ffee) // cookie
	ne.PutUint32(b[52:], m.expires)
	ne.PutUint32(b[56:], m.rq)
	ne.PutUint32(b[60:], m.wq)
	ne.PutUint32(b[64:], m.uid)
	ne.PutUint32(b[68:], m.i)
	return append(b, m.attrs...)
}

// sockMsg wraps inetPayload in a SOCK_DIAG_BY_FAMILY message of a dump.
func sockMsg(seq uint32, m diagMsg) []byte {
	return nlmsg(TypeSockDiagByFamily, 0x2, seq, inetPayload(m))
}

// tcpInfo is a struct tcp_info prefix of n bytes with the given counters.
func tcpInfo(n int, retransmits, probes uint8) []byte {
	b := make([]byte, n)
	if n >= 4 {
		b[2], b[3] = retransmits, probes
	}
	return b
}

func cat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

// fakeKernel is the fake Conn factory: each dialled connection answers the requests
// of script in order, checking the request bytes and returning canned datagrams.
type fakeKernel struct {
	t       *testing.T
	script  []exchange
	dials   int
	open    int
	dialErr error
}

// exchange is one request and the kernel's reply datagrams. A nil req accepts any
// request.
type exchange struct {
	req     []byte
	replies [][]byte
	sendErr error
}

func (k *fakeKernel) dial() (Conn, error) {
	if k.dialErr != nil {
		return nil, k.dialErr
	}
	k.dials++
	k.open++
	return &fakeConn{k: k}, nil
}

type fakeConn struct {
	k       *fakeKernel
	pending [][]byte
	closed  bool
}

func (c *fakeConn) Send(msg []byte) error {
	if c.closed {
		return errors.New("send on closed fake conn")
	}
	if len(c.k.script) == 0 {
		c.k.t.Errorf("unexpected request % x", msg)
		return errors.New("fake kernel: no more exchanges")
	}
	ex := c.k.script[0]
	c.k.script = c.k.script[1:]
	if ex.req != nil && !bytes.Equal(msg, ex.req) {
		c.k.t.Errorf("request bytes:\n got % x\nwant % x", msg, ex.req)
	}
	if ex.sendErr != nil {
		return ex.sendErr
	}
	c.pending = append(c.pending, ex.replies...)
	return nil
}

func (c *fakeConn) Receive(buf []byte) (int, error) {
	if c.closed {
		return 0, errors.New("receive on closed fake conn")
	}
	if len(c.pending) == 0 {
		return 0, errors.New("fake kernel: receive with nothing pending (would block)")
	}
	d := c.pending[0]
	c.pending = c.pending[1:]
	if len(d) > len(buf) {
		return 0, fmt.Errorf("datagram of %d bytes exceeds buffer", len(d))
	}
	return copy(buf, d), nil
}

func (c *fakeConn) Close() error {
	if c.closed {
		c.k.t.Error("fake conn closed twice")
	}
	c.closed = true
	c.k.open--
	return nil
}

// parseProcLine parses one data line of /proc/net/{tcp,udp,udplite,raw}[6] the way
// the kernel prints it (get_tcp4_sock, udp4_format_sock, raw_sock_seq_show and their
// IPv6 twins). It is deliberately independent of internal/procnet.
func parseProcLine(line string, proto netstat.Proto) (netstat.Socket, error) {
	f := strings.Fields(line)
	if len(f) < 10 {
		return netstat.Socket{}, fmt.Errorf("short line %q", line)
	}
	var s netstat.Socket
	var err error
	s.Proto = proto
	endpoint := func(t string) netip.AddrPort {
		a, p, ok := strings.Cut(t, ":")
		if !ok {
			err = fmt.Errorf("bad endpoint %q", t)
			return netip.AddrPort{}
		}
		raw, e := hex.DecodeString(a)
		if e != nil || (len(raw) != 4 && len(raw) != 16) {
			err = fmt.Errorf("bad address %q", a)
			return netip.AddrPort{}
		}
		// Each 32-bit word is printed as a host-order integer.
		for i := 0; i < len(raw); i += 4 {
			w := binary.BigEndian.Uint32(raw[i:])
			ne.PutUint32(raw[i:], w)
		}
		port, e := strconv.ParseUint(p, 16, 16)
		if e != nil {
			err = e
		}
		addr, _ := netip.AddrFromSlice(raw)
		return netip.AddrPortFrom(addr, uint16(port))
	}
	s.Local, s.Remote = endpoint(f[1]), endpoint(f[2])
	if s.Local.Addr().Is4() {
		s.Family = netstat.IPv4
	} else {
		s.Family = netstat.IPv6
	}
	hexNum := func(t string) uint64 {
		v, e := strconv.ParseUint(t, 16, 64)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	decNum := func(t string) uint64 {
		v, e := strconv.ParseUint(t, 10, 64)
		if e != nil && err == nil {
			err = e
		}
		return v
	}
	s.State = netstat.TCPState(hexNum(f[3]))
	tx, rx, _ := strings.Cut(f[4], ":")
	s.SendQ, s.RecvQ = hexNum(tx), hexNum(rx)
	tr, when, _ := strings.Cut(f[5], ":")
	s.Timer, s.TimerTicks = netstat.TimerKind(hexNum(tr)), hexNum(when)
	s.Retransmits = uint32(hexNum(f[6]))
	s.UID = uint32(decNum(f[7]))
	s.Probes = uint32(decNum(f[8]))
	s.Inode = decNum(f[9])
	return s, err
}

// parseProc parses a whole /proc/net Internet socket file.
func parseProc(text string, proto netstat.Proto) ([]netstat.Socket, error) {
	var out []netstat.Socket
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if i == 0 || line == "" {
			continue
		}
		s, err := parseProcLine(line, proto)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// inetFiles are the /proc/net files of Internet sockets and what they hold.
var inetFiles = []struct {
	file  string
	proto netstat.Proto
	fam   netstat.Family
}{
	{"tcp", netstat.TCP, netstat.IPv4},
	{"tcp6", netstat.TCP, netstat.IPv6},
	{"udp", netstat.UDP, netstat.IPv4},
	{"udp6", netstat.UDP, netstat.IPv6},
	{"udplite", netstat.UDPLite, netstat.IPv4},
	{"udplite6", netstat.UDPLite, netstat.IPv6},
	{"raw", netstat.RAW, netstat.IPv4},
	{"raw6", netstat.RAW, netstat.IPv6},
}

// ignoreDiagOnly leaves out of a comparison the fields that only inet_diag has
// (tests of those fields compare them on their own).
var ignoreDiagOnly = cmpopts.IgnoreFields(netstat.Socket{}, "Cookie", "IfIndex", "Backlog")

// cmpAddrPort lets cmp compare netip.AddrPort values (unexported fields) by ==.
var cmpAddrPort = cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })

// capturedTolerance is how far, in 1/100 s, a timer may have moved between reading
// /proc and dumping when the fixtures were captured.
const capturedTolerance = 10

// ticksBetween is the tolerance for timers read live: the clock ticks (1/100 s) that
// elapsed between the start of the /proc read and the end of the dump, plus one for
// each read's rounding. On a loaded machine the gap is what it is; a fixed bound
// would flake.
func ticksBetween(elapsed time.Duration) int64 { return int64(elapsed/(10*time.Millisecond)) + 2 }

// diffRows compares dumped rows with the /proc rows of the same moment, field by
// field. Timer expiries may differ by tolerance ticks. Without tcp_info (timers false)
// only the counter that idiag_retrans carries for the row's timer is compared, and not
// a request socket's (the Client reads /proc's num_timeout only with timers). The
// fields /proc does not have (cookie, bound interface, backlog) are not compared; a
// listener's Backlog must be set, every other socket's must be 0.
func diffRows(want, got []netstat.Socket, timers bool, tolerance int64) string {
	if len(want) != len(got) {
		return fmt.Sprintf("%d rows, want %d\n%s", len(got), len(want), cmp.Diff(want, got, cmpAddrPort, ignoreDiagOnly))
	}
	var out strings.Builder
	for i := range want {
		w, g := want[i], got[i]
		if d := int64(w.TimerTicks) - int64(g.TimerTicks); d >= -tolerance && d <= tolerance {
			g.TimerTicks = w.TimerTicks
		}
		if w.Proto == netstat.TCP {
			if !timers {
				switch w.Timer {
				case netstat.TimerOn:
					g.Probes = w.Probes
				case netstat.TimerKeepalive, netstat.TimerProbe:
					g.Retransmits = w.Retransmits
				default:
					g.Probes, g.Retransmits = w.Probes, w.Retransmits
				}
				if w.State == netstat.SynRecv && w.Inode == 0 {
					// Without timers a request socket's count is inet_diag's
					// num_retrans; with them, /proc's num_timeout.
					g.Retransmits = w.Retransmits
				}
			}
		}
		if w.Proto == netstat.TCP && w.State == netstat.Listen {
			g.Backlog = 0 // may be 0 (listen(fd, 0)); any value is right
		}
		g.Cookie, g.IfIndex = w.Cookie, w.IfIndex
		if d := cmp.Diff(w, g, cmpAddrPort); d != "" {
			fmt.Fprintf(&out, "row %d (-proc +diag):\n%s", i, d)
		}
	}
	return out.String()
}
