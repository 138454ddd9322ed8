package agg

import "math"

// Buckets: 16 per power of two (at most 6.25% wide) from 2^-20 s (about 1 µs) to
// 2^20 s; the first and last are open-ended.
const (
	histSub     = 16
	histMinExp  = -20
	histMaxExp  = 20
	histBuckets = (histMaxExp - histMinExp) * histSub
)

// Hist is a response-time histogram with at most 6.25% relative resolution. Its
// counts cover only the range of buckets seen so far (16 per power of two), at first
// 2^-11 s to 2^3 s (or around the first value, when it is outside), then grown on
// the side a value falls outside, at least doubling the range: a histogram holds 448
// bytes, and at most 2.5 KiB (5 KiB wide).
//
// The counts are 16 bits until one of them passes 65535, and then 32 bits (two
// halves, "wide"): on this VM a page of memory costs about 11 µs the first time it
// is touched, so the histograms of thousands of paths, most of a report's heap, cost
// a few per cent of its CPU time per megabyte.
//
// Add notes the buckets of the last few values in the histogram itself and counts
// them in a batch: the counts of thousands of paths do not stay in the cache, and the
// misses of a batch overlap where one per request would wait in turn.
type Hist struct {
	// micros sums the values in whole microseconds: integers add up to the same sum
	// in any order, so the mean does not depend on which worker read which line.
	micros int64
	Max    float64
	counts []uint16 // buckets lo, lo+1, ...: one element each, or two once wide
	lo     int16    // bucket number of counts[0]
	npend  uint8
	wide   bool      // counts holds low and high halves of 32-bit counts
	pend   [4]uint16 // buckets not yet counted
	// under counts bucket 0 (zero, and anything under 2^-20 s) apart, so that a
	// "0.000" does not stretch counts down twenty powers of two.
	under uint32
}

// bucketOf reads the bucket from the float's exponent and top mantissa bits.
func bucketOf(sec float64) int {
	if !(sec > 0) {
		return 0
	}
	bits := math.Float64bits(sec)
	exp := int(bits>>52&0x7ff) - 1023
	b := (exp-histMinExp)*histSub + int(bits>>(52-4)&(histSub-1))
	return max(0, min(b, histBuckets-1))
}

// upper is the upper edge of bucket b.
func upper(b int) float64 {
	exp := b/histSub + histMinExp
	return math.Ldexp(1+float64(b%histSub+1)/histSub, exp)
}

// Add records one response time in seconds.
func (h *Hist) Add(sec float64) {
	h.micros += toMicros(sec)
	if sec > h.Max {
		h.Max = sec
	}
	h.pend[h.npend] = uint16(bucketOf(sec))
	if h.npend++; int(h.npend) == len(h.pend) {
		h.flush()
	}
}

// flush counts the pending buckets.
func (h *Hist) flush() {
	for _, b := range h.pend[:h.npend] {
		h.addBucket(int(b), 1)
	}
	h.npend = 0
}

// maxMicros bounds one value's microseconds, so that a sum of 2^20 of them fits.
const maxMicros = 1 << 43

// toMicros rounds sec to whole microseconds, within ±maxMicros (about 100 days).
func toMicros(sec float64) int64 {
	us := math.Round(sec * 1e6)
	switch {
	case us > maxMicros:
		return maxMicros
	case us < -maxMicros:
		return -maxMicros
	case us != us: // NaN
		return 0
	}
	return int64(us)
}

// Mean returns the mean of the values recorded, to the microsecond.
func (h *Hist) Mean() float64 {
	n := h.N()
	if n == 0 {
		return 0
	}
	return float64(h.micros) / 1e6 / float64(n)
}

// N returns the number of values recorded.
func (h *Hist) N() uint64 {
	n := uint64(h.npend) + uint64(h.under)
	for i := range h.buckets() {
		n += uint64(h.count(i))
	}
	return n
}

// buckets returns the number of buckets counts covers.
func (h *Hist) buckets() int {
	if h.wide {
		return len(h.counts) / 2
	}
	return len(h.counts)
}

// count returns the count of bucket lo+i.
func (h *Hist) count(i int) uint32 {
	if h.wide {
		return uint32(h.counts[2*i]) | uint32(h.counts[2*i+1])<<16
	}
	return uint32(h.counts[i])
}

func (h *Hist) addBucket(b int, n uint32) {
	if b == 0 {
		h.under += n
		return
	}
	i := b - int(h.lo)
	if uint(i) >= uint(h.buckets()) {
		h.grow(b)
		i = b - int(h.lo)
	}
	if !h.wide {
		if v := uint32(h.counts[i]) + n; v <= math.MaxUint16 {
			h.counts[i] = uint16(v)
			return
		}
		h.widen()
	}
	v := h.count(i) + n
	h.counts[2*i], h.counts[2*i+1] = uint16(v), uint16(v>>16)
}

// widen makes the counts 32 bits.
func (h *Hist) widen() {
	c := make([]uint16, 2*len(h.counts))
	for i, v := range h.counts {
		c[2*i] = v
	}
	h.counts, h.wide = c, true
}

// grow widens counts to hold bucket b, to whole powers of two: 2^-11 to 2^3 s at
// first (or from one below b's to two above, when b is outside), then, on the side it
// grows, at least as many more as it covers, so that a path's histogram is
// reallocated once or twice at most. (Growing by one power of two at a time, the
// histograms of 3,000 paths whose times spread over ten powers of two cost 8% of a
// report's CPU in copies.)
func (h *Hist) grow(b int) {
	const (
		octaves = histBuckets / histSub
		firstLo = -11 - histMinExp // octave of 2^-11 s (0.5 ms)
		firstHi = 3 - histMinExp   // octave of 2^3 s, excluded
	)
	o := b / histSub
	lo, hi := min(o-1, firstLo), max(o+2, firstHi)
	if n := h.buckets(); n > 0 {
		clo, chi := int(h.lo)/histSub, (int(h.lo)+n)/histSub
		lo, hi = clo, chi
		if o < clo {
			lo = min(o-1, clo-(chi-clo))
		}
		if o >= chi {
			hi = max(o+2, chi+(chi-clo))
		}
	}
	lo, hi = max(lo, 0)*histSub, min(hi, octaves)*histSub
	per := 1
	if h.wide {
		per = 2
	}
	c := make([]uint16, (hi-lo)*per)
	if len(h.counts) > 0 {
		copy(c[(int(h.lo)-lo)*per:], h.counts)
	}
	h.counts, h.lo = c, int16(lo)
}

// Merge adds o into h.
func (h *Hist) Merge(o *Hist) {
	h.micros += o.micros
	if o.Max > h.Max {
		h.Max = o.Max
	}
	for i := range o.buckets() {
		if v := o.count(i); v != 0 {
			h.addBucket(int(o.lo)+i, v)
		}
	}
	for _, b := range o.pend[:o.npend] {
		h.addBucket(int(b), 1)
	}
	h.under += o.under
}

// Quantile returns the q-quantile (0 < q <= 1): the upper edge of the bucket holding
// it, capped at the largest value seen, so within 6.25% above the true value.
func (h *Hist) Quantile(q float64) float64 {
	h.flush()
	n := h.N()
	if n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank == 0 {
		rank = 1
	}
	seen := uint64(h.under)
	if seen >= rank {
		return math.Min(upper(0), h.Max)
	}
	for i := range h.buckets() {
		seen += uint64(h.count(i))
		if seen >= rank {
			return math.Min(upper(int(h.lo)+i), h.Max)
		}
	}
	return h.Max
}
