package serve

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// processCollector exports netstat_process_sockets{program,state}: TCP sockets per
// program name (a socket shared by several processes of one program counts once for
// it) and state, for the max programs holding the most sockets; the rest are summed
// under program="other". Sockets without an owner (TIME_WAIT and request sockets,
// sockets of processes netstat may not inspect) are not counted. It needs the owners
// of every socket, which costs a scan of every process's open files: programTally
// keeps them between scrapes.
type processCollector struct {
	sockets *prometheus.Desc
}

func newProcessCollector() *processCollector {
	return &processCollector{
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
	t, err := sc.Tallies()
	if err != nil {
		return err
	}
	for _, p := range t.programs {
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

// ownerScan reads which processes hold each socket inode: a scan of every
// /proc/<pid>/fd, the costliest thing a scrape can do (about 3.5 µs of kernel time
// per open file: 0.7 s at 200,000 sockets). The live one is the source's
// (*source.Live).ScanHolders.
type ownerScan func() holderTable

// holderTable is what an owner scan found (source.HolderTable).
type holderTable = source.HolderTable

// maxOwnersAge is how many scan intervals the owners of known sockets may be kept
// without a rescan (a socket passed to another process, or left to a child by its
// parent, changes owner without changing inode).
const maxOwnersAge = 10

// maxKeptMisses bounds the memory the list of unknown sockets keeps between passes.
const maxKeptMisses = 4096

// programTally counts TCP sockets per owning program during a pass. The owners come
// from a scan of /proc that is cached between passes, since a socket's inode keeps its
// owner for life; the states come from each pass's dump. A socket whose inode the last
// scan did not see (opened since, or held by no process we may inspect) makes the
// pass rescan /proc at its end, if the last scan is at least interval old, and counts
// it then; otherwise it is left out of this pass. Without such sockets, /proc is
// rescanned every maxOwnersAge intervals. An interval of 0 scans at every pass.
type programTally struct {
	scan     ownerScan
	interval time.Duration
	now      func() time.Time

	owners  holderTable
	scanned time.Time
	fresh   bool // owners were scanned during this pass

	misses []inodeState // sockets the last scan did not see
	idx    map[string]int
	ps     []programCount // ps[0] is "other"
	names  []string       // scratch: the program names of one socket
}

// inodeState is a socket waiting for its owner.
type inodeState struct {
	inode uint64
	st    int
}

func newProgramTally(scan ownerScan, interval time.Duration, now func() time.Time) *programTally {
	return &programTally{scan: scan, interval: interval, now: now, idx: map[string]int{}}
}

// begin starts a pass, scanning /proc first when the cached owners are missing or too
// old.
func (t *programTally) begin() {
	clear(t.idx)
	t.idx[otherLabel] = 0
	t.ps = append(t.ps[:0], programCount{name: otherLabel, other: true})
	t.misses = t.misses[:0]
	t.fresh = false
	if t.owners == nil || t.now().Sub(t.scanned) >= maxOwnersAge*t.interval {
		t.rescan()
	}
}

func (t *programTally) rescan() {
	t.owners = nil // the old table can go while the new one is built
	t.owners = t.scan()
	t.scanned = t.now()
	t.fresh = true
}

// add counts a socket with inode in state st (a stateIndex). Sockets without an inode
// (TIME_WAIT, request sockets, orphans) have no owner.
func (t *programTally) add(inode uint64, st int) {
	if inode == 0 {
		return
	}
	hs := t.owners.Holders(inode)
	if len(hs) == 0 {
		t.misses = append(t.misses, inodeState{inode, st})
		return
	}
	t.count(hs, st)
}

// end finishes a pass: the sockets the cached owners did not know are counted after a
// rescan when one is due.
func (t *programTally) end() {
	if len(t.misses) > 0 && !t.fresh && t.now().Sub(t.scanned) >= t.interval {
		t.rescan()
		for _, m := range t.misses {
			if hs := t.owners.Holders(m.inode); len(hs) > 0 {
				t.count(hs, m.st)
			}
		}
	}
	if cap(t.misses) > maxKeptMisses {
		t.misses = nil
	}
}

// count counts a socket in state st for each program among its holders hs, once per
// program. Names are made valid UTF-8; kernel threads (empty names) are "[kernel]".
func (t *programTally) count(hs []netstat.Process, st int) {
	t.names = t.names[:0]
	for _, p := range hs {
		name := strings.ToValidUTF8(p.Name, "\uFFFD")
		if name == "" {
			name = "[kernel]"
		}
		if !slices.Contains(t.names, name) {
			t.names = append(t.names, name)
		}
	}
	for _, name := range t.names {
		j, ok := t.idx[name]
		if !ok {
			j = len(t.ps)
			t.idx[name] = j
			t.ps = append(t.ps, programCount{name: name})
		}
		t.ps[j].total++
		t.ps[j].states[st]++
	}
}

// top returns at most max programs, most sockets first, ties by name, then the sum of
// the rest when there are more. A program literally named "other" is counted in that
// sum, so that labels stay unique.
func (t *programTally) top(max int) []programCount {
	other := t.ps[0]
	ps := slices.Clone(t.ps[1:])
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
