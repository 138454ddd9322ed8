package serve

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// stateLabels are the values of the state label, spelt as node_exporter's tcpstat
// collector spells them, indexed by netstat.TCPState.
var stateLabels = [...]string{
	netstat.Established: "established",
	netstat.SynSent:     "syn_sent",
	netstat.SynRecv:     "syn_recv",
	netstat.FinWait1:    "fin_wait1",
	netstat.FinWait2:    "fin_wait2",
	netstat.TimeWait:    "time_wait",
	netstat.Close:       "close",
	netstat.CloseWait:   "close_wait",
	netstat.LastAck:     "last_ack",
	netstat.Listen:      "listen",
	netstat.Closing:     "closing",
}

// numStates is the number of TCP states that have a label (1 ... 11).
const numStates = len(stateLabels) - 1

// stateIndex maps a socket's kernel state to an index into stateLabels, or 0 for a
// state without one. A request socket (TCP_NEW_SYN_RECV) counts as syn_recv, as ss and
// /proc show it.
func stateIndex(st netstat.TCPState) int {
	if st == netstat.NewSynRecv {
		return int(netstat.SynRecv)
	}
	if st == 0 || int(st) >= len(stateLabels) {
		return 0
	}
	return int(st)
}

// stateCounts are TCP socket counts indexed by stateIndex.
type stateCounts [numStates + 1]uint64

// tcpCollector exports netstat_tcp_connections{state}.
type tcpCollector struct {
	connections *prometheus.Desc
}

func newTCPCollector() *tcpCollector {
	return &tcpCollector{
		connections: prometheus.NewDesc(prometheus.BuildFQName(namespace, "tcp", "connections"),
			"TCP sockets (IPv4 and IPv6) in each state; every state is always present.",
			[]string{"state"}, nil),
	}
}

// Describe implements collector.
func (c *tcpCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.connections }

// Update implements collector.
func (c *tcpCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	t, err := sc.Tallies()
	if err != nil {
		return err
	}
	for st := 1; st <= numStates; st++ {
		ch <- prometheus.MustNewConstMetric(c.connections, prometheus.GaugeValue, float64(t.states[st]), stateLabels[st])
	}
	return nil
}
