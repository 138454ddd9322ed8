package serve

import (
	"io"
	"log/slog"
	"regexp"
	"slices"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

// mapOwners is a holderTable over a snapshot's owners.
type mapOwners map[uint64][]netstat.Process

func (m mapOwners) Holders(inode uint64) []netstat.Process { return m[inode] }

// snapshotOwners is an owner scan that finds the owners of fake's first snapshot.
func snapshotOwners(fake *sourcetest.Fake) ownerScan {
	return func() holderTable {
		if len(fake.Snapshots) == 0 {
			return mapOwners(nil)
		}
		return mapOwners(fake.Snapshots[0].Owners)
	}
}

// noOwners is an owner scan that finds no process.
func noOwners() holderTable { return mapOwners(nil) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// writeText writes mf in the Prometheus text format.
func writeText(w io.Writer, mf *dto.MetricFamily) error {
	_, err := expfmt.MetricFamilyToText(w, mf)
	return err
}

// collect returns every metric c emits.
func collect(c prometheus.Collector) []prometheus.Metric {
	ch := make(chan prometheus.Metric)
	go func() { c.Collect(ch); close(ch) }()
	var ms []prometheus.Metric
	for m := range ch {
		ms = append(ms, m)
	}
	return ms
}

// labels returns m's labels by name.
func labels(t *testing.T, m prometheus.Metric) map[string]string {
	t.Helper()
	var d dto.Metric
	if err := m.Write(&d); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, lp := range d.GetLabel() {
		out[lp.GetName()] = lp.GetValue()
	}
	return out
}

// labelValues returns m's label values in the order of its Desc's variable labels.
func labelValues(t *testing.T, m prometheus.Metric) []string {
	t.Helper()
	byName := labels(t, m)
	var vs []string
	for _, name := range descLabels(m.Desc()) {
		vs = append(vs, byName[name])
	}
	return vs
}

var (
	descLabelsRE = regexp.MustCompile(`variableLabels: \{([^}]*)\}`)
	descNameRE   = regexp.MustCompile(`fqName: "([^"]*)"`)
)

// descLabels returns the variable label names of d, from its String form (the only
// place client_golang shows them).
func descLabels(d *prometheus.Desc) []string {
	m := descLabelsRE.FindStringSubmatch(d.String())
	if m == nil || m[1] == "" {
		return nil
	}
	return slices.Collect(func(yield func(string) bool) {
		for _, f := range regexp.MustCompile(`[,\s]+`).Split(m[1], -1) {
			if f != "" && !yield(f) {
				return
			}
		}
	})
}

// fqName returns the metric name of m.
func fqName(m prometheus.Metric) string {
	if n := descNameRE.FindStringSubmatch(m.Desc().String()); n != nil {
		return n[1]
	}
	return ""
}

// constCollector collects one metric, for testutil.ToFloat64.
type constCollector struct{ m prometheus.Metric }

func (c constCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.m.Desc() }
func (c constCollector) Collect(ch chan<- prometheus.Metric) { ch <- c.m }
