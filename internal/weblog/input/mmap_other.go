//go:build !linux

package input

import "os"

func mapFile(*os.File, int64) []byte { return nil }

func unmap([]byte) error { return nil }

func release([]byte, int64, int64) {}
