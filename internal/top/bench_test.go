package top

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/netstat-go/netstat/netstat"
)

// synthetic makes n established TCP connections with tcp_info, at time taken.
func synthetic(n int, taken time.Time, acked uint64) *netstat.Snapshot {
	s := &netstat.Snapshot{Taken: taken, Inet: make([]netstat.Socket, 0, n), Owners: map[uint64][]netstat.Process{}}
	for i := range n {
		l := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 16), byte(i >> 8)}), uint16(20000+i%1000))
		r := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), uint16(30000+i%30000))
		so := netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: l, Remote: r, State: 1, Inode: uint64(i + 1),
			Info: &netstat.TCPInfo{BytesAcked: acked * uint64(i), BytesReceived: acked, RTT: time.Millisecond}}
		s.Inet = append(s.Inet, so)
		s.Owners[uint64(i+1)] = []netstat.Process{{PID: 1000 + i%50, Name: fmt.Sprint("worker", i%50)}}
	}
	return s
}

// BenchmarkRefresh is the model's share of one refresh (diff, rates, sort, lines) at
// n sockets; BenchmarkFrame draws one frame, which should not depend on n.
func BenchmarkRefresh(b *testing.B) {
	for _, n := range []int{200, 10_000, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := New(context.Background(), Config{Source: nil})
			snaps := [2]*netstat.Snapshot{synthetic(n, t0, 1), synthetic(n, t0.Add(time.Second), 2)}
			m.apply(snaps[0])
			b.ResetTimer()
			for i := range b.N {
				s := snaps[(i+1)%2]
				s.Taken = t0.Add(time.Duration(i+1) * time.Second)
				m.apply(s)
			}
		})
	}
}

func BenchmarkFrame(b *testing.B) {
	for _, n := range []int{200, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := New(context.Background(), Config{Source: nil})
			m.width, m.height = 120, 40
			m.apply(synthetic(n, t0, 1))
			m.apply(synthetic(n, t0.Add(time.Second), 2))
			b.ResetTimer()
			for range b.N {
				_ = m.render()
			}
		})
	}
}
