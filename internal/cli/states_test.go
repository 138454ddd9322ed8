package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/netstat-go/netstat/internal/analysis"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// textStateCounts counts the tcp (inet) and tcp6 (inet6) rows of a net-tools -an
// listing by their State column.
func textStateCounts(out string, fams ...string) map[string]uint64 {
	counts := map[string]uint64{}
	for _, name := range []string{"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
		"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "UNKNOWN"} {
		counts[name] = 0
	}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) < 6 {
			continue
		}
		for _, fam := range fams {
			if (fam == "inet" && f[0] == "tcp") || (fam == "inet6" && f[0] == "tcp6") {
				counts[f[5]]++
			}
		}
	}
	return counts
}

// TestStates runs `netstat states` over the listing fixture and compares its counts
// with the TCP rows net-tools printed for the same files (netstat -an).
func TestStates(t *testing.T) {
	sc := machineSchema(t)
	dir := filepath.Join("testdata", "listing")
	netTools := mustRead(t, filepath.Join(dir, "want", "02.stdout"))
	if args := strings.TrimSpace(mustRead(t, filepath.Join(dir, "want", "02.args"))); args != "-an" {
		t.Fatalf("case 02 is %q, want -an", args)
	}
	for _, tt := range []struct {
		args []string
		fams []string
	}{
		{nil, []string{"inet", "inet6"}},
		{[]string{"-4"}, []string{"inet"}},
		{[]string{"-6"}, []string{"inet6"}},
		{[]string{"-n", "-t"}, []string{"inet", "inet6"}},
	} {
		t.Run(strings.Join(append([]string{"states"}, tt.args...), " "), func(t *testing.T) {
			want := textStateCounts(netTools, tt.fams...)
			var total uint64
			for _, n := range want {
				total += n
			}

			var out, errb bytes.Buffer
			if rc := extRun(t, fixtureEnv(dir, &out, &errb), append([]string{"states", "--json"}, tt.args...)...); rc != 0 {
				t.Fatalf("exit %d, stderr %q", rc, errb.String())
			}
			docs := jsonDocs(t, sc, out.String())
			if len(docs) != 1 {
				t.Fatalf("%d documents", len(docs))
			}
			got := map[string]uint64{}
			for k, v := range docs[0]["counts"].(map[string]any) {
				n, _ := v.(json.Number).Int64()
				got[k] = uint64(n)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("counts (-net-tools +states):\n%s", diff)
			}
			if diff := cmp.Diff(any(toAny(tt.fams)), docs[0]["families"]); diff != "" {
				t.Errorf("families (-want +got):\n%s", diff)
			}
			if docs[0]["total"] != json.Number(fmt.Sprint(total)) {
				t.Errorf("total %v, want %d", docs[0]["total"], total)
			}

			out.Reset()
			extRun(t, fixtureEnv(dir, &out, &errb), append([]string{"states"}, tt.args...)...)
			text := out.String()
			if !strings.HasPrefix(text, textfmt.StatesGuide+"\n") {
				t.Errorf("the text does not start with the guide")
			}
			for name, n := range want {
				line := fmt.Sprintf("\n  %-12s%8d\n", name, n)
				if !strings.Contains(text, line) {
					t.Errorf("text lacks %q", line)
				}
			}

			out.Reset()
			extRun(t, fixtureEnv(dir, &out, &errb), append([]string{"states", "--format=csv"}, tt.args...)...)
			header, rows := csvTable(t, out.String())
			if diff := cmp.Diff([]string{"state", "count", "threshold"}, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			for _, r := range rows {
				if r["count"] != fmt.Sprint(want[r["state"]]) {
					t.Errorf("%s: CSV %s, want %d", r["state"], r["count"], want[r["state"]])
				}
			}
			if len(rows) != 12 {
				t.Errorf("%d CSV rows, want 12", len(rows))
			}
		})
	}
}

// TestStatesExplain checks `netstat states NAME...`: only the named states' paragraphs,
// in the guide's order, then the same report.
func TestStatesExplain(t *testing.T) {
	dir := filepath.Join("testdata", "listing")
	var out, errb bytes.Buffer
	if rc := extRun(t, fixtureEnv(dir, &out, &errb), "states", "time-wait", "close_wait", "established"); rc != 0 {
		t.Fatalf("exit %d, stderr %q", rc, errb.String())
	}
	want := textfmt.StateEntry("ESTABLISHED") + textfmt.StateEntry("TIME_WAIT") + textfmt.StateEntry("CLOSE_WAIT") + "\n"
	text := out.String()
	if !strings.HasPrefix(text, want) {
		t.Errorf("text starts %q, want %q", text[:min(len(text), len(want))], want)
	}
	if strings.Contains(text, textfmt.StateEntry("LAST_ACK")) || strings.Contains(text, "Three-way handshake") {
		t.Error("states not asked for are explained")
	}
	if !strings.Contains(text, "\nTCP sockets now") {
		t.Error("no report after the paragraphs")
	}

	out.Reset()
	errb.Reset()
	if rc := extRun(t, fixtureEnv(dir, &out, &errb), "states", "bucket"); rc != 0 {
		t.Fatalf("exit %d", rc)
	}
	if want := textfmt.StateEntry("SYN_RECV") + textfmt.StateEntry("TIME_WAIT") + "\n"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("bucket: got %q", out.String())
	}
}

