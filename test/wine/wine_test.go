//go:build linux

// Package wine runs netstat.exe (netstat-go built for Windows) end to end under Wine,
// inside a network namespace the test creates: Wine's IP Helper maps the namespace's
// sockets and counters, so the Windows code path (iphlpapi calls, table decoding,
// rendering, exit codes) runs against a known population and real oracles: ss for
// the sockets, Wine's own netstat.exe for -e and -s, /proc/net/snmp for -s.
//
// What only a real Windows host can check: PIDs and -b's modules (Wine reports PID 0
// for every socket and has no owner modules), Windows' own choice of interfaces for
// -e, route print's metrics and interface list, and the name resolution of the
// default (non -n) listing.
package wine

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/nstest"
)

const (
	wine64     = "/usr/lib/wine/wine64"
	wineserver = "/usr/lib/wine/wineserver"
	mingwGCC   = "x86_64-w64-mingw32-gcc"
	holderEnv  = "NETSTAT_WINE_HOLDER"
)

// prngSource is a stand-in bcryptprimitives.dll: Go's Windows runtime needs its
// ProcessPrng, which Wine 8.0 lacks; RtlGenRandom (advapi32's SystemFunction036)
// gives the same random bytes.
const prngSource = `#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T n) {
	while (n > 0) {
		ULONG chunk = n > 0x40000000 ? 0x40000000 : (ULONG)n;
		if (!RtlGenRandom(data, chunk)) return FALSE;
		data += chunk;
		n -= chunk;
	}
	return TRUE;
}
`

func TestMain(m *testing.M) {
	if os.Getenv(holderEnv) == "1" {
		os.Exit(hold())
	}
	os.Exit(m.Run())
}

// lab is one namespace with a Wine prefix in it.
type lab struct {
	ns, exe, prefix string
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, out)
	}
	return out
}

