package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/internal/getopt"
	"github.com/netstat-go/netstat/internal/nstest"
)

// completionScript runs `netstat completion SHELL` and writes the script to a file.
func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errb bytes.Buffer
	e := fixtureEnv(listingDir, &out, &errb)
	if rc := extRun(t, e, "completion", shell); rc != 0 || errb.Len() > 0 {
		t.Fatalf("completion %s: exit %d, stderr %q", shell, rc, errb.String())
	}
	path := filepath.Join(t.TempDir(), "netstat."+shell)
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// completionQueries are command lines (the last word being completed) and words the
// completion must offer, and one it must not.
var completionQueries = []struct {
	line      []string
	want      []string
	wantNot   string
	fishQuery string // the same query as fish's complete -C takes it
}{
	{[]string{"netstat", "--tc"}, []string{"--tcp"}, "--udp", "netstat --tc"},
	{[]string{"netstat", "--form"}, []string{"--format"}, "--tcp", "netstat --form"},
	{[]string{"netstat", "-"}, []string{"-t", "-W", "-A", "--json", "--numeric-hosts"}, "--tcpip", ""},
	{[]string{"netstat", "--format", "j"}, []string{"json"}, "csv", "netstat --format j"},
	{[]string{"netstat", "-A", "inet"}, []string{"inet", "inet6"}, "unix", "netstat -A inet"},
	{[]string{"netstat", "--state", "time"}, []string{"time-wait"}, "listen", "netstat --state time"},
	{[]string{"netstat", "st"}, []string{"states"}, "help", "netstat st"},
	{[]string{"netstat", "states", "close"}, []string{"close-wait", "closed"}, "listen", "netstat states close"},
	{[]string{"netstat", "completion", "z"}, []string{"zsh"}, "bash", "netstat completion z"},
	{[]string{"netstat", "we"}, []string{"weblog"}, "sniff", "netstat we"},
	{[]string{"netstat", "weblog", "top-"}, []string{"top-ips", "top-urls"}, "--tcp", "netstat weblog top-"},
	{[]string{"netstat", "sniff", "m"}, []string{"mysql"}, "--tcp", "netstat sniff m"},
	{[]string{"netstat", "serve", "--t"}, nil, "--tcp", "netstat serve --t"},
}

// TestCompletionTable checks that the scripts offer every option the parser knows.
func TestCompletionTable(t *testing.T) {
	words := newCompletionSpec().words()
	for _, o := range getopt.NetstatLongOptions() {
		if o.Name != "tcpip" && !slices.Contains(words, "--"+o.Name) {
			t.Errorf("--%s is not offered", o.Name)
		}
	}
	for name := range extOptions {
		if !slices.Contains(words, name) {
			t.Errorf("%s is not offered", name)
		}
	}
	for _, ch := range getopt.NetstatShortOptions {
		if ch != ':' && ch != '?' && !slices.Contains(words, "-"+string(ch)) {
			t.Errorf("-%c is not offered", ch)
		}
	}
}

func checkCompletion(t *testing.T, line []string, got []string, want []string, wantNot string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%q: %q not offered; got %q", line, w, got)
		}
	}
	if slices.Contains(got, wantNot) {
		t.Errorf("%q: %q offered; got %q", line, wantNot, got)
	}
}

