package agg

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
)

// keyIndex numbers distinct byte-string keys 0, 1, 2, ... in the order they are first
// seen. Looking up a known key does not allocate, and it touches little memory: an
// open-addressing table of 32-byte slots, each holding a hash tag, the key's length
// and number, and the key's first 24 bytes; the whole keys sit in an arena. A key of
// up to 24 bytes (an IPv4 address, most paths) is found in its slot alone, one cache
// line; a longer one also reads its record in the arena. A Go map of strings reads a
// separate string header and a separately allocated key; with thousands of clients
// and paths per worker, those cache misses were most of a lookup's cost.
type keyIndex struct {
	seed  maphash.Seed
	slots []uint64 // slotWords words per slot: head (see slotHead), then the key's first 24 bytes
	arena []byte   // records: number (4 bytes), length (4 bytes), key, padding to 8
	recs  []int    // record offset by number
}

const (
	minSlots  = 64
	slotWords = 4
	inline    = (slotWords - 1) * 8 // key bytes held in a slot
)

func newKeyIndex() keyIndex {
	return keyIndex{seed: maphash.MakeSeed(), slots: make([]uint64, minSlots*slotWords)}
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

// slotHead is a slot's first word: the top 24 bits of the key's hash, its length (255
// for 255 and more) and its number + 1, so that an empty slot is 0.
func slotHead(h uint64, n, i int) uint64 {
	return h>>40<<40 | uint64(min(n, 255))<<32 | uint64(uint32(i+1))
}

// prefix returns the first 24 bytes of key as three words, zero-padded.
func prefix(key []byte) (a, b, c uint64) {
	if len(key) < inline {
		var buf [inline]byte
		copy(buf[:], key)
		key = buf[:]
	}
	return binary.LittleEndian.Uint64(key), binary.LittleEndian.Uint64(key[8:]), binary.LittleEndian.Uint64(key[16:])
}

// find returns the number of key, or -1 and the empty slot where it belongs.
func (x *keyIndex) find(key []byte, h uint64) (int, int) {
	mask := uint64(len(x.slots)/slotWords - 1)
	want := slotHead(h, len(key), 0) >> 32
	a, b, c := prefix(key)
	for p := h & mask; ; p = (p + 1) & mask {
		s := x.slots[p*slotWords : p*slotWords+slotWords : p*slotWords+slotWords]
		if s[0] == 0 {
			return -1, int(p)
		}
		if s[0]>>32 == want && s[1] == a && s[2] == b && s[3] == c {
			i := int(uint32(s[0])) - 1
			if len(key) <= inline || bytes.Equal(x.key(i)[inline:], key[inline:]) {
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
	x.arena = append(append(reserve(x.arena, 8+len(key)+7), head[:]...), key...)
	for len(x.arena)%8 != 0 {
		x.arena = append(x.arena, 0)
	}
	x.recs = append(reserve(x.recs, 1), off)
	x.put(p, h, key, i)
	if 4*len(x.recs) > 3*(len(x.slots)/slotWords) { // at most three quarters full
		x.grow()
	}
	return i, true
}

// put fills slot p with key number i, whose hash is h.
func (x *keyIndex) put(p int, h uint64, key []byte, i int) {
	s := x.slots[p*slotWords : p*slotWords+slotWords : p*slotWords+slotWords]
	s[0] = slotHead(h, len(key), i)
	s[1], s[2], s[3] = prefix(key)
}

// lookup returns the number of key, or -1.
func (x *keyIndex) lookup(key []byte) int {
	i, _ := x.find(key, maphash.Bytes(x.seed, key))
	return i
}

func (x *keyIndex) grow() {
	x.slots = make([]uint64, 2*len(x.slots))
	mask := uint64(len(x.slots)/slotWords - 1)
	for i, off := range x.recs {
		_, k := x.record(off)
		h := maphash.Bytes(x.seed, k)
		p := h & mask
		for x.slots[p*slotWords] != 0 {
			p = (p + 1) & mask
		}
		x.put(int(p), h, k, i)
	}
}
