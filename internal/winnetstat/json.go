package winnetstat

import (
	"strconv"

	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/netstat"

	"github.com/netstat-go/netstat/internal/winsource"
)

// KindConnections is the "kind" of --json's document on Windows.
const KindConnections = "windows_connections"

// AppendJSON appends --json's document: the connections o selects, in listing order,
// with numeric endpoints, Windows' state names and the owning PID (and -b's module
// when there is one). Like every netstat-go JSON document it is one line ending in
// LF.
func AppendJSON(b []byte, l *winsource.Listing, o *Options) []byte {
	b = jsonfmt.Open(b, KindConnections)
	b = jsonfmt.AppendKey(b, "connections")
	b = append(b, '[')
	var arr jsonfmt.Array
	for table := 0; table < 4; table++ {
		for i := range l.Snapshot.Inet {
			s := &l.Snapshot.Inet[i]
			if connOrder(s) != table || !Selected(o, s) {
				continue
			}
			b = arr.Next(b)
			b = append(b, `{"proto":`...)
			b = jsonfmt.AppendString(b, protoText(s))
			b = jsonfmt.AppendKey(b, "local_address")
			b = jsonfmt.AppendString(b, s.Local.Addr().String())
			b = jsonfmt.AppendKey(b, "local_port")
			b = strconv.AppendUint(b, uint64(s.Local.Port()), 10)
			if s.Proto == netstat.TCP {
				b = jsonfmt.AppendKey(b, "remote_address")
				b = jsonfmt.AppendString(b, s.Remote.Addr().String())
				b = jsonfmt.AppendKey(b, "remote_port")
				b = strconv.AppendUint(b, uint64(s.Remote.Port()), 10)
				b = jsonfmt.AppendKey(b, "state")
				b = jsonfmt.AppendString(b, StateName(s.State))
			}
			b = jsonfmt.AppendKey(b, "pid")
			b = strconv.AppendInt(b, int64(l.PID(s.Inode)), 10)
			if m, ok := l.Modules[s.Inode]; ok {
				b = jsonfmt.AppendKey(b, "executable")
				b = jsonfmt.AppendString(b, m.Exe)
				if m.Service != "" {
					b = jsonfmt.AppendKey(b, "service")
					b = jsonfmt.AppendString(b, m.Service)
				}
			}
			b = append(b, '}')
		}
	}
	b = append(b, ']')
	return jsonfmt.Close(b)
}
