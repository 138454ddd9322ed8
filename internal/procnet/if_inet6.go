package procnet

import (
	"io"
	"net/netip"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// if_inet6.go parses /proc/net/if_inet6 exactly as net-tools' ife_print_long scans it:
//
//	while (fscanf(f, "%4s%4s%4s%4s%4s%4s%4s%4s %08x %02x %02x %02x %20s\n", ...) != EOF)
//
// The scan is token based, not line based: a short or malformed line shifts the
// following tokens, and a call that stops early leaves the variables it did not reach
// with the values of the previous call. Each call that does not hit end of file yields
// one record.

// ParseIfInet6 returns one record per fscanf call, in file order. A record's Addr is
// the zero Addr when the eight address groups joined by ':' are not an IPv6 address
// for glibc's inet_pton. The error is the read error, if any.
func ParseIfInet6(r io.Reader) ([]netstat.Inet6Addr, error) {
	data, err := io.ReadAll(r)
	return parseIfInet6(data), err
}

func parseIfInet6(data []byte) []netstat.Inet6Addr {
	var (
		out    []netstat.Inet6Addr
		groups [8]string
		vals   [4]uint32 // if_idx, plen, scope, dad_status
		dev    string
		sc     = inet6Scanner{b: data}
	)
	for {
		n, eof := sc.record(&groups, &vals, &dev)
		if eof && n == 0 {
			return out
		}
		rec := netstat.Inet6Addr{
			Device:    dev,
			Index:     vals[0],
			PrefixLen: vals[1],
			Scope:     vals[2],
			Flags:     vals[3],
		}
		if a, ok := inetPton6(strings.Join(groups[:], ":")); ok {
			rec.Addr = a
		}
		out = append(out, rec)
		if eof {
			// The next call would return EOF at once.
			return out
		}
	}
}

// inet6Scanner emulates glibc's fscanf over the whole file.
type inet6Scanner struct {
	b []byte
	i int
}

// record performs one fscanf call. It returns the number of conversions and whether
// the input ended during the call (an input failure).
func (s *inet6Scanner) record(groups *[8]string, vals *[4]uint32, dev *string) (n int, eof bool) {
	for g := range groups {
		tok, ok := s.str(4)
		if !ok {
			return n, true
		}
		groups[g] = tok
		n++
	}
	widths := [4]int{8, 2, 2, 2}
	for k, w := range widths {
		s.skipSpace() // the blank directive before each %x
		v, st := s.hex(w)
		switch st {
		case scanEOF:
			return n, true
		case scanMismatch:
			return n, false
		}
		vals[k] = v
		n++
	}
	s.skipSpace()
	tok, ok := s.str(20)
	if !ok {
		return n, true
	}
	*dev = tok
	n++
	s.skipSpace() // the trailing "\n" directive
	return n, false
}

func (s *inet6Scanner) skipSpace() {
	for s.i < len(s.b) && devIsSpace(s.b[s.i]) {
		s.i++
	}
}

// str is %Ns: skip blanks, then take 1..width non-blank bytes. The C string stops at
// a NUL byte.
func (s *inet6Scanner) str(width int) (string, bool) {
	s.skipSpace()
	start := s.i
	for s.i < len(s.b) && s.i-start < width && !devIsSpace(s.b[s.i]) {
		s.i++
	}
	if s.i == start {
		return "", false
	}
	tok := s.b[start:s.i]
	return string(devCString(tok)), true
}

type scanStatus int

const (
	scanOK scanStatus = iota
	scanMismatch
	scanEOF
)

// hex is %Nx as glibc reads it: optional sign, optional "0x" after a leading 0, then
// hex digits, all within width bytes; the value is reduced to 32 bits.
func (s *inet6Scanner) hex(width int) (uint32, scanStatus) {
	if s.i >= len(s.b) {
		return 0, scanEOF
	}
	neg := false
	digits := 0
	var v uint64
	if c := s.b[s.i]; c == '+' || c == '-' {
		neg = c == '-'
		s.i++
		width--
	}
	if width != 0 && s.i < len(s.b) && s.b[s.i] == '0' {
		s.i++
		width--
		digits++
		if width != 0 && s.i < len(s.b) && (s.b[s.i] == 'x' || s.b[s.i] == 'X') {
			s.i++
			width--
		}
	}
	for width != 0 && s.i < len(s.b) {
		d, ok := hexDigit(s.b[s.i])
		if !ok {
			break
		}
		v = v<<4 | uint64(d)
		s.i++
		width--
		digits++
	}
	if digits == 0 {
		if s.i >= len(s.b) {
			return 0, scanEOF
		}
		return 0, scanMismatch
	}
	if neg {
		v = -v
	}
	return uint32(v), scanOK
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// inetPton6 is glibc's inet_pton(AF_INET6, src, dst).
func inetPton6(src string) (netip.Addr, bool) {
	var tmp [16]byte
	tp, colonp := 0, -1
	if src == "" {
		return netip.Addr{}, false
	}
	i := 0
	if src[0] == ':' {
		i++
		if i == len(src) || src[i] != ':' {
			return netip.Addr{}, false
		}
	}
	curtok := i
	seen := 0
	var val uint32
	for i < len(src) {
		ch := src[i]
		i++
		if d, ok := hexDigit(ch); ok {
			if seen == 4 {
				return netip.Addr{}, false
			}
			val = val<<4 | uint32(d)
			seen++
			continue
		}
		if ch == ':' {
			curtok = i
			if seen == 0 {
				if colonp >= 0 {
					return netip.Addr{}, false
				}
				colonp = tp
				continue
			} else if i == len(src) {
				return netip.Addr{}, false
			}
			if tp+2 > 16 {
				return netip.Addr{}, false
			}
			tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
			tp += 2
			seen, val = 0, 0
			continue
		}
		if ch == '.' && tp+4 <= 16 {
			if v4, ok := inetPton4(src[curtok:]); ok {
				copy(tmp[tp:], v4[:])
				tp += 4
				seen = 0
				break
			}
		}
		return netip.Addr{}, false
	}
	if seen > 0 {
		if tp+2 > 16 {
			return netip.Addr{}, false
		}
		tmp[tp], tmp[tp+1] = byte(val>>8), byte(val)
		tp += 2
	}
	if colonp >= 0 {
		if tp == 16 {
			return netip.Addr{}, false
		}
		n := tp - colonp
		copy(tmp[16-n:], tmp[colonp:tp])
		for k := colonp; k < 16-n; k++ {
			tmp[k] = 0
		}
		tp = 16
	}
	if tp != 16 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16(tmp), true
}

// inetPton4 is glibc's inet_pton4: exactly four decimal octets, no leading zeros.
func inetPton4(src string) ([4]byte, bool) {
	var tmp [4]byte
	tp, octets, sawDigit := 0, 0, false
	for i := 0; i < len(src); i++ {
		ch := src[i]
		switch {
		case '0' <= ch && ch <= '9':
			nv := uint32(tmp[tp])*10 + uint32(ch-'0')
			if sawDigit && tmp[tp] == 0 {
				return tmp, false
			}
			if nv > 255 {
				return tmp, false
			}
			tmp[tp] = byte(nv)
			if !sawDigit {
				octets++
				if octets > 4 {
					return tmp, false
				}
				sawDigit = true
			}
		case ch == '.' && sawDigit:
			if octets == 4 {
				return tmp, false
			}
			tp++
			tmp[tp] = 0
			sawDigit = false
		default:
			return tmp, false
		}
	}
	if octets < 4 {
		return tmp, false
	}
	return tmp, true
}
