package procnet

import (
	"bytes"
	"io"
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

// The columns rprint_cache asks for in each layout; both start with the forwarding
// table's eleven (Source in Mask's place).
var (
	routeCacheColumns20 = routeCacheColumns(procColumn{name: "HH"}, procColumn{name: "ARP"})
	routeCacheColumns22 = routeCacheColumns(procColumn{name: "TOS"}, procColumn{name: "HHRef"},
		procColumn{name: "HHUptod"}, procColumn{name: "SpecDst", width: 128})
)

func routeCacheColumns(more ...procColumn) []procColumn {
	cols := append([]procColumn(nil), routeColumns...)
	cols[rtMask].name = "Source"
	return append(cols, more...)
}

// Indexes of the extra columns in routeCacheColumns20 and routeCacheColumns22.
const (
	rcSource  = rtMask
	rcHH      = rtIRTT + 1 // 2.0.36
	rcARP     = rtIRTT + 2
	rcTOS     = rtIRTT + 1 // 2.2
	rcHHRef   = rtIRTT + 2
	rcHHUptod = rtIRTT + 3
	rcSpecDst = rtIRTT + 4
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

// Scan calls fn for each cache entry net-tools would print: lines on which sscanf
// converts at least 12 columns. It returns a *MissingFieldError when the header lacks
// a column of its layout (net-tools then crashes) and nothing for an unknown layout
// (net-tools then prints rows from uninitialised memory). The *CachedRoute is reused.
func (c *RouteCacheReader) Scan(fn func(*netstat.CachedRoute) error) error {
	layout := c.Layout()
	var cols []procColumn
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
	v := newColumnValues(len(cols))
	snet := netip.IPv4Unspecified()
	var rt netstat.CachedRoute
	for {
		line, err := c.lr.next(routeLineSize)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n := v.scan(cString(line), plan, cols)
		if n < 12 {
			continue
		}
		specDst := []byte(nil)
		if n == len(cols) && layout == netstat.RouteCache22 {
			specDst = v.text[rcSpecDst]
		}
		// Without a SpecDst on the line, net-tools' buffer holds the previous row's
		// printed SpecDst text (or garbage), which does not parse as an address unless
		// that text was a host name starting with eight hex digits.
		//
		// In net-tools' order, each address lands in the same sockaddr, so one that
		// does not parse shows the one before it.
		var addrs [4]netip.Addr
		for i, tok := range [4][]byte{v.text[rtDestination], v.text[rtGateway], v.text[rcSource], specDst} {
			if a, ok := inetGetsock(tok); ok {
				snet = a
			}
			addrs[i] = snet
		}
		rt = netstat.CachedRoute{
			Iface:       string(v.text[rtIface]),
			Destination: addrs[0],
			Gateway:     addrs[1],
			Source:      addrs[2],
			SpecDst:     addrs[3],
			Flags:       netstat.RouteFlags(v.num[rtFlags]),
			RefCnt:      v.int(rtRefCnt),
			Use:         v.int(rtUse),
			Metric:      v.int(rtMetric),
			MTU:         v.int(rtMTU),
			Window:      v.int(rtWindow),
			IRTT:        v.int(rtIRTT),
		}
		if layout == netstat.RouteCache22 {
			rt.TOS, rt.HHRef, rt.HHUptod = v.int(rcTOS), v.int(rcHHRef), v.int(rcHHUptod)
		} else {
			rt.HH, rt.ARP = v.int(rcHH), v.int(rcARP)
		}
		if err := fn(&rt); err != nil {
			return err
		}
	}
}
