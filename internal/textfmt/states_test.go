package textfmt

import (
	"github.com/netstat-go/netstat/internal/analysis"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func TestStatesGuide(t *testing.T) {
	for i, line := range strings.Split(StatesGuide, "\n") {
		if len(line) > 79 {
			t.Errorf("line %d is %d bytes: %q", i+1, len(line), line)
		}
		for _, c := range []byte(line) {
			if c < 0x20 || c > 0x7e {
				t.Errorf("line %d has byte %#x", i+1, c)
			}
		}
	}
	if !strings.HasSuffix(StatesGuide, "\n") || strings.HasSuffix(StatesGuide, "\n\n") {
		t.Error("the guide must end in exactly one newline")
	}
	// Every state netstat prints is explained, at the start of a line, in kernel order.
	last := -1
	for i := range len(analysis.StateCounts{}) {
		name := analysis.StateCountName(i)
		at := strings.Index(StatesGuide, "\n"+name+" ")
		if at < 0 {
			t.Errorf("%s is not explained", name)
			continue
		}
		if at < last {
			t.Errorf("%s is out of order", name)
		}
		last = at
	}
	for _, want := range []string{"Three-way handshake", "Four-way teardown", "Simultaneous open",
		"Simultaneous close", "2*MSL", "TCP_TIMEWAIT_LEN", "60 s", "tcp_fin_timeout"} {
		if !strings.Contains(StatesGuide, want) {
			t.Errorf("the guide does not mention %q", want)
		}
	}
}

func TestAppendStatesReport(t *testing.T) {
	c := analysis.StateCounts{0: 12, 2: 150, 9: 3}
	got := string(AppendStatesReport(nil, &c, "IPv4 and IPv6"))
	want := `TCP sockets now (IPv4 and IPv6): 165

  ESTABLISHED       12
  SYN_SENT           0
  SYN_RECV         150
  FIN_WAIT1          0
  FIN_WAIT2          0
  TIME_WAIT          0
  CLOSE              0
  CLOSE_WAIT         0
  LAST_ACK           0
  LISTEN             3
  CLOSING            0
  UNKNOWN            0

Patterns checked: SYN_RECV >= 100, CLOSE_WAIT >= 25, TIME_WAIT >= 5000.

SYN_RECV: 150 (threshold 100)
  Many half-open connections: SYNs arrive faster than handshakes complete. A
  SYN flood looks like this (often from many or spoofed sources), and so does
  a client whose final ACKs are lost. Count them per source:
    netstat -tn --state=syn-recv --count=raddr --top=10
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var none analysis.StateCounts
	if got := string(AppendStatesReport(nil, &none, "IPv4")); !strings.HasSuffix(got, "None reached.\n") {
		t.Errorf("no findings: %q", got)
	}
}

func TestAppendWrapped(t *testing.T) {
	got := string(appendWrapped([]byte("x\n"), "aa bb  cc averyveryverylongword d", "  ", 10))
	want := "x\n  aa bb cc\n  averyveryverylongword\n  d\n"
	if got != want {
		t.Errorf("appendWrapped = %q, want %q", got, want)
	}
}

func TestStateEntry(t *testing.T) {
	seen := 0
	for st := netstat.Established; st <= netstat.Closing; st++ {
		e := StateEntry(st.String())
		if !strings.HasPrefix(e, st.String()+" ") || !strings.HasSuffix(e, "\n") {
			t.Errorf("StateEntry(%s) = %q", st, e)
			continue
		}
		// One paragraph: the name's line, then indented lines only.
		lines := strings.Split(strings.TrimSuffix(e, "\n"), "\n")
		for _, l := range lines[1:] {
			if !strings.HasPrefix(l, "             ") {
				t.Errorf("StateEntry(%s) runs into %q", st, l)
			}
		}
		if !strings.Contains(StatesGuide, e) {
			t.Errorf("StateEntry(%s) is not a part of the guide", st)
		}
		seen += len(e)
	}
	if unknown := StateEntry("UNKNOWN"); !strings.HasPrefix(unknown, "UNKNOWN ") {
		t.Errorf("StateEntry(UNKNOWN) = %q", unknown)
	}
	for _, name := range []string{"", "LISTENING", "ESTABLISHE", "TCP"} {
		if e := StateEntry(name); e != "" {
			t.Errorf("StateEntry(%q) = %q, want nothing", name, e)
		}
	}
	if seen == 0 {
		t.Fatal("no entries")
	}
}
