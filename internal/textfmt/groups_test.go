package textfmt

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/netstat"
)

// TestGroupsGolden renders the F5 memberships and compares them with net-tools' -g
// output captured in that namespace.
func TestGroupsGolden(t *testing.T) {
	names := newCaptureNames(t)
	for _, tc := range []struct {
		cmd     string
		numeric bool
	}{{"-g", false}, {"-gn", true}, {"-g -N", false}, {"-g --numeric-hosts", true}} {
		t.Run(tc.cmd, func(t *testing.T) {
			b := []byte(GroupsHeader)
			var dec procnet.GroupDecoder
			for _, file := range []string{"F5/net/igmp", "F5/net/igmp6"} {
				err := dec.Scan(openFixture(t, file), func(w string) { t.Errorf("warning: %s", w) }, func(m *netstat.Membership) error {
					b = AppendGroupRow(b, m, tc.numeric, names)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(capturedOutput(t, "testdata/F5.txtar", tc.cmd), string(b)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
