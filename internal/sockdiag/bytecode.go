package sockdiag

import (
	"errors"
	"net/netip"
)

// bytecode.go compiles socket conditions into inet_diag bytecode, the program a dump
// request carries in its INET_DIAG_REQ_BYTECODE attribute and the kernel runs on every
// socket before reporting it (net/ipv4/inet_diag.c: inet_diag_bc_audit checks it,
// inet_diag_bc_run runs it).
//
// A program is a sequence of operations, each a struct inet_diag_bc_op {u8 code; u8
// yes; u16 no} followed by its operands. Every operation is a conditional forward jump:
// by "yes" bytes when its condition holds, by "no" bytes otherwise (JMP always takes
// "no"). A socket is accepted when execution ends exactly at the end of the program
// and rejected when it jumps 4 bytes past it. The kernel accepts "no" targets only at
// operation boundaries reachable through the "yes" chain, so every operation here has
// yes = its own length and all branching is done with "no".

// Operation codes (enum in include/uapi/linux/inet_diag.h).
const (
	bcJmp   = 1 // INET_DIAG_BC_JMP
	bcSGE   = 2 // INET_DIAG_BC_S_GE
	bcSLE   = 3 // INET_DIAG_BC_S_LE
	bcDGE   = 4 // INET_DIAG_BC_D_GE
	bcDLE   = 5 // INET_DIAG_BC_D_LE
	bcSCond = 7 // INET_DIAG_BC_S_COND
	bcDCond = 8 // INET_DIAG_BC_D_COND
	bcSEQ   = 11
	bcDEQ   = 12

	attrReqBytecode = 1 // INET_DIAG_REQ_BYTECODE

	opLen       = 4 // sizeof(struct inet_diag_bc_op)
	hostcondLen = 8 // sizeof(struct inet_diag_hostcond) without the address
)

// Cond is a condition on a socket that the kernel can evaluate: CondConst, CondAnd,
// CondOr, CondNot, CondPort or CondHost.
type Cond interface{ cond() }

// CondConst is a condition that always (true) or never (false) holds.
type CondConst bool

// CondAnd holds when X and Y hold.
type CondAnd struct{ X, Y Cond }

// CondOr holds when X or Y holds.
type CondOr struct{ X, Y Cond }

// CondNot holds when X does not.
type CondNot struct{ X Cond }

// PortOp is the comparison of a CondPort.
type PortOp uint8

// Port comparisons the kernel offers.
const (
	PortEQ PortOp = iota + 1 // INET_DIAG_BC_S_EQ / D_EQ (Linux 4.16 and later)
	PortGE                   // INET_DIAG_BC_S_GE / D_GE
	PortLE                   // INET_DIAG_BC_S_LE / D_LE
)

// CondPort compares the socket's source (local) or, with Dst, destination port with
// Port. For raw sockets the source port is the IP protocol number.
type CondPort struct {
	Dst  bool
	Op   PortOp
	Port uint16
}

// CondHost holds when the socket's source (or, with Dst, destination) address lies in
// Prefix and its port equals Port (INET_DIAG_BC_S_COND / D_COND). The zero Prefix
// matches any address and a negative Port any port. An IPv4 prefix also matches
// IPv4-mapped addresses of IPv6 sockets; an IPv6 prefix never matches IPv4 sockets.
type CondHost struct {
	Dst    bool
	Prefix netip.Prefix
	Port   int32
}

func (CondConst) cond() {}
func (CondAnd) cond()   {}
func (CondOr) cond()    {}
func (CondNot) cond()   {}
func (CondPort) cond()  {}
func (CondHost) cond()  {}

// ErrBytecodeTooLong is returned for a condition whose program exceeds what a netlink
// attribute and the 16-bit jump offsets can hold.
var ErrBytecodeTooLong = errors.New("inet_diag bytecode too long")

// maxBytecode keeps the attribute length (4 + program) and every jump (at most the
// program length + 4) within 16 bits.
const maxBytecode = 0xffff - 2*opLen

// Bytecode compiles c into an inet_diag program that accepts exactly the sockets for
// which c holds. It returns nil for a condition that always holds: such a dump needs no
// program.
func Bytecode(c Cond) ([]byte, error) {
	c = simplify(c)
	if c == CondConst(true) {
		return nil, nil
	}
	var a assembler
	a.compile(c, labelReject)
	return a.link()
}

