// Package procfd maps socket inodes to the processes that hold them, by reading the
// /proc/<pid>/fd links, the way net-tools' -p does (prg_cache_load).
package procfd

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/netstat-go/netstat/netstat"
)

// Owners maps socket inodes to the processes that hold them: the lowest PID for each
// inode, and from LiveEvery or ScanEvery all of them. A process has its PID and its
// whole program name (net-tools' argv[0] rule, not cut: the 19-byte "PID/program"
// column is textfmt's business); Cmdline and UID are not read. An Owners from Live scans lazily: Lookup
// reads further processes, in ascending PID order, only until it finds the inode it is
// asked for. It is not safe for concurrent use.
type Owners struct {
	byInode inodeTable // inode -> index in owners of its lowest-PID holder
	owners  []netstat.Process
	// every keeps, when non-nil, the other holders of shared inodes (for Holders).
	every map[uint64][]uint32
	// Denied reports that some /proc/<pid>/fd could not be read for lack of permission.
	Denied bool
	// deniedPIDs are those processes, in the order found.
	deniedPIDs []int
	// Unreadable reports that /proc itself could not be listed.
	Unreadable bool

	// The lazy scan: the processes paused part-way (ascending PID, all below rest's),
	// the processes not opened yet (ascending PID), and the size of the next batch.
	table  processTable
	paused []*reading
	rest   []int
	batch  int
	// prefetch, while non-nil, reads on in the background (Prefetch).
	prefetch *prefetch
}

// prefetch is a background read of an Owners.
type prefetch struct {
	stop atomic.Bool
	done chan struct{}
}

// Prefetch starts reading processes in the background, in ascending PID order, while
// the caller does something else (a listing waits for its netlink dump): the reading
// that the next Lookup, Want or Holders would do starts earlier. The first call of any
// of Owners' methods stops it where it is (a process read in part is paused, as a
// lookup leaves it) and goes on from there. What it reads beyond what the lookups turn
// out to need (processes above the last holder) is the price of starting before the
// inodes are known; it never reads more than a full scan.
func (o *Owners) Prefetch() {
	if o == nil || o.prefetch != nil || len(o.paused) == 0 && len(o.rest) == 0 {
		return
	}
	p := &prefetch{done: make(chan struct{})}
	o.prefetch = p
	go func() {
		defer close(p.done)
		for !p.stop.Load() && o.scanMore(nil, &p.stop) {
		}
	}()
}

// StopPrefetch stops a prefetch, if one runs, and waits for it; every other method
// does so first.
func (o *Owners) StopPrefetch() {
	if o != nil {
		o.settle()
	}
}

// settle stops a prefetch, if one runs, and waits for it: every method calls it first.
func (o *Owners) settle() {
	if p := o.prefetch; p != nil {
		p.stop.Store(true)
		<-p.done
		o.prefetch = nil
	}
}

// reading is one process whose fds are being read.
type reading struct {
	pid int
	fds fdCursor
	// owner is the index of the process in Owners.owners once one of its sockets was
	// found, -1 before.
	owner int32
}

// frontier is the lowest PID whose fds are not all read, or MaxInt: every process
// below it is known whole.
func (o *Owners) frontier() int {
	switch {
	case len(o.paused) > 0:
		return o.paused[0].pid
	case len(o.rest) > 0:
		return o.rest[0]
	}
	return math.MaxInt
}

// Lookup returns the process with the lowest PID holding inode, or nil when no process
// is known to hold it. The process is shared: it must not be modified. A lazy Owners
// reads further processes until it knows the answer: once every PID below a holder
// found has been read whole, no lower PID can hold the inode. It stops reading a
// process's fds at the one that answers (the rest are read if a later lookup needs
// them), so that a listing of a few listeners does not pay for the thousands of
// connections their servers hold beside them. Lookup does not allocate once the scan
// is over.
func (o *Owners) Lookup(inode uint64) *netstat.Process {
	if o == nil {
		return nil
	}
	o.settle()
	if !o.known(inode) && o.frontier() != math.MaxInt {
		o.Want([]uint64{inode})
	}
	if i, ok := o.byInode.get(inode); ok {
		// A later scan may move o.owners; this element keeps its value.
		return &o.owners[i]
	}
	return nil
}

