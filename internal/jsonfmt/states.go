package jsonfmt

import (
	"github.com/netstat-go/netstat/internal/analysis"
)

// AppendStates appends a whole "states" document (`netstat states --json`): the count
// of TCP sockets per state for the families counted ("inet", "inet6"), and the
// patterns the counts reach with their thresholds.
func AppendStates(b []byte, families []string, c *analysis.StateCounts) []byte {
	b = Open(b, KindStates)
	b = AppendKey(b, "families")
	b = appendStrings(b, families)
	b = AppendKey(b, "total")
	b = appendUint(b, c.Total())
	b = AppendKey(b, "counts")
	b = append(b, '{')
	for i := range c {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, analysis.StateCountName(i))
		b = append(b, ':')
		b = appendUint(b, c[i])
	}
	b = append(b, '}')
	b = AppendKey(b, "thresholds")
	b = append(b, `{"SYN_RECV":`...)
	b = appendUint(b, analysis.SynRecvThreshold)
	b = append(b, `,"CLOSE_WAIT":`...)
	b = appendUint(b, analysis.CloseWaitThreshold)
	b = append(b, `,"TIME_WAIT":`...)
	b = appendUint(b, analysis.TimeWaitThreshold)
	b = append(b, '}')
	b = AppendKey(b, "findings")
	b = append(b, '[')
	for i, f := range analysis.StateFindings(c) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"pattern":`...)
		b = AppendString(b, f.Pattern)
		b = AppendKey(b, "state")
		b = AppendString(b, f.State)
		b = AppendKey(b, "count")
		b = appendUint(b, f.Count)
		b = AppendKey(b, "threshold")
		b = appendUint(b, f.Threshold)
		b = AppendKey(b, "message")
		b = AppendString(b, f.Message)
		b = AppendKey(b, "command")
		b = AppendString(b, f.Command)
		b = append(b, '}')
	}
	b = append(b, ']')
	return Close(b)
}
