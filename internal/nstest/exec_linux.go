package nstest

import (
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"
)

// WaitExec waits until the process pid, just started by (*exec.Cmd).Start, shows
// the new program's arguments in /proc/<pid>/cmdline, and fails t after ten seconds.
// Start returns when the kernel closes the child's close-on-exec descriptors, which
// is before it maps the new program's arguments: a read in between finds an empty
// cmdline, and so no program name (it happened in CI on a loaded machine).
func WaitExec(t testing.TB, pid int, argv0 string) {
	t.Helper()
	path := "/proc/" + strconv.Itoa(pid) + "/cmdline"
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && bytes.HasPrefix(b, append([]byte(argv0), 0)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("PID %d: %s is %q (%v) after 10 s, want it to start with %q", pid, path, b, err, argv0)
		}
		time.Sleep(time.Millisecond)
	}
}