func newLab(t *testing.T) *lab {
	nstest.RequireRoot(t)
	nstest.RequireTools(t, wine64, wineserver, mingwGCC, "ip", "ss", "go")
	dir := t.TempDir()
	l := &lab{ns: fmt.Sprintf("nsgo-wine-%d", os.Getpid()), exe: filepath.Join(dir, "netstat.exe"), prefix: filepath.Join(dir, "prefix")}

	build := exec.Command("go", "build", "-trimpath", "-o", l.exe, "github.com/netstat-go/netstat/cmd/netstat")
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building netstat.exe: %v\n%s", err, out)
	}
	src := filepath.Join(dir, "prng.c")
	if err := os.WriteFile(src, []byte(prngSource), 0o644); err != nil {
		t.Fatal(err)
	}
	dll := filepath.Join(dir, "bcryptprimitives.dll")
	run(t, mingwGCC, "-shared", "-O2", "-o", dll, src, "-ladvapi32")

	run(t, "ip", "netns", "add", l.ns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", l.ns).Run() })
	run(t, "ip", "netns", "exec", l.ns, "ip", "link", "set", "lo", "up")
	// A veth pair with known hardware addresses and an IPv4 network, for -r.
	run(t, "ip", "-n", l.ns, "link", "add", "v0", "address", "02:00:00:00:00:01", "type", "veth",
		"peer", "name", "v1", "address", "02:00:00:00:00:02")
	run(t, "ip", "-n", l.ns, "addr", "add", "192.0.2.1/24", "dev", "v0")
	run(t, "ip", "-n", l.ns, "link", "set", "v0", "up")
	run(t, "ip", "-n", l.ns, "link", "set", "v1", "up")

	// One prefix per run: wineboot is slow. Everything Wine starts (wineserver, the
	// device host that reads /proc/net) runs inside the namespace.
	// A persistent wineserver, started first with its output in a file: the
	// processes Wine leaves running must not hold the pipes of the commands we wait
	// for.
	logf, err := os.Create(filepath.Join(dir, "wine.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	if err := os.Mkdir(l.prefix, 0o755); err != nil {
		t.Fatal(err)
	}
	server := exec.Command("ip", "netns", "exec", l.ns, wineserver, "-p")
	server.Env, server.Stdout, server.Stderr = l.env(), logf, logf
	if err := server.Run(); err != nil {
		b, _ := os.ReadFile(logf.Name())
		t.Fatalf("wineserver -p: %v\n%s", err, b)
	}
	t.Cleanup(func() {
		cmd := exec.Command("ip", "netns", "exec", l.ns, wineserver, "-k")
		cmd.Env = l.env()
		cmd.Run()
	})
	start := time.Now()
	boot := l.wine("wineboot", "--init")
	boot.Stdout, boot.Stderr = logf, logf
	if err := boot.Run(); err != nil {
		b, _ := os.ReadFile(logf.Name())
		t.Fatalf("wineboot: %v\n%s", err, b)
	}
	t.Logf("wineboot --init: %v", time.Since(start).Round(time.Millisecond))
	sys32 := filepath.Join(l.prefix, "drive_c", "windows", "system32")
	b, err := os.ReadFile(dll)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sys32, "bcryptprimitives.dll"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *lab) env() []string {
	return append(os.Environ(), "WINEPREFIX="+l.prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
}

// wine returns a command running a Windows program inside the namespace.
func (l *lab) wine(args ...string) *exec.Cmd {
	cmd := exec.Command("ip", append([]string{"netns", "exec", l.ns, wine64}, args...)...)
	cmd.Env = l.env()
	// Should a process Wine starts keep our pipes open, stop waiting for them soon
	// after the command itself ended.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// result is one run of a program.
type result struct {
	stdout, stderr string
	rc             int
}

func (l *lab) netstat(t *testing.T, args ...string) result {
	t.Helper()
	return l.exec(t, l.wine(append([]string{l.exe}, args...)...))
}

func (l *lab) exec(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatalf("%q: %v", cmd.Args, err)
	}
	timer := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	timer.Stop()
	rc := 0
	if ee, ok := err.(*exec.ExitError); ok {
		rc = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%q: %v", cmd.Args, err)
	}
	return result{out.String(), errb.String(), rc}
}

// startHolder starts this test binary as the socket holder inside the namespace and
// stops it (closing its stdin, then by PID) when the test ends.
func (l *lab) startHolder(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", l.ns, self, "-test.run=^$")
	cmd.Env = append(os.Environ(), holderEnv+"=1")
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
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "READY\n" {
		t.Fatalf("holder: %q %v\n%s", line, err, stderr.String())
	}
}

// TestWine is one Wine session; its subtests share the prefix and the population.
func TestWine(t *testing.T) {
	l := newLab(t)
	l.startHolder(t)

	t.Run("an equals ss", func(t *testing.T) {
		for try := 0; ; try++ {
			before := ssRows(t, l)
			got := l.netstat(t, "-an")
			after := ssRows(t, l)
			if got.rc != 0 {
				t.Fatalf("rc %d\n%s%s", got.rc, got.stdout, got.stderr)
			}
			if !slices.Equal(before, after) && try < 3 {
				continue // the population moved (a TIME_WAIT expired): read again
			}
			rows := listingRows(t, got.stdout)
			if diff := cmp.Diff(before, rows); diff != "" {
				t.Errorf("netstat.exe -an vs ss -tuan (-ss +ours)\n%s\n%s", diff, got.stdout)
			}
			if len(rows) < 8 {
				t.Errorf("population too small: %d rows", len(rows))
			}
			return
		}
	})

	t.Run("s -p tcp lists ss's TCP connections", func(t *testing.T) {
		for try := 0; ; try++ {
			before := ssRows(t, l)
			got := l.netstat(t, "-s", "-n", "-p", "tcp")
			after := ssRows(t, l)
			if !slices.Equal(before, after) && try < 3 {
				continue
			}
			var want []row
			for _, r := range before {
				if r.Proto == "TCP" && r.State != "LISTENING" && !strings.HasPrefix(r.Local, "[") {
					want = append(want, r)
				}
			}
			_, listing, ok := strings.Cut(got.stdout, "Active Connections")
			if diff := cmp.Diff(want, listingRows(t, listing)); !ok || diff != "" {
				t.Errorf("(-ss +ours)\n%s\n%s", diff, got.stdout)
			}
			return
		}
	})

	t.Run("a resolves foreign names", func(t *testing.T) {
		// Without -n: unspecified and loopback foreign addresses show as the computer
		// name, local addresses stay numeric.
		host, err := os.Hostname()
		if err != nil {
			t.Fatal(err)
		}
		for try := 0; ; try++ {
			an := l.netstat(t, "-an")
			a := l.netstat(t, "-a")
			an2 := l.netstat(t, "-an")
			if an.stdout != an2.stdout && try < 3 {
				continue
			}
			want := listingRows(t, an.stdout)
			for i := range want {
				want[i].Foreign = strings.Replace(want[i].Foreign, "0.0.0.0:0", host+":0", 1)
				want[i].Foreign = strings.Replace(want[i].Foreign, "[::]:0", host+":0", 1)
				want[i].Foreign = strings.Replace(want[i].Foreign, "127.0.0.1:", host+":", 1)
				want[i].Foreign = strings.Replace(want[i].Foreign, "[::1]:", host+":", 1)
			}
			sortRows(want)
			if diff := cmp.Diff(want, listingRows(t, a.stdout)); diff != "" {
				t.Errorf("(-want +got)\n%s\n%s", diff, a.stdout)
			}
			return
		}
	})

	t.Run("ano adds the PID column", func(t *testing.T) {
		an, ano := l.netstat(t, "-an"), l.netstat(t, "-ano")
		re := regexp.MustCompile(`(?m) +0\r$`) // Wine: PID 0 for every socket
		if got := re.ReplaceAllString(strings.Replace(ano.stdout, "           PID", "", 1), "\r"); got != trimState(an.stdout) {
			t.Errorf("-ano without its PID column differs from -an:\n%s\n%s", ano.stdout, an.stdout)
		}
	})

	// Wine's own netstat.exe implements -e, -s (the sections it knows) and -s -p
	// tcp/udp; it is compared table by table where it prints one. Its line ends are not
	// the oracle (the published samples are): ours must be CR LF throughout.
	for _, args := range [][]string{{"-e"}, {"-s"}, {"-s", "-p", "tcp"}, {"-s", "-p", "udp"}} {
		t.Run(strings.Join(args, " ")+" equals Wine's netstat", func(t *testing.T) {
			for try := 0; ; try++ {
				ours1 := l.netstat(t, args...)
				theirs := l.exec(t, l.wine(append([]string{"netstat"}, args...)...))
				ours2 := l.netstat(t, args...)
				if ours1.rc != 0 || theirs.rc != 0 {
					t.Fatalf("rc %d / %d\n%s%s", ours1.rc, theirs.rc, ours1.stderr, theirs.stderr)
				}
				if ours1.stdout != ours2.stdout && try < 3 {
					continue // counters moved between the reads
				}
				if bare := regexp.MustCompile(`[^\r]\n`).FindStringIndex(ours1.stdout); bare != nil {
					t.Errorf("a line of ours ends in a bare LF at byte %d", bare[0])
				}
				oursT, ours2T, theirsT := tables(ours1.stdout), tables(ours2.stdout), tables(theirs.stdout)
				if len(theirsT) == 0 {
					t.Fatalf("Wine's netstat printed no table:\n%s", theirs.stdout)
				}
				for title, want := range theirsT {
					if ours1.stdout == ours2.stdout {
						// Nothing moved: byte for byte.
						if diff := cmp.Diff(want, oursT[title]); diff != "" {
							t.Errorf("%s (-wine +ours)\n%s", title, diff)
						}
						continue
					}
					// Counters kept moving: the same rows, each of Wine's numbers between
					// ours before and after.
					if err := bracketed(want, oursT[title], ours2T[title]); err != nil {
						t.Errorf("%s: %v\nwine:\n%s\nours:\n%s%s", title, err, want, oursT[title], ours2T[title])
					}
				}
				return
			}
		})
	}

	t.Run("s agrees with /proc/net/snmp", func(t *testing.T) {
		// Ours, the kernel's, ours again: every counter of the kernel's read must lie
		// between our two (the counters only grow; Current Connections is checked the
		// same way and holds still here).
		ours1 := l.netstat(t, "-s")
		snmp := l.exec(t, exec.Command("ip", "netns", "exec", l.ns, "cat", "/proc/net/snmp"))
		ours2 := l.netstat(t, "-s")
		if ours1.rc != 0 || ours2.rc != 0 || snmp.rc != 0 {
			t.Fatalf("rc %d %d %d", ours1.rc, ours2.rc, snmp.rc)
		}
		c := parseSNMP(t, snmp.stdout)
		t1, t2 := tables(ours1.stdout), tables(ours2.stdout)
		const ip, tcp, udp = "IPv4 Statistics", "TCP Statistics for IPv4", "UDP Statistics for IPv4"
		for _, m := range []struct{ table, label, key string }{
			{ip, "Packets Received", "Ip.InReceives"}, {ip, "Received Header Errors", "Ip.InHdrErrors"},
			{ip, "Received Address Errors", "Ip.InAddrErrors"}, {ip, "Datagrams Forwarded", "Ip.ForwDatagrams"},
			{ip, "Unknown Protocols Received", "Ip.InUnknownProtos"}, {ip, "Received Packets Discarded", "Ip.InDiscards"},
			{ip, "Received Packets Delivered", "Ip.InDelivers"}, {ip, "Output Requests", "Ip.OutRequests"},
			{ip, "Discarded Output Packets", "Ip.OutDiscards"}, {ip, "Output Packet No Route", "Ip.OutNoRoutes"},
			{ip, "Reassembly Required", "Ip.ReasmReqds"}, {ip, "Reassembly Successful", "Ip.ReasmOKs"},
			{ip, "Reassembly Failures", "Ip.ReasmFails"}, {ip, "Datagrams Successfully Fragmented", "Ip.FragOKs"},
			{ip, "Datagrams Failing Fragmentation", "Ip.FragFails"}, {ip, "Fragments Created", "Ip.FragCreates"},
			{tcp, "Active Opens", "Tcp.ActiveOpens"}, {tcp, "Passive Opens", "Tcp.PassiveOpens"},
			{tcp, "Failed Connection Attempts", "Tcp.AttemptFails"}, {tcp, "Reset Connections", "Tcp.EstabResets"},
			{tcp, "Current Connections", "Tcp.CurrEstab"}, {tcp, "Segments Received", "Tcp.InSegs"},
			{tcp, "Segments Sent", "Tcp.OutSegs"}, {tcp, "Segments Retransmitted", "Tcp.RetransSegs"},
			{udp, "Datagrams Received", "Udp.InDatagrams"}, {udp, "No Ports", "Udp.NoPorts"},
			{udp, "Receive Errors", "Udp.InErrors"}, {udp, "Datagrams Sent", "Udp.OutDatagrams"},
		} {
			v1, ok1 := eqValues(t1[m.table])[m.label]
			v2, ok2 := eqValues(t2[m.table])[m.label]
			k, ok3 := c[m.key]
			switch {
			case !ok1 || !ok2 || !ok3:
				t.Errorf("%s / %s: ours %v %v, snmp %v", m.table, m.label, ok1, ok2, ok3)
			case k < min(v1, v2) || k > max(v1, v2):
				t.Errorf("%s: /proc/net/snmp %s = %d, not between our reads %d and %d", m.label, m.key, k, v1, v2)
			}
		}
	})

	t.Run("extensions count what ss lists", func(t *testing.T) {
		for try := 0; ; try++ {
			before := ssRows(t, l)
			states := l.netstat(t, "states")
			count := l.netstat(t, "-an", "--count", "proto,state")
			js := l.netstat(t, "-an", "--json")
			filter := l.netstat(t, "-an", "--filter", "state established")
			after := ssRows(t, l)
			if !slices.Equal(before, after) && try < 3 {
				continue
			}
			perState := map[string]int{}
			perProtoState := map[string]int{}
			established := 0
			for _, r := range before {
				if r.Proto == "TCP" {
					perState[r.State]++
				}
				proto := r.Proto
				if strings.HasPrefix(r.Local, "[") {
					proto += "v6"
				}
				st := r.State
				if st == "" {
					st = "-"
				}
				perProtoState[proto+" "+st]++
				if r.State == "ESTABLISHED" {
					established++
				}
			}
			for st, n := range perState {
				if !regexp.MustCompile(fmt.Sprintf(`(?m)^ +%d %s +`, n, st)).MatchString(states.stdout) {
					t.Errorf("states: want %d %s\n%s", n, st, states.stdout)
				}
			}
			for k, n := range perProtoState {
				if !regexp.MustCompile(fmt.Sprintf(`(?m)^ +%d %s\r$`, n, regexp.QuoteMeta(k))).MatchString(count.stdout) {
					t.Errorf("--count: want %d %s\n%s", n, k, count.stdout)
				}
			}
			if c := strings.Count(js.stdout, `"proto":`); js.rc != 0 || c != len(before) {
				t.Errorf("--json: rc %d, %d connections, ss lists %d\n%s", js.rc, c, len(before), js.stdout)
			}
			if rows := listingRows(t, filter.stdout); len(rows) != established || established == 0 {
				t.Errorf("--filter: %d rows, ss lists %d established\n%s", len(rows), established, filter.stdout)
			}
			return
		}
	})

	t.Run("anb reads the owner-module tables", func(t *testing.T) {
		// -b reads the OWNER_MODULE tables, whose rows are laid out differently from
		// the OWNER_PID ones; Wine's PIDs are 0, so -b adds no owner lines and the
		// rows must be -an's. (Wine runs programs elevated: no elevation message.)
		for try := 0; ; try++ {
			an1 := l.netstat(t, "-an")
			anb := l.netstat(t, "-anb")
			an2 := l.netstat(t, "-an")
			if an1.stdout != an2.stdout && try < 3 {
				continue
			}
			if anb.rc != 0 || anb.stdout != an1.stdout {
				t.Errorf("-anb (rc %d) differs from -an:\n%s\n%s%s", anb.rc, anb.stdout, an1.stdout, anb.stderr)
			}
			return
		}
	})

	t.Run("interval redisplays", func(t *testing.T) {
		// The second display must come: how soon depends on how fast Wine starts
		// on this machine, so the test waits for it (a minute at most) instead of
		// counting what a fixed sleep caught.
		cmd := l.wine(l.exe, "-n", "-p", "tcp", "1")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Wait()
		defer cmd.Process.Kill()
		displays := make(chan time.Time, 16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if strings.Contains(sc.Text(), "Active Connections") {
					displays <- time.Now()
				}
			}
			close(displays)
		}()
		deadline := time.After(time.Minute)
		var seen []time.Time
		for len(seen) < 2 {
			select {
			case at, ok := <-displays:
				if !ok {
					t.Fatalf("netstat.exe ended after %d displays with interval 1", len(seen))
				}
				seen = append(seen, at)
			case <-deadline:
				cmd.Process.Kill()
				t.Fatalf("%d displays in a minute with interval 1", len(seen))
			}
		}
	})

	t.Run("unit tests pass as Windows programs", func(t *testing.T) {
		dir := t.TempDir()
		pkgs := []string{"./internal/winnetstat", "./internal/winsource"}
		build := exec.Command("go", append([]string{"test", "-c", "-o", dir + "/"}, pkgs...)...)
		build.Dir = moduleRoot(t)
		build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go test -c: %v\n%s", err, out)
		}
		for _, pkg := range pkgs {
			bin := filepath.Join(dir, filepath.Base(pkg)+".test.exe")
			cmd := l.wine(bin, "-test.count=1", "-test.v")
			cmd.Dir = filepath.Join(moduleRoot(t), pkg) // testdata is relative
			r := l.exec(t, cmd)
			if r.rc != 0 || !strings.Contains(r.stdout, "\nPASS") {
				t.Errorf("%s under Wine: rc %d\n%s%s", pkg, r.rc, r.stdout, r.stderr)
			}
		}
	})

	t.Run("unsupported options", func(t *testing.T) {
		for _, opt := range []string{"-i", "-q", "-t", "-x", "-y"} {
			r := l.netstat(t, opt)
			if r.rc != 1 || r.stdout != "" || !strings.Contains(r.stderr, opt+" is not supported by netstat-go") || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("%s: rc %d, stdout %q, stderr %q", opt, r.rc, r.stdout, r.stderr)
			}
		}
	})

	t.Run("usage and exit codes", func(t *testing.T) {
		if r := l.netstat(t, "/?"); r.rc != 0 || !strings.Contains(r.stdout, "NETSTAT [-a] [-b] [-e]") {
			t.Errorf("/?: rc %d\n%s", r.rc, r.stdout)
		}
		if r := l.netstat(t, "-z"); r.rc != 1 || !strings.Contains(r.stdout, "NETSTAT [-a]") {
			t.Errorf("-z: rc %d\n%s%s", r.rc, r.stdout, r.stderr)
		}
		if r := l.netstat(t, "-ya"); r.rc != 1 || !strings.Contains(r.stderr, "-y cannot be combined") {
			t.Errorf("-ya: rc %d\n%s%s", r.rc, r.stdout, r.stderr)
		}
	})

	t.Run("r lists the namespace's interfaces and routes", func(t *testing.T) {
		r := l.netstat(t, "-r")
		if r.rc != 0 {
			t.Fatalf("rc %d: %s", r.rc, r.stderr)
		}
		// The namespace's links as ip lists them (index order), loopback last.
		rule := strings.Repeat("=", 75)
		want := rule + "\r\nInterface List\r\n"
		for _, line := range strings.Split(strings.TrimSpace(string(run(t, "ip", "-n", l.ns, "-o", "link"))), "\n") {
			f := strings.Fields(line) // "3:" "v0@v1:" ... "link/ether" "02:00:00:00:00:01" ...
			idx, name := strings.TrimSuffix(f[0], ":"), strings.TrimSuffix(f[1], ":")
			name, _, _ = strings.Cut(name, "@")
			if name == "lo" {
				continue
			}
			mac := f[slices.Index(f, "link/ether")+1]
			want += fmt.Sprintf("%3s...%s ......%s\r\n", idx, strings.ReplaceAll(mac, ":", " "), name)
		}
		want += "  1...........................lo\r\n" + rule + "\r\n"
		if !strings.HasPrefix(r.stdout, want) {
			t.Errorf("want the interface list\n%s\ngot\n%s", want, r.stdout)
		}
		// The kernel's route for v0's network (ip route: 192.0.2.0/24 dev v0 scope
		// link src 192.0.2.1), as route print lays it out; Wine's metrics are its own.
		route := regexp.MustCompile(`(?m)^        192\.0\.2\.0    255\.255\.255\.0         On-link         192\.0\.2\.1 +[0-9]+\r$`)
		if !route.MatchString(r.stdout) {
			t.Errorf("no on-link route for 192.0.2.0/24 via 192.0.2.1:\n%s", r.stdout)
		}
	})
}

