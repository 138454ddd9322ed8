// Package procnet parses the text files under /proc/net. Each file format has its own Go
// file with a pure parser over an io.Reader and fixtures under testdata/.
package procnet

import (
	"bufio"
	"io"
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// inet.go parses /proc/net/{tcp,tcp6,udp,udp6,udplite,udplite6,raw,raw6}: one format,
// printed by the kernel's get_tcp4_sock, udp4_format_sock and raw_sock_seq_show.

// minFields is how many of the sscanf conversions net-tools needs per protocol before it
// accepts a line ("%d: %64[0-9A-Fa-f]:%X %64[0-9A-Fa-f]:%X %X %lX:%lX %X:%lX %lX %d %d %lu").
func minFields(p netstat.Proto) int {
	if p == netstat.TCP {
		return 11
	}
	return 10
}

// bogusMessage is net-tools' complaint about a line it cannot parse.
func bogusMessage(p netstat.Proto) string {
	switch p {
	case netstat.TCP:
		return "warning, got bogus tcp line."
	case netstat.RAW:
		return "warning, got bogus raw line."
	}
	return "warning, got bogus udp line."
}

// ScanInet reads one /proc/net Internet socket file and calls fn for each row in file
// order. The header line is skipped. A line net-tools would reject is reported through
// warn (with net-tools' message, without newline) and skipped. The *Socket is reused.
func ScanInet(r io.Reader, proto netstat.Proto, warn func(string), fn func(*netstat.Socket) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var s netstat.Socket
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue
		}
		if !ParseInetLine(sc.Bytes(), proto, &s) {
			if warn != nil {
				warn(bogusMessage(proto))
			}
			continue
		}
		if err := fn(&s); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ParseInetLine parses one data line into s and reports whether net-tools would accept
// it. Fields that sscanf would not reach are left zero.
func ParseInetLine(line []byte, proto netstat.Proto, s *netstat.Socket) bool {
	*s = netstat.Socket{Proto: proto}
	sc := scanner{b: line}
	n := 0
	var localHex, remHex []byte
	var lport, rport, state, txq, rxq, tr, when, retr, uid, timeout, inode uint64
	ok := sc.decimal(nil) && sc.lit(':')
	if ok {
		n++
		sc.skipSpace()
		localHex, ok = sc.hexRun(64)
	}
	if ok {
		n++
		ok = sc.lit(':') && sc.hex(&lport)
	}
	if ok {
		n++
		sc.skipSpace()
		remHex, ok = sc.hexRun(64)
	}
	if ok {
		n++
		ok = sc.lit(':') && sc.hex(&rport)
	}
	steps := []func() bool{
		func() bool { return sc.hex(&state) },
		func() bool { return sc.hex(&txq) },
		func() bool { return sc.lit(':') && sc.hex(&rxq) },
		func() bool { return sc.hex(&tr) },
		func() bool { return sc.lit(':') && sc.hex(&when) },
		func() bool { return sc.hex(&retr) },
		func() bool { return sc.decimal(&uid) },
		func() bool { return sc.decimal(&timeout) },
		func() bool { return sc.decimal(&inode) },
	}
	if ok {
		n++
		for _, step := range steps {
			if !step() {
				break
			}
			n++
		}
	}
	if n < minFields(proto) {
		return false
	}
	local, v6 := decodeProcAddr(localHex, false, false)
	remote, _ := decodeProcAddr(remHex, true, v6)
	s.Family = netstat.IPv4
	if v6 {
		s.Family = netstat.IPv6
	}
	s.Local = netip.AddrPortFrom(local, uint16(lport))
	s.Remote = netip.AddrPortFrom(remote, uint16(rport))
	s.State = netstat.TCPState(state)
	s.SendQ, s.RecvQ = txq, rxq
	s.Timer = netstat.TimerKind(tr)
	s.TimerTicks = when
	s.Retransmits = uint32(retr)
	s.UID = uint32(uid)
	s.Probes = uint32(timeout)
	s.Inode = inode
	if proto == netstat.UDP || proto == netstat.UDPLite {
		s.Retransmits = 0
	}
	return true
}

// decodeProcAddr decodes the kernel's hex address: more than 8 hex digits is IPv6 as
// four 32-bit words in host (little-endian) byte order, otherwise one IPv4 word. When
// forced is set the family is v6 regardless of the length (the local address decides
// the family of the whole row).
func decodeProcAddr(h []byte, forced, v6 bool) (netip.Addr, bool) {
	if !forced {
		v6 = len(h) > 8
	}
	if v6 {
		var b [16]byte
		for word := 0; word < 4; word++ {
			v := hexWord(h, word*8)
			b[word*4+0] = byte(v)
			b[word*4+1] = byte(v >> 8)
			b[word*4+2] = byte(v >> 16)
			b[word*4+3] = byte(v >> 24)
		}
		return netip.AddrFrom16(b), true
	}
	v := hexWord(h, 0)
	return netip.AddrFrom4([4]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)}), false
}

// hexWord parses up to 8 hex digits of h starting at off (sscanf "%08X"), 0 if none.
func hexWord(h []byte, off int) uint32 {
	var v uint32
	for i := off; i < off+8 && i < len(h); i++ {
		v = v<<4 | uint32(unhex(h[i]))
	}
	return v
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// scanner mimics the subset of sscanf that net-tools' /proc parsers rely on.
type scanner struct {
	b []byte
	i int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (s *scanner) skipSpace() {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

// lit matches one literal byte exactly, as a non-space format character does.
func (s *scanner) lit(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// hexRun is "%N[0-9A-Fa-f]": one to max hex digits, no leading space skipped.
func (s *scanner) hexRun(max int) ([]byte, bool) {
	start := s.i
	for s.i < len(s.b) && s.i-start < max && isHex(s.b[s.i]) {
		s.i++
	}
	return s.b[start:s.i], s.i > start
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// hex is "%X"/"%lX": skip spaces, optional sign, optional 0x, hex digits (wrapping).
func (s *scanner) hex(v *uint64) bool {
	s.skipSpace()
	neg := s.sign()
	if s.i+1 < len(s.b) && s.b[s.i] == '0' && (s.b[s.i+1] == 'x' || s.b[s.i+1] == 'X') && s.i+2 < len(s.b) && isHex(s.b[s.i+2]) {
		s.i += 2
	}
	start := s.i
	var x uint64
	for s.i < len(s.b) && isHex(s.b[s.i]) {
		x = x<<4 | uint64(unhex(s.b[s.i]))
		s.i++
	}
	if s.i == start {
		return false
	}
	if neg {
		x = -x
	}
	*v = x
	return true
}

// decimal is "%d"/"%lu": skip spaces, optional sign, decimal digits (wrapping).
func (s *scanner) decimal(v *uint64) bool {
	s.skipSpace()
	neg := s.sign()
	start := s.i
	var x uint64
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		x = x*10 + uint64(s.b[s.i]-'0')
		s.i++
	}
	if s.i == start {
		return false
	}
	if neg {
		x = -x
	}
	if v != nil {
		*v = x
	}
	return true
}

func (s *scanner) sign() bool {
	if s.i < len(s.b) && (s.b[s.i] == '-' || s.b[s.i] == '+') {
		s.i++
		return s.b[s.i-1] == '-'
	}
	return false
}
