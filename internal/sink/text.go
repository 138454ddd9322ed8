package sink

import (
	"io"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// Text prints net-tools' tables. Rows are rendered into a reused buffer written in
// chunks, so output streams while the kernel dump is still running and a row costs no
// allocation.
type Text struct {
	w       io.Writer
	o       *textfmt.SocketOptions
	sel     Selection
	names   resolve.Resolver
	program netstat.ProgramLookup
	buf     []byte
}

// NewText returns the text sink writing to w. o is read at each row (not copied);
// names turns numbers into names where o allows it; program returns the process
// holding an inode for the -p column (it is called only with -p).
func NewText(w io.Writer, o *textfmt.SocketOptions, sel Selection, names resolve.Resolver, program netstat.ProgramLookup) *Text {
	return &Text{w: w, o: o, sel: sel, names: names, program: program}
}

// BeginInet implements Rows.
func (t *Text) BeginInet() {
	t.buf = append(t.buf, textfmt.InetHeader(t.o, t.sel.All, t.sel.Listening)...)
}

// Inet implements Rows.
func (t *Text) Inet(s *netstat.Socket) {
	t.buf = textfmt.AppendInetRow(t.buf, s, t.o, t.names, t.program)
	t.maybeFlush()
}

// BeginUnix implements Rows.
func (t *Text) BeginUnix() {
	t.buf = append(t.buf, textfmt.UnixHeader(t.o.Programs, t.sel.All, t.sel.Listening)...)
}

// Unix implements Rows.
func (t *Text) Unix(u *netstat.UnixSocket) {
	t.buf = textfmt.AppendUnixRow(t.buf, u, t.o.Programs, t.program)
	t.maybeFlush()
}

func (t *Text) maybeFlush() {
	if len(t.buf) >= flushAt {
		t.Flush()
	}
}

// Flush implements Rows. Like the rest of the listing's stdout, a write error is left
// to the buffered writer, which reports it when the caller flushes it.
func (t *Text) Flush() {
	if len(t.buf) > 0 {
		t.w.Write(t.buf)
		t.buf = t.buf[:0]
	}
}
