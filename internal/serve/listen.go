package serve

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// listenCollector exports the accept queue of each TCP listener:
// netstat_tcp_listen_queue_length{address,port} (connections waiting for accept(),
// /proc's Recv-Q of a LISTEN socket) and netstat_tcp_listen_queue_limit{address,port}
// (its backlog). Listeners sharing an address and port (SO_REUSEPORT) are summed. At
// most --collector.listen.max listeners are exported, the fullest first; the rest are summed under
// address="other", port="other".
type listenCollector struct {
	length, limit *prometheus.Desc
}

func newListenCollector() *listenCollector {
	labels := []string{"address", "port"}
	return &listenCollector{
		length: prometheus.NewDesc(prometheus.BuildFQName(namespace, "tcp", "listen_queue_length"),
			"Connections in a TCP listener's accept queue, waiting for accept().",
			labels, nil),
		limit: prometheus.NewDesc(prometheus.BuildFQName(namespace, "tcp", "listen_queue_limit"),
			"The accept-queue limit of a TCP listener (its listen() backlog as the kernel capped it); 0 when unknown.",
			labels, nil),
	}
}

// Describe implements collector.
func (c *listenCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.length
	ch <- c.limit
}

// listenQueue is the accept queue of the listeners on one address and port; an
// invalid address stands for "other".
type listenQueue struct {
	local         netip.AddrPort
	length, limit uint64
}

// Update implements collector.
func (c *listenCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	t, err := sc.Tallies()
	if err != nil {
		return err
	}
	for _, q := range t.listeners {
		addr, port := otherLabel, otherLabel
		if q.local.IsValid() {
			addr, port = q.local.Addr().String(), strconv.Itoa(int(q.local.Port()))
		}
		ch <- prometheus.MustNewConstMetric(c.length, prometheus.GaugeValue, float64(q.length), addr, port)
		ch <- prometheus.MustNewConstMetric(c.limit, prometheus.GaugeValue, float64(q.limit), addr, port)
	}
	return nil
}

// listenTally sums the accept queues of the TCP listeners per local address during a
// pass. It holds one entry per listening address and port of the namespace.
type listenTally struct {
	idx map[netip.AddrPort]int
	qs  []listenQueue
}

func newListenTally() *listenTally { return &listenTally{idx: map[netip.AddrPort]int{}} }

// reset forgets the last pass.
func (t *listenTally) reset() {
	clear(t.idx)
	t.qs = t.qs[:0]
}

// add counts the listener s.
func (t *listenTally) add(s *netstat.Socket) {
	j, ok := t.idx[s.Local]
	if !ok {
		j = len(t.qs)
		t.idx[s.Local] = j
		t.qs = append(t.qs, listenQueue{local: s.Local})
	}
	t.qs[j].length += s.RecvQ
	t.qs[j].limit += uint64(s.Backlog)
}

// top returns at most max accept queues: the fullest (by length over limit, then by
// length) first, ties in address order; then, when there were more, their sum under
// an invalid address.
func (t *listenTally) top(max int) []listenQueue {
	qs := slices.Clone(t.qs)
	slices.SortFunc(qs, func(a, b listenQueue) int {
		return cmp.Or(cmp.Compare(fill(b), fill(a)), cmp.Compare(b.length, a.length), a.local.Compare(b.local))
	})
	if len(qs) <= max {
		return qs
	}
	var other listenQueue
	for _, q := range qs[max:] {
		other.length += q.length
		other.limit += q.limit
	}
	return append(qs[:max], other)
}

// fill is how full a queue is, from 0 (empty or limit unknown) to 1 or more.
func fill(q listenQueue) float64 {
	if q.limit == 0 {
		return 0
	}
	return float64(q.length) / float64(q.limit)
}
