package agg

import (
	"bytes"
	"hash/maphash"
)

// keyIndex numbers distinct byte-string keys 0, 1, 2, ... in the order they are first
// seen. Looking up a known key does not allocate, and it touches little memory: an
// open-addressing table of 8-byte slots (a 32-bit hash tag and the key's number), and
// the key's bytes, which are stored back to back in one arena. A Go map of strings
// also reads a separate string header and a separately allocated key; with thousands
// of clients and paths per worker, those cache misses were most of a lookup's cost.
type keyIndex struct {
	seed  maphash.Seed
	slots []uint64 // tag<<32 | number+1; 0 is empty
	arena []byte
	ends  []int // key i is arena[ends[i-1]:ends[i]] (ends[-1] being 0)
}

const minSlots = 64

func newKeyIndex() keyIndex {
	return keyIndex{seed: maphash.MakeSeed(), slots: make([]uint64, minSlots)}
}

// Len returns the number of keys.
func (x *keyIndex) Len() int { return len(x.ends) }

// key returns the bytes of key i; they stay valid until the next insert.
func (x *keyIndex) key(i int) []byte {
	start := 0
	if i > 0 {
		start = x.ends[i-1]
	}
	return x.arena[start:x.ends[i]:x.ends[i]]
}

func tagOf(h uint64) uint64 { return h>>32 | 1 } // never 0

// find returns the number of key, or -1 and the empty slot where it belongs.
func (x *keyIndex) find(key []byte, h uint64) (int, int) {
	mask := uint64(len(x.slots) - 1)
	tag := tagOf(h)
	for p := h & mask; ; p = (p + 1) & mask {
		s := x.slots[p]
		if s == 0 {
			return -1, int(p)
		}
		if s>>32 == tag {
			if i := int(uint32(s)) - 1; bytes.Equal(x.key(i), key) {
				return i, int(p)
			}
		}
	}
}

// index returns the number of key, adding it when it is new.
func (x *keyIndex) index(key []byte) (i int, added bool) {
	h := maphash.Bytes(x.seed, key)
	i, p := x.find(key, h)
	if i >= 0 {
		return i, false
	}
	i = len(x.ends)
	x.arena = append(x.arena, key...)
	x.ends = append(x.ends, len(x.arena))
	x.slots[p] = tagOf(h)<<32 | uint64(i+1)
	if 2*len(x.ends) > len(x.slots) {
		x.grow()
	}
	return i, true
}

// lookup returns the number of key, or -1.
func (x *keyIndex) lookup(key []byte) int {
	i, _ := x.find(key, maphash.Bytes(x.seed, key))
	return i
}

func (x *keyIndex) grow() {
	x.slots = make([]uint64, 2*len(x.slots))
	mask := uint64(len(x.slots) - 1)
	for i := range x.ends {
		h := maphash.Bytes(x.seed, x.key(i))
		p := h & mask
		for x.slots[p] != 0 {
			p = (p + 1) & mask
		}
		x.slots[p] = tagOf(h)<<32 | uint64(i+1)
	}
}
