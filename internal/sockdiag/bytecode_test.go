package sockdiag

import (
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// TestBytecode compares compiled programs with bytes worked out by hand from struct
// inet_diag_bc_op and struct inet_diag_hostcond (little-endian host order; addresses in
// network order). Spaces separate operations.
func TestBytecode(t *testing.T) {
	tests := []struct {
		name string
		c    Cond
		want string
	}{
		{"always", CondConst(true), ""},
		{"never", CondConst(false), "01040800"},
		{"sport = :80", CondPort{Op: PortEQ, Port: 80}, "0b080c00 00005000"},
		{"dport >= :1024", CondPort{Dst: true, Op: PortGE, Port: 1024}, "04080c00 00000004"},
		{"sport <= :1023", CondPort{Op: PortLE, Port: 1023}, "03080c00 0000ff03"},
		{"dport <= :9", CondPort{Dst: true, Op: PortLE, Port: 9}, "05080c00 00000900"},
		{"not sport = :22", CondNot{CondPort{Op: PortEQ, Port: 22}}, "0b080c00 00001600 01040800"},
		{"sport = :80 or sport = :443",
			CondOr{CondPort{Op: PortEQ, Port: 80}, CondPort{Op: PortEQ, Port: 443}},
			"0b080c00 00005000 01040c00 0b080c00 0000bb01"},
		{"src 127.0.0.0/8:80", CondHost{Prefix: pfx("127.0.0.0/8"), Port: 80},
			"07101400 02080000 50000000 7f000000"},
		{"src 10.1.2.3/8 (host bits dropped)", CondHost{Prefix: pfx("10.1.2.3/8"), Port: -1},
			"07101400 02080000 ffffffff 0a000000"},
		{"dst [::1]:443", CondHost{Dst: true, Prefix: pfx("::1/128"), Port: 443},
			"081c2000 0a800000 bb010000 00000000000000000000000000000001"},
		{"dst *", CondHost{Dst: true, Port: -1}, "080c1000 00000000 ffffffff"},
		{"sport >= :1024 and dst 10.0.0.0/8",
			CondAnd{CondPort{Op: PortGE, Port: 1024}, CondHost{Dst: true, Prefix: pfx("10.0.0.0/8"), Port: -1}},
			"02081c00 00000004 08101400 02080000 ffffffff 0a000000"},
		{"not (sport = :1 or dport = :2)",
			CondNot{CondOr{CondPort{Op: PortEQ, Port: 1}, CondPort{Dst: true, Op: PortEQ, Port: 2}}},
			"0b080c00 00000100 01040c00 0c080c00 00000200 01040800"},
		{"constants fold away", CondAnd{CondConst(true), CondOr{CondConst(false), CondPort{Op: PortEQ, Port: 80}}},
			"0b080c00 00005000"},
		{"false and x", CondAnd{CondPort{Op: PortEQ, Port: 80}, CondNot{CondConst(true)}}, "01040800"},
		{"x or true", CondOr{CondPort{Op: PortEQ, Port: 80}, CondConst(true)}, ""},
		{"double negation", CondNot{CondNot{CondPort{Op: PortEQ, Port: 80}}}, "0b080c00 00005000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Bytecode(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			want, err := hex.DecodeString(strings.ReplaceAll(tt.want, " ", ""))
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				want = nil
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Bytecode (-want +got):\n%s", diff)
			}
			if got != nil {
				if err := audit(got); err != nil {
					t.Errorf("the kernel would refuse the program: %v", err)
				}
			}
		})
	}
}

func TestBytecodeTooLong(t *testing.T) {
	var c Cond = CondPort{Op: PortEQ, Port: 1}
	for i := 0; i < 3000; i++ { // 3000 * (28 + 4) bytes
		c = CondOr{c, CondHost{Prefix: pfx("::1/128"), Port: -1}}
	}
	if _, err := Bytecode(c); !errors.Is(err, ErrBytecodeTooLong) {
		t.Fatalf("err = %v, want ErrBytecodeTooLong", err)
	}
}

