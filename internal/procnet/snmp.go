package procnet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/netstat-go/netstat/netstat"
)

// snmp.go parses /proc/net/snmp and /proc/net/netstat: a sequence of line pairs
//
//	Title: Key1 Key2 ...
//	Title: v1 v2 ...
//
// printed by the kernel's snmp_seq_show and netstat_seq_show. The parser follows
// net-tools' process_fd (statistics.c) byte for byte, so that odd input is read the way
// netstat reads it.

// ErrSNMPFormat reports a line pair of /proc/net/snmp or /proc/net/netstat in which one
// line has no ':'. net-tools then prints "Problem while parsing /proc/net/snmp" and
// ignores the rest of the file.
var ErrSNMPFormat = errors.New("line pair without ':'")

// ParseSNMP parses the /proc/net/snmp or /proc/net/netstat format. It returns the
// sections in file order, each with its counters in file order, unknown titles and keys
// included.
//
// Like net-tools it reads the file as title/value line pairs, skipping a title line that
// is empty; a final title line without a value line is ignored. The title is the text
// before the first ':' of the title line; keys are the runs of bytes other than space, tab
// and newline after it. Each key takes the next value of the value line (after its first
// ':') as strtoull(3) reads it: unsigned 64-bit, "-1" is 18446744073709551615, an
// overflowing number is 18446744073709551615, and a missing or non-numeric value is 0 (a
// non-numeric value also makes every later value of the line 0). Lines are C strings: a
// NUL byte ends them.
//
// When a pair lacks a ':' ParseSNMP returns the sections before it and an error
// matching ErrSNMPFormat. A read error is returned wrapped, with the sections parsed from
// what was read.
func ParseSNMP(r io.Reader) ([]netstat.CounterSection, error) {
	data, rerr := io.ReadAll(r)
	secs, err := parseSNMP(data)
	if err != nil {
		return secs, err
	}
	if rerr != nil {
		return secs, fmt.Errorf("reading snmp counters: %w", rerr)
	}
	return secs, nil
}

func parseSNMP(data []byte) ([]netstat.CounterSection, error) {
	var secs []netstat.CounterSection
	for {
		var names, values []byte
		names, data = snmpGetline(data)
		if names == nil {
			return secs, nil
		}
		if names[0] == '\n' { // the empty line older kernels print
			continue
		}
		values, data = snmpGetline(data)
		if values == nil {
			return secs, nil
		}
		names, values = snmpCString(names), snmpCString(values)
		tc := bytes.IndexByte(names, ':')
		vc := bytes.IndexByte(values, ':')
		if tc < 0 || vc < 0 {
			return secs, ErrSNMPFormat
		}
		sec := netstat.CounterSection{Title: string(names[:tc])}
		keys, vals := names[tc+1:], values[vc+1:]
		for len(keys) > 0 {
			keys = keys[snmpSpan(keys):]
			vals = vals[snmpSpan(vals):]
			n := snmpCSpan(keys)
			if n == 0 {
				break
			}
			v, used := snmpStrtoull(vals)
			vals = vals[used:]
			sec.Counters = append(sec.Counters, netstat.Counter{Name: string(keys[:n]), Value: v})
			keys = keys[n:]
		}
		secs = append(secs, sec)
	}
}

// snmpGetline splits off the first line of data, '\n' included, like getline(3). It
// returns nil at the end of data.
func snmpGetline(data []byte) (line, rest []byte) {
	if len(data) == 0 {
		return nil, nil
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return data[:i+1], data[i+1:]
	}
	return data, nil
}

// snmpCString returns b up to its first NUL byte: what C string functions see.
func snmpCString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// snmpSep reports whether c is one of the separators " \t\n" net-tools splits on.
func snmpSep(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// snmpSpan is strspn(b, " \t\n").
func snmpSpan(b []byte) int {
	i := 0
	for i < len(b) && snmpSep(b[i]) {
		i++
	}
	return i
}

// snmpCSpan is strcspn(b, " \t\n").
func snmpCSpan(b []byte) int {
	i := 0
	for i < len(b) && !snmpSep(b[i]) {
		i++
	}
	return i
}

// snmpSpace is isspace(3) in the C locale.
func snmpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// snmpStrtoull is glibc's strtoull(b, &end, 10) in the C locale: leading white space, an
// optional sign, decimal digits; overflow gives the maximum, a minus sign negates modulo
// 2^64. It returns the value and the number of bytes consumed, 0 when nothing was
// converted (then the value is 0 and end would be b itself).
func snmpStrtoull(b []byte) (uint64, int) {
	i := 0
	for i < len(b) && snmpSpace(b[i]) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	start := i
	var v uint64
	overflow := false
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		d := uint64(b[i] - '0')
		if v > (math.MaxUint64-d)/10 {
			overflow = true
		}
		v = v*10 + d
	}
	switch {
	case i == start:
		return 0, 0
	case overflow:
		return math.MaxUint64, i
	case neg:
		return -v, i
	}
	return v, i
}
