package textfmt

import (
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
	for i := range len(StateCounts{}) {
		name := StateCountName(i)
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

func TestStateCounts(t *testing.T) {
	var c StateCounts
	for _, st := range []netstat.TCPState{0, 1, 1, 3, 6, 10, 11, 12, 13, 255} {
		c.Add(st)
	}
	want := StateCounts{2, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 4}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if c.Total() != 10 {
		t.Errorf("Total = %d, want 10", c.Total())
	}
	if StateCountName(5) != "TIME_WAIT" || StateCountName(11) != "UNKNOWN" || StateCountName(-1) != "UNKNOWN" {
		t.Error("StateCountName")
	}
}

func TestStateFindings(t *testing.T) {
	at := func(st netstat.TCPState, n uint64) StateCounts {
		var c StateCounts
		c[st-1] = n
		return c
	}
	for _, tt := range []struct {
		name string
		c    StateCounts
		want []string
	}{
		{"none", StateCounts{}, nil},
		{"syn below", at(netstat.SynRecv, SynRecvThreshold-1), nil},
		{"syn at", at(netstat.SynRecv, SynRecvThreshold), []string{"syn_flood"}},
		{"close_wait below", at(netstat.CloseWait, CloseWaitThreshold-1), nil},
		{"close_wait at", at(netstat.CloseWait, CloseWaitThreshold), []string{"close_wait"}},
		{"time_wait below", at(netstat.TimeWait, TimeWaitThreshold-1), nil},
		{"time_wait at", at(netstat.TimeWait, TimeWaitThreshold), []string{"time_wait"}},
		{"all", StateCounts{2: 1000, 5: 100000, 7: 1000}, []string{"syn_flood", "close_wait", "time_wait"}},
		{"other states", at(netstat.Established, 1000000), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range StateFindings(&tt.c) {
				got = append(got, f.Pattern)
				if f.Count < f.Threshold || f.Message == "" || !strings.HasPrefix(f.Command, "netstat ") {
					t.Errorf("finding %+v", f)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("patterns (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAppendStatesReport(t *testing.T) {
	c := StateCounts{0: 12, 2: 150, 9: 3}
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
	var none StateCounts
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
