//go:build linux

package perf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/nstest"
)

// Bounds for everything that waits.
const (
	setupLimit   = 2 * time.Minute  // go build, ip commands
	readyLimit   = 2 * time.Minute  // a population or the DNS sink getting ready
	commandLimit = 90 * time.Second // one netstat run
	stopLimit    = 20 * time.Second // a stopped process exiting
)

const oraclePath = "/usr/bin/netstat"

// tools are the binaries the tests build once: ours, popgen and dnssink.
type tools struct {
	dir     string
	netstat string
	popgen  string
	dnssink string
}

// need skips the test politely when it cannot run (not root, tools missing), unless
// CI=true, and builds the tools.
func need(t *testing.T) *tools {
	t.Helper()
	nstest.RequireRoot(t)
	for _, tool := range []string{"ip", "unshare", "mount", "sh", "go", oraclePath} {
		nstest.RequireTool(t, tool)
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	tl := &tools{dir: dir, netstat: filepath.Join(dir, "netstat"),
		popgen: filepath.Join(dir, "popgen"), dnssink: filepath.Join(dir, "dnssink")}
	for out, pkg := range map[string]string{tl.netstat: "./cmd/netstat", tl.popgen: "./test/popgen", tl.dnssink: "./test/perf/dnssink"} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = filepath.Join("..", "..")
		if b, err := runLimited(cmd, setupLimit); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
	}
	return tl
}

// runLimited runs cmd with a deadline and returns its combined output.
func runLimited(cmd *exec.Cmd, limit time.Duration) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	timer := time.AfterFunc(limit, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	return out.Bytes(), err
}

// newNetns creates a namespace with lo up and listener ports below the ephemeral
// range; t.Cleanup deletes it (after the processes started in it, which are
// registered later and so stopped first).
func newNetns(t *testing.T, tag string) string {
	t.Helper()
	name := fmt.Sprintf("nsperf-%d-%s", os.Getpid(), tag)
	if b, err := runLimited(exec.Command("ip", "netns", "add", name), setupLimit); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, b)
	}
	t.Cleanup(func() {
		if b, err := runLimited(exec.Command("ip", "netns", "del", name), setupLimit); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", name, err, b)
		}
	})
	for _, args := range [][]string{
		{"ip", "link", "set", "lo", "up"},
		{"sysctl", "-qw", "net.ipv4.ip_local_port_range=30000 65535"},
	} {
		cmd := exec.Command("ip", append([]string{"netns", "exec", name}, args...)...)
		if b, err := runLimited(cmd, setupLimit); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, b)
		}
	}
	return name
}

// started is a process that printed READY; stop ends it by PID.
type started struct {
	cmd    *exec.Cmd
	out    *bufio.Reader
	waited bool
}

// start runs argv in the namespace until it prints READY; t.Cleanup stops it.
func start(t *testing.T, ns string, argv ...string) *started {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, argv...)...)
	cmd.Stderr = os.Stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &started{cmd: cmd, out: bufio.NewReader(pipe)}
	t.Cleanup(func() { p.stop() })
	ready := make(chan error, 1)
	go func() {
		line, err := p.out.ReadString('\n')
		if err == nil && line != "READY\n" {
			err = fmt.Errorf("first line %q", line)
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("%v did not get ready: %v", argv, err)
		}
	case <-time.After(readyLimit):
		t.Fatalf("%v not ready after %v", argv, readyLimit)
	}
	return p
}

// stop sends SIGTERM to the process (ip netns exec has exec'd it: same PID), waits a
// bounded time, then SIGKILLs it, and returns what it printed after READY.
func (p *started) stop() string {
	if p.waited {
		return ""
	}
	p.waited = true
	p.cmd.Process.Signal(syscall.SIGTERM)
	rest := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(p.out)
		rest <- string(b)
	}()
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(stopLimit):
		p.cmd.Process.Kill()
		<-done
	}
	return <-rest
}