// TestStatesExplainOtherNames checks that every name in the guide's table of other
// tools' names (ss, RFC 9293, the BSDs, Windows), in any case, gives the paragraph of
// the row's state, netstat's name in the first column.
func TestStatesExplainOtherNames(t *testing.T) {
	dir := filepath.Join("testdata", "listing")
	_, table, ok := strings.Cut(textfmt.StatesGuide, "\n  netstat      RFC 9293")
	if !ok {
		t.Fatal("the guide has no table of other names")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	rows := strings.Split(strings.TrimPrefix(table, "\n"), "\n")[1:]
	if len(rows) != 12 {
		t.Fatalf("%d rows in the table of other names, want 12:\n%s", len(rows), table)
	}
	for _, row := range rows {
		names := strings.Fields(row)
		want := textfmt.StateEntry(names[0])
		if want == "" {
			t.Fatalf("no paragraph for %s", names[0])
		}
		for _, name := range names {
			if name == "-" {
				continue
			}
			for _, n := range []string{name, strings.ToLower(name)} {
				var out, errb bytes.Buffer
				if rc := extRun(t, fixtureEnv(dir, &out, &errb), "states", n); rc != 0 {
					t.Fatalf("states %s: exit %d, stderr %q", n, rc, errb.String())
				}
				if got, _, _ := strings.Cut(out.String(), "\nTCP sockets now"); got != want {
					t.Errorf("states %s: got %q, want the paragraph of %s", n, got, names[0])
				}
			}
		}
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// TestStatesCommands checks that the commands the findings suggest are valid
// netstat-go command lines.
func TestStatesCommands(t *testing.T) {
	for _, cmd := range []string{analysis.SynRecvCommand, analysis.CloseWaitCommand, analysis.TimeWaitCommand} {
		t.Run(cmd, func(t *testing.T) {
			args := strings.Fields(cmd)
			if args[0] != "netstat" {
				t.Fatalf("%q does not start with netstat", cmd)
			}
			argv, ext, act := splitExtensions(args)
			if act != nil {
				t.Fatalf("extension options: %s", act.Stderr)
			}
			cfg, warnings, act := Parse(argv, false)
			if act != nil || warnings != "" {
				t.Fatalf("Parse: %+v %q", act, warnings)
			}
			cfg.Ext = ext
			e := &env{names: resolve.Numeric{}}
			if _, act := e.compileSelection(context.Background(), cfg); act != nil {
				t.Fatalf("selection: %s", act.Stderr)
			}
			if len(cfg.Ext.States) == 0 || len(cfg.Ext.Count) == 0 {
				t.Errorf("%q selects no state or counts nothing", cmd)
			}
		})
	}
}

// errSource fails for IPv4 and has no IPv6.
type errSource struct{}

func (errSource) SelectInKernel(netstat.Proto, uint32, []byte) {}

func (errSource) InetSockets(_ context.Context, _ netstat.Proto, fam netstat.Family, _ func(*netstat.Socket) error) error {
	if fam == netstat.IPv6 {
		return fmt.Errorf("open /proc/net/tcp6: %w", netstat.ErrNotSupported)
	}
	return errors.New("netlink: permission denied")
}

func (errSource) UnixSockets(context.Context, func(*netstat.UnixSocket) error) error { return nil }

func TestStatesSourceError(t *testing.T) {
	sc := machineSchema(t)
	for _, format := range []string{"", "--json"} {
		var out, errb bytes.Buffer
		e := fixtureEnv(filepath.Join("testdata", "listing"), &out, &errb)
		e.sockets = errSource{}
		args := []string{"states"}
		if format != "" {
			args = append(args, format)
		}
		if rc := extRun(t, e, args...); rc != 1 {
			t.Errorf("%q: exit %d, want 1", args, rc)
		}
		if errb.String() != "netstat: netlink: permission denied\n" {
			t.Errorf("%q: stderr %q", args, errb.String())
		}
		if format == "" {
			if !strings.Contains(out.String(), "TCP sockets now (none could be listed): 0\n") {
				t.Errorf("text: %q", out.String())
			}
			continue
		}
		docs := jsonDocs(t, sc, out.String())
		if len(docs) != 1 || len(docs[0]["families"].([]any)) != 0 {
			t.Errorf("json: %s", out.String())
		}
	}
}

// TestExtHelp checks `netstat help`: exit 0, the text on stdout, and every extension
// option and subcommand named in it, in lines of at most 79 bytes.
func TestExtHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := extRun(t, fixtureEnv(filepath.Join("testdata", "listing"), &out, &errb), "help"); rc != 0 || errb.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", rc, errb.String())
	}
	help := extHelp()
	if out.String() != help {
		t.Errorf("stdout is not the help text")
	}
	for name := range extOptions {
		if !strings.Contains(help, name) {
			t.Errorf("help does not mention %s", name)
		}
	}
	for name := range subcommands {
		if !strings.Contains(help, "\n  "+name+" ") {
			t.Errorf("help does not list the subcommand %s", name)
		}
	}
	for _, c := range Commands {
		if !strings.Contains(help, "\n  "+c.Name+" ") {
			t.Errorf("help does not list the subcommand %s", c.Name)
		}
	}
	for i, line := range strings.Split(help, "\n") {
		if len(line) > 79 {
			t.Errorf("line %d is %d bytes", i+1, len(line))
		}
	}
}
