//go:build linux

// Package answers holds the privileged end-to-end tests of netstat-go's filters and
// counts ("Answers, not pipelines"). They build a known socket population in a network
// namespace and check that
//
//   - each count command prints exactly what the classic awk | sort | uniq -c | sort -rn
//     recipe prints over the real /usr/bin/netstat output of the same population;
//   - each filter selects the same sockets as ss with the same filter;
//   - every filtered row is a row net-tools prints for that socket, byte for byte;
//   - netlink (kernel-side filtering) and /proc (user-space only) agree.
//
// They need root, ip(8), ss(8) and /usr/bin/netstat; without root they skip unless
// CI=true.
package answers

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/nstest"
)

func TestMain(m *testing.M) {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runRole(role))
	}
	os.Exit(m.Run())
}

// Bounds for everything that waits.
const (
	cmdTimeout   = 30 * time.Second
	readyTimeout = 15 * time.Second
)

// lab is the namespace with its population and the two netstats.
type lab struct {
	ns   string
	ours string // our netstat binary
	// nettools caches net-tools' output per argument list: the population does not
	// change, and net-tools' -p takes seconds.
	nettools map[string]string
}

func requirePrivileged(t *testing.T) {
	t.Helper()
	nstest.RequireRoot(t)
	for _, tool := range []string{"ip", "ss", "/usr/bin/netstat", "sh", "awk", "sort", "uniq", "sed", "head", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true: %s is missing: %v", tool, err)
			}
			t.Skipf("%s is missing: %v", tool, err)
		}
	}
}

// newLab builds our netstat, creates the namespace and starts the holders; cleanups
// stop the holders (by PID) and delete the namespace.
func newLab(t *testing.T) *lab {
	t.Helper()
	dir := t.TempDir()
	l := &lab{ns: fmt.Sprintf("nsgo-answers-%d", os.Getpid()), ours: filepath.Join(dir, "netstat"), nettools: map[string]string{}}
	if out, err := run("go", "build", "-o", l.ours, "../../cmd/netstat"); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if out, err := run("ip", "netns", "add", l.ns); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := run("ip", "netns", "del", l.ns); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", l.ns, err, out)
		}
	})
	if out, err := run("ip", "netns", "exec", l.ns, "ip", "link", "set", "lo", "up"); err != nil {
		t.Fatalf("lo up: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"httpd", "sshd", "curl"} {
		link := filepath.Join(dir, role)
		if err := os.Symlink(self, link); err != nil {
			t.Fatal(err)
		}
		l.startHolder(t, role, link)
	}
	l.waitSettled(t)
	return l
}

// startHolder runs the test binary as role inside the namespace and waits for READY.
func (l *lab) startHolder(t *testing.T, role, path string) {
	t.Helper()
	cmd := exec.Command("ip", "netns", "exec", l.ns, path, "-test.run=^$")
	cmd.Env = append(os.Environ(), roleEnv+"="+role)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err == nil && line != "READY\n" {
			err = fmt.Errorf("said %q", line)
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("holder %s: %v\n%s", role, err, stderr.String())
		}
	case <-time.After(readyTimeout):
		t.Fatalf("holder %s not ready after %v\n%s", role, readyTimeout, stderr.String())
	}
}

// waitSettled waits until the population is complete: every TIME_WAIT and SYN_RECV
// socket is there.
func (l *lab) waitSettled(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for {
		tw := len(l.lines(t, "ss -H -tn state time-wait"))
		syn := len(l.lines(t, "ss -H -tn state syn-recv"))
		if tw == total(twClients) && syn == total(synClients) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("population not settled: %d TIME_WAIT, %d SYN_RECV", tw, syn)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// run runs a command with a deadline and returns its combined output.
func run(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}

// sh runs a shell command line in the namespace, with $NG naming our netstat and the
// C locale; it returns the standard output. extraEnv entries are added.
func (l *lab) sh(t *testing.T, line string, extraEnv ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", l.ns, "sh", "-c", line)
	cmd.Env = append(os.Environ(), "LC_ALL=C", "NG="+l.ours)
	cmd.Env = append(cmd.Env, extraEnv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", line, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s: stderr %q", line, stderr.String())
	}
	return string(out)
}

// netTools returns the output of /usr/bin/netstat with args in the namespace.
func (l *lab) netTools(t *testing.T, args string) string {
	t.Helper()
	out, ok := l.nettools[args]
	if !ok {
		out = l.sh(t, "/usr/bin/netstat "+args)
		l.nettools[args] = out
	}
	return out
}

// pipe runs a shell pipeline over input, in the C locale.
func pipe(t *testing.T, input, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", script, err)
	}
	return string(out)
}

