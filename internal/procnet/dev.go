package procnet

import (
	"bytes"
	"io"

	"github.com/netstat-go/netstat/netstat"
)

// dev.go parses /proc/net/dev the way net-tools' lib/interface.c does: lines are read
// with fgets into a 512-byte buffer, the first two are headers, the second header
// decides the column layout, and each further line is "name:" followed by counters
// read with sscanf.

// DevLayout is the column layout of /proc/net/dev, which net-tools guesses from the
// second header line.
type DevLayout int

// The three layouts net-tools recognises.
const (
	// DevLayoutPackets (no "bytes" in the header, Linux 1.x): rx packets, errs,
	// drop, fifo, frame, tx packets, errs, drop, fifo, colls, carrier.
	DevLayoutPackets DevLayout = 1
	// DevLayoutBytes ("bytes" but no "compressed", Linux 2.0): rx bytes, packets,
	// errs, drop, fifo, frame, tx bytes, packets, errs, drop, fifo, colls, carrier.
	DevLayoutBytes DevLayout = 2
	// DevLayoutFull (every kernel since 2.2): rx bytes, packets, errs, drop, fifo,
	// frame, compressed, multicast, tx bytes, packets, errs, drop, fifo, colls,
	// carrier, compressed.
	DevLayoutFull DevLayout = 3
)

// Dev is the parsed /proc/net/dev.
type Dev struct {
	Layout DevLayout
	// Entries are the interface lines in file order, duplicates included.
	Entries []DevEntry
}

// DevEntry is one interface line of /proc/net/dev.
type DevEntry struct {
	// Name is the text before the first ':' (or blank) after leading blanks, at most
	// 15 bytes; the old alias form "eth0:1:" keeps its ":1".
	Name string
	// Counters are the values sscanf converted, in the layout's column order. It
	// stops at the first field that is not a number; net-tools leaves the later
	// counters of the interface as they were.
	Counters []uint64
}

// devLineMax is what net-tools' fgets reads at most per call (char buf[512]).
const devLineMax = 511

// ParseDev parses /proc/net/dev. It never fails on content; the error is the read
// error, if any, in which case the lines read before it are returned too (net-tools
// reports "/proc/net/dev: <strerror>" and keeps them).
func ParseDev(r io.Reader) (Dev, error) {
	data, err := io.ReadAll(r)
	return parseDev(data), err
}

func parseDev(data []byte) Dev {
	d := Dev{Layout: DevLayoutPackets}
	var header []byte
	for i := 0; i < 2 && len(data) > 0; i++ {
		header, data = devFgets(data)
	}
	d.Layout = devLayout(devCString(header))
	for len(data) > 0 {
		var line []byte
		line, data = devFgets(data)
		name, rest := devName(devCString(line))
		d.Entries = append(d.Entries, DevEntry{Name: name, Counters: devCounters(rest, d.Layout.columns())})
	}
	return d
}

// devFgets splits off what one fgets(buf, 512, f) call returns.
func devFgets(data []byte) (line, rest []byte) {
	n := min(len(data), devLineMax)
	if i := bytes.IndexByte(data[:n], '\n'); i >= 0 {
		n = i + 1
	}
	return data[:n], data[n:]
}