// TestCompletionBash loads the bash script, checks that it registers for netstat and
// runs its function on each query as bash's completion would.
func TestCompletionBash(t *testing.T) {
	bash := nstest.RequireTool(t, "bash")
	script := completionScript(t, "bash")
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	out, err := exec.Command(bash, "-c", `source "$1" && complete -p netstat`, "bash", script).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "complete -F _netstat_go netstat" {
		t.Fatalf("complete -p netstat: %v: %q", err, out)
	}
	for _, q := range completionQueries {
		// bash splits "--format=j" at "="; the words are as it would pass them.
		cmd := exec.Command(bash, append([]string{"-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _netstat_go; printf '%s\n' "${COMPREPLY[@]}"`,
			"bash", script}, q.line...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", q.line, err, out)
		}
		checkCompletion(t, q.line, strings.Fields(string(out)), q.want, q.wantNot)
	}
	// --format=j, split the way COMP_WORDBREAKS splits it.
	out, err = exec.Command(bash, "-c", `source "$1"; COMP_WORDS=(netstat --format = j); COMP_CWORD=3; _netstat_go; printf '%s\n' "${COMPREPLY[@]}"`, "bash", script).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	checkCompletion(t, []string{"--format=j"}, strings.Fields(string(out)), []string{"json"}, "csv")
}

// TestCompletionZsh loads the zsh script after compinit, checks that it registers for
// netstat, and runs its function on each query with compadd and compset replaced by
// functions that print what would be offered (zsh filters by prefix itself).
func TestCompletionZsh(t *testing.T) {
	zsh := nstest.RequireTool(t, "zsh")
	script := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	home := t.TempDir()
	run := func(body string, args ...string) string {
		t.Helper()
		cmd := exec.Command(zsh, append([]string{"-f", "-c", body, "zsh", script}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+home, "ZDOTDIR="+home)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("zsh: %v\n%s", err, out)
		}
		return string(out)
	}
	if got := run(`autoload -Uz compinit && compinit -u -D && source "$1" && print -r -- $_comps[netstat]`); strings.TrimSpace(got) != "_netstat_go" {
		t.Fatalf("the script did not register _netstat_go for netstat: %q", got)
	}
	for _, q := range completionQueries {
		out := run(`compdef() { : } && source "$1" && shift &&
compadd() { local a; for a in "$@"; do [[ $a == -- ]] || print -r -- $a; done } &&
compset() { return 0 } &&
words=("$@") && CURRENT=$# && _netstat_go | while read -r w; do [[ $w == ${words[CURRENT]##*=}* ]] && print -r -- $w; done; true`, q.line...)
		checkCompletion(t, q.line, strings.Fields(out), q.want, q.wantNot)
	}
}

// TestCompletionFish loads the fish script and asks fish's own completion engine
// (complete -C) each query.
func TestCompletionFish(t *testing.T) {
	fish := nstest.RequireTool(t, "fish")
	script := completionScript(t, "fish")
	if out, err := exec.Command(fish, "--no-execute", script).CombinedOutput(); err != nil {
		t.Fatalf("fish --no-execute: %v\n%s", err, out)
	}
	home := t.TempDir()
	for _, q := range completionQueries {
		if q.fishQuery == "" {
			continue
		}
		cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, q.fishQuery)
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", q.fishQuery, err, out)
		}
		var got []string
		for _, l := range strings.Split(string(out), "\n") {
			if w, _, _ := strings.Cut(l, "\t"); w != "" {
				got = append(got, w)
			}
		}
		checkCompletion(t, q.line, got, q.want, q.wantNot)
	}
}

// TestManPage checks that docs/netstat-go.8 formats without a groff warning and
// names every extension option and subcommand the parser knows.
func TestManPage(t *testing.T) {
	page, err := os.ReadFile("../../docs/netstat-go.8")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(page), `\-`, "-")
	for name := range extOptions {
		if !strings.Contains(text, name) {
			t.Errorf("the man page does not describe %s", name)
		}
	}
	names := slices.Sorted(mapKeys(subcommands))
	for _, c := range Commands {
		names = append(names, c.Name)
	}
	for _, name := range names {
		if !strings.Contains(text, ".B "+name) && !strings.Contains(text, ".BR "+name) {
			t.Errorf("the man page does not describe the subcommand %s", name)
		}
	}
	if strings.Contains(text, "to come") || strings.Contains(text, "planned") {
		t.Error("the man page still announces subcommands to come")
	}
	groff := nstest.RequireTool(t, "groff")
	cmd := exec.Command(groff, "-man", "-ww", "-z", "../../docs/netstat-go.8")
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("groff -man -ww: %v\n%s", err, out)
	}
}
