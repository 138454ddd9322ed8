package input

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenDetectsGzipByMagic(t *testing.T) {
	dir := t.TempDir()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte("a\nb\n"))
	zw.Close()
	// A gzip file without .gz, and a plain file named .gz.
	if err := os.WriteFile(filepath.Join(dir, "log"), z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plain.gz"), []byte("c\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(dir, "log"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Stream == nil {
		t.Fatal("gzip file not read as a stream")
	}
	b, _ := io.ReadAll(s.Stream)
	if string(b) != "a\nb\n" {
		t.Errorf("decoded %q", b)
	}
	p, err := Open(filepath.Join(dir, "plain.gz"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.File == nil {
		t.Error("plain file named .gz not read as a plain file")
	}
	st, err := Open("-", bytes.NewReader(z.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(st.Stream)
	if string(b) != "a\nb\n" {
		t.Errorf("gzip on stdin decoded %q", b)
	}
}

// TestReadRangeCoversEveryLineOnce cuts a file at every possible range size and
// checks that the ranges' lines, in order, are the file's lines exactly once.
func TestReadRangeCoversEveryLineOnce(t *testing.T) {
	content := "one\ntwo\n\nthree-is-longer\nfour\nlast-without-newline"
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for size := int64(1); size <= int64(len(content))+1; size++ {
		var got strings.Builder
		var buf []byte
		for off := int64(0); off < s.Size; off += size {
			var lines []byte
			lines, buf, err = s.ReadRange(buf, off, min(off+size, s.Size))
			if err != nil {
				t.Fatal(err)
			}
			got.Write(lines)
		}
		if got.String() != content {
			t.Errorf("range size %d: got %q", size, got.String())
		}
	}
}
