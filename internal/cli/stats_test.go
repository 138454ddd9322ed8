package cli

import (
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"context"
	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/nstest"
)

// statVariants maps the names of the captured outputs in testdata/stats/*/ to the
// netstat command line that produced them (see capture.sh) and to the Config that
// Parse derives from it (§2.5: -s with no protocol switch turns them all on).
func statVariants() []statVariant {
	return []statVariant{
		{"s", "-s", Config{Statistics: 1, TCP: 1, SCTP: 1, UDP: 1, UDPLite: 1, Raw: 1, NoProt: true}},
		{"st", "-st", Config{Statistics: 1, TCP: 1}},
		{"su", "-su", Config{Statistics: 1, UDP: 1}},
		{"sw", "-sw", Config{Statistics: 1, Raw: 1}},
		{"sU", "-sU", Config{Statistics: 1, UDPLite: 1}},
		{"sS", "-sS", Config{Statistics: 1, SCTP: 1}},
		{"stu", "-stu", Config{Statistics: 1, TCP: 1, UDP: 1}},
		{"s6", "-s -6", Config{Statistics: 1, Inet6: 1, Families: []string{"inet6"}, TCP: 1, SCTP: 1, UDP: 1, UDPLite: 1, Raw: 1, NoProt: true}},
		{"s6t", "-s -6 -t", Config{Statistics: 1, Inet6: 1, Families: []string{"inet6"}, TCP: 1}},
		{"s6u", "-s -6 -u", Config{Statistics: 1, Inet6: 1, Families: []string{"inet6"}, UDP: 1}},
		{"s6w", "-s -6 -w", Config{Statistics: 1, Inet6: 1, Families: []string{"inet6"}, Raw: 1}},
		{"s46", "-s -4 -6", Config{Statistics: 1, Inet: 1, Inet6: 1, Families: []string{"inet", "inet6"}, TCP: 1, SCTP: 1, UDP: 1, UDPLite: 1, Raw: 1, NoProt: true}},
	}
}

type statVariant struct {
	name string
	args string
	cfg  Config
}

// runStats runs runStatistics over proc and returns stdout, stderr and the status.
func runStats(t *testing.T, proc fs.FS, c Config) (stdout, stderr string, rc int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: bufio.NewWriter(&out), stderr: &errb, proc: proc}
	rc = e.runStatistics(context.Background(), &c)
	if err := e.stdout.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), rc
}

// TestStatisticsCaptured compares runStatistics with /usr/bin/netstat's output captured
// on the same /proc files: live namespaces (fresh, traffic) and hand-made trees
// (synth-*), see testdata/stats/capture.sh.
func TestStatisticsCaptured(t *testing.T) {
	cases, err := filepath.Glob("testdata/stats/*/proc")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 8 {
		t.Fatalf("found only %d captured cases", len(cases))
	}
	for _, procDir := range cases {
		dir := filepath.Dir(procDir)
		for _, v := range statVariants() {
			t.Run(filepath.Base(dir)+"/"+v.name, func(t *testing.T) {
				want := readStatCapture(t, dir, v.name)
				stdout, stderr, rc := runStats(t, os.DirFS(procDir), v.cfg)
				if diff := cmp.Diff(want.stdout, stdout); diff != "" {
					t.Errorf("netstat %s stdout mismatch (-want +got):\n%s", v.args, diff)
				}
				if diff := cmp.Diff(want.stderr, stderr); diff != "" {
					t.Errorf("netstat %s stderr mismatch (-want +got):\n%s", v.args, diff)
				}
				if rc != want.exit {
					t.Errorf("netstat %s exit status = %d, want %d", v.args, rc, want.exit)
				}
			})
		}
	}
}

type statCapture struct {
	stdout, stderr string
	exit           int
}

