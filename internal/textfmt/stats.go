package textfmt

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// stats.go renders netstat -s (§7 of the spec): net-tools' statistics.c run over parsed
// counter sections. Nothing here knows which keys a kernel exports; every counter goes
// through the same lookup, and counters the tables do not know are printed raw.

// StatSwitches are the protocol switches of netstat -s (analysis.StatSwitches).
type StatSwitches = analysis.StatSwitches

// AppendStatsIPv4 appends the IPv4 report (netstat -s, -s -4) to b. secs are the sections
// of /proc/net/snmp, then those of /proc/net/netstat, then the "Sctp" section of
// /proc/net/sctp/snmp, as far as each exists.
func AppendStatsIPv4(b []byte, sw StatSwitches, secs []netstat.CounterSection) []byte {
	p := statPrinter{b: b, sw: sw}
	for i := range secs {
		p.section(ipv4Tables, &secs[i])
	}
	return p.b
}

// AppendStatsIPv6 appends the IPv6 report (netstat -s -6) to b: the sections of
// /proc/net/snmp6, then the sections of /proc/net/snmp whose title starts with "Tcp"
// (there is no IPv6 TCP MIB; net-tools shows the IPv4 one). snmp is nil when
// /proc/net/snmp could not be read.
func AppendStatsIPv6(b []byte, sw StatSwitches, snmp6, snmp []netstat.CounterSection) []byte {
	p := statPrinter{b: b, sw: sw}
	for i := range snmp6 {
		p.section(ipv6Tables, &snmp6[i])
	}
	for i := range snmp {
		if strings.HasPrefix(snmp[i].Title, "Tcp") {
			p.section(ipv4Tables, &snmp[i])
		}
	}
	return p.b
}

// statKind is net-tools' enum State: how an entry prints and the indentation state it
// leaves behind.
type statKind uint8

const (
	statNumber    statKind = iota // printed even when zero
	statOptNumber                 // printed when non-zero
	statForward                   // "Forwarding is %s" (static, never printed)
	statInHist                    // line of the ICMP input histogram
	statOutHist                   // line of the ICMP output histogram
	statRtoAlg                    // "RTO algorithm is %s" (static, never printed)
)

// indent is the indentation of lines printed in, or right after, this kind.
func (k statKind) indent() int {
	switch k {
	case statNumber, statOptNumber, statForward:
		return 4
	case statInHist, statOutHist:
		return 8
	}
	return 0
}

// histTitle is the title a histogram kind prints before its first line.
func (k statKind) histTitle() string {
	switch k {
	case statInHist:
		return "ICMP input histogram:"
	case statOutHist:
		return "ICMP output histogram:"
	}
	return ""
}

// statEntry is one entry of a net-tools table. format has one %llu (%s for two static
// entries); an empty format is never printed. Histogram kinds carry net-tools' I_TITLE.
type statEntry struct {
	key    string
	format string
	kind   statKind
	static bool // I_STATIC: never printed (net-tools' print_static is always 0)
}

// statTable is a known section title, its table and the switch that shows it.
type statTable struct {
	title   string
	entries []statEntry
	on      func(StatSwitches) bool
}

func rawOn(sw StatSwitches) bool  { return sw.Raw }
func tcpOn(sw StatSwitches) bool  { return sw.TCP }
func udpOn(sw StatSwitches) bool  { return sw.UDP }
func sctpOn(sw StatSwitches) bool { return sw.SCTP }

// ipv4Tables is net-tools' snmptabs, used for /proc/net/snmp, /proc/net/netstat and
// /proc/net/sctp/snmp. Read-only.
var ipv4Tables = []statTable{
	{"Ip", ipTab, rawOn},
	{"Icmp", icmpTab, rawOn},
	{"Tcp", tcpTab, tcpOn},
	{"Udp", udpTab, udpOn},
	{"Sctp", sctpTab, sctpOn},
	{"TcpExt", tcpExtTab, tcpOn},
}

