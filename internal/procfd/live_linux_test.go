package procfd

import (
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestScanLiveMatchesScan checks the syscall reader against the fs.FS reader on the
// live /proc, for a socket this test process owns (no root needed).
func TestScanLiveMatchesScan(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback TCP: %v", err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	link, err := os.Readlink("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		t.Fatal(err)
	}
	inode, ok := SocketInode(link)
	if !ok {
		t.Fatalf("fd link %q is not a socket", link)
	}
	live := ScanLive("/proc")
	viaFS := Scan(os.DirFS("/proc"))
	want := strconv.Itoa(os.Getpid()) + "/"
	if got := live.Lookup(inode); !strings.HasPrefix(got, want) {
		t.Errorf("ScanLive: inode %d owned by %q, want prefix %q", inode, got, want)
	}
	if a, b := live.Lookup(inode), viaFS.Lookup(inode); a != b {
		t.Errorf("ScanLive says %q, Scan says %q", a, b)
	}
}
