package sink

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/netstat"
)

// Count groups the rows of a listing by the --count keys and, at the end of the
// iteration, hands the groups to its output the way `sort | uniq -c | sort -rn | head
// -N` would print them. Only Internet sockets are counted; no headers are printed.
type Count struct {
	keys    []analysis.Key
	top     int
	text    analysis.KeyText
	out     func(groups []analysis.Group, total int)
	counter analysis.Counter
	fields  []string
}

// NewCount returns the count sink for keys, keeping the top groups (0: all). text
// turns a key of a row into its text; out receives the groups in printing order and
// the number of rows counted, once, at End.
func NewCount(keys []analysis.Key, top int, text analysis.KeyText, out func(groups []analysis.Group, total int)) *Count {
	return &Count{keys: keys, top: top, text: text, out: out}
}

// BeginInet implements Rows.
func (cs *Count) BeginInet() {}

// Inet implements Rows: it counts s.
func (cs *Count) Inet(s *netstat.Socket) {
	cs.fields = cs.text.Append(cs.fields[:0], cs.keys, s)
	cs.counter.Add(cs.fields)
}

// BeginUnix implements Rows.
func (cs *Count) BeginUnix() {}

// Unix implements Rows: unix sockets are not counted.
func (cs *Count) Unix(*netstat.UnixSocket) {}

// Flush implements Rows; nothing is printed before End.
func (cs *Count) Flush() {}

// End implements Ender: it hands the counted groups, --top applied, to the output.
func (cs *Count) End() { cs.out(cs.counter.Groups(cs.top), cs.counter.Total()) }
