package serve

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/internal/source"
)

// namespace prefixes every metric name.
const namespace = "netstat"

// collector is one group of metrics, as in node_exporter: it describes its metrics
// once (its Descs are built in its constructor) and, per scrape, emits const metrics
// computed from the scrape's shared tallies. An error makes the collector's
// netstat_scrape_collector_success 0; what it emitted before failing is kept.
type collector interface {
	Describe(ch chan<- *prometheus.Desc)
	Update(sc *scrape, ch chan<- prometheus.Metric) error
}

// scrape is what the collectors of one scrape share: the socket tallies and counters
// taken for it (each at most once, after it arrived, within its deadline).
type scrape struct {
	tallies  func() (*tallies, error)
	counters func() (*source.Counters, error)
}

// Tallies returns the scrape's socket tallies.
func (sc *scrape) Tallies() (*tallies, error) { return sc.tallies() }

// Counters returns the scrape's kernel counters.
func (sc *scrape) Counters() (*source.Counters, error) { return sc.counters() }

// exporter holds the enabled collectors and the shared fetches. It lives as long as the
// server; each scrape binds it to a scrape with forScrape.
type exporter struct {
	names      []string // enabled collector names, in collectorNames order
	collectors map[string]collector
	tallies    *shared[*tallies]
	counters   *shared[*source.Counters]
	now        func() time.Time
	log        *slog.Logger

	duration, success *prometheus.Desc
}

// newExporter builds the enabled collectors over src: one pass over the TCP sockets
// per scrape (shared as described in shared) computes what they export. scan reads
// the sockets' owners for the process collector.
func newExporter(base context.Context, cfg *config, src source.Streamer, csrc source.CounterSource, scan ownerScan, now func() time.Time, log *slog.Logger) *exporter {
	e := &exporter{
		collectors: map[string]collector{},
		now:        now,
		log:        log,
		duration: prometheus.NewDesc(prometheus.BuildFQName(namespace, "scrape", "collector_duration_seconds"),
			"How long a collector took in this scrape, waiting for the shared pass over the sockets included.",
			[]string{"collector"}, nil),
		success: prometheus.NewDesc(prometheus.BuildFQName(namespace, "scrape", "collector_success"),
			"1 when the collector succeeded in this scrape, 0 when it failed (the error is logged).",
			[]string{"collector"}, nil),
	}
	for _, name := range collectorNames {
		if !cfg.enabled[name] {
			continue
		}
		e.names = append(e.names, name)
		var c collector
		switch name {
		case "tcp":
			c = newTCPCollector()
		case "ports":
			c = newPortsCollector()
		case "listen":
			c = newListenCollector()
		case "peers":
			c = newPeersCollector()
		case "process":
			c = newProcessCollector()
		case "snmp":
			c = newSNMPCollector()
		}
		e.collectors[name] = c
	}
	e.tallies = newShared(base, cfg.scrapeTimeout, now, newPass(cfg, src, scan, now).run)
	e.counters = newShared(base, cfg.scrapeTimeout, now, csrc.Counters)
	return e
}

// forScrape returns the prometheus.Collector of one scrape that arrived at arrived and
// must finish by ctx's deadline.
func (e *exporter) forScrape(ctx context.Context, arrived time.Time) prometheus.Collector {
	sc := &scrape{}
	sc.tallies = sync.OnceValues(func() (*tallies, error) { return e.tallies.get(ctx, arrived) })
	sc.counters = sync.OnceValues(func() (*source.Counters, error) { return e.counters.get(ctx, arrived) })
	return &scrapeCollector{e: e, sc: sc}
}

// scrapeCollector is an exporter bound to one scrape.
type scrapeCollector struct {
	e  *exporter
	sc *scrape
}

// Describe implements prometheus.Collector.
func (s *scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- s.e.duration
	ch <- s.e.success
	for _, name := range s.e.names {
		s.e.collectors[name].Describe(ch)
	}
}

// Collect implements prometheus.Collector: it runs the collectors side by side and
// reports how each fared.
func (s *scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	var wg sync.WaitGroup
	for _, name := range s.e.names {
		c := s.e.collectors[name]
		wg.Go(func() {
			start := s.e.now()
			err := c.Update(s.sc, ch)
			ch <- prometheus.MustNewConstMetric(s.e.duration, prometheus.GaugeValue, s.e.now().Sub(start).Seconds(), name)
			ok := 1.0
			if err != nil {
				ok = 0
				s.e.log.Error("collector failed", "collector", name, "err", err)
			}
			ch <- prometheus.MustNewConstMetric(s.e.success, prometheus.GaugeValue, ok, name)
		})
	}
	wg.Wait()
}