// tables splits -e/-s output into its tables by title (a line between blank lines,
// or first and followed by one), each table's lines with LF ends. "Active Connections"
// (which Wine lays out differently) is left out.
func tables(out string) map[string]string {
	lines := strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n")
	m := map[string]string{}
	title := ""
	for i, line := range lines {
		if line != "" && !strings.HasPrefix(line, " ") && (i == 0 || lines[i-1] == "") && i+1 < len(lines) && lines[i+1] == "" {
			title = line
			continue
		}
		if title != "" && title != "Active Connections" && line != "" {
			m[title] += line + "\n"
		}
	}
	return m
}

var number = regexp.MustCompile(`[0-9]+`)

// bracketed checks that table mid has the rows of lo and hi (the same labels) and
// that each of its numbers lies between theirs.
func bracketed(mid, lo, hi string) error {
	m, a, b := strings.Split(mid, "\n"), strings.Split(lo, "\n"), strings.Split(hi, "\n")
	if len(m) != len(a) || len(m) != len(b) {
		return fmt.Errorf("%d rows, ours %d and %d", len(m), len(a), len(b))
	}
	for i := range m {
		label := func(s string) string { return strings.Join(strings.Fields(number.ReplaceAllString(s, "#")), " ") }
		if label(m[i]) != label(a[i]) || label(m[i]) != label(b[i]) {
			return fmt.Errorf("row %d: %q vs ours %q", i, m[i], a[i])
		}
		nm, na, nb := number.FindAllString(m[i], -1), number.FindAllString(a[i], -1), number.FindAllString(b[i], -1)
		for j := range nm {
			v, _ := strconv.ParseUint(nm[j], 10, 64)
			x, _ := strconv.ParseUint(na[j], 10, 64)
			y, _ := strconv.ParseUint(nb[j], 10, 64)
			if v < min(x, y) || v > max(x, y) {
				return fmt.Errorf("row %d: %d not between %d and %d", i, v, x, y)
			}
		}
	}
	return nil
}

