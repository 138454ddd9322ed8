package procfd_test

import (
	"io/fs"
	"net/netip"
	"testing"
	"testing/fstest"

	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// BenchmarkRowPrograms renders a -tanp row whose owner comes from a scanned Owners:
// the look-up and textfmt's 19-byte column together, as the listing does per row.
func BenchmarkRowPrograms(b *testing.B) {
	proc := fstest.MapFS{
		"123456/cmdline": {Data: []byte("/usr/bin/a-program-name-longer\x00")},
		"123456/fd/3":    {Mode: fs.ModeSymlink | 0o777, Data: []byte("socket:[4242]")},
	}
	o := procfd.Scan(proc)
	s := netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: netip.MustParseAddrPort("10.0.0.1:443"),
		Remote: netip.MustParseAddrPort("192.0.2.77:51234"), State: netstat.Established, Inode: 4242}
	opts := textfmt.SocketOptions{NumericHosts: true, NumericPorts: true, Programs: true}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = textfmt.AppendInetRow(buf[:0], &s, &opts, resolve.Numeric{}, o.Lookup)
	}
}
