//go:build linux

package system

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"runtime"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/netstat"
)

func TestIfreqLayout(t *testing.T) {
	// struct ifreq is 40 bytes on LP64 and 32 on ILP32; struct ifmap 24 and 16.
	want := map[int][2]int{8: {40, 24}, 4: {32, 16}}[wordSize]
	if got := [2]int{ifreqSize, ifmapSize}; got != want {
		t.Errorf("sizeof(ifreq), sizeof(ifmap) = %v, want %v", got, want)
	}
}

// inFreshNetns runs fn on a goroutine whose thread has been moved into a new, empty
// network namespace (only lo, down). The thread is never unlocked, so the runtime
// discards it afterwards. It skips without root unless CI=true.
func inFreshNetns(t *testing.T, fn func()) {
	t.Helper()
	nstest.RequireRoot(t)
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			done <- err
			return
		}
		fn()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatalf("unshare(CLONE_NEWNET): %v", err)
	}
}

// TestIfaceSocketPrivileged checks the live ioctls on the loopback interface of a fresh
// namespace, which the kernel creates the same way every time: down, no address.
func TestIfaceSocketPrivileged(t *testing.T) {
	inFreshNetns(t, func() {
		s, err := OpenIfaceSocket()
		if err != nil {
			t.Errorf("OpenIfaceSocket: %v", err)
			return
		}
		defer s.Close()

		names, err := s.ConfNames()
		if err != nil || len(names) != 0 {
			t.Errorf("ConfNames() = %q, %v; want none (lo is down)", names, err)
		}

		got, err := s.Fetch("lo")
		if err != nil {
			t.Errorf("Fetch(lo): %v", err)
			return
		}
		want := netstat.Interface{
			Name:       "lo",
			Flags:      netstat.IfLoopback,
			HWType:     netstat.HWLoopback,
			MTU:        65536,
			TxQueueLen: 1000,
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
			t.Errorf("Fetch(lo) mismatch (-want +got):\n%s", diff)
		}

		// An alias label of a missing device and a missing device both fail with
		// ENODEV, which net-tools reports as "Device not found".
		for _, name := range []string{"nosuch0", "nosuch0:1", ""} {
			if _, err := s.Fetch(name); !errors.Is(err, syscall.ENODEV) {
				t.Errorf("Fetch(%q) error = %v, want ENODEV", name, err)
			}
		}
	})
}

// IfaceSnapshot is what TestDumpIfaceSnapshot writes: the SIOCGIFCONF names and the
// Fetch result of every name in /proc/net/dev and SIOCGIFCONF.
type IfaceSnapshot struct {
	Conf  []string                     `json:"conf"`
	Fetch map[string]netstat.Interface `json:"fetch"`
}

// TestDumpIfaceSnapshot captures the live ioctl view of the current network namespace
// into the file named by IFACE_SNAPSHOT, for the fixtures of internal/cli (see
// internal/cli/testdata/iface/capture.sh). It does nothing otherwise.
func TestDumpIfaceSnapshot(t *testing.T) {
	path := os.Getenv("IFACE_SNAPSHOT")
	if path == "" {
		t.Skip("IFACE_SNAPSHOT not set")
	}
	s, err := OpenIfaceSocket()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap := IfaceSnapshot{Fetch: map[string]netstat.Interface{}}
	if snap.Conf, err = s.ConfNames(); err != nil {
		t.Fatal(err)
	}
	names := append([]string(nil), snap.Conf...)
	f, err := os.Open("/proc/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := procnet.ParseDev(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range dev.Entries {
		names = append(names, e.Name)
	}
	for _, n := range names {
		ifc, err := s.Fetch(n)
		if err != nil {
			t.Fatalf("Fetch(%q): %v", n, err)
		}
		snap.Fetch[n] = ifc
	}
	out, err := json.MarshalIndent(snap, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
