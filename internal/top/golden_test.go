package top

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata")

// TestGoldenScreens draws fixed snapshots at 80x24 and 120x40 and compares them with
// the screens in testdata (go test -update rewrites them; review the diff).
func TestGoldenScreens(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness)
	}{
		{"table", func(h *harness) {}},
		{"names", func(h *harness) { h.keys("n") }},
		{"grouped", func(h *harness) { h.keys("g", "down", "enter") }},
		{"filter", func(h *harness) { h.keys("/"); h.typeText("dport = :5432 or sport = :5432") }},
		{"filter-words", func(h *harness) { h.keys("/"); h.typeText("sshd"); h.keys("enter") }},
		{"details", func(h *harness) { h.keys("down", "enter") }},
		{"help", func(h *harness) { h.keys("?") }},
		{"confirm", func(h *harness) { h.keys("down", "x") }},
		{"paused", func(h *harness) { h.keys("p", "r") }},
		{"error", func(h *harness) {
			h.fake.Err = errors.New("sock_diag: netlink receive: no buffer space available")
			h.refresh()
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, tt := range tests {
			name := tt.name + "-" + itoa(size[0]) + "x" + itoa(size[1])
			t.Run(name, func(t *testing.T) {
				h := newHarness(t, snapA(), snapB())
				h.refresh()
				h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				tt.setup(h)
				h.m.cfg.Interval = time.Second
				got := h.m.render() + "\n"
				path := filepath.Join("testdata", name+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("screen differs from %s (-want +got):\n%s", path, diff)
				}
			})
		}
	}
}

func itoa(n int) string {
	return string(rune('0'+n/100%10)) + string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}
