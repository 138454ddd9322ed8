package sockdiag

import (
	"context"
	"testing"

	"github.com/netstat-go/netstat/netstat"
)

// Seeds live in testdata/fuzz/<target>; most come from the kernel replies under
// testdata/captured.

func FuzzSplitMessage(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		for len(b) > 0 {
			h, payload, rest, err := SplitMessage(b)
			if err != nil {
				return
			}
			if len(payload) != int(h.Len)-headerLen || len(rest) >= len(b) {
				t.Fatalf("header %+v: payload %d bytes, rest %d of %d", h, len(payload), len(rest), len(b))
			}
			b = rest
		}
	})
}

func FuzzSplitAttr(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		for attrs := b; len(attrs) > 0; {
			_, data, rest, err := SplitAttr(attrs)
			if err != nil {
				break
			}
			if len(data)+attrLen > len(attrs) || len(rest) >= len(attrs) {
				t.Fatalf("attribute of %d bytes, rest %d of %d", len(data), len(rest), len(attrs))
			}
			attrs = rest
		}
		for _, typ := range []uint16{0, AttrInfo, 8, 11} {
			FindAttr(b, typ)
		}
	})
}

func FuzzDecodeInetMsg(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte, proto uint8, useInfo bool) {
		var m InetMsg
		if err := DecodeInetMsg(b, &m); err != nil {
			return
		}
		var s netstat.Socket
		if err := fillSocket(&s, &m, netstat.Proto(proto%4+1), useInfo); err != nil {
			return
		}
		if s.Family == netstat.IPv4 != s.Local.Addr().Is4() || s.SendQ > uint64(m.WQueue) {
			t.Fatalf("inconsistent socket %+v from %+v", s, m)
		}
	})
}

func FuzzDecodeTCPInfo(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var ti TCPInfo
		if err := DecodeTCPInfo(b, &ti); err == nil && ti.Retransmits != b[2] {
			t.Fatalf("retransmits %d, byte 2 is %d", ti.Retransmits, b[2])
		}
	})
}

func FuzzDecodeUnixMsg(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		var m UnixMsg
		if err := DecodeUnixMsg(b, &m); err != nil {
			return
		}
		if p := m.Path(); len(p) > len(m.Name) {
			t.Fatalf("path %q longer than name %q", p, m.Name)
		}
	})
}

// FuzzInetDump feeds one reply datagram, then NLMSG_DONE, to a TCP or UDP dump. A
// dump without LISTEN sockets may look its request sockets' listeners up on a second
// connection, which gets the same datagram.
func FuzzInetDump(f *testing.F) {
	f.Fuzz(func(t *testing.T, datagram []byte, udp, v6 bool, states uint32) {
		proto, fam := netstat.TCP, netstat.IPv4
		if udp {
			proto = netstat.UDP
		}
		if v6 {
			fam = netstat.IPv6
		}
		k := &fakeKernel{t: t, script: []exchange{
			{replies: [][]byte{datagram, doneMsg(1, 0)}},
			{replies: [][]byte{datagram, doneMsg(1, 0)}},
		}}
		c := NewClient(k.dial)
		c.InetSockets(context.Background(), proto, fam, Options{Timers: true, States: states}, func(s *netstat.Socket) error {
			if s.Proto != proto || s.Family != fam {
				t.Fatalf("row of %v/%v in a %v/%v dump", s.Proto, s.Family, proto, fam)
			}
			return nil
		})
		c.Close()
		if k.open != 0 {
			t.Fatalf("%d connections left open", k.open)
		}
	})
}
