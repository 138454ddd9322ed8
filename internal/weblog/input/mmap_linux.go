//go:build linux

package input

import (
	"os"
	"syscall"
)

// mapFile maps a plain file read-only, so that workers parse the page cache in place
// instead of copying it; nil when mapping fails (the caller falls back to ReadAt).
func mapFile(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return b
}

func unmap(b []byte) error { return syscall.Munmap(b) }

// release drops the pages of b[start:end] from this process (they stay in the page
// cache), so that the resident set does not grow with the file.
func release(b []byte, start, end int64) {
	page := int64(os.Getpagesize())
	start = (start + page - 1) / page * page
	end = end / page * page
	if end > start {
		_ = syscall.Madvise(b[start:end], syscall.MADV_DONTNEED) // advice only: a failure changes nothing but memory use
	}
}
