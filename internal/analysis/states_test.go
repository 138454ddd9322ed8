package analysis

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseState(t *testing.T) {
	tests := []struct {
		name string
		want []string // ss spelling of the states; nil: not a state name
	}{
		// ss's names (ss.c sstate_namel and scan_state).
		{"established", []string{"established"}},
		{"syn-sent", []string{"syn-sent"}},
		{"syn-recv", []string{"syn-recv"}},
		{"syn-rcv", []string{"syn-recv"}},
		{"fin-wait-1", []string{"fin-wait-1"}},
		{"fin-wait-2", []string{"fin-wait-2"}},
		{"time-wait", []string{"time-wait"}},
		{"closed", []string{"closed"}},
		{"close", []string{"closed"}},
		{"unconnected", []string{"closed"}},
		{"close-wait", []string{"close-wait"}},
		{"last-ack", []string{"last-ack"}},
		{"listening", []string{"listening"}},
		{"closing", []string{"closing"}},
		{"bucket", []string{"syn-recv", "time-wait"}},
		{"big", []string{"established", "syn-sent", "fin-wait-1", "fin-wait-2", "closed", "close-wait", "last-ack", "listening", "closing"}},
		{"connected", []string{"established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait", "close-wait", "last-ack", "closing"}},
		{"synchronized", []string{"established", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait", "close-wait", "last-ack", "closing"}},
		{"all", []string{"established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait", "closed", "close-wait", "last-ack", "listening", "closing"}},
		// netstat's names, in any case.
		{"ESTABLISHED", []string{"established"}},
		{"SYN_RECV", []string{"syn-recv"}},
		{"FIN_WAIT1", []string{"fin-wait-1"}},
		{"FIN_WAIT2", []string{"fin-wait-2"}},
		{"TIME_WAIT", []string{"time-wait"}},
		{"time_wait", []string{"time-wait"}},
		{"CLOSE_WAIT", []string{"close-wait"}},
		{"LAST_ACK", []string{"last-ack"}},
		{"LISTEN", []string{"listening"}},
		{"listen", []string{"listening"}},
		{"Time-Wait", []string{"time-wait"}},
		{"CLOSING", []string{"closing"}},
		// As ss prints them, and RFC 9293, the BSDs and Windows.
		{"ESTAB", []string{"established"}},
		{"SYN-RECV", []string{"syn-recv"}},
		{"UNCONN", []string{"closed"}},
		{"CLOSED", []string{"closed"}},
		{"SYN-RECEIVED", []string{"syn-recv"}},
		{"SYN_RECEIVED", []string{"syn-recv"}},
		{"SYN_RCVD", []string{"syn-recv"}},
		{"FIN_WAIT_1", []string{"fin-wait-1"}},
		{"FIN-WAIT-2", []string{"fin-wait-2"}},
		{"LISTENING", []string{"listening"}},
		// Not states.
		{"", nil},
		{"unknown", nil},
		{"new-syn-recv", nil},
		{"fin-wait", nil},
		{"established,listen", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if IsUnknownState(tt.name) != strings.EqualFold(tt.name, "unknown") {
				t.Errorf("IsUnknownState(%q) = %v", tt.name, !strings.EqualFold(tt.name, "unknown"))
			}
			set, ok := ParseState(tt.name)
			if ok != (tt.want != nil) {
				t.Fatalf("ParseState(%q) ok = %v", tt.name, ok)
			}
			if diff := cmp.Diff(tt.want, set.Names()); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStates(t *testing.T) {
	set, err := ParseStates([]string{"time-wait", "SYN_RECV", "established"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"established", "syn-recv", "time-wait"}, set.Names()); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	_, err = ParseStates([]string{"established", "estab", "delete_tcb"})
	var se *StateError
	if !errors.As(err, &se) || se.Name != "delete_tcb" {
		t.Fatalf("err = %v, want a StateError for delete_tcb", err)
	}
	want := "unknown state 'delete_tcb' (want a TCP state such as established, time-wait, LISTEN or SYN_RCVD, or all, connected, synchronized, bucket, big)"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err.Error(), want)
	}
}
