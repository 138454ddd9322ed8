package procfd

import (
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
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
	for inode, want := range map[uint64]string{
		100: "1/init",
		200: "20/my prog with spa",
		300: "300/relative/name",
		400: "4000/",
		500: "50000/averyveryvery",
		999: "",
	} {
		if got := o.Lookup(inode); got != want {
			t.Errorf("Lookup(%d) = %q, want %q", inode, got, want)
		}
	}
	if o.Denied || o.Notice(0) != "" {
		t.Errorf("unexpected notice %q", o.Notice(0))
	}
}

func TestProgramText(t *testing.T) {
	tests := []struct {
		pid     int
		cmdline string
		want    string
	}{
		{17060, "/usr/local/bin/my prog with spaces\x00", "17060/my prog with "},
		{17062, "relative/name", "17062/relative/name"},
		{17272, "/trailing/slash/\x00", "17272/"},
		{17270, "\x00", "17270/"},
		{17266, "/x/esc\x1b[31mred\ttab\x00", "17266/esc\x1b[31mred\tt"},
		{1, "", "1/"},
	}
	for _, tt := range tests {
		if got := ProgramText(tt.pid, []byte(tt.cmdline)); got != tt.want {
			t.Errorf("ProgramText(%d, %q) = %q, want %q", tt.pid, tt.cmdline, got, tt.want)
		}
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
	some := &Owners{Denied: true, owners: []owner{{1, "1/x"}}}
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

// countingTable counts the processes whose fds were read. The scan's workers call it
// concurrently; the test reads read only between look-ups.
type countingTable struct {
	processTable
	mu   sync.Mutex
	read map[int]bool
}

func (c *countingTable) socketInodes(pid int, inodes []uint64) ([]uint64, bool) {
	c.mu.Lock()
	c.read[pid] = true
	c.mu.Unlock()
	return c.processTable.socketInodes(pid, inodes)
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
	o := lazy(ct)
	if got := o.Lookup(7); got != "9/prog9" {
		t.Fatalf("Lookup(7) = %q, want 9/prog9", got)
	}
	if len(ct.read) != firstBatch {
		t.Errorf("after one lookup answered by PID 9: %d processes read, want %d", len(ct.read), firstBatch)
	}
	for pid := range ct.read {
		if pid > firstBatch {
			t.Errorf("PID %d read before lower PIDs", pid)
		}
	}
	if got := o.Lookup(8); got != "150/prog150" {
		t.Errorf("Lookup(8) = %q", got)
	}
	if len(ct.read) >= n {
		t.Errorf("Lookup(8): all %d processes read", len(ct.read))
	}

	full := Scan(proc)
	for _, inode := range []uint64{7, 8, 1001, 1016, 1017, 1150, 1400, 9999, 0} {
		if got, want := o.Lookup(inode), full.Lookup(inode); got != want {
			t.Errorf("Lookup(%d) = %q, full scan %q", inode, got, want)
		}
	}
	if len(ct.read) != n {
		t.Errorf("after a lookup of an unknown inode: %d of %d processes read", len(ct.read), n)
	}
}

// TestLazyDenied checks that a lazy Owners knows at once that a process was denied
// and then reads every process, for the notice.
func TestLazyDenied(t *testing.T) {
	proc := fstest.MapFS{
		"1/cmdline": {Data: []byte("a\x00")},
		"1/fd/3":    link("socket:[100]"),
		"2/fd":      {Mode: fs.ModeDir}, // readable
	}
	o := lazy(deniedTable{fsTable{proc}, 2})
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

func (d deniedTable) denied(pid int) bool { return pid == d.pid || d.fsTable.denied(pid) }

func (d deniedTable) socketInodes(pid int, inodes []uint64) ([]uint64, bool) {
	if pid == d.pid {
		return inodes, true
	}
	return d.fsTable.socketInodes(pid, inodes)
}
