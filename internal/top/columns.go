package top

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/netstat-go/netstat/internal/termsafe"
	"github.com/netstat-go/netstat/netstat"
)

// column is one column of the table.
type column uint8

const (
	colProto column = iota
	colLocal
	colRemote
	colState
	colProg
	colUser
	colRecvQ
	colSendQ
	colTx
	colRx
	colRTT
	numColumns
)

type columnSpec struct {
	title string
	min   int
	max   int // greater than min for the columns that share spare width
	right bool
}

var columns = [numColumns]columnSpec{
	colProto:  {"Proto", 5, 5, false},
	colLocal:  {"Local Address", 15, 46, false},
	colRemote: {"Foreign Address", 15, 46, false},
	colState:  {"State", 11, 11, false},
	colProg:   {"PID/Program", 10, 30, false},
	colUser:   {"User", 8, 8, false},
	colRecvQ:  {"Recv-Q", 6, 6, true},
	colSendQ:  {"Send-Q", 6, 6, true},
	colTx:     {"Send/s", 6, 6, true},
	colRx:     {"Recv/s", 6, 6, true},
	colRTT:    {"RTT", 6, 6, true},
}

// priority is the order in which columns earn a place on a narrow screen.
var priority = [numColumns]column{colProto, colLocal, colRemote, colState, colProg, colTx, colRx, colRTT, colRecvQ, colSendQ, colUser}

// markWidth is the marker and cursor prefix of every line ("+>").
const markWidth = 2

// placed is a column as laid out on the screen.
type placed struct {
	col  column
	x, w int
}