// ipv6Tables is net-tools' snmp6tabs, used for /proc/net/snmp6. Read-only.
var ipv6Tables = []statTable{
	{"Ip6", ip6Tab, rawOn},
	{"Icmp6", icmp6Tab, rawOn},
	{"Udp6", udp6Tab, udpOn},
	{"Tcp6", tcpTab, tcpOn},
}

// statPrinter carries net-tools' global state across sections and files.
type statPrinter struct {
	b     []byte
	sw    StatSwitches
	state statKind
}

// section is net-tools' newtable followed by printval for each counter. A known title
// prints only when its switch is on and resets the state; an unknown title always
// prints, leaves the state alone, and all its counters print raw.
func (p *statPrinter) section(tabs []statTable, sec *netstat.CounterSection) {
	var entries []statEntry // nil for an unknown title: nothing is found
	for _, t := range tabs {
		if t.title == sec.Title {
			p.state = statNumber
			if !t.on(p.sw) {
				return
			}
			entries = t.entries
			break
		}
	}
	p.b = append(p.b, sec.Title...)
	p.b = append(p.b, ":\n"...)
	for _, c := range sec.Counters {
		p.value(entries, c.Name, c.Value)
	}
}

// value is net-tools' printval.
func (p *statPrinter) value(tab []statEntry, key string, v uint64) {
	e := statLookup(tab, key)
	if e == nil {
		if v != 0 {
			p.b = statIndent(p.b, p.state.indent())
			p.b = append(p.b, key...)
			p.b = append(p.b, ": "...)
			p.b = strconv.AppendUint(p.b, v, 10)
			p.b = append(p.b, '\n')
		}
		return
	}
	if e.static || e.format == "" {
		return
	}
	kind := e.kind
	if (kind == statInHist || kind == statOutHist) && p.state != kind {
		p.b = statIndent(p.b, p.state.indent())
		p.b = append(p.b, kind.histTitle()...)
		p.b = append(p.b, '\n')
	}
	var text string
	switch kind {
	case statOptNumber, statInHist, statOutHist:
		if v != 0 {
			text = strings.Replace(e.format, "%llu", strconv.FormatUint(v, 10), 1)
		}
	case statNumber:
		text = strings.Replace(e.format, "%llu", strconv.FormatUint(v, 10), 1)
	case statForward: // static, so not reached; kept as in net-tools
		kind = statNumber
		text = strings.Replace(e.format, "%s", "disabled", 1)
		if v == 2 {
			text = strings.Replace(e.format, "%s", "enabled", 1)
		}
	}
	if text != "" {
		p.b = statIndent(p.b, kind.indent())
		p.b = append(p.b, text...)
		p.b = append(p.b, '\n')
	}
	p.state = kind
}

// statLookup is glibc's bsearch(3) with strcmp over tab in its stored order. Some
// net-tools tables are not sorted, so some keys they hold are not found; netstat then
// prints them raw, and so must we.
func statLookup(tab []statEntry, key string) *statEntry {
	lo, hi := 0, len(tab)
	for lo < hi {
		mid := (lo + hi) / 2
		switch c := strings.Compare(key, tab[mid].key); {
		case c < 0:
			hi = mid
		case c > 0:
			lo = mid + 1
		default:
			return &tab[mid]
		}
	}
	return nil
}

func statIndent(b []byte, n int) []byte {
	for range n {
		b = append(b, ' ')
	}
	return b
}

// The tables below are net-tools 2.10's (statistics.c), transcribed in their stored
// order, which is not always sorted: the order decides what bsearch finds. Read-only.
// Note the trailing space of "Icmp6OutRouterAdvertisements ", which makes that entry
// unfindable.

