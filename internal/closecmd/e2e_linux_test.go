package closecmd

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netstat-go/netstat/internal/nstest"
)

// inNS runs a command in the namespace and returns its output and error.
func inNS(ns string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// TestCloseEndToEndRoot closes one of two socat connections in a fresh namespace with
// `netstat close`, checks the row against net-tools' netstat and the reset in the
// kernel's counters, then checks the refusal without CAP_NET_ADMIN.
func TestCloseEndToEndRoot(t *testing.T) {
	nstest.RequireRoot(t)
	for _, tool := range []string{"socat", "ss", "setpriv", "netstat"} {
		nstest.RequireTool(t, tool)
	}
	// The binary, where an unprivileged user may run it.
	dir := t.TempDir()
	for d := dir; d != os.TempDir() && d != "/"; d = filepath.Dir(d) {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(dir, "netstat")
	build := exec.Command("go", "build", "-o", bin, "github.com/netstat-go/netstat/cmd/netstat")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ns := fmt.Sprintf("close-e2e-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("ip netns del: %v\n%s", err, out)
		}
	})
	if out, err := exec.Command("ip", "-n", ns, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("lo up: %v\n%s", err, out)
	}
	startProc := func(args ...string) *exec.Cmd {
		cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
		if _, err := cmd.StdinPipe(); err != nil { // held open: socat keeps running
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	connected := func(port int) bool {
		out, _, err := inNS(ns, "ss", "-tnH", "state", "established", fmt.Sprintf("( sport = :7000 and dport = :%d )", port))
		if err != nil {
			t.Fatalf("ss: %v", err)
		}
		return strings.TrimSpace(out) != ""
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	startProc("socat", "TCP-LISTEN:7000,fork,reuseaddr", "EXEC:cat")
	waitFor("the server", func() bool { out, _, _ := inNS(ns, "ss", "-tlnH"); return strings.Contains(out, ":7000") })
	for _, port := range []int{40001, 40002} {
		startProc("socat", "STDIO", fmt.Sprintf("TCP:127.0.0.1:7000,sourceport=%d,reuseaddr", port))
		waitFor(fmt.Sprintf("connection from %d", port), func() bool { return connected(port) })
	}

	// The oracle for the printed row: net-tools' own netstat -tn, before closing.
	listing, _, err := inNS(ns, "netstat", "-tn")
	if err != nil {
		t.Fatalf("netstat -tn: %v", err)
	}
	var wantRow string
	for _, l := range strings.SplitAfter(listing, "\n") {
		if f := strings.Fields(l); len(f) > 4 && f[3] == "127.0.0.1:7000" && f[4] == "127.0.0.1:40001" {
			wantRow = l
		}
	}
	if wantRow == "" {
		t.Fatalf("net-tools does not list the connection:\n%s", listing)
	}
	header := strings.SplitAfter(listing, "\n")[1]

	before := nstest.TCPCounters(t, ns)
	out, errOut, err := inNS(ns, bin, "close", "--yes", "sport = :7000 and dport = :40001")
	if err != nil {
		t.Fatalf("netstat close: %v\n%s", err, errOut)
	}
	if want := header + wantRow; out != want {
		t.Errorf("stdout:\n%q\nwant (net-tools' rows):\n%q", out, want)
	}
	after := nstest.TCPCounters(t, ns)
	if d := after["OutRsts"] - before["OutRsts"]; d < 1 {
		t.Errorf("no reset sent (OutRsts +%d)", d)
	}
	if d := after["EstabResets"] - before["EstabResets"]; d < 2 {
		t.Errorf("EstabResets +%d, want both ends reset (+2)", d)
	}
	waitFor("the closed connection to leave ss", func() bool { return !connected(40001) })
	if !connected(40002) {
		t.Fatal("the other connection was closed too")
	}

	// Without CAP_NET_ADMIN nothing is closed and the reason is given.
	out, errOut, err = inNS(ns, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
		bin, "close", "--yes", "dport = :40002")
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("unprivileged close: %v, want exit status 1", err)
	}
	if out != "" || !strings.Contains(errOut, "closing a socket needs CAP_NET_ADMIN (run as root)") {
		t.Errorf("unprivileged close: stdout %q stderr %q", out, errOut)
	}
	if !connected(40002) {
		t.Error("an unprivileged close closed the connection")
	}
}
