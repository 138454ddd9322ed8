package weblog_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/weblog"
	"github.com/netstat-go/netstat/internal/weblog/gen"
)

// pipe runs a recipe pipeline with sh under LC_ALL=C, with awk meaning gawk.
func pipe(t *testing.T, dir, script string) []byte {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, errb.String())
	}
	return out.Bytes()
}

func ours(t *testing.T, dir string, args ...string) ([]byte, string) {
	t.Helper()
	var out, errb bytes.Buffer
	// Paths relative to dir.
	for i, a := range args {
		if strings.HasPrefix(a, "@") {
			args[i] = filepath.Join(dir, a[1:])
		}
	}
	if rc := weblog.Run(context.Background(), args, strings.NewReader(""), &out, &errb); rc != 0 {
		t.Fatalf("weblog %q: exit %d: %s", args, rc, errb.String())
	}
	return out.Bytes(), errb.String()
}

func writeLog(t *testing.T, path string, cfg gen.Config) *gen.Truth {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	g := gen.New(cfg)
	if _, err := g.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return &g.Truth
}

// recipes are the cheat sheet's pipelines with the command that must print the same.
var recipes = []struct {
	name     string
	pipeline string
	args     []string
	respTime bool
}{
	{"top-ips", `gawk '{print $1}' L | sort | uniq -c | sort -nr | head -10`, []string{"top-ips"}, false},
	{"top-ips-all", `gawk '{print $1}' L | sort | uniq -c | sort -nr`, []string{"top-ips", "--top", "0"}, false},
	{"top-urls", `gawk '{print $7}' L | sort | uniq -c | sort -nr | head -20`, []string{"top-urls"}, false},
	{"top-urls-all", `gawk '{print $7}' L | sort | uniq -c | sort -nr`, []string{"top-urls", "--top", "0"}, false},
	{"largest", `gawk '($7~/\.exe/){print $10 " " $1 " " $4 " " $7}' L | sort -nr | head -20`, []string{"largest", "--match", `\.exe`}, false},
	{"largest-all", `gawk '{print $10 " " $1 " " $4 " " $7}' L | sort -nr | head -300`, []string{"largest", "--top", "300"}, false},
	{"big", `gawk '($10 > 200000 && $7~/\.exe/){print $7}' L | sort -n | uniq -c | sort -nr | head -100`, []string{"big", "--match", `\.exe`, "--min-bytes", "200000"}, false},
	{"big-small", `gawk '($10 > 500){print $7}' L | sort -n | uniq -c | sort -nr | head -100`, []string{"big", "--min-bytes", "500"}, false},
	{"slowest", `gawk '($7~/\.php/){print $NF " " $1 " " $4 " " $7}' L | sort -nr | head -100`, []string{"slowest", "--match", `\.php`}, true},
	{"slow-60", `gawk '($NF > 60 && $7~/\.php/){print $7}' L | sort -n | uniq -c | sort -nr | head -100`, []string{"slow", "--match", `\.php`, "--over", "60"}, true},
	{"slow-30", `gawk '($NF > 30){print $7}' L | sort -n | uniq -c | sort -nr | head -20`, []string{"slow", "--over", "30", "--top", "20"}, true},
	{"traffic", `gawk '{sum+=$10} END {print sum/1024/1024/1024}' L`, []string{"traffic"}, false},
	{"status-list", `gawk '($9 ~/404/)' L | gawk '{print $9,$7}' | sort`, []string{"status-list", "--status", "404"}, false},
	{"status", `gawk '{print $9}' L | sort | uniq -c | sort -rn`, []string{"status"}, false},
}

// TestRecipesMatchPipelines runs every recipe's pipeline with the real gawk, sort, uniq
// and head on generated logs and compares the bytes with ours.
func TestRecipesMatchPipelines(t *testing.T) {
	nstest.RequireTools(t, "gawk", "sort", "uniq", "head", "sh")
	dir := t.TempDir()
	logs := []struct {
		name string
		cfg  gen.Config
	}{
		{"small-time", gen.Config{Seed: 1, Lines: 3000, Clients: 40, URLs: 60, Format: gen.CombinedTime}},
		{"mid-time", gen.Config{Seed: 7, Lines: 40000, Clients: 900, URLs: 500, Format: gen.CombinedTime}},
		{"combined", gen.Config{Seed: 3, Lines: 20000, Clients: 300, URLs: 200, Format: gen.Combined}},
	}
	for _, l := range logs {
		writeLog(t, filepath.Join(dir, l.name), l.cfg)
		for _, r := range recipes {
			if r.respTime && l.cfg.Format != gen.CombinedTime {
				continue
			}
			t.Run(l.name+"/"+r.name, func(t *testing.T) {
				want := pipe(t, dir, strings.ReplaceAll(r.pipeline, " L", " "+l.name))
				got, _ := ours(t, dir, append(append([]string{}, r.args...), "@"+l.name)...)
				if len(want) == 0 && r.name != "slow-60" {
					t.Fatalf("the pipeline printed nothing: the generated log does not exercise %s", r.name)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s\n%s", r.args, r.pipeline, firstDiff(want, got))
				}
			})
		}
	}
}

