package textfmt

import (
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/analysis"
)

// states.go is the text of `netstat states`: what each TCP state means and how a
// connection moves through them (StatesGuide), and the live count per state with the
// patterns worth a look (AppendStatesReport; the tally and the findings are
// analysis.StateCounts and analysis.StateFindings). netstat-go's own subcommand:
// net-tools has nothing to match.

// StateEntry returns the paragraph of StatesGuide that explains the state netstat
// names name (such as "CLOSE_WAIT"), newline included, or "" for a name the guide
// does not explain.
func StateEntry(name string) string {
	start := strings.Index(StatesGuide, "\n"+name+" ")
	if name == "" || start < 0 {
		return ""
	}
	start++
	end := start
	for {
		nl := strings.IndexByte(StatesGuide[end:], '\n')
		if nl < 0 {
			return StatesGuide[start:]
		}
		end += nl + 1
		// The paragraph goes on while lines are indented.
		if !strings.HasPrefix(StatesGuide[end:], " ") {
			return StatesGuide[start:end]
		}
	}
}

// StatesGuide explains the TCP states netstat prints, the handshake and teardown, and
// TIME_WAIT's length. Plain ASCII, lines of at most 79 bytes.
const StatesGuide = `TCP connection states, as netstat prints them (RFC 9293 section 3.3.2)

ESTABLISHED  The connection is open and data flows both ways. The client gets
             here when the server's SYN+ACK arrives, the server when the
             client's ACK of it arrives.
SYN_SENT     connect() sent a SYN and waits for the SYN+ACK. Client side
             (active open). Many of them: the peer is down, filtered or slow.
SYN_RECV     A SYN arrived on a listening port and was answered with SYN+ACK;
             the final ACK is awaited. Server side (passive open): Linux keeps
             these as request sockets in the listener's SYN queue, with the
             listener's uid but no inode (so -p shows no program). Both sides
             pass through it in a simultaneous open.
FIN_WAIT1    The application closed first (close() or shutdown()); our FIN is
             sent and not yet acknowledged. Active-close side.
FIN_WAIT2    Our FIN was acknowledged; we wait for the peer's FIN.
             Active-close side. An orphaned socket (the application already
             closed it) is dropped after net.ipv4.tcp_fin_timeout (60 s by
             default).
TIME_WAIT    Both FINs were sent and acknowledged. The side that closed first
             waits 2*MSL before the address and port pair may carry a new
             connection. Active-close side only.
CLOSE        The socket has no connection: just created, or its connection is
             gone (after a reset, or at the end of LAST_ACK or TIME_WAIT). UDP
             and raw sockets that are not connected have this state too.
CLOSE_WAIT   The peer closed its side: its FIN arrived and was acknowledged,
             and read() returns end of file. The socket stays here until the
             local application calls close(). Passive-close side.
LAST_ACK     The passive-close side closed too and sent its FIN; it waits for
             the ACK of that FIN.
LISTEN       A server socket waiting for connections (listen()); no peer yet.
CLOSING      Simultaneous close: our FIN is not yet acknowledged, but the
             peer's FIN has already arrived.
UNKNOWN      A state number netstat has no name for, such as NEW_SYN_RECV (12)
             or BOUND_INACTIVE (13), which only netlink may report.

The same states as other tools and texts name them (any of these names, after
"netstat states", gives the paragraph above)

  netstat      RFC 9293      ss          BSD, macOS    Windows
  ESTABLISHED  ESTABLISHED   ESTAB       ESTABLISHED   ESTABLISHED
  SYN_SENT     SYN-SENT      SYN-SENT    SYN_SENT      SYN_SENT
  SYN_RECV     SYN-RECEIVED  SYN-RECV    SYN_RCVD      SYN_RECEIVED
  FIN_WAIT1    FIN-WAIT-1    FIN-WAIT-1  FIN_WAIT_1    FIN_WAIT_1
  FIN_WAIT2    FIN-WAIT-2    FIN-WAIT-2  FIN_WAIT_2    FIN_WAIT_2
  TIME_WAIT    TIME-WAIT     TIME-WAIT   TIME_WAIT     TIME_WAIT
  CLOSE        CLOSED        UNCONN      CLOSED        CLOSED
  CLOSE_WAIT   CLOSE-WAIT    CLOSE-WAIT  CLOSE_WAIT    CLOSE_WAIT
  LAST_ACK     LAST-ACK      LAST-ACK    LAST_ACK      LAST_ACK
  LISTEN       LISTEN        LISTEN      LISTEN        LISTENING
  CLOSING      CLOSING       CLOSING     CLOSING       CLOSING
  UNKNOWN      -             UNKNOWN     -             -

Three-way handshake (opening)

  client                                   server
  CLOSE                                    LISTEN        listen()
  SYN_SENT      connect()  ---- SYN ---->  SYN_RECV
  ESTABLISHED             <-- SYN+ACK --
                           ---- ACK ---->  ESTABLISHED   accept() returns it

Four-way teardown (either side may close first)

  active closer                            passive closer
  ESTABLISHED                              ESTABLISHED
  FIN_WAIT1     close()    ---- FIN ---->  CLOSE_WAIT    read() returns 0
  FIN_WAIT2               <---- ACK ----
                          <---- FIN ----   LAST_ACK      close()
  TIME_WAIT                ---- ACK ---->  CLOSE
  CLOSE         after 2*MSL

When the peer's application closes at once, its FIN travels with the ACK
and FIN_WAIT2 is skipped.

Simultaneous open: both sides send a SYN from SYN_SENT. Each receives the
other's SYN, moves to SYN_RECV and answers SYN+ACK; the two ACKs take both to
ESTABLISHED. It is rare (peer-to-peer hole punching, a connect() to one's own
ephemeral port).

Simultaneous close: both sides send a FIN from ESTABLISHED (FIN_WAIT1). Each
receives the other's FIN before the ACK of its own and moves to CLOSING; the
ACKs take both to TIME_WAIT.

Why TIME_WAIT lasts 2*MSL. MSL, the maximum segment lifetime, bounds how long
a segment can survive in the network. Waiting twice that long (1) keeps the
connection's state so that a retransmitted FIN, sent because our last ACK was
lost, is answered with an ACK again instead of a reset, and (2) lets every
delayed segment of this connection die out, in both directions, before the
same addresses and ports can open a new connection that might accept them.
Linux does not measure MSL: the wait is fixed at 60 s (TCP_TIMEWAIT_LEN), and
no sysctl changes it. net.ipv4.tcp_tw_reuse lets new outgoing connections
reuse a TIME_WAIT port when TCP timestamps make it safe.
`

