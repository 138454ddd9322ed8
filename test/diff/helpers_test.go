//go:build linux

package diff

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Unprivileged tests of the harness' own helpers.

func TestWithoutContinuous(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"-c -n -t", "-n -t"},
		{"-cp -x", "-p -x"},
		{"-rcC -n", "-rC -n"},
		{"-iec", "-ie"},
		{"--continuous -t", "-t"},
		{"--cont -t", "-t"},
		{"-tAcx -c", "-tAcx"},
		{"-t -- -c", "-t -- -c"},
	} {
		got := strings.Join(withoutContinuous(strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("withoutContinuous(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScanModes(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want modes
	}{
		{"-an", modes{}},
		{"-rn", modes{route: true}},
		{"-ie", modes{iface: true}},
		{"--stat -t", modes{stats: true}},
		{"-aeop", modes{timers: true}},
		{"--timers", modes{timers: true}},
		{"-Asr -n", modes{}},
		{"-- -r", modes{}},
		{"-M -n", modes{masq: true}},
	} {
		if got := scanModes(strings.Fields(tt.in)); got != tt.want {
			t.Errorf("scanModes(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestBlocks(t *testing.T) {
	sock := "T\nh\nr1\nT\nh\nr1\nT\nh\n"
	if d := cmp.Diff([]string{"T\nh\nr1\n", "T\nh\nr1\n", "T\nh\n"}, blocks(sock, blockMarker(sock, sock))); d != "" {
		t.Errorf("socket blocks (-want +got):\n%s", d)
	}
	iface := "Kernel Interface table\nIface MTU\nlo\nIface MTU\nlo\n"
	if d := cmp.Diff([]string{"Kernel Interface table\nIface MTU\nlo\n", "Iface MTU\nlo\n"}, blocks(iface, blockMarker(iface, iface))); d != "" {
		t.Errorf("-i blocks (-want +got):\n%s", d)
	}
	for _, tt := range []struct {
		oracle, ours string
		w, g         int
	}{
		{sock, "", 3, 1},
		{"T\nh\nr1\n", sock, 1, 3}, // the oracle managed one iteration only
		{"Kernel Interface table\nIface MTU\nlo\n", iface, 1, 2}, // -i: title once
		{"", "", 1, 1},
	} {
		if w, g := blockCounts(tt.oracle, tt.ours); w != tt.w || g != tt.g {
			t.Errorf("blockCounts(%q, %q) = %d, %d; want %d, %d", tt.oracle, tt.ours, w, g, tt.w, tt.g)
		}
	}
}

func TestTimerMask(t *testing.T) {
	c := tc{args: []string{"-ano"}}
	in := "a on (0.76/1/0)\nb off (0.00/0/0)\nc keepalive (7198.62/0/0)\nd probe (0.14/0/1)\ne on1 (1.00/0/0)\n"
	want := "a on (T/1/0)\nb off (0.00/0/0)\nc keepalive (T/0/0)\nd probe (T/0/1)\ne on1 (T/0/0)\n"
	if got := c.normalize(outcome{stdout: in}, "/x").stdout; got != want {
		t.Errorf("normalize:\n%s\nwant:\n%s", got, want)
	}
	if got := (tc{args: []string{"-an"}}).normalize(outcome{stdout: in}, "/x").stdout; got != in {
		t.Errorf("timers masked without -o:\n%s", got)
	}
}
