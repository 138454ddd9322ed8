package procnet

import (
	"bytes"
	"io"
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// ipv6_route.go parses /proc/net/ipv6_route (the kernel's ipv6_route_native_seq_show:
// destination, prefix length, source, prefix length, next hop, metric, refcnt, use,
// flags, device) as net-tools' rprint_fib6 reads it.

// ipv6RouteState is what rprint_fib6 keeps between lines. It never checks how much of
// a line sscanf converted, so every line is printed, with the previous line's values
// wherever sscanf stopped early, and an address that does not parse keeps the last one
// that did.
type ipv6RouteState struct {
	dst, src, nh               [8][]byte // the "%4s" groups
	dstLen, srcLen             int32
	metric, refCnt, use, flags uint32
	iface                      []byte
	dstA, srcA, nhA            netip.Addr
}

// ScanIPv6Routes calls fn for the lines of /proc/net/ipv6_route (the file has no
// header) that net-tools shows: with cache set those whose flags have RTF_CACHE, else
// the others. As in net-tools, malformed lines are not rejected but read with the
// stale values described above, and addresses are only converted on the lines shown.
// The *IPv6Route is reused between calls.
func ScanIPv6Routes(r io.Reader, cache bool, fn func(*netstat.IPv6Route) error) error {
	lr := newCLineReader(r)
	st := ipv6RouteState{dstA: netip.IPv6Unspecified(), srcA: netip.IPv6Unspecified(), nhA: netip.IPv6Unspecified()}
	var rt netstat.IPv6Route
	for {
		line, err := lr.next(routeLineSize)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		scanIPv6RouteLine(cString(line), &st)
		if (st.flags&uint32(netstat.RouteCache) != 0) != cache {
			continue
		}
		if a, ok := inet6Getsock(st.dst); ok {
			st.dstA = a
		}
		if a, ok := inet6Getsock(st.src); ok {
			st.srcA = a
		}
		if a, ok := inet6Getsock(st.nh); ok {
			st.nhA = a
		}
		rt = netstat.IPv6Route{
			Destination:    st.dstA,
			DestinationLen: st.dstLen,
			Source:         st.srcA,
			SourceLen:      st.srcLen,
			NextHop:        st.nhA,
			Metric:         int32(st.metric),
			RefCnt:         int32(st.refCnt),
			Use:            int32(st.use),
			Flags:          netstat.RouteFlags(st.flags),
			Iface:          string(st.iface),
		}
		if err := fn(&rt); err != nil {
			return err
		}
	}
}

// scanIPv6RouteLine is rprint_fib6's sscanf: "%4s"x8 " %02x " "%4s"x8 " %02x "
// "%4s"x8 " %08x %08x %08x %08x %15s".
func scanIPv6RouteLine(line []byte, st *ipv6RouteState) {
	s := cScan{b: line}
	groups := func(g *[8][]byte) bool {
		for i := range g {
			v, status := s.str(4)
			if status != cDone {
				return false
			}
			g[i] = append(g[i][:0], v...)
		}
		return true
	}
	hex := func(width int, dst *uint32) bool {
		v, status := s.cHex(width)
		if status == cDone {
			*dst = v
		}
		return status == cDone
	}
	var dstLen, srcLen uint32
	ok := groups(&st.dst) && hex(2, &dstLen)
	if ok {
		st.dstLen = int32(dstLen)
	}
	ok = ok && groups(&st.src) && hex(2, &srcLen)
	if ok {
		st.srcLen = int32(srcLen)
	}
	ok = ok && groups(&st.nh) && hex(8, &st.metric) && hex(8, &st.refCnt) && hex(8, &st.use) && hex(8, &st.flags)
	if ok {
		if v, status := s.str(15); status == cDone {
			st.iface = append(st.iface[:0], v...)
		}
	}
}

// inet6Getsock is net-tools' INET6_getsock on the eight groups joined by ':': glibc's
// inet_pton(AF_INET6), which takes no zone and needs an IPv6 form.
func inet6Getsock(g [8][]byte) (netip.Addr, bool) {
	text := bytes.Join(g[:], []byte{':'})
	if bytes.IndexByte(text, '%') >= 0 {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(string(text))
	if err != nil || !a.Is6() {
		return netip.Addr{}, false
	}
	return a, true
}
