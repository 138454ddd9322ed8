package jsonfmt

// AppendCountsOpen appends the start of a "counts" document, up to the '[' of its
// "groups" array: keys are the names of the grouping keys (--count=KEY,...), in
// order. Each group follows with AppendCount (an Array tracks the commas), then
// AppendCountsClose.
func AppendCountsOpen(b []byte, keys []string) []byte {
	b = Open(b, KindCounts)
	b = AppendKey(b, "keys")
	b = appendStrings(b, keys)
	return append(b, `,"groups":[`...)
}

// AppendCount appends one group: its key values (one per key name) and its count.
func AppendCount(b []byte, keys []string, count int) []byte {
	b = append(b, `{"keys":`...)
	b = appendStrings(b, keys)
	b = AppendKey(b, "count")
	b = appendInt(b, int64(count))
	return append(b, '}')
}

// AppendCountsClose appends the end of a counts document: total is the number of
// sockets counted, over every group including those --top left out; a negative total
// (unknown) is left out.
func AppendCountsClose(b []byte, total int) []byte {
	b = append(b, ']')
	if total >= 0 {
		b = AppendKey(b, "total")
		b = appendInt(b, int64(total))
	}
	return Close(b)
}