func TestAppendInetRequestBytecode(t *testing.T) {
	bc := []byte{0x0b, 0x08, 0x0c, 0x00, 0x00, 0x00, 0x50, 0x00}
	got := AppendInetRequest(nil, 7, InetRequest{Family: AFInet, Protocol: ProtoTCP, States: 1 << 10, Bytecode: bc})
	want := inetReq(7, AFInet, ProtoTCP, 0, 1<<10)
	want = append(want, 12, 0, 1, 0) // struct nlattr: length 4+8, INET_DIAG_REQ_BYTECODE
	want = append(want, bc...)
	native.PutUint32(want, uint32(len(want)))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

// TestBytecodeRuns compiles random conditions and runs each program, as
// inet_diag_bc_run does, on every socket of a small population: the program must pass
// the kernel's audit and accept exactly the sockets the condition holds for.
func TestBytecodeRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	entries := testEntries()
	for i := 0; i < 2000; i++ {
		c := randomCond(r, 4)
		bc, err := Bytecode(c)
		if err != nil {
			t.Fatal(err)
		}
		if bc != nil {
			if err := audit(bc); err != nil {
				t.Fatalf("%#v: audit: %v\n%x", c, err, bc)
			}
		}
		for _, e := range entries {
			want := e.holds(c)
			got := bc == nil || run(bc, e)
			if got != want {
				t.Fatalf("%#v on %+v: program says %v, condition %v\n%x", c, e, got, want, bc)
			}
		}
	}
}

// entry is what inet_diag_bc_run sees of a socket.
type entry struct {
	v6           bool
	saddr, daddr [16]byte // IPv4 in the first four bytes
	sport, dport uint16
}

func mkEntry(src, dst string) entry {
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	e := entry{v6: s.Addr().Is6(), sport: s.Port(), dport: d.Port()}
	if e.v6 {
		e.saddr, e.daddr = s.Addr().As16(), d.Addr().As16()
	} else {
		a, b := s.Addr().As4(), d.Addr().As4()
		copy(e.saddr[:], a[:])
		copy(e.daddr[:], b[:])
	}
	return e
}

func testEntries() []entry {
	return []entry{
		mkEntry("127.0.0.1:80", "127.0.0.2:40000"),
		mkEntry("127.0.0.2:40000", "127.0.0.1:80"),
		mkEntry("10.1.2.3:443", "192.168.0.1:1024"),
		mkEntry("0.0.0.0:22", "0.0.0.0:0"),
		mkEntry("[::1]:443", "[::1]:50000"),
		mkEntry("[::ffff:127.0.0.1]:80", "[::ffff:127.0.0.3]:1023"),
		mkEntry("[2001:db8::5]:53", "[2001:db8:1::1]:53"),
		mkEntry("[::]:8080", "[::]:0"),
	}
}

var (
	testPrefixes = []string{"127.0.0.0/8", "127.0.0.1/32", "127.0.0.2/31", "10.0.0.0/8", "0.0.0.0/0",
		"::1/128", "::ffff:127.0.0.0/104", "2001:db8::/32", "::/0", "2001:db8::5/128"}
	testPorts = []uint16{0, 22, 53, 80, 443, 1023, 1024, 40000, 50000}
)

func randomCond(r *rand.Rand, depth int) Cond {
	n := 6
	if depth > 0 {
		n = 9
	}
	switch r.IntN(n) {
	case 0:
		return CondConst(r.IntN(2) == 0)
	case 1, 2:
		return CondPort{Dst: r.IntN(2) == 0, Op: PortOp(1 + r.IntN(3)), Port: testPorts[r.IntN(len(testPorts))]}
	case 3, 4, 5:
		h := CondHost{Dst: r.IntN(2) == 0, Port: -1}
		if r.IntN(4) > 0 {
			h.Prefix = pfx(testPrefixes[r.IntN(len(testPrefixes))])
		}
		if r.IntN(2) == 0 {
			h.Port = int32(testPorts[r.IntN(len(testPorts))])
		}
		return h
	case 6:
		return CondNot{randomCond(r, depth-1)}
	case 7:
		return CondAnd{randomCond(r, depth-1), randomCond(r, depth-1)}
	}
	return CondOr{randomCond(r, depth-1), randomCond(r, depth-1)}
}

