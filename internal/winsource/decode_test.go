package winsource

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

// tableBytes lays rows out as the IP Helper API does: dwNumEntries, padding to the
// rows' alignment, then the rows.
func tableBytes(l Layout, rows ...[]byte) []byte {
	size, first := l.rowSize()
	b := make([]byte, first+size*len(rows))
	binary.LittleEndian.PutUint32(b, uint32(len(rows)))
	for i, r := range rows {
		copy(b[first+i*size:], r)
	}
	return b
}

func le(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// nport is a DWORD holding a port in network byte order.
func nport(p uint16) []byte { return []byte{byte(p >> 8), byte(p), 0, 0} }

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestDecodeTable(t *testing.T) {
	lo := []byte{127, 0, 0, 1}
	any4 := []byte{0, 0, 0, 0}
	ll := netip.MustParseAddr("fe80::1").As16()
	one := netip.IPv6Loopback().As16()
	for _, tc := range []struct {
		name string
		l    Layout
		rows [][]byte
		want []Row
	}{
		{
			"tcp owner pid",
			Layout{Proto: netstat.TCP, Family: netstat.IPv4},
			[][]byte{
				cat(le(2), any4, nport(135), any4, nport(0), le(1712)),   // LISTEN
				cat(le(5), lo, nport(49668), lo, nport(49669), le(4242)), // ESTABLISHED
				cat(le(12), lo, nport(1), lo, nport(2), le(0)),           // DELETE_TCB
			},
			[]Row{
				{Socket: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: netip.MustParseAddrPort("0.0.0.0:135"), Remote: netip.MustParseAddrPort("0.0.0.0:0"), State: netstat.Listen}, PID: 1712, Offset: 4},
				{Socket: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: netip.MustParseAddrPort("127.0.0.1:49668"), Remote: netip.MustParseAddrPort("127.0.0.1:49669"), State: netstat.Established}, PID: 4242, Offset: 28},
				{Socket: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: netip.MustParseAddrPort("127.0.0.1:1"), Remote: netip.MustParseAddrPort("127.0.0.1:2"), State: netstat.Close}, PID: 0, Offset: 52},
			},
		},
		{
			"tcp6 owner module",
			Layout{Proto: netstat.TCP, Family: netstat.IPv6, Module: true},
			[][]byte{cat(ll[:], le(9), nport(445), one[:], le(4096), nport(50000), le(11), le(77))},
			[]Row{{Socket: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv6, Local: netip.MustParseAddrPort("[fe80::1%9]:445"), Remote: netip.MustParseAddrPort("[::1]:50000"), State: netstat.TimeWait}, PID: 77, Offset: 8}},
		},
		{
			"udp owner module",
			Layout{Proto: netstat.UDP, Family: netstat.IPv4, Module: true},
			[][]byte{cat(lo, nport(53), le(4808))},
			[]Row{{Socket: netstat.Socket{Proto: netstat.UDP, Family: netstat.IPv4, Local: netip.MustParseAddrPort("127.0.0.1:53"), Remote: netip.MustParseAddrPort("0.0.0.0:0"), State: netstat.Close}, PID: 4808, Offset: 8}},
		},
		{
			"udp6 owner pid",
			Layout{Proto: netstat.UDP, Family: netstat.IPv6},
			[][]byte{cat(one[:], le(0), nport(5353), le(14156))},
			[]Row{{Socket: netstat.Socket{Proto: netstat.UDP, Family: netstat.IPv6, Local: netip.MustParseAddrPort("[::1]:5353"), Remote: netip.MustParseAddrPort("[::]:0"), State: netstat.Close}, PID: 14156, Offset: 4}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeTable(tableBytes(tc.l, tc.rows...), tc.l)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b })); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestDecodeTableErrors(t *testing.T) {
	l := Layout{Proto: netstat.TCP, Family: netstat.IPv4}
	for name, b := range map[string][]byte{
		"empty":     nil,
		"short":     {1, 0, 0, 0, 1, 2},
		"huge":      {0xff, 0xff, 0xff, 0xff},
		"bad state": tableBytes(l, cat(le(13), make([]byte, 20))),
	} {
		if _, err := DecodeTable(b, l); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func FuzzDecodeTable(f *testing.F) {
	f.Add(tableBytes(Layout{Proto: netstat.TCP, Family: netstat.IPv4}, cat(le(5), []byte{127, 0, 0, 1}, nport(1), []byte{127, 0, 0, 1}, nport(2), le(3))), uint8(0))
	f.Add([]byte{1, 0, 0, 0}, uint8(7))
	f.Add(make([]byte, 200), uint8(3))
	f.Fuzz(func(t *testing.T, b []byte, kind uint8) {
		l := Layout{Proto: netstat.TCP, Family: netstat.IPv4, Module: kind&4 != 0}
		if kind&1 != 0 {
			l.Proto = netstat.UDP
		}
		if kind&2 != 0 {
			l.Family = netstat.IPv6
		}
		rows, err := DecodeTable(b, l)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not wrapping ErrMalformed: %v", err)
			}
			return
		}
		for _, r := range rows {
			if r.Socket.Proto != l.Proto || r.Socket.Family != l.Family || r.Offset+4 > len(b) {
				t.Fatalf("bad row %+v", r)
			}
		}
	})
}
