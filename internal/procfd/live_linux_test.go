package procfd

import (
	"net"
	"os"
	"strconv"
	"testing"
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
