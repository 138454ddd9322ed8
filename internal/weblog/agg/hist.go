package agg

import "math"

// histBuckets log-spaced buckets, 5% wide, from 1 µs up; the last is open-ended.
const (
	histBuckets = 400
	histBase    = 1.05
	histMin     = 1e-6
)

var logBase = math.Log(histBase)

// Hist is a response-time histogram with 5% relative resolution.
type Hist struct {
	N      uint64
	Sum    float64
	Max    float64
	bucket [histBuckets]uint32
}

func bucketOf(sec float64) int {
	if sec <= histMin {
		return 0
	}
	b := int(math.Log(sec/histMin)/logBase) + 1
	if b >= histBuckets {
		b = histBuckets - 1
	}
	return b
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
// it, capped at the largest value seen, so within 5% above the true value.
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
			edge := histMin * math.Pow(histBase, float64(i))
			return math.Min(edge, h.Max)
		}
	}
	return h.Max
}