// known reports whether inode's lowest-PID holder is known for good: found, and
// every process below it read whole.
func (o *Owners) known(inode uint64) bool {
	i, ok := o.byInode.get(inode)
	return ok && o.owners[i].PID <= o.frontier()
}

// Want reads on until the lowest-PID holder of each of inodes is known (or every
// process is read), so that the Lookups that follow read nothing. Asking for a
// table's inodes at once, rather than one Lookup at a time, lets the processes below
// the last holder be read concurrently: one at a time, each lookup would wait for the
// one process still unread below its holder. Zero inodes are ignored.
func (o *Owners) Want(inodes []uint64) {
	if o == nil {
		return
	}
	o.settle()
	var want map[uint64]struct{}
	for {
		clear(want)
		for _, ino := range inodes {
			if ino != 0 && !o.known(ino) {
				if want == nil {
					want = make(map[uint64]struct{}, len(inodes))
				}
				want[ino] = struct{}{}
			}
		}
		if len(want) == 0 || !o.scanMore(want, nil) {
			return
		}
	}
}

// Holders returns every process that holds inode, lowest PID first, or nil when none
// is known. It reads every process not read yet, and lists more than Lookup's holder
// only for an Owners that keeps them (LiveEvery, ScanEvery). The slice must not be
// modified.
func (o *Owners) Holders(inode uint64) []netstat.Process {
	if o == nil || inode == 0 {
		return nil
	}
	o.settle()
	for o.scanMore(nil, nil) {
	}
	i, ok := o.byInode.get(inode)
	if !ok {
		return nil
	}
	if len(o.every[inode]) == 0 {
		return o.owners[i : i+1 : i+1]
	}
	out := []netstat.Process{o.owners[i]}
	for _, j := range o.every[inode] {
		out = append(out, o.owners[j])
	}
	slices.SortFunc(out, func(a, b netstat.Process) int { return a.PID - b.PID })
	return slices.CompactFunc(out, func(a, b netstat.Process) bool { return a.PID == b.PID })
}

// Len is the number of socket inodes with a known owner (so far, for a lazy Owners).
func (o *Owners) Len() int {
	o.settle()
	return o.byInode.len()
}

// add records that the process owners[i] holds inode; the lowest PID wins the table,
// the others go to every when it is kept.
func (o *Owners) add(inode uint64, i uint32) {
	cur, ok := o.byInode.get(inode)
	if ok && o.every != nil && cur != i {
		if o.owners[cur].PID <= o.owners[i].PID {
			o.every[inode] = append(o.every[inode], i)
		} else {
			o.every[inode] = append(o.every[inode], cur)
		}
	}
	if ok && o.owners[cur].PID <= o.owners[i].PID {
		return
	}
	o.byInode.put(inode, i)
}

// inodeTable maps socket inodes to uint32 values. A listing looks up every row's
// inode, in kernel order, so a table of 200,000 inodes must answer a random lookup
// with about one cache miss: open addressing with linear probing over 8-byte slots,
// each holding the inode in its high half and the value+1 in its low half (0 is an
// empty slot). Linux's socket inodes are non-zero 32-bit numbers (get_next_ino); any
// other value goes to a map.
type inodeTable struct {
	slots []uint64
	n     int
	other map[uint64]uint32
}

func (t *inodeTable) len() int { return t.n + len(t.other) }

// slot returns the index of key's slot, or of the empty slot where it belongs.
func (t *inodeTable) slot(key uint32) int {
	mask := len(t.slots) - 1
	i := int((uint64(key)*0x9e3779b97f4a7c15)>>32) & mask
	for {
		s := t.slots[i]
		if s == 0 || uint32(s>>32) == key {
			return i
		}
		i = (i + 1) & mask
	}
}

func (t *inodeTable) get(inode uint64) (uint32, bool) {
	if inode == 0 || inode > 1<<32-1 {
		v, ok := t.other[inode]
		return v, ok
	}
	if t.n == 0 {
		return 0, false
	}
	s := t.slots[t.slot(uint32(inode))]
	if s == 0 {
		return 0, false
	}
	return uint32(s) - 1, true
}

