//go:build linux

package diff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// oraclePath is the real net-tools binary.
const oraclePath = "/usr/bin/netstat"

// nsPrefix starts the name of every namespace this suite creates; the test process
// PID follows, so stale namespaces of dead runs can be recognised and removed.
const nsPrefix = "nsd"

// suite is what TestMain prepares once for all tests: a scratch directory readable by
// every uid, the two netstat binaries (each reachable as "netstat" through its own PATH
// directory), the holder, and the private /etc files of spec Appendix A.1.
type suite struct {
	work      string // scratch root, mode 0755
	oracleDir string // contains "netstat" -> /usr/bin/netstat
	oursDir   string // contains "netstat": ours (or the oracle with DIFFTEST_SELF=1)
	holder    string // test/holder binary
	etc       string // hosts, resolv.conf, nsswitch.conf, passwd, services.long, protocols.dup
	self      bool
	err       error // why the suite cannot run (reported by every test)
}

// theSuite is set once by TestMain before any test runs and only read afterwards.
var theSuite *suite

func TestMain(m *testing.M) {
	s := &suite{}
	if os.Geteuid() == 0 {
		s.err = s.prepare()
	} else {
		s.err = errNotRoot
	}
	theSuite = s
	code := m.Run()
	if s.work != "" {
		_ = os.RemoveAll(s.work)
	}
	os.Exit(code)
}

var errNotRoot = errors.New("differential tests need root (network namespaces, bind mounts)")

// need returns the suite, skipping the test politely when it cannot run outside CI and
// failing it in CI (CI=true).
func need(t *testing.T) *suite {
	t.Helper()
	s := theSuite
	if s.err == nil {
		return s
	}
	if errors.Is(s.err, errNotRoot) || errors.Is(s.err, errMissingTool) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but the differential suite cannot run: %v", s.err)
		}
		t.Skipf("skipping: %v", s.err)
	}
	t.Fatalf("suite setup failed: %v", s.err)
	return nil
}

var errMissingTool = errors.New("missing tool")

func (s *suite) prepare() error {
	for _, tool := range []string{"ip", "unshare", "setpriv", "bash", "timeout", "env", "sh", "mount", oraclePath} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: %s", errMissingTool, tool)
		}
	}
	removeStaleNamespaces()
	s.self = os.Getenv("DIFFTEST_SELF") == "1"
	work, err := os.MkdirTemp("", "nsd")
	if err != nil {
		return err
	}
	s.work = work
	if err := os.Chmod(work, 0o755); err != nil {
		return err
	}
	s.oracleDir = filepath.Join(work, "oracle")
	s.oursDir = filepath.Join(work, "ours")
	s.etc = filepath.Join(work, "etc")
	for _, d := range []string{s.oracleDir, s.oursDir, s.etc} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.Symlink(oraclePath, filepath.Join(s.oracleDir, "netstat")); err != nil {
		return err
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	s.holder = filepath.Join(work, "holder")
	if err := goBuild(root, s.holder, "./test/holder"); err != nil {
		return fmt.Errorf("building holder: %w", err)
	}
	ours := filepath.Join(s.oursDir, "netstat")
	switch p := os.Getenv("DIFFTEST_OURS"); {
	case s.self:
		err = os.Symlink(oraclePath, ours)
	case p != "":
		err = os.Symlink(p, ours)
	default:
		err = goBuild(root, ours, "./cmd/netstat")
		if err != nil {
			err = fmt.Errorf("building ./cmd/netstat (set DIFFTEST_SELF=1 to validate the harness against the oracle alone): %w", err)
		}
	}
	if err != nil {
		return err
	}
	return writeEtc(s.etc)
}

// moduleRoot finds the directory holding go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}

func goBuild(root, out, pkg string) error {
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v\n%s", err, stderr.String())
	}
	return os.Chmod(out, 0o755)
}

