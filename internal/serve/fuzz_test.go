package serve

import (
	"regexp"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

var metricNameRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// FuzzSNMPCounter feeds the counter collector section titles and counter names as a
// kernel (or a damaged /proc file) could spell them: every one must become a valid
// metric, and two counters of one scrape must never collide.
func FuzzSNMPCounter(f *testing.F) {
	f.Add("TcpExt", "ListenOverflows", "Ip6", "Ip6InReceives")
	f.Add("Ip", "ReasmOKs", "Ip", "Reasm_OKs")
	f.Add("", "", "\xff", "a b")
	f.Add("MPTcpExt", "MPJoinAckHMacFailure", "Tcp", "RtoMin")
	f.Fuzz(func(t *testing.T, sec1, name1, sec2, name2 string) {
		if got := snmpName(sec1, name1); !regexp.MustCompile(`^[a-z0-9_]*$`).MatchString(got) {
			t.Fatalf("snmpName(%q, %q) = %q", sec1, name1, got)
		}
		c := newSNMPCollector()
		fake := &fakeCounters{c: &source.Counters{IPv4: []netstat.CounterSection{
			{Title: sec1, Counters: []netstat.Counter{{Name: name1, Value: 1}}},
			{Title: sec2, Counters: []netstat.Counter{{Name: name2, Value: 2}}},
		}}}
		sc := &scrape{counters: fake.get}
		reg := prometheus.NewPedanticRegistry()
		reg.MustRegister(one{c, sc})
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatalf("gather: %v", err)
		}
		for _, mf := range mfs {
			if !metricNameRE.MatchString(mf.GetName()) {
				t.Fatalf("metric name %q", mf.GetName())
			}
		}
		if n := testutil.CollectAndCount(one{c, sc}); n < 1 || n > 2 {
			t.Fatalf("%d metrics", n)
		}
	})
}

type fakeCounters struct{ c *source.Counters }

func (f *fakeCounters) get() (*source.Counters, error) { return f.c, nil }
