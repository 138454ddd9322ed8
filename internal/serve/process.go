package serve

import (
	"cmp"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/netstat"
)

// processCollector exports netstat_process_sockets{program,state}: TCP sockets per
// program name (a socket shared by several processes of one program counts once for
// it) and state, for the max programs holding the most sockets; the rest are summed
// under program="other". Sockets without an owner (TIME_WAIT and request sockets,
// sockets of processes netstat may not inspect) are not counted. It needs the owners
// of every socket, which costs a scan of every process's open files.
type processCollector struct {
	max     int
	sockets *prometheus.Desc
}

func newProcessCollector(max int) *processCollector {
	return &processCollector{
		max: max,
		sockets: prometheus.NewDesc(prometheus.BuildFQName(namespace, "process", "sockets"),
			"TCP sockets held per program and state, for the --collector.process.max programs with the most; the rest are summed under program=\"other\". Only states a program has sockets in are present.",
			[]string{"program", "state"}, nil),
	}
}

// Describe implements collector.
func (c *processCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.sockets }

// programCount is one program's sockets; other marks the sum of the rest.
type programCount struct {
	name   string
	other  bool
	total  uint64
	states stateCounts
}

// Update implements collector.
func (c *processCollector) Update(sc *scrape, ch chan<- prometheus.Metric) error {
	snap, err := sc.Snapshot()
	if err != nil {
		return err
	}
	for _, p := range tallyPrograms(snap, c.max) {
		name := p.name
		if p.other {
			name = otherLabel
		}
		for st := 1; st <= numStates; st++ {
			if p.states[st] != 0 {
				ch <- prometheus.MustNewConstMetric(c.sockets, prometheus.GaugeValue, float64(p.states[st]), name, stateLabels[st])
			}
		}
	}
	return nil
}

// tallyPrograms counts TCP sockets per owning program name and returns at most max
// programs, most sockets first, ties by name, then the sum of the rest when there are
// more. A program literally named "other" is counted in that sum, so that labels stay
// unique; kernel threads (empty names) are "[kernel]".
func tallyPrograms(snap *netstat.Snapshot, max int) []programCount {
	idx := map[string]int{otherLabel: 0}
	ps := []programCount{{name: otherLabel, other: true}}
	var names []string
	for i := range snap.Inet {
		s := &snap.Inet[i]
		if s.Proto != netstat.TCP {
			continue
		}
		owners := snap.OwnersOf(s.Inode)
		names = names[:0]
		for _, p := range owners {
			name := strings.ToValidUTF8(p.Name, "\uFFFD")
			if name == "" {
				name = "[kernel]"
			}
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		for _, name := range names {
			j, ok := idx[name]
			if !ok {
				j = len(ps)
				idx[name] = j
				ps = append(ps, programCount{name: name})
			}
			ps[j].total++
			ps[j].states[stateIndex(s.State)]++
		}
	}
	other, ps := ps[0], ps[1:]
	slices.SortFunc(ps, func(a, b programCount) int {
		return cmp.Or(cmp.Compare(b.total, a.total), strings.Compare(a.name, b.name))
	})
	if len(ps) > max {
		for _, p := range ps[max:] {
			other.total += p.total
			for st := range p.states {
				other.states[st] += p.states[st]
			}
		}
		ps = ps[:max]
	}
	if other.total > 0 {
		ps = append(ps, other)
	}
	return ps
}
