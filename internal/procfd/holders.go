package procfd

import (
	"bytes"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/netstat-go/netstat/netstat"
)

// Holders maps socket inodes to every process that holds them, with structured
// process values (full name, command line, uid), for the data layer's snapshots. It
// is Owners' full scan (keeping every holder) plus each holding process's command
// line and status; the net-tools listing uses Owners alone, lazily.
type Holders struct {
	// ByInode lists the holders of each socket inode, lowest PID first.
	ByInode map[uint64][]netstat.Process
	// Denied are the PIDs whose fd directory could not be read, ascending.
	Denied []int
	// Unreadable reports that /proc itself could not be listed.
	Unreadable bool
}

// ScanHolders reads proc (an fs.FS rooted at /proc that implements fs.ReadLinkFS) and
// returns every process that holds each socket inode.
func ScanHolders(proc fs.FS) *Holders { return scanHolders(fsTable{proc}, proc) }

// maxFullCmdline bounds the command line kept per process.
const maxFullCmdline = 64 << 10

// scanHolders is the full scan of Owners keeping every holder; proc serves the
// per-process files it does not read (status and the whole command line), read only
// for processes that hold sockets.
func scanHolders(t processTable, proc fs.FS) *Holders {
	o := scan(t, true)
	h := &Holders{Denied: slices.Sorted(slices.Values(o.deniedPIDs)), Unreadable: o.Unreadable}
	procs := make([]netstat.Process, len(o.owners))
	idx := make(chan int, len(procs))
	for i := range procs {
		idx <- i
	}
	close(idx)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0)*2, 8, len(procs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				procs[i] = readProcess(proc, o.owners[i].PID)
			}
		}()
	}
	wg.Wait()
	h.ByInode = make(map[uint64][]netstat.Process, o.byInode.len())
	o.byInode.each(func(inode uint64, i uint32) {
		others := o.every[inode]
		if len(others) == 0 {
			h.ByInode[inode] = procs[i : i+1 : i+1] // most sockets have one holder: no copy
			return
		}
		l := []netstat.Process{procs[i]}
		for _, j := range others {
			l = append(l, procs[j])
		}
		slices.SortFunc(l, func(a, b netstat.Process) int { return a.PID - b.PID })
		h.ByInode[inode] = slices.CompactFunc(l, func(a, b netstat.Process) bool { return a.PID == b.PID })
	})
	return h
}

// readProcess reads a process's command line and real uid. A process that exits
// meanwhile keeps its PID and empty values.
func readProcess(proc fs.FS, pid int) netstat.Process {
	p := netstat.Process{PID: pid}
	dir := strconv.Itoa(pid)
	if b, err := readLimited(proc, dir+"/cmdline", maxFullCmdline); err == nil {
		p.Name, p.Cmdline = ParseCmdline(b)
	}
	if b, err := readLimited(proc, dir+"/status", 4096); err == nil {
		p.UID, _ = ParseStatusUID(b)
	}
	return p
}

// ParseCmdline splits the contents of /proc/<pid>/cmdline into its arguments and
// returns net-tools' program name with them: argv[0] up to its first NUL, its base
// name when it starts with '/'. A trailing NUL ends the last argument.
func ParseCmdline(b []byte) (name string, args []string) {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) == 0 {
		return "", nil
	}
	for _, a := range bytes.Split(b, []byte{0}) {
		args = append(args, string(a))
	}
	return ProgramName(b), args
}

// ParseStatusUID returns the real uid of a /proc/<pid>/status file ("Uid:\tR\tE\tS\tF").
func ParseStatusUID(b []byte) (uint32, bool) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		rest, ok := bytes.CutPrefix(line, []byte("Uid:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		n, err := strconv.ParseUint(string(f[0]), 10, 32)
		return uint32(n), err == nil
	}
	return 0, false
}

func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}
