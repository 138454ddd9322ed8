package cli

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/getopt"
	"github.com/netstat-go/netstat/internal/nstest"
)

// TestOracleParse compares Parse with the real net-tools netstat on many command
// lines, hand-picked and random. The oracle is /usr/bin/netstat (NETSTAT_ORACLE names
// another); without it the test skips, or fails when CI=true. The random command lines
// come from a fixed seed and a rotating one, NETSTAT_ORACLE_N of each (default 500);
// NETSTAT_ORACLE_SEED replays a rotating seed the log names:
//
//	NETSTAT_ORACLE_SEED=123 go test ./internal/cli -run TestOracleParse
//
// For command lines Parse stops on, stdout, stderr and the exit status must match
// exactly. For the others the oracle runs its modes, so only the parse-time warnings
// (a prefix of its stderr) are compared, and the oracle must not have reported a
// usage error. Command lines with -c are not run (they loop).
func TestOracleParse(t *testing.T) {
	oracle := os.Getenv("NETSTAT_ORACLE")
	if oracle == "" {
		oracle = nstest.RequireTool(t, "/usr/bin/netstat")
	}
	n := 500
	if s := os.Getenv("NETSTAT_ORACLE_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatalf("NETSTAT_ORACLE_N: %v", err)
		}
	}
	// The hand-written expectations of parseCases are checked against the oracle
	// too, not only Parse.
	cases := parseCases()
	for _, seed := range nstest.Seeds(t, "NETSTAT_ORACLE_SEED") {
		rng := rand.New(rand.NewPCG(seed, 0x02ac1e))
		for range n {
			cases = append(cases, parseCase{argv: randomArgv(rng), posix: rng.IntN(4) == 0})
		}
	}
	var terminal, ran, skipped int
	for _, c := range cases {
		cfg, warn, act := Parse(c.argv, c.posix)
		if cfg != nil && cfg.Continuous > 0 {
			skipped++
			continue
		}
		stdout, stderr, exit := runOracle(t, oracle, c.argv, c.posix)
		name := strconv.Quote(strings.Join(c.argv, " ")) + " posix=" + strconv.FormatBool(c.posix)
		want := oracleResult{stdout, stderr, exit}
		if c.act != nil {
			expected := oracleResult{c.act.Stdout, c.act.Stderr, c.act.Exit}
			if diff := cmp.Diff(want, expected, cmp.AllowUnexported(oracleResult{})); diff != "" {
				t.Errorf("%s: test expectation is wrong (-oracle +parseCases):\n%s", name, diff)
			}
		}
		if c.cfg != nil && !strings.HasPrefix(stderr, c.warn) {
			t.Errorf("%s: test expectation is wrong: oracle stderr %q does not start with %q", name, stderr, c.warn)
		}
		if act != nil {
			terminal++
			got := oracleResult{act.Stdout, act.Stderr, act.Exit}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(oracleResult{})); diff != "" {
				t.Errorf("%s: mismatch (-oracle +Parse):\n%s", name, diff)
			}
			continue
		}
		ran++
		if !strings.HasPrefix(stderr, warn) {
			t.Errorf("%s: oracle stderr %q does not start with warnings %q", name, stderr, warn)
		}
		if strings.Contains(stderr, "usage: netstat") || strings.Contains(stdout, "usage: netstat") {
			t.Errorf("%s: Parse returned a Config but the oracle printed usage (exit %d):\n%s", name, exit, stderr)
		}
	}
	t.Logf("%d command lines: %d terminal compared exactly, %d ran modes, %d skipped (-c)", len(cases), terminal, ran, skipped)
}

type oracleResult struct {
	stdout, stderr string
	exit           int
}

func runOracle(t *testing.T, path string, argv []string, posix bool) (stdout, stderr string, exit int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	cmd.Args = argv
	if len(argv) == 0 {
		cmd.Args = []string{""}
	}
	cmd.Env = []string{"LC_ALL=C"}
	if posix {
		cmd.Env = append(cmd.Env, "POSIXLY_CORRECT=1")
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		exit = ee.ExitCode()
	default:
		t.Fatalf("running %s %q: %v", path, argv, err)
	}
	return o.String(), e.String(), exit
}

// randomArgv builds a command line from pieces that exercise the parser: bundles
// with valid and invalid letters, -A in all its forms, long options and their
// prefixes with and without values, "--", "-" and positional arguments.
func randomArgv(rng *rand.Rand) []string {
	progs := []string{"netstat", "/usr/bin/netstat", "", "x y", "ns"}
	argv := []string{progs[rng.IntN(len(progs))]}
	longs := getopt.NetstatLongOptions()
	// Letters weighted away from those that end parsing early or run slow modes.
	letters := "AAAACFMacdeghilnNoprsStuUvWw2fx64ttuulnaexx46rrsiiMQ:;?VhZ-"
	families := []string{"inet", "inet6", "ip", "ip6", "unix", "tcpip", "ddp", "appletalk",
		"econet", "ash", "x25", "ax25", "netrom", "rose", "ipx", "bluetooth", "foo", "", "INET", "in"}
	famList := func() string {
		k := 1 + rng.IntN(3)
		var fs []string
		for range k {
			fs = append(fs, families[rng.IntN(len(families))])
		}
		if rng.IntN(30) == 0 {
			for range 60 {
				fs = append(fs, "inet")
			}
		}
		return strings.Join(fs, ",")
	}
	for range rng.IntN(6) {
		switch rng.IntN(10) {
		case 0, 1, 2, 3:
			var b strings.Builder
			b.WriteByte('-')
			for range 1 + rng.IntN(4) {
				ch := letters[rng.IntN(len(letters))]
				b.WriteByte(ch)
				if ch == 'A' && rng.IntN(2) == 0 {
					b.WriteString(famList())
					break
				}
			}
			argv = append(argv, b.String())
		case 4, 5, 6:
			o := longs[rng.IntN(len(longs))].Name
			if rng.IntN(3) > 0 {
				o = o[:rng.IntN(len(o)+1)]
			}
			a := "--" + o
			switch rng.IntN(6) {
			case 0:
				a += "=" + famList()
			case 1:
				a += "="
			}
			argv = append(argv, a)
		case 7:
			argv = append(argv, famList())
		case 8:
			argv = append(argv, []string{"--", "-", "foo", "-A", "--protocol", "--foo", "-"}[rng.IntN(7)])
		case 9:
			argv = append(argv, "--"+[]string{"tcpip", "tcpi", "econet", "notrim", "ec", "ash", "prog", "stat", "ine", "w", "e", "x"}[rng.IntN(12)])
		}
	}
	return argv
}