// holds evaluates c directly, with the kernel's semantics.
func (e entry) holds(c Cond) bool {
	switch c := c.(type) {
	case CondConst:
		return bool(c)
	case CondAnd:
		return e.holds(c.X) && e.holds(c.Y)
	case CondOr:
		return e.holds(c.X) || e.holds(c.Y)
	case CondNot:
		return !e.holds(c.X)
	case CondPort:
		p := e.sport
		if c.Dst {
			p = e.dport
		}
		switch c.Op {
		case PortEQ:
			return p == c.Port
		case PortGE:
			return p >= c.Port
		case PortLE:
			return p <= c.Port
		}
	case CondHost:
		p, a := e.sport, e.saddr
		if c.Dst {
			p, a = e.dport, e.daddr
		}
		if c.Port >= 0 && int32(p) != c.Port {
			return false
		}
		if !c.Prefix.IsValid() {
			return true
		}
		var addr netip.Addr
		if e.v6 {
			addr = netip.AddrFrom16(a)
		} else {
			addr = netip.AddrFrom4([4]byte(a[:4]))
		}
		if c.Prefix.Addr().Is4() && addr.Is4In6() {
			addr = addr.Unmap()
		}
		return c.Prefix.Contains(addr)
	}
	return false
}

// run is inet_diag_bc_run (net/ipv4/inet_diag.c) for the operations Bytecode emits.
func run(bc []byte, e entry) bool {
	i := 0
	for i < len(bc) {
		code, yes, no := bc[i], int(bc[i+1]), int(native.Uint16(bc[i+2:]))
		ok := true
		switch code {
		case bcJmp:
			ok = false
		case bcSEQ, bcSGE, bcSLE, bcDEQ, bcDGE, bcDLE:
			arg := native.Uint16(bc[i+6:])
			p := e.sport
			if code == bcDEQ || code == bcDGE || code == bcDLE {
				p = e.dport
			}
			switch code {
			case bcSEQ, bcDEQ:
				ok = p == arg
			case bcSGE, bcDGE:
				ok = p >= arg
			default:
				ok = p <= arg
			}
		case bcSCond, bcDCond:
			fam, plen, port := bc[i+4], int(bc[i+5]), int32(native.Uint32(bc[i+8:]))
			addr, p := e.saddr[:], e.sport
			if code == bcDCond {
				addr, p = e.daddr[:], e.dport
			}
			if port != -1 && port != int32(p) {
				ok = false
				break
			}
			cond := bc[i+12:]
			entryFam := byte(AFInet)
			if e.v6 {
				entryFam = AFInet6
			}
			if fam != 0 && fam != entryFam {
				mapped := e.v6 && fam == AFInet && string(addr[:12]) == "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff"
				ok = mapped && bitsMatch(addr[12:], cond, plen)
				break
			}
			ok = plen == 0 || bitsMatch(addr, cond, plen)
		default:
			panic("unexpected operation")
		}
		if ok {
			i += yes
		} else {
			i += no
		}
	}
	return i == len(bc)
}

func bitsMatch(a, b []byte, bits int) bool {
	for i := 0; bits > 0; i++ {
		mask := byte(0xff)
		if bits < 8 {
			mask = 0xff << (8 - bits)
		}
		if (a[i]^b[i])&mask != 0 {
			return false
		}
		bits -= 8
	}
	return true
}

