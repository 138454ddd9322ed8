package agg

import "encoding/binary"

// verdicts caches a yes/no answer per distinct key (a User-Agent is a crawler's, a
// path matches --match): a direct-mapped front of 256 recent keys, found by a hash of
// a few of their bytes, over a map bounded at cacheLimit keys. Keys beyond the bound
// are answered by f each time they miss the front.
type verdicts struct {
	f     func(string) bool
	front [256]verdict
	known []verdict // the keys in m, by index
	m     map[string]int32
}

type verdict struct {
	key string
	yes bool
	set bool
}

func newVerdicts(f func(string) bool) *verdicts {
	return &verdicts{f: f, m: make(map[string]int32)}
}

// slot picks key's front entry from its length and (for keys of 16 bytes or more)
// its middle and last eight bytes.
func slot(key []byte) uint8 {
	x := uint64(len(key))
	if n := len(key); n >= 16 {
		x ^= binary.LittleEndian.Uint64(key[n/2-8:]) ^ binary.LittleEndian.Uint64(key[n-8:])<<1
	} else {
		for _, c := range key {
			x = x*31 + uint64(c)
		}
	}
	return uint8((x * 0x9E3779B97F4A7C15) >> 56)
}

// get returns the verdict on key.
func (v *verdicts) get(key []byte) bool {
	e := &v.front[slot(key)]
	if e.set && e.key == string(key) {
		return e.yes
	}
	if i, ok := v.m[string(key)]; ok {
		*e = v.known[i]
		return e.yes
	}
	k := string(key)
	*e = verdict{key: k, yes: v.f(k), set: true}
	if len(v.m) < cacheLimit {
		v.m[k] = int32(len(v.known))
		v.known = append(v.known, *e)
	}
	return e.yes
}
