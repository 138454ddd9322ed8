package agg

import (
	"bytes"
	"encoding/binary"
)

// verdicts caches a yes/no answer per distinct key (a User-Agent is a crawler's, a
// path matches --match): a direct-mapped front of 4,096 recent keys, found by a hash of
// a few of their bytes, over a key table bounded at cacheLimit keys. Keys beyond the
// bound are answered by f each time they are asked.
type verdicts struct {
	f     func(string) bool
	front [1 << frontBits]int32 // a key's number + 1; 0 is empty
	keys  keyIndex
	yes   []bool // by key number
}

const frontBits = 12

func newVerdicts(f func(string) bool) *verdicts {
	return &verdicts{f: f, keys: newKeyIndex()}
}

// slot picks key's front entry from its length and (for keys of 16 bytes or more)
// its middle and last eight bytes.
func slot(key []byte) uint32 {
	x := uint64(len(key))
	if n := len(key); n >= 16 {
		x ^= binary.LittleEndian.Uint64(key[n/2-8:]) ^ binary.LittleEndian.Uint64(key[n-8:])<<1
	} else {
		for _, c := range key {
			x = x*31 + uint64(c)
		}
	}
	return uint32((x * 0x9E3779B97F4A7C15) >> (64 - frontBits))
}

// get returns the verdict on key.
func (v *verdicts) get(key []byte) bool {
	e := &v.front[slot(key)]
	if i := int(*e) - 1; i >= 0 && bytes.Equal(v.keys.key(i), key) {
		return v.yes[i]
	}
	i := v.keys.lookup(key)
	if i < 0 {
		yes := v.f(string(key))
		if v.keys.Len() >= cacheLimit {
			return yes
		}
		i, _ = v.keys.index(key)
		v.yes = append(v.yes, yes)
	}
	*e = int32(i + 1)
	return v.yes[i]
}
