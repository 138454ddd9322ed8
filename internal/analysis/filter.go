package analysis

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// Expr is a parsed filter expression (see ParseFilter). Its nodes are And, Or, Not,
// States, PortCmp and Host; the set is closed.
type Expr interface {
	// Match reports whether the socket satisfies the expression.
	Match(s *netstat.Socket) bool
	// String returns the expression in the filter language, fully parenthesised:
	// parsing it yields the same tree.
	String() string
	// eval3 evaluates the expression for a socket in state st of which nothing else
	// is known.
	eval3(st netstat.TCPState) tribool
}

// Side is the end of a socket a condition looks at.
type Side uint8

// The two ends: src/sport look at the Local Address column, dst/dport at the Foreign
// Address column.
const (
	Local Side = iota + 1
	Remote
)

func (d Side) addr(s *netstat.Socket) netip.AddrPort {
	if d == Local {
		return s.Local
	}
	return s.Remote
}

// And holds when both X and Y hold.
type And struct{ X, Y Expr }

// Or holds when X or Y holds.
type Or struct{ X, Y Expr }

// Not holds when X does not.
type Not struct{ X Expr }

// States holds for sockets whose kernel state is in Set (ss's "state" and "exclude").
type States struct{ Set StateSet }

// CmpOp is the comparison of a PortCmp. "!=", "<" and ">" are the negations of EQ,
// GE and LE, as in ss.
type CmpOp uint8

// Port comparisons.
const (
	EQ CmpOp = iota + 1
	LE
	GE
)

// PortCmp compares the port on Side with Port (ss's sport and dport). For raw sockets
// the local port is the IP protocol number and the remote port is 0, as netstat shows.
type PortCmp struct {
	Side Side
	Op   CmpOp
	Port uint16
}

// Host holds for sockets whose address on Side lies in Prefix and whose port on Side
// is Port (ss's src and dst). The zero Prefix matches every address, and a negative
// Port every port. As in the kernel's inet_diag filter, an IPv4 prefix also matches
// IPv4-mapped IPv6 addresses, an IPv6 prefix never matches an IPv4 socket.
type Host struct {
	Side   Side
	Prefix netip.Prefix
	Port   int32
}

// Match implements Expr.
func (e *And) Match(s *netstat.Socket) bool { return e.X.Match(s) && e.Y.Match(s) }

// Match implements Expr.
func (e *Or) Match(s *netstat.Socket) bool { return e.X.Match(s) || e.Y.Match(s) }

// Match implements Expr.
func (e *Not) Match(s *netstat.Socket) bool { return !e.X.Match(s) }

// Match implements Expr.
func (e *States) Match(s *netstat.Socket) bool { return e.Set.Has(s.State) }

// Match implements Expr.
func (e *PortCmp) Match(s *netstat.Socket) bool {
	p := e.Side.addr(s).Port()
	switch e.Op {
	case EQ:
		return p == e.Port
	case LE:
		return p <= e.Port
	case GE:
		return p >= e.Port
	}
	return false
}

// Match implements Expr.
func (e *Host) Match(s *netstat.Socket) bool {
	ap := e.Side.addr(s)
	if e.Port >= 0 && int32(ap.Port()) != e.Port {
		return false
	}
	return prefixMatch(e.Prefix, ap.Addr())
}

// prefixMatch is inet_diag's address test: family first, with IPv4 prefixes applied to
// the IPv4 part of IPv4-mapped IPv6 addresses.
func prefixMatch(p netip.Prefix, a netip.Addr) bool {
	if !p.IsValid() {
		return true
	}
	if p.Addr().Is4() && a.Is4In6() {
		a = a.Unmap()
	}
	return p.Contains(a)
}

// tribool is Kleene's three-valued logic: what can be said of an expression when only
// part of a socket is known.
type tribool uint8

const (
	no tribool = iota
	yes
	unknown
)

func (e *And) eval3(st netstat.TCPState) tribool {
	x, y := e.X.eval3(st), e.Y.eval3(st)
	switch {
	case x == no || y == no:
		return no
	case x == yes && y == yes:
		return yes
	}
	return unknown
}

func (e *Or) eval3(st netstat.TCPState) tribool {
	x, y := e.X.eval3(st), e.Y.eval3(st)
	switch {
	case x == yes || y == yes:
		return yes
	case x == no && y == no:
		return no
	}
	return unknown
}

func (e *Not) eval3(st netstat.TCPState) tribool {
	switch e.X.eval3(st) {
	case yes:
		return no
	case no:
		return yes
	}
	return unknown
}

func (e *States) eval3(st netstat.TCPState) tribool {
	if e.Set.Has(st) {
		return yes
	}
	return no
}

func (e *PortCmp) eval3(netstat.TCPState) tribool { return unknown }
func (e *Host) eval3(netstat.TCPState) tribool    { return unknown }

// StatesOf returns the states a socket matching e can be in: a superset that the
// kernel can apply as the inet_diag state mask. A nil e matches every state.
func StatesOf(e Expr) StateSet {
	if e == nil {
		return AllStates
	}
	var set StateSet
	for st := netstat.Established; st <= netstat.Closing; st++ {
		if e.eval3(st) != no {
			set |= 1 << st
		}
	}
	return set
}

// String implements Expr.
func (e *And) String() string { return "(" + e.X.String() + " and " + e.Y.String() + ")" }

// String implements Expr.
func (e *Or) String() string { return "(" + e.X.String() + " or " + e.Y.String() + ")" }

// String implements Expr.
func (e *Not) String() string { return "not " + e.X.String() }

// String implements Expr.
func (e *States) String() string {
	names := e.Set.Names()
	if len(names) == 0 {
		return "exclude all"
	}
	if e.Set == AllStates {
		return "state all"
	}
	return "state " + strings.Join(names, " state ")
}

// String implements Expr.
func (e *PortCmp) String() string {
	op := "="
	switch e.Op {
	case LE:
		op = "<="
	case GE:
		op = ">="
	}
	return e.Side.portWord() + " " + op + " :" + strconv.Itoa(int(e.Port))
}

// String implements Expr.
func (e *Host) String() string {
	word := "src "
	if e.Side == Remote {
		word = "dst "
	}
	var addr string
	switch p := e.Prefix; {
	case !p.IsValid():
		addr = "*"
	case p.IsSingleIP():
		addr = p.Addr().String()
	default:
		addr = p.String()
	}
	if e.Port < 0 {
		return word + addr
	}
	if e.Prefix.IsValid() && e.Prefix.Addr().Is6() {
		addr = "[" + addr + "]"
	}
	return word + addr + ":" + strconv.Itoa(int(e.Port))
}

func (d Side) portWord() string {
	if d == Local {
		return "sport"
	}
	return "dport"
}
