package agg

// reserve returns s with room for n more elements, doubling its capacity when it
// has too little. append grows a large slice by a quarter at a time and leaves the
// old arrays behind, about four times the final size in all; a report runs one
// collection or none, so that garbage is fresh memory, and on this VM a fresh page
// costs about 11 µs (the per-path statistics alone left 3 MB: 800 page faults).
// Doubling leaves the final size at most, and the untouched end of a large array
// costs nothing until it is written.
func reserve[T any](s []T, n int) []T {
	if len(s)+n <= cap(s) {
		return s
	}
	c := make([]T, len(s), max(2*cap(s), len(s)+n, 16))
	copy(c, s)
	return c
}
