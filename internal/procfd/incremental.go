package procfd

import (
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/netstat-go/netstat/netstat"
)

// Finder finds the processes that hold given socket inodes, for a view that refreshes:
// it remembers between calls which processes it has read and how many descriptors
// each had, so that a later call reads first the processes most likely to hold a new
// socket and stops as soon as every inode asked for is found.
//
// The first call reads every process, so that a socket several processes share (a
// listener inherited by forked workers) lists them all. Later calls read, in this
// order: processes not seen before, processes whose descriptor count changed
// (the size of /proc/PID/fd, which Linux reports since 6.2; 0 before, which counts as
// changed), processes that held sockets, then the rest; and they stop once every
// inode is found, so a new socket's later co-holders are not looked for. A Finder is
// not safe for concurrent use.
type Finder struct {
	table processTable
	proc  fs.FS
	// fdCount returns the size of /proc/PID/fd, or false.
	fdCount func(pid int) (int64, bool)
	// seen holds what the last read of each process found.
	seen map[int]procSeen
	// whole is set once a call has read every process.
	whole bool
	// firstBatch is the number of processes read before the first check whether
	// every inode is found (the batches double from there).
	firstBatch int
}

// procSeen is what a Finder remembers of a process.
type procSeen struct {
	fds     int64 // the size of /proc/PID/fd before the read; 0 when unknown
	sockets bool  // it held a socket
}

// Found is what Finder.Find found.
type Found struct {
	// Sets are the distinct lists of holders, each lowest PID first. Processes have
	// PID, name, command line and real uid.
	Sets [][]netstat.Process
	// Denied are the PIDs whose fd directory could not be read, ascending.
	Denied []int
	// Unreadable reports that /proc itself could not be listed.
	Unreadable bool
	// Read is the number of processes whose descriptors were read, and Complete
	// reports that every process was: an inode asked for and not found has no holder
	// (or one whose descriptors could not be read).
	Read     int
	Complete bool

	// byInode maps each inode asked for to 1 + the index of its list in Sets, or 0.
	byInode inodeTable
	found   int
}

// Set returns the index in Sets of the holders of inode, or false when it was not
// found (or not asked for).
func (f *Found) Set(inode uint64) (int, bool) {
	v, ok := f.byInode.get(inode)
	if !ok || v == 0 {
		return 0, false
	}
	return int(v - 1), true
}

// Holders returns the processes holding inode, or nil.
func (f *Found) Holders(inode uint64) []netstat.Process {
	if i, ok := f.Set(inode); ok {
		return f.Sets[i]
	}
	return nil
}

// Len is the number of inodes found.
func (f *Found) Len() int { return f.found }

// NewFinder returns a Finder over proc (an fs.FS rooted at /proc that implements
// fs.ReadLinkFS).
func NewFinder(proc fs.FS) *Finder {
	return &Finder{table: fsTable{proc}, proc: proc, fdCount: func(pid int) (int64, bool) {
		fi, err := fs.Stat(proc, strconv.Itoa(pid)+"/fd")
		if err != nil {
			return 0, false
		}
		return fi.Size(), true
	}, seen: map[int]procSeen{}, firstBatch: firstBatch}
}

