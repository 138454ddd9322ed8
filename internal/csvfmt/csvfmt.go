// Package csvfmt builds the records of netstat-go's CSV output: one header record and
// one record per row for each table, with the field names and values of the JSON
// schema (docs/json-schema.json; the CSV tables are described in docs/csv.md).
// Nested JSON values are flattened: lists become space-separated names, a missing or
// null value an empty field. Builders are pure; the caller writes the records with
// encoding/csv (RFC 4180).
package csvfmt

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"net/netip"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

func u64(v uint64) string { return strconv.FormatUint(v, 10) }

func i64(v int64) string { return strconv.FormatInt(v, 10) }

func addr(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return resolve.NumericHost(a)
}

// name is a looked-up name, or "" for none.
func name(s string, ok bool) string {
	if !ok {
		return ""
	}
	return s
}

// InetHeader is the header of the Internet socket table; the name, -p and -o columns
// appear as their JSON fields do.
func InetHeader(o *jsonfmt.SocketOptions) []string {
	h := []string{"proto", "family", "recv_q", "send_q", "local_address", "local_port",
		"remote_address", "remote_port"}
	if o.HostNames {
		h = append(h, "local_host", "remote_host")
	}
	if o.PortNames {
		h = append(h, "local_service", "remote_service")
	}
	h = append(h, "state", "uid")
	if o.UserNames {
		h = append(h, "user")
	}
	h = append(h, "inode")
	if o.Programs {
		h = append(h, "pid", "program")
	}
	if o.Timers {
		h = append(h, "timer", "timer_code", "timer_expires_ms", "retransmits", "probes")
	}
	return h
}

// InetRecord appends the record of one Internet socket to rec[:0] and returns it.
func InetRecord(rec []string, s *netstat.Socket, o *jsonfmt.SocketOptions, r resolve.Resolver, prog netstat.ProgramLookup) []string {
	rec = append(rec[:0], s.Proto.String(), jsonfmt.FamilyName(s.Family), u64(s.RecvQ), u64(s.SendQ),
		addr(s.Local.Addr()), u64(uint64(s.Local.Port())), addr(s.Remote.Addr()), u64(uint64(s.Remote.Port())))
	if o.HostNames {
		rec = append(rec, name(jsonfmt.HostName(s.Local.Addr(), r)), name(jsonfmt.HostName(s.Remote.Addr(), r)))
	}
	if o.PortNames {
		svc := s.Proto.ServiceProto()
		rec = append(rec, name(jsonfmt.ServiceName(s.Local.Port(), svc, r)),
			name(jsonfmt.ServiceName(s.Remote.Port(), svc, r)))
	}
	rec = append(rec, jsonfmt.StateName(s.State), u64(uint64(s.UID)))
	if o.UserNames {
		rec = append(rec, name(r.UserName(s.UID)))
	}
	rec = append(rec, u64(s.Inode))
	if o.Programs {
		rec = appendProgram(rec, prog, s.Inode, true)
	}
	if o.Timers {
		rec = append(rec, jsonfmt.TimerKind(s.Proto, s.Timer), u64(uint64(s.Timer)), u64(s.TimerTicks*10),
			u64(uint64(s.Retransmits)), i64(int64(int32(s.Probes))))
	}
	return rec
}

func appendProgram(rec []string, prog netstat.ProgramLookup, inode uint64, known bool) []string {
	if known && prog != nil {
		if p := prog(inode); p != nil {
			return append(rec, strconv.Itoa(p.PID), p.Name)
		}
	}
	return append(rec, "", "")
}

// UnixHeader is the header of the unix socket table.
func UnixHeader(programs bool) []string {
	h := []string{"proto", "refcnt", "flags", "type", "state", "inode"}
	if programs {
		h = append(h, "pid", "program")
	}
	return append(h, "path")
}

// UnixRecord appends the record of one unix socket to rec[:0] and returns it.
func UnixRecord(rec []string, u *netstat.UnixSocket, programs bool, prog netstat.ProgramLookup) []string {
	inode := ""
	if u.HasInode {
		inode = u64(u.Inode)
	}
	rec = append(rec[:0], "unix", u64(u.RefCnt), strings.Join(jsonfmt.UnixFlagNames(u.Flags), " "),
		u.Type.String(), u.StateName(), inode)
	if programs {
		rec = appendProgram(rec, prog, u.Inode, u.HasInode)
	}
	return append(rec, u.Path)
}

