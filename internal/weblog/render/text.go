// Package render turns merged web-log aggregates into text (byte-identical to the
// cheat sheet's awk|sort|uniq pipelines), one JSON document, or a self-contained HTML
// page. Renderers are pure: values in, bytes out.
package render

import (
	"io"
	"strconv"

	"github.com/netstat-go/netstat/internal/weblog/agg"
	"github.com/netstat-go/netstat/internal/weblog/awkcompat"
)

func head[T any](s []T, n int) []T {
	if n > 0 && len(s) > n {
		return s[:n]
	}
	return s
}

// UniqCounts writes the n first entries (0: all) as `uniq -c` lines.
func UniqCounts(w io.Writer, e []agg.Entry, n int) error {
	var b []byte
	for _, x := range head(e, n) {
		b = awkcompat.AppendUniqCount(b, x.Count, []byte(x.Key))
	}
	_, err := w.Write(b)
	return err
}

// Lines writes lines, each followed by a newline.
func Lines(w io.Writer, lines []string, n int) error {
	var b []byte
	for _, l := range head(lines, n) {
		b = append(b, l...)
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// GiB formats a byte total as the recipe's `print sum/1024/1024/1024` does.
func GiB(total uint64) string {
	return awkcompat.FormatNumber(float64(total)/1024/1024/1024, "%.6g")
}

// Traffic writes the total traffic in GiB.
func Traffic(w io.Writer, total uint64) error {
	_, err := io.WriteString(w, GiB(total)+"\n")
	return err
}

// Repeated writes each key once per count, keys in byte order (`sort` of the lines).
func Repeated(w io.Writer, e []agg.Entry, n int) error {
	var b []byte
	printed := 0
	for _, x := range e {
		for i := uint64(0); i < x.Count; i++ {
			if n > 0 && printed == n {
				_, err := w.Write(b)
				return err
			}
			b = append(b, x.Key...)
			b = append(b, '\n')
			printed++
			if len(b) > 64<<10 {
				if _, err := w.Write(b); err != nil {
					return err
				}
				b = b[:0]
			}
		}
	}
	_, err := w.Write(b)
	return err
}

// Domains writes DOMAIN<TAB>BYTES lines.
func Domains(w io.Writer, e []agg.Entry, n int) error {
	var b []byte
	for _, x := range head(e, n) {
		b = append(b, x.Key...)
		b = append(b, '\t')
		b = strconv.AppendUint(b, x.Count, 10)
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}