// etcFiles writes the private /etc files: hosts, resolv.conf pointing at the DNS sink,
// and nsswitch.conf with "hosts: files" and "hosts: files dns" (the other lines from
// the machine's).
func etcFiles(t *testing.T, dir string) {
	t.Helper()
	base, err := os.ReadFile("/etc/nsswitch.conf")
	if err != nil {
		base = nil
	}
	hostsLine := regexp.MustCompile(`(?m)^hosts:.*$`)
	variant := func(sources string) []byte {
		line := []byte("hosts: " + sources)
		if hostsLine.Match(base) {
			return hostsLine.ReplaceAll(base, line)
		}
		return append(append(bytes.Clone(base), line...), '\n')
	}
	files := map[string][]byte{
		"hosts":               []byte("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"),
		"resolv.conf":         []byte("nameserver 127.0.0.53\n"),
		"nsswitch-files.conf": variant("files"),
		"nsswitch-dns.conf":   variant("files dns"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// outcome is what one netstat run printed.
type outcome struct {
	Stdout, Stderr string
	Exit           int
}

// run runs a netstat in the namespace with the private /etc files of dir bind-mounted
// (nsswitch from dir/nsswitch), LC_ALL=C.
func run(t *testing.T, ns, dir, nsswitch string, argv ...string) (outcome, time.Duration) {
	t.Helper()
	script := `mount --bind "$1" /etc/nsswitch.conf && mount --bind "$2" /etc/resolv.conf && mount --bind "$3" /etc/hosts && shift 3 && exec "$@"`
	args := append([]string{"netns", "exec", ns, "unshare", "-m", "sh", "-c", script, "sh",
		filepath.Join(dir, nsswitch), filepath.Join(dir, "resolv.conf"), filepath.Join(dir, "hosts")}, argv...)
	ctx, cancel := context.WithTimeout(context.Background(), commandLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", args...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	begin := time.Now()
	err := cmd.Run()
	took := time.Since(begin)
	o := outcome{Stdout: stdout.String(), Stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		o.Exit = ee.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", argv, err)
	}
	if ctx.Err() != nil {
		t.Fatalf("%v: no result within %v", argv, commandLimit)
	}
	return o, took
}

// TestDNSUnansweredPrivileged is the name-resolution case of the benchmark: with a DNS
// server that reads queries and never answers, ours under "hosts: files dns" must print
// what net-tools prints under "hosts: files", numbers for every address without a name
// in the hosts file.
func TestDNSUnansweredPrivileged(t *testing.T) {
	tl := need(t)
	ns := newNetns(t, "dns")
	etcFiles(t, tl.dir)
	start(t, ns, tl.popgen, "-conns", "1000", "-procs", "1", "-peers", "-extras=false")
	sink := start(t, ns, tl.dnssink, "-addr", "127.0.0.53:53")

	want, _ := run(t, ns, tl.dir, "nsswitch-files.conf", oraclePath, "-ta")
	got, took := run(t, ns, tl.dir, "nsswitch-dns.conf", tl.netstat, "-ta")
	t.Logf("ours -ta with unanswered DNS took %v (timing is the benchmark's business)", took)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("netstat -ta differs from net-tools (-want +got):\n%s", d)
	}
	if n := strings.Count(want.Stdout, "127.10."); n != 2000 {
		t.Errorf("net-tools listed %d rows with a 127.10.x.y address, want 2000 (the population is not what the case needs)", n)
	}
	rest := sink.stop()
	var queries int
	if _, err := fmt.Sscanf(rest, "QUERIES %d", &queries); err != nil || queries == 0 {
		t.Errorf("the DNS sink read no query (%q): ours did not consult DNS", rest)
	}
}

// timerValue masks the running part of -o timers, which moves between two runs.
var timerValue = regexp.MustCompile(`\(([0-9]+\.[0-9]{2})/`)

// TestPopulationPrivileged compares every listing the benchmark times, and the family
// selections around the single dump of both TCP families, on a population with IPv6,
// TIME_WAIT, UDP and unix sockets.
func TestPopulationPrivileged(t *testing.T) {
	tl := need(t)
	ns := newNetns(t, "pop")
	etcFiles(t, tl.dir)
	// No renewal: the population does not change while the cases run (the first
	// TIME_WAIT sockets last 60 s).
	start(t, ns, tl.popgen, "-conns", "10000", "-procs", "12", "-renew", "0")
	cases := [][]string{
		{"-tan"}, {"-tanp"}, {"-an"}, {"-tan", "--numeric-users", "-e"}, {"-tanpe"},
		{"-tano"}, {"-ta"}, {"-tan", "-4"}, {"-tan", "-6"}, {"-tanp", "-6"},
		{"-tan", "-A", "inet6,inet"}, {"-tln"}, {"-tn"}, {"-uan"}, {"-xan"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// A second attempt when they differ: the first TIME_WAIT sockets expire
			// 60 s after the population was made, maybe between the two runs.
			var want, got outcome
			var tookWant, tookGot time.Duration
			for attempt := 0; attempt < 2; attempt++ {
				want, tookWant = run(t, ns, tl.dir, "nsswitch-files.conf", append([]string{oraclePath}, args...)...)
				got, tookGot = run(t, ns, tl.dir, "nsswitch-files.conf", append([]string{tl.netstat}, args...)...)
				for _, o := range []*outcome{&want, &got} {
					o.Stdout = timerValue.ReplaceAllString(o.Stdout, "(T/")
				}
				if want == got {
					break
				}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("netstat %s differs from net-tools (-want +got):\n%s", strings.Join(args, " "), d)
			}
			if args[0] == "-tan" && len(args) == 1 && !strings.Contains(want.Stdout, "\ntcp6 ") {
				t.Errorf("no IPv6 TCP sockets in the population: the held IPv6 rows are not exercised")
			}
			t.Logf("%d lines; net-tools %v, ours %v", strings.Count(want.Stdout, "\n"), tookWant, tookGot)
		})
	}
}
