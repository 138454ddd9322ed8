package weblog_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netstat-go/netstat/internal/weblog"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func logLine(ip string, i int) string {
	return fmt.Sprintf(`%s - - [06/Dec/2026:10:00:%02d +0000] "GET /p%d HTTP/1.1" 200 10 "-" "ua x"`+"\n", ip, i%60, i)
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
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

func waitFor(t *testing.T, out *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the output:\n%s", s, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestFollowSurvivesRotation follows a log that grows, is rotated (renamed and
// recreated), grows again and is truncated, and checks the reprinted counts.
func TestFollowSurvivesRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "access.log")
	var lines strings.Builder
	for i := 0; i < 60; i++ {
		lines.WriteString(logLine("10.0.0.1", i))
	}
	appendTo(t, path, lines.String())
	ctx, cancel := context.WithCancel(context.Background())
	out, errs := &syncBuffer{}, &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- weblog.Run(ctx, []string{"top-ips", "-f", "--interval", "100ms", path}, strings.NewReader(""), out, errs)
	}()
	waitFor(t, out, "     60 10.0.0.1\n")
	// A line written in two pieces counts once, whole. (Whether a poll falls between
	// the two writes depends on the scheduler; TestTailRead checks that case step by
	// step.)
	half := logLine("10.0.0.2", 1)
	appendTo(t, path, half[:20])
	appendTo(t, path, half[20:])
	waitFor(t, out, "      1 10.0.0.2\n")
	// Rotation: the old file gets one more line before the new one appears.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path+".1", logLine("10.0.0.3", 2))
	appendTo(t, path, logLine("10.0.0.4", 3)+logLine("10.0.0.4", 4))
	waitFor(t, out, "      2 10.0.0.4\n")
	// Truncation, as copytruncate does. The new line is shorter than the two the
	// follower has read, so it sees the file shrink whenever its next poll comes.
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, logLine("10.0.0.5", 5))
	waitFor(t, out, "      1 10.0.0.5\n")
	cancel()
	if rc := <-done; rc != 0 {
		t.Fatalf("exit %d: %s", rc, errs.String())
	}
	final := out.String()[strings.LastIndex(out.String(), "--- final"):]
	want := "--- final: 65 lines\n     60 10.0.0.1\n      2 10.0.0.4\n      1 10.0.0.5\n      1 10.0.0.3\n      1 10.0.0.2\n"
	if final != want {
		t.Errorf("final report:\n%s\nwant:\n%s", final, want)
	}
}