// ipTab is net-tools' Iptab (19 entries), in its stored order.
var ipTab = []statEntry{
	{"DefaultTTL", "Default TTL is %llu", statNumber, true},
	{"Forwarding", "Forwarding is %s", statForward, true},
	{"ForwDatagrams", "%llu forwarded", statNumber, false},
	{"FragCreates", "%llu fragments created", statOptNumber, false},
	{"FragFails", "%llu outgoing packets failed fragmentation", statOptNumber, false},
	{"FragOKs", "%llu outgoing packets fragmented ok", statOptNumber, false},
	{"InAddrErrors", "%llu with invalid addresses", statOptNumber, false},
	{"InDelivers", "%llu incoming packets delivered", statNumber, false},
	{"InDiscards", "%llu incoming packets discarded", statNumber, false},
	{"InHdrErrors", "%llu with invalid headers", statOptNumber, false},
	{"InReceives", "%llu total packets received", statNumber, false},
	{"InUnknownProtos", "%llu with unknown protocol", statOptNumber, false},
	{"OutDiscards", "%llu outgoing packets dropped", statOptNumber, false},
	{"OutNoRoutes", "%llu dropped because of missing route", statOptNumber, false},
	{"OutRequests", "%llu requests sent out", statNumber, false},
	{"ReasmFails", "%llu packet reassemblies failed", statOptNumber, false},
	{"ReasmOKs", "%llu packets reassembled ok", statOptNumber, false},
	{"ReasmReqds", "%llu reassemblies required", statOptNumber, false},
	{"ReasmTimeout", "%llu fragments dropped after timeout", statOptNumber, false},
}

// icmpTab is net-tools' Icmptab (26 entries), in its stored order.
var icmpTab = []statEntry{
	{"InAddrMaskReps", "address mask replies: %llu", statInHist, false},
	{"InAddrMasks", "address mask request: %llu", statInHist, false},
	{"InDestUnreachs", "destination unreachable: %llu", statInHist, false},
	{"InEchoReps", "echo replies: %llu", statInHist, false},
	{"InEchos", "echo requests: %llu", statInHist, false},
	{"InErrors", "%llu input ICMP message failed", statNumber, false},
	{"InMsgs", "%llu ICMP messages received", statNumber, false},
	{"InParmProbs", "wrong parameters: %llu", statInHist, false},
	{"InRedirects", "redirects: %llu", statInHist, false},
	{"InSrcQuenchs", "source quenches: %llu", statInHist, false},
	{"InTimeExcds", "timeout in transit: %llu", statInHist, false},
	{"InTimestampReps", "timestamp reply: %llu", statInHist, false},
	{"InTimestamps", "timestamp request: %llu", statInHist, false},
	{"OutAddrMaskReps", "address mask replies: %llu", statOutHist, false},
	{"OutAddrMasks", "address mask requests: %llu", statOutHist, false},
	{"OutDestUnreachs", "destination unreachable: %llu", statOutHist, false},
	{"OutEchoReps", "echo replies: %llu", statOutHist, false},
	{"OutEchos", "echo requests: %llu", statOutHist, false},
	{"OutErrors", "%llu ICMP messages failed", statNumber, false},
	{"OutMsgs", "%llu ICMP messages sent", statNumber, false},
	{"OutParmProbs", "wrong parameters: %llu", statOutHist, false},
	{"OutRedirects", "redirect: %llu", statOutHist, false},
	{"OutSrcQuenchs", "source quench: %llu", statOutHist, false},
	{"OutTimeExcds", "time exceeded: %llu", statOutHist, false},
	{"OutTimestampReps", "timestamp replies: %llu", statOutHist, false},
	{"OutTimestamps", "timestamp requests: %llu", statOutHist, false},
}

