package serve

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// peerStates are the states whose remote addresses the peers collector ranks: a SYN
// flood shows as SYN_RECV sockets, a client that churns connections as TIME_WAIT.
var peerStates = [...]netstat.TCPState{netstat.SynRecv, netstat.TimeWait}

// peersCollector exports netstat_tcp_peer_connections{state,address}: for syn_recv and
// time_wait, the top remote addresses by socket count, the rest summed under
// address="other" (see peerTally for the bound on memory and what it costs in
// precision).
type peersCollector struct {
	connections *prometheus.Desc
}

func newPeersCollector() *peersCollector {
	return &peersCollector{
		connections: prometheus.NewDesc(prometheus.BuildFQName(namespace, "tcp", "peer_connections"),
			"TCP sockets in syn_recv and time_wait per remote address, for the --collector.peers.top addresses with the most; the rest are summed under address=\"other\". Exact up to 1024 addresses per state (or 4 times --collector.peers.top); beyond, each address's count is a lower bound and other holds the rest.",
			[]string{"state", "address"}, nil),
	}
}

// Describe implements collector.
func (c *peersCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.connections }

// Update implements collector.
func (c *peersCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	t, err := sc.Tallies()
	if err != nil {
		return err
	}
	for i, st := range peerStates {
		for _, p := range t.peers[i] {
			addr := otherLabel
			if p.addr.IsValid() {
				addr = p.addr.String()
			}
			ch <- prometheus.MustNewConstMetric(c.connections, prometheus.GaugeValue, float64(p.count), stateLabels[st], addr)
		}
	}
	return nil
}

// minPeerCounters is the least number of addresses counted per state: the counts are
// exact while a state's sockets have at most that many remote addresses (or 4 times
// --collector.peers.top, when more).
const minPeerCounters = 1024

// peerTally counts the TCP sockets in each of peerStates per remote address
// (IPv4-mapped IPv6 addresses counted as IPv4) in bounded memory: a SYN flood from
// spoofed sources or a host with 200,000 TIME_WAIT sockets has as many addresses as
// sockets, so each state has an addrCounter of minPeerCounters (or 4 × top) counters
// instead of a map of every address.
type peerTally struct {
	counters [len(peerStates)]*addrCounter
}

func newPeerTally(top int) *peerTally {
	var t peerTally
	for i := range t.counters {
		t.counters[i] = newAddrCounter(max(minPeerCounters, 4*top))
	}
	return &t
}

// reset forgets the last pass.
func (t *peerTally) reset() {
	for _, c := range t.counters {
		c.reset()
	}
}

// add counts s, in state st (a stateIndex), when st is one of peerStates.
func (t *peerTally) add(s *netstat.Socket, st int) {
	for i, ps := range peerStates {
		if st == int(ps) {
			t.counters[i].add(s.Remote.Addr().Unmap())
		}
	}
}

// top returns, per state, the top remote addresses, most first, ties in address
// order, then the sum of the rest under an invalid address when there are more.
func (t *peerTally) top(top int) [len(peerStates)][]addrCount {
	var out [len(peerStates)][]addrCount
	for i, c := range t.counters {
		out[i] = c.top(top)
	}
	return out
}