// devCString is what C string functions see of a buffer: the bytes before a NUL.
func devCString(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

func devLayout(header []byte) DevLayout {
	switch {
	case bytes.Contains(header, []byte("compressed")):
		return DevLayoutFull
	case bytes.Contains(header, []byte("bytes")):
		return DevLayoutBytes
	}
	return DevLayoutPackets
}

// columns is the number of counters sscanf reads per line.
func (l DevLayout) columns() int {
	switch l {
	case DevLayoutFull:
		return 16
	case DevLayoutBytes:
		return 13
	}
	return 11
}

// devNameMax is the longest name get_name copies (IFNAMSIZ-1).
const devNameMax = 15

// devName is net-tools 2.10's get_name (as compiled in the Debian binary): skip
// blanks, copy up to a blank or ':', at most 15 bytes; a ':' followed by digits and
// another ':' is an alias suffix and is kept (within the 15 bytes). The rest starts
// after the terminating ':', or where copying stopped: a 15-byte name leaves the
// ':' in place, so sscanf converts no counter at all (net-tools shows zeros).
func devName(p []byte) (name string, rest []byte) {
	i := 0
	for i < len(p) && devIsSpace(p[i]) {
		i++
	}
	var n []byte
	for i < len(p) && !devIsSpace(p[i]) && len(n) < devNameMax {
		if p[i] != ':' {
			n = append(n, p[i])
			i++
			continue
		}
		j := i + 1
		for j < len(p) && devIsDigit(p[j]) {
			j++
		}
		if j == len(p) || p[j] != ':' {
			return string(n), p[i+1:] // not an alias: skip the ':'
		}
		n = append(n, ':')
		i++
		for i < len(p) && devIsDigit(p[i]) && len(n) < devNameMax {
			n = append(n, p[i])
			i++
		}
		if i < len(p) && p[i] == ':' {
			i++
		}
		return string(n), p[i:]
	}
	return string(n), p[i:]
}

// devCounters converts up to n counters like sscanf("%llu %llu ..."): each skips
// blanks, takes an optional sign and decimal digits, saturates on overflow and
// negates modulo 2^64; the first field without digits ends the conversion.
func devCounters(p []byte, n int) []uint64 {
	var out []uint64
	i := 0
	for len(out) < n {
		for i < len(p) && devIsSpace(p[i]) {
			i++
		}
		neg := false
		if i < len(p) && (p[i] == '+' || p[i] == '-') {
			neg = p[i] == '-'
			i++
		}
		start := i
		var v uint64
		overflow := false
		for i < len(p) && devIsDigit(p[i]) {
			d := uint64(p[i] - '0')
			if v > (^uint64(0)-d)/10 {
				overflow = true
			}
			v = v*10 + d
			i++
		}
		if i == start {
			break
		}
		switch {
		case overflow:
			v = ^uint64(0)
		case neg:
			v = -v
		}
		out = append(out, v)
	}
	return out
}

// Apply stores the entry's counters into s as net-tools' get_dev_fields does for the
// layout: converted counters overwrite, the others keep their value, except that the
// counters the layout lacks are reset to zero.
func (e DevEntry) Apply(layout DevLayout, s *netstat.IfaceStats) {
	var dst []*uint64
	switch layout {
	case DevLayoutFull:
		dst = []*uint64{&s.RxBytes, &s.RxPackets, &s.RxErrors, &s.RxDropped, &s.RxFIFO, &s.RxFrame,
			&s.RxCompressed, &s.RxMulticast, &s.TxBytes, &s.TxPackets, &s.TxErrors, &s.TxDropped,
			&s.TxFIFO, &s.Collisions, &s.TxCarrier, &s.TxCompressed}
	case DevLayoutBytes:
		dst = []*uint64{&s.RxBytes, &s.RxPackets, &s.RxErrors, &s.RxDropped, &s.RxFIFO, &s.RxFrame,
			&s.TxBytes, &s.TxPackets, &s.TxErrors, &s.TxDropped, &s.TxFIFO, &s.Collisions, &s.TxCarrier}
	default:
		dst = []*uint64{&s.RxPackets, &s.RxErrors, &s.RxDropped, &s.RxFIFO, &s.RxFrame,
			&s.TxPackets, &s.TxErrors, &s.TxDropped, &s.TxFIFO, &s.Collisions, &s.TxCarrier}
	}
	for i, v := range e.Counters {
		if i < len(dst) {
			*dst[i] = v
		}
	}
	switch layout {
	case DevLayoutBytes:
		s.RxMulticast = 0
	case DevLayoutPackets:
		s.RxBytes, s.TxBytes, s.RxMulticast = 0, 0, 0
	}
}

// devIsSpace is C isspace in the C locale.
func devIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func devIsDigit(c byte) bool { return '0' <= c && c <= '9' }