// moduleRoot is the module's directory (two levels above this package's).
func moduleRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(filepath.Dir(wd))
}

// trimState drops the trailing blanks Windows leaves on UDP rows without -o, to
// compare -an's rows with -ano's.
func trimState(s string) string {
	return regexp.MustCompile(`(?m) +\r$`).ReplaceAllString(s, "\r")
}

// row is one socket as netstat.exe -an prints it.
type row struct{ Proto, Local, Foreign, State string }

func listingRows(t *testing.T, out string) []row {
	t.Helper()
	var rows []row
	for _, line := range strings.Split(out, "\r\n") {
		f := strings.Fields(line)
		if len(f) < 3 || (f[0] != "TCP" && f[0] != "UDP") {
			continue
		}
		r := row{Proto: f[0], Local: f[1], Foreign: f[2]}
		if len(f) > 3 {
			r.State = f[3]
		}
		rows = append(rows, r)
	}
	sortRows(rows)
	return rows
}

func sortRows(rows []row) {
	slices.SortFunc(rows, func(a, b row) int {
		return strings.Compare(a.Proto+" "+a.Local+" "+a.Foreign+" "+a.State, b.Proto+" "+b.Local+" "+b.Foreign+" "+b.State)
	})
}

var ssStates = map[string]string{
	"LISTEN": "LISTENING", "ESTAB": "ESTABLISHED", "TIME-WAIT": "TIME_WAIT", "SYN-SENT": "SYN_SENT",
	"SYN-RECV": "SYN_RECEIVED", "FIN-WAIT-1": "FIN_WAIT_1", "FIN-WAIT-2": "FIN_WAIT_2",
	"CLOSE-WAIT": "CLOSE_WAIT", "LAST-ACK": "LAST_ACK", "CLOSING": "CLOSING",
}

