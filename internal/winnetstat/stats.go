package winnetstat

import (
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// The counters -s prints come in /proc/net/snmp's names, so that one renderer serves
// the Windows source and can be checked against Linux's own counters: sections "Ip",
// "Icmp", "IcmpMsg" (InTypeN/OutTypeN per ICMP type), "Tcp", "Udp" for IPv4 and "Ip6",
// "Icmp6", "Tcp6", "Udp6" for IPv6. A counter is found by its name or by its name with
// the section title in front (snmp6's "Ip6InReceives"); one that is missing prints 0.

type statRow struct{ label, counter string }

var ipRows = []statRow{
	{"Packets Received", "InReceives"},
	{"Received Header Errors", "InHdrErrors"},
	{"Received Address Errors", "InAddrErrors"},
	{"Datagrams Forwarded", "ForwDatagrams"},
	{"Unknown Protocols Received", "InUnknownProtos"},
	{"Received Packets Discarded", "InDiscards"},
	{"Received Packets Delivered", "InDelivers"},
	{"Output Requests", "OutRequests"},
	{"Routing Discards", "RoutingDiscards"},
	{"Discarded Output Packets", "OutDiscards"},
	{"Output Packet No Route", "OutNoRoutes"},
	{"Reassembly Required", "ReasmReqds"},
	{"Reassembly Successful", "ReasmOKs"},
	{"Reassembly Failures", "ReasmFails"},
	{"Datagrams Successfully Fragmented", "FragOKs"},
	{"Datagrams Failing Fragmentation", "FragFails"},
	{"Fragments Created", "FragCreates"},
}

var tcpRows = []statRow{
	{"Active Opens", "ActiveOpens"},
	{"Passive Opens", "PassiveOpens"},
	{"Failed Connection Attempts", "AttemptFails"},
	{"Reset Connections", "EstabResets"},
	{"Current Connections", "CurrEstab"},
	{"Segments Received", "InSegs"},
	{"Segments Sent", "OutSegs"},
	{"Segments Retransmitted", "RetransSegs"},
}

var udpRows = []statRow{
	{"Datagrams Received", "InDatagrams"},
	{"No Ports", "NoPorts"},
	{"Receive Errors", "InErrors"},
	{"Datagrams Sent", "OutDatagrams"},
}

// icmpRow is a row of the ICMP tables: an ICMP type, or (type < 0) the Msgs/Errors
// totals named by counter.
type icmpRow struct {
	label   string
	typ     int
	counter string
}

var icmp4Rows = []icmpRow{
	{"Messages", -1, "Msgs"},
	{"Errors", -1, "Errors"},
	{"Destination Unreachable", 3, ""},
	{"Time Exceeded", 11, ""},
	{"Parameter Problems", 12, ""},
	{"Source Quenches", 4, ""},
	{"Redirects", 5, ""},
	{"Echo Replies", 0, ""},
	{"Echos", 8, ""},
	{"Timestamps", 13, ""},
	{"Timestamp Replies", 14, ""},
	{"Address Masks", 17, ""},
	{"Address Mask Replies", 18, ""},
	{"Router Solicitations", 10, ""},
	{"Router Advertisements", 9, ""},
}

var icmp6Rows = []icmpRow{
	{"Messages", -1, "Msgs"},
	{"Errors", -1, "Errors"},
	{"Destination Unreachable", 1, ""},
	{"Packet Too Big", 2, ""},
	{"Time Exceeded", 3, ""},
	{"Parameter Problems", 4, ""},
	{"Echos", 128, ""},
	{"Echo Replies", 129, ""},
	{"MLD Queries", 130, ""},
	{"MLD Reports", 131, ""},
	{"MLD Dones", 132, ""},
	{"Router Solicitations", 133, ""},
	{"Router Advertisements", 134, ""},
	{"Neighbor Solicitations", 135, ""},
	{"Neighbor Advertisements", 136, ""},
	{"Redirects", 137, ""},
	{"Router Renumberings", 138, ""},
}

// lookup finds a counter in the section titled title of secs.
func lookup(secs []netstat.CounterSection, title, name string) uint64 {
	for i := range secs {
		if secs[i].Title != title {
			continue
		}
		for _, c := range secs[i].Counters {
			if c.Name == name || strings.HasPrefix(c.Name, title) && c.Name[len(title):] == name {
				return c.Value
			}
		}
	}
	return 0
}

// StatsProtos are the tables -s prints for o, in Windows' order.
func StatsProtos(o *Options) []Proto {
	if o.HasProto {
		return []Proto{o.Proto}
	}
	return []Proto{ProtoIP, ProtoIPv6, ProtoICMP, ProtoICMPv6, ProtoTCP, ProtoTCPv6, ProtoUDP, ProtoUDPv6}
}

// AppendStats appends -s's tables for protos.
func AppendStats(b []byte, c *source.Counters, protos []Proto) []byte {
	for _, p := range protos {
		switch p {
		case ProtoIP:
			b = appendEqTable(b, "IPv4 Statistics", c.IPv4, "Ip", ipRows, 35)
		case ProtoIPv6:
			b = appendEqTable(b, "IPv6 Statistics", c.IPv6, "Ip6", ipRows, 35)
		case ProtoICMP:
			b = appendICMP(b, "ICMPv4 Statistics", c.IPv4, "Icmp", "IcmpMsg", icmp4Rows)
		case ProtoICMPv6:
			b = appendICMP(b, "ICMPv6 Statistics", c.IPv6, "Icmp6", "Icmp6", icmp6Rows)
		case ProtoTCP:
			b = appendEqTable(b, "TCP Statistics for IPv4", c.IPv4, "Tcp", tcpRows, 36)
		case ProtoTCPv6:
			b = appendEqTable(b, "TCP Statistics for IPv6", c.IPv6, "Tcp6", tcpRows, 36)
		case ProtoUDP:
			b = appendEqTable(b, "UDP Statistics for IPv4", c.IPv4, "Udp", udpRows, 22)
		case ProtoUDPv6:
			b = appendEqTable(b, "UDP Statistics for IPv6", c.IPv6, "Udp6", udpRows, 22)
		}
	}
	return b
}

func appendTitle(b []byte, title string) []byte {
	return append(append(append(b, crlf...), title...), crlf+crlf...)
}

func appendEqTable(b []byte, title string, secs []netstat.CounterSection, sec string, rows []statRow, width int) []byte {
	b = appendTitle(b, title)
	for _, r := range rows {
		b = append(b, "  "...)
		b = appendPadded(b, r.label, width)
		b = append(b, "= "...)
		b = strconv.AppendUint(b, lookup(secs, sec, r.counter), 10)
		b = append(b, crlf...)
	}
	return b
}

func appendICMP(b []byte, title string, secs []netstat.CounterSection, sec, typeSec string, rows []icmpRow) []byte {
	b = appendTitle(b, title)
	b = append(b, "                            Received    Sent"+crlf...)
	for _, r := range rows {
		var in, out uint64
		if r.typ < 0 {
			in = lookup(secs, sec, "In"+r.counter)
			out = lookup(secs, sec, "Out"+r.counter)
		} else {
			t := strconv.Itoa(r.typ)
			in = lookup(secs, typeSec, "InType"+t)
			out = lookup(secs, typeSec, "OutType"+t)
		}
		b = append(b, "  "...)
		b = appendPadded(b, r.label, 26)
		b = appendPadded(b, strconv.FormatUint(in, 10), 12)
		b = strconv.AppendUint(b, out, 10)
		b = append(b, crlf...)
	}
	return b
}
