package procfd

import (
	"net"
	"os"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/nstest"
)

// TestScanLiveMatchesScan checks the syscall reader against the fs.FS reader on the
// live /proc, for a socket this test process owns (no root needed).
func TestScanLiveMatchesScan(t *testing.T) {
	_, inode := listenerFile(t)
	live := ScanLive("/proc")
	viaFS := Scan(os.DirFS("/proc"))
	got := live.Lookup(inode)
	if got == nil || got.PID != os.Getpid() || got.Name == "" {
		t.Fatalf("ScanLive: inode %d owned by %+v, want PID %d", inode, got, os.Getpid())
	}
	if b := viaFS.Holders(inode); len(b) != 1 || got.PID != b[0].PID || got.Name != b[0].Name {
		t.Errorf("ScanLive says %+v, Scan says %+v", *got, b)
	}
}

// listenerFile opens a loopback TCP listener for the test and returns a file of it
// (closed with the test) and its socket inode.
func listenerFile(t *testing.T) (*os.File, uint64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("no loopback TCP: %v", err)
	}
	t.Cleanup(func() { ln.Close() })
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	link, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		t.Fatal(err)
	}
	inode, ok := SocketInode(link)
	if !ok {
		t.Fatalf("fd link %q is not a socket", link)
	}
	return f, inode
}

// TestSysCursorByNumber checks the cursor's read by number against a listing of this
// process's own fd directory: a large table with gaps (closed fds, one far above the
// rest) gives the same sockets in the same order, whether the cursor reads it in one
// go or paused after every socket, and whether the gaps make it list the directory
// part-way or not.
func TestSysCursorByNumber(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pairs int
		every int // close every n-th fd of the pairs (0: none)
		far   bool
	}{
		{"dense", 200, 0, false},
		{"few gaps", 200, 40, false},
		{"many gaps", 200, 3, false},
		{"far fd", 200, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var held []int
			t.Cleanup(func() {
				for _, fd := range held {
					unix.Close(fd)
				}
			})
			for range tc.pairs {
				p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
				if err != nil {
					t.Fatal(err)
				}
				held = append(held, p[0], p[1])
			}
			if tc.every > 0 {
				kept := held[:0]
				for i, fd := range held {
					if i%tc.every == 0 {
						unix.Close(fd)
					} else {
						kept = append(kept, fd)
					}
				}
				held = kept
			}
			if tc.far {
				var lim unix.Rlimit
				if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur < 4000 {
					nstest.Unavailable(t, "open-file limit %d: no room for a far fd", lim.Cur)
				}
				if err := unix.Dup3(held[0], 3999, unix.O_CLOEXEC); err != nil {
					t.Fatal(err)
				}
				held = append(held, 3999)
			}
			for _, pause := range []bool{false, true} {
				fds, _ := newSysTable("/proc").openFDs(os.Getpid())
				if fds == nil {
					t.Fatal("cannot open our own fd directory")
				}
				// Sockets opened after the cursor read the count are found too.
				p, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
				if err != nil {
					t.Fatal(err)
				}
				held = append(held, p[0], p[1])
				want := listedSockets(t)
				var got []uint64
				for done := false; !done; {
					done = fds.next(func(ino uint64) bool {
						got = append(got, ino)
						return !pause
					})
				}
				fds.close()
				if !slices.Equal(got, want) {
					t.Errorf("pause %v: cursor read %d sockets, the listing %d:\n got %v\nwant %v", pause, len(got), len(want), got, want)
				}
			}
		})
	}
}

// listedSockets lists this process's fd directory and reads each link, in fd order:
// the sockets a cursor must find.
func listedSockets(t *testing.T) []uint64 {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var fds []int
	for _, e := range ents {
		if fd, err := strconv.Atoi(e.Name()); err == nil {
			fds = append(fds, fd)
		}
	}
	slices.Sort(fds)
	var out []uint64
	for _, fd := range fds {
		link, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
		if err != nil {
			continue // the directory's own fd, closed since
		}
		if ino, ok := SocketInode(link); ok {
			out = append(out, ino)
		}
	}
	return out
}

// TestFdDirCounts checks the fd count that sizes the inode table against a listing
// of this process's fds, with 64 more fds open than at the start.
func TestFdDirCounts(t *testing.T) {
	for range 32 {
		var p [2]int
		if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(p[0]); unix.Close(p[1]) })
	}
	n, denied := newSysTable("/proc").fdDir(os.Getpid())
	listed, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var uts unix.Utsname
	unix.Uname(&uts)
	if n == 0 {
		// Before Linux 6.2 an fd directory's size is 0: the table then grows as it fills.
		t.Skipf("the fd directory has no size on %s", unix.ByteSliceToString(uts.Release[:]))
	}
	// Each count includes the directory the reader holds open, as fdDir's does.
	if denied || n < 64 || n != len(listed) {
		t.Errorf("fdDir = %d, %v; /proc/self/fd lists %d", n, denied, len(listed))
	}
}
