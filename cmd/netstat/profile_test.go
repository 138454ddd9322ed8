package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCPUProfile checks that the profile is written when stopped, and that stopping
// twice (the deferred stop after the signal path's) is harmless.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop, err := startCPUProfile(path, true)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	stop()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() == 0 {
		t.Error("empty profile")
	}
	if _, err := startCPUProfile(filepath.Join(t.TempDir(), "no", "such", "dir"), false); err == nil {
		t.Error("profile into a missing directory succeeded")
	}
}
