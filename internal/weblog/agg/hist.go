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

// Hist is a response-time histogram with at most 6.25% relative resolution.
type Hist struct {
	N      uint64
	Sum    float64
	Max    float64
	bucket [histBuckets]uint32
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
	h.N++
	h.Sum += sec
	if sec > h.Max {
		h.Max = sec
	}
	h.bucket[bucketOf(sec)]++
}

// Merge adds o into h.
func (h *Hist) Merge(o *Hist) {
	h.N += o.N
	h.Sum += o.Sum
	if o.Max > h.Max {
		h.Max = o.Max
	}
	for i, v := range o.bucket {
		h.bucket[i] += v
	}
}

// Quantile returns the q-quantile (0 < q <= 1): the upper edge of the bucket holding
// it, capped at the largest value seen, so within 6.25% above the true value.
func (h *Hist) Quantile(q float64) float64 {
	if h.N == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.N)))
	if rank == 0 {
		rank = 1
	}
	var seen uint64
	for i, v := range h.bucket {
		seen += uint64(v)
		if seen >= rank {
			return math.Min(upper(i), h.Max)
		}
	}
	return h.Max
}
