// Package filter generates the classic BPF program the kernel runs on every packet
// before it reaches the capture ring: TCP to (or from) one port, IPv4 and IPv6, and,
// on a packet socket, no outgoing copies (loopback shows every packet twice
// otherwise).
package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// Snaplen is what an accepted packet keeps: all of it.
const Snaplen = 262144

// Spec says which packets to accept.
type Spec struct {
	Port uint16
	// Both accepts the port as source too (a server's answers), not only as
	// destination.
	Both bool
	// Ethernet programs read an Ethernet header first (tcpdump -y EN10MB); otherwise
	// the packet starts at the IP header and its protocol comes from the socket
	// (AF_PACKET SOCK_DGRAM on any interface).
	Ethernet bool
	// DropOutgoing rejects packets the host sends (PACKET_OUTGOING): with it,
	// loopback traffic is seen once.
	DropOutgoing bool
}

// Expression returns the tcpdump expression with the same meaning (outgoing copies
// aside, which tcpdump spells "inbound" and only on live Linux captures).
func (s Spec) Expression() string {
	if s.Both {
		return fmt.Sprintf("tcp port %d", s.Port)
	}
	return fmt.Sprintf("tcp dst port %d", s.Port)
}

// item is an instruction whose jumps name labels, resolved by assemble.
type item struct {
	ins           bpf.Instruction
	label         string // this item's label, if any
	jTrue, jFalse string
	cond          bpf.JumpTest
	val           uint32
}

const (
	accept = "accept"
	reject = "reject"
	ipv4   = "ipv4"
	ipv6   = "ipv6"
)

// Program returns the BPF program for s.
func Program(s Spec) ([]bpf.Instruction, error) {
	var p []item
	add := func(ins bpf.Instruction) { p = append(p, item{ins: ins}) }
	jump := func(cond bpf.JumpTest, val uint32, t, f string) {
		p = append(p, item{cond: cond, val: val, jTrue: t, jFalse: f})
	}
	label := func(l string, ins bpf.Instruction) { p = append(p, item{ins: ins, label: l}) }

	l := uint32(0)
	if s.DropOutgoing {
		add(bpf.LoadExtension{Num: bpf.ExtType})
		jump(bpf.JumpEqual, 4, reject, "") // PACKET_OUTGOING
	}
	if s.Ethernet {
		l = 14
		add(bpf.LoadAbsolute{Off: 12, Size: 2})
	} else {
		add(bpf.LoadExtension{Num: bpf.ExtProto})
	}
	jump(bpf.JumpEqual, 0x86dd, ipv6, "")
	jump(bpf.JumpEqual, 0x0800, "", reject)

	label(ipv4, bpf.LoadAbsolute{Off: l + 9, Size: 1})
	jump(bpf.JumpEqual, 6, "", reject)
	add(bpf.LoadAbsolute{Off: l + 6, Size: 2})
	jump(bpf.JumpBitsSet, 0x1fff, reject, "") // a later fragment has no TCP header
	add(bpf.LoadMemShift{Off: l})
	if s.Both {
		add(bpf.LoadIndirect{Off: l, Size: 2})
		jump(bpf.JumpEqual, uint32(s.Port), accept, "")
	}
	add(bpf.LoadIndirect{Off: l + 2, Size: 2})
	jump(bpf.JumpEqual, uint32(s.Port), accept, reject)

	label(ipv6, bpf.LoadAbsolute{Off: l + 6, Size: 1})
	jump(bpf.JumpEqual, 6, "", reject)
	if s.Both {
		add(bpf.LoadAbsolute{Off: l + 40, Size: 2})
		jump(bpf.JumpEqual, uint32(s.Port), accept, "")
	}
	add(bpf.LoadAbsolute{Off: l + 42, Size: 2})
	jump(bpf.JumpEqual, uint32(s.Port), accept, reject)

	label(accept, bpf.RetConstant{Val: Snaplen})
	label(reject, bpf.RetConstant{Val: 0})
	return assemble(p)
}

// Raw returns Program(s) assembled for the kernel.
func Raw(s Spec) ([]bpf.RawInstruction, error) {
	prog, err := Program(s)
	if err != nil {
		return nil, err
	}
	return bpf.Assemble(prog)
}

// assemble resolves label jumps into skip counts ("" means the next instruction).
func assemble(p []item) ([]bpf.Instruction, error) {
	at := map[string]int{}
	for i, it := range p {
		if it.label != "" {
			at[it.label] = i
		}
	}
	skip := func(from int, l string) (uint8, error) {
		if l == "" {
			return 0, nil
		}
		to, ok := at[l]
		if !ok || to <= from || to-from-1 > 255 {
			return 0, fmt.Errorf("filter: bad jump from %d to %q", from, l)
		}
		return uint8(to - from - 1), nil
	}
	out := make([]bpf.Instruction, len(p))
	for i, it := range p {
		if it.ins != nil {
			out[i] = it.ins
			continue
		}
		t, err := skip(i, it.jTrue)
		if err != nil {
			return nil, err
		}
		f, err := skip(i, it.jFalse)
		if err != nil {
			return nil, err
		}
		out[i] = bpf.JumpIf{Cond: it.cond, Val: it.val, SkipTrue: t, SkipFalse: f}
	}
	return out, nil
}
