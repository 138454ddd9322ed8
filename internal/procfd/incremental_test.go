package procfd

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

// fdDir is a /proc/PID/fd directory whose size (the descriptor count Linux reports)
// is n.
func fdDir(n int) *fstest.MapFile {
	return &fstest.MapFile{Mode: fs.ModeDir | 0o500, Data: []byte(strings.Repeat(".", n))}
}

// finderProc is a /proc of four processes; 20 and 30 share socket 100.
func finderProc() fstest.MapFS {
	return fstest.MapFS{
		"1/cmdline":  {Data: []byte("/sbin/init\x00")},
		"1/status":   {Data: []byte("Uid:\t0\t0\t0\t0\n")},
		"1/fd":       fdDir(1),
		"1/fd/0":     link("/dev/null"),
		"20/cmdline": {Data: []byte("/usr/sbin/nginx\x00-g\x00daemon off;\x00")},
		"20/status":  {Data: []byte("Uid:\t0\t0\t0\t0\n")},
		"20/fd":      fdDir(2),
		"20/fd/3":    link("socket:[100]"),
		"20/fd/4":    link("socket:[101]"),
		"30/cmdline": {Data: []byte("nginx: worker process\x00")},
		"30/status":  {Data: []byte("Uid:\t33\t33\t33\t33\n")},
		"30/fd":      fdDir(2),
		"30/fd/3":    link("socket:[100]"),
		"30/fd/5":    link("socket:[102]"),
		"40/cmdline": {Data: []byte("/usr/bin/sleep\x00infinity\x00")},
		"40/status":  {Data: []byte("Uid:\t1000\t1000\t1000\t1000\n")},
		"40/fd":      fdDir(1),
		"40/fd/0":    link("socket:[103]"),
	}
}

var (
	nginx  = netstat.Process{PID: 20, Name: "nginx", Cmdline: []string{"/usr/sbin/nginx", "-g", "daemon off;"}, UID: 0}
	worker = netstat.Process{PID: 30, Name: "nginx: worker process", Cmdline: []string{"nginx: worker process"}, UID: 33}
	sleepP = netstat.Process{PID: 40, Name: "sleep", Cmdline: []string{"/usr/bin/sleep", "infinity"}, UID: 1000}
)

func holdersOf(f *Found, inodes ...uint64) map[uint64][]netstat.Process {
	out := map[uint64][]netstat.Process{}
	for _, ino := range inodes {
		if h := f.Holders(ino); h != nil {
			out[ino] = h
		}
	}
	return out
}

func TestFinderFirstCallReadsEveryProcess(t *testing.T) {
	f := NewFinder(finderProc())
	got := f.Find([]uint64{100, 101, 102, 103, 999, 0})
	want := map[uint64][]netstat.Process{
		100: {nginx, worker}, // shared: both holders, although one was enough to find it
		101: {nginx},
		102: {worker},
		103: {sleepP},
	}
	if diff := cmp.Diff(want, holdersOf(got, 100, 101, 102, 103, 999)); diff != "" {
		t.Errorf("holders (-want +got):\n%s", diff)
	}
	if !got.Complete || got.Read != 4 || got.Len() != 4 {
		t.Errorf("Complete %v, Read %d, Len %d; want true, 4, 4", got.Complete, got.Read, got.Len())
	}
	// Lists are shared between the inodes with the same holders.
	if len(got.Sets) != 4 {
		t.Errorf("%d holder lists, want 4 (nginx+worker, nginx, worker, sleep)", len(got.Sets))
	}
	a, _ := got.Set(101)
	got2 := f.Find([]uint64{101})
	if b, _ := got2.Set(101); len(got2.Sets) != 1 || b != 0 || a < 0 {
		t.Errorf("a one-inode call: sets %d, index %d", len(got2.Sets), b)
	}
}

func TestFinderLaterCallsReadChangedProcessesFirstAndStopEarly(t *testing.T) {
	proc := finderProc()
	f := NewFinder(proc)
	f.firstBatch = 1 // check after every process
	f.Find([]uint64{100})
	// 40 opens a socket (its count changes); a new process 50 appears with another.
	proc["40/fd"] = fdDir(2)
	proc["40/fd/1"] = link("socket:[104]")
	proc["50/cmdline"] = &fstest.MapFile{Data: []byte("sshd\x00")}
	proc["50/status"] = &fstest.MapFile{Data: []byte("Uid:\t0\t0\t0\t0\n")}
	proc["50/fd"] = fdDir(1)
	proc["50/fd/3"] = link("socket:[105]")

	got := f.Find([]uint64{104})
	if h := got.Holders(104); len(h) != 1 || h[0].PID != 40 {
		t.Fatalf("104 held by %+v, want PID 40", h)
	}
	// New processes first (50), then changed ones (40) in the next batch of two (with
	// 20, a socket holder): found after three reads of five.
	if got.Read != 3 || got.Complete {
		t.Errorf("read %d processes (complete %v), want 3 and an early stop", got.Read, got.Complete)
	}
	// An inode nobody holds: every process is read, and it is reported missing.
	got = f.Find([]uint64{999})
	if got.Holders(999) != nil || !got.Complete || got.Read != 5 {
		t.Errorf("999: holders %v, complete %v, read %d; want none, true, 5", got.Holders(999), got.Complete, got.Read)
	}
	// A process that went away is forgotten; its socket is not found.
	for _, k := range []string{"50/cmdline", "50/status", "50/fd", "50/fd/3"} {
		delete(proc, k)
	}
	got = f.Find([]uint64{105})
	if got.Holders(105) != nil || !got.Complete {
		t.Errorf("105 after its holder exited: %v (complete %v)", got.Holders(105), got.Complete)
	}
	if _, ok := f.seen[50]; ok {
		t.Error("the exited process is still remembered")
	}
}

func TestFinderUnreadableProc(t *testing.T) {
	got := NewFinder(brokenFS{}).Find([]uint64{1})
	if !got.Unreadable || got.Holders(1) != nil {
		t.Errorf("Unreadable %v, holders %v", got.Unreadable, got.Holders(1))
	}
}

// brokenFS fails every open.
type brokenFS struct{}

func (brokenFS) Open(string) (fs.File, error) { return nil, fs.ErrPermission }
