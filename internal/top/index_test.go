package top

import (
	"net/netip"
	"testing"

	"github.com/netstat-go/netstat/netstat"
)

func TestKeyIndexChecksTheKey(t *testing.T) {
	v4 := tcp("10.0.0.1:22", "10.0.0.9:50122", netstat.Established, 1)
	mapped := v4
	mapped.Local = netip.AddrPortFrom(netip.AddrFrom16(v4.Local.Addr().As16()), 22)
	mapped.Remote = netip.AddrPortFrom(netip.AddrFrom16(v4.Remote.Addr().As16()), 50122)
	if keyHash(v4.Key()) != keyHash(mapped.Key()) {
		t.Fatal("test premise: an IPv4 key and its IPv4-mapped twin hash alike")
	}
	rows := []row{{sock: &v4}}
	x := keyIndex{keyHash(v4.Key()): 0}
	if j, ok := x.find(rows, v4.Key()); !ok || j != 0 {
		t.Errorf("find(v4) = %d, %v", j, ok)
	}
	if _, ok := x.find(rows, mapped.Key()); ok {
		t.Error("a key with the same hash but other endpoints was found")
	}
	other := tcp("10.0.0.1:22", "10.0.0.9:50123", netstat.Established, 1)
	if _, ok := x.find(rows, other.Key()); ok {
		t.Error("an absent key was found")
	}
	// Distinct keys of a population get distinct hashes.
	seen := map[uint64]netstat.SocketKey{}
	for _, s := range synthetic(50_000, t0, 1).Inet {
		k := s.Key()
		if prev, dup := seen[keyHash(k)]; dup && prev != k {
			t.Fatalf("hash collision between %v and %v", prev, k)
		}
		seen[keyHash(k)] = k
	}
}