// removeStaleNamespaces deletes namespaces left behind by runs of this suite whose test
// process no longer exists (e.g. killed by go test -timeout before its cleanups ran).
func removeStaleNamespaces() {
	entries, err := os.ReadDir("/run/netns")
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), nsPrefix+"-")
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		if !ok {
			continue
		}
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			_ = exec.Command("ip", "netns", "del", e.Name()).Run()
		}
	}
}

// hostsFile is spec Appendix A.1's /etc/hosts (tab separated).
const hostsFile = `127.0.0.1	localhost
127.0.0.2	a-very-long-hostname-for-truncation-tests.example.org
127.0.0.3	short3
10.9.0.1	gw-router
10.9.0.2	peer-two
::1	localhost ip6-localhost ip6-loopback
fd00::1	v6host-one
fd00::2	a-very-long-ipv6-hostname-used-for-wide-test.example.net
10.9.0.3	a-very-long-gateway-name.example.com
10.20.30.40	host-route-target-long.example
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
224.0.0.1	all-systems.mcast.net
`

// hostsExtra adds names for the "names" fixture only (addresses no other fixture
// uses): host names past net-tools' 128-byte buffers, exactly at them, and a line
// with an alias (the canonical name is the first).
func hostsExtra() string {
	r := strings.Repeat
	return "127.0.0.6\t" + r("h", 200) + "\n" +
		"127.0.0.7\t" + r("i", 120) + "\n" +
		"127.0.0.8\tcanonical-eight alias-eight\n" +
		"fd00::6\t" + r("v", 200) + "\n" +
		"fd00::7\t" + r("j", 127) + "\n" +
		"fd00::8\t" + r("k", 128) + "\n" +
		"fd00::9\t" + r("m", 126) + "\n"
}

// Extra entries for the private /etc/passwd: user names of exactly 10 and 11 bytes and
// a very long one (the -e User column is %-10s, never truncated).
const passwdExtra = `tenletters:x:4243:4243::/:/usr/sbin/nologin
elevenchars:x:4244:4244::/:/usr/sbin/nologin
a-user-name-that-is-really-quite-long:x:4245:4245::/:/usr/sbin/nologin
`

// servicesExtra is appended to /etc/services for services.long: spec A.1's lines, a
// 70-byte name (net-tools keeps 63 bytes) and a UDP-only name.
func servicesExtra() string {
	return "this-is-a-very-long-service-name 4444/tcp\n" +
		"exactly-eighteen-c 4445/tcp\n" +
		"nineteen-chars-nam 4446/tcp\n" +
		"first-name 4447/tcp\n" +
		"second-name 4447/tcp\n" +
		strings.Repeat("s", 70) + " 4448/tcp\n" +
		"udp-only-svc 4449/udp\n"
}

// protocolsExtra is appended to /etc/protocols for protocols.dup: two names for 200
// (the later wins) and a 70-byte name.
func protocolsExtra() string {
	return "protoname-a 200 PA\nprotoname-b 200 PB\n" + strings.Repeat("p", 70) + " 201 PX\n"
}

func writeEtc(dir string) error {
	nss, err := os.ReadFile("/etc/nsswitch.conf")
	if err != nil {
		return err
	}
	var b strings.Builder
	found := false
	for _, line := range strings.SplitAfter(string(nss), "\n") {
		if strings.HasPrefix(line, "hosts:") {
			line = "hosts:          files\n"
			found = true
		}
		b.WriteString(line)
	}
	if !found {
		b.WriteString("hosts:          files\n")
	}
	files := map[string]string{
		"hosts":         hostsFile + hostsExtra(),
		"resolv.conf":   "nameserver 127.0.0.1\n",
		"nsswitch.conf": b.String(),
	}
	for name, extra := range map[string]string{"passwd": passwdExtra, "services.long": servicesExtra(), "protocols.dup": protocolsExtra()} {
		base, err := os.ReadFile("/etc/" + strings.TrimSuffix(strings.TrimSuffix(name, ".long"), ".dup"))
		if err != nil {
			return err
		}
		if len(base) > 0 && base[len(base)-1] != '\n' {
			base = append(base, '\n')
		}
		files[name] = string(base) + extra
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
