//go:build !linux

package procfd

import "os"

// ScanLive scans the /proc mounted at root; off Linux it goes through os.DirFS.
func ScanLive(root string) *Owners { return Scan(os.DirFS(root)) }

// ScanHoldersLive is ScanHolders over the /proc mounted at root.
func ScanHoldersLive(root string) *Holders { return ScanHolders(os.DirFS(root)) }

// Live is ScanLive done lazily (see Owners).
func Live(root string) *Owners { return lazy(fsTable{os.DirFS(root)}, false) }

// LiveEvery is Live keeping every process that holds each inode, for Holders.
func LiveEvery(root string) *Owners { return lazy(fsTable{os.DirFS(root)}, true) }

// ScanEveryLive is ScanEvery over the /proc mounted at root.
func ScanEveryLive(root string) *Owners { return ScanEvery(os.DirFS(root)) }
