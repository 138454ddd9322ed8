package serve

import (
	"maps"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

// tallyOpts compare tallies with cmp.
var tallyOpts = []cmp.Option{
	cmp.AllowUnexported(tallies{}, portCount{}, listenQueue{}, addrCount{}, programCount{}),
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.AddrPort) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// TestPortsInAnyOrder checks that a port's sockets are counted whether they come
// before or after its listener in the dump.
func TestPortsInAnyOrder(t *testing.T) {
	first := population()
	last := population()
	slices.Reverse(last.Inet) // every listener after its port's sockets
	var got [2][]portCount
	for i, snap := range []*netstat.Snapshot{first, last} {
		fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{snap}}
		p := newPass(testConfig(t), fake, snapshotOwners(fake), time.Now)
		tl, err := p.run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got[i] = tl.ports
	}
	if diff := cmp.Diff(got[0], got[1], tallyOpts...); diff != "" {
		t.Errorf("listeners last (-first +last):\n%s", diff)
	}
	if len(got[0]) != 4 || got[0][0].port != 443 || got[0][0].total != 18 {
		t.Errorf("ports = %+v, want 4 ports, 443 first with 18 sockets", got[0])
	}
}

// TestPassReusesNothingFromThePreviousPass checks that two passes over different
// populations give each its own tallies, although the working tables are reused.
func TestPassReusesNothingFromThePreviousPass(t *testing.T) {
	small := &netstat.Snapshot{Inet: []netstat.Socket{listener("0.0.0.0:80", 1, 8, 0)}}
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population(), small}}
	p := newPass(testConfig(t), fake, noOwners, time.Now)
	if _, err := p.run(t.Context()); err != nil {
		t.Fatal(err)
	}
	tl, err := p.run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := &tallies{
		ports:     []portCount{{port: 80, total: 1, states: stateCounts{netstat.Listen: 1}}},
		listeners: []listenQueue{{local: small.Inet[0].Local, length: 1, limit: 8}},
	}
	want.states[netstat.Listen] = 1
	if diff := cmp.Diff(want, tl, tallyOpts...); diff != "" {
		t.Errorf("second pass (-want +got):\n%s", diff)
	}
}

// countingScan is an owner scan over a table that tests change between passes; it
// counts the scans.
type countingScan struct {
	mu     sync.Mutex
	owners map[uint64][]netstat.Process
	scans  int
}

func (c *countingScan) scan() holderTable {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scans++
	return mapOwners(maps.Clone(c.owners))
}

// TestProcessOwnersCache checks when the process collector scans /proc: once at the
// first pass; not again while every socket's owner is known; for a new socket only
// once the scan interval has passed (the socket is left out until then); at the
// latest every maxOwnersAge intervals; at every pass, once, with an interval of 0.
func TestProcessOwnersCache(t *testing.T) {
	est := func(inode uint64, remote string) netstat.Socket {
		s := sock("192.0.2.1:443", remote, netstat.Established)
		s.Inode = inode
		return s
	}
	one := &netstat.Snapshot{Inet: []netstat.Socket{est(1, "198.51.100.1:1000")}}
	two := &netstat.Snapshot{Inet: []netstat.Socket{est(1, "198.51.100.1:1000"), est(2, "198.51.100.2:1000")}}
	nginx := []netstat.Process{{PID: 10, Name: "nginx"}}
	curl := []netstat.Process{{PID: 20, Name: "curl"}}

	var clock time.Time
	now := func() time.Time { return clock }
	owners := &countingScan{owners: map[uint64][]netstat.Process{1: nginx}}
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{one, one, two}}
	cfg := testConfig(t, "--collector.disable-defaults", "--collector.process", "--collector.process.scan-interval=30s")
	p := newPass(cfg, fake, owners.scan, now)
	step := func(name string, advance time.Duration, wantScans int, want map[string]uint64) {
		t.Helper()
		clock = clock.Add(advance)
		tl, err := p.run(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]uint64{}
		for _, pc := range tl.programs {
			got[pc.name] = pc.total
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: programs (-want +got):\n%s", name, diff)
		}
		if owners.scans != wantScans {
			t.Errorf("%s: %d scans in all, want %d", name, owners.scans, wantScans)
		}
	}
	step("first pass", 0, 1, map[string]uint64{"nginx": 1})
	step("same sockets", 10*time.Second, 1, map[string]uint64{"nginx": 1})
	owners.mu.Lock()
	owners.owners[2] = curl
	owners.mu.Unlock()
	step("new socket, 10 s after the scan", 0, 1, map[string]uint64{"nginx": 1})
	step("new socket, 30 s after the scan", 20*time.Second, 2, map[string]uint64{"nginx": 1, "curl": 1})
	step("known again", time.Second, 2, map[string]uint64{"nginx": 1, "curl": 1})
	owners.mu.Lock()
	owners.owners[2] = nginx // handed over to another program: seen at the next scan
	owners.mu.Unlock()
	step("owner changed, cache young", 100*time.Second, 2, map[string]uint64{"nginx": 1, "curl": 1})
	step("owner changed, cache 10 intervals old", 200*time.Second, 3, map[string]uint64{"nginx": 2})

	owners.scans = 0
	cfg = testConfig(t, "--collector.disable-defaults", "--collector.process", "--collector.process.scan-interval=0")
	fake = &sourcetest.Fake{Snapshots: []*netstat.Snapshot{two}}
	owners.owners = map[uint64][]netstat.Process{1: nginx}
	p = newPass(cfg, fake, owners.scan, now)
	step("interval 0, socket 2 unowned", 0, 1, map[string]uint64{"nginx": 1})
	step("interval 0, again", 0, 2, map[string]uint64{"nginx": 1})
}