// GroupHeader is the header of the multicast group table; names adds group_host.
func GroupHeader(names bool) []string {
	h := []string{"family", "interface", "users", "group"}
	if names {
		h = append(h, "group_host")
	}
	return h
}

// GroupRecord appends the record of one membership to rec[:0] and returns it.
func GroupRecord(rec []string, m *netstat.Membership, names bool, r resolve.Resolver) []string {
	rec = append(rec[:0], jsonfmt.FamilyName(m.Family), m.Iface, i64(int64(m.Users)), addr(m.Group))
	if names {
		rec = append(rec, name(jsonfmt.HostName(m.Group, r)))
	}
	return rec
}

// RouteHeader is the header of the route table, one table for the IPv4 forwarding
// table, the IPv4 routing cache and the IPv6 table: a column a kind of route does not
// have is empty. names adds the name columns.
func RouteHeader(names bool) []string {
	h := []string{"family", "table", "destination", "prefix_len", "genmask", "gateway", "source",
		"source_prefix_len", "flags", "metric", "ref", "use", "iface", "mss", "window", "irtt"}
	if names {
		h = append(h, "destination_name", "gateway_name", "source_name")
	}
	return h
}

// RouteRecord appends the record of one IPv4 forwarding-table route.
func RouteRecord(rec []string, rt *netstat.Route, names bool, r resolve.Resolver) []string {
	plen := ""
	if n, ok := jsonfmt.PrefixLen(rt.Mask); ok {
		plen = strconv.Itoa(n)
	}
	rec = append(rec[:0], "inet", jsonfmt.TableFIB, addr(rt.Destination), plen, addr(rt.Mask),
		addr(rt.Gateway), "", "", strings.Join(jsonfmt.RouteFlagNames(rt.Flags), " "),
		i64(int64(rt.Metric)), i64(int64(rt.RefCnt)), i64(int64(rt.Use)), rt.Iface,
		i64(int64(rt.MTU)), i64(int64(rt.Window)), i64(int64(rt.IRTT)))
	if names {
		gw := ""
		if rt.Gateway.IsValid() && !rt.Gateway.IsUnspecified() {
			gw = name(r.HostName(rt.Gateway))
		}
		rec = append(rec, name(jsonfmt.RouteDestinationName(rt, r)), gw, "")
	}
	return rec
}

// CachedRouteRecord appends the record of one IPv4 routing-cache entry (its
// layout-specific columns are in the JSON output only).
func CachedRouteRecord(rec []string, rt *netstat.CachedRoute, layout netstat.RouteCacheLayout, names bool, r resolve.Resolver) []string {
	rec = append(rec[:0], "inet", jsonfmt.TableCache, addr(rt.Destination), "", "", addr(rt.Gateway),
		addr(rt.Source), "", strings.Join(jsonfmt.CacheFlagNames(rt.Flags, layout), " "),
		i64(int64(rt.Metric)), i64(int64(rt.RefCnt)), i64(int64(rt.Use)), rt.Iface,
		i64(int64(rt.MTU)), i64(int64(rt.Window)), i64(int64(rt.IRTT)))
	if names {
		rec = append(rec, name(jsonfmt.HostName(rt.Destination, r)), name(jsonfmt.HostName(rt.Gateway, r)),
			name(jsonfmt.HostName(rt.Source, r)))
	}
	return rec
}

// IPv6RouteRecord appends the record of one IPv6 route; table is "fib" or "cache".
func IPv6RouteRecord(rec []string, rt *netstat.IPv6Route, table string, names bool, r resolve.Resolver) []string {
	rec = append(rec[:0], "inet6", table, addr(rt.Destination), i64(int64(rt.DestinationLen)), "",
		addr(rt.NextHop), addr(rt.Source), i64(int64(rt.SourceLen)),
		strings.Join(jsonfmt.RouteFlagNames(rt.Flags), " "), i64(int64(rt.Metric)),
		i64(int64(rt.RefCnt)), i64(int64(rt.Use)), rt.Iface, "", "", "")
	if names {
		rec = append(rec, name(jsonfmt.HostName(rt.Destination, r)), name(jsonfmt.HostName(rt.NextHop, r)),
			name(jsonfmt.HostName(rt.Source, r)))
	}
	return rec
}

