package procfd

import (
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func link(target string) *fstest.MapFile {
	return &fstest.MapFile{Mode: fs.ModeSymlink | 0o777, Data: []byte(target)}
}

func TestScan(t *testing.T) {
	proc := fstest.MapFS{
		"1/cmdline":     {Data: []byte("/sbin/init\x00splash\x00")},
		"1/fd/0":        link("/dev/null"),
		"1/fd/3":        link("socket:[100]"),
		"20/cmdline":    {Data: []byte("/usr/local/bin/my prog with spaces\x00")},
		"20/fd/4":       link("socket:[200]"),
		"20/fd/5":       link("socket:[100]"), // shared with pid 1: lowest pid wins
		"300/cmdline":   {Data: []byte("relative/name\x00arg")},
		"300/fd/7":      link("[0000]:300"),
		"4000/cmdline":  {Data: []byte("/trailing/slash/\x00")},
		"4000/fd/1":     link("socket:[400]"),
		"50000/cmdline": {Data: []byte("/x/averyveryverylongprogramname\x00")},
		"50000/fd/2":    link("socket:[500]"),
		"self":          link("1"),
		"net/tcp":       {Data: []byte("")},
	}
	o := Scan(proc)
	for inode, want := range map[uint64]netstat.Process{
		100: {PID: 1, Name: "init"},
		200: {PID: 20, Name: "my prog with spaces"},
		300: {PID: 300, Name: "relative/name"},
		400: {PID: 4000, Name: ""},
		500: {PID: 50000, Name: "averyveryverylongprogramname"}, // whole: textfmt cuts
	} {
		if diff := cmp.Diff(&want, o.Lookup(inode)); diff != "" {
			t.Errorf("Lookup(%d) (-want +got):\n%s", inode, diff)
		}
	}
	if p := o.Lookup(999); p != nil {
		t.Errorf("Lookup(999) = %+v for an inode nobody holds", p)
	}
	// Without Every, Holders lists the lowest-PID holder only.
	if diff := cmp.Diff([]netstat.Process{{PID: 1, Name: "init"}}, o.Holders(100)); diff != "" {
		t.Errorf("Holders(100) (-want +got):\n%s", diff)
	}
	if o.Denied || o.Notice(0) != "" {
		t.Errorf("unexpected notice %q", o.Notice(0))
	}
}

func TestProgramName(t *testing.T) {
	tests := []struct {
		cmdline string
		want    string
	}{
		{"/usr/local/bin/my prog with spaces\x00", "my prog with spaces"},
		{"relative/name", "relative/name"},
		{"/trailing/slash/\x00", ""},
		{"\x00", ""},
		{"/x/esc\x1b[31mred\ttab\x00arg", "esc\x1b[31mred\ttab"},
		{"/opt/\xffbin/\xc3\xa9t\xc3\xa9\x00", "\xc3\xa9t\xc3\xa9"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ProgramName([]byte(tt.cmdline)); got != tt.want {
			t.Errorf("ProgramName(%q) = %q, want %q", tt.cmdline, got, tt.want)
		}
	}
}

// TestEvery checks that an Owners that keeps every holder lists them all, lowest PID
// first, whatever order the scan met them in, while Lookup still gives the lowest.
func TestEvery(t *testing.T) {
	proc := fstest.MapFS{
		"7/cmdline":   {Data: []byte("/usr/sbin/nginx\x00")},
		"7/fd/3":      link("socket:[100]"),
		"7/fd/4":      link("socket:[100]"), // dup'ed fd: one holder
		"12/cmdline":  {Data: []byte("nginx: worker process\x00")},
		"12/fd/3":     link("socket:[100]"),
		"12/fd/9":     link("socket:[200]"),
		"3/cmdline":   {Data: []byte("/usr/lib/systemd/systemd\x00")},
		"3/fd/40":     link("socket:[100]"),
		"300/cmdline": {Data: []byte("curl\x00")},
		"300/fd/1":    link("socket:[300]"),
	}
	// Lazily, and read at once (as a scan that met a denied process is).
	for name, o := range map[string]*Owners{"lazy": lazy(fsTable{proc}, true), "eager": ScanEvery(proc)} {
		if p := o.Lookup(100); p == nil || p.PID != 3 {
			t.Errorf("%s: Lookup(100) = %+v; want PID 3", name, p)
		}
		want := []netstat.Process{{PID: 3, Name: "systemd"}, {PID: 7, Name: "nginx"}, {PID: 12, Name: "nginx: worker process"}}
		if diff := cmp.Diff(want, o.Holders(100)); diff != "" {
			t.Errorf("%s: Holders(100) (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff([]netstat.Process{{PID: 300, Name: "curl"}}, o.Holders(300)); diff != "" {
			t.Errorf("%s: Holders(300) (-want +got):\n%s", name, diff)
		}
		if got := o.Holders(999); got != nil {
			t.Errorf("%s: Holders(999) = %+v", name, got)
		}
	}
}

// TestLookupAllocs checks that the -p column's look-up allocates nothing.
func TestLookupAllocs(t *testing.T) {
	proc := fstest.MapFS{"5/cmdline": {Data: []byte("prog\x00")}, "5/fd/3": link("socket:[100]")}
	o := Scan(proc)
	if n := testing.AllocsPerRun(100, func() { o.Lookup(100); o.Lookup(101) }); n != 0 {
		t.Errorf("%v allocations per Lookup, want 0", n)
	}
}

func TestSocketInode(t *testing.T) {
	for link, want := range map[string]uint64{"socket:[123]": 123, "[0000]:77": 77, "pipe:[5]": 0, "socket:[12": 0, "socket:[x]": 0} {
		got, ok := SocketInode(link)
		if got != want || ok != (want != 0) {
			t.Errorf("SocketInode(%q) = %d, %v", link, got, ok)
		}
	}
}

func TestNotice(t *testing.T) {
	none := &Owners{Denied: true}
	if got, want := none.Notice(4242), "(No info could be read for \"-p\": geteuid()=4242 but you should be root.)\n"; got != want {
		t.Errorf("got %q", got)
	}
	some := &Owners{Denied: true, owners: []netstat.Process{{PID: 1, Name: "x"}}}
	some.add(1, 0)
	if got, want := some.Notice(65534), "(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n"; got != want {
		t.Errorf("got %q", got)
	}
}

func FuzzSocketInode(f *testing.F) {
	f.Add("socket:[123]")
	f.Add("[0000]:9")
	f.Fuzz(func(t *testing.T, s string) {
		if ino, ok := SocketInode(s); !ok && ino != 0 {
			t.Fatalf("SocketInode(%q) = %d with ok=false", s, ino)
		}
	})
}

func TestInodeTable(t *testing.T) {
	var tab inodeTable
	want := map[uint64]uint32{}
	// Socket inodes come in runs (get_next_ino hands out per-CPU batches) with gaps,
	// plus the values no Linux socket has: 0 and beyond 32 bits.
	for i := uint64(0); i < 5000; i++ {
		for _, ino := range []uint64{1000 + i, 1<<31 + 7*i, 1<<32 - 1 - i} {
			want[ino] = uint32(i)
			tab.put(ino, uint32(i))
		}
	}
	for _, ino := range []uint64{0, 1 << 32, 1<<63 + 5} {
		want[ino] = 42
		tab.put(ino, 42)
	}
	tab.put(1000, 7) // replaces
	want[1000] = 7
	if tab.len() != len(want) {
		t.Errorf("len() = %d, want %d", tab.len(), len(want))
	}
	for ino, v := range want {
		if got, ok := tab.get(ino); !ok || got != v {
			t.Errorf("get(%d) = %d, %v; want %d", ino, got, ok, v)
		}
	}
	for _, ino := range []uint64{1, 999, 6000, 1<<32 + 1, 3} {
		if got, ok := tab.get(ino); ok {
			t.Errorf("get(%d) = %d, want none", ino, got)
		}
	}
	var empty inodeTable
	if _, ok := empty.get(5); ok || empty.len() != 0 {
		t.Error("empty table answers")
	}
}

// countingTable counts the processes whose fds were read, and the socket fds read.
// A scan reads them from several goroutines.
type countingTable struct {
	processTable
	mu      sync.Mutex
	read    map[int]bool
	sockets int
	opened  int
}

func (c *countingTable) openFDs(pid int) (fdCursor, bool) {
	c.mu.Lock()
	c.read[pid] = true
	c.opened++
	c.mu.Unlock()
	fds, denied := c.processTable.openFDs(pid)
	if fds == nil {
		return nil, denied
	}
	return countingCursor{fds, c}, false
}

type countingCursor struct {
	fdCursor
	c *countingTable
}

func (cc countingCursor) next(fn func(uint64) bool) bool {
	return cc.fdCursor.next(func(ino uint64) bool {
		cc.c.mu.Lock()
		cc.c.sockets++
		cc.c.mu.Unlock()
		return fn(ino)
	})
}

// gateTable holds the reading of process held until process first has reported its
// first socket: it makes "a process above the holder started beside it pauses at its
// next socket" checkable without depending on how the scheduler interleaves readers.
type gateTable struct {
	processTable
	first, held int
	found       chan struct{}
	once        sync.Once
}

func (g *gateTable) openFDs(pid int) (fdCursor, bool) {
	fds, denied := g.processTable.openFDs(pid)
	if fds == nil || pid != g.first && pid != g.held {
		return fds, denied
	}
	return gateCursor{fds, g, pid}, false
}

type gateCursor struct {
	fdCursor
	g   *gateTable
	pid int
}

func (gc gateCursor) next(fn func(uint64) bool) bool {
	if gc.pid == gc.g.held {
		<-gc.g.found
		return gc.fdCursor.next(fn)
	}
	return gc.fdCursor.next(func(ino uint64) bool {
		more := fn(ino)
		gc.g.once.Do(func() { close(gc.g.found) })
		return more
	})
}

// TestLazy checks that a lazy Owners reads only the processes a lookup needs, in
// ascending PID order, and answers every lookup as the full scan does.
func TestLazy(t *testing.T) {
	proc := fstest.MapFS{}
	const n = 400
	for pid := 1; pid <= n; pid++ {
		p := strconv.Itoa(pid)
		proc[p+"/cmdline"] = &fstest.MapFile{Data: []byte("prog" + p + "\x00")}
		proc[p+"/fd/3"] = link("socket:[" + strconv.Itoa(1000+pid) + "]")
		proc[p+"/fd/4"] = link("/dev/null")
	}
	// Inode 7 is held by PIDs 9 and 150 (lowest wins), 8 by 150 alone. Directory
	// order puts "150" before "9": the scan must order PIDs numerically.
	proc["9/fd/5"] = link("socket:[7]")
	proc["150/fd/5"] = link("socket:[7]")
	proc["150/fd/6"] = link("socket:[8]")

	ct := &countingTable{processTable: fsTable{proc}, read: map[int]bool{}}
	o := lazy(ct, false)
	if got := o.Lookup(7); got == nil || got.PID != 9 || got.Name != "prog9" {
		t.Fatalf("Lookup(7) = %+v, want 9/prog9", got)
	}
	for pid := 1; pid <= 9; pid++ {
		if !ct.read[pid] {
			t.Errorf("Lookup(7) answered without reading PID %d, below the holder", pid)
		}
	}
	for pid := range ct.read {
		if pid > firstBatch {
			t.Errorf("PID %d read before lower PIDs", pid)
		}
	}
	if got := o.Lookup(8); got == nil || got.PID != 150 || got.Name != "prog150" {
		t.Errorf("Lookup(8) = %+v", got)
	}
	if len(ct.read) >= n {
		t.Errorf("Lookup(8): all %d processes read", len(ct.read))
	}

	full := Scan(proc)
	for _, inode := range []uint64{7, 8, 1001, 1016, 1017, 1150, 1400, 9999, 0} {
		if diff := cmp.Diff(full.Lookup(inode), o.Lookup(inode)); diff != "" {
			t.Errorf("Lookup(%d) (-full scan +lazy):\n%s", inode, diff)
		}
	}
	if len(ct.read) != n {
		t.Errorf("after a lookup of an unknown inode: %d of %d processes read", len(ct.read), n)
	}
}

// TestLazyStopsInProcess checks that a lookup stops reading a process's fds at the one
// that answers it, that a later lookup goes on from there, and that processes below
// the holder are still read whole: a server's listener is found without reading the
// thousands of connections it holds, and the lowest PID still wins.
func TestLazyStopsInProcess(t *testing.T) {
	proc := fstest.MapFS{}
	const conns = 1000
	for _, pid := range []int{10, 20, 30} {
		p := strconv.Itoa(pid)
		proc[p+"/cmdline"] = &fstest.MapFile{Data: []byte("srv" + p + "\x00")}
		// fd 3 is the server's listener; fds 4.. its connections. MapFS lists a
		// directory in name order: "3" comes after "1003", so the listener's name
		// is padded to read first.
		proc[p+"/fd/0003"] = link("socket:[" + strconv.Itoa(pid) + "]")
		for i := range conns {
			proc[p+"/fd/"+strconv.Itoa(1000+i)] = link("socket:[" + strconv.Itoa(pid*10000+i) + "]")
		}
	}
	// PID 30's last connection is also held by PID 10 (passed on): the lowest wins.
	proc["10/fd/9999"] = link("socket:[" + strconv.Itoa(30*10000+conns-1) + "]")

	ct := &countingTable{processTable: fsTable{proc}, read: map[int]bool{}}
	// PID 30 may be read beside 20: left to the scheduler, it could read any number
	// of its fds before 20's reader reports the listener, so it is held until then.
	gated := &gateTable{processTable: ct, first: 20, held: 30, found: make(chan struct{})}
	o := lazy(gated, false)
	if got := o.Lookup(20); got == nil || got.PID != 20 || got.Name != "srv20" {
		t.Fatalf("Lookup(20) = %+v, want 20/srv20", got)
	}
	// PID 10 is read whole (it is below the holder); PID 20 up to its listener;
	// PID 30 at most up to its first socket (it may have been started beside 20).
	if ct.sockets > conns+1+1+2 {
		t.Errorf("Lookup(20) read %d socket fds, want at most %d", ct.sockets, conns+4)
	}
	full := Scan(proc)
	for _, inode := range []uint64{10, 30, 200999, 300000, 300000 + conns - 1, 100000, 4242} {
		if diff := cmp.Diff(full.Lookup(inode), o.Lookup(inode)); diff != "" {
			t.Errorf("Lookup(%d) (-full scan +lazy):\n%s", inode, diff)
		}
	}
	if got := o.Lookup(300000 + conns - 1); got == nil || got.PID != 10 {
		t.Errorf("inode held by 10 and 30: Lookup = %+v, want PID 10", got)
	}
	if ct.opened != 3 {
		t.Errorf("fd directories opened %d times, want 3 (a paused process goes on where it stopped)", ct.opened)
	}
	if ct.sockets != 3*(conns+1)+1 {
		t.Errorf("socket fds read %d times in all, want each of the %d once", ct.sockets, 3*(conns+1)+1)
	}
}

// TestWant checks that asking for a table's inodes at once reads the processes up to
// the last holder, and that the Lookups that follow answer as a full scan does
// without reading more.
func TestWant(t *testing.T) {
	proc := fstest.MapFS{}
	const conns = 300
	pids := []int{10, 20, 30, 40, 50}
	for _, pid := range pids {
		p := strconv.Itoa(pid)
		proc[p+"/cmdline"] = &fstest.MapFile{Data: []byte("srv" + p + "\x00")}
		proc[p+"/fd/0003"] = link("socket:[" + strconv.Itoa(pid) + "]")
		for i := range conns {
			proc[p+"/fd/"+strconv.Itoa(1000+i)] = link("socket:[" + strconv.Itoa(pid*10000+i) + "]")
		}
	}
	// 30's listener is also held by 20 (passed on, and read after 20's connections):
	// the lowest PID wins even though 30 may be read first.
	proc["20/fd/9999"] = link("socket:[30]")

	ct := &countingTable{processTable: fsTable{proc}, read: map[int]bool{}}
	o := lazy(ct, false)
	want := []uint64{30, 10, 0, 300005}
	o.Want(want)
	// Processes above the last holder (30) may have been started beside it, before
	// it was found, so how much of them was read depends on the scheduler; the
	// processes below it must have been read whole.
	for _, pid := range []int{10, 20, 30} {
		if !ct.read[pid] {
			t.Errorf("PID %d, not above the last holder, was not read", pid)
		}
	}
	readBefore := ct.sockets
	full := Scan(proc)
	for _, inode := range want {
		if diff := cmp.Diff(full.Lookup(inode), o.Lookup(inode)); diff != "" {
			t.Errorf("Lookup(%d) (-full scan +after Want):\n%s", inode, diff)
		}
	}
	if got := o.Lookup(30); got == nil || got.PID != 20 {
		t.Errorf("Lookup(30) = %+v, want PID 20 (the lowest holder)", got)
	}
	if ct.sockets != readBefore {
		t.Errorf("Lookups after Want read %d more socket fds", ct.sockets-readBefore)
	}
	// An inode no process holds makes Want read everything, and answers stay right.
	o.Want([]uint64{4242, 50})
	for _, pid := range pids {
		if !ct.read[pid] {
			t.Errorf("PID %d not read for an inode nobody holds", pid)
		}
	}
	for _, inode := range []uint64{4242, 50, 500299, 20, 200000} {
		if diff := cmp.Diff(full.Lookup(inode), o.Lookup(inode)); diff != "" {
			t.Errorf("Lookup(%d) (-full scan +after Want):\n%s", inode, diff)
		}
	}
}

// TestPrefetch checks that a background read stopped at any point leaves an Owners
// whose lookups answer as a full scan does, that it reads nothing twice, and that
// stopping it twice, or stopping none, is harmless. Run with -race.
func TestPrefetch(t *testing.T) {
	proc := fstest.MapFS{}
	const conns = 200
	for pid := 10; pid <= 80; pid += 10 {
		p := strconv.Itoa(pid)
		proc[p+"/cmdline"] = &fstest.MapFile{Data: []byte("srv" + p + "\x00")}
		proc[p+"/fd/0003"] = link("socket:[" + strconv.Itoa(pid) + "]")
		for i := range conns {
			proc[p+"/fd/"+strconv.Itoa(1000+i)] = link("socket:[" + strconv.Itoa(pid*10000+i) + "]")
		}
	}
	proc["20/fd/9999"] = link("socket:[70]") // 70's listener, also held by 20
	full := Scan(proc)
	total := 8*(conns+1) + 1
	for _, wait := range []time.Duration{0, 50 * time.Microsecond, time.Millisecond, 50 * time.Millisecond} {
		ct := &countingTable{processTable: fsTable{proc}, read: map[int]bool{}}
		o := lazy(ct, false)
		o.Prefetch()
		o.Prefetch() // a second call while one runs does nothing
		time.Sleep(wait)
		o.Want([]uint64{70, 30})
		for _, inode := range []uint64{70, 30, 10, 200005, 800199, 4242} {
			if diff := cmp.Diff(full.Lookup(inode), o.Lookup(inode)); diff != "" {
				t.Errorf("after %v of prefetch: Lookup(%d) (-full scan +prefetched):\n%s", wait, inode, diff)
			}
		}
		o.StopPrefetch()
		o.StopPrefetch()
		if ct.sockets != total {
			t.Errorf("after %v of prefetch: %d socket fds read in all, want each of the %d once", wait, ct.sockets, total)
		}
	}
	var none *Owners
	none.Prefetch()
	none.StopPrefetch()
}

// TestLazyDenied checks that a lazy Owners knows at once that a process was denied
// and then reads every process, for the notice.
func TestLazyDenied(t *testing.T) {
	proc := fstest.MapFS{
		"1/cmdline": {Data: []byte("a\x00")},
		"1/fd/3":    link("socket:[100]"),
		"2/fd":      {Mode: fs.ModeDir}, // readable
	}
	o := lazy(deniedTable{fsTable{proc}, 2}, false)
	if !o.Denied || o.Len() != 1 {
		t.Errorf("Denied %v, Len %d; want true, 1", o.Denied, o.Len())
	}
	if o.Notice(1000) == "" || strings.Contains(o.Notice(1000), "No info") {
		t.Errorf("notice %q", o.Notice(1000))
	}
}

// deniedTable denies the fd directory of one PID.
type deniedTable struct {
	fsTable
	pid int
}

func (d deniedTable) fdDir(pid int) (int, bool) {
	if pid == d.pid {
		return 0, true
	}
	return d.fsTable.fdDir(pid)
}

func (d deniedTable) openFDs(pid int) (fdCursor, bool) {
	if pid == d.pid {
		return nil, true
	}
	return d.fsTable.openFDs(pid)
}
