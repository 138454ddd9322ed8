package agg

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
)

// keyIndex numbers distinct byte-string keys 0, 1, 2, ... in the order they are first
// seen. Looking up a known key does not allocate, and it touches little memory: an
// open-addressing table of 8-byte slots (a 32-bit hash tag and where the key is), and
// the key's record in an arena, which holds its number, its length and its bytes side
// by side. A Go map of strings reads a separate string header and a separately
// allocated key; with thousands of clients and paths per worker, those cache misses
// were most of a lookup's cost.
type keyIndex struct {
	seed  maphash.Seed
	slots []uint64 // tag<<32 | record offset/8 + 1; 0 is empty
	arena []byte   // records: number (4 bytes), length (4 bytes), key, padding to 8
	recs  []int    // record offset by number
}

const minSlots = 64

func newKeyIndex() keyIndex {
	return keyIndex{seed: maphash.MakeSeed(), slots: make([]uint64, minSlots)}
}

// Len returns the number of keys.
func (x *keyIndex) Len() int { return len(x.recs) }

// record returns the number and the bytes of the key whose record starts at off.
func (x *keyIndex) record(off int) (int, []byte) {
	r := x.arena[off:]
	n := int(binary.LittleEndian.Uint32(r[4:]))
	return int(binary.LittleEndian.Uint32(r)), r[8 : 8+n : 8+n]
}

// key returns the bytes of key i; they stay valid until the next insert.
func (x *keyIndex) key(i int) []byte {
	_, k := x.record(x.recs[i])
	return k
}

func tagOf(h uint64) uint64 { return h >> 32 }

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
			if i, k := x.record(int(uint32(s)-1) * 8); bytes.Equal(k, key) {
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
	i = len(x.recs)
	off := len(x.arena)
	var head [8]byte
	binary.LittleEndian.PutUint32(head[:], uint32(i))
	binary.LittleEndian.PutUint32(head[4:], uint32(len(key)))
	x.arena = append(append(x.arena, head[:]...), key...)
	for len(x.arena)%8 != 0 {
		x.arena = append(x.arena, 0)
	}
	x.recs = append(x.recs, off)
	x.slots[p] = slotOf(h, off)
	if 2*len(x.recs) > len(x.slots) {
		x.grow()
	}
	return i, true
}

// slotOf is the slot of a key with hash h whose record is at off (a multiple of 8:
// 32 bits of it address 32 GiB of keys).
func slotOf(h uint64, off int) uint64 { return tagOf(h)<<32 | uint64(uint32(off/8+1)) }

// lookup returns the number of key, or -1.
func (x *keyIndex) lookup(key []byte) int {
	i, _ := x.find(key, maphash.Bytes(x.seed, key))
	return i
}

func (x *keyIndex) grow() {
	x.slots = make([]uint64, 2*len(x.slots))
	mask := uint64(len(x.slots) - 1)
	for _, off := range x.recs {
		_, k := x.record(off)
		h := maphash.Bytes(x.seed, k)
		p := h & mask
		for x.slots[p] != 0 {
			p = (p + 1) & mask
		}
		x.slots[p] = slotOf(h, off)
	}
}