// tcpTab is net-tools' Tcptab (14 entries), in its stored order.
var tcpTab = []statEntry{
	{"ActiveOpens", "%llu active connection openings", statNumber, false},
	{"AttemptFails", "%llu failed connection attempts", statNumber, false},
	{"CurrEstab", "%llu connections established", statNumber, false},
	{"EstabResets", "%llu connection resets received", statNumber, false},
	{"InErrs", "%llu bad segments received", statNumber, false},
	{"InSegs", "%llu segments received", statNumber, false},
	{"MaxConn", "", statNumber, false},
	{"OutRsts", "%llu resets sent", statNumber, false},
	{"OutSegs", "%llu segments sent out", statNumber, false},
	{"PassiveOpens", "%llu passive connection openings", statNumber, false},
	{"RetransSegs", "%llu segments retransmitted", statNumber, false},
	{"RtoAlgorithm", "RTO algorithm is %s", statRtoAlg, true},
	{"RtoMax", "", statNumber, false},
	{"RtoMin", "", statNumber, false},
}

// udpTab is net-tools' Udptab (6 entries), in its stored order.
var udpTab = []statEntry{
	{"InDatagrams", "%llu packets received", statNumber, false},
	{"InErrors", "%llu packet receive errors", statNumber, false},
	{"NoPorts", "%llu packets to unknown port received", statNumber, false},
	{"OutDatagrams", "%llu packets sent", statNumber, false},
	{"RcvbufErrors", "%llu receive buffer errors", statNumber, false},
	{"SndbufErrors", "%llu send buffer errors", statNumber, false},
}

// sctpTab is net-tools' Sctptab (17 entries), in its stored order.
var sctpTab = []statEntry{
	{"SctpAborteds", "%llu Number of Aborteds ", statNumber, false},
	{"SctpActiveEstabs", "%llu Active Associations", statNumber, false},
	{"SctpChecksumErrors", "%llu Number of Packets with invalid Checksum", statNumber, false},
	{"SctpCurrEstab", "%llu Current Associations", statNumber, false},
	{"SctpFragUsrMsgs", "%llu Number of messages fragmented", statNumber, false},
	{"SctpInCtrlChunks", "%llu Number of control chunks received", statNumber, false},
	{"SctpInOrderChunks", "%llu Number of ordered chunks received", statNumber, false},
	{"SctpInSCTPPacks", "%llu Number of SCTP packets received", statNumber, false},
	{"SctpInUnorderChunks", "%llu Number of Unordered chunks received", statNumber, false},
	{"SctpOutCtrlChunks", "%llu Number of control chunks sent", statNumber, false},
	{"SctpOutOfBlues", "%llu Number of Out of Blue packets", statNumber, false},
	{"SctpOutOrderChunks", "%llu Number of ordered chunks sent", statNumber, false},
	{"SctpOutSCTPPacks", "%llu Number of SCTP packets sent", statNumber, false},
	{"SctpOutUnorderChunks", "%llu Number of Unordered chunks sent", statNumber, false},
	{"SctpPassiveEstabs", "%llu Passive Associations", statNumber, false},
	{"SctpReasmUsrMsgs", "%llu Number of messages reassembled ", statNumber, false},
	{"SctpShutdowns", "%llu Number of Graceful Terminations", statNumber, false},
}