func readStatCapture(t *testing.T, dir, name string) statCapture {
	t.Helper()
	read := func(ext string) string {
		b, err := os.ReadFile(filepath.Join(dir, name+ext))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	exit, err := strconv.Atoi(strings.TrimSpace(read(".exit")))
	if err != nil {
		t.Fatal(err)
	}
	return statCapture{read(".stdout"), read(".stderr"), exit}
}

// TestStatisticsFamilies covers the family-list check of §7.1 (outputs from the oracle).
func TestStatisticsFamilies(t *testing.T) {
	proc := os.DirFS("testdata/stats/fresh/proc")
	tests := []struct {
		name     string
		families []string
		stdout   string
		rc       int
	}{
		{"unix", []string{"unix"}, "netstat: No statistics support for specified address family: unix\n", 1},
		{"inet twice", []string{"inet", "inet"}, "netstat: No statistics support for specified address family: inet,inet\n", 1},
		{"ipx", []string{"ipx"}, "netstat: No statistics support for specified address family: ipx\n", 1},
		{"inet6 inet", []string{"inet6", "inet"}, "netstat: No statistics support for specified address family: inet6,inet\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, rc := runStats(t, proc, Config{Statistics: 1, Families: tt.families, TCP: 1})
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if stderr != "" || rc != tt.rc {
				t.Errorf("stderr %q, status %d; want none, %d", stderr, rc, tt.rc)
			}
		})
	}
}

// TestStatisticsDefaultSwitches checks that a Config without any protocol switch (as
// if Parse had not derived them) prints the full report, like netstat -s.
func TestStatisticsDefaultSwitches(t *testing.T) {
	dir := "testdata/stats/traffic"
	want := readStatCapture(t, dir, "s")
	stdout, _, _ := runStats(t, os.DirFS(filepath.Join(dir, "proc")), Config{Statistics: 1})
	if diff := cmp.Diff(want.stdout, stdout); diff != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", diff)
	}
}

// statErrFS fails every Open with err, or every Read when onRead is set.
type statErrFS struct {
	err    error
	onRead bool
}

func (f statErrFS) Open(name string) (fs.File, error) {
	if !f.onRead {
		return nil, &fs.PathError{Op: "open", Path: name, Err: f.err}
	}
	return statErrFile{f.err}, nil
}

type statErrFile struct{ err error }

func (f statErrFile) Stat() (fs.FileInfo, error) { return nil, f.err }
func (f statErrFile) Read([]byte) (int, error)   { return 0, f.err }
func (f statErrFile) Close() error               { return nil }

// TestStatisticsErrors checks net-tools' messages for files that cannot be opened or
// read: perror texts, exit status 0.
func TestStatisticsErrors(t *testing.T) {
	all := Config{Statistics: 1, TCP: 1, SCTP: 1, UDP: 1, UDPLite: 1, Raw: 1}
	v6 := all
	v6.Families = []string{"inet6"}
	tests := []struct {
		name   string
		proc   fs.FS
		cfg    Config
		stdout string
		stderr string
	}{
		{"snmp permission", statErrFS{err: syscall.EACCES}, all, "", "cannot open /proc/net/snmp: Permission denied\n"},
		{"snmp6 missing", fstest.MapFS{}, v6, "", "cannot open /proc/net/snmp6: No such file or directory\n"},
		{"snmp read error", statErrFS{err: syscall.EIO, onRead: true}, all, "Sctp:\n",
			"/proc/net/snmp: Input/output error\n/proc/net/netstat: Input/output error\n/proc/net/sctp/snmp: Input/output error\n"},
		{"snmp6 read error", statErrFS{err: syscall.EISDIR, onRead: true}, v6, "",
			"/proc/net/snmp6: Is a directory\n/proc/net/snmp: Is a directory\n"},
		{"netstat and sctp missing", fstest.MapFS{"net/snmp": {Data: []byte("Tcp: ActiveOpens\nTcp: 1\n")}}, all,
			"Tcp:\n    1 active connection openings\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, rc := runStats(t, tt.proc, tt.cfg)
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stderr, stderr); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
			if rc != 0 {
				t.Errorf("status %d, want 0", rc)
			}
		})
	}
}

// TestStatisticsPrivileged runs /usr/bin/netstat on every captured /proc tree again
// (in a private mount namespace whose /proc is a tmpfs holding the tree) and compares
// it with runStatistics on the same tree, and does the same on a live snapshot of a
// fresh network namespace after some loopback traffic. Needs root.
func TestStatisticsPrivileged(t *testing.T) {
	requireStatsPrivileges(t)
	cases, err := filepath.Glob("testdata/stats/*/proc")
	if err != nil {
		t.Fatal(err)
	}
	live := t.TempDir()
	captureLive(t, live)
	cases = append(cases, filepath.Join(live, "proc"))
	for _, procDir := range cases {
		name := filepath.Base(filepath.Dir(procDir))
		t.Run(name, func(t *testing.T) {
			for _, v := range statVariants() {
				want := oracleOnTree(t, procDir, v.args)
				stdout, stderr, rc := runStats(t, os.DirFS(procDir), v.cfg)
				got := statCapture{stdout, stderr, rc}
				if diff := cmp.Diff(want, got, cmp.AllowUnexported(statCapture{})); diff != "" {
					t.Errorf("netstat %s mismatch (-want +got):\n%s", v.args, diff)
				}
			}
		})
	}
}

