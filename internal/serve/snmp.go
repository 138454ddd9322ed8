package serve

import (
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// snmpCollector exports the kernel's protocol counters, the data of `netstat -s`
// (/proc/net/snmp, /proc/net/netstat and /proc/net/snmp6), every counter the kernel
// lists, known or not, under one naming scheme:
//
//	netstat_snmp_<section>_<name>_total
//
// where <section> is the section title in lower case ("ip", "icmp", "icmpmsg", "tcp",
// "udp", "udplite", "tcpext", "ipext", "mptcpext", "ip6", "icmp6", "udp6", "udplite6")
// and <name> is the counter's name without the section title that prefixes the IPv6
// names, split into snake case (see snakeCase): TcpExt ListenOverflows is
// netstat_snmp_tcpext_listen_overflows_total, Ip6InReceives is
// netstat_snmp_ip6_in_receives_total. The few values that are not counters (snmpGauges)
// are gauges, without _total, in base units.
//
// The kernel decides which counters exist, so their Descs are made the first time a
// name is seen and kept (the set is bounded by the kernel's counter list).
type snmpCollector struct {
	mu    sync.Mutex
	descs map[snmpKey]*snmpMetric
}

// snmpKey names one kernel counter.
type snmpKey struct{ section, name string }

// snmpMetric is how one kernel counter is exported.
type snmpMetric struct {
	desc    *prometheus.Desc
	fqName  string
	gauge   snmpGauge
	isGauge bool
}

// snmpGauge describes a value of the counter files that is not a counter.
type snmpGauge struct {
	name   string  // metric name after netstat_snmp_<section>_
	scale  float64 // multiplier to base units
	signed bool    // the kernel prints it signed (-1 for "no limit")
	help   string
}

// snmpGauges are the values of the counter files that are state, not counts.
var snmpGauges = map[snmpKey]snmpGauge{
	{"Ip", "Forwarding"}:      {name: "forwarding", scale: 1, help: "Whether IPv4 forwarding is on: 1 forwarding, 2 not (RFC 1213 ipForwarding)."},
	{"Ip", "DefaultTTL"}:      {name: "default_ttl", scale: 1, help: "The default TTL of IPv4 packets."},
	{"Tcp", "RtoAlgorithm"}:   {name: "rto_algorithm", scale: 1, help: "The retransmission timeout algorithm (RFC 2012 tcpRtoAlgorithm; 1 other)."},
	{"Tcp", "RtoMin"}:         {name: "rto_min_seconds", scale: 0.001, help: "The minimum TCP retransmission timeout."},
	{"Tcp", "RtoMax"}:         {name: "rto_max_seconds", scale: 0.001, help: "The maximum TCP retransmission timeout."},
	{"Tcp", "MaxConn"}:        {name: "max_conn", scale: 1, signed: true, help: "The limit on TCP connections; -1 for none."},
	{"Tcp", "CurrEstab"}:      {name: "curr_estab", scale: 1, help: "TCP connections in ESTABLISHED or CLOSE_WAIT (RFC 2012 tcpCurrEstab)."},
	{"Sctp", "SctpCurrEstab"}: {name: "curr_estab", scale: 1, help: "SCTP associations in ESTABLISHED, SHUTDOWN-RECEIVED or SHUTDOWN-PENDING."},
}

func newSNMPCollector() *snmpCollector {
	return &snmpCollector{descs: map[snmpKey]*snmpMetric{}}
}

// Describe implements collector. It describes nothing: the metrics depend on the
// kernel (an unchecked collector, in client_golang's terms).
func (c *snmpCollector) Describe(chan<- *prometheus.Desc) {}

// Update implements collector.
func (c *snmpCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	counters, err := sc.Counters()
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, secs := range [][]netstat.CounterSection{counters.IPv4, counters.IPv6} {
		for _, sec := range secs {
			for _, ctr := range sec.Counters {
				m := c.metric(snmpKey{sec.Title, ctr.Name})
				if seen[m.fqName] {
					continue // two kernel names that map to one metric name: the first wins
				}
				seen[m.fqName] = true
				switch {
				case !m.isGauge:
					ch <- prometheus.MustNewConstMetric(m.desc, prometheus.CounterValue, float64(ctr.Value))
				case m.gauge.signed:
					ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, float64(int64(ctr.Value))*m.gauge.scale)
				default:
					ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, float64(ctr.Value)*m.gauge.scale)
				}
			}
		}
	}
	return nil
}

// metric returns how the counter k is exported, making its Desc the first time.
func (c *snmpCollector) metric(k snmpKey) *snmpMetric {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.descs[k]; ok {
		return m
	}
	section := metricToken(strings.ToLower(k.section))
	m := &snmpMetric{}
	if g, ok := snmpGauges[k]; ok {
		m.gauge, m.isGauge = g, true
		m.fqName = prometheus.BuildFQName(namespace, "snmp", section+"_"+g.name)
		m.desc = prometheus.NewDesc(m.fqName, g.help, nil, nil)
	} else {
		m.fqName = prometheus.BuildFQName(namespace, "snmp", section+"_"+snmpName(k.section, k.name)+"_total")
		m.desc = prometheus.NewDesc(m.fqName, "Kernel counter "+k.section+" "+k.name+" (netstat -s).", nil, nil)
	}
	c.descs[k] = m
	return m
}

// snmpName is the metric-name part of counter name in section: the name without the
// section title when it starts with it (the IPv6 names: Ip6InReceives), in snake case.
func snmpName(section, name string) string {
	if rest, ok := strings.CutPrefix(name, section); ok && rest != "" && isUpper(rest[0]) {
		name = rest
	}
	return metricToken(snakeCase(name))
}

// snakeCase splits a CamelCase kernel name into lower-case words joined by '_': a
// word starts at an upper-case letter after a lower-case letter or a digit, and at the
// last upper-case letter of a run that a lower-case word follows, unless that word is
// a plural "s" alone or the run is a single letter: ListenOverflows is
// listen_overflows, TCPSynRetrans tcp_syn_retrans, InCEPkts in_ce_pkts, ReasmOKs
// reasm_oks, MPJoinAckHMacFailure mp_join_ack_hmac_failure, OutType3 out_type3.
func snakeCase(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUpper(c) && i > 0 {
			prev := s[i-1]
			switch {
			case isLower(prev) || isDigit(prev):
				b.WriteByte('_')
			case isUpper(prev) && i+1 < len(s) && isLower(s[i+1]) && !pluralS(s[i+1:]) &&
				i >= 2 && isUpper(s[i-2]):
				b.WriteByte('_')
			}
		}
		if isUpper(c) {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// pluralS reports whether s starts with a lone "s": the end, or a new word, follows.
func pluralS(s string) bool {
	return s[0] == 's' && (len(s) == 1 || !isLower(s[1]))
}

// metricToken replaces every byte a metric name may not hold with '_'.
func metricToken(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (isLower(byte(r)) || isUpper(byte(r)) || isDigit(byte(r)) || r == '_') {
			return r
		}
		return '_'
	}, s)
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