// IfaceHeader is the header of the interface table.
func IfaceHeader() []string {
	h := []string{"name", "flags", "mtu", "tx_queue_len", "hw_type", "hw_address", "ipv4_address",
		"ipv4_netmask", "ipv4_broadcast", "ipv4_destination", "ipv6_addresses"}
	for _, c := range jsonfmt.IfaceCounters(&netstat.IfaceStats{}) {
		h = append(h, c.Name)
	}
	return h
}

// IfaceRecord appends the record of one interface. ipv6_addresses lists "ADDR/LEN"
// items separated by spaces; the counters are empty when /proc/net/dev has no line
// for the interface.
func IfaceRecord(rec []string, ifc *netstat.Interface) []string {
	txq := ""
	if ifc.TxQueueLen != -1 {
		txq = i64(int64(ifc.TxQueueLen))
	}
	hw, _ := jsonfmt.HWAddress(ifc)
	rec = append(rec[:0], ifc.Name, strings.Join(jsonfmt.IfaceFlagNames(ifc.Flags), " "),
		i64(int64(ifc.MTU)), txq, u64(uint64(ifc.HWType)), hw)
	if ifc.HasIPv4 {
		bcast, dest := "", ""
		if ifc.Flags&netstat.IfBroadcast != 0 {
			bcast = addr(ifc.Broadcast)
		}
		if ifc.Flags&netstat.IfPointToPoint != 0 {
			dest = addr(ifc.Destination)
		}
		rec = append(rec, addr(ifc.Addr), addr(ifc.Netmask), bcast, dest)
	} else {
		rec = append(rec, "", "", "", "")
	}
	var v6 []string
	for _, a := range ifc.Inet6 {
		if a.Addr.IsValid() {
			v6 = append(v6, addr(a.Addr)+"/"+i64(int64(int32(a.PrefixLen))))
		}
	}
	rec = append(rec, strings.Join(v6, " "))
	if s := ifc.Stats; s != nil {
		for _, c := range jsonfmt.IfaceCounters(s) {
			rec = append(rec, u64(c.Value))
		}
	} else {
		for range 16 {
			rec = append(rec, "")
		}
	}
	return rec
}

// StatsHeader is the header of the statistics table: one record per counter.
func StatsHeader() []string { return []string{"family", "section", "counter", "value"} }

// StatsRecords calls fn with the record of each counter of secs (selected with
// jsonfmt.StatsIPv4 or StatsIPv6) in order; rec is reused between calls. As in the
// JSON output, a name repeated within a section keeps its first value.
func StatsRecords(family string, secs []netstat.CounterSection, fn func(rec []string) error) error {
	rec := make([]string, 4)
	for _, s := range secs {
		seen := make(map[string]bool, len(s.Counters))
		for _, c := range s.Counters {
			if seen[c.Name] {
				continue
			}
			seen[c.Name] = true
			rec[0], rec[1], rec[2], rec[3] = family, s.Title, c.Name, u64(c.Value)
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// CountsHeader is the header of a counts table: the key names, then "count".
func CountsHeader(keys []string) []string {
	return append(append([]string(nil), keys...), "count")
}

// CountRecord appends the record of one group: its key values and its count.
func CountRecord(rec []string, keys []string, count int) []string {
	rec = append(rec[:0], keys...)
	return append(rec, strconv.Itoa(count))
}

// StatesHeader is the header of `netstat states --format=csv`.
func StatesHeader() []string { return []string{"state", "count", "threshold"} }

// StatesRecords returns one record per state (ESTABLISHED … CLOSING, UNKNOWN), with the
// threshold of the states `netstat states` checks and "" for the others.
func StatesRecords(c *analysis.StateCounts) [][]string {
	out := make([][]string, 0, len(c))
	for i := range c {
		n := analysis.StateCountName(i)
		th := ""
		switch n {
		case "SYN_RECV":
			th = u64(analysis.SynRecvThreshold)
		case "CLOSE_WAIT":
			th = u64(analysis.CloseWaitThreshold)
		case "TIME_WAIT":
			th = u64(analysis.TimeWaitThreshold)
		}
		out = append(out, []string{n, u64(c[i]), th})
	}
	return out
}
