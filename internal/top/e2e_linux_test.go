package top

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netstat-go/netstat/internal/nstest"
)

// buildNetstat builds the netstat binary into a directory anyone may read.
func buildNetstat(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "netstat")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/netstat-go/netstat/cmd/netstat")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// netns creates a named network namespace with loopback up, deleted when the test
// ends.
func netns(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("top-e2e-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del: %v\n%s", err, out)
		}
	})
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("lo up: %v\n%s", err, out)
	}
	return name
}

// proc is a process the test started, stopped by PID when the test ends.
type proc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr *bytes.Buffer
	done   chan error
}

func start(t *testing.T, ns string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
	p := &proc{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", args, err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		p.stdin.Close()
		cmd.Process.Kill()
		<-p.done
		p.done <- nil
	})
	return p
}

// exited waits up to d for the process to end.
func (p *proc) exited(d time.Duration) bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	case <-time.After(d):
		return false
	}
}

// population starts a socat echo server on port 7000 in ns and one client per
// source port, and waits until ss lists every connection.
func population(t *testing.T, ns, socat string, ports ...int) map[int]*proc {
	t.Helper()
	start(t, ns, socat, "TCP-LISTEN:7000,fork,reuseaddr", "EXEC:cat")
	waitFor(t, "the server listening", func() bool { return strings.Contains(ssIn(t, ns, "-tlnH"), ":7000") })
	clients := map[int]*proc{}
	for _, port := range ports {
		clients[port] = dial(t, ns, socat, port)
	}
	return clients
}

func dial(t *testing.T, ns, socat string, port int) *proc {
	t.Helper()
	p := start(t, ns, socat, "STDIO", fmt.Sprintf("TCP:127.0.0.1:7000,sourceport=%d,reuseaddr", port))
	waitFor(t, fmt.Sprintf("connection from port %d", port), func() bool { return connected(t, ns, port) })
	return p
}

func ssIn(t *testing.T, ns string, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns, "ss"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ss: %v\n%s", err, out)
	}
	return string(out)
}

// connected reports whether ss lists the server side of the connection from port.
func connected(t *testing.T, ns string, port int) bool {
	out := ssIn(t, ns, "-tnH", "state", "established", fmt.Sprintf("( sport = :7000 and dport = :%d )", port))
	return strings.TrimSpace(out) != ""
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tmuxSession runs a command in a detached tmux session of its own server.
type tmuxSession struct {
	t      *testing.T
	tmux   string
	socket string
}

func newTmux(t *testing.T, tmux string, width, height int, command string) *tmuxSession {
	t.Helper()
	s := &tmuxSession{t: t, tmux: tmux, socket: fmt.Sprintf("top-e2e-%d", os.Getpid())}
	s.run("-f", "/dev/null", "new-session", "-d", "-s", "top", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), command)
	t.Cleanup(func() { exec.Command(tmux, "-L", s.socket, "kill-server").Run() })
	return s
}

func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys types keys: tmux key names ("Enter", "Escape") or, with literal, text.
func (s *tmuxSession) keys(literal bool, keys ...string) {
	s.t.Helper()
	args := []string{"send-keys", "-t", "top"}
	if literal {
		args = append(args, "-l")
	}
	s.run(append(args, keys...)...)
}

func (s *tmuxSession) screen() string { return s.run("capture-pane", "-p", "-t", "top") }

