package winsource

import (
	"strconv"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// The DWORD fields of the IP Helper statistics structures, named as /proc/net/snmp
// names the same MIB-II counters (RFC 4293, 4022, 4113), so that winnetstat's -s
// renderer reads them the way it reads Linux's.
var (
	// IPStatsNames are MIB_IPSTATS's fields.
	IPStatsNames = []string{"Forwarding", "DefaultTTL", "InReceives", "InHdrErrors",
		"InAddrErrors", "ForwDatagrams", "InUnknownProtos", "InDiscards", "InDelivers",
		"OutRequests", "RoutingDiscards", "OutDiscards", "OutNoRoutes", "ReasmTimeout",
		"ReasmReqds", "ReasmOKs", "ReasmFails", "FragOKs", "FragFails", "FragCreates",
		"NumIf", "NumAddr", "NumRoutes"}
	// TCPStatsNames are MIB_TCPSTATS's fields.
	TCPStatsNames = []string{"RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens",
		"PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab", "InSegs", "OutSegs",
		"RetransSegs", "InErrs", "OutRsts", "NumConns"}
	// UDPStatsNames are MIB_UDPSTATS's fields.
	UDPStatsNames = []string{"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "NumAddrs"}
)

// ICMPStatsDWORDs is the size of MIB_ICMP_EX in DWORDs: for input, then output,
// dwMsgs, dwErrors and rgdwTypeCount[256].
const ICMPStatsDWORDs = 2 * (2 + 256)

func named(title string, names []string, v []uint32) netstat.CounterSection {
	s := netstat.CounterSection{Title: title, Counters: make([]netstat.Counter, 0, len(names))}
	for i, n := range names {
		if i < len(v) {
			s.Counters = append(s.Counters, netstat.Counter{Name: n, Value: uint64(v[i])})
		}
	}
	return s
}

// icmpSections splits MIB_ICMP_EX into the totals ("Icmp": InMsgs, InErrors, OutMsgs,
// OutErrors) and the per-type counts (InTypeN, OutTypeN for every type either way
// saw), in section typeTitle (Linux's "IcmpMsg" for IPv4; "Icmp6" for IPv6, where
// Linux keeps them with the totals).
func icmpSections(title, typeTitle string, v []uint32) []netstat.CounterSection {
	if len(v) < ICMPStatsDWORDs {
		return nil
	}
	in, out := v[:258], v[258:516]
	tot := netstat.CounterSection{Title: title, Counters: []netstat.Counter{
		{Name: "InMsgs", Value: uint64(in[0])}, {Name: "InErrors", Value: uint64(in[1])},
		{Name: "OutMsgs", Value: uint64(out[0])}, {Name: "OutErrors", Value: uint64(out[1])},
	}}
	types := netstat.CounterSection{Title: typeTitle}
	for t := 0; t < 256; t++ {
		if in[2+t] == 0 && out[2+t] == 0 {
			continue
		}
		n := strconv.Itoa(t)
		types.Counters = append(types.Counters,
			netstat.Counter{Name: "InType" + n, Value: uint64(in[2+t])},
			netstat.Counter{Name: "OutType" + n, Value: uint64(out[2+t])})
	}
	if typeTitle == title {
		tot.Counters = append(tot.Counters, types.Counters...)
		return []netstat.CounterSection{tot}
	}
	return []netstat.CounterSection{tot, types}
}

// Stats are the decoded statistics structures of one address family; a nil slice is
// a call that failed (its section is left out).
type Stats struct {
	IP, ICMP, TCP, UDP []uint32
}

// BuildCounters names the statistics of both families: sections Ip, Icmp, IcmpMsg,
// Tcp, Udp for IPv4 and Ip6, Icmp6, Tcp6, Udp6 for IPv6.
func BuildCounters(v4, v6 Stats) *source.Counters {
	c := &source.Counters{}
	build := func(st Stats, ip, icmp, icmpTypes, tcp, udp string) []netstat.CounterSection {
		var secs []netstat.CounterSection
		if st.IP != nil {
			secs = append(secs, named(ip, IPStatsNames, st.IP))
		}
		secs = append(secs, icmpSections(icmp, icmpTypes, st.ICMP)...)
		if st.TCP != nil {
			secs = append(secs, named(tcp, TCPStatsNames, st.TCP))
		}
		if st.UDP != nil {
			secs = append(secs, named(udp, UDPStatsNames, st.UDP))
		}
		return secs
	}
	c.IPv4 = build(v4, "Ip", "Icmp", "IcmpMsg", "Tcp", "Udp")
	c.IPv6 = build(v6, "Ip6", "Icmp6", "Icmp6", "Tcp6", "Udp6")
	return c
}