// simplify folds constants, so that parts the kernel cannot evaluate (replaced by
// constants by the caller) cost no operations.
func simplify(c Cond) Cond {
	switch c := c.(type) {
	case CondAnd:
		x, y := simplify(c.X), simplify(c.Y)
		switch {
		case x == CondConst(false) || y == CondConst(false):
			return CondConst(false)
		case x == CondConst(true):
			return y
		case y == CondConst(true):
			return x
		}
		return CondAnd{x, y}
	case CondOr:
		x, y := simplify(c.X), simplify(c.Y)
		switch {
		case x == CondConst(true) || y == CondConst(true):
			return CondConst(true)
		case x == CondConst(false):
			return y
		case y == CondConst(false):
			return x
		}
		return CondOr{x, y}
	case CondNot:
		x := simplify(c.X)
		if k, ok := x.(CondConst); ok {
			return !k
		}
		if n, ok := x.(CondNot); ok {
			return n.X
		}
		return CondNot{x}
	}
	return c
}

// label names a position in the program: an index into assembler.at, or labelReject
// for "4 bytes past the end".
type label int

const labelReject label = -1

// op is one operation: its code, its operands and the label its "no" jumps to.
type op struct {
	code     byte
	operands []byte
	no       label
}

// assembler lays out operations with symbolic jump targets.
type assembler struct {
	ops []op
	at  []int // label -> index of the operation it precedes (len(ops): the end)
}

func (a *assembler) newLabel() label {
	a.at = append(a.at, -1)
	return label(len(a.at) - 1)
}

func (a *assembler) place(l label) { a.at[l] = len(a.ops) }

func (a *assembler) emit(code byte, operands []byte, no label) {
	a.ops = append(a.ops, op{code, operands, no})
}

// compile emits c so that execution falls through when c holds and jumps to fail
// when it does not. A Cond of another type (a pointer to one of these, say) emits
// nothing: it holds for every socket, which only widens the kernel's selection.
func (a *assembler) compile(c Cond, fail label) {
	switch c := c.(type) {
	case CondConst:
		if !c {
			a.emit(bcJmp, nil, fail)
		}
	case CondAnd:
		a.compile(c.X, fail)
		a.compile(c.Y, fail)
	case CondOr:
		tryY, done := a.newLabel(), a.newLabel()
		a.compile(c.X, tryY)
		a.emit(bcJmp, nil, done)
		a.place(tryY)
		a.compile(c.Y, fail)
		a.place(done)
	case CondNot:
		holds := a.newLabel()
		a.compile(c.X, holds)
		a.emit(bcJmp, nil, fail)
		a.place(holds)
	case CondPort:
		// The port travels in the "no" field of a second inet_diag_bc_op.
		operand := []byte{0, 0, 0, 0}
		native.PutUint16(operand[2:], c.Port)
		a.emit(portCode(c), operand, fail)
	case CondHost:
		code := byte(bcSCond)
		if c.Dst {
			code = bcDCond
		}
		a.emit(code, hostcond(c), fail)
	}
}

func portCode(c CondPort) byte {
	switch {
	case c.Op == PortGE && c.Dst:
		return bcDGE
	case c.Op == PortGE:
		return bcSGE
	case c.Op == PortLE && c.Dst:
		return bcDLE
	case c.Op == PortLE:
		return bcSLE
	case c.Dst:
		return bcDEQ
	}
	return bcSEQ
}

// hostcond encodes struct inet_diag_hostcond {u8 family; u8 prefix_len; int port;
// __be32 addr[]} followed by the address (none for any address).
func hostcond(c CondHost) []byte {
	b := make([]byte, hostcondLen, hostcondLen+16)
	native.PutUint32(b[4:], uint32(c.Port)) // -1: any port
	p := c.Prefix
	switch {
	case !p.IsValid():
		b[0] = 0 // AF_UNSPEC: any address
	case p.Addr().Is4():
		b[0], b[1] = AFInet, byte(p.Bits())
		a := p.Masked().Addr().As4()
		b = append(b, a[:]...)
	default:
		b[0], b[1] = AFInet6, byte(p.Bits())
		a := p.Masked().Addr().As16()
		b = append(b, a[:]...)
	}
	return b
}

// link resolves the labels into byte offsets and encodes the program.
func (a *assembler) link() ([]byte, error) {
	offsets := make([]int, len(a.ops)+1)
	for i, o := range a.ops {
		offsets[i+1] = offsets[i] + opLen + len(o.operands)
	}
	end := offsets[len(a.ops)]
	if end > maxBytecode {
		return nil, ErrBytecodeTooLong
	}
	b := make([]byte, 0, end)
	for i, o := range a.ops {
		target := end + opLen
		if o.no != labelReject {
			target = offsets[a.at[o.no]]
		}
		b = append(b, o.code, byte(opLen+len(o.operands)))
		b = native.AppendUint16(b, uint16(target-offsets[i]))
		b = append(b, o.operands...)
	}
	return b, nil
}
