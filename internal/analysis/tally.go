package analysis

import "github.com/netstat-go/netstat/netstat"

// tally.go counts TCP sockets per state and names the patterns the counts reach (the
// data of `netstat states`, its JSON and CSV forms, and of any view that watches the
// states): pure functions over values.

// StateCounts is the number of TCP sockets per state: ESTABLISHED … CLOSING at 0 … 10
// (the kernel's state number minus one) and UNKNOWN at 11.
type StateCounts [12]uint64

// Add counts one socket in kernel state st.
func (c *StateCounts) Add(st netstat.TCPState) {
	if st == 0 || st > netstat.Closing {
		c[11]++
		return
	}
	c[st-1]++
}

// Total is the number of sockets counted.
func (c *StateCounts) Total() uint64 {
	var n uint64
	for _, v := range c {
		n += v
	}
	return n
}

// StateCountName is the state name of index i of StateCounts.
func StateCountName(i int) string {
	if i >= 0 && i < 11 {
		return netstat.TCPState(i + 1).String()
	}
	return "UNKNOWN"
}

// The counts from which `netstat states` points at a pattern. They are absolute: a
// healthy host has a handful of SYN_RECV sockets at any moment (a SYN+ACK is answered
// within a round trip), CLOSE_WAIT sockets that last are a program that does not
// close them, and TIME_WAIT sockets stay 60 s each, so 5000 of them mean more than 80
// connections closed per second from this side to few peers or ports.
const (
	SynRecvThreshold   = 100
	CloseWaitThreshold = 25
	TimeWaitThreshold  = 5000
)

// StateFinding is a pattern the state counts reach.
type StateFinding struct {
	// Pattern names it: "syn_flood", "close_wait" or "time_wait".
	Pattern   string
	State     string
	Count     uint64
	Threshold uint64
	// Message explains it in one sentence or two; Command is the netstat-go command
	// that shows more.
	Message string
	Command string
}

// The commands the findings suggest.
const (
	SynRecvCommand   = "netstat -tn --state=syn-recv --count=raddr --top=10"
	CloseWaitCommand = "netstat -tn --state=close-wait --count=program"
	TimeWaitCommand  = "netstat -tn --state=time-wait --count=raddr,rport --top=10"
)

// StateFindings returns the patterns c reaches, in the order SYN_RECV, CLOSE_WAIT,
// TIME_WAIT.
func StateFindings(c *StateCounts) []StateFinding {
	var out []StateFinding
	if n := c[netstat.SynRecv-1]; n >= SynRecvThreshold {
		out = append(out, StateFinding{
			Pattern: "syn_flood", State: "SYN_RECV", Count: n, Threshold: SynRecvThreshold,
			Message: "Many half-open connections: SYNs arrive faster than handshakes " +
				"complete. A SYN flood looks like this (often from many or spoofed " +
				"sources), and so does a client whose final ACKs are lost. Count them " +
				"per source:",
			Command: SynRecvCommand,
		})
	}
	if n := c[netstat.CloseWait-1]; n >= CloseWaitThreshold {
		out = append(out, StateFinding{
			Pattern: "close_wait", State: "CLOSE_WAIT", Count: n, Threshold: CloseWaitThreshold,
			Message: "Peers closed these connections but the local application has " +
				"not closed its sockets: usually a program that leaks connections " +
				"(a missing close() on an error path, an exhausted pool). See which " +
				"program holds them:",
			Command: CloseWaitCommand,
		})
	}
	if n := c[netstat.TimeWait-1]; n >= TimeWaitThreshold {
		out = append(out, StateFinding{
			Pattern: "time_wait", State: "TIME_WAIT", Count: n, Threshold: TimeWaitThreshold,
			Message: "Many connections were closed from this side in the last 60 s: " +
				"connection churn on the active-close side (short-lived outgoing " +
				"connections, HTTP without keep-alive). It can exhaust the ephemeral " +
				"ports towards one peer; pooling or keep-alive helps. See the peers:",
			Command: TimeWaitCommand,
		})
	}
	return out
}

// CountStates tallies the TCP sockets of socks (other protocols are skipped).
func CountStates(socks []netstat.Socket) StateCounts {
	var c StateCounts
	for i := range socks {
		if socks[i].Proto == netstat.TCP {
			c.Add(socks[i].State)
		}
	}
	return c
}
