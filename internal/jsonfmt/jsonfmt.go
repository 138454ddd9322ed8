// Package jsonfmt renders netstat-go's machine output: JSON documents following the
// versioned schema in docs/json-schema.json (described in docs/json.md), and the
// vocabulary (state, flag and type names) that the CSV tables share with it.
//
// Renderers are pure append functions: values and a resolver in, bytes out. They
// allocate little, so that a socket listing can be written as its rows arrive. A
// document is built by the caller from the pieces: Open, then fields and arrays,
// then Close.
package jsonfmt

import (
	"strconv"
	"unicode/utf8"
)

// SchemaVersion is the value of every document's "schema_version". It changes only
// when a field is removed or changes meaning; new fields do not change it.
const SchemaVersion = 2

// Document kinds: the value of "kind", one per table netstat-go prints.
const (
	KindSockets    = "sockets"
	KindCounts     = "counts"
	KindRoutes     = "routes"
	KindInterfaces = "interfaces"
	KindGroups     = "groups"
	KindStatistics = "statistics"
	KindStates     = "states"
)

// Open appends the start of a document of kind: `{"schema_version":2,"kind":"…"`.
// Fields follow with AppendKey; Close ends the document.
func Open(b []byte, kind string) []byte {
	b = append(b, `{"schema_version":`...)
	b = strconv.AppendInt(b, SchemaVersion, 10)
	b = append(b, `,"kind":`...)
	return AppendString(b, kind)
}

// Close appends the end of a document and the newline that makes a sequence of
// documents JSON Lines.
func Close(b []byte) []byte { return append(b, "}\n"...) }

// AppendKey appends `,"key":` (a field after the first). key must need no escaping.
func AppendKey(b []byte, key string) []byte {
	b = append(b, ',', '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// appendFirstKey appends `"key":` (the first field of an object).
func appendFirstKey(b []byte, key string) []byte {
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string. The escaping is encoding/json's without
// HTML escaping: '"', '\\' and control characters are escaped, invalid UTF-8 bytes
// become U+FFFD (unix socket paths may hold any bytes), and U+2028 and U+2029 are
// escaped for JavaScript.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendStringOrNull appends s, or null when ok is false.
func appendStringOrNull(b []byte, s string, ok bool) []byte {
	if !ok {
		return append(b, "null"...)
	}
	return AppendString(b, s)
}

func appendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }

func appendInt(b []byte, v int64) []byte { return strconv.AppendInt(b, v, 10) }

// appendStrings appends a JSON array of strings.
func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, s)
	}
	return append(b, ']')
}

// Array tracks the commas of a JSON array written piece by piece: Next before each
// element.
type Array struct{ n int }

// Next appends the separator the next element needs (nothing before the first).
func (a *Array) Next(b []byte) []byte {
	a.n++
	if a.n > 1 {
		return append(b, ',')
	}
	return b
}

// Len is the number of elements started so far.
func (a *Array) Len() int { return a.n }
