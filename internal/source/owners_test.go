package source

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func TestProcOwnersFixture(t *testing.T) {
	sock := func(n string) *fstest.MapFile {
		return &fstest.MapFile{Mode: fs.ModeSymlink | 0o777, Data: []byte("socket:[" + n + "]")}
	}
	proc := fstest.MapFS{
		"7/cmdline": {Data: []byte("/usr/sbin/sshd\x00-D\x00")},
		"7/status":  {Data: []byte("Uid:\t0\t0\t0\t0\n")},
		"7/fd/3":    sock("500"),
		"9/cmdline": {Data: []byte("sshd: alice\x00")},
		"9/status":  {Data: []byte("Uid:\t1000\t1000\t1000\t1000\n")},
		"9/fd/3":    sock("500"),
		"9/fd/4":    sock("501"),
	}
	o := NewProcOwners(proc)
	got, err := o.FindOwners(context.Background(), []uint64{500, 501, 502})
	if err != nil {
		t.Fatal(err)
	}
	sshd := netstat.Process{PID: 7, Name: "sshd", Cmdline: []string{"/usr/sbin/sshd", "-D"}}
	alice := netstat.Process{PID: 9, Name: "sshd: alice", Cmdline: []string{"sshd: alice"}, UID: 1000}
	if diff := cmp.Diff([]netstat.Process{sshd, alice}, got.Holders(500)); diff != "" {
		t.Errorf("500 (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]netstat.Process{alice}, got.Holders(501)); diff != "" {
		t.Errorf("501 (-want +got):\n%s", diff)
	}
	if got.Holders(502) != nil || !got.Complete {
		t.Errorf("502: %v, complete %v", got.Holders(502), got.Complete)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := o.FindOwners(ctx, []uint64{500}); err == nil {
		t.Error("a cancelled context was not reported")
	}
}

func TestNewFoundOwners(t *testing.T) {
	l := []netstat.Process{{PID: 1, Name: "a"}}
	f := NewFoundOwners(map[uint64][]netstat.Process{5: l}, true)
	if h := f.Holders(5); len(h) != 1 || h[0].PID != 1 {
		t.Errorf("Holders(5) = %v", h)
	}
	if f.Holders(6) != nil {
		t.Error("an inode not given has holders")
	}
	var zero FoundOwners
	if _, ok := zero.Set(5); ok {
		t.Error("the zero FoundOwners found something")
	}
}