// ssRows reads the namespace's TCP and UDP sockets with ss, in netstat.exe's terms.
func ssRows(t *testing.T, l *lab) []row {
	t.Helper()
	out := run(t, "ip", "netns", "exec", l.ns, "ss", "-tuanH")
	var rows []row
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		// ss writes an IPv6 wildcard that also takes IPv4 as "*".
		local := f[4]
		if strings.HasPrefix(local, "*:") {
			local = "[::]" + local[1:]
		}
		r := row{Proto: strings.ToUpper(f[0]), Local: local, Foreign: f[5]}
		if r.Proto == "UDP" {
			r.Foreign = "*:*"
		} else {
			r.State = ssStates[f[1]]
			r.Foreign = strings.TrimSuffix(r.Foreign, ":*") + ":0"
			if !strings.HasSuffix(f[5], ":*") {
				r.Foreign = f[5]
			}
		}
		rows = append(rows, r)
	}
	sortRows(rows)
	return rows
}

// eqValues reads the "  Label   = N" rows of one -s table.
func eqValues(out string) map[string]uint64 {
	m := map[string]uint64{}
	for _, line := range strings.Split(out, "\n") {
		label, val, ok := strings.Cut(strings.TrimSuffix(line, "\r"), "=")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(val), 10, 64)
		if err == nil {
			m[strings.TrimSpace(label)] = n
		}
	}
	return m
}