func (l *lab) lines(t *testing.T, line string, extraEnv ...string) []string {
	t.Helper()
	out := strings.TrimSuffix(l.sh(t, line, extraEnv...), "\n")
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

// sources are the two ways our netstat reads sockets: netlink with the kernel doing its
// share of the filtering, and /proc with all filtering in user space.
var sources = []string{"NETSTAT_GO_SOURCE=netlink", "NETSTAT_GO_SOURCE=proc"}

func TestAnswersPrivileged(t *testing.T) {
	requirePrivileged(t)
	l := newLab(t)

	// The classic recipes; "host" strips ":port" from the last field (cut -d: -f1
	// would also cut IPv6 addresses).
	const (
		host = `sed 's/:[^:]*$//'`
		uniq = ` | sort | uniq -c | sort -rn`
	)
	// Each recipe is "netstat ARGS | PIPELINE" run over net-tools.
	recipes := []struct {
		name, ours, args, pipeline string
	}{
		{"connections per state",
			`$NG -tn --count=state`,
			`-tn`, `awk '/^tcp/ {print $NF}'` + uniq},
		{"top 20 remote addresses",
			`$NG -tn --count=raddr --top=20`,
			`-tn`, `awk '/^tcp/ {print $5}' | ` + host + uniq + ` | head -20`},
		{"top 20 remote addresses on local port 80",
			`$NG -tn --filter 'sport = :80' --count=raddr --top=20`,
			`-tn`, `awk '/^tcp/ && $4 ~ /:80$/ {print $5}' | ` + host + uniq + ` | head -20`},
		{"TIME_WAIT peers, top 20",
			`$NG -tn --state=time-wait --count=raddr --top=20`,
			`-tn`, `awk '$6 == "TIME_WAIT" {print $5}' | ` + host + uniq + ` | head -20`},
		{"SYN_RECV per source address",
			`$NG -tn --state=syn-recv --count=raddr`,
			`-tn`, `awk '$6 == "SYN_RECV" {print $5}' | ` + host + uniq},
		{"which program owns port 80",
			`$NG -ntlp --filter 'sport = :80'`,
			`-ntlp`, `awk 'NR <= 2 || $4 ~ /:80$/'`},
		{"programs by listening port",
			`$NG -ntl --count=lport,program`,
			`-ntlp`, `awk '/^tcp/ {n = split($4, a, ":"); split($7, p, "/"); print a[n], p[2]}'` + uniq},
		{"connections per program",
			`$NG -tn --count=program`,
			`-tnp`, `awk '/^tcp/ {print $7}' | sed 's|^[0-9]*/||'` + uniq},
		{"established connections per remote address and local port",
			`$NG -tn --state=established --count=raddr,lport`,
			`-tn`, `awk '$6 == "ESTABLISHED" {n = split($4, a, ":"); h = $5; sub(/:[^:]*$/, "", h); print h, a[n]}'` + uniq},
		{"UDP sockets per local address",
			`$NG -uan --count=laddr`,
			`-uan`, `awk '/^udp/ {print $4}' | ` + host + uniq},
	}
	for _, r := range recipes {
		t.Run(r.name, func(t *testing.T) {
			want := pipe(t, l.netTools(t, r.args), r.pipeline)
			if strings.Count(want, "\n") < 2 {
				t.Fatalf("the population gives this recipe too little to check:\n%s", want)
			}
			for _, src := range sources {
				if diff := cmp.Diff(want, l.sh(t, r.ours, src)); diff != "" {
					t.Errorf("%s %s (-netstat %s | %s +ours):\n%s", src, r.ours, r.args, r.pipeline, diff)
				}
			}
		})
	}

	t.Run("connections per state, awk array recipe", func(t *testing.T) {
		// netstat -n | awk '/^tcp/ {++S[$NF]} END {for(a in S) print a, S[a]}'
		classic := strings.Split(strings.TrimSpace(pipe(t, l.netTools(t, "-n"), `awk '/^tcp/ {++S[$NF]} END {for (a in S) print a, S[a]}'`)), "\n")
		want := map[string]int{}
		for _, line := range classic {
			f := strings.Fields(line)
			want[f[0]], _ = strconv.Atoi(f[1])
		}
		got := map[string]int{}
		for _, line := range l.lines(t, `$NG -tn --count=state`) {
			f := strings.Fields(line)
			got[f[1]], _ = strconv.Atoi(f[0])
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("per-state counts (-classic +ours):\n%s", diff)
		}
		if got["TIME_WAIT"] != total(twClients) || got["SYN_RECV"] != total(synClients) {
			t.Errorf("population: %v", got)
		}
	})

	filters := []struct {
		ours, ss string
	}{
		{`-tan --filter 'sport = :80'`, `-tan 'sport = :80'`},
		{`-tan --filter 'dport = :80'`, `-tan 'dport = :80'`},
		{`-tan --filter 'dst 127.0.0.3'`, `-tan 'dst 127.0.0.3'`},
		{`-tan --filter 'src 127.0.0.0/30'`, `-tan 'src 127.0.0.0/30'`},
		{`-tan --filter 'dst 127.0.0.0/30:8080'`, `-tan 'dst 127.0.0.0/30:8080'`},
		{`-tan --filter 'dport > :1024 and not dst 127.0.0.2'`, `-tan 'dport > :1024 and not dst 127.0.0.2'`},
		{`-tan --filter '( sport = :80 or sport = :8080 ) and dst 127.0.0.2'`, `-tan '( sport = :80 or sport = :8080 ) and dst 127.0.0.2'`},
		{`-tan --filter 'sport = :80 or sport = :22 and dst 127.0.0.2'`, `-tan 'sport = :80 or sport = :22 and dst 127.0.0.2'`},
		{`-tan --filter 'sport >= :7000 and sport <= :9000'`, `-tan 'sport >= :7000 and sport <= :9000'`},
		{`-tan --filter 'dst [::1]'`, `-tan 'dst [::1]'`},
		{`-tan --filter 'src [::1]:8443'`, `-tan 'src [::1]:8443'`},
		{`-tan --state=time-wait`, `-tan state time-wait`},
		{`-tan --state=SYN_RECV`, `-tan state syn-recv`},
		{`-tan --state=connected`, `-tan state connected`},
		{`-tan --state=bucket`, `-tan state bucket`},
		{`-tan --filter 'exclude listening'`, `-tan exclude listening`},
		{`-tan --filter 'state established dport = :80'`, `-tan state established dport = :80`},
		{`-tan --filter 'state established state syn-recv sport = :7000'`, `-tan state established state syn-recv sport = :7000`},
		{`-tan --state=established --filter 'dport = :80'`, `-tan state established dport = :80`},
		{`-uan --filter 'dport = :53'`, `-uan 'dport = :53'`},
		{`-uan --state=established`, `-uan state established`},
		{`-uan --filter 'src 127.0.0.1'`, `-uan 'src 127.0.0.1'`},
		// Host names, from the same /etc/hosts ss reads.
		{`-tan --filter 'src localhost or dst localhost'`, `-tan 'src localhost or dst localhost'`},
		{`-tan --filter 'not dst localhost'`, `-tan 'not dst localhost'`},
	}
	for _, f := range filters {
		t.Run("filter "+f.ours, func(t *testing.T) {
			want := ssPairs(t, l.lines(t, "ss -H "+f.ss))
			if len(want) == 0 {
				t.Fatalf("ss %s selects nothing", f.ss)
			}
			classic := strings.Split(l.netTools(t, "-W "+strings.Fields(f.ours)[0]), "\n")
			for _, src := range sources {
				out := l.lines(t, `$NG -W `+f.ours, src)
				if diff := cmp.Diff(want, netstatPairs(t, out)); diff != "" {
					t.Errorf("%s: sockets (-ss +ours):\n%s", src, diff)
				}
				// Headers and rows are net-tools' own.
				for _, row := range out {
					if !slices.Contains(classic, row) {
						t.Errorf("%s: %q is not a row of net-tools' listing", src, row)
					}
				}
			}
		})
	}

	t.Run("filter --process=httpd", func(t *testing.T) {
		var want []string
		for _, line := range l.lines(t, `ss -H -tanp`) {
			if strings.Contains(line, `(("httpd",`) {
				want = append(want, line)
			}
		}
		for _, src := range sources {
			got := netstatPairs(t, l.lines(t, `$NG -tanW --process=httpd`, src))
			if diff := cmp.Diff(ssPairs(t, want), got); diff != "" {
				t.Errorf("%s: sockets (-ss +ours):\n%s", src, diff)
			}
		}
	})
}

// ssPairs returns the sorted "local remote" pairs of ss -H rows, addresses normalised
// as endpoint does. The addresses are the last two columns but the process column of
// -p (ss leaves out the State column when one state is selected).
func ssPairs(t *testing.T, rows []string) []string {
	t.Helper()
	var out []string
	for _, row := range rows {
		f := strings.Fields(row)
		if n := len(f); n > 0 && strings.HasPrefix(f[n-1], "users:") {
			f = f[:n-1]
		}
		n := len(f)
		if n < 4 {
			t.Fatalf("ss row %q", row)
		}
		out = append(out, endpoint(t, f[n-2])+" "+endpoint(t, f[n-1]))
	}
	slices.Sort(out)
	return out
}

// netstatPairs returns the sorted "local remote" pairs of the socket rows of a -n -W
// listing.
func netstatPairs(t *testing.T, lines []string) []string {
	t.Helper()
	var out []string
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) < 5 || !strings.HasPrefix(f[0], "tcp") && !strings.HasPrefix(f[0], "udp") {
			continue
		}
		out = append(out, endpoint(t, f[3])+" "+endpoint(t, f[4]))
	}
	slices.Sort(out)
	return out
}

// endpoint normalises "host:port" as ss ("[::ffff:1.2.3.4]:80", "*:80", "0.0.0.0:*",
// "[::1]%lo:80") or netstat -n ("::1:80", ":::*", "1.2.3.4:80") prints it: IPv4-mapped
// addresses unmapped, "*" ports as 0, "*" hosts as "::".
func endpoint(t *testing.T, s string) string {
	t.Helper()
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		t.Fatalf("endpoint %q", s)
	}
	host, port := s[:i], s[i+1:]
	if port == "*" {
		port = "0"
	}
	if j := strings.IndexByte(host, '%'); j >= 0 {
		host = host[:j]
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "*" {
		host = "::"
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		t.Fatalf("endpoint %q: %v", s, err)
	}
	return netip.AddrPortFrom(a.Unmap(), 0).Addr().String() + ":" + port
}
