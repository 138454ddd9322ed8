package source

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIfaceListOrder(t *testing.T) {
	// Insertion order must not matter, and names comparing equal share one entry.
	names := []string{"v1", "eth10", "v0:1", "lo", "eth2", "v0", "eth", "eth0", "eth01", "eth1", "v0:2", "v0:10", "v0:02", "a2", "ab1"}
	want := []string{"a2", "ab1", "eth", "eth0", "eth01", "eth1", "eth2", "eth10", "lo", "v0", "v0:1", "v0:2", "v0:10", "v1"}
	for _, rev := range []bool{false, true} {
		var l ifaceList
		for i := range names {
			n := names[i]
			if rev {
				n = names[len(names)-1-i]
			}
			l.add(n)
		}
		var got []string
		for _, e := range l {
			got = append(got, e.name)
		}
		// "v0:02" and "v0:2" compare equal: whichever came first stays.
		if rev {
			want[11] = "v0:02"
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reversed=%v: order mismatch (-want +got):\n%s", rev, diff)
		}
	}
}

func TestIfaceListTruncatesNames(t *testing.T) {
	var l ifaceList
	e := l.add("a-name-longer-than-fifteen")
	if e.name != "a-name-longer-t" {
		t.Errorf("stored name = %q, want the first 15 bytes", e.name)
	}
}
