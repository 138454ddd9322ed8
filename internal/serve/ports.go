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

// portTally counts TCP sockets per listening local port and state during a pass.
// The dump sends every listener before the other sockets, so a socket on a port whose
// listener was seen is counted at once, in a table the size of the listening ports
// (found through a 65,536-bit set and a 128 KiB slot table that stay in cache); a
// socket on a port without a listener so far (an outgoing connection, most often) is
// only noted (4 bytes) and counted at the end of the pass if a listener for its port
// came after it: a listener opened during the dump, or one of an address family dumped
// later. So the counts are exact whatever the order, and the memory is the listening
// ports plus 4 bytes per such socket, reused from one pass to the next (a table of
// every port's counts would be 3 MiB, and touching it at random costs a cache miss
// per socket: 6 % of a scrape's CPU at 50,000 sockets).
type portTally struct {
	listening [1 << 16 / 64]uint64
	slot      [1 << 16]uint16 // index in counts of a port in listening
	counts    []portCount
	deferred  []uint32 // port<<8 | state of sockets on ports without a listener yet
}

func newPortTally() *portTally { return &portTally{} }

// reset forgets the last pass.
func (t *portTally) reset() {
	clear(t.listening[:])
	t.counts = t.counts[:0]
	t.deferred = t.deferred[:0]
}

func (t *portTally) isListening(port uint16) bool {
	return t.listening[port/64]&(1<<(port%64)) != 0
}

// add counts a socket on local port in state st (a stateIndex, not 0).
func (t *portTally) add(port uint16, st int) {
	switch {
	case t.isListening(port):
	case st == int(netstat.Listen):
		t.listening[port/64] |= 1 << (port % 64)
		t.slot[port] = uint16(len(t.counts))
		t.counts = append(t.counts, portCount{port: port})
	default:
		t.deferred = append(t.deferred, uint32(port)<<8|uint32(st))
		return
	}
	c := &t.counts[t.slot[port]]
	c.total++
	c.states[st]++
}

// finish counts the noted sockets whose port turned out to have a listener.
func (t *portTally) finish() {
	for _, d := range t.deferred {
		if port := uint16(d >> 8); t.isListening(port) {
			c := &t.counts[t.slot[port]]
			c.total++
			c.states[d&0xff]++
		}
	}
	t.deferred = t.deferred[:0]
	if cap(t.deferred) > 1<<20 && len(t.deferred) < cap(t.deferred)/4 {
		t.deferred = nil // a burst of sockets passed: give its memory back
	}
}

// top returns the counts of the ports with a listener: at most max ports, the busiest
// first (ties by port number), then, when there were more, their sum with port 0
// standing for "other".
func (t *portTally) top(max int) []portCount {
	t.finish()
	ports := slices.Clone(t.counts)
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
