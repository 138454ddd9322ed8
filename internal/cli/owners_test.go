package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/procfd"
)

// TestProgramNames runs -tlnp over the fixture tree with owners whose names do not fit
// net-tools' 19-byte column: the text cuts them as net-tools does, JSON has them whole
// with every holder, and --process and --count=program see the column's name.
func TestProgramNames(t *testing.T) {
	link := func(ino string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("socket:[" + ino + "]"), Mode: os.ModeSymlink}
	}
	const long = "a-thirty-byte-long-program-nam" // 30 bytes
	proc := fstest.MapFS{
		"100/cmdline":  {Data: []byte("/opt/bin/" + long + "\x00--serve\x00")},
		"100/fd/3":     link("56518"), // the 127.0.0.1:8080 listener
		"4242/cmdline": {Data: []byte(long + "\x00--worker\x00")},
		"4242/fd/9":    link("56518"),
	}
	// The listing asks for every holder for JSON only.
	owners := func(every bool) *procfd.Owners {
		if every {
			return procfd.ScanEvery(proc)
		}
		return procfd.Scan(proc)
	}
	run := func(args ...string) string {
		t.Helper()
		argv, ext, act := splitExtensions(append([]string{"netstat"}, args...))
		if act != nil {
			t.Fatalf("%v: %+v", args, act)
		}
		cfg, _, act := Parse(argv, false)
		if act != nil {
			t.Fatalf("%v: Parse stopped: %+v", args, act)
		}
		cfg.Ext = ext
		var out, errOut bytes.Buffer
		e := fixtureEnv(listingDir, &out, &errOut)
		e.owners = owners
		if _, act := e.compileSelection(context.Background(), cfg); act != nil {
			t.Fatalf("%v: %+v", args, act)
		}
		if rc := exitStatus(e.run(context.Background(), cfg)); rc != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, rc, errOut.String())
		}
		e.stdout.Flush()
		return out.String()
	}

	text := run("-tlnp")
	if !strings.Contains(text, " 100/a-thirty-byte-l \n") {
		t.Errorf("-tlnp: no row with the cut column \"100/a-thirty-byte-l\":\n%s", text)
	}

	var doc struct {
		Inet []struct {
			LocalPort int    `json:"local_port"`
			PID       *int   `json:"pid"`
			Program   string `json:"program"`
			Processes []struct {
				PID     int    `json:"pid"`
				Program string `json:"program"`
			} `json:"processes"`
		} `json:"inet"`
	}
	if err := json.Unmarshal([]byte(run("-tlnp", "--format=json")), &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range doc.Inet {
		if s.LocalPort != 8080 {
			continue
		}
		found = true
		if s.PID == nil || *s.PID != 100 || s.Program != long {
			t.Errorf("8080: pid %v program %q, want 100 %q", s.PID, s.Program, long)
		}
		want := []struct {
			PID     int    `json:"pid"`
			Program string `json:"program"`
		}{{100, long}, {4242, long}}
		if diff := cmp.Diff(want, s.Processes); diff != "" {
			t.Errorf("8080 processes (-want +got):\n%s", diff)
		}
	}
	if !found {
		t.Fatal("no 8080 listener in the JSON listing")
	}

	// The filter and the count key see the name the column shows.
	for _, sel := range []string{"a-thirty-byte-l", long, long + "-and-more"} {
		if out := run("-tlnp", "--process="+sel); !strings.Contains(out, ":8080") {
			t.Errorf("--process=%s does not select the 8080 listener:\n%s", sel, out)
		}
	}
	if out := run("-tlnp", "--process=a-thirty-byte-"); strings.Contains(out, ":8080") {
		t.Errorf("--process with less than the column shows selects the listener:\n%s", out)
	}
	if out := run("-tlnp", "--count=program"); !strings.Contains(out, "      1 a-thirty-byte-l\n") {
		t.Errorf("--count=program does not count the column's name:\n%s", out)
	}
}
