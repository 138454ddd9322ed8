//go:build !linux

package procfd

import "os"

// NewFinderLive returns a Finder over the /proc mounted at root; off Linux it goes
// through os.DirFS.
func NewFinderLive(root string) *Finder { return NewFinder(os.DirFS(root)) }
