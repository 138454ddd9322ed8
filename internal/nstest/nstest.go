//go:build linux

package nstest

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// EnterNetns locks the test goroutine to its thread and moves the thread into a fresh
// network namespace with loopback up; it returns a descriptor of the namespace for
// subtests to Join (their goroutines run on other threads). The thread goes back to
// its namespace when the test ends; the new one goes away with its last socket and
// descriptor.
func EnterNetns(t testing.TB) int {
	t.Helper()
	LockThread(t)
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		t.Fatalf("unshare(CLONE_NEWNET): %v", err)
	}
	ns, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("open new netns: %v", err)
	}
	t.Cleanup(func() { unix.Close(ns) })
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		t.Fatal(err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		t.Fatalf("bring lo up: %v", err)
	}
	return ns
}

// Join moves the (sub)test goroutine's thread into the namespace ns until the test
// ends.
func Join(t testing.TB, ns int) {
	t.Helper()
	LockThread(t)
	if err := unix.Setns(ns, unix.CLONE_NEWNET); err != nil {
		t.Fatalf("setns: %v", err)
	}
}

// LockThread locks the test goroutine to its thread until the test ends and then
// returns the thread to its original network namespace, or, if that fails, lets it
// die with the goroutine.
func LockThread(t testing.TB) {
	t.Helper()
	runtime.LockOSThread()
	orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("open own netns: %v", err)
	}
	t.Cleanup(func() {
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			t.Errorf("return to the original netns: %v (the thread is discarded)", err)
		} else {
			runtime.UnlockOSThread()
		}
		unix.Close(orig)
	})
}
