package procfd

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func TestScanHolders(t *testing.T) {
	proc := fstest.MapFS{
		"1/cmdline":    {Data: []byte("/sbin/init\x00splash\x00")},
		"1/status":     {Data: []byte("Name:\tinit\nUid:\t0\t0\t0\t0\n")},
		"1/fd/3":       link("socket:[100]"),
		"20/cmdline":   {Data: []byte("/usr/local/bin/a very long program name indeed\x00--flag\x00")},
		"20/status":    {Data: []byte("Name:\tx\nUid:\t1000\t0\t0\t0\n")},
		"20/fd/4":      link("socket:[200]"),
		"20/fd/5":      link("socket:[100]"),
		"20/fd/6":      link("socket:[100]"), // the same socket twice in one process
		"300/fd/7":     link("/dev/null"),
		"4000/cmdline": {Data: []byte("")}, // a kernel thread, or gone
		"4000/fd/1":    link("socket:[100]"),
	}
	h := ScanHolders(proc)
	want := map[uint64][]netstat.Process{
		100: {
			{PID: 1, Name: "init", Cmdline: []string{"/sbin/init", "splash"}, UID: 0},
			{PID: 20, Name: "a very long program name indeed", Cmdline: []string{"/usr/local/bin/a very long program name indeed", "--flag"}, UID: 1000},
			{PID: 4000},
		},
		200: {{PID: 20, Name: "a very long program name indeed", Cmdline: []string{"/usr/local/bin/a very long program name indeed", "--flag"}, UID: 1000}},
	}
	if diff := cmp.Diff(want, h.ByInode); diff != "" {
		t.Errorf("holders (-want +got):\n%s", diff)
	}
	if h.Unreadable || len(h.Denied) != 0 {
		t.Errorf("Unreadable %v, Denied %v", h.Unreadable, h.Denied)
	}
}

func TestParseCmdline(t *testing.T) {
	for _, tt := range []struct {
		in   string
		name string
		args []string
	}{
		{"", "", nil},
		{"\x00", "", nil},
		{"nginx: worker process\x00\x00", "nginx: worker process", []string{"nginx: worker process", ""}},
		{"/usr/bin/python3\x00-m\x00http.server", "python3", []string{"/usr/bin/python3", "-m", "http.server"}},
		{"/\x00", "", []string{"/"}},
	} {
		name, args := ParseCmdline([]byte(tt.in))
		if name != tt.name || !cmp.Equal(args, tt.args) {
			t.Errorf("ParseCmdline(%q) = %q, %q; want %q, %q", tt.in, name, args, tt.name, tt.args)
		}
	}
}

func TestParseStatusUID(t *testing.T) {
	for _, tt := range []struct {
		in  string
		uid uint32
		ok  bool
	}{
		{"Name:\tx\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\n", 1000, true},
		{"Uid:\t4294967295\t0\t0\t0", 4294967295, true},
		{"Uid:\n", 0, false},
		{"Uid:\tx\n", 0, false},
		{"Gid:\t1\n", 0, false},
	} {
		uid, ok := ParseStatusUID([]byte(tt.in))
		if uid != tt.uid || ok != tt.ok {
			t.Errorf("ParseStatusUID(%q) = %d, %v; want %d, %v", tt.in, uid, ok, tt.uid, tt.ok)
		}
	}
}

func FuzzParseCmdline(f *testing.F) {
	f.Add([]byte("/usr/bin/x\x00a\x00"))
	f.Add([]byte("\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		name, args := ParseCmdline(b)
		if len(args) > 0 && len(name) > len(args[0]) {
			t.Fatalf("name %q longer than argv[0] %q", name, args[0])
		}
	})
}

func FuzzParseStatusUID(f *testing.F) {
	f.Add([]byte("Uid:\t1\t2\t3\t4\n"))
	f.Fuzz(func(t *testing.T, b []byte) { ParseStatusUID(b) })
}

// TestScanHoldersDenied checks that the processes whose fds could not be read are
// listed, in PID order, and the others still scanned.
func TestScanHoldersDenied(t *testing.T) {
	proc := fstest.MapFS{
		"7/cmdline": {Data: []byte("a\x00")},
		"7/fd/3":    link("socket:[100]"),
		"9/fd/3":    link("socket:[101]"),
		"12/fd/3":   link("socket:[102]"),
	}
	h := scanHolders(deniedTable{fsTable{proc}, 12}, proc)
	if diff := cmp.Diff([]int{12}, h.Denied); diff != "" {
		t.Errorf("Denied (-want +got):\n%s", diff)
	}
	if len(h.ByInode) != 2 || h.ByInode[100][0].Name != "a" || h.ByInode[101][0].PID != 9 {
		t.Errorf("holders %+v, want inodes 100 (PID 7) and 101 (PID 9)", h.ByInode)
	}
}
