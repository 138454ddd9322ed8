// Package agg holds the aggregates of the web-log reports: counters keyed by byte
// strings that do not allocate on hits, bounded top-N line sets, response-time
// histograms and the per-minute timeline. One Set per worker; Sets merge.
package agg

import (
	"bytes"
	"sort"

	"github.com/netstat-go/netstat/internal/weblog/awkcompat"
)

// Counter sums values per key. Lookups of an existing key do not allocate.
type Counter struct {
	keys keyIndex
	vals []uint64
}

// NewCounter returns an empty counter.
func NewCounter() *Counter { return &Counter{keys: newKeyIndex()} }

// Add adds v to key's sum.
func (c *Counter) Add(key []byte, v uint64) {
	i, added := c.keys.index(key)
	if added {
		c.vals = append(reserve(c.vals, 1), v)
		return
	}
	c.vals[i] += v
}

// AddString adds v to key's sum.
func (c *Counter) AddString(key string, v uint64) { c.Add([]byte(key), v) }

// Merge adds o's sums into c.
func (c *Counter) Merge(o *Counter) {
	for i, v := range o.vals {
		c.Add(o.keys.key(i), v)
	}
}

// Len returns the number of keys.
func (c *Counter) Len() int { return len(c.vals) }

// Get returns key's sum.
func (c *Counter) Get(key string) uint64 {
	if i := c.keys.lookup([]byte(key)); i >= 0 {
		return c.vals[i]
	}
	return 0
}

// Entry is one key and its sum.
type Entry struct {
	Key   string
	Count uint64
}

// Entries returns every key with its sum, in no particular order.
func (c *Counter) Entries() []Entry {
	out := make([]Entry, len(c.vals))
	for i, v := range c.vals {
		out[i] = Entry{string(c.keys.key(i)), v}
	}
	return out
}

// ByUniqCount returns the n first entries (0: all) in the order of `sort | uniq -c |
// sort -nr` under LC_ALL=C: larger counts first; equal counts by key in descending
// byte order (sort's last-resort comparison of the whole line, reversed).
func (c *Counter) ByUniqCount(n int) []Entry {
	return c.first(n, func(i, j int) bool {
		if c.vals[i] != c.vals[j] {
			return c.vals[i] > c.vals[j]
		}
		return bytes.Compare(c.keys.key(i), c.keys.key(j)) > 0
	})
}

// BySum returns the n first entries (0: all) by larger sum, then ascending key.
func (c *Counter) BySum(n int) []Entry {
	return c.first(n, func(i, j int) bool {
		if c.vals[i] != c.vals[j] {
			return c.vals[i] > c.vals[j]
		}
		return bytes.Compare(c.keys.key(i), c.keys.key(j)) < 0
	})
}

// first returns the n entries (0: all) that come first in the order before, in that
// order. With n below the number of keys it keeps the n best in a heap, one pass,
// and makes strings of those n keys only: a report wants the first 20 of thousands
// of paths and clients, and sorting them all was half of its serial work.
func (c *Counter) first(n int, before func(i, j int) bool) []Entry {
	var idx []int
	if n <= 0 || n >= len(c.vals) {
		idx = make([]int, len(c.vals))
		for i := range idx {
			idx[i] = i
		}
	} else {
		// A heap whose root is the kept entry that comes last.
		idx = make([]int, 0, n)
		after := func(a, b int) bool { return before(idx[b], idx[a]) }
		down := func(k int) {
			for {
				l := 2*k + 1
				if l >= len(idx) {
					return
				}
				if r := l + 1; r < len(idx) && after(r, l) {
					l = r
				}
				if !after(l, k) {
					return
				}
				idx[k], idx[l] = idx[l], idx[k]
				k = l
			}
		}
		for i := range c.vals {
			if len(idx) < n {
				idx = append(idx, i)
				for k := len(idx) - 1; k > 0 && after(k, (k-1)/2); k = (k - 1) / 2 {
					idx[k], idx[(k-1)/2] = idx[(k-1)/2], idx[k]
				}
				continue
			}
			if before(i, idx[0]) {
				idx[0] = i
				down(0)
			}
		}
	}
	sort.Slice(idx, func(a, b int) bool { return before(idx[a], idx[b]) })
	out := make([]Entry, len(idx))
	for k, i := range idx {
		out[k] = Entry{string(c.keys.key(i)), c.vals[i]}
	}
	return out
}

// SortByKey sorts entries in ascending byte order of their keys (LC_ALL=C sort).
func SortByKey(e []Entry) []Entry {
	sort.Slice(e, func(i, j int) bool { return e[i].Key < e[j].Key })
	return e
}

// TopLines keeps the n greatest lines in `sort -nr` order (n 0: all of them).
type TopLines struct {
	n     int
	lines [][]byte
	floor []byte // the smallest line kept once the set is full
	// floorNum is floor's number.
	floorNum awkcompat.SortNum
}

// NewTopLines returns an empty set keeping n lines (0: all).
func NewTopLines(n int) *TopLines { return &TopLines{n: n} }

// Below reports whether every line that starts with the field first (a number, or
// what sort -n reads as zero, followed by a blank) sorts below the n lines kept, so
// that Offer would drop it: callers skip building such lines.
func (t *TopLines) Below(first []byte) bool {
	if t.n == 0 || t.floor == nil || len(first) == 0 || first[0] == ' ' || first[0] == '\t' {
		return false
	}
	// sort -n reads the number of a line "first ..." from first alone: it stops at
	// the blank after it.
	return awkcompat.CompareLeading(first, t.floorNum) < 0
}

// Offer considers line; it is copied only when it may be among the n greatest.
func (t *TopLines) Offer(line []byte) {
	if t.n > 0 && t.floor != nil && awkcompat.SortNCompare(line, t.floor) <= 0 {
		return
	}
	t.lines = append(t.lines, append([]byte(nil), line...))
	if t.n > 0 && len(t.lines) >= 2*t.n+64 {
		t.trim()
	}
}

func (t *TopLines) trim() {
	sort.Slice(t.lines, func(i, j int) bool { return awkcompat.SortNCompare(t.lines[i], t.lines[j]) > 0 })
	if t.n > 0 && len(t.lines) > t.n {
		clear(t.lines[t.n:])
		t.lines = t.lines[:t.n]
		t.floor = t.lines[len(t.lines)-1]
		t.floorNum = awkcompat.ParseSortNum(t.floor)
	}
}

// Merge adds o's lines.
func (t *TopLines) Merge(o *TopLines) {
	for _, l := range o.lines {
		t.Offer(l)
	}
}

// Lines returns the kept lines, greatest first, as sort -nr | head -n prints them.
func (t *TopLines) Lines() []string {
	t.trim()
	out := make([]string, len(t.lines))
	for i, l := range t.lines {
		out[i] = string(l)
	}
	return out
}
