package pcapfile

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func TestReader(t *testing.T) {
	b, err := os.ReadFile("../testdata/http.pcap")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		data, ts, lt, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if lt != 1 || len(data) < 54 || ts.Year() < 2026 {
			t.Fatalf("packet %d: link type %d, %d bytes, %v", n, lt, len(data), ts)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no packets")
	}
	// A file cut inside a record ends cleanly.
	r, err = NewReader(bytes.NewReader(b[:len(b)-10]))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, _, _, err := r.Next(); err != nil {
			if err != io.EOF {
				t.Fatalf("cut file: %v", err)
			}
			break
		}
	}
	if _, err := NewReader(bytes.NewReader([]byte("not a capture"))); err == nil {
		t.Error("garbage accepted")
	}
}

func FuzzReader(f *testing.F) {
	b, err := os.ReadFile("../testdata/http.pcap")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:600])
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		for range 1000 {
			if _, _, _, err := r.Next(); err != nil {
				return
			}
		}
	})
}