func requireStatsPrivileges(t *testing.T) {
	t.Helper()
	nstest.RequireRoot(t)
	for _, tool := range []string{"/usr/bin/netstat", "unshare", "ip"} {
		nstest.RequireTool(t, tool)
	}
}

// oracleOnTree runs /usr/bin/netstat ARGS with /proc replaced by the tree at procDir.
func oracleOnTree(t *testing.T, procDir, args string) statCapture {
	t.Helper()
	abs, err := filepath.Abs(procDir)
	if err != nil {
		t.Fatal(err)
	}
	script := `set -e
tree=$(mktemp -d)
cp -a "$1/." "$tree/"
mount -t tmpfs none /proc
cp -a "$tree/." /proc/
rm -rf "$tree" /proc/.keep
shift
set +e
/usr/bin/netstat "$@" >"$OUT" 2>"$ERR"
echo $? >"$RC"`
	tmp := t.TempDir()
	cmd := exec.Command("unshare", append([]string{"-m", "--propagation", "private", "sh", "-c", script, "sh", abs}, strings.Fields(args)...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "OUT="+tmp+"/out", "ERR="+tmp+"/err", "RC="+tmp+"/rc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("running the oracle: %v\n%s", err, out)
	}
	read := func(n string) string {
		b, err := os.ReadFile(filepath.Join(tmp, n))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	rc, err := strconv.Atoi(strings.TrimSpace(read("rc")))
	if err != nil {
		t.Fatal(err)
	}
	return statCapture{read("out"), read("err"), rc}
}

// captureLive snapshots /proc/net/{snmp,netstat,snmp6} of a fresh network namespace
// after TCP and UDP traffic on loopback (made by TestStatisticsTrafficHelper run inside
// it) into dir/proc/net. The namespace is deleted afterwards.
func captureLive(t *testing.T, dir string) {
	t.Helper()
	ns := "nsgo-statstest-" + strconv.Itoa(os.Getpid())
	run := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run(nil, "ip", "netns", "add", ns)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("deleting namespace %s: %v\n%s", ns, err, out)
		}
	})
	run(nil, "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
	run([]string{statsTrafficEnv + "=1"}, "ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestStatisticsTrafficHelper$", "-test.count=1")
	netDir := filepath.Join(dir, "proc", "net")
	if err := os.MkdirAll(netDir, 0o755); err != nil {
		t.Fatal(err)
	}
	run(nil, "ip", "netns", "exec", ns, "sh", "-c", `for f in snmp netstat snmp6; do cat /proc/net/$f >"$0/$f"; done`, netDir)
}

// statsTrafficEnv makes TestStatisticsTrafficHelper run; captureLive sets it.
const statsTrafficEnv = "NETSTAT_GO_STATS_TRAFFIC"

// TestStatisticsTrafficHelper is not a test: captureLive runs the test binary with it
// inside a fresh network namespace to move the counters (UDP to closed ports, hence
// ICMP errors; TCP connections with data; a refused TCP connection).
func TestStatisticsTrafficHelper(t *testing.T) {
	if os.Getenv(statsTrafficEnv) != "1" {
		t.Skip("helper for TestStatisticsPrivileged")
	}
	for _, host := range []string{"127.0.0.1", "::1"} {
		// A closed port: bind one, close it, send to it.
		c, err := net.ListenPacket("udp", net.JoinHostPort(host, "0"))
		if err != nil {
			t.Fatal(err)
		}
		closed := c.LocalAddr().String()
		c.Close()
		u, err := net.Dial("udp", closed)
		if err != nil {
			t.Fatal(err)
		}
		u.Write([]byte("nobody"))
		u.Close()

		l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			d, err := net.DialTimeout("tcp", l.Addr().String(), 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			a, err := l.Accept()
			if err != nil {
				t.Fatal(err)
			}
			d.Write([]byte("ping"))
			buf := make([]byte, 4)
			a.SetReadDeadline(time.Now().Add(2 * time.Second))
			io.ReadFull(a, buf)
			d.Close()
			a.Close()
		}
		addr := l.Addr().String()
		l.Close()
		if d, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
			d.Close()
		}
	}
}
