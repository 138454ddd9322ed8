package procnet

import (
	"bytes"
	"io"
	"math"
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// rt_cache.go parses /proc/net/rt_cache, the IPv4 routing cache, as net-tools'
// rprint_cache reads it. Since Linux 3.6 the kernel prints only the header line.

// Header words proc_guess_fmt looks for, and the bit each sets.
var routeCacheGuess = []struct {
	word string
	bit  int
}{{"IRTT", 1}, {"TOS", 2}, {"HHRef", 4}, {"HHUptod", 8}, {"SpecDst", 16}, {"HH", 32}, {"ARP", 64}}

// The proc_guess_fmt results net-tools recognises.
const (
	routeCacheGuess22 = 63 // IRTT TOS HHRef HHUptod SpecDst (and "HH" inside "HHRef")
	routeCacheGuess20 = 97 // IRTT HH ARP
)

var (
	routeCacheColumns20 = []string{"Iface", "Destination", "Gateway", "Flags", "RefCnt", "Use", "Metric", "Source", "MTU", "Window", "IRTT", "HH", "ARP"}
	routeCacheColumns22 = []string{"Iface", "Destination", "Gateway", "Flags", "RefCnt", "Use", "Metric", "Source", "MTU", "Window", "IRTT", "TOS", "HHRef", "HHUptod", "SpecDst"}
)

// RouteCacheReader reads /proc/net/rt_cache. Its header line decides the layout, which
// the caller needs (for the table header) before the rows.
type RouteCacheReader struct {
	lr     *cLineReader
	header []byte
	guess  int
}

// NewRouteCacheReader reads the header line of r. It returns ErrMissingHeader when r
// is empty (net-tools' proc_guess_fmt returns -1 and netstat exits).
func NewRouteCacheReader(r io.Reader) (*RouteCacheReader, error) {
	lr := newCLineReader(r)
	header, err := lr.next(headerLineSize)
	if err == io.EOF {
		return nil, ErrMissingHeader
	}
	if err != nil {
		return nil, err
	}
	c := &RouteCacheReader{lr: lr, header: append([]byte(nil), header...)}
	h := cString(c.header)
	for _, g := range routeCacheGuess {
		if bytes.Contains(h, []byte(g.word)) {
			c.guess |= g.bit
		}
	}
	return c, nil
}

// Guess is proc_guess_fmt's bit mask for the header (63 for the 2.2 layout, 97 for
// 2.0.36); net-tools prints it when it is neither.
func (c *RouteCacheReader) Guess() int { return c.guess }

// Layout is the layout the header selects.
func (c *RouteCacheReader) Layout() netstat.RouteCacheLayout {
	switch c.guess {
	case routeCacheGuess22:
		return netstat.RouteCache22
	case routeCacheGuess20:
		return netstat.RouteCache20
	}
	return netstat.RouteCacheUnknown
}

// routeCacheState is what rprint_cache keeps between lines (see routeState); snet is
// the one sockaddr all four addresses of a line are parsed into in turn.
type routeCacheState struct {
	iface, dst, gw, src, specDst []byte
	flags                        uint32
	ints                         [15]int32 // by index in the layout's column list
	snet                         netip.Addr
}

// Scan calls fn for each cache entry net-tools would print: lines on which sscanf
// converts at least 12 columns. It returns a *MissingFieldError when the header lacks
// a column of its layout (net-tools then crashes) and nothing for an unknown layout
// (net-tools then prints rows from uninitialised memory). The *CachedRoute is reused.
func (c *RouteCacheReader) Scan(fn func(*netstat.CachedRoute) error) error {
	layout := c.Layout()
	var cols []string
	switch layout {
	case netstat.RouteCache20:
		cols = routeCacheColumns20
	case netstat.RouteCache22:
		cols = routeCacheColumns22
	default:
		return nil
	}
	plan, missing := cGenFmt(c.header, cols)
	if missing != "" {
		return &MissingFieldError{Field: missing}
	}
	st := routeCacheState{snet: netip.IPv4Unspecified()}
	var rt netstat.CachedRoute
	for {
		line, err := c.lr.next(routeLineSize)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n := scanRouteCacheLine(cString(line), plan, cols, &st)
		if n < 12 {
			continue
		}
		if n < len(cols) {
			// No SpecDst on this line: net-tools' buffer still holds the previous row's
			// printed SpecDst text (or garbage), which does not parse as an address
			// unless that text was a host name starting with eight hex digits.
			st.specDst = st.specDst[:0]
		}
		// In net-tools' order: each address lands in the same sockaddr, so one that does
		// not parse shows the one before it.
		var addrs [4]netip.Addr
		for i, tok := range [4][]byte{st.dst, st.gw, st.src, st.specDst} {
			if a, ok := inetGetsock(tok); ok {
				st.snet = a
			}
			addrs[i] = st.snet
		}
		rt = netstat.CachedRoute{
			Iface:       string(st.iface),
			Destination: addrs[0],
			Gateway:     addrs[1],
			Source:      addrs[2],
			SpecDst:     addrs[3],
			Flags:       netstat.RouteFlags(st.flags),
			RefCnt:      st.ints[4],
			Use:         st.ints[5],
			Metric:      st.ints[6],
			MTU:         st.ints[8],
			Window:      st.ints[9],
			IRTT:        st.ints[10],
		}
		if layout == netstat.RouteCache22 {
			rt.TOS, rt.HHRef, rt.HHUptod = st.ints[11], st.ints[12], st.ints[13]
		} else {
			rt.HH, rt.ARP = st.ints[11], st.ints[12]
		}
		if err := fn(&rt); err != nil {
			return err
		}
	}
}

// scanRouteCacheLine runs rprint_cache's sscanf over line and returns its result.
func scanRouteCacheLine(line []byte, plan []int, cols []string, st *routeCacheState) int {
	s := cScan{b: line}
	n := 0
	for _, col := range plan {
		var status cStatus
		if col < 0 {
			_, status = s.str(math.MaxInt)
		} else {
			switch cols[col] {
			case "Iface":
				var v []byte
				if v, status = s.str(15); status == cDone {
					st.iface = append(st.iface[:0], v...)
				}
			case "Destination", "Gateway", "Source", "SpecDst":
				var v []byte
				if v, status = s.str(128); status == cDone {
					switch cols[col] {
					case "Destination":
						st.dst = append(st.dst[:0], v...)
					case "Gateway":
						st.gw = append(st.gw[:0], v...)
					case "Source":
						st.src = append(st.src[:0], v...)
					default:
						st.specDst = append(st.specDst[:0], v...)
					}
				}
			case "Flags":
				var v uint32
				if v, status = s.cHex(0); status == cDone {
					st.flags = v
				}
			default:
				var v int32
				if v, status = s.cInt(); status == cDone {
					st.ints[col] = v
				}
			}
		}
		if status != cDone {
			if status == cEOF && n == 0 {
				return -1
			}
			return n
		}
		if col >= 0 {
			n++
		}
	}
	return n
}