// AppendStatesReport appends the live part of `netstat states`: the count per state
// of the TCP sockets of families (e.g. "IPv4 and IPv6"), then the findings.
func AppendStatesReport(b []byte, c *analysis.StateCounts, families string) []byte {
	b = append(b, "TCP sockets now ("...)
	b = append(b, families...)
	b = append(b, "): "...)
	b = strconv.AppendUint(b, c.Total(), 10)
	b = append(b, "\n\n"...)
	for i := range c {
		b = append(b, "  "...)
		b = padRight(b, analysis.StateCountName(i), 12)
		b = padLeft(b, strconv.FormatUint(c[i], 10), 8)
		b = append(b, '\n')
	}
	b = append(b, "\nPatterns checked: SYN_RECV >= "...)
	b = strconv.AppendUint(b, analysis.SynRecvThreshold, 10)
	b = append(b, ", CLOSE_WAIT >= "...)
	b = strconv.AppendUint(b, analysis.CloseWaitThreshold, 10)
	b = append(b, ", TIME_WAIT >= "...)
	b = strconv.AppendUint(b, analysis.TimeWaitThreshold, 10)
	b = append(b, ".\n"...)
	findings := analysis.StateFindings(c)
	if len(findings) == 0 {
		return append(b, "None reached.\n"...)
	}
	for _, f := range findings {
		b = append(b, '\n')
		b = append(b, f.State...)
		b = append(b, ": "...)
		b = strconv.AppendUint(b, f.Count, 10)
		b = append(b, " (threshold "...)
		b = strconv.AppendUint(b, f.Threshold, 10)
		b = append(b, ")\n"...)
		b = appendWrapped(b, f.Message, "  ", 78)
		b = append(b, "    "...)
		b = append(b, f.Command...)
		b = append(b, '\n')
	}
	return b
}

// appendWrapped appends text as lines of at most width bytes (words longer than that
// stay whole), each starting with indent.
func appendWrapped(b []byte, text, indent string, width int) []byte {
	line := len(b)
	b = append(b, indent...)
	start := true
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && text[j] != ' ' {
			j++
		}
		word := text[i:j]
		if !start && len(b)-line+1+len(word) > width {
			b = append(b, '\n')
			line = len(b)
			b = append(b, indent...)
			start = true
		}
		if !start {
			b = append(b, ' ')
		}
		b = append(b, word...)
		start = false
		i = j
		for i < len(text) && text[i] == ' ' {
			i++
		}
	}
	return append(b, '\n')
}