// Find returns the holders of the inodes in want (0 is ignored).
func (f *Finder) Find(want []uint64) *Found {
	out := &Found{}
	pids, err := f.table.pids()
	if err != nil {
		out.Unreadable = true
		return out
	}
	// wanted maps each inode to 1 + the PID of the first holder found, or 0; co
	// holds the further holders of shared sockets.
	wanted := &out.byInode
	wanted.reserve(len(want))
	for _, ino := range want {
		if ino != 0 {
			wanted.put(ino, 0)
		}
	}
	co := map[uint64][]int{}
	left := wanted.len()
	if left == 0 {
		out.Complete = true
		return out
	}
	// The order: class, then PID.
	type job struct {
		pid   int
		class uint8
		fds   int64
	}
	jobs := make([]job, 0, len(pids))
	for _, pid := range pids {
		j := job{pid: pid}
		n, ok := f.fdCount(pid)
		if ok {
			j.fds = n
		}
		prev, known := f.seen[pid]
		switch {
		case !known:
			j.class = 0
		case j.fds == 0 || j.fds != prev.fds:
			j.class = 1
		case prev.sockets:
			j.class = 2
		default:
			j.class = 3
		}
		jobs = append(jobs, j)
	}
	slices.SortFunc(jobs, func(a, b job) int {
		if a.class != b.class {
			return int(a.class) - int(b.class)
		}
		return a.pid - b.pid
	})
	// Forget processes that have gone.
	live := make(map[int]procSeen, len(pids))

	var mu sync.Mutex
	stopEarly := f.whole
	batch := f.firstBatch
	for len(jobs) > 0 && !(stopEarly && left == 0) {
		n := min(batch, len(jobs))
		part := jobs[:n]
		jobs = jobs[n:]
		batch = min(2*batch, maxBatch)
		next := make(chan job, n)
		for _, j := range part {
			next <- j
		}
		close(next)
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0)*2, 8, n) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var inodes []uint64
				for j := range next {
					var denied bool
					inodes, denied = socketInodes(f.table, j.pid, inodes[:0])
					mu.Lock()
					out.Read++
					if denied {
						out.Denied = append(out.Denied, j.pid)
					}
					live[j.pid] = procSeen{fds: j.fds, sockets: len(inodes) > 0}
					for _, ino := range inodes {
						v, ok := wanted.get(ino)
						switch {
						case !ok || int(v)-1 == j.pid:
						case v == 0:
							wanted.put(ino, uint32(j.pid)+1)
							left--
						default:
							if l := co[ino]; len(l) == 0 || l[len(l)-1] != j.pid {
								co[ino] = append(l, j.pid)
							}
						}
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	out.Complete = len(jobs) == 0
	// Processes not read this time keep what was known of them.
	for _, j := range jobs {
		if s, ok := f.seen[j.pid]; ok {
			live[j.pid] = s
		}
	}
	f.seen = live
	if out.Complete {
		f.whole = true
	}
	slices.Sort(out.Denied)
	f.collect(out, co)
	return out
}

// collect turns the PIDs found per inode into distinct holder lists of processes,
// reading each holder's command line and uid once, and points byInode at them.
func (f *Finder) collect(out *Found, co map[uint64][]int) {
	procs := map[int]netstat.Process{}
	single := map[int]uint32{} // PID -> 1 + its one-process list
	shared := map[string]uint32{}
	process := func(pid int) netstat.Process {
		p, ok := procs[pid]
		if !ok {
			p = readProcess(f.proc, pid)
			procs[pid] = p
		}
		return p
	}
	var key []byte
	set := func(ino uint64, first uint32) uint32 {
		pid := int(first) - 1
		more := co[ino]
		if len(more) == 0 {
			v, ok := single[pid]
			if !ok {
				out.Sets = append(out.Sets, []netstat.Process{process(pid)})
				v = uint32(len(out.Sets))
				single[pid] = v
			}
			return v
		}
		pids := append([]int{pid}, more...)
		slices.Sort(pids)
		pids = slices.Compact(pids)
		key = key[:0]
		for _, p := range pids {
			key = strconv.AppendInt(append(key, ' '), int64(p), 10)
		}
		v, ok := shared[string(key)]
		if !ok {
			l := make([]netstat.Process, len(pids))
			for k, p := range pids {
				l[k] = process(p)
			}
			out.Sets = append(out.Sets, l)
			v = uint32(len(out.Sets))
			shared[string(key)] = v
		}
		return v
	}
	t := &out.byInode
	for i, s := range t.slots {
		if s != 0 && uint32(s) > 1 { // found: the value (1 + PID) is not 0
			v := set(s>>32, uint32(s)-1)
			t.slots[i] = s&^0xffffffff | uint64(v+1)
			out.found++
		}
	}
	for ino, first := range t.other {
		if first != 0 {
			t.other[ino] = set(ino, first)
			out.found++
		}
	}
}

// reserve sizes an empty table for n inodes, so that filling it does not grow it.
func (t *inodeTable) reserve(n int) {
	size := 1024
	for size < 2*n {
		size *= 2
	}
	if len(t.slots) < size && t.n == 0 {
		t.slots = make([]uint64, size)
	}
}
