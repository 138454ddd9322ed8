package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/netstat"
)

func TestSplitExtensions(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantRest []string
		wantExt  Extensions
		wantErr  string
	}{
		{"no extensions", []string{"netstat", "-tulpn", "--num"}, []string{"netstat", "-tulpn", "--num"}, Extensions{}, ""},
		{"json and count", []string{"netstat", "-tn", "--json", "--count=state,raddr", "--top", "5"},
			[]string{"netstat", "-tn"}, Extensions{Format: "json", Count: []string{"state", "raddr"}, Top: 5}, ""},
		{"filter with space", []string{"netstat", "--filter", "sport = :80 and state established", "-t"},
			[]string{"netstat", "-t"}, Extensions{Filter: "sport = :80 and state established"}, ""},
		{"subcommand", []string{"netstat", "states", "-n"}, []string{"netstat", "-n"}, Extensions{Subcommand: "states"}, ""},
		{"states to explain", []string{"netstat", "states", "close-wait", "-4", "SYN_RECV", "-A", "inet"},
			[]string{"netstat", "-4", "-A", "inet"}, Extensions{Subcommand: "states", Explain: analysis.Bit(netstat.CloseWait) | analysis.Bit(netstat.SynRecv)}, ""},
		{"unknown state to explain", []string{"netstat", "states", "closed-wait"}, nil, Extensions{},
			"netstat: states: unknown state 'closed-wait' (want a TCP state such as established, time-wait, LISTEN or SYN_RCVD, or all, connected, synchronized, bucket, big)\n"},
		{"help subcommand", []string{"netstat", "help"}, []string{"netstat"}, Extensions{Subcommand: "help"}, ""},
		{"subcommand only first", []string{"netstat", "-n", "states"}, []string{"netstat", "-n", "states"}, Extensions{}, ""},
		{"prefixes stay net-tools'", []string{"netstat", "--form=json", "--stat"}, []string{"netstat", "--form=json", "--stat"}, Extensions{}, ""},
		{"after --", []string{"netstat", "--", "--json"}, []string{"netstat", "--", "--json"}, Extensions{}, ""},
		{"-A keeps its value", []string{"netstat", "-A", "--json"}, []string{"netstat", "-A", "--json"}, Extensions{}, ""},
		{"--protocol keeps its value", []string{"netstat", "--prot", "--json"}, []string{"netstat", "--prot", "--json"}, Extensions{}, ""},
		{"bad format", []string{"netstat", "--format=xml"}, nil, Extensions{}, "netstat: unknown format 'xml' in --format (want text, json or csv)\n"},
		{"bad top", []string{"netstat", "--top=0"}, nil, Extensions{}, "netstat: invalid number '0' in --top (want a positive integer)\n"},
		{"missing value", []string{"netstat", "--count"}, nil, Extensions{}, "netstat: option '--count' requires an argument\n"},
		{"json takes no value", []string{"netstat", "--json=1"}, nil, Extensions{}, "netstat: option '--json' doesn't allow an argument\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, ext, act := splitExtensions(tt.args)
			if tt.wantErr != "" {
				if act == nil || act.Stderr != tt.wantErr || act.Exit != 3 {
					t.Fatalf("act = %+v, want stderr %q exit 3", act, tt.wantErr)
				}
				return
			}
			if act != nil {
				t.Fatalf("unexpected action %+v", act)
			}
			if diff := cmp.Diff(tt.wantRest, rest); diff != "" {
				t.Errorf("rest (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantExt, ext); diff != "" {
				t.Errorf("extensions (-want +got):\n%s", diff)
			}
		})
	}
}
