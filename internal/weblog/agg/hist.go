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
// counts cover only the range of buckets seen so far (16 per power of two, one cache
// line), grown a few powers of two at a time: the response times of one path usually
// span a few powers of two, so a histogram holds a few hundred bytes, at most 2.5 KiB.
//
// Add notes the buckets of the last few values in the histogram itself and counts
// them in a batch: the counts of thousands of paths do not stay in the cache, and the
// misses of a batch overlap where one per request would wait in turn.
type Hist struct {
	Sum    float64
	Max    float64
	counts []uint32 // buckets lo, lo+1, ...
	lo     int16    // bucket number of counts[0]
	npend  uint8
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
	h.Sum += sec
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

// N returns the number of values recorded.
func (h *Hist) N() uint64 {
	n := uint64(h.npend) + uint64(h.under)
	for _, v := range h.counts {
		n += uint64(v)
	}
	return n
}

func (h *Hist) addBucket(b int, n uint32) {
	if b == 0 {
		h.under += n
		return
	}
	if i := b - int(h.lo); uint(i) < uint(len(h.counts)) {
		h.counts[i] += n
		return
	}
	h.grow(b)
	h.counts[b-int(h.lo)] += n
}

// grow widens counts to hold bucket b, to whole powers of two: eight at first (five
// below b's and two above), then, on the side it grows, at least as many more as it
// covers, so that a path's histogram is reallocated once or twice at most. (Growing
// by one power of two at a time, the histograms of 3,000 paths whose times spread
// over ten powers of two cost 8% of a report's CPU in copies.)
func (h *Hist) grow(b int) {
	const octaves = histBuckets / histSub
	o := b / histSub
	lo, hi := o-5, o+3
	if len(h.counts) > 0 {
		clo, chi := int(h.lo)/histSub, (int(h.lo)+len(h.counts))/histSub
		lo, hi = clo, chi
		if o < clo {
			lo = min(o-1, clo-(chi-clo))
		}
		if o >= chi {
			hi = max(o+2, chi+(chi-clo))
		}
	}
	lo, hi = max(lo, 0)*histSub, min(hi, octaves)*histSub
	c := make([]uint32, hi-lo)
	if len(h.counts) > 0 {
		copy(c[int(h.lo)-lo:], h.counts)
	}
	h.counts, h.lo = c, int16(lo)
}

// Merge adds o into h.
func (h *Hist) Merge(o *Hist) {
	h.Sum += o.Sum
	if o.Max > h.Max {
		h.Max = o.Max
	}
	for i, v := range o.counts {
		if v != 0 {
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
	for i, v := range h.counts {
		seen += uint64(v)
		if seen >= rank {
			return math.Min(upper(int(h.lo)+i), h.Max)
		}
	}
	return h.Max
}
