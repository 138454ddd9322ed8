package awkcompat

import (
	"bytes"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/internal/nstest"
)

func oracle(t *testing.T, stdin string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

// TestFormatNumberMatchesGawk compares `print sum/1024/1024/1024` with gawk's.
func TestFormatNumberMatchesGawk(t *testing.T) {
	nstest.RequireTool(t, "gawk")
	sums := []uint64{0, 1, 1023, 1 << 30, 3 << 29, 1<<31 + 12345, 123456789012, 1<<40 + 1, 999999999999999, 1 << 52, 5, 70000, 1e12 + 7, 1073741823}
	var in strings.Builder
	var want []string
	for _, s := range sums {
		in.WriteString(strconv.FormatUint(s, 10) + "\n")
	}
	got := oracle(t, in.String(), "gawk", `{print $1/1024/1024/1024}`)
	for _, s := range sums {
		want = append(want, FormatNumber(float64(s)/1024/1024/1024, "%.6g"))
	}
	if g := strings.Join(want, "\n") + "\n"; g != got {
		t.Errorf("ours:\n%s\ngawk:\n%s", g, got)
	}
}

// TestSortNMatchesSort sorts awkward numeric lines with sort -n and -nr and with ours.
func TestSortNMatchesSort(t *testing.T) {
	nstest.RequireTool(t, "sort")
	lines := []string{"- a", "0 b", "0 a", "-0 z", "00 y", "10 x", "9 x", "9.5 x", "9.50 w", "-3 q", "-3.1 q", "abc", "", "   7 pad", "7 pad", "1e3 x", ".5 x", "0.5 y", "123456789012345678901 big", "123456789012345678900 big", "- b", "-- c", "+5 p"}
	in := strings.Join(lines, "\n") + "\n"
	for _, rev := range []bool{false, true} {
		args := []string{"-n"}
		if rev {
			args = []string{"-nr"}
		}
		want := oracle(t, in, "sort", args...)
		got := append([]string(nil), lines...)
		sort.SliceStable(got, func(i, j int) bool {
			c := SortNCompare([]byte(got[i]), []byte(got[j]))
			if rev {
				return c > 0
			}
			return c < 0
		})
		if g := strings.Join(got, "\n") + "\n"; g != want {
			t.Errorf("sort %v:\nours:\n%s\nsort:\n%s", args, g, want)
		}
	}
}

// TestGreaterMatchesGawk checks awk's $x > c on fields that are and are not numbers.
func TestGreaterMatchesGawk(t *testing.T) {
	nstest.RequireTool(t, "gawk")
	fields := []string{"-", "200000", "200001", "199999", "2e5", "200000.5", "abc", "3", "30", "30.000", "30.001", "60", "60.0001", "+61", "0x10", ".", "1e400"}
	for _, c := range []float64{200000, 30, 60, 0.5} {
		var want strings.Builder
		for _, f := range fields {
			if Greater([]byte(f), c) {
				want.WriteString("1\n")
			} else {
				want.WriteString("0\n")
			}
			if GreaterNum([]byte(f), c) != Greater([]byte(f), c) {
				t.Errorf("GreaterNum and Greater disagree on %q > %g", f, c)
			}
		}
		got := oracle(t, strings.Join(fields, "\n")+"\n", "gawk", "{print ($1 > "+strconv.FormatFloat(c, 'g', -1, 64)+") ? 1 : 0}")
		if got != want.String() {
			t.Errorf("> %g: ours %q gawk %q", c, want.String(), got)
		}
	}
}

func TestAppendUniqCount(t *testing.T) {
	got := AppendUniqCount(nil, 5, []byte("x"))
	got = AppendUniqCount(got, 12345678, []byte("y"))
	if want := "      5 x\n12345678 y\n"; !bytes.Equal(got, []byte(want)) {
		t.Errorf("got %q want %q", got, want)
	}
}

// TestCompareLeading checks the digit-count shortcut against the whole comparison.
func TestCompareLeading(t *testing.T) {
	nums := []string{"0", "00", "1", "9", "10", "99", "100", "123.5", "123", "1234", "0.5", ".5", "-1", "-123", "-0", "", "-", "x", "12x", "1e5", "007", "7", " 7", "\t7", "123.", "99999999999999999999", "100000000000000000000"}
	for _, a := range nums {
		for _, b := range nums {
			if got, want := CompareLeading([]byte(a+" rest"), ParseSortNum([]byte(b))), NumCompare([]byte(a+" rest"), []byte(b)); got != want {
				t.Errorf("CompareLeading(%q, %q) = %d, NumCompare says %d", a, b, got, want)
			}
		}
	}
}

func FuzzNumCompare(f *testing.F) {
	f.Add("1.5 x", "-2 y")
	f.Fuzz(func(t *testing.T, a, b string) {
		if c, d := NumCompare([]byte(a), []byte(b)), NumCompare([]byte(b), []byte(a)); c != -d {
			t.Fatalf("NumCompare not antisymmetric: %d %d", c, d)
		}
		if c, d := CompareLeading([]byte(a), ParseSortNum([]byte(b))), NumCompare([]byte(a), []byte(b)); c != d {
			t.Fatalf("CompareLeading(%q, %q) = %d, NumCompare %d", a, b, c, d)
		}
		ParseNumber([]byte(a))
	})
}
