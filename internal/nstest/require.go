// Package nstest holds what the privileged tests of several packages share: the root
// and tool requirements (skip when missing, fail when CI=true, so that CI never skips
// them silently), the seeds of randomised tests, and (on Linux) moving a test's thread
// into a fresh network namespace. Only tests import it.
package nstest

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// FixedSeed is the seed every run of a randomised test checks first.
const FixedSeed = 1

// Seeds returns the seeds of a randomised test: FixedSeed, so that every run checks
// the same cases, then a rotating seed from the clock, so that runs over time cover
// more. The environment variable env, when set to a number, replaces the rotating
// seed to replay a failure. Both seeds are logged with the line that replays them.
func Seeds(t testing.TB, env string) [2]uint64 {
	t.Helper()
	rotating := uint64(time.Now().UnixNano())
	if s := os.Getenv(env); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", env, s, err)
		}
		rotating = v
	}
	t.Logf("seeds: fixed %d, rotating %d (replay the rotating one with %s=%d)", FixedSeed, rotating, env, rotating)
	return [2]uint64{FixedSeed, rotating}
}

// Unavailable skips t for want of something the test needs, or fails it when
// CI=true, where scripts/install-deps.sh has installed everything and a skip would
// hide a test that never ran. format and args say what is missing.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if CI() {
		t.Fatalf("CI=true, and the test cannot run: "+format, args...)
	}
	t.Skipf(format, args...)
}

// RequireRoot skips t when not running as root, or fails it when CI=true.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Unavailable(t, "needs root to create a network namespace; runs when CI=true")
	}
}

// RequireTool returns the path of the executable name, or skips t when it is
// missing, or fails it when CI=true (scripts/install-deps.sh installs what the suite
// needs).
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, "%s is missing (scripts/install-deps.sh installs it): %v", name, err)
	}
	return path
}

// RequireTools is RequireTool for each of names.
func RequireTools(t testing.TB, names ...string) {
	t.Helper()
	for _, name := range names {
		RequireTool(t, name)
	}
}

// CI reports whether the tests run in CI (CI=true), where nothing may be skipped
// silently.
func CI() bool { return os.Getenv("CI") == "true" }
