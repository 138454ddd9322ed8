package winnetstat

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// windowsStates are the TCP states in the order `netstat states` lists them, with a
// line on what each means.
var windowsStates = []struct {
	st   netstat.TCPState
	what string
}{
	{netstat.Listen, "waiting for connections"},
	{netstat.SynSent, "connect() sent a SYN, waiting for the SYN-ACK"},
	{netstat.SynRecv, "a SYN arrived and was answered, waiting for the final ACK"},
	{netstat.Established, "open: data flows both ways"},
	{netstat.FinWait1, "we closed first and sent a FIN, waiting for its ACK"},
	{netstat.FinWait2, "our FIN was acknowledged, waiting for the peer's FIN"},
	{netstat.CloseWait, "the peer closed; the local program has not closed yet"},
	{netstat.Closing, "both sides closed at once, waiting for the last ACK"},
	{netstat.LastAck, "the peer closed first and we closed too, waiting for the last ACK"},
	{netstat.TimeWait, "we closed first; kept for 2*MSL so late segments die out"},
	{netstat.Close, "closed (DELETE_TCB: being deleted)"},
}

// runStates is `netstat states [STATE...]`: the number of TCP connections in each
// Windows state, with what the state means; state names (Windows' or ss's spelling)
// narrow the report.
func runStates(ctx context.Context, args []string, stdout, stderr io.Writer, env *Env) int {
	var only analysis.StateSet
	for _, a := range args {
		if a == "-h" || a == "--help" || a == "/?" {
			io.WriteString(stdout, "usage: netstat states [STATE...]"+crlf+
				"Counts TCP connections per Windows state (LISTENING, SYN_RECEIVED, ...), with"+crlf+
				"what each state means; STATE names (Windows' or ss's spelling) narrow the report."+crlf)
			return 0
		}
		set, ok := ParseWindowsState(a)
		if !ok {
			fmt.Fprintf(stderr, "netstat states: unknown state %q\r\n", a)
			return 2
		}
		only |= set
	}
	l, err := env.Host.Listing(ctx, source.Query{Protos: []netstat.Proto{netstat.TCP}}, false)
	if err != nil {
		fmt.Fprintf(stderr, "netstat states: reading the connection tables: %v\r\n", err)
		return 1
	}
	_, err = stdout.Write(AppendStates(nil, l.Snapshot, only))
	if err != nil {
		fmt.Fprintf(stderr, "netstat states: %v\r\n", err)
		return 1
	}
	return 0
}

// ParseWindowsState reads a state name as Windows prints it (LISTENING,
// SYN_RECEIVED, FIN_WAIT_1, CLOSED, ...) or as analysis.ParseState knows it.
func ParseWindowsState(name string) (analysis.StateSet, bool) {
	for _, ws := range windowsStates {
		if equalFold(name, StateName(netstat.TCPState(ws.st))) {
			return analysis.Bit(ws.st), true
		}
	}
	return analysis.ParseState(name)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if 'a' <= y && y <= 'z' {
			y -= 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// AppendStates appends the states report for the TCP sockets of snap: one line per
// state (all states when only is 0), the count right-aligned in seven columns, the
// Windows name, and what the state means.
func AppendStates(b []byte, snap *netstat.Snapshot, only analysis.StateSet) []byte {
	var counts [32]int
	total := 0
	for i := range snap.Inet {
		s := &snap.Inet[i]
		if s.Proto != netstat.TCP {
			continue
		}
		st := s.State
		if st == netstat.NewSynRecv {
			st = netstat.SynRecv
		}
		if st < 32 {
			counts[st]++
		}
		total++
	}
	for _, ws := range windowsStates {
		if only != 0 && !only.Has(netstat.TCPState(ws.st)) {
			continue
		}
		b = appendRight(b, strconv.Itoa(counts[ws.st]), 7)
		b = append(b, ' ')
		b = appendPadded(b, StateName(netstat.TCPState(ws.st)), 13)
		b = append(b, ws.what...)
		b = append(b, crlf...)
	}
	b = appendRight(b, strconv.Itoa(total), 7)
	b = append(b, " TCP connections in all"+crlf...)
	return b
}