func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n pipeline: " + a + "\n ours:     " + b
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestDomains checks the Squid report against the ground truth (CONNECT bytes under
// their host, 64-bit sums) and, on the lines without CONNECT, against the recipe's
// pipeline, whose only other difference is its order.
func TestDomains(t *testing.T) {
	nstest.RequireTools(t, "gawk", "sort", "grep", "sh")
	dir := t.TempDir()
	truth := writeLog(t, filepath.Join(dir, "squid"), gen.Config{Seed: 11, Lines: 30000, Clients: 100, URLs: 300, Format: gen.SquidCombined})
	got, _ := ours(t, dir, "domains", "@squid")
	var want bytes.Buffer
	type kv struct {
		k string
		v uint64
	}
	var kvs []kv
	big := false
	for k, v := range truth.Domains {
		kvs = append(kvs, kv{k, v})
		big = big || v > 1<<31
	}
	if !big {
		t.Fatal("the generated Squid log has no domain above 2^31 bytes")
	}
	sort.Slice(kvs, func(i, j int) bool {
		if kvs[i].v != kvs[j].v {
			return kvs[i].v > kvs[j].v
		}
		return kvs[i].k < kvs[j].k
	})
	for _, x := range kvs {
		fmt.Fprintf(&want, "%s\t%d\n", x.k, x.v)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("domains:\n got %q\nwant %q", got, want.Bytes())
	}
	pipeline := `grep -v '"CONNECT ' squid | gawk '{print $10,$7}' | gawk 'BEGIN{FS="[ /]"}{trfc[$4]+=$1}END{for(domain in trfc){printf "%s\t%d\n",domain,trfc[domain]}}' | sort`
	wantNoConnect := pipe(t, dir, pipeline)
	gotNoConnect, _ := ours(t, dir, "domains", "--match", "://", "@squid")
	sorted := strings.Split(strings.TrimSuffix(string(gotNoConnect), "\n"), "\n")
	sort.Strings(sorted)
	if g := strings.Join(sorted, "\n") + "\n"; g != string(wantNoConnect) {
		t.Errorf("domains without CONNECT differ from the pipeline:\n%s", firstDiff(wantNoConnect, []byte(g)))
	}
}

// TestInputsAsOneStream reads a log cut in three, the middle part gzip-compressed,
// and through standard input, and compares with the pipeline on the whole log.
func TestInputsAsOneStream(t *testing.T) {
	nstest.RequireTools(t, "gawk", "sort", "uniq", "head", "sh")
	dir := t.TempDir()
	writeLog(t, filepath.Join(dir, "whole"), gen.Config{Seed: 21, Lines: 9000, Clients: 120, URLs: 90, Format: gen.CombinedTime})
	data, err := os.ReadFile(filepath.Join(dir, "whole"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	parts := []string{strings.Join(lines[:3000], ""), strings.Join(lines[3000:6000], ""), strings.Join(lines[6000:], "")}
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte(parts[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(parts[1]))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.gz"), z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.txt"), []byte(parts[1]), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c"), []byte(parts[2]), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, r := range recipes {
		t.Run(r.name, func(t *testing.T) {
			want := pipe(t, dir, strings.ReplaceAll(r.pipeline, " L", " whole"))
			got, _ := ours(t, dir, append(append([]string{}, r.args...), "@a", "@b.gz", "@c")...)
			if !bytes.Equal(got, want) {
				t.Errorf("files a b.gz c: %s", firstDiff(want, got))
			}
			var out, errb bytes.Buffer
			args := append(append([]string{}, r.args...), "-")
			if rc := weblog.Run(context.Background(), args, bytes.NewReader(z.Bytes()), &out, &errb); rc != 0 {
				t.Fatalf("stdin: exit %d: %s", rc, errb.String())
			}
			if wantPart := pipe(t, dir, strings.ReplaceAll(r.pipeline, " L", " b.txt")); !bytes.Equal(out.Bytes(), wantPart) {
				t.Errorf("gzip on standard input: %s", firstDiff(wantPart, out.Bytes()))
			}
		})
	}
}
