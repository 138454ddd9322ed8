// Package termsafe makes text from the kernel and from other processes safe to print
// on a terminal.
package termsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes kernel-supplied text (process names, command lines, unix paths) safe
// to put on a terminal: control characters (C0, DEL, C1), Unicode format characters
// (bidirectional overrides, zero-width joiners) and invalid UTF-8 are replaced by a
// visible escape (\x1b, \u202e), so that no escape or control sequence from a process
// name can reach the terminal and nothing can reorder what is drawn. Printable text,
// including non-ASCII letters, is kept. A backslash is kept as is: the escapes are for
// reading, not for parsing back.
func Sanitize(s string) string {
	if isSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case unsafeRune(r):
			if r < 0x100 {
				b.WriteString(`\x`)
				b.WriteString(hex2(byte(r)))
			} else {
				b.WriteString(`\u`)
				b.WriteString(strconv.FormatInt(int64(r), 16))
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isSafe reports whether s needs no escaping: the fast path for the usual ASCII
// names.
func isSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			for _, r := range s[i:] {
				if r == utf8.RuneError || unsafeRune(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// unsafeRune reports whether r must not reach the terminal as it is.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
