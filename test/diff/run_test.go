//go:build linux

package diff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Bounds of one netstat run.
const (
	runLimit        = 120 * time.Second
	continuousLimit = 2500 * time.Millisecond // for -c cases (timeout(1) exits 124)
	// slowIteration: when one plain (non -c) oracle run takes longer than this (e.g. -p
	// on a host with hundreds of thousands of descriptors), -c block counts say more
	// about the host than about the binaries; only the first block is compared then.
	slowIteration = 500 * time.Millisecond
	// nominalBlocks is how many iterations -c prints within continuousLimit.
	nominalBlocks  = 3
	maxShownLines  = 150
	harnessFailure = 199 // exit status of the wrapper when its bind mounts fail
	// timerAttempts bounds the tries of a -o pair whose retransmit or probe counts
	// moved while it ran (with waits of 0.25 s, 0.5 s, ... in between: 16.5 s in all;
	// retransmit backoff doubles the quiet windows, so later tries find one).
	timerAttempts = 12
)

// sourceEnv forces our binary to read /proc instead of netlink.
const sourceEnv = "NETSTAT_GO_SOURCE=proc"

// tc is one differential test case: one argument list run by both binaries.
type tc struct {
	name     string        // subtest name; default: the arguments joined by spaces
	args     []string      // arguments after argv[0]
	env      []string      // extra environment for both binaries (e.g. POSIXLY_CORRECT=1)
	uid      int           // run as this uid/gid instead of root
	fullPath bool          // invoke by absolute path (argv[0] differs; ours is substituted)
	argv0    *string       // invoke with this exact argv[0] (bash exec -a)
	cont     bool          // -c: run under timeout 2.5, compare every block and the block count
	limit    time.Duration // -c: the timeout (set by compare)
	alt      bool          // bind services.long and protocols.dup over /etc/services, /etc/protocols
	odd      bool          // bind passwd.odd and networks.odd over /etc/passwd, /etc/networks
	masks    []mask        // extra masking, only where the spec mandates it (§13 row 41)
}

// mask replaces every match of re by repl in both outputs.
type mask struct {
	re   *regexp.Regexp
	repl string
}

// cs turns argument lines ("-an", "-r -A inet6") into cases; "" is a bare netstat.
func cs(lines ...string) []tc {
	out := make([]tc, 0, len(lines))
	for _, l := range lines {
		out = append(out, tc{args: strings.Fields(l)})
	}
	return out
}

// with applies f to a copy of every case.
func with(cases []tc, f func(*tc)) []tc {
	out := slices.Clone(cases)
	for i := range out {
		f(&out[i])
	}
	return out
}

func asUID(uid int) func(*tc) { return func(c *tc) { c.uid = uid } }
func altDB(c *tc)             { c.alt = true }
func oddDB(c *tc)             { c.odd = true }
func continuous(c *tc)        { c.cont = true }