func (t *inodeTable) put(inode uint64, v uint32) {
	if inode == 0 || inode > 1<<32-1 {
		if t.other == nil {
			t.other = make(map[uint64]uint32)
		}
		t.other[inode] = v
		return
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	i := t.slot(uint32(inode))
	if t.slots[i] == 0 {
		t.n++
	}
	t.slots[i] = inode<<32 | uint64(v+1)
}

// each calls fn with every inode and its value, in no particular order.
func (t *inodeTable) each(fn func(inode uint64, v uint32)) {
	for _, s := range t.slots {
		if s != 0 {
			fn(s>>32, uint32(s)-1)
		}
	}
	for inode, v := range t.other {
		fn(inode, v)
	}
}

// grow doubles the table (at least 1024 slots), keeping it at most half full.
func (t *inodeTable) grow() {
	old := t.slots
	t.slots = make([]uint64, max(2*len(old), 1024))
	for _, s := range old {
		if s != 0 {
			t.slots[t.slot(uint32(s>>32))] = s
		}
	}
}

// Notice returns the message net-tools prints on stderr after a scan that could not see
// every process (empty when nothing was denied). euid is the caller's effective uid.
func (o *Owners) Notice(euid int) string {
	o.settle()
	switch {
	case o.Unreadable || (o.Denied && o.Len() == 0):
		return "(No info could be read for \"-p\": geteuid()=" + strconv.Itoa(euid) + " but you should be root.)\n"
	case o.Denied:
		return "(Not all processes could be identified, non-owned process info\n" +
			" will not be shown, you would have to be root to see it all.)\n"
	}
	return ""
}

// processTable is what a scan needs from /proc: the PIDs, each process's fd links
// and its command line. Processes may vanish at any point; readers skip them.
type processTable interface {
	// pids lists the numeric entries of /proc.
	pids() ([]int, error)
	// openFDs opens pid's fd directory for reading; nil when it cannot be read,
	// denied reporting EACCES.
	openFDs(pid int) (_ fdCursor, denied bool)
	// cmdline returns up to 511 bytes of /proc/<pid>/cmdline.
	cmdline(pid int) []byte
	// fdDir reports how many fds pid has open (0 when the kernel does not say:
	// an upper bound of its sockets) and whether its fd directory is denied (EACCES).
	fdDir(pid int) (fds int, denied bool)
}

// fdCursor reads the socket fds of one process, in directory order, and can stop and
// go on later.
type fdCursor interface {
	// next calls fn with the inode of each further socket fd until fn returns false
	// (the cursor then stands after that fd) or the directory ends (done).
	next(fn func(inode uint64) bool) (done bool)
	// close releases the directory.
	close()
}

// socketInodes appends the inodes of every socket fd of pid; denied reports EACCES on
// its fd directory.
func socketInodes(t processTable, pid int, inodes []uint64) (_ []uint64, denied bool) {
	c, denied := t.openFDs(pid)
	if c == nil {
		return inodes, denied
	}
	defer c.close()
	c.next(func(ino uint64) bool {
		inodes = append(inodes, ino)
		return true
	})
	return inodes, false
}

// Scan reads proc (an fs.FS rooted at /proc that implements fs.ReadLinkFS) and returns
// the owner of every socket inode found.
func Scan(proc fs.FS) *Owners { return scan(fsTable{proc}, false) }

// ScanEvery is Scan keeping every process that holds each inode, for Holders.
func ScanEvery(proc fs.FS) *Owners { return scan(fsTable{proc}, true) }

// scan reads every process of t concurrently; processes that exit during the scan are
// skipped. When several processes hold a socket the lowest PID wins, as net-tools'
// directory-order scan gives.
func scan(t processTable, every bool) *Owners {
	o := lazy(t, every)
	for o.scanMore(nil, nil) {
	}
	return o
}

// lazy returns an Owners that reads the processes of t as lookups need them. It
// checks every process's fd directory first, so that Denied is known at once (the
// notice net-tools prints before the tables); when some are denied it reads every
// process, as the notice depends on whether any owner was found. every keeps every
// holder of each inode, not only the lowest PID.
func lazy(t processTable, every bool) *Owners {
	o := &Owners{table: t, batch: firstBatch}
	if every {
		o.every = make(map[uint64][]uint32)
	}
	pids, err := t.pids()
	if err != nil {
		o.Unreadable = true
		return o
	}
	slices.Sort(pids)
	o.rest = pids
	// The fd counts size the inode table once: grown by doubling while the workers
	// fill it, under their lock, it cost 2-5 % of -tulpn's time at 115,000 fds (the
	// copies, and the first touch of every table's pages).
	fds := 0
	for _, pid := range pids {
		n, denied := t.fdDir(pid)
		fds += n
		o.Denied = o.Denied || denied
	}
	o.byInode.reserve(fds)
	if o.Denied {
		for o.scanMore(nil, nil) {
		}
	}
	return o
}

// Batches of processes read concurrently: small first (a lookup that the first
// processes answer stops early), doubling up to maxBatch (a full scan pays little
// for the steps).
const (
	firstBatch = 16
	maxBatch   = 1024
)

// scanMore reads on: the paused processes, then the next batch of unread ones,
// concurrently, in ascending PID order. With wanted inodes (nil: none) it stops once
// the lowest-PID holder of each is known: the processes below the highest of those
// holders are read whole, one reading past it pauses at its next socket and one not
// started yet waits. Once cancel (nil: never) is set, every process pauses at its next
// socket, and one not started waits. It reports whether there was anything to read.
func (o *Owners) scanMore(want map[uint64]struct{}, cancel *atomic.Bool) bool {
	if len(o.paused) == 0 && len(o.rest) == 0 {
		return false
	}
	jobs := o.paused
	o.paused = nil
	n := min(o.batch, len(o.rest))
	for _, pid := range o.rest[:n] {
		jobs = append(jobs, &reading{pid: pid, owner: -1})
	}
	o.rest = o.rest[n:]
	o.batch = min(2*o.batch, maxBatch)

	// holder is the lowest PID found holding each wanted inode; stop is the highest
	// of them once all are found (MaxInt before): processes above it need not be read.
	var stop atomic.Int64
	stop.Store(math.MaxInt64)
	holder := make(map[uint64]int, len(want))
	for ino := range want {
		if i, ok := o.byInode.get(ino); ok {
			holder[ino] = o.owners[i].PID
		}
	}
	// found records that pid holds a wanted inode; mu is held.
	found := func(ino uint64, pid int) {
		if h, ok := holder[ino]; ok && h <= pid {
			return
		}
		holder[ino] = pid
		if len(holder) == len(want) {
			stop.Store(int64(highestOf(holder)))
		}
	}
	if len(want) > 0 && len(holder) == len(want) {
		stop.Store(int64(highestOf(holder)))
	}
	queue := make(chan *reading, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	var mu sync.Mutex // guards o, waiting and holder
	var waiting []*reading
	workers := min(runtime.GOMAXPROCS(0)*2, 8, len(jobs))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var inodes []uint64
			for j := range queue {
				if int64(j.pid) > stop.Load() || cancel != nil && cancel.Load() {
					mu.Lock()
					waiting = append(waiting, j)
					mu.Unlock()
					continue
				}
				if j.fds == nil {
					fds, denied := o.table.openFDs(j.pid)
					if fds == nil {
						if denied {
							mu.Lock()
							o.Denied = true
							o.deniedPIDs = append(o.deniedPIDs, j.pid)
							mu.Unlock()
						}
						continue
					}
					j.fds = fds
				}
				inodes = inodes[:0]
				done := j.fds.next(func(ino uint64) bool {
					inodes = append(inodes, ino)
					if _, ok := want[ino]; ok {
						mu.Lock()
						found(ino, j.pid)
						mu.Unlock()
					}
					// The process holding the last wanted inode found stops
					// here; the ones below it read on.
					return int64(j.pid) < stop.Load() && (cancel == nil || !cancel.Load())
				})
				if len(inodes) > 0 && j.owner < 0 {
					name := ProgramName(o.table.cmdline(j.pid))
					mu.Lock()
					j.owner = int32(len(o.owners))
					o.owners = append(o.owners, netstat.Process{PID: j.pid, Name: name})
					mu.Unlock()
				}
				mu.Lock()
				for _, ino := range inodes {
					o.add(ino, uint32(j.owner))
				}
				if !done {
					waiting = append(waiting, j)
				}
				mu.Unlock()
				if done {
					j.fds.close()
				}
			}
		}()
	}
	wg.Wait()
	// Paused and unstarted processes go back in PID order: all of them are below
	// rest's, which only holds processes after this batch.
	slices.SortFunc(waiting, func(a, b *reading) int { return a.pid - b.pid })
	o.paused = waiting
	return true
}

