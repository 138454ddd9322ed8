package procfd

import (
	"os"
	"os/exec"
	"testing"

	"github.com/netstat-go/netstat/internal/nstest"
)

// TestScanEveryLive checks that an eager scan of the live /proc lists every holder of
// a socket this test process shares with a child (no root needed), with names, and
// needs no further reads: the processes are all read when it returns.
func TestScanEveryLive(t *testing.T) {
	f, inode := listenerFile(t)
	// A child that inherits the socket as its fd 3.
	child := exec.Command("sleep", "60")
	child.ExtraFiles = []*os.File{f}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		child.Process.Kill()
		child.Wait()
	}()
	nstest.WaitExec(t, child.Process.Pid, "sleep")
	o := ScanEveryLive("/proc")
	if len(o.rest) != 0 {
		t.Errorf("%d processes left unread", len(o.rest))
	}
	hs := o.Holders(inode)
	pids := map[int]string{}
	for _, p := range hs {
		pids[p.PID] = p.Name
	}
	if pids[os.Getpid()] == "" || pids[child.Process.Pid] != "sleep" || len(hs) != 2 {
		t.Errorf("holders of inode %d: %+v, want this test (PID %d) and sleep (PID %d)", inode, hs, os.Getpid(), child.Process.Pid)
	}
}
