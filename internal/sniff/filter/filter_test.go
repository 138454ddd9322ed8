package filter

import (
	"encoding/binary"
	"os/exec"
	"regexp"
	"strconv"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/netstat-go/netstat/internal/nstest"
)

// crafted is a test packet: Ethernet framed, with the socket's packet type.
type crafted struct {
	name     string
	data     []byte
	outgoing bool
	// dst80 and port3306 are what "tcp dst port 80" and "tcp port 3306" mean for it.
	dst80, port3306 bool
}

func eth(t testing.TB, et layers.EthernetType, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	all := append([]gopacket.SerializableLayer{&layers.Ethernet{SrcMAC: make([]byte, 6), DstMAC: make([]byte, 6), EthernetType: et}}, ls...)
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, all...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func v4(proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: []byte{127, 0, 0, 2}, DstIP: []byte{127, 0, 0, 1}}
}

func v6(next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, NextHeader: next, HopLimit: 64, SrcIP: make([]byte, 16), DstIP: make([]byte, 16)}
}

func tcp(src, dst layers.TCPPort) *layers.TCP {
	return &layers.TCP{SrcPort: src, DstPort: dst, DataOffset: 5, ACK: true}
}

func packets(t testing.TB) []crafted {
	opts := v4(layers.IPProtocolTCP)
	opts.Options = []layers.IPv4Option{{OptionType: 1}, {OptionType: 1}, {OptionType: 1}, {OptionType: 0}} // IHL 6
	frag := v4(layers.IPProtocolTCP)
	frag.FragOffset = 100
	return []crafted{
		{"v4 to 80", eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolTCP), tcp(40000, 80)), false, true, false},
		{"v4 to 80 outgoing", eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolTCP), tcp(40000, 80)), true, true, false},
		{"v4 from 80", eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolTCP), tcp(80, 40000)), false, false, false},
		{"v4 options to 80", eth(t, layers.EthernetTypeIPv4, opts, tcp(40000, 80)), false, true, false},
		{"v4 fragment", eth(t, layers.EthernetTypeIPv4, frag, gopacket.Payload(make([]byte, 20))), false, false, false},
		{"v4 to 3306", eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolTCP), tcp(40000, 3306)), false, false, true},
		{"v4 from 3306", eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolTCP), tcp(3306, 40000)), false, false, true},
		{"v4 udp to 80", eth(t, layers.EthernetTypeIPv4, v4(layers.IPProtocolUDP), &layers.UDP{SrcPort: 4, DstPort: 80}), false, false, false},
		{"v6 to 80", eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolTCP), tcp(40000, 80)), false, true, false},
		{"v6 from 80", eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolTCP), tcp(80, 40000)), false, false, false},
		{"v6 to 3306", eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolTCP), tcp(40000, 3306)), false, false, true},
		{"v6 from 3306 outgoing", eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolTCP), tcp(3306, 1)), true, false, true},
		{"v6 udp to 80", eth(t, layers.EthernetTypeIPv6, v6(layers.IPProtocolUDP), &layers.UDP{SrcPort: 4, DstPort: 80}), false, false, false},
		{"arp", eth(t, layers.EthernetTypeARP, gopacket.Payload(make([]byte, 28))), false, false, false},
	}
}