func (c tc) title() string {
	if c.name != "" {
		return c.name
	}
	var parts []string
	parts = append(parts, c.env...)
	switch {
	case c.argv0 != nil:
		parts = append(parts, fmt.Sprintf("argv0=%q", *c.argv0))
	case c.fullPath:
		parts = append(parts, "fullpath")
	}
	if c.uid != 0 {
		parts = append(parts, "uid="+strconv.Itoa(c.uid))
	}
	if c.alt {
		parts = append(parts, "altdb")
	}
	if c.odd {
		parts = append(parts, "odddb")
	}
	if c.cont {
		parts = append(parts, "timeout")
	}
	for _, a := range c.args {
		if a == "" || strings.ContainsAny(a, " \t") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	if len(c.args) == 0 {
		parts = append(parts, "(no args)")
	}
	return strings.Join(parts, " ")
}

// modes is a rough getopt pass over the arguments: enough to know which output kind a
// case produces (it only decides extra checks and variants, never expectations).
type modes struct {
	route, iface, stats, masq, timers bool
}

func scanModes(args []string) modes {
	var m modes
	long := map[string]*bool{"route": &m.route, "interfaces": &m.iface, "statistics": &m.stats, "masquerade": &m.masq, "timers": &m.timers}
	for _, a := range args {
		if a == "--" {
			break
		}
		if name, ok := strings.CutPrefix(a, "--"); ok {
			name, _, _ = strings.Cut(name, "=")
			for full, p := range long {
				if name != "" && strings.HasPrefix(full, name) && len(name) >= 2 {
					*p = true
				}
			}
			continue
		}
		if len(a) < 2 || a[0] != '-' {
			continue
		}
		for _, ch := range a[1:] {
			if ch == 'A' {
				break
			}
			switch ch {
			case 'r':
				m.route = true
			case 'i':
				m.iface = true
			case 's':
				m.stats = true
			case 'M':
				m.masq = true
			case 'o':
				m.timers = true
			}
		}
	}
	return m
}

// outcome is what one run produced.
type outcome struct {
	stdout, stderr string
	exit           int
}

// wrapper is spec Appendix A.1's nsrun: a private mount namespace with the test's
// hosts, resolv.conf, nsswitch.conf and passwd (and optionally services/protocols)
// bind-mounted over /etc, then exec of the command.
const wrapper = `mount --bind "$E/hosts" /etc/hosts &&
mount --bind "$E/resolv.conf" /etc/resolv.conf &&
mount --bind "$E/nsswitch.conf" /etc/nsswitch.conf &&
mount --bind "$E/passwd" /etc/passwd &&
{ [ -z "$ALT" ] || { mount --bind "$E/services.long" /etc/services &&
  mount --bind "$E/protocols.dup" /etc/protocols; }; } &&
{ [ -z "$ODD" ] || { mount --bind "$E/passwd.odd" /etc/passwd &&
  mount --bind "$E/networks.odd" /etc/networks; }; } ||
{ echo "diff harness: bind mounts failed" >&2; exit 199; }
exec "$@"`

// run executes one case with the binary in dir (the oracle's or ours).
func (n *netns) run(c tc, dir string, extraEnv []string) (outcome, error) {
	argv := []string{"netns", "exec", n.name, "unshare", "-m", "sh", "-c", wrapper, "sh"}
	if c.uid != 0 {
		id := strconv.Itoa(c.uid)
		argv = append(argv, "setpriv", "--reuid="+id, "--regid="+id, "--clear-groups")
	}
	argv = append(argv, "env", "-i", "PATH="+dir+":/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C")
	argv = append(argv, c.env...)
	argv = append(argv, extraEnv...)
	if c.cont {
		argv = append(argv, "timeout", strconv.FormatFloat(c.limit.Seconds(), 'f', -1, 64))
	}
	bin := filepath.Join(dir, "netstat")
	switch {
	case c.argv0 != nil:
		argv = append(argv, "bash", "-c", `exec -a "$0" "$@"`, *c.argv0, bin)
	case c.fullPath && dir == n.s.oracleDir:
		argv = append(argv, oraclePath)
	case c.fullPath:
		argv = append(argv, bin)
	default:
		argv = append(argv, "netstat")
	}
	argv = append(argv, c.args...)

	ctx, cancel := context.WithTimeout(context.Background(), runLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", argv...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "E=" + n.s.etc}
	if c.alt {
		cmd.Env = append(cmd.Env, "ALT=1")
	}
	if c.odd {
		cmd.Env = append(cmd.Env, "ODD=1")
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	o := outcome{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		o.exit = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			o.exit = 128 + int(ws.Signal())
		}
	default:
		return o, fmt.Errorf("running %v: %w", argv, err)
	}
	if ctx.Err() != nil {
		return o, fmt.Errorf("%s: no exit within %v", c.title(), runLimit)
	}
	if o.exit == harnessFailure && strings.Contains(o.stderr, "diff harness") {
		return o, fmt.Errorf("%s: %s", c.title(), o.stderr)
	}
	return o, nil
}

// runPair runs the oracle, then ours. -c cases, which mostly sleep, run both at once.
func (n *netns) runPair(c tc, extraEnv []string) (want, got outcome, err error) {
	if !c.cont {
		if want, err = n.run(c, n.s.oracleDir, extraEnv); err != nil {
			return want, got, err
		}
		got, err = n.run(c, n.s.oursDir, extraEnv)
		return want, got, err
	}
	var wg sync.WaitGroup
	var errWant error
	wg.Go(func() { want, errWant = n.run(c, n.s.oracleDir, extraEnv) })
	got, err = n.run(c, n.s.oursDir, extraEnv)
	wg.Wait()
	return want, got, errors.Join(errWant, err)
}

// timerRE matches a running timer's seconds in -o output: "on (0.76/1/0)" becomes
// "on (T/1/0)"; the retransmit and probe counts are compared, and so is
// "off (0.00/0/0)".
var timerRE = regexp.MustCompile(`\b(on\d*|keepalive|timewait|probe|unkn-\d+) \(\d+\.\d\d/(\d+/\d+)\)`)

// normalize applies the allowed masking.
func (c tc) normalize(o outcome, oursDir string) outcome {
	if c.fullPath {
		ours := filepath.Join(oursDir, "netstat")
		o.stdout = strings.ReplaceAll(o.stdout, ours, oraclePath)
		o.stderr = strings.ReplaceAll(o.stderr, ours, oraclePath)
	}
	if scanModes(c.args).timers {
		o.stdout = timerRE.ReplaceAllString(o.stdout, "$1 (T/$2)")
	}
	for _, m := range c.masks {
		o.stdout = m.re.ReplaceAllString(o.stdout, m.repl)
		o.stderr = m.re.ReplaceAllString(o.stderr, m.repl)
	}
	return o
}

// check runs the case against both binaries and reports every difference. Socket
// listings run twice for ours: with the default source and with NETSTAT_GO_SOURCE=proc.
func (n *netns) check(t *testing.T, c tc) {
	t.Helper()
	m := scanModes(c.args)
	sockets := !m.route && !m.iface && !m.stats && !m.masq
	quiet := m.iface || m.stats
	if quiet {
		n.ensureAnchor(t)
	}
	variants := [][]string{nil}
	if sockets {
		variants = append(variants, []string{sourceEnv})
	}
	// One oracle run serves both variants of a plain listing: oracle, ours, ours [proc].
	var oracle *outcome
	for _, v := range variants {
		name := c.title()
		if v != nil {
			name += " [proc]"
		}
		t.Run(name, func(t *testing.T) {
			n.compare(t, c, v, quiet, &oracle)
		})
	}
}

// compare runs the pair (reusing *oracle for plain listings when set) and reports.
func (n *netns) compare(t *testing.T, c tc, extraEnv []string, quiet bool, oracle **outcome) {
	// Retries only absorb the environment: counters that moved during a -i/-s pair,
	// retransmit or probe counts that moved during a -o pair, or a -c block count cut
	// differently by the timeout under load.
	timers := scanModes(c.args).timers
	attempts := 1
	if quiet || c.cont {
		attempts = 3
	}
	if timers {
		// Retransmitting sockets back off exponentially: the counts settle for
		// longer and longer, so waiting a little more after each try finds a window.
		attempts = max(attempts, timerAttempts)
	}
	countBlocks := true
	if c.cont {
		c.limit, countBlocks = n.continuousLimit(t, c, extraEnv)
	}
	var want, got outcome
	for i := 0; i < attempts; i++ {
		before, beforeCounts := "", ""
		if quiet {
			before = n.counters()
		}
		if timers {
			beforeCounts = n.timerCounts()
		}
		var w, g outcome
		var err error
		if reuse := !quiet && !timers && !c.cont; reuse && *oracle != nil {
			w = **oracle
			g, err = n.run(c, n.s.oursDir, extraEnv)
		} else {
			w, g, err = n.runPair(c, extraEnv)
			if reuse && err == nil {
				*oracle = &w
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		want, got = c.normalize(w, n.s.oursDir), c.normalize(g, n.s.oursDir)
		if quiet && n.counters() != before {
			if i == attempts-1 {
				t.Fatalf("namespace %s not quiescent: counters changed during the comparison", n.name)
			}
			time.Sleep(time.Second)
			continue
		}
		if timers && n.timerCounts() != beforeCounts {
			if i == attempts-1 {
				t.Fatalf("namespace %s: retransmit or probe counts changed during every comparison", n.name)
			}
			t.Logf("attempt %d: retransmit or probe counts moved during the pair; again", i+1)
			time.Sleep(time.Duration(i+1) * 250 * time.Millisecond)
			continue
		}
		if w, g := blockCounts(want.stdout, got.stdout); c.cont && countBlocks && w != g {
			if w < nominalBlocks {
				// The oracle itself missed iterations: the host is too slow for counts.
				t.Logf("the oracle printed %d of %d -c blocks on this host: comparing the first block only", w, nominalBlocks)
				countBlocks = false
				break
			}
			continue // timing under load; retry
		}
		break
	}
	if dir := os.Getenv("DIFFTEST_DUMP"); dir != "" {
		dump(t, dir, want)
	}
	report(t, c, want, got, countBlocks)
}

// continuousLimit times one plain (non -c) oracle run of the case. Normally -c runs
// under timeout 2.5 and block counts are compared; when the oracle alone needs more
// than slowIteration per iteration, the timeout grows so that both binaries print a
// first block, and only that block is compared.
func (n *netns) continuousLimit(t *testing.T, c tc, extraEnv []string) (time.Duration, bool) {
	t.Helper()
	plain := c
	plain.cont = false
	plain.args = withoutContinuous(c.args)
	start := time.Now()
	if _, err := n.run(plain, n.s.oracleDir, extraEnv); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	if elapsed <= slowIteration {
		return continuousLimit, true
	}
	t.Logf("one oracle iteration takes %v on this host: comparing the first -c block only", elapsed.Round(time.Millisecond))
	return continuousLimit + 3*elapsed, false
}

// withoutContinuous drops -c from the arguments (short bundles and --continuous
// prefixes), for timing one iteration.
func withoutContinuous(args []string) []string {
	var out []string
	for i, a := range args {
		switch {
		case a == "--":
			return append(out, args[i:]...)
		case strings.HasPrefix(a, "--"):
			if len(a) >= 4 && strings.HasPrefix("--continuous", a) {
				continue
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags, arg, _ := strings.Cut(a[1:], "A")
			flags = strings.ReplaceAll(flags, "c", "")
			if strings.Contains(a[1:], "A") {
				flags += "A" + arg
			}
			if flags == "" {
				continue
			}
			a = "-" + flags
		}
		out = append(out, a)
	}
	return out
}

// dump writes the oracle's outcome to DIR/<test name> (for reviewing fixtures).
func dump(t *testing.T, dir string, o outcome) {
	name := strings.NewReplacer("/", "%", " ", "_").Replace(t.Name())
	text := fmt.Sprintf("%s--- stderr ---\n%s--- exit %d\n", o.stdout, o.stderr, o.exit)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Log(err)
	}
}

// blockMarker returns the line that starts each -c iteration: the oracle's first line
// if it repeats in either output, else (for -i, whose title is printed once) its
// second line.
func blockMarker(oracle, ours string) string {
	lines := strings.SplitAfter(oracle, "\n")
	if len(lines) < 3 || countLine(oracle, lines[0]) > 1 || countLine(ours, lines[0]) > 1 {
		return lines[0]
	}
	return lines[1]
}

func countLine(s, line string) int {
	n := 0
	for _, l := range strings.SplitAfter(s, "\n") {
		if l == line {
			n++
		}
	}
	return n
}

// blockCounts returns the number of -c iterations in each output.
func blockCounts(oracle, ours string) (int, int) {
	m := blockMarker(oracle, ours)
	return len(blocks(oracle, m)), len(blocks(ours, m))
}

// blocks splits -c output before each occurrence of marker but the first.
func blocks(out, marker string) []string {
	var bs []string
	var cur strings.Builder
	for _, l := range strings.SplitAfter(out, "\n") {
		if l == marker && cur.Len() > 0 && strings.Contains(cur.String(), marker) {
			bs = append(bs, cur.String())
			cur.Reset()
		}
		cur.WriteString(l)
	}
	if cur.Len() > 0 || len(bs) == 0 {
		bs = append(bs, cur.String())
	}
	return bs
}

func report(t *testing.T, c tc, want, got outcome, countBlocks bool) {
	t.Helper()
	var problems []string
	if want.exit != got.exit {
		problems = append(problems, fmt.Sprintf("exit status: oracle %d, ours %d", want.exit, got.exit))
	}
	wantOut, gotOut := want.stdout, got.stdout
	wantErr, gotErr := lines(want.stderr), lines(got.stderr)
	if c.cont {
		// Every block is compared: the namespace holds a static population, so each
		// iteration of both binaries reads the same state. When the host is too slow
		// for block counts, the last block of each may be cut by the timeout and is
		// left out, and the shorter stderr must be a prefix of the longer one.
		marker := blockMarker(want.stdout, got.stdout)
		wb, gb := blocks(want.stdout, marker), blocks(got.stdout, marker)
		if countBlocks && len(wb) != len(gb) {
			problems = append(problems, fmt.Sprintf("-c block count: oracle %d, ours %d", len(wb), len(gb)))
		}
		n := min(len(wb), len(gb))
		if !countBlocks && n > 1 {
			n--
		}
		for k := 1; k < n; k++ {
			if d := cmp.Diff(lines(wb[k]), lines(gb[k])); d != "" {
				problems = append(problems, fmt.Sprintf("stdout differs in -c block %d (-oracle +ours):\n%s", k+1, d))
			}
		}
		wantOut, gotOut = wb[0], gb[0]
		if !countBlocks && len(wb) != len(gb) {
			k := min(len(wantErr), len(gotErr))
			wantErr, gotErr = wantErr[:k], gotErr[:k]
		}
	}
	if d := cmp.Diff(lines(wantOut), lines(gotOut)); d != "" {
		what := "stdout"
		if c.cont {
			what = "stdout (-c block 1)"
		}
		problems = append(problems, fmt.Sprintf("%s differs (-oracle +ours):\n%s", what, d))
	}
	if d := cmp.Diff(wantErr, gotErr); d != "" {
		problems = append(problems, fmt.Sprintf("stderr differs (-oracle +ours):\n%s", d))
	}
	if len(problems) == 0 {
		return
	}
	t.Errorf("netstat %s\n%s\n%s%s%s%s", c.title(), strings.Join(problems, "\n"),
		show("oracle stdout", want.stdout), show("ours stdout", got.stdout),
		show("oracle stderr", want.stderr), show("ours stderr", got.stderr))
}

// lines splits text into lines, keeping the final newline state visible.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.SplitAfter(s, "\n")
}

// show prints output with "|" marking line ends (trailing spaces stay visible).
func show(label, s string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s ---\n", label)
	ls := strings.Split(s, "\n")
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	} else if s != "" {
		ls[len(ls)-1] += " [no final newline]"
	}
	for i, l := range ls {
		if i == maxShownLines {
			fmt.Fprintf(&b, "... (%d more lines)\n", len(ls)-i)
			break
		}
		b.WriteString(l + "|\n")
	}
	return b.String()
}
