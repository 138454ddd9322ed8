package cli

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// uniqC is the tail of the classic recipes: count equal lines, largest count first.
const uniqC = " | sort | uniq -c | sort -rn"

// TestCounts compares --count over the fixture tree with the classic pipelines over
// net-tools' output for the same files.
func TestCounts(t *testing.T) {
	tests := []struct {
		args    []string
		capture string
		script  string
	}{
		// Connections per state.
		{[]string{"-tan", "--count=state"}, "02", `awk '/^tcp/ {print $6}'` + uniqC},
		{[]string{"-4", "-tn", "--count=state"}, "09", `awk '/^tcp/ {print $NF}'` + uniqC},
		// Remote addresses, overall, top N, for one local port.
		{[]string{"-4", "-tn", "--count=raddr"}, "09", `awk '/^tcp/ {print $5}' | cut -d: -f1` + uniqC},
		{[]string{"-4", "-tn", "--count=raddr", "--top=1"}, "09", `awk '/^tcp/ {print $5}' | cut -d: -f1` + uniqC + " | head -1"},
		{[]string{"-4", "-tn", "--filter", "sport = :8080", "--count=raddr"}, "09",
			`awk '/^tcp/ && $4 ~ /:8080$/ {print $5}' | cut -d: -f1` + uniqC},
		// Peers per state (TIME_WAIT, SYN_RECV).
		{[]string{"-tan", "--state=established", "--count=raddr,rport"}, "02",
			`awk '/^tcp/ && $6 == "ESTABLISHED" {print $5}' | sed 's/:\([^:]*\)$/ \1/'` + uniqC},
		{[]string{"-tan", "--state=syn-recv", "--count=raddr"}, "02",
			`awk '/^tcp/ && $6 == "SYN_RECV" {print $5}' | cut -d: -f1` + uniqC},
		// Names, as netstat shows them without -n (and without truncation: -W).
		{[]string{"-taW", "--count=raddr,rport"}, "15", `awk '/^tcp/ {print $5}' | sed 's/:\([^:]*\)$/ \1/'` + uniqC},
		{[]string{"-taW", "--count=laddr"}, "15", `awk '/^tcp/ {print $4}' | sed 's/:[^:]*$//'` + uniqC},
		{[]string{"-ta", "--numeric-hosts", "--count=lport"}, "16", `awk '/^tcp/ {print $4}' | awk -F: '{print $NF}'` + uniqC},
		// IPv6 numeric hosts and UDP.
		{[]string{"-uan", "--count=laddr"}, "02", `awk '$1 == "udp" || $1 == "udp6" {print $4}' | sed 's/:[^:]*$//'` + uniqC},
		// Several keys; users.
		{[]string{"-tan", "--count=proto,state"}, "02", `awk '/^tcp/ {print $1, $6}'` + uniqC},
		{[]string{"-tanee", "--count=user"}, "07", `awk '/^tcp/ {print $(NF-1)}'` + uniqC},
		{[]string{"-tan", "--count=state,lport", "--top=3"}, "02", `awk '/^tcp/ {n = split($4, a, ":"); print $6, a[n]}'` + uniqC + " | head -3"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			want := pipeline(t, tt.capture, tt.script)
			got, stderr, exit := runFixture(t, tt.args...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if stderr != "" || exit != 0 {
				t.Errorf("stderr %q, exit %d", stderr, exit)
			}
		})
	}
}

// TestCountPrograms checks the program and pid keys against the fixture's process
// table: nginx (PID 100) holds two sockets, sshd (PID 7) one, the rest have no owner.
func TestCountPrograms(t *testing.T) {
	got, stderr, exit := runFixture(t, "-tan", "--count=program,pid")
	want := "     20 - -\n      2 nginx 100\n      1 sshd 7\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	if stderr != "" || exit != 0 {
		t.Errorf("stderr %q, exit %d", stderr, exit)
	}
	got, _, _ = runFixture(t, "-tan", "--filter", "sport = :8080", "--count=program")
	if want := "      2 nginx\n      1 -\n"; got != want {
		t.Errorf("program owning :8080: got %q, want %q", got, want)
	}
}
