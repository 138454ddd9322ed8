package jsonfmt

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// stats.go renders a "statistics" document (netstat -s): the kernel's counters by
// section, selected as net-tools selects its tables, with the kernel's names.

// statsSwitch is the protocol switch that shows a section net-tools knows; sections it
// does not know are always shown.
func statsSwitch(title string, ipv6 bool, sw analysis.StatSwitches) bool {
	if ipv6 {
		switch title {
		case "Ip6", "Icmp6":
			return sw.Raw
		case "Udp6":
			return sw.UDP
		case "Tcp6":
			return sw.TCP
		}
		return true
	}
	switch title {
	case "Ip", "Icmp":
		return sw.Raw
	case "Tcp", "TcpExt":
		return sw.TCP
	case "Udp":
		return sw.UDP
	case "Sctp":
		return sw.SCTP
	}
	return true
}

// StatsIPv4 selects the sections of the IPv4 report (netstat -s, -s -4) as net-tools
// does: secs are those of /proc/net/snmp, /proc/net/netstat and /proc/net/sctp/snmp;
// a known section is kept when its switch is on (-w: Ip, Icmp; -t: Tcp, TcpExt; -u:
// Udp; -S: Sctp), any other section always.
func StatsIPv4(sw analysis.StatSwitches, secs []netstat.CounterSection) []netstat.CounterSection {
	var out []netstat.CounterSection
	for _, s := range secs {
		if statsSwitch(s.Title, false, sw) {
			out = append(out, s)
		}
	}
	return out
}

// StatsIPv6 selects the sections of the IPv6 report (netstat -s -6): those of
// /proc/net/snmp6 (-w: Ip6, Icmp6; -u: Udp6; -t: Tcp6; others always), then the
// sections of /proc/net/snmp whose title starts with "Tcp", selected as in the IPv4
// report (net-tools shows the IPv4 TCP MIB here: there is no IPv6 one).
func StatsIPv6(sw analysis.StatSwitches, snmp6, snmp []netstat.CounterSection) []netstat.CounterSection {
	var out []netstat.CounterSection
	for _, s := range snmp6 {
		if statsSwitch(s.Title, true, sw) {
			out = append(out, s)
		}
	}
	for _, s := range snmp {
		if !strings.HasPrefix(s.Title, "Tcp") {
			continue
		}
		if statsSwitch(s.Title, false, sw) {
			out = append(out, s)
		}
	}
	return out
}

// AppendStatistics appends a whole statistics document for family ("inet" or
// "inet6"). Each section's counters are an object in kernel order; when a malformed
// file repeats a name within a section, the first value is kept.
func AppendStatistics(b []byte, family string, secs []netstat.CounterSection) []byte {
	b = Open(b, KindStatistics)
	b = AppendKey(b, "family")
	b = AppendString(b, family)
	b = AppendKey(b, "sections")
	b = append(b, '[')
	for i := range secs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"title":`...)
		b = AppendString(b, secs[i].Title)
		b = AppendKey(b, "counters")
		b = append(b, '{')
		seen := make(map[string]bool, len(secs[i].Counters))
		for _, c := range secs[i].Counters {
			if seen[c.Name] {
				continue
			}
			if len(seen) > 0 {
				b = append(b, ',')
			}
			seen[c.Name] = true
			b = AppendString(b, c.Name)
			b = append(b, ':')
			b = appendUint(b, c.Value)
		}
		b = append(b, "}}"...)
	}
	b = append(b, ']')
	return Close(b)
}
