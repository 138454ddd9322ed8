package top

import (
	"time"

	"github.com/charmbracelet/x/ansi"
)

// textWidth is the number of terminal cells s takes (s holds no escapes).
func textWidth(s string) int { return ansi.StringWidth(s) }

// cutEnd keeps the first w cells of s.
func cutEnd(s string, w int) string { return ansi.Truncate(s, w, "") }

// cutStart drops the first n cells of s.
func cutStart(s string, n int) string { return ansi.TruncateLeft(s, n, "") }

// ticks converts /proc's USER_HZ ticks to a duration.
func ticks(t uint64) time.Duration { return time.Duration(t) * 10 * time.Millisecond }
