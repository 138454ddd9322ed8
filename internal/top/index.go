package top

// slotIndex finds rows by socket key: open addressing with linear probing over the
// slots of the rows (slot+1; 0 is empty), at most half full, the key compared with
// the row's own. Four bytes per entry and no per-entry hash: at 200,000 sockets it
// is 2 MiB where a map[uint64]int32 took twice that, and it is looked up only when a
// stream strays from the previous one's order (new sockets, mostly).
type slotIndex struct {
	t []int32
	n int
}

// home is the first place of a key with hash h.
func (x *slotIndex) home(h uint64) int { return int(h>>32) & (len(x.t) - 1) }

// find returns the slot of the row with rec's key.
func (x *slotIndex) find(rows *rowStore, rec *record) (int32, bool) {
	if x.n == 0 {
		return 0, false
	}
	mask := len(x.t) - 1
	for i := x.home(rec.hash()); ; i = (i + 1) & mask {
		v := x.t[i]
		if v == 0 {
			return 0, false
		}
		if rows.at(int(v - 1)).sameKey(rec) {
			return v - 1, true
		}
	}
}

// insert adds slot s, whose row holds rec's key, unless a row with that key is
// indexed already; it reports whether it added it.
func (x *slotIndex) insert(rows *rowStore, s int32, rec *record) bool {
	if 2*(x.n+1) > len(x.t) {
		x.grow(rows)
	}
	mask := len(x.t) - 1
	for i := x.home(rec.hash()); ; i = (i + 1) & mask {
		v := x.t[i]
		if v == 0 {
			x.t[i] = s + 1
			x.n++
			return true
		}
		if rows.at(int(v - 1)).sameKey(rec) {
			return false
		}
	}
}

// remove drops slot s, whose row holds rec's key, moving back the entries after it
// that would otherwise be cut off from their home.
func (x *slotIndex) remove(rows *rowStore, s int32, rec *record) {
	if x.n == 0 {
		return
	}
	mask := len(x.t) - 1
	i := x.home(rec.hash())
	for x.t[i] != s+1 {
		if x.t[i] == 0 {
			return
		}
		i = (i + 1) & mask
	}
	x.t[i] = 0
	x.n--
	for j := (i + 1) & mask; x.t[j] != 0; j = (j + 1) & mask {
		h := x.home(rows.at(int(x.t[j] - 1)).hash())
		// The entry at j may move to the hole at i when its home is not in (i, j].
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			x.t[i], x.t[j] = x.t[j], 0
			i = j
		}
	}
}

// grow doubles the table (at least 1,024 entries).
func (x *slotIndex) grow(rows *rowStore) {
	old := x.t
	x.t = make([]int32, max(2*len(old), 1024))
	mask := len(x.t) - 1
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := x.home(rows.at(int(v - 1)).hash())
		for x.t[i] != 0 {
			i = (i + 1) & mask
		}
		x.t[i] = v
	}
}
