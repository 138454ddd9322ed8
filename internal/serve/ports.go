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
// local port that has a listener, for the --collector.ports.max busiest ports; the others are summed
// under port="other". Sockets whose local port has no listener (outgoing connections)
// are not counted.
type portsCollector struct {
	connections *prometheus.Desc
}

func newPortsCollector() *portsCollector {
	return &portsCollector{
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
	t, err := sc.Tallies()
	if err != nil {
		return err
	}
	for _, p := range t.ports {
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

// portStates are one local port's TCP sockets per state (indexed by stateIndex).
type portStates [numStates + 1]uint32

// portTally counts TCP sockets per local port and state during a pass. It keeps a
// table of every port (3 MiB, allocated once and reused), not only those with a
// listener, so that the count is exact whatever order the sockets come in: the dump
// sends listeners first, but a listener opened during the dump, or a socket of an
// address family dumped before the listener's, may come after its port's sockets.
type portTally struct {
	byPort    []portStates // indexed by port
	listening [1 << 16 / 64]uint64
	ports     []uint16 // the ports with a listener, in the order seen
}

func newPortTally() *portTally { return &portTally{byPort: make([]portStates, 1<<16)} }

// reset forgets the last pass.
func (t *portTally) reset() {
	clear(t.byPort)
	clear(t.listening[:])
	t.ports = t.ports[:0]
}

// add counts a socket on local port in state st (a stateIndex, not 0).
func (t *portTally) add(port uint16, st int) {
	t.byPort[port][st]++
	if st == int(netstat.Listen) && t.listening[port/64]&(1<<(port%64)) == 0 {
		t.listening[port/64] |= 1 << (port % 64)
		t.ports = append(t.ports, port)
	}
}

// top returns the counts of the ports with a listener: at most max ports, the busiest
// first (ties by port number), then, when there were more, their sum with port 0
// standing for "other".
func (t *portTally) top(max int) []portCount {
	ports := make([]portCount, 0, len(t.ports))
	for _, port := range t.ports {
		p := portCount{port: port}
		for st, n := range t.byPort[port] {
			p.states[st] = uint64(n)
			p.total += uint64(n)
		}
		ports = append(ports, p)
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
