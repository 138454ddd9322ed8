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

// RequireTool returns the path of the executable name, or skips t when it is
// missing, or fails it when CI=true (scripts/install-deps.sh installs what the suite
// needs).
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true but %s is missing (scripts/install-deps.sh installs it): %v", name, err)
	}
	t.Skipf("%s not available: %v", name, err)
	return ""
}
