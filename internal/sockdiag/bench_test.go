package sockdiag

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/netstat-go/netstat/netstat"
)

// capturedMessages returns the socket message payloads of a captured dump.
func capturedMessages(b *testing.B, file string) [][]byte {
	var out [][]byte
	for _, d := range readCapture(b, filepath.Join("testdata", "captured", file+".dump"))[0] {
		for len(d) > 0 {
			h, p, rest, err := SplitMessage(d)
			if err != nil {
				b.Fatal(err)
			}
			if h.Type == TypeSockDiagByFamily {
				out = append(out, p)
			}
			d = rest
		}
	}
	return out
}

// BenchmarkDecodeInetMsg decodes one socket message and converts it to a Socket; the
// messages are real TCP replies with struct tcp_info.
func BenchmarkDecodeInetMsg(b *testing.B) {
	msgs := capturedMessages(b, "tcp")
	var m InetMsg
	var s netstat.Socket
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := DecodeInetMsg(msgs[i%len(msgs)], &m); err != nil {
			b.Fatal(err)
		}
		if err := fillSocket(&s, &m, netstat.TCP, true); err != nil {
			b.Fatal(err)
		}
	}
}

// replayConn answers every request with the same datagrams.
type replayConn struct {
	datagrams [][]byte
	next      int
}

func (c *replayConn) Send([]byte) error { c.next = 0; return nil }
func (c *replayConn) Close() error      { return nil }
func (c *replayConn) Receive(buf []byte) (int, error) {
	d := c.datagrams[c.next]
	c.next++
	return copy(buf, d), nil
}

// BenchmarkDecodeDump runs a whole client dump of 10,000 TCP sockets (the captured
// messages repeated, without tcp_info) over a fake connection delivering 32 KiB
// datagrams, as the kernel does: the user-space cost of a dump, per socket.
func BenchmarkDecodeDump(b *testing.B) {
	const sockets = 10000
	var plain [][]byte
	for _, p := range capturedMessages(b, "tcp") {
		var m InetMsg
		if err := DecodeInetMsg(p, &m); err != nil {
			b.Fatal(err)
		}
		if netstat.TCPState(m.State) != netstat.Listen { // keep the listener index small
			plain = append(plain, nlmsg(TypeSockDiagByFamily, 2, 1, p[:inetMsgLen]))
		}
	}
	var datagrams [][]byte
	var cur []byte
	for i := range sockets {
		msg := plain[i%len(plain)]
		if len(cur)+len(msg) > 32<<10 {
			datagrams = append(datagrams, cur)
			cur = nil
		}
		cur = append(cur, msg...)
	}
	datagrams = append(datagrams, append(cur, doneMsg(1, 0)...))
	conn := &replayConn{datagrams: datagrams}
	c := NewClient(func() (Conn, error) { return conn, nil })
	ctx := context.Background()
	rows := 0
	b.ReportAllocs()
	for b.Loop() {
		c.seq = 0 // the replayed replies carry sequence number 1
		if err := c.InetSockets(ctx, netstat.TCP, netstat.IPv4, Options{}, func(*netstat.Socket) error {
			rows++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/socket")
}
