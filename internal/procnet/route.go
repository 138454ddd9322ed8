package procnet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math"
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// route.go parses /proc/net/route, the IPv4 forwarding table printed by the kernel's
// fib_route_seq_show, exactly as net-tools' rprint_fib reads it. It also holds the
// small emulation of C stdio that the route and multicast parsers share: fgets chunks
// (cLineReader), sscanf conversions (cScan) and net-tools' header matcher (cGenFmt).

// ErrMissingHeader reports a file without even a header line. net-tools' proc_gen_fmt
// (and proc_guess_fmt) fail on it; netstat -r then exits 1 after the table title (an
// IPv4 namespace without any route has an empty /proc/net/route).
var ErrMissingHeader = errors.New("no header line")

// MissingFieldError reports a header line that lacks a column net-tools requires, or
// has it out of order (net-tools matches the names in its own order).
type MissingFieldError struct {
	Field string
}

func (e *MissingFieldError) Error() string {
	return "header does not contain required field " + e.Field
}

// Buffer sizes net-tools passes to fgets for the files in this package.
const (
	headerLineSize = 511  // proc_gen_fmt, proc_guess_fmt: fgets(buf, sizeof buf - 1, fh)
	routeLineSize  = 1023 // rprint_fib, rprint_cache, rprint_fib6: fgets(buff, 1023, fp)
	infoLineSize   = 8192 // netstat.c INFO_GUTS (igmp, igmp6)
)

// cLineReader returns a stream in the chunks C's fgets(buf, size, f) does: up to and
// including a newline, or size-1 bytes, whichever comes first.
type cLineReader struct {
	br   *bufio.Reader
	line []byte
}

func newCLineReader(r io.Reader) *cLineReader {
	return &cLineReader{br: bufio.NewReaderSize(r, infoLineSize)}
}

// next returns the next chunk for an fgets with buffer size size (at most
// infoLineSize). The slice is valid until the next call. At the end it returns io.EOF.
func (l *cLineReader) next(size int) ([]byte, error) {
	buf, err := l.br.Peek(size - 1)
	if err != nil && err != io.EOF {
		return nil, err
	}
	if len(buf) == 0 {
		return nil, io.EOF
	}
	n := len(buf)
	if i := bytes.IndexByte(buf, '\n'); i >= 0 {
		n = i + 1
	}
	l.line = append(l.line[:0], buf[:n]...)
	if _, err := l.br.Discard(n); err != nil {
		return nil, err
	}
	return l.line, nil
}

// cString is b up to its first NUL byte: what C string functions see of a line.
func cString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// cStatus is the outcome of one sscanf conversion.
type cStatus int8

const (
	cDone     cStatus = iota // converted
	cMismatch                // matching failure: sscanf stops, keeps its count
	cEOF                     // input failure: sscanf returns EOF if nothing was converted
)

// cScan is a cursor over a C string implementing the glibc sscanf conversions that
// net-tools uses on /proc files.
type cScan struct {
	b []byte
	i int
}

// space is a whitespace directive: it skips any amount of white space.
func (s *cScan) space() {
	for s.i < len(s.b) && isSpace(s.b[s.i]) {
		s.i++
	}
}

// str is "%Ns": skip white space, then 1 to width non-space bytes.
func (s *cScan) str(width int) ([]byte, cStatus) {
	s.space()
	if s.i == len(s.b) {
		return nil, cEOF
	}
	start := s.i
	for s.i < len(s.b) && s.i-start < width && !isSpace(s.b[s.i]) {
		s.i++
	}
	return s.b[start:s.i], cDone
}

// chars is "%Nc": up to width bytes of any kind, no white space skipped.
func (s *cScan) chars(width int) ([]byte, cStatus) {
	if s.i == len(s.b) {
		return nil, cEOF
	}
	n := min(width, len(s.b)-s.i)
	s.i += n
	return s.b[s.i-n : s.i], cDone
}

// hexSet is "%N[0-9A-Fa-f]": 1 to width hex digits, no white space skipped.
func (s *cScan) hexSet(width int) ([]byte, cStatus) {
	if s.i == len(s.b) {
		return nil, cEOF
	}
	start := s.i
	for s.i < len(s.b) && s.i-start < width && isHex(s.b[s.i]) {
		s.i++
	}
	if s.i == start {
		return nil, cMismatch
	}
	return s.b[start:s.i], cDone
}

