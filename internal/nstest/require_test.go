package nstest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a requirement ended the test instead of
// ending it: the first Fatalf or Skipf (a real one would not return).
type recorder struct {
	testing.TB
	how, msg string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) { r.end("fail", format, args) }

func (r *recorder) Skipf(format string, args ...any) { r.end("skip", format, args) }

func (r *recorder) end(how, format string, args []any) {
	if r.how == "" {
		r.how, r.msg = how, fmt.Sprintf(format, args...)
	}
}

// TestUnavailable checks that a missing requirement skips outside CI and fails under
// CI=true, saying what is missing either way.
func TestUnavailable(t *testing.T) {
	for _, c := range []struct{ ci, want string }{{"true", "fail"}, {"", "skip"}, {"1", "skip"}} {
		t.Setenv("CI", c.ci)
		r := &recorder{TB: t}
		RequireTool(r, "no-such-tool-anywhere")
		if r.how != c.want || !strings.Contains(r.msg, "no-such-tool-anywhere is missing") {
			t.Errorf("CI=%q: the test ended with %s %q, want %s naming the tool", c.ci, r.how, r.msg, c.want)
		}
	}
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	if p := RequireTool(r, "sh"); r.how != "" || p == "" {
		t.Errorf("sh is installed, yet RequireTool returned %q and ended the test with %s %q", p, r.how, r.msg)
	}
}