// tcpExtTab is net-tools' Tcpexttab (67 entries), in its stored order.
var tcpExtTab = []statEntry{
	{"DelayedACKLocked", "%llu delayed acks further delayed because of locked socket", statOptNumber, false},
	{"DelayedACKLost", "Quick ack mode was activated %llu times", statOptNumber, false},
	{"DelayedACKs", "%llu delayed acks sent", statOptNumber, false},
	{"EmbryonicRsts", "%llu resets received for embryonic SYN_RECV sockets", statOptNumber, false},
	{"ListenDrops", "%llu SYNs to LISTEN sockets dropped", statOptNumber, false},
	{"ListenOverflows", "%llu times the listen queue of a socket overflowed", statOptNumber, false},
	{"LockDroppedIcmps", "%llu ICMP packets dropped because socket was locked", statOptNumber, false},
	{"OfoPruned", "%llu packets dropped from out-of-order queue because of socket buffer overrun", statOptNumber, false},
	{"OutOfWindowIcmps", "%llu ICMP packets dropped because they were out-of-window", statOptNumber, false},
	{"PAWSActive", "%llu active connections rejected because of time stamp", statOptNumber, false},
	{"PAWSEstab", "%llu packets rejected in established connections because of timestamp", statOptNumber, false},
	{"PAWSPassive", "%llu passive connections rejected because of time stamp", statOptNumber, false},
	{"PruneCalled", "%llu packets pruned from receive queue because of socket buffer overrun", statOptNumber, false},
	{"RcvPruned", "%llu packets pruned from receive queue", statOptNumber, false},
	{"SockMallocOOM", "Ran %llu times out of system memory during packet sending", statOptNumber, false},
	{"SyncookiesFailed", "%llu invalid SYN cookies received", statOptNumber, false},
	{"SyncookiesRecv", "%llu SYN cookies received", statOptNumber, false},
	{"SyncookiesSent", "%llu SYN cookies sent", statOptNumber, false},
	{"TCPAbortFailed", "%llu times unable to send RST due to no memory", statOptNumber, false},
	{"TCPAbortOnClose", "%llu connections reset due to early user close", statOptNumber, false},
	{"TCPAbortOnData", "%llu connections reset due to unexpected data", statOptNumber, false},
	{"TCPAbortOnLinger", "%llu connections aborted after user close in linger timeout", statOptNumber, false},
	{"TCPAbortOnMemory", "%llu connections aborted due to memory pressure", statOptNumber, false},
	{"TCPAbortOnSyn", "%llu connections reset due to unexpected SYN", statOptNumber, false},
	{"TCPAbortOnTimeout", "%llu connections aborted due to timeout", statOptNumber, false},
	{"TCPDirectCopyFromBacklog", "%llu bytes directly in process context from backlog", statOptNumber, false},
	{"TCPDirectCopyFromPrequeue", "%llu bytes directly received in process context from prequeue", statOptNumber, false},
	{"TCPDSACKOfoRecv", "%llu DSACKs for out of order packets received", statOptNumber, false},
	{"TCPDSACKOfoSent", "%llu DSACKs sent for out of order packets", statOptNumber, false},
	{"TCPDSACKOldSent", "%llu DSACKs sent for old packets", statOptNumber, false},
	{"TCPDSACKRecv", "%llu DSACKs received", statOptNumber, false},
	{"TCPDSackUndo", "%llu congestion window recovered without slow start using DSACK", statOptNumber, false},
	{"TCPDSACKUndo", "%llu congestion windows recovered without slow start by DSACK", statOptNumber, false},
	{"TCPFACKReorder", "Detected reordering %llu times using FACK", statOptNumber, false},
	{"TCPFastRetrans", "%llu fast retransmits", statOptNumber, false},
	{"TCPForwardRetrans", "%llu forward retransmits", statOptNumber, false},
	{"TCPFullUndo", "%llu congestion windows fully recovered without slow start", statOptNumber, false},
	{"TCPHPAcks", "%llu predicted acknowledgments", statOptNumber, false},
	{"TCPHPHits", "%llu packet headers predicted", statNumber, false},
	{"TCPHPHitsToUser", "%llu packet headers predicted and directly queued to user", statOptNumber, false},
	{"TCPLossFailures", "%llu timeouts in loss state", statOptNumber, false},
	{"TCPLoss", "%llu TCP data loss events", statOptNumber, false},
	{"TCPLossUndo", "%llu congestion windows recovered without slow start after partial ack", statOptNumber, false},
	{"TCPLostRetransmits", "%llu retransmits lost", statOptNumber, false},
	{"TCPMemoryPressures", "TCP ran low on memory %llu times", statOptNumber, false},
	{"TCPPartialUndo", "%llu congestion windows partially recovered using Hoe heuristic", statOptNumber, false},
	{"TCPPrequeued", "%llu packets directly queued to recvmsg prequeue", statOptNumber, false},
	{"TCPPrequeueDropped", "%llu packets dropped from prequeue", statOptNumber, false},
	{"TCPPureAcks", "%llu acknowledgments not containing data payload received", statOptNumber, false},
	{"TCPRcvCollapsed", "%llu packets collapsed in receive queue due to low socket buffer", statOptNumber, false},
	{"TCPRenoFailures", "%llu timeouts after reno fast retransmit", statOptNumber, false},
	{"TCPRenoRecoveryFailed", "%llu reno fast retransmits failed", statOptNumber, false},
	{"TCPRenoRecoveryFail", "%llu classic Reno fast retransmits failed", statOptNumber, false},
	{"TCPRenoRecovery", "%llu times recovered from packet loss due to fast retransmit", statOptNumber, false},
	{"TCPRenoReorder", "Detected reordering %llu times using reno fast retransmit", statOptNumber, false},
	{"TCPSackFailures", "%llu timeouts after SACK recovery", statOptNumber, false},
	{"TCPSackRecoveryFail", "%llu SACK retransmits failed", statOptNumber, false},
	{"TCPSackRecovery", "%llu times recovered from packet loss by selective acknowledgements", statOptNumber, false},
	{"TCPSACKReneging", "%llu bad SACK blocks received", statOptNumber, false},
	{"TCPSACKReorder", "Detected reordering %llu times using SACK", statOptNumber, false},
	{"TCPSchedulerFailed", "%llu times receiver scheduled too late for direct processing", statOptNumber, false},
	{"TCPSlowStartRetrans", "%llu retransmits in slow start", statOptNumber, false},
	{"TCPTimeouts", "%llu other TCP timeouts", statOptNumber, false},
	{"TCPTSReorder", "Detected reordering %llu times using time stamp", statOptNumber, false},
	{"TWKilled", "%llu TCP sockets finished time wait in slow timer", statOptNumber, false},
	{"TW", "%llu TCP sockets finished time wait in fast timer", statOptNumber, false},
	{"TWRecycled", "%llu time wait sockets recycled by time stamp", statOptNumber, false},
}

