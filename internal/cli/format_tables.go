package cli

import (
	"encoding/csv"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/csvfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// format_tables.go is netstat-go's machine output of the modes other than the socket
// listing: -r (routeOut), -i (ifaceOut), -s (statsOut), and the counts of --count.
// The modes keep their control flow, messages and exit statuses; what net-tools
// prints on stdout besides its tables goes to stderr here, so that stdout holds only
// the JSON document or the CSV table.

// machineNotice writes a message net-tools prints on stdout to stderr instead, after
// what stdout holds so far.
func (e *env) machineNotice(msg string) {
	e.stdout.Flush()
	e.stderr.Write([]byte(msg))
}

// machineRoutes writes the route tables of one -r run: a "routes" document with one
// element of "tables" per table shown, or one CSV table for all of them.
type machineRoutes struct {
	e      *env
	w      *csv.Writer // nil for JSON
	names  bool
	r      resolve.Resolver
	layout netstat.RouteCacheLayout
	table  string // the IPv6 table: "fib" or "cache"
	buf    []byte
	rec    []string
	tables jsonfmt.Array
	rows   jsonfmt.Array
	open   bool // a JSON table is open
}

func (e *env) newMachineRoutes(c *Config, numeric bool) *machineRoutes {
	m := &machineRoutes{e: e, names: !numeric, r: e.hostResolver(numeric)}
	if c.Ext.Format == "csv" {
		m.w = csv.NewWriter(e.stdout)
		m.w.Write(csvfmt.RouteHeader(m.names))
		return m
	}
	m.buf = jsonfmt.Open(m.buf, jsonfmt.KindRoutes)
	m.buf = append(m.buf, `,"tables":[`...)
	return m
}

func (m *machineRoutes) notice(msg string) {
	m.flush()
	m.e.machineNotice(msg)
}

func (m *machineRoutes) flush() {
	if m.w != nil {
		m.w.Flush()
		return
	}
	m.e.stdout.Write(m.buf)
	m.buf = m.buf[:0]
}

func (m *machineRoutes) maybeFlush() {
	if len(m.buf) >= 32*1024 {
		m.flush()
	}
}

// beginTable starts a JSON table (CSV has one table for all).
func (m *machineRoutes) beginTable(family, table string) {
	if m.w != nil {
		return
	}
	m.closeTable()
	m.buf = m.tables.Next(m.buf)
	m.buf = jsonfmt.AppendRouteTableOpen(m.buf, family, table, m.layout)
	m.rows = jsonfmt.Array{}
	m.open = true
}

func (m *machineRoutes) closeTable() {
	if m.open {
		m.buf = jsonfmt.AppendRouteTableClose(m.buf)
		m.open = false
	}
}

func (m *machineRoutes) beginFIB() { m.beginTable("inet", jsonfmt.TableFIB) }

func (m *machineRoutes) fib(rt *netstat.Route) error {
	if m.w != nil {
		m.rec = csvfmt.RouteRecord(m.rec, rt, m.names, m.r)
		return m.w.Write(m.rec)
	}
	m.buf = m.rows.Next(m.buf)
	m.buf = jsonfmt.AppendRoute(m.buf, rt, m.names, m.r)
	m.maybeFlush()
	return nil
}

func (m *machineRoutes) cacheTitle() {}

func (m *machineRoutes) beginCache(layout netstat.RouteCacheLayout) {
	m.layout = layout
	m.beginTable("inet", jsonfmt.TableCache)
}

func (m *machineRoutes) cache(rt *netstat.CachedRoute) error {
	if m.w != nil {
		m.rec = csvfmt.CachedRouteRecord(m.rec, rt, m.layout, m.names, m.r)
		return m.w.Write(m.rec)
	}
	m.buf = m.rows.Next(m.buf)
	m.buf = jsonfmt.AppendCachedRoute(m.buf, rt, m.layout, m.names, m.r)
	m.maybeFlush()
	return nil
}

func (m *machineRoutes) beginIPv6(cache bool) {
	m.table = jsonfmt.TableFIB
	if cache {
		m.table = jsonfmt.TableCache
	}
	m.beginTable("inet6", m.table)
}

func (m *machineRoutes) ipv6(rt *netstat.IPv6Route) error {
	if m.w != nil {
		m.rec = csvfmt.IPv6RouteRecord(m.rec, rt, m.table, m.names, m.r)
		return m.w.Write(m.rec)
	}
	m.buf = m.rows.Next(m.buf)
	m.buf = jsonfmt.AppendIPv6Route(m.buf, rt, m.names, m.r)
	m.maybeFlush()
	return nil
}

// end finishes the document (or table) of this -r iteration.
func (m *machineRoutes) end() {
	if m.w == nil {
		m.closeTable()
		m.buf = append(m.buf, ']')
		m.buf = jsonfmt.Close(m.buf)
	}
	m.flush()
}

// machineIfaces writes the interface table of one -i iteration: an "interfaces"
// document or a CSV table. Every field is shown whatever -e asked for.
type machineIfaces struct {
	e     *env
	w     *csv.Writer // nil for JSON
	buf   []byte
	rec   []string
	items jsonfmt.Array
	begun bool
}

func (e *env) newMachineIfaces(c *Config) *machineIfaces {
	m := &machineIfaces{e: e}
	if c.Ext.Format == "csv" {
		m.w = csv.NewWriter(e.stdout)
	}
	return m
}

func (m *machineIfaces) begin() {
	m.begun = true
	if m.w != nil {
		m.w.Write(csvfmt.IfaceHeader())
		return
	}
	m.buf = jsonfmt.Open(m.buf, jsonfmt.KindInterfaces)
	m.buf = append(m.buf, `,"interfaces":[`...)
}

func (m *machineIfaces) wantsInet6() bool { return true }

func (m *machineIfaces) iface(ifc *netstat.Interface) {
	if m.w != nil {
		m.rec = csvfmt.IfaceRecord(m.rec, ifc)
		m.w.Write(m.rec)
		return
	}
	m.buf = m.items.Next(m.buf)
	m.buf = jsonfmt.AppendInterface(m.buf, ifc)
}

// end finishes the document of this iteration, if it was begun.
func (m *machineIfaces) end() {
	if !m.begun {
		return
	}
	if m.w != nil {
		m.w.Flush()
		return
	}
	m.buf = append(m.buf, ']')
	m.buf = jsonfmt.Close(m.buf)
	m.e.stdout.Write(m.buf)
	m.buf = m.buf[:0]
}

// machineStats writes the -s report as a "statistics" document or a CSV table.
type machineStats struct {
	e   *env
	csv bool
}

func (e *env) machineStats(c *Config) statsOut {
	return machineStats{e: e, csv: c.Ext.Format == "csv"}
}

func (m machineStats) notice(msg string) { m.e.machineNotice(msg) }

func (m machineStats) ipv4(sw textfmt.StatSwitches, secs []netstat.CounterSection) {
	m.write("inet", jsonfmt.StatsIPv4(sw, secs))
}

func (m machineStats) ipv6(sw textfmt.StatSwitches, snmp6, snmp []netstat.CounterSection) {
	m.write("inet6", jsonfmt.StatsIPv6(sw, snmp6, snmp))
}

func (m machineStats) write(family string, secs []netstat.CounterSection) {
	if !m.csv {
		m.e.stdout.Write(jsonfmt.AppendStatistics(nil, family, secs))
		return
	}
	w := csv.NewWriter(m.e.stdout)
	w.Write(csvfmt.StatsHeader())
	csvfmt.StatsRecords(family, secs, w.Write)
	w.Flush()
}

// writeCounts prints the result of --count in the machine format c.Ext.Format: a
// "counts" document or a CSV table with a column per key and "count". keys are the
// key names as given (--count=KEY,...), groups the groups to show (after --top),
// total the number of sockets counted over every group (-1 when unknown).
func (e *env) writeCounts(c *Config, keys []string, groups []analysis.Group, total int) {
	if c.Ext.Format == "csv" {
		w := csv.NewWriter(e.stdout)
		w.Write(csvfmt.CountsHeader(keys))
		var rec []string
		for _, g := range groups {
			rec = csvfmt.CountRecord(rec, g.Keys, g.Count)
			w.Write(rec)
		}
		w.Flush()
		return
	}
	b := jsonfmt.AppendCountsOpen(nil, keys)
	for i, g := range groups {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonfmt.AppendCount(b, g.Keys, g.Count)
	}
	e.stdout.Write(jsonfmt.AppendCountsClose(b, total))
}