// audit is inet_diag_bc_audit for the operations Bytecode emits.
func audit(bc []byte) error {
	validCC := func(cc int) bool {
		l := len(bc)
		i := 0
		for l >= 0 {
			if cc > l {
				return false
			}
			if cc == l {
				return true
			}
			yes := int(bc[i+1])
			if yes < 4 || yes&3 != 0 {
				return false
			}
			l -= yes
			i += yes
		}
		return false
	}
	l := len(bc)
	if l < opLen {
		return errors.New("shorter than one operation")
	}
	i := 0
	for l > 0 {
		if l < opLen {
			return errors.New("truncated operation")
		}
		code, yes, no := bc[i], int(bc[i+1]), int(native.Uint16(bc[i+2:]))
		minLen := opLen
		switch code {
		case bcSCond, bcDCond:
			minLen += hostcondLen
			if l < minLen {
				return errors.New("truncated hostcond")
			}
			switch bc[i+4] {
			case 0:
			case AFInet:
				minLen += 4
			case AFInet6:
				minLen += 16
			default:
				return errors.New("bad family")
			}
			if l < minLen || int(bc[i+5]) > 8*(minLen-opLen-hostcondLen) {
				return errors.New("bad hostcond")
			}
		case bcSEQ, bcSGE, bcSLE, bcDEQ, bcDGE, bcDLE:
			minLen += opLen
			if l < minLen {
				return errors.New("truncated port comparison")
			}
		case bcJmp:
		default:
			return errors.New("unknown operation")
		}
		if no < minLen || no > l+4 || no&3 != 0 {
			return errors.New("bad no")
		}
		if no < l && !validCC(l-no) {
			return errors.New("no jumps into an operation")
		}
		if yes < minLen || yes > l+4 || yes&3 != 0 {
			return errors.New("bad yes")
		}
		i += yes
		l -= yes
	}
	if l != 0 {
		return errors.New("yes runs past the end")
	}
	return nil
}

// TestInetSocketsBytecode checks that a dump with a program sends it and that request
// sockets then take their uid from a listener dump of their own: the listeners a
// program lets through are not all listeners (here the specific one, whose uid /proc
// shows, was filtered out and only the wildcard one passed).
func TestInetSocketsBytecode(t *testing.T) {
	bc, err := Bytecode(CondOr{CondHost{Prefix: pfx("0.0.0.0/32"), Port: -1}, CondPort{Dst: true, Op: PortEQ, Port: 5555}})
	if err != nil {
		t.Fatal(err)
	}
	k := &fakeKernel{t: t, script: []exchange{
		{
			req: AppendInetRequest(nil, 1, InetRequest{Family: AFInet, Protocol: ProtoTCP, States: ProcStates, Bytecode: bc}),
			replies: [][]byte{cat(
				sockMsg(1, diagMsg{family: AFInet, state: 10, src: "0.0.0.0:80", dst: "0.0.0.0:0", uid: 10, i: 1}),
				sockMsg(1, diagMsg{family: AFInet, state: 3, timer: 1, src: "127.0.0.2:80", dst: "127.0.0.1:5555"}),
				doneMsg(1, 0))},
		},
		{
			req: inetReq(1, AFInet, ProtoTCP, 0, 1<<10),
			replies: [][]byte{cat(
				sockMsg(1, diagMsg{family: AFInet, state: 10, src: "0.0.0.0:80", dst: "0.0.0.0:0", uid: 10, i: 1}),
				sockMsg(1, diagMsg{family: AFInet, state: 10, src: "127.0.0.2:80", dst: "0.0.0.0:0", uid: 20, i: 2}),
				doneMsg(1, 0))},
		},
	}}
	got, err := collect(NewClient(k.dial), netstat.TCP, netstat.IPv4, Options{Bytecode: bc})
	if err != nil {
		t.Fatal(err)
	}
	want := []netstat.Socket{
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("0.0.0.0:80"), Remote: ap("0.0.0.0:0"), State: 10, UID: 10, Inode: 1, Cookie: 0xc0ffee},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.2:80"), Remote: ap("127.0.0.1:5555"), State: 3, UID: 20, Timer: 1, Cookie: 0xc0ffee},
	}
	if diff := cmp.Diff(want, got, cmpAddrPort, ignoreDiagOnly); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