// waitScreen waits until the screen matches re and returns it.
func (s *tmuxSession) waitScreen(what string, re *regexp.Regexp) string {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		sc := s.screen()
		if re.MatchString(sc) {
			return sc
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, sc)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestTopEndToEndInTmuxRoot runs `netstat top` in tmux inside a fresh namespace with
// a socat server and clients, and drives it with keys.
func TestTopEndToEndInTmuxRoot(t *testing.T) {
	nstest.RequireRoot(t)
	tmux, socat := nstest.RequireTool(t, "tmux"), nstest.RequireTool(t, "socat")
	nstest.RequireTool(t, "ss")
	bin := buildNetstat(t)
	ns := netns(t)
	clients := population(t, ns, socat, 40001, 40002)

	s := newTmux(t, tmux, 120, 40, fmt.Sprintf("ip netns exec %s %s top -n --interval 500ms", ns, bin))
	// Rows appear: the listener and both ends of both connections.
	s.waitScreen("the population", regexp.MustCompile(`(?s)0\.0\.0\.0:7000 .*LISTEN.*127\.0\.0\.1:40002 +127\.0\.0\.1:7000 `))
	// Their owners follow, from the owner look-up that runs beside the refreshes (the
	// first one reads every process of the host).
	for _, want := range []string{
		`(?m)^ .tcp +127\.0\.0\.1:40001 +127\.0\.0\.1:7000 +ESTABLISHED +\d+/socat`,
		`(?m)^ .tcp +127\.0\.0\.1:7000 +127\.0\.0\.1:40001 +ESTABLISHED +\d+/socat`,
		`(?m)^ .tcp +127\.0\.0\.1:7000 +127\.0\.0\.1:40002 +ESTABLISHED +\d+/socat`,
	} {
		s.waitScreen("owners: "+want, regexp.MustCompile(want))
	}

	// A new connection shows up marked new.
	dial(t, ns, socat, 40003)
	s.waitScreen("the new connection marked +", regexp.MustCompile(`(?m)^\+.tcp +127\.0\.0\.1:40003 +127\.0\.0\.1:7000 +ESTABLISHED`))

	// The filter narrows the rows to the server's side.
	s.keys(false, "/")
	s.keys(true, "sport = :7000")
	s.keys(false, "Enter")
	sc := s.waitScreen("the filtered rows", regexp.MustCompile(`(?s)\(4 match\).*filter: sport = :7000`))
	if regexp.MustCompile(`(?m)^..tcp +127\.0\.0\.1:4000`).MatchString(sc) || !strings.Contains(sc, "filter: sport = :7000") {
		t.Errorf("the filter did not narrow the rows:\n%s", sc)
	}

	// x then y closes one connection: the peer sees it reset, ss no longer lists it.
	s.keys(false, "Escape") // alone: ESC and "/" together would read as alt+/
	s.waitScreen("the filter cleared", regexp.MustCompile(`\d+ sockets  \+`))
	s.keys(false, "/")
	s.keys(true, "sport = :7000 and dport = :40001")
	s.keys(false, "Enter")
	s.waitScreen("one row", regexp.MustCompile(`\(1 match\)`))
	s.keys(false, "x")
	s.waitScreen("the question", regexp.MustCompile(`Close tcp 127\.0\.0\.1:7000 -> 127\.0\.0\.1:40001 \(ESTABLISHED\)\? \[y/N\]`))
	before := nstest.TCPCounters(t, ns)
	s.keys(false, "y")
	sc = s.waitScreen("the outcome", regexp.MustCompile(`closed tcp 127\.0\.0\.1:7000 -> 127\.0\.0\.1:40001|not closed: .*`))
	if !strings.Contains(sc, "closed tcp") || strings.Contains(sc, "not closed") {
		t.Fatalf("not closed:\n%s", sc)
	}
	s.waitScreen("the closed row marked -", regexp.MustCompile(`(?m)^-.tcp +127\.0\.0\.1:7000 +127\.0\.0\.1:40001 `))
	if !clients[40001].exited(5 * time.Second) {
		t.Fatal("the client whose connection was closed is still running")
	}
	checkReset(t, ns, before)
	if connected(t, ns, 40001) {
		t.Error("ss still lists the closed connection")
	}
	if !connected(t, ns, 40002) {
		t.Error("another connection was closed too")
	}

	s.keys(false, "q")
	// The session ends with its command: tmux has no session left.
	waitFor(t, "top to quit", func() bool {
		return exec.Command(tmux, "-L", s.socket, "has-session", "-t", "top").Run() != nil
	})
}

// checkReset checks that one connection ended with a reset since before: the closed
// socket sent a RST (OutRsts) and both ends went from ESTABLISHED straight to CLOSED
// (EstabResets counts both; a graceful close counts neither).
func checkReset(t *testing.T, ns string, before map[string]uint64) {
	t.Helper()
	after := nstest.TCPCounters(t, ns)
	if d := after["OutRsts"] - before["OutRsts"]; d < 1 {
		t.Errorf("no reset sent (OutRsts +%d)", d)
	}
	if d := after["EstabResets"] - before["EstabResets"]; d < 2 {
		t.Errorf("EstabResets +%d, want both ends reset (+2)", d)
	}
}