// ip6Tab is net-tools' Ip6tab (22 entries), in its stored order.
var ip6Tab = []statEntry{
	{"Ip6FragCreates", "%llu fragments created", statOptNumber, false},
	{"Ip6FragFails", "%llu outgoing packets failed fragmentation", statOptNumber, false},
	{"Ip6FragOKs", "%llu outgoing packets fragmented ok", statOptNumber, false},
	{"Ip6InAddrErrors", "%llu with invalid addresses", statOptNumber, false},
	{"Ip6InDelivers", "%llu incoming packets delivered", statNumber, false},
	{"Ip6InDiscards", "%llu incoming packets discarded", statNumber, false},
	{"Ip6InHdrErrors", "%llu with invalid headers", statOptNumber, false},
	{"Ip6InMcastPkts", "%llu incoming multicast packets", statOptNumber, false},
	{"Ip6InNoRoutes", "%llu incoming packets with no route", statOptNumber, false},
	{"Ip6InReceives", "%llu total packets received", statNumber, false},
	{"Ip6InTooBigErrors", "%llu with packets too big", statOptNumber, false},
	{"Ip6InTruncatedPkts", "%llu with truncated packets", statOptNumber, false},
	{"Ip6InUnknownProtos", "%llu with unknown protocol", statOptNumber, false},
	{"Ip6OutDiscards", "%llu outgoing packets dropped", statOptNumber, false},
	{"Ip6OutForwDatagrams", "%llu forwarded", statNumber, false},
	{"Ip6OutMcastPkts", "%llu outgoing multicast packets", statOptNumber, false},
	{"Ip6OutNoRoutes", "%llu dropped because of missing route", statOptNumber, false},
	{"Ip6OutRequests", "%llu requests sent out", statNumber, false},
	{"Ip6ReasmFails", "%llu packet reassemblies failed", statOptNumber, false},
	{"Ip6ReasmOKs", "%llu packets reassembled ok", statOptNumber, false},
	{"Ip6ReasmReqds", "%llu reassemblies required", statOptNumber, false},
	{"Ip6ReasmTimeout", "%llu fragments dropped after timeout", statOptNumber, false},
}

