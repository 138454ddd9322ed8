package source

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

// KernelSelection returns the share of e the kernel can apply to dumps of proto, as ss
// does: the inet_diag state mask of the states e allows (0: all) and an inet_diag
// program for its address and port conditions (nil: none). Together they accept every
// socket e accepts, and possibly more.
func KernelSelection(e analysis.Expr, proto netstat.Proto) (states uint32, bytecode []byte) {
	set := analysis.StatesOf(e)
	c := kernelCond(e, proto, set, true)
	switch set {
	case analysis.AllStates:
	case 0:
		// An idiag_states of 0 means "all" to the dump; a program refuses everything.
		c = sockdiag.CondConst(false)
	default:
		states = uint32(set)
	}
	bc, err := sockdiag.Bytecode(c)
	if err != nil {
		return states, nil // too long for the kernel: filtering in user space only
	}
	return states, bc
}

// kernelCond returns a condition the kernel can evaluate on sockets of proto in the
// states of mask that holds whenever e holds (over) or, with over false, holds only
// when e holds. A state condition is decided by mask when mask lies inside or outside
// its states; the other parts the kernel cannot evaluate (the remaining state
// conditions, which the state mask covers, and for raw sockets the remote port, which
// /proc shows as 0 whatever the kernel holds) become the constant that keeps the
// approximation on the right side.
func kernelCond(e analysis.Expr, proto netstat.Proto, mask analysis.StateSet, over bool) sockdiag.Cond {
	switch e := e.(type) {
	case *analysis.And:
		return sockdiag.CondAnd{X: kernelCond(e.X, proto, mask, over), Y: kernelCond(e.Y, proto, mask, over)}
	case *analysis.Or:
		return sockdiag.CondOr{X: kernelCond(e.X, proto, mask, over), Y: kernelCond(e.Y, proto, mask, over)}
	case *analysis.Not:
		return sockdiag.CondNot{X: kernelCond(e.X, proto, mask, !over)}
	case *analysis.States:
		switch {
		case mask&e.Set == 0:
			return sockdiag.CondConst(false)
		case mask&^e.Set == 0:
			return sockdiag.CondConst(true)
		}
	case *analysis.PortCmp:
		if e.Side == analysis.Remote && proto == netstat.RAW {
			break
		}
		op := sockdiag.PortEQ
		switch e.Op {
		case analysis.LE:
			op = sockdiag.PortLE
		case analysis.GE:
			op = sockdiag.PortGE
		}
		return sockdiag.CondPort{Dst: e.Side == analysis.Remote, Op: op, Port: e.Port}
	case *analysis.Host:
		if e.Side == analysis.Remote && proto == netstat.RAW && e.Port >= 0 {
			break
		}
		return sockdiag.CondHost{Dst: e.Side == analysis.Remote, Prefix: e.Prefix, Port: e.Port}
	}
	return sockdiag.CondConst(over)
}