// number is an integer conversion with glibc's rules: skip white space, an optional
// sign, for base 16 an optional "0x", then digits, all within width (0: no limit). The
// text is converted like strtol (signed: saturating at the int64 range) or strtoul
// (unsigned: saturating at the uint64 range, then negated if there was a '-'). The
// caller truncates the result to the C type it stores into.
func (s *cScan) number(base, width int, signed bool) (uint64, cStatus) {
	s.space()
	if s.i == len(s.b) {
		return 0, cEOF
	}
	w := width
	if w == 0 {
		w = -1 // unlimited
	}
	neg := false
	if c := s.b[s.i]; c == '-' || c == '+' {
		neg = c == '-'
		s.i++
		w--
	}
	var mag uint64
	overflow, digits := false, 0
	addDigit := func(d uint64) {
		digits++
		if mag > (math.MaxUint64-d)/uint64(base) {
			overflow = true
			return
		}
		mag = mag*uint64(base) + d
	}
	if w != 0 && s.i < len(s.b) && s.b[s.i] == '0' {
		addDigit(0)
		s.i++
		w--
		if base == 16 && w != 0 && s.i < len(s.b) && (s.b[s.i] == 'x' || s.b[s.i] == 'X') {
			s.i++
			w--
		}
	}
	for w != 0 && s.i < len(s.b) {
		d, ok := digitValue(s.b[s.i], base)
		if !ok {
			break
		}
		addDigit(d)
		s.i++
		w--
	}
	if digits == 0 {
		return 0, cMismatch
	}
	if signed {
		switch {
		case overflow || (!neg && mag > math.MaxInt64):
			if neg {
				return 1 << 63, cDone // LONG_MIN
			}
			return math.MaxInt64, cDone
		case neg && mag > 1<<63:
			return 1 << 63, cDone
		case neg:
			return -mag, cDone
		}
		return mag, cDone
	}
	if overflow {
		return math.MaxUint64, cDone
	}
	if neg {
		return -mag, cDone
	}
	return mag, cDone
}

func digitValue(c byte, base int) (uint64, bool) {
	if base == 10 {
		if c >= '0' && c <= '9' {
			return uint64(c - '0'), true
		}
		return 0, false
	}
	if !isHex(c) {
		return 0, false
	}
	return uint64(unhex(c)), true
}

// cInt is "%d": an int read through strtol.
func (s *cScan) cInt() (int32, cStatus) {
	v, st := s.number(10, 0, true)
	return int32(v), st
}

// cHex is "%NX"/"%Nx" into an unsigned int.
func (s *cScan) cHex(width int) (uint32, cStatus) {
	v, st := s.number(16, width, false)
	return uint32(v), st
}

// procColumn is one column net-tools asks proc_gen_fmt for, with the sscanf
// conversion it reads the column with.
type procColumn struct {
	name  string
	width int  // "%<width>s" when not 0
	hex   bool // "%X" (an unsigned int) rather than "%d" (an int)
}

// cGenFmt is net-tools' proc_gen_fmt: it walks the header's column names (separated by
// blanks and '|') and matches them, in order, against want. The plan has one entry per
// header column up to the last wanted one: the index in want, or -1 for a column to
// skip ("%*s"). missing is the first wanted name not found.
func cGenFmt(header []byte, want []procColumn) (plan []int, missing string) {
	buf := append(append([]byte(nil), cString(header)...), ' ')
	ti, p := 0, 0
	for p >= 0 {
		for p < len(buf) && (isSpace(buf[p]) || buf[p] == '|') {
			p++
		}
		var head []byte
		if q := bytes.IndexAny(buf[p:], "| \t\n"); q >= 0 {
			head, p = buf[p:p+q], p+q+1
		} else {
			head, p = buf[p:], -1
		}
		if string(head) == want[ti].name {
			plan = append(plan, ti)
			if ti++; ti == len(want) {
				return plan, ""
			}
		} else {
			plan = append(plan, -1)
		}
	}
	return nil, want[ti].name
}

// columnValues are the variables a sscanf with a proc_gen_fmt format fills, one per
// column: text for string columns, the stored int or unsigned int for the others.
// Like net-tools' variables they keep their values when a line does not reach them.
type columnValues struct {
	text [][]byte
	num  []uint32
}

func newColumnValues(n int) columnValues {
	return columnValues{text: make([][]byte, n), num: make([]uint32, n)}
}

