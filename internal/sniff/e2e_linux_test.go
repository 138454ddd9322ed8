//go:build linux

package sniff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
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

// The privileged end-to-end tests: a fresh network namespace, real servers and
// clients, and the real netstat binary capturing on its loopback.

func goBuild(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// start runs a long-lived process, stopped by PID when the test ends.
func start(t *testing.T, cmd *exec.Cmd) *exec.Cmd {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd
}

// packetSockets counts the namespace's packet sockets (a sniffer is ready when its
// socket is there).
func packetSockets(t *testing.T) int {
	b, err := os.ReadFile("/proc/thread-self/net/packet")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n")) - 1
}

type sniffer struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

// sniff starts `netstat sniff args...` and waits until its filter is attached.
func startSniffer(t *testing.T, bin string, args ...string) *sniffer {
	t.Helper()
	before := packetSockets(t)
	s := &sniffer{cmd: exec.Command(bin, append([]string{"sniff"}, args...)...)}
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	start(t, s.cmd)
	for deadline := time.Now().Add(10 * time.Second); packetSockets(t) <= before; {
		if time.Now().After(deadline) {
			t.Fatalf("sniff %v did not open its socket: %s", args, s.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the filter is attached right after the socket opens
	return s
}

var dropLine = regexp.MustCompile(`^(\d+) packets received by filter, (\d+) packets dropped by kernel\n$`)

// stop ends the sniffer as Ctrl-C would and returns its output.
func (s *sniffer) stop(t *testing.T) string {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("sniff %v: %v\n%s", s.cmd.Args, err, s.stderr.String())
	}
	m := dropLine.FindStringSubmatch(s.stderr.String())
	if m == nil || m[2] != "0" {
		t.Errorf("sniff %v: stderr %q, want the kernel's counts with no drops", s.cmd.Args[1:], s.stderr.String())
	}
	return s.stdout.String()
}

func curl(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("curl", append([]string{"-sS", "-o", "/dev/null", "--max-time", "5"}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("curl %v: %v\n%s", args, err, b)
	}
}

func TestLiveHTTPPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.RequireTools(t, "curl", "go")
	dir := t.TempDir()
	bin := goBuild(t, dir, "github.com/netstat-go/netstat/cmd/netstat")
	httpd := goBuild(t, dir, "github.com/netstat-go/netstat/internal/sniff/testdata/httpd")
	nstest.EnterNetns(t)
	start(t, exec.Command(httpd, "[::]:80"))
	time.Sleep(200 * time.Millisecond)

	requests := startSniffer(t, bin, "top-sources", "--port", "80")
	conns := startSniffer(t, bin, "top-sources", "--by", "connections")
	crawlers := startSniffer(t, bin, "crawlers", "--json")

	const google = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	const yandex = "Mozilla/5.0 (compatible; YandexBot/3.0)"
	const bing = "Mozilla/5.0 (compatible; bingbot/2.0)"
	type req struct{ client, ua, path string }
	var sent []req
	for i := range 5 {
		sent = append(sent, req{"127.0.0.2", google, fmt.Sprintf("/g%d", i)})
	}
	for i := range 3 {
		sent = append(sent, req{"127.0.0.3", "curl", fmt.Sprintf("/c%d", i)})
	}
	sent = append(sent, req{"127.0.0.4", yandex, "/y"}, req{"::1", bing, "/b0"}, req{"::1", bing, "/b1"})
	for _, r := range sent {
		if r.client == "::1" {
			curl(t, "-g", "-A", r.ua, "http://[::1]"+r.path)
			continue
		}
		args := []string{"--interface", r.client, "http://127.0.0.1" + r.path}
		if r.ua != "curl" {
			args = append(args, "-A", r.ua)
		}
		curl(t, args...)
	}
	time.Sleep(300 * time.Millisecond) // the ring hands over a block within 10 ms

	want := "      5 127.0.0.2\n      3 127.0.0.3\n      2 ::1\n      1 127.0.0.4\n"
	if diff := cmp.Diff(want, requests.stop(t)); diff != "" {
		t.Errorf("top-sources by requests (-want +got)\n%s", diff)
	}
	if diff := cmp.Diff(want, conns.stop(t)); diff != "" {
		t.Errorf("top-sources by connections (-want +got)\n%s", diff)
	}
	var got, wantReqs []requestJSON
	sc := bufio.NewScanner(strings.NewReader(crawlers.stop(t)))
	var summary string
	for sc.Scan() {
		var r requestJSON
		if strings.HasPrefix(sc.Text(), `{"summary"`) {
			summary = sc.Text()
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		r.Time = time.Time{}
		got = append(got, r)
	}
	for _, r := range sent {
		if r.ua == "curl" {
			continue
		}
		host := "127.0.0.1"
		if r.client == "::1" {
			host = "[::1]"
		}
		wantReqs = append(wantReqs, requestJSON{Client: r.client, UserAgent: r.ua, Host: host, Method: "GET", Path: r.path})
	}
	if diff := cmp.Diff(wantReqs, got); diff != "" {
		t.Errorf("crawlers (-want +got)\n%s", diff)
	}
	if !strings.Contains(summary, `"user_agents":[{"count":5,"key":"`+strings.ReplaceAll(google, "+", `\u002b`)) &&
		!strings.Contains(summary, `"user_agents":[{"count":5,"key":"`+google) {
		t.Errorf("crawlers summary: %s", summary)
	}
}

// TestNoPrivilegePrivileged runs a live capture as nobody: one line naming CAP_NET_RAW
// and setcap, a non-zero status, nothing on standard output.
func TestNoPrivilegePrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.RequireTools(t, "setpriv", "go")
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := goBuild(t, dir, "github.com/netstat-go/netstat/cmd/netstat")
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", bin, "sniff", "mysql")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("exit: %v", err)
	}
	want := "netstat sniff: capturing packets needs the CAP_NET_RAW capability: run as root, or grant it to the binary with 'setcap cap_net_raw+ep " + bin + "'\n"
	if stdout.Len() != 0 || stderr.String() != want {
		t.Errorf("stdout %q, stderr %q, want %q", stdout.String(), stderr.String(), want)
	}
}
