//go:build linux

package diff

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Bounds for everything that waits.
const (
	setupCmdTimeout = 20 * time.Second
	readyTimeout    = 15 * time.Second
	settlePoll      = 250 * time.Millisecond
	settleQuiet     = 2500 * time.Millisecond // counters unchanged for this long
	settleLimit     = 30 * time.Second
	linkLimit       = 15 * time.Second
)

// netns is one fixture namespace with its holder processes.
type netns struct {
	s      *suite
	name   string
	dir    string // scratch directory for this fixture's Unix socket paths
	anchor int    // PID of a process inside the namespace (for /proc/PID/net/*)
}

// newNetns creates a fresh namespace; t.Cleanup deletes it (after the holders, which
// are registered later and therefore stopped first).
func newNetns(t *testing.T, s *suite, tag string) *netns {
	t.Helper()
	n := &netns{
		s:    s,
		name: fmt.Sprintf("%s-%d-%s", nsPrefix, os.Getpid(), tag),
		dir:  filepath.Join(s.work, "u"+tag),
	}
	if err := os.MkdirAll(n.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := command(setupCmdTimeout, "ip", "netns", "add", n.name); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", n.name, err, out)
	}
	t.Cleanup(func() {
		if out, err := command(setupCmdTimeout, "ip", "netns", "del", n.name); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", n.name, err, out)
		}
	})
	return n
}

// command runs a command with a deadline and returns its combined output.
func command(limit time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	return string(out), err
}

// sh runs each shell command line inside the namespace, failing the test on error.
func (n *netns) sh(t *testing.T, lines ...string) {
	t.Helper()
	for _, line := range lines {
		if out, err := command(setupCmdTimeout, "ip", "netns", "exec", n.name, "sh", "-ec", line); err != nil {
			t.Fatalf("in %s: %s: %v\n%s", n.name, line, err, out)
		}
	}
}

// holderSpec describes one holder process.
type holderSpec struct {
	args  []string // fixture name and arguments
	uid   int      // run as this uid/gid (0 = root)
	argv0 *string  // if set, exec the holder with this argv[0] (bash exec -a)
}

// start runs a holder inside the namespace, waits for READY and registers its stop.
// It returns the holder's PID.
func (n *netns) start(t *testing.T, h holderSpec) int {
	t.Helper()
	argv := append([]string{n.s.holder}, h.args...)
	if h.argv0 != nil {
		argv = append([]string{"bash", "-c", `exec -a "$0" "$@"`, *h.argv0}, argv...)
	}
	if h.uid != 0 {
		id := strconv.Itoa(h.uid)
		argv = append([]string{"setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups"}, argv...)
	}
	argv = append([]string{"netns", "exec", n.name}, argv...)
	cmd := exec.Command("ip", argv...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}
	stdin, err := cmd.StdinPipe() // closing it (or our death) makes the holder exit
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting holder %v: %v", h.args, err)
	}
	var extra []int
	stop := func() {
		for _, pid := range extra {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		_ = cmd.Process.Kill()
		_ = stdin.Close()
		_ = cmd.Wait()
	}
	type line struct {
		text string
		err  error
	}
	lines := make(chan line, 8)
	go func() {
		r := bufio.NewReader(stdout)
		for i := 0; i < 64; i++ {
			s, err := r.ReadString('\n')
			lines <- line{strings.TrimSpace(s), err}
			if err != nil || strings.TrimSpace(s) == "READY" {
				break
			}
		}
		_, _ = io.Copy(io.Discard, r)
	}()
	deadline := time.After(readyTimeout)
	for ready := false; !ready; {
		select {
		case l := <-lines:
			switch {
			case l.text == "READY":
				ready = true
			case strings.HasPrefix(l.text, "PID "):
				pid, err := strconv.Atoi(strings.TrimPrefix(l.text, "PID "))
				if err == nil {
					extra = append(extra, pid)
				}
			case l.err != nil:
				stop()
				t.Fatalf("holder %v exited before READY: %v\nstderr: %s", h.args, l.err, stderr.String())
			}
		case <-deadline:
			stop()
			t.Fatalf("holder %v: no READY within %v\nstderr: %s", h.args, readyTimeout, stderr.String())
		}
	}
	t.Cleanup(stop)
	if n.anchor == 0 {
		n.anchor = cmd.Process.Pid
	}
	return cmd.Process.Pid
}

// ensureAnchor starts an idle holder if no process lives in the namespace yet.
func (n *netns) ensureAnchor(t *testing.T) {
	t.Helper()
	if n.anchor == 0 {
		n.start(t, holderSpec{args: []string{"idle"}})
	}
}

// counters returns the namespace's traffic-dependent /proc files, concatenated.
func (n *netns) counters() string {
	var b strings.Builder
	for _, f := range []string{"dev", "snmp", "snmp6", "netstat", "igmp", "igmp6"} {
		data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", n.anchor, f))
		b.Write(data)
	}
	return b.String()
}

// timerCounts returns the endpoints and the retransmit and probe counts ("retrnsmt",
// "timeout") of every TCP socket of the namespace, which -o prints: a -o pair is
// compared only if they did not move while it ran.
func (n *netns) timerCounts() string {
	var b strings.Builder
	for _, f := range []string{"tcp", "tcp6"} {
		data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/net/%s", n.anchor, f))
		for _, line := range strings.Split(string(data), "\n")[1:] {
			if fl := strings.Fields(line); len(fl) > 8 {
				fmt.Fprintln(&b, fl[1], fl[2], fl[6], fl[8])
			}
		}
	}
	return b.String()
}

// settle waits until the namespace's counters stop changing (bounded).
func (n *netns) settle(t *testing.T) {
	t.Helper()
	n.ensureAnchor(t)
	start := time.Now()
	last, since := n.counters(), time.Now()
	for time.Since(since) < settleQuiet {
		if time.Since(start) > settleLimit {
			t.Fatalf("namespace %s: counters still changing after %v", n.name, settleLimit)
		}
		time.Sleep(settlePoll)
		if c := n.counters(); c != last {
			last, since = c, time.Now()
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for the concurrent writes of exec.Cmd.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitLinks waits (bounded) until every named device has carrier and no IPv6
// address in the namespace is still tentative, so that sockets can use them.
func (n *netns) waitLinks(t *testing.T, devs ...string) {
	t.Helper()
	deadline := time.Now().Add(linkLimit)
	for {
		ready := true
		for _, d := range devs {
			out, err := command(setupCmdTimeout, "ip", "-n", n.name, "-o", "link", "show", "dev", d)
			if err != nil || !strings.Contains(out, "LOWER_UP") {
				ready = false
			}
		}
		out, err := command(setupCmdTimeout, "ip", "-n", n.name, "-6", "-o", "addr", "show", "tentative")
		if err != nil || strings.TrimSpace(out) != "" {
			ready = false
		}
		if ready {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("namespace %s: links %v not ready within %v", n.name, devs, linkLimit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
