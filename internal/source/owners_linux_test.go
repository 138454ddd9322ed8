//go:build linux

package source

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/nstest"
)

// TestOwnersLivePrivileged finds the holder of a socket that only another user's
// process holds (only root may read its descriptors), then a new socket of this test
// process through a later, incremental call.
func TestOwnersLivePrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	f, ino, cmd := sharedWithNobody(t)
	f.Close() // the child holds it alone now

	o := NewLive(LiveOptions{}).Owners()
	got, err := o.FindOwners(context.Background(), []uint64{ino})
	if err != nil {
		t.Fatal(err)
	}
	h := got.Holders(ino)
	if len(h) != 1 || h[0].PID != cmd.Process.Pid || h[0].Name != "sleep" || h[0].UID != 65534 {
		t.Fatalf("holders of %d: %+v, want only sleep (PID %d, uid 65534)", ino, h, cmd.Process.Pid)
	}
	if !got.Complete {
		t.Error("the first call did not read every process")
	}
	// A later call for a new socket of this process stops early.
	fd2, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd2)
	ino2 := inodeOf(t, fd2)
	got, err = o.FindOwners(context.Background(), []uint64{ino2})
	if err != nil {
		t.Fatal(err)
	}
	if h := got.Holders(ino2); len(h) != 1 || h[0].PID != os.Getpid() {
		t.Errorf("holders of the new socket %d: %+v, want this process (%d)", ino2, h, os.Getpid())
	}
}

// TestScanHoldersLivePrivileged checks the full scan serve's process collector takes:
// a socket shared by this process and another user's child has both as holders, lowest
// PID first, and a socket opened after the scan is not in it.
func TestScanHoldersLivePrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	f, ino, cmd := sharedWithNobody(t)
	defer f.Close() // this process holds it too until the end

	src := NewLive(LiveOptions{})
	defer src.Close()
	table := src.ScanHolders()
	late, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(late)

	h := table.Holders(ino)
	want := []int{os.Getpid(), cmd.Process.Pid}
	if want[0] > want[1] {
		want[0], want[1] = want[1], want[0]
	}
	if len(h) != 2 || h[0].PID != want[0] || h[1].PID != want[1] {
		t.Fatalf("holders of %d: %+v, want PIDs %v", ino, h, want)
	}
	for _, p := range h {
		if p.PID == cmd.Process.Pid && p.Name != "sleep" {
			t.Errorf("the child is named %q, want sleep", p.Name)
		}
	}
	if h := table.Holders(inodeOf(t, late)); h != nil {
		t.Errorf("a socket opened after the scan has holders %+v", h)
	}
}

// sharedWithNobody opens a TCP socket and hands it to a `sleep 60` child running as
// nobody (uid 65534), stopped by its PID when the test ends. It returns this process's
// file of the socket, its inode and the child, once the child runs sleep.
func sharedWithNobody(t *testing.T) (*os.File, uint64, *exec.Cmd) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "socket")
	ino := inodeOf(t, fd)
	cmd := exec.Command("sleep", "60")
	cmd.ExtraFiles = []*os.File{f}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	nstest.WaitExec(t, cmd.Process.Pid, "sleep")
	return f, ino, cmd
}
