package textfmt

import (
	"net/netip"
	"testing"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// TestSocketRowsAllocateNothing guards the rendering cost of large listings: an IPv4
// row and a unix row are appended without allocating, whatever the columns. (Their
// text is checked against net-tools by the listing's golden and differential tests.)
func TestSocketRowsAllocateNothing(t *testing.T) {
	s := netstat.Socket{
		Proto: netstat.TCP, Family: netstat.IPv4, State: netstat.TimeWait,
		Local:  netip.MustParseAddrPort("127.0.0.1:20000"),
		Remote: netip.MustParseAddrPort("192.168.100.200:65535"),
		RecvQ:  123456, SendQ: 7, UID: 4242, Inode: 987654321,
		Timer: netstat.TimerTimeWait, TimerTicks: 5999,
	}
	u := netstat.UnixSocket{RefCnt: 3, Flags: 1 << 16, Type: netstat.UnixStream,
		State: netstat.UnixUnconnected, HasInode: true, Inode: 123456, Path: "/run/x.sock"}
	// A name past the 19-byte column, so that the cut is measured too.
	owner := netstat.Process{PID: 1234, Name: "a-program-name-longer-than-the-column"}
	prog := func(uint64) *netstat.Process { return &owner }
	buf := make([]byte, 0, 4096)
	for _, o := range []SocketOptions{
		{NumericHosts: true, NumericPorts: true},
		{NumericHosts: true, NumericPorts: true, NumericUsers: true, Extend: true, Programs: true, Timers: true},
		{NumericHosts: true, NumericPorts: true, Wide: true},
	} {
		n := testing.AllocsPerRun(100, func() {
			buf = AppendInetRow(buf[:0], &s, &o, resolve.Numeric{}, prog)
			buf = AppendUnixRow(buf[:0], &u, o.Programs, prog)
		})
		if n != 0 {
			t.Errorf("%+v: %v allocations per row, want 0", o, n)
		}
	}
}
