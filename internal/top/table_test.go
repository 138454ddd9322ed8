package top

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

// conn is an established TCP connection numbered i.
func conn(i int, st netstat.TCPState) netstat.Socket {
	l := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), uint16(1000+i%7))
	r := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 9, byte(i >> 16), byte(i >> 4)}), uint16(40000+i%5000))
	return netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: l, Remote: r, State: st, Inode: uint64(i + 1)}
}

func TestSlotIndexAgainstMap(t *testing.T) {
	var rows rowStore
	var x slotIndex
	want := map[netstat.SocketKey]int32{}
	rng := rand.New(rand.NewPCG(1, 2))
	var live []int32
	for step := range 20000 {
		if len(live) > 0 && rng.IntN(3) == 0 {
			k := rng.IntN(len(live))
			s := live[k]
			live = slices.Delete(live, k, k+1)
			r := rows.at(int(s))
			x.remove(&rows, s, &r.record)
			delete(want, r.key())
			continue
		}
		s := rows.grow()
		sk := conn(step, netstat.Established)
		r := rows.at(int(s))
		r.set(&sk)
		if !x.insert(&rows, s, &r.record) {
			t.Fatalf("step %d: a new key was refused", step)
		}
		if x.insert(&rows, s, &r.record) {
			t.Fatalf("step %d: a key was indexed twice", step)
		}
		want[r.key()] = s
		live = append(live, s)
	}
	if x.n != len(want) {
		t.Errorf("index holds %d, want %d", x.n, len(want))
	}
	for i := range rows.len() {
		r := rows.at(i)
		s, ok := x.find(&rows, &r.record)
		w, wok := want[r.key()]
		if ok != wok || (ok && s != w) {
			t.Fatalf("find(%v) = %d, %v; want %d, %v", r.key(), s, ok, w, wok)
		}
	}
}

// TestRefreshesAgainstSets runs random churn through the harness, in streams of
// several chunks and in shuffled order, and checks the marks, the counts and the
// kept sort order against what the sets of sockets say.
func TestRefreshesAgainstSets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 3*chunkLen + 100
	cur := map[int]netstat.TCPState{}
	for i := range n {
		cur[i] = netstat.Established
	}
	snap := func(k int) *netstat.Snapshot {
		s := &netstat.Snapshot{Taken: t0.Add(time.Duration(k) * time.Second)}
		for i, st := range cur {
			s.Inet = append(s.Inet, conn(i, st))
		}
		// Mostly the previous order (as the kernel's hash table gives), some moved.
		slices.SortFunc(s.Inet, func(a, b netstat.Socket) int { return int(a.Inode) - int(b.Inode) })
		for range 50 {
			a, b := rng.IntN(len(s.Inet)), rng.IntN(len(s.Inet))
			s.Inet[a], s.Inet[b] = s.Inet[b], s.Inet[a]
		}
		return s
	}
	var snaps []*netstat.Snapshot
	type change struct {
		added, changed, closed map[int]bool
		open                   int // sockets in the stream
	}
	var changes []change
	next := n
	snaps = append(snaps, snap(0))
	for k := 1; k <= 6; k++ {
		c := change{added: map[int]bool{}, changed: map[int]bool{}, closed: map[int]bool{}}
		for i, st := range cur {
			switch rng.IntN(40) {
			case 0:
				delete(cur, i)
				c.closed[i] = true
			case 1:
				if st != netstat.CloseWait {
					cur[i] = netstat.CloseWait
					c.changed[i] = true
				}
			}
		}
		for range 30 {
			cur[next] = netstat.SynSent
			c.added[next] = true
			next++
		}
		snaps = append(snaps, snap(k))
		c.open = len(cur)
		changes = append(changes, c)
	}
	h := newHarness(t, snaps...)
	h.m.sortCol = colState // kept between refreshes, and moved by state changes
	h.m.rebuild()
	var prevClosed map[int]bool
	for k, c := range changes {
		h.refresh()
		counts := [4]int{}
		for _, ln := range h.m.order {
			r := h.m.rows.at(int(ln))
			i := int(r.inode - 1)
			var want mark
			switch {
			case c.added[i]:
				want = markNew
			case c.changed[i]:
				want = markChanged
			case c.closed[i] || prevClosed[i]:
				want = markClosed
			}
			if r.mark() != want && !(want == markNone && (r.mark() == markNew || r.mark() == markChanged)) {
				t.Fatalf("refresh %d: socket %d marked %q, want %q", k+1, i, markText[r.mark()], markText[want])
			}
			counts[r.mark()]++
		}
		if counts != h.m.counts {
			t.Errorf("refresh %d: counts %v, the rows say %v", k+1, h.m.counts, counts)
		}
		if want := c.open + len(c.closed) + len(prevClosed); len(h.m.order) != want {
			t.Errorf("refresh %d: %d rows, want %d", k+1, len(h.m.order), want)
		}
		full := slices.Clone(h.m.order)
		h.m.orderOK = false
		h.m.sortRows()
		if diff := cmp.Diff(h.m.order, full); diff != "" {
			t.Fatalf("refresh %d: the kept order differs from a full sort (-full +kept):\n%s", k+1, diff)
		}
		prevClosed = c.closed
	}
}

// TestStaleStreamIsDrained pauses while a stream of several chunks is on its way:
// its chunks are not applied, and the rest of the stream is read to its end.
func TestStaleStreamIsDrained(t *testing.T) {
	big := synthetic(3*chunkLen, t0, 1)
	h := newHarness(t, snapA(), big)
	first := h.m.fetch()().(chunkMsg) // the first chunk of the big stream
	if first.done {
		t.Fatal("test premise: the stream has several chunks")
	}
	h.keys("p")
	_, cmd := h.m.Update(first)
	if cmd == nil {
		t.Fatal("a stale chunk did not drain its stream")
	}
	if msg := cmd(); msg != nil {
		t.Errorf("draining returned %T", msg)
	}
	if len(h.rowsShown()) != 7 {
		t.Errorf("%d rows after a stale stream, want snapA's 7", len(h.rowsShown()))
	}
}
