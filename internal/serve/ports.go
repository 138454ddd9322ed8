package serve

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// otherLabel is the label value under which what exceeds a cap is summed.
const otherLabel = "other"

// portsCollector exports netstat_tcp_port_connections{port,state}: TCP sockets per
// local port that has a listener, for the max busiest ports; the others are summed
// under port="other". Sockets whose local port has no listener (outgoing connections)
// are not counted.
type portsCollector struct {
	max         int
	connections *prometheus.Desc
}

func newPortsCollector(max int) *portsCollector {
	return &portsCollector{
		max: max,
		connections: prometheus.NewDesc(prometheus.BuildFQName(namespace, "tcp", "port_connections"),
			"TCP sockets per local port that has a listener and state (the listeners included), for the --collector.ports.max busiest ports; the rest are summed under port=\"other\".",
			[]string{"port", "state"}, nil),
	}
}

// Describe implements collector.
func (c *portsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.connections }

// portCount is one listening port's sockets.
type portCount struct {
	port   uint16
	total  uint64
	states stateCounts
}

// Update implements collector.
func (c *portsCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	snap, err := sc.Snapshot()
	if err != nil {
		return err
	}
	for _, p := range tallyPorts(snap.Inet, c.max) {
		label := otherLabel
		if p.port != 0 {
			label = strconv.Itoa(int(p.port))
		}
		for st := 1; st <= numStates; st++ {
			ch <- prometheus.MustNewConstMetric(c.connections, prometheus.GaugeValue, float64(p.states[st]), label, stateLabels[st])
		}
	}
	return nil
}

// tallyPorts counts TCP sockets per listening local port. It returns at most max ports,
// the busiest first (ties by port number), then, when there were more, their sum with
// port 0 standing for "other".
func tallyPorts(socks []netstat.Socket, max int) []portCount {
	idx := map[uint16]int{}
	var ports []portCount
	for i := range socks {
		s := &socks[i]
		if s.Proto == netstat.TCP && s.State == netstat.Listen {
			if _, ok := idx[s.Local.Port()]; !ok {
				idx[s.Local.Port()] = len(ports)
				ports = append(ports, portCount{port: s.Local.Port()})
			}
		}
	}
	for i := range socks {
		s := &socks[i]
		if s.Proto != netstat.TCP {
			continue
		}
		j, ok := idx[s.Local.Port()]
		if !ok {
			continue
		}
		ports[j].total++
		ports[j].states[stateIndex(s.State)]++
	}
	slices.SortFunc(ports, func(a, b portCount) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(a.port, b.port))
	})
	if len(ports) <= max {
		return ports
	}
	other := portCount{}
	for _, p := range ports[max:] {
		other.total += p.total
		for st := range p.states {
			other.states[st] += p.states[st]
		}
	}
	return append(ports[:max], other)
}