// highestOf returns the highest of holder's PIDs.
func highestOf(holder map[uint64]int) int {
	highest := 0
	for _, h := range holder {
		highest = max(highest, h)
	}
	return highest
}

// fsTable reads /proc through an fs.FS; tests use it with fstest.MapFS.
type fsTable struct{ proc fs.FS }

func (t fsTable) pids() ([]int, error) {
	d, err := t.proc.Open(".")
	if err != nil {
		return nil, err
	}
	defer d.Close()
	rd, ok := d.(fs.ReadDirFile)
	if !ok {
		return nil, errors.New("procfd: /proc is not a directory")
	}
	var pids []int
	for {
		ents, err := rd.ReadDir(512)
		for _, e := range ents {
			if pid, ok := parsePID(e.Name()); ok {
				pids = append(pids, pid)
			}
		}
		if err != nil || len(ents) == 0 {
			return pids, nil
		}
	}
}

func (t fsTable) openFDs(pid int) (fdCursor, bool) {
	dir := strconv.Itoa(pid) + "/fd"
	ents, err := readDirUnsorted(t.proc, dir)
	if err != nil {
		return nil, errors.Is(err, fs.ErrPermission)
	}
	rl, ok := t.proc.(fs.ReadLinkFS)
	if !ok {
		return nil, false
	}
	return &fsCursor{rl: rl, dir: dir, ents: ents}, false
}