// parseSNMP reads /proc/net/snmp's header/value line pairs into "Section.Name".
func parseSNMP(t *testing.T, s string) map[string]uint64 {
	t.Helper()
	m := map[string]uint64{}
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := 0; i+1 < len(lines); i += 2 {
		h, v := strings.Fields(lines[i]), strings.Fields(lines[i+1])
		if len(h) != len(v) || len(h) == 0 {
			t.Fatalf("snmp: odd lines %q / %q", lines[i], lines[i+1])
		}
		sec := strings.TrimSuffix(h[0], ":")
		for j := 1; j < len(h); j++ {
			n, err := strconv.ParseInt(v[j], 10, 64)
			if err != nil {
				t.Fatalf("snmp: %q", v[j])
			}
			m[sec+"."+h[j]] = uint64(n)
		}
	}
	return m
}

// hold is the holder process: inside the namespace it creates TCP listeners and
// connections (one closed first, to leave a TIME_WAIT) and UDP sockets of both
// families, prints READY and keeps them until its stdin closes.
func hold() int {
	var keep []io.Closer
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "holder:", err)
		return 1
	}
	for _, addr := range []string{"127.0.0.1", "[::1]"} {
		ln, err := listenTCP(addr + ":0")
		if err != nil {
			return fail(err)
		}
		keep = append(keep, ln)
		for i := 0; i < 2; i++ {
			c, s, err := pair(ln)
			if err != nil {
				return fail(err)
			}
			keep = append(keep, c, s)
		}
		// A connection the client closes first: TIME_WAIT on the client's side.
		c, s, err := pair(ln)
		if err != nil {
			return fail(err)
		}
		c.Close()
		buf := make([]byte, 1)
		s.Read(buf) // EOF
		s.Close()
		u, err := listenUDP(addr + ":0")
		if err != nil {
			return fail(err)
		}
		keep = append(keep, u)
	}
	u, err := listenUDP("0.0.0.0:0")
	if err != nil {
		return fail(err)
	}
	keep = append(keep, u)
	time.Sleep(200 * time.Millisecond) // let the TIME_WAIT handshakes finish
	fmt.Println("READY")
	io.Copy(io.Discard, os.Stdin)
	for _, c := range keep {
		c.Close()
	}
	return 0
}