// layout places the columns for a screen width: as many as fit, by priority, in table
// order, with the spare width shared by addresses and program.
func layout(width int) []placed {
	var on [numColumns]bool
	used := markWidth
	for _, c := range priority {
		if need := columns[c].min + 1; used+need <= width {
			on[c] = true
			used += need
		}
	}
	var w [numColumns]int
	for c := range numColumns {
		w[c] = columns[c].min
	}
	spare := width - used
	for spare > 0 {
		grew := false
		for _, c := range []column{colLocal, colRemote, colProg} {
			if on[c] && spare > 0 && w[c] < columns[c].max {
				w[c]++
				spare--
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	var out []placed
	x := markWidth
	for c := range numColumns {
		if on[c] {
			out = append(out, placed{c, x, w[c]})
			x += w[c] + 1
		}
	}
	return out
}

// columnAt returns the column drawn at screen x, if any.
func columnAt(width, x int) (column, bool) {
	for _, p := range layout(width) {
		if x >= p.x && x < p.x+p.w+1 {
			return p.col, true
		}
	}
	return 0, false
}

// protoText is the Proto column as net-tools labels it.
func protoText(s *netstat.Socket) string { return protoName(s.Proto, s.Family) }

func (r *record) protoText() string { return protoName(r.proto, r.family()) }

func protoName(proto netstat.Proto, fam netstat.Family) string {
	p := proto.String()
	if p == "udplite" {
		p = "udpl"
	}
	if fam == netstat.IPv6 {
		p += "6"
	}
	return p
}

// stateText is the State column: TCP state names as net-tools prints them; UDP and
// raw sockets show nothing unless connected.
func stateText(s *netstat.Socket) string { return stateName(s.Proto, s.State) }

func (r *record) stateText() string { return stateName(r.proto, r.state) }

func stateName(proto netstat.Proto, st netstat.TCPState) string {
	if proto == netstat.TCP {
		return st.String()
	}
	if st == netstat.Established {
		return "ESTABLISHED"
	}
	return ""
}

func svcProto(p netstat.Proto) string {
	switch p {
	case netstat.TCP:
		return "tcp"
	case netstat.RAW:
		return "raw"
	}
	return "udp"
}

// hostText is an address, or its name when names are on and one is known.
func (m *Model) hostText(a netip.Addr) string {
	if !a.IsValid() {
		return "*"
	}
	if m.resolveNames {
		if n := m.names.hosts[a]; n != "" {
			return n
		}
	}
	return a.Unmap().String()
}

// endpointText is "host:port" ("[v6]:port" for a numeric IPv6 address), with "*" for
// a wildcard address or port.
func (m *Model) endpointText(ap netip.AddrPort, proto netstat.Proto) string {
	a := ap.Addr()
	var host string
	switch {
	case !a.IsValid() || a.IsUnspecified():
		host = "*"
		if a.Is4() || a.Is4In6() {
			host = "0.0.0.0"
		} else if a.Is6() {
			host = "[::]"
		}
	default:
		host = m.hostText(a)
		if host == a.Unmap().String() && a.Is6() && !a.Is4In6() {
			host = "[" + host + "]"
		}
	}
	port := "*"
	if p := ap.Port(); p != 0 {
		port = strconv.Itoa(int(p))
		if m.resolveNames {
			if n := m.names.svcs[svcKey{p, svcProto(proto)}]; n != "" {
				port = n
			}
		}
	}
	return host + ":" + port
}

// progText is the PID/Program column: the first holder, and how many more there are.
func progText(owners []netstat.Process) string {
	if len(owners) == 0 {
		return "-"
	}
	p := owners[0]
	s := strconv.Itoa(p.PID) + "/" + termsafe.Sanitize(p.Name)
	if len(owners) > 1 {
		s += " +" + strconv.Itoa(len(owners)-1)
	}
	return s
}

func (m *Model) userText(uid uint32) string {
	if n := m.names.users[uid]; n != "" {
		return termsafe.Sanitize(n)
	}
	return strconv.FormatUint(uint64(uid), 10)
}

// rateText is a rate in bytes per second, short: 512B, 1.5K, 23K, 4.0M.
func rateText(v float64) string {
	if v >= 1<<63 {
		return "max" // the kernel's "unlimited" (~0)
	}
	const units = "BKMGTPE"
	i := 0
	for v >= 999.5 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i > 0 && v < 9.95 {
		return strconv.FormatFloat(v, 'f', 1, 64) + units[i:i+1]
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + units[i:i+1]
}

// durText is a short duration: 25µs, 0.3ms, 12ms, 1.2s.
func durText(d time.Duration) string {
	switch {
	case d < 100*time.Microsecond:
		return strconv.Itoa(int(d/time.Microsecond)) + "µs"
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	case d < time.Second:
		return strconv.Itoa(int(d/time.Millisecond)) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
}

// cell is the text of one column of a row.
func (m *Model) cell(r *row, c column) string {
	switch c {
	case colProto:
		return r.protoText()
	case colLocal:
		return m.endpointText(r.localAP(), r.proto)
	case colRemote:
		return m.endpointText(r.remoteAP(), r.proto)
	case colState:
		return r.stateText()
	case colProg:
		if r.owner == ownerUnknown || r.owner == ownerAsked {
			return ""
		}
		return progText(m.owners(r))
	case colUser:
		return m.userText(r.uid)
	case colRecvQ:
		return strconv.FormatUint(uint64(r.recvQ), 10)
	case colSendQ:
		return strconv.FormatUint(uint64(r.sendQ), 10)
	case colTx:
		if r.hasRate() {
			return rateText(m.rate(float64(r.tx)))
		}
	case colRx:
		if r.hasRate() {
			return rateText(m.rate(float64(r.rx)))
		}
	case colRTT:
		if r.hasInfo() && r.rtt > 0 {
			return durText(time.Duration(r.rtt) * time.Microsecond)
		}
	}
	return ""
}

// fit pads or cuts s to exactly w cells. Addresses lose their start, so that the
// port stays visible; other text loses its end.
func fit(s string, w int, right, keepEnd bool) string {
	n := textWidth(s)
	if n > w {
		if keepEnd {
			return "…" + cutStart(s, n-w+1)
		}
		return cutEnd(s, w-1) + "…"
	}
	pad := strings.Repeat(" ", w-n)
	if right {
		return pad + s
	}
	return s + pad
}
