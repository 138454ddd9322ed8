package weblog

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTailRead drives tail.read step by step, with no timing: what each call returns
// after a partial line, its end, a rotation (with a last line for the old file written
// after the rename) and a truncation.
func TestTailRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "access.log")
	write := func(name, s string) {
		t.Helper()
		f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	tl := &tail{path: path}
	defer func() {
		if tl.f != nil {
			tl.f.Close()
		}
	}()
	read := func() []string {
		t.Helper()
		var got []string
		if err := tl.read(func(l []byte) { got = append(got, string(l)) }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	steps := []struct {
		name string
		do   func()
		want []string
	}{
		{"no file yet", func() {}, nil},
		{"two lines", func() { write(path, "a1\na2\n") }, []string{"a1", "a2"}},
		{"half a line", func() { write(path, "b1-first-") }, nil},
		{"its end", func() { write(path, "half\n") }, []string{"b1-first-half"}},
		{"renamed, old file grows", func() {
			if err := os.Rename(path, path+".1"); err != nil {
				t.Fatal(err)
			}
			write(path+".1", "c1\n")
		}, []string{"c1"}},
		{"old file grows, new file appears", func() {
			write(path+".1", "c2\n")
			write(path, "d1\nd2\n")
		}, []string{"c2", "d1", "d2"}},
		{"nothing new", func() {}, nil},
		{"truncated", func() {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"grows after truncation", func() { write(path, "e1\n") }, []string{"e1"}},
		{"truncated and rewritten shorter", func() {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			write(path, "f\n")
		}, []string{"f"}},
	}
	for _, s := range steps {
		s.do()
		if diff := cmp.Diff(s.want, read()); diff != "" {
			t.Errorf("%s: lines (-want +got):\n%s", s.name, diff)
		}
	}
}
