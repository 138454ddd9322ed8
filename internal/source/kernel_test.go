package source

import (
	"net/netip"
	"testing"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

func mustAP(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestKernelCondBounds(t *testing.T) {
	// For every filter and socket: the kernel's share accepts the socket whenever the
	// filter does (a superset), checked by evaluating the kernel condition directly.
	socks := []netstat.Socket{}
	for _, p := range []netstat.Proto{netstat.TCP, netstat.RAW} {
		for _, a := range [][2]string{{"127.0.0.1:80", "127.0.0.2:40000"}, {"[::ffff:127.0.0.1]:22", "[::ffff:10.0.0.1]:80"}, {"[::1]:443", "[::1]:0"}} {
			for _, st := range []netstat.TCPState{netstat.Established, netstat.Listen, netstat.TimeWait} {
				s := netstat.Socket{Proto: p, Local: mustAP(a[0]), Remote: mustAP(a[1]), State: st}
				socks = append(socks, s)
			}
		}
	}
	filters := []string{
		"sport = :80", "not sport = :80", "not ( state established or dport = :80 )",
		"state established or dst 10.0.0.0/8", "not ( not dport = :80 and not state listening )",
		"dst *:80", "not dst 127.0.0.2", "src ::1 or not dport >= :1024",
	}
	for _, f := range filters {
		e, err := analysis.ParseFilter(f, analysis.ParseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range socks {
			states, _ := KernelSelection(e, s.Proto)
			over := condHolds(kernelCond(e, s.Proto, analysis.StatesOf(e), true), &s)
			if states != 0 && !analysis.StateSet(states).Has(s.State) {
				over = false
			}
			if e.Match(&s) && !over {
				t.Errorf("%q matches %+v but the kernel selection drops it", f, s)
			}
		}
	}
}

// condHolds evaluates a kernel condition with the semantics of analysis' evaluator.
func condHolds(c sockdiag.Cond, s *netstat.Socket) bool {
	switch c := c.(type) {
	case sockdiag.CondConst:
		return bool(c)
	case sockdiag.CondAnd:
		return condHolds(c.X, s) && condHolds(c.Y, s)
	case sockdiag.CondOr:
		return condHolds(c.X, s) || condHolds(c.Y, s)
	case sockdiag.CondNot:
		return !condHolds(c.X, s)
	case sockdiag.CondPort:
		side := analysis.Local
		if c.Dst {
			side = analysis.Remote
		}
		op := map[sockdiag.PortOp]analysis.CmpOp{sockdiag.PortEQ: analysis.EQ, sockdiag.PortGE: analysis.GE, sockdiag.PortLE: analysis.LE}[c.Op]
		return (&analysis.PortCmp{Side: side, Op: op, Port: c.Port}).Match(s)
	case sockdiag.CondHost:
		side := analysis.Local
		if c.Dst {
			side = analysis.Remote
		}
		return (&analysis.Host{Side: side, Prefix: c.Prefix, Port: c.Port}).Match(s)
	}
	return false
}
