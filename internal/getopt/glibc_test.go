package getopt

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/nstest"
)

// genericOptions must match generic_opts in testdata/glibc_driver.c. It has optional
// and required arguments, an exact name that is a prefix of others ("de"), and
// entries that share (has_arg, val) so that their prefixes are not ambiguous.
func genericOptions() []Option {
	return []Option{
		{"alpha", NoArgument, 'a'},
		{"beta", RequiredArgument, 'b'},
		{"gamma", OptionalArgument, 'g'},
		{"alp", RequiredArgument, 'x'},
		{"delta", NoArgument, 'a'},
		{"debug", OptionalArgument, 'd'},
		{"de", NoArgument, 'e'},
		{"file", RequiredArgument, 'f'},
		{"files", RequiredArgument, 'f'},
	}
}

// table returns the long-option table with the driver's number.
func table(n int) []Option {
	if n == 1 {
		return genericOptions()
	}
	return NetstatLongOptions()
}

// transcript runs p to the end and formats every result as testdata/glibc_driver.c
// does, so that it can be compared with the real glibc.
func transcript(p *Parser) string {
	var b strings.Builder
	for r := range p.All() {
		b.WriteString(r.Message)
		arg := "NULL"
		if r.HasArg {
			arg = "[" + r.Arg + "]"
		}
		fmt.Fprintf(&b, "R opt=%d arg=%s longind=%d optopt=%d optind=%d\n", r.Opt, arg, r.LongIndex, r.Optopt, p.Optind())
	}
	fmt.Fprintf(&b, "END optind=%d\n", p.Optind())
	for _, a := range p.Argv() {
		fmt.Fprintf(&b, "A [%s]\n", a)
	}
	return b.String()
}

// TestGlibc compares the Parser with the real glibc getopt_long on random command
// lines. It builds testdata/glibc_driver.c with gcc (without gcc it skips, or fails
// when CI=true); GETOPT_DRIVER names a driver built beforehand instead. The random
// command lines come from a fixed seed and a rotating one, GETOPT_DRIVER_N of each
// (default 1000); GETOPT_DRIVER_SEED replays a rotating seed the log names:
//
//	GETOPT_DRIVER_SEED=123 go test ./internal/getopt -run TestGlibc
func TestGlibc(t *testing.T) {
	driver := os.Getenv("GETOPT_DRIVER")
	if driver == "" {
		driver = buildDriver(t)
	}
	n := 1000
	if s := os.Getenv("GETOPT_DRIVER_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatalf("GETOPT_DRIVER_N: %v", err)
		}
	}
	for _, c := range glibcCases {
		compareWithDriver(t, driver, c.table, c.optstring, c.posix, c.argv)
	}
	for _, seed := range nstest.Seeds(t, "GETOPT_DRIVER_SEED") {
		rng := rand.New(rand.NewPCG(seed, 2))
		for range n {
			tab := rng.IntN(2)
			optstring := NetstatShortOptions
			if tab == 1 {
				optstring = []string{"ab:g::W;", "+ab:g::", "-ab:g::", ":ab:g::", "+:ab:W;", "-:ab:g::", "ab:c"}[rng.IntN(7)]
			}
			compareWithDriver(t, driver, tab, optstring, rng.IntN(4) == 0, randomArgs(rng, table(tab)))
		}
	}
}

// buildDriver compiles testdata/glibc_driver.c into the test's temporary directory.
func buildDriver(t *testing.T) string {
	t.Helper()
	gcc := nstest.RequireTool(t, "gcc")
	driver := filepath.Join(t.TempDir(), "glibc_driver")
	out, err := exec.Command(gcc, "-O2", "-o", driver, "testdata/glibc_driver.c").CombinedOutput()
	if err != nil {
		t.Fatalf("gcc testdata/glibc_driver.c: %v\n%s", err, out)
	}
	return driver
}

func compareWithDriver(t *testing.T, driver string, tab int, optstring string, posix bool, argv []string) {
	t.Helper()
	cmd := exec.Command(driver, append([]string{strconv.Itoa(tab), optstring}, argv...)...)
	cmd.Env = []string{"LC_ALL=C"}
	if posix {
		cmd.Env = append(cmd.Env, "POSIXLY_CORRECT=1")
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("driver %q: %v", argv, err)
	}
	got := transcript(New(argv, optstring, table(tab), posix))
	if diff := cmp.Diff(out.String(), got); diff != "" {
		t.Errorf("table %d optstring %q posix=%v argv %q (-glibc +ours):\n%s", tab, optstring, posix, argv, diff)
	}
}

func randomArgs(rng *rand.Rand, longs []Option) []string {
	argv := []string{[]string{"prog", "", "/bin/x"}[rng.IntN(3)]}
	letters := "abgcWxAtuQ:;?-e=4Z"
	for range rng.IntN(7) {
		switch rng.IntN(9) {
		case 0, 1, 2:
			var b strings.Builder
			b.WriteByte('-')
			for range 1 + rng.IntN(4) {
				b.WriteByte(letters[rng.IntN(len(letters))])
			}
			argv = append(argv, b.String())
		case 3, 4, 5:
			o := longs[rng.IntN(len(longs))].Name
			if rng.IntN(2) == 0 {
				o = o[:rng.IntN(len(o)+1)]
			}
			a := "--" + o
			switch rng.IntN(4) {
			case 0:
				a += "=v"
			case 1:
				a += "="
			}
			argv = append(argv, a)
		case 6:
			argv = append(argv, []string{"--", "-", "", "x", "--zz", "-W"}[rng.IntN(6)])
		default:
			argv = append(argv, []string{"p1", "p2", "inet"}[rng.IntN(3)])
		}
	}
	return argv
}
