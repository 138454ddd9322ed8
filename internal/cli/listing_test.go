package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/system"
)

// fixtureEnv builds an env over a captured fixture tree: dir/proc is /proc, dir/etc is
// /etc. Nothing live is read.
func fixtureEnv(dir string, stdout, stderr *bytes.Buffer) *env {
	proc := os.DirFS(filepath.Join(dir, "proc"))
	out := bufio.NewWriter(stdout)
	e := &env{
		stdout: out,
		stderr: stderr,
		proc:   proc,
		names:  resolve.NewSystem(os.DirFS(filepath.Join(dir, "etc"))),
		sleep:  func(time.Duration) {},
		owners: func(bool) *procfd.Owners { return procfd.Scan(proc) },
	}
	e.sockets = &system.ProcSource{Proc: proc, Warn: func(m string) {
		out.Flush()
		stderr.WriteString(m + "\n")
	}}
	return e
}

// TestListingGolden replays /proc/net files captured in a namespace through the whole
// listing (parse options, read, resolve, render) and compares with what the real
// net-tools printed for the same files at the same moment (testdata/listing/want,
// captured with `LC_ALL=C netstat ARGS` under hosts-only resolution).
func TestListingGolden(t *testing.T) {
	dir := filepath.Join("testdata", "listing")
	argFiles, err := filepath.Glob(filepath.Join(dir, "want", "*.args"))
	if err != nil || len(argFiles) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, af := range argFiles {
		base := strings.TrimSuffix(af, ".args")
		raw, err := os.ReadFile(af)
		if err != nil {
			t.Fatal(err)
		}
		args := strings.Fields(string(raw))
		t.Run(strings.Join(append([]string{"netstat"}, args...), " "), func(t *testing.T) {
			wantOut := mustRead(t, base+".stdout")
			wantErr := mustRead(t, base+".stderr")
			wantExit, _ := strconv.Atoi(strings.TrimSpace(mustRead(t, base+".exit")))

			cfg, warnings, act := Parse(append([]string{"netstat"}, args...), false)
			if act != nil {
				t.Fatalf("Parse stopped: %+v", act)
			}
			var stdout, stderr bytes.Buffer
			stderr.WriteString(warnings)
			e := fixtureEnv(dir, &stdout, &stderr)
			got := exitStatus(e.run(context.Background(), cfg))
			e.stdout.Flush()
			if diff := cmp.Diff(wantOut, stdout.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantErr, stderr.String()); diff != "" {
				t.Errorf("stderr (-want +got):\n%s", diff)
			}
			if got != wantExit {
				t.Errorf("exit = %d, want %d", got, wantExit)
			}
		})
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
