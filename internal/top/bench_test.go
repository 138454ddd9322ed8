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

// records makes the records a stream of snap would.
func records(snap *netstat.Snapshot) []record {
	recs := make([]record, len(snap.Inet))
	for i := range snap.Inet {
		recs[i].set(&snap.Inet[i])
	}
	return recs
}

// refreshWith applies records as a stream's chunks would (without the owner
// look-up).
func (m *Model) refreshWith(recs []record, taken time.Time) {
	m.beginApply()
	for len(recs) > 0 {
		n := min(len(recs), chunkLen)
		m.applyChunk(recs[:n])
		recs = recs[n:]
	}
	m.endApply(taken, true)
	m.rebuild()
}

// BenchmarkRefresh is the model's share of one refresh (diff, rates, sort, lines) at
// n sockets; BenchmarkFrame draws one frame, which should not depend on n.
func BenchmarkRefresh(b *testing.B) {
	for _, n := range []int{200, 10_000, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := New(context.Background(), Config{Source: nil})
			bufs := [2][]record{records(synthetic(n, t0, 1)), records(synthetic(n, t0, 2))}
			m.refreshWith(bufs[0], t0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				m.refreshWith(bufs[(i+1)%2], t0.Add(time.Duration(i+1)*time.Second))
			}
		})
	}
}

func BenchmarkFrame(b *testing.B) {
	for _, n := range []int{200, 200_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := New(context.Background(), Config{Source: nil})
			m.width, m.height = 120, 40
			m.refreshWith(records(synthetic(n, t0, 1)), t0)
			m.refreshWith(records(synthetic(n, t0, 2)), t0.Add(time.Second))
			b.ResetTimer()
			for range b.N {
				_ = m.render()
			}
		})
	}
}