// fsCursor reads an fd directory of an fsTable.
type fsCursor struct {
	rl   fs.ReadLinkFS
	dir  string
	ents []fs.DirEntry
}

func (c *fsCursor) next(fn func(uint64) bool) bool {
	for len(c.ents) > 0 {
		name := c.ents[0].Name()
		c.ents = c.ents[1:]
		if name == "" || name[0] < '0' || name[0] > '9' {
			continue
		}
		link, err := c.rl.ReadLink(c.dir + "/" + name)
		if err != nil {
			continue
		}
		if len(link) > maxLinkLen {
			link = link[:maxLinkLen]
		}
		if ino, ok := SocketInode(link); ok && !fn(ino) {
			return false
		}
	}
	return true
}

func (c *fsCursor) close() {}

// fdDir counts no fds: a table read through fs.FS is small.
func (t fsTable) fdDir(pid int) (int, bool) {
	f, err := t.proc.Open(strconv.Itoa(pid) + "/fd")
	if err != nil {
		return 0, errors.Is(err, fs.ErrPermission)
	}
	f.Close()
	return 0, false
}

func (t fsTable) cmdline(pid int) []byte {
	f, err := t.proc.Open(strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, maxCmdline)
	n, _ := io.ReadFull(f, buf)
	return buf[:n]
}

// net-tools reads at most 29 bytes of an fd link and 511 bytes of a command line.
const (
	maxLinkLen = 29
	maxCmdline = 511
)

func parsePID(name string) (int, bool) {
	if name == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 1<<30 {
			return 0, false
		}
	}
	return n, true
}

func readDirUnsorted(fsys fs.FS, name string) ([]fs.DirEntry, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, errors.New("not a directory")
	}
	return rd.ReadDir(-1)
}

// SocketInode extracts N from a "socket:[N]" fd link, or from the pre-2.2 "[0000]:N".
func SocketInode(link string) (uint64, bool) {
	var digits string
	switch {
	case len(link) > 9 && link[:8] == "socket:[" && link[len(link)-1] == ']':
		digits = link[8 : len(link)-1]
	case len(link) > 7 && link[:7] == "[0000]:":
		digits = link[7:]
	default:
		return 0, false
	}
	var n uint64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// ProgramName is net-tools' program name for a process from its /proc/<pid>/cmdline:
// argv[0] up to its first NUL, its basename when it starts with '/', raw bytes kept,
// not cut (textfmt.ProgramColumn makes net-tools' 19-byte "PID/name" column of it).
func ProgramName(cmdline []byte) string {
	argv0 := cmdline
	if i := bytes.IndexByte(argv0, 0); i >= 0 {
		argv0 = argv0[:i]
	}
	if len(argv0) > 0 && argv0[0] == '/' {
		argv0 = argv0[bytes.LastIndexByte(argv0, '/')+1:]
	}
	return string(argv0)
}
