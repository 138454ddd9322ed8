package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

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

func TestCountStates(t *testing.T) {
	socks := []netstat.Socket{
		{Proto: netstat.TCP, State: netstat.Established},
		{Proto: netstat.TCP, State: netstat.Listen},
		{Proto: netstat.UDP, State: netstat.Established}, // not TCP: not counted
		{Proto: netstat.TCP, State: netstat.Established},
	}
	want := StateCounts{netstat.Established - 1: 2, netstat.Listen - 1: 1}
	if diff := cmp.Diff(want, CountStates(socks)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}
