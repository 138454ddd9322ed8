package netstat

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCompareIfaceNames(t *testing.T) {
	sign := func(n int) int {
		switch {
		case n < 0:
			return -1
		case n > 0:
			return 1
		}
		return 0
	}
	// The cases of net-tools' own NSTRCMP_TEST list (lib/nstrcmp.c), plus the
	// tie-breaks of 2.10 (byte order after equal numbers, then the alias number).
	tests := []struct {
		a, b string
		want int
	}{
		{"eth1", "eth1", 0}, {"eth0:1", "eth0:1", 0}, {"lan", "lan", 0}, {"100", "100", 0},
		{"", "", 0}, {":", ":", 0}, {"a:b:c", "a:b:c", 0}, {"a:", "a:", 0}, {":a", ":a", 0},
		{"a", "aa", -1}, {"eth0", "eth1", -1}, {"eth1", "eth20", -1}, {"eth20", "eth100", -1},
		{"eth1", "eth13", -1}, {"eth", "eth2", -1}, {"eth0:1", "eth0:2", -1},
		{"eth1:10", "eth13:10", -1}, {"eth1:1", "eth1:13", -1}, {"a", "a:", -1},
		{"aa", "a", 1}, {"eth2", "eth1", 1}, {"eth13", "eth1", 1}, {"eth2", "eth", 1},
		{"eth2:10", "eth2:1", 1}, {"eth2:5", "eth2:4", 1}, {"eth3:2", "eth2:3", 1},
		{"eth13:1", "eth1:0", 1}, {"a:", "a", 1}, {"a1b12", "a1b2", 1},
		// 2.10 tie-breaks, as the oracle orders them.
		{"eth", "eth0", -1}, {"eth0", "eth01", -1}, {"eth01", "eth1", -1}, {"v0", "v0:1", -1},
		{"v0:1", "v1", -1}, {"v0:2", "v0:10", -1}, {"v0:02", "v0:2", 0},
		{"a2", "ab1", -1}, {"averyveryverylo", "br0", -1},
		// atoi saturates at LONG_MAX and is then cut to int: -1.
		{"eth99999999999999999999", "eth0", -1},
	}
	for _, tt := range tests {
		if got := sign(CompareIfaceNames(tt.a, tt.b)); got != tt.want {
			t.Errorf("CompareIfaceNames(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := sign(CompareIfaceNames(tt.b, tt.a)); got != -tt.want {
			t.Errorf("CompareIfaceNames(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestCompareIfaceNamesOracleOrder(t *testing.T) {
	// netstat -ia in a namespace holding these interfaces lists them in this order
	// (spec §5.1 and a capture of /usr/bin/netstat).
	for _, want := range [][]string{
		{"averyveryverylo", "br0", "ifb0", "lo", "p15", "tun0", "v0", "v0:1", "v1"},
		{"a2", "ab1", "eth", "eth0", "eth01", "eth1", "eth2", "eth10", "lo"},
	} {
		var got []string
		for i := range want {
			got = append(got, want[len(want)-1-i])
		}
		sort.SliceStable(got, func(i, j int) bool { return CompareIfaceNames(got[i], got[j]) < 0 })
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("order mismatch (-want +got):\n%s", diff)
		}
	}
}

func TestHWTypeIsSLIP(t *testing.T) {
	for typ, want := range map[HWType]bool{HWSLIP: true, HWCSLIP: true, HWSLIP6: true, HWCSLIP6: true,
		HWAdaptive: true, HWEther: false, HWPPP: false, 260: false} {
		if got := typ.IsSLIP(); got != want {
			t.Errorf("HWType(%d).IsSLIP() = %v, want %v", typ, got, want)
		}
	}
}
