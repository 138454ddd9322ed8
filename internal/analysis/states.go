// Package analysis answers questions about sockets without pipelines: an ss-style filter
// language (parsed into an expression tree that is evaluated per socket), TCP state
// names as ss and netstat spell them, and group-by counts ordered like
// `sort | uniq -c | sort -rn`. Everything here is a pure function of its arguments:
// sockets, names and process tables come in as values, nothing is read.
package analysis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// StateSet is a set of kernel socket states: bit i stands for state i in the numbering
// of netstat.TCPState (1 ESTABLISHED ... 11 CLOSING). UDP, UDP-Lite and raw sockets use
// the same numbers: 1 when connected, 7 (CLOSE) otherwise. As an inet_diag idiag_states
// mask, a StateSet selects exactly these sockets.
type StateSet uint32

// AllStates holds every state a socket can be listed in (ss's "all").
const AllStates StateSet = 1<<(netstat.Closing+1) - 1<<netstat.Established

// Bit returns the set holding only state st.
func Bit(st netstat.TCPState) StateSet { return 1 << st }

// Has reports whether the set holds state st.
func (s StateSet) Has(st netstat.TCPState) bool { return st < 32 && s&(1<<st) != 0 }

// ssStateNames are the state names ss prints in its filter help, indexed by state.
var ssStateNames = [...]string{
	netstat.Established: "established",
	netstat.SynSent:     "syn-sent",
	netstat.SynRecv:     "syn-recv",
	netstat.FinWait1:    "fin-wait-1",
	netstat.FinWait2:    "fin-wait-2",
	netstat.TimeWait:    "time-wait",
	netstat.Close:       "closed",
	netstat.CloseWait:   "close-wait",
	netstat.LastAck:     "last-ack",
	netstat.Listen:      "listening",
	netstat.Closing:     "closing",
}

// stateGroups are ss's names for sets of states (ss.c scan_state).
var stateGroups = map[string]StateSet{
	"all":          AllStates,
	"connected":    AllStates &^ (Bit(netstat.Close) | Bit(netstat.Listen)),
	"synchronized": AllStates &^ (Bit(netstat.Close) | Bit(netstat.Listen) | Bit(netstat.SynSent)),
	"bucket":       Bit(netstat.SynRecv) | Bit(netstat.TimeWait),
	"big":          AllStates &^ (Bit(netstat.SynRecv) | Bit(netstat.TimeWait)),
	// Other spellings ss accepts.
	"close":       Bit(netstat.Close),
	"unconnected": Bit(netstat.Close),
	"syn-rcv":     Bit(netstat.SynRecv),
	// netstat's LISTEN, which ss rejects.
	"listen": Bit(netstat.Listen),
	// The names other tools print for single states: ss's ESTAB and UNCONN, RFC
	// 9293's SYN-RECEIVED (Windows: SYN_RECEIVED), the BSDs' SYN_RCVD, Windows'
	// LISTENING. The rest are spelt like one of the above once "_" is "-".
	"estab":        Bit(netstat.Established),
	"unconn":       Bit(netstat.Close),
	"syn-received": Bit(netstat.SynRecv),
	"syn-rcvd":     Bit(netstat.SynRecv),
}

// ParseState returns the states a name stands for: one state spelt as ss spells it
// (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, closed,
// close-wait, last-ack, listening, closing) or prints it (ESTAB, UNCONN, SYN-RECV,
// ...), as netstat prints it (ESTABLISHED, SYN_RECV, FIN_WAIT1, CLOSE, LISTEN, ...),
// as RFC 9293, the BSDs or Windows name it (CLOSED, SYN-RECEIVED, SYN_RCVD,
// FIN_WAIT_1, LISTENING, ...), or one of ss's groups (all, connected, synchronized,
// bucket, big). Case does not matter, nor "_" against "-".
func ParseState(name string) (StateSet, bool) {
	n := strings.ReplaceAll(strings.ToLower(name), "_", "-")
	if set, ok := stateGroups[n]; ok {
		return set, true
	}
	for st := netstat.Established; st <= netstat.Closing; st++ {
		if n == ssStateNames[st] || n == strings.ReplaceAll(strings.ToLower(st.String()), "_", "-") {
			return Bit(st), true
		}
	}
	return 0, false
}

// StateError reports a state name ParseState does not know.
type StateError struct {
	Name string
}

func (e *StateError) Error() string {
	return fmt.Sprintf("unknown state '%s' (want a TCP state such as established, time-wait, LISTEN or SYN_RCVD, or all, connected, synchronized, bucket, big)", e.Name)
}

// ParseStates returns the union of the states of names (see ParseState).
func ParseStates(names []string) (StateSet, error) {
	var set StateSet
	for _, n := range names {
		s, ok := ParseState(n)
		if !ok {
			return 0, &StateError{Name: n}
		}
		set |= s
	}
	return set, nil
}

// Names returns the states of the set in ss's spelling, in state order.
func (s StateSet) Names() []string {
	var out []string
	for st := netstat.Established; st <= netstat.Closing; st++ {
		if s.Has(st) {
			out = append(out, ssStateNames[st])
		}
	}
	return out
}

// IsUnknownState reports whether name is UNKNOWN (any case): the name netstat and ss
// print for a state number they have no name for. It is no state a filter selects.
func IsUnknownState(name string) bool { return strings.EqualFold(name, "unknown") }

// StateWords lists every word ParseState accepts in its lower-case form, sorted:
// the single states in ss's spelling and the groups and other spellings.
func StateWords() []string {
	words := AllStates.Names()
	for g := range stateGroups {
		words = append(words, g)
	}
	slices.Sort(words)
	return slices.Compact(words)
}