// scan runs the sscanf over line and returns its result: the number of columns
// converted, or -1 when the line ends before the first.
func (v *columnValues) scan(line []byte, plan []int, cols []procColumn) int {
	s := cScan{b: line}
	n := 0
	for _, i := range plan {
		var status cStatus
		switch {
		case i < 0:
			_, status = s.str(math.MaxInt)
		case cols[i].width > 0:
			var t []byte
			if t, status = s.str(cols[i].width); status == cDone {
				v.text[i] = append(v.text[i][:0], t...)
			}
		case cols[i].hex:
			var x uint32
			if x, status = s.cHex(0); status == cDone {
				v.num[i] = x
			}
		default:
			var x int32
			if x, status = s.cInt(); status == cDone {
				v.num[i] = uint32(x)
			}
		}
		if status != cDone {
			if status == cEOF && n == 0 {
				return -1
			}
			return n
		}
		if i >= 0 {
			n++
		}
	}
	return n
}

// int is column i as the C int it was stored in.
func (v *columnValues) int(i int) int32 { return int32(v.num[i]) }

// inetGetsock is net-tools' INET_getsock: the first 8 characters are the address as
// the kernel's %08X of a network-order word on a little-endian machine.
func inetGetsock(tok []byte) (netip.Addr, bool) {
	if len(tok) < 8 {
		return netip.Addr{}, false
	}
	var a [4]byte
	for i := 0; i < 4; i++ {
		hi, lo := tok[2*i], tok[2*i+1]
		if !isHex(hi) || !isHex(lo) {
			return netip.Addr{}, false
		}
		a[3-i] = unhex(hi)<<4 | unhex(lo)
	}
	return netip.AddrFrom4(a), true
}

// routeColumns are the /proc/net/route columns rprint_fib asks for, in its order and
// with its conversions.
var routeColumns = []procColumn{
	{name: "Iface", width: 15}, {name: "Destination", width: 128}, {name: "Gateway", width: 128},
	{name: "Flags", hex: true}, {name: "RefCnt"}, {name: "Use"}, {name: "Metric"},
	{name: "Mask", width: 128}, {name: "MTU"}, {name: "Window"}, {name: "IRTT"},
}

// Indexes into routeColumns.
const (
	rtIface = iota
	rtDestination
	rtGateway
	rtFlags
	rtRefCnt
	rtUse
	rtMetric
	rtMask
	rtMTU
	rtWindow
	rtIRTT
)

// ScanRoutes reads /proc/net/route and calls fn for each route net-tools would print,
// in file order. Columns are located by the header's names. A line is skipped when
// sscanf converts fewer than 10 of the 11 columns or its flags lack RTF_UP; a missing
// IRTT keeps the previous line's value, and an address that does not parse the last
// value parsed, as in net-tools (for a Genmask net-tools in fact shows whatever its
// stack holds). It returns ErrMissingHeader for an empty file and a
// *MissingFieldError for a header without a required column, before calling fn. The
// *Route is reused between calls.
func ScanRoutes(r io.Reader, fn func(*netstat.Route) error) error {
	lr := newCLineReader(r)
	header, err := lr.next(headerLineSize)
	if err == io.EOF {
		return ErrMissingHeader
	}
	if err != nil {
		return err
	}
	plan, missing := cGenFmt(header, routeColumns)
	if missing != "" {
		return &MissingFieldError{Field: missing}
	}
	v := newColumnValues(len(routeColumns))
	addrs := [...]netip.Addr{rtDestination: netip.IPv4Unspecified(), rtGateway: netip.IPv4Unspecified(), rtMask: netip.IPv4Unspecified()}
	var rt netstat.Route
	for {
		line, err := lr.next(routeLineSize)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if v.scan(cString(line), plan, routeColumns) < 10 || v.num[rtFlags]&uint32(netstat.RouteUp) == 0 {
			continue
		}
		for _, i := range []int{rtDestination, rtGateway, rtMask} {
			if a, ok := inetGetsock(v.text[i]); ok {
				addrs[i] = a
			}
		}
		rt = netstat.Route{
			Iface:       string(v.text[rtIface]),
			Destination: addrs[rtDestination],
			Gateway:     addrs[rtGateway],
			Mask:        addrs[rtMask],
			Flags:       netstat.RouteFlags(v.num[rtFlags]),
			RefCnt:      v.int(rtRefCnt),
			Use:         v.int(rtUse),
			Metric:      v.int(rtMetric),
			MTU:         v.int(rtMTU),
			Window:      v.int(rtWindow),
			IRTT:        v.int(rtIRTT),
		}
		if err := fn(&rt); err != nil {
			return err
		}
	}
}