// vmFor returns a bpf.VM for prog, and how to present a packet to it. bpf.VM has no
// ancillary loads (the packet type and protocol a packet socket knows), so a SOCK_DGRAM
// program is checked through a mechanical rewrite: the packet gets a 4-byte prefix
// holding the packet type and the protocol, the two ancillary loads read it, and every
// packet offset moves by 4.
func vmFor(t *testing.T, prog []bpf.Instruction, ethernet bool) func(c crafted) bool {
	t.Helper()
	const shift = 4
	var rw []bpf.Instruction
	for _, ins := range prog {
		switch i := ins.(type) {
		case bpf.LoadExtension:
			switch i.Num {
			case bpf.ExtType:
				ins = bpf.LoadAbsolute{Off: 0, Size: 2}
			case bpf.ExtProto:
				ins = bpf.LoadAbsolute{Off: 2, Size: 2}
			default:
				t.Fatalf("unexpected extension %v", i)
			}
		case bpf.LoadAbsolute:
			i.Off += shift
			ins = i
		case bpf.LoadIndirect:
			i.Off += shift
			ins = i
		case bpf.LoadMemShift:
			i.Off += shift
			ins = i
		}
		rw = append(rw, ins)
	}
	vm, err := bpf.NewVM(rw)
	if err != nil {
		t.Fatalf("bpf.NewVM: %v", err)
	}
	return func(c crafted) bool {
		pre := make([]byte, shift)
		if c.outgoing {
			binary.BigEndian.PutUint16(pre, 4)
		}
		copy(pre[2:], c.data[12:14]) // the Ethernet type is the socket's protocol
		data := c.data
		if !ethernet {
			data = data[14:]
		}
		n, err := vm.Run(append(pre, data...))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		return n > 0
	}
}

func TestProgramsInVM(t *testing.T) {
	for _, eth := range []bool{false, true} {
		for _, drop := range []bool{false, true} {
			for _, both := range []bool{false, true} {
				s := Spec{Port: 80, Both: both, Ethernet: eth, DropOutgoing: drop}
				if both {
					s.Port = 3306
				}
				prog, err := Program(s)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := bpf.Assemble(prog); err != nil {
					t.Fatal(err)
				}
				run := vmFor(t, prog, eth)
				for _, c := range packets(t) {
					want := c.dst80
					if both {
						want = c.port3306
					}
					if drop && c.outgoing {
						want = false
					}
					if got := run(c); got != want {
						t.Errorf("%+v: %s: accepted %v, want %v", s, c.name, got, want)
					}
				}
			}
		}
	}
}

var ddLine = regexp.MustCompile(`^\{ 0x([0-9a-f]+), (\d+), (\d+), 0x([0-9a-f]+) \},$`)

// TestAgainstTcpdump runs libpcap's program (tcpdump -dd) and ours for the same
// expression on the same packets: both must agree on every one.
func TestAgainstTcpdump(t *testing.T) {
	nstest.RequireTool(t, "tcpdump")
	for _, s := range []Spec{{Port: 80, Ethernet: true}, {Port: 3306, Both: true, Ethernet: true}} {
		t.Run(s.Expression(), func(t *testing.T) {
			// -dd on an Ethernet capture file compiles for that link type, no root needed.
			out, err := exec.Command("tcpdump", "-dd", "-r", "../testdata/http.pcap", s.Expression()).Output()
			if err != nil {
				t.Fatalf("tcpdump -dd: %v", err)
			}
			var raw []bpf.RawInstruction
			for _, line := range regexp.MustCompile(`\r?\n`).Split(string(out), -1) {
				m := ddLine.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				op, _ := strconv.ParseUint(m[1], 16, 16)
				jt, _ := strconv.ParseUint(m[2], 10, 8)
				jf, _ := strconv.ParseUint(m[3], 10, 8)
				k, _ := strconv.ParseUint(m[4], 16, 32)
				raw = append(raw, bpf.RawInstruction{Op: uint16(op), Jt: uint8(jt), Jf: uint8(jf), K: uint32(k)})
			}
			theirs, ok := bpf.Disassemble(raw)
			if !ok || len(raw) == 0 {
				t.Fatalf("cannot read tcpdump's program:\n%s", out)
			}
			tvm, err := bpf.NewVM(theirs)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := Program(s)
			if err != nil {
				t.Fatal(err)
			}
			run := vmFor(t, ours, true)
			for _, c := range packets(t) {
				if c.outgoing {
					continue // tcpdump's program has no direction
				}
				n, err := tvm.Run(c.data)
				if err != nil {
					t.Fatal(err)
				}
				if got := run(c); got != (n > 0) {
					t.Errorf("%s: ours %v, tcpdump's %v", c.name, got, n > 0)
				}
			}
		})
	}
}
