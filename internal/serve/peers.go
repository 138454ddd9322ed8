package serve

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// peerStates are the states whose remote addresses the peers collector ranks: a SYN
// flood shows as SYN_RECV sockets, a client that churns connections as TIME_WAIT.
var peerStates = [...]netstat.TCPState{netstat.SynRecv, netstat.TimeWait}

// peersCollector exports netstat_tcp_peer_connections{state,address}: for syn_recv and
// time_wait, the top remote addresses by socket count, the rest summed under
// address="other".
type peersCollector struct {
	top         int
	connections *prometheus.Desc
}

func newPeersCollector(top int) *peersCollector {
	return &peersCollector{
		top: top,
		connections: prometheus.NewDesc(prometheus.BuildFQName(namespace, "tcp", "peer_connections"),
			"TCP sockets in syn_recv and time_wait per remote address, for the --collector.peers.top addresses with the most; the rest are summed under address=\"other\".",
			[]string{"state", "address"}, nil),
	}
}

// Describe implements collector.
func (c *peersCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.connections }

// peerCount is one remote address's sockets in a state; an invalid address stands for
// "other".
type peerCount struct {
	addr netip.Addr
	n    uint64
}

// Update implements collector.
func (c *peersCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	snap, err := sc.Snapshot()
	if err != nil {
		return err
	}
	for _, st := range peerStates {
		for _, p := range tallyPeers(snap.Inet, st, c.top) {
			addr := otherLabel
			if p.addr.IsValid() {
				addr = p.addr.String()
			}
			ch <- prometheus.MustNewConstMetric(c.connections, prometheus.GaugeValue, float64(p.n), stateLabels[st], addr)
		}
	}
	return nil
}

// tallyPeers counts the TCP sockets in state st per remote address (IPv4-mapped IPv6
// addresses counted as IPv4) and returns the top ones, most first, ties in address
// order, then the sum of the rest under an invalid address when there are more.
func tallyPeers(socks []netstat.Socket, st netstat.TCPState, top int) []peerCount {
	idx := map[netip.Addr]int{}
	var ps []peerCount
	for i := range socks {
		s := &socks[i]
		if s.Proto != netstat.TCP || stateIndex(s.State) != int(st) {
			continue
		}
		a := s.Remote.Addr().Unmap()
		j, ok := idx[a]
		if !ok {
			j = len(ps)
			idx[a] = j
			ps = append(ps, peerCount{addr: a})
		}
		ps[j].n++
	}
	slices.SortFunc(ps, func(a, b peerCount) int {
		return cmp.Or(cmp.Compare(b.n, a.n), a.addr.Compare(b.addr))
	})
	if len(ps) <= top {
		return ps
	}
	other := peerCount{}
	for _, p := range ps[top:] {
		other.n += p.n
	}
	return append(ps[:top], other)
}
