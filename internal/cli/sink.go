package cli

import (
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// rowSink receives the rows a listing iteration selects, in kernel order. The listing
// decides which tables run and which rows pass; a sink decides what they look like.
type rowSink interface {
	// beginInet starts the Internet table (called even when it will have no rows).
	beginInet()
	inet(s *netstat.Socket)
	// beginUnix starts the unix table, once /proc/net/unix could be read.
	beginUnix()
	unix(u *netstat.UnixSocket)
	// flush writes what the sink holds to stdout.
	flush()
}

// textSink prints net-tools' tables. Rows are rendered into a buffer written in
// chunks, so output streams while the kernel dump is still running.
type textSink struct {
	l   *listing
	buf []byte
}

func (t *textSink) beginInet() {
	c := t.l.c
	t.buf = append(t.buf, textfmt.InetHeader(&t.l.opts, c.All > 0, c.Listening > 0)...)
}

func (t *textSink) inet(s *netstat.Socket) {
	t.buf = textfmt.AppendInetRow(t.buf, s, &t.l.opts, t.l.e.names, t.l.program)
	t.maybeFlush()
}

func (t *textSink) beginUnix() {
	c := t.l.c
	t.buf = append(t.buf, textfmt.UnixHeader(t.l.opts.Programs, c.All > 0, c.Listening > 0)...)
}

func (t *textSink) unix(u *netstat.UnixSocket) {
	t.buf = textfmt.AppendUnixRow(t.buf, u, t.l.opts.Programs, t.l.program)
	t.maybeFlush()
}

func (t *textSink) maybeFlush() {
	if len(t.buf) >= 32*1024 {
		t.flush()
	}
}

func (t *textSink) flush() {
	if len(t.buf) > 0 {
		t.l.e.stdout.Write(t.buf)
		t.buf = t.buf[:0]
	}
}