// icmp6Tab is net-tools' Icmp6tab (31 entries), in its stored order.
var icmp6Tab = []statEntry{
	{"Icmp6InDestUnreachs", "destination unreachable: %llu", statInHist, false},
	{"Icmp6InEchoReplies", "echo replies: %llu", statInHist, false},
	{"Icmp6InEchos", "echo requests: %llu", statInHist, false},
	{"Icmp6InErrors", "%llu input ICMP message failed", statNumber, false},
	{"Icmp6InGroupMembQueries", "group member queries: %llu", statInHist, false},
	{"Icmp6InGroupMembReductions", "group member reductions: %llu", statInHist, false},
	{"Icmp6InGroupMembResponses", "group member responses: %llu", statInHist, false},
	{"Icmp6InMsgs", "%llu ICMP messages received", statNumber, false},
	{"Icmp6InNeighborAdvertisements", "neighbour advertisement: %llu", statInHist, false},
	{"Icmp6InNeighborSolicits", "neighbour solicits: %llu", statInHist, false},
	{"Icmp6InParmProblems", "parameter problem: %llu", statInHist, false},
	{"Icmp6InPktTooBigs", "packets too big: %llu", statInHist, false},
	{"Icmp6InRedirects", "redirects: %llu", statInHist, false},
	{"Icmp6InRouterAdvertisements", "router advertisement: %llu", statInHist, false},
	{"Icmp6InRouterSolicits", "router solicits: %llu", statInHist, false},
	{"Icmp6InTimeExcds", "received ICMPv6 time exceeded: %llu", statInHist, false},
	{"Icmp6OutDestUnreachs", "destination unreachable: %llu", statOutHist, false},
	{"Icmp6OutEchoReplies", "echo replies: %llu", statOutHist, false},
	{"Icmp6OutEchos", "echo requests: %llu", statOutHist, false},
	{"Icmp6OutGroupMembQueries", "group member queries: %llu", statOutHist, false},
	{"Icmp6OutGroupMembReductions", "group member reductions: %llu", statOutHist, false},
	{"Icmp6OutGroupMembResponses", "group member responses: %llu", statOutHist, false},
	{"Icmp6OutMsgs", "%llu ICMP messages sent", statNumber, false},
	{"Icmp6OutNeighborAdvertisements", "neighbor advertisements: %llu", statOutHist, false},
	{"Icmp6OutNeighborSolicits", "neighbor solicits: %llu", statOutHist, false},
	{"Icmp6OutParmProblems", "parameter problem: %llu", statOutHist, false},
	{"Icmp6OutPktTooBigs", "packets too big: %llu", statOutHist, false},
	{"Icmp6OutRedirects", "redirects: %llu", statOutHist, false},
	{"Icmp6OutRouterAdvertisements ", "router advertisement: %llu", statOutHist, false},
	{"Icmp6OutRouterSolicits", "router solicits: %llu", statOutHist, false},
	{"Icmp6OutTimeExcds", "sent ICMPv6 time exceeded: %llu", statOutHist, false},
}

// udp6Tab is net-tools' Udp6tab (4 entries), in its stored order.
var udp6Tab = []statEntry{
	{"Udp6InDatagrams", "%llu packets received", statNumber, false},
	{"Udp6InErrors", "%llu packet receive errors", statNumber, false},
	{"Udp6NoPorts", "%llu packets to unknown port received", statNumber, false},
	{"Udp6OutDatagrams", "%llu packets sent", statNumber, false},
}
