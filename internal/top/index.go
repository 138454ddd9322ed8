package top

import (
	"encoding/binary"

	"github.com/netstat-go/netstat/netstat"
)

// keyIndex finds rows by netstat.SocketKey. It is a map from a 64-bit hash of the key
// to the row, checked against the row's own key on every hit: a map with struct keys
// (two netip.AddrPorts) costs several times more per operation, and the diff does two
// per socket per refresh. Two keys with the same hash (odds of about n²/2⁶⁵ per
// refresh) only make one socket look new or closed for a refresh: the later row
// takes the slot.
type keyIndex map[uint64]int32

// keyHash mixes the words of a key (a multiply-xorshift, as in splitmix64).
func keyHash(k netstat.SocketKey) uint64 {
	l, r := k.Local.Addr().As16(), k.Remote.Addr().As16()
	h := uint64(k.Proto) | uint64(k.Local.Port())<<16 | uint64(k.Remote.Port())<<32
	for _, w := range [...]uint64{
		binary.LittleEndian.Uint64(l[:8]), binary.LittleEndian.Uint64(l[8:]),
		binary.LittleEndian.Uint64(r[:8]), binary.LittleEndian.Uint64(r[8:]), k.ID,
	} {
		h = (h ^ w) * 0x9e3779b97f4a7c15
		h ^= h >> 31
	}
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>29
}

// find returns the index of the row with key k.
func (x keyIndex) find(rows []row, k netstat.SocketKey) (int, bool) {
	j, ok := x[keyHash(k)]
	if !ok || rows[j].sock.Key() != k {
		return 0, false
	}
	return int(j), true
}
