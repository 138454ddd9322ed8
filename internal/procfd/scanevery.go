package procfd

// ScanEveryLive is LiveEvery read at once: every process of the /proc mounted at root
// (normally "/proc"), keeping every holder of each socket inode, and no command line
// or UID. An exporter that caches socket owners between scrapes takes one such scan
// at a time and answers Holders from it without further reads.
func ScanEveryLive(root string) *Owners {
	o := LiveEvery(root)
	for o.scanMore(0) {
	}
	return o
}
