package procfd

import (
	"os"

	"golang.org/x/sys/unix"
)

// NewFinderLive returns a Finder over the /proc mounted at root (normally "/proc"),
// reading descriptors with ScanLive's system calls.
func NewFinderLive(root string) *Finder {
	f := NewFinder(os.DirFS(root))
	t := newSysTable(root)
	f.table = t
	f.fdCount = func(pid int) (int64, bool) {
		var path [64]byte
		p := t.path(path[:0], pid, "/fd")
		var st unix.Stat_t
		if err := unix.Stat(string(p[:len(p)-1]), &st); err != nil {
			return 0, false
		}
		return st.Size, true
	}
	return f
}
