// Package input opens web-log inputs: plain files (read in byte ranges cut at line
// boundaries so that several workers can share one file), gzip files (detected by
// their magic bytes, decoded in a goroutine of their own) and standard input.
package input

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// Source is one input.
type Source struct {
	Name string
	// File is set for a plain regular file, which is read in ranges with ReadAt into
	// the caller's buffer (measured: pread into a reused buffer costs a third of the
	// CPU time of parsing a memory-mapped file in place, whose page faults dominate).
	File *os.File
	Size int64
	// Stream is set otherwise (gzip, a pipe, standard input).
	Stream *bufio.Reader
	closer io.Closer
}

const streamBuf = 1 << 20

// Open opens name ("-" for stdin).
func Open(name string, stdin io.Reader) (*Source, error) {
	if name == "-" {
		return fromReader("standard input", stdin, nil)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Mode().IsRegular() {
		var magic [2]byte
		n, _ := f.ReadAt(magic[:], 0)
		if !(n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
			return &Source{Name: name, File: f, Size: st.Size(), closer: f}, nil
		}
	}
	s, err := fromReader(name, f, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

func fromReader(name string, r io.Reader, c io.Closer) (*Source, error) {
	br := bufio.NewReaderSize(r, streamBuf)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		br = bufio.NewReaderSize(zr, streamBuf)
	}
	return &Source{Name: name, Stream: br, closer: c}, nil
}

// Close closes the underlying file, if any.
func (s *Source) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

// Sample returns up to n bytes from the start, cut after the last complete line, for
// format detection; it does not consume the stream.
func (s *Source) Sample(n int) ([]byte, error) {
	var b []byte
	if s.File != nil {
		b = make([]byte, n)
		m, err := s.File.ReadAt(b, 0)
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		b = b[:m]
		if int64(m) < s.Size {
			if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
				b = b[:i+1]
			}
		}
		return b, nil
	}
	if n > streamBuf {
		n = streamBuf
	}
	b, err := s.Stream.Peek(n)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	if len(b) == n {
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			b = b[:i+1]
		}
	}
	return b, nil
}

// ReadRange reads the lines that start in [start, end) of a plain file into buf
// (reused when large enough) and returns them and the buffer: the range is widened to
// the end of its last line, and a partial first line (begun before start) is skipped.
func (s *Source) ReadRange(buf []byte, start, end int64) (lines, reuse []byte, err error) {
	from := start
	if from > 0 {
		from--
	}
	want := int(end - from)
	if cap(buf) < want {
		buf = make([]byte, want, want+want/8)
	}
	buf = buf[:want]
	n, err := s.File.ReadAt(buf, from)
	if err != nil && err != io.EOF {
		return nil, buf, fmt.Errorf("%s: %w", s.Name, err)
	}
	buf = buf[:n]
	pos := from + int64(n)
	for len(buf) > 0 && buf[len(buf)-1] != '\n' && pos < s.Size {
		if cap(buf)-len(buf) < 4096 {
			buf = append(buf, make([]byte, 64<<10)...)[:len(buf)]
		}
		more := buf[len(buf):cap(buf)]
		m, err := s.File.ReadAt(more, pos)
		if err != nil && err != io.EOF {
			return nil, buf, fmt.Errorf("%s: %w", s.Name, err)
		}
		if m == 0 {
			break
		}
		if i := bytes.IndexByte(more[:m], '\n'); i >= 0 {
			buf = buf[:len(buf)+i+1]
			break
		}
		buf = buf[:len(buf)+m]
		pos += int64(m)
	}
	if start > 0 {
		// buf[0] is the byte before start: a line starts at start only after a newline.
		i := bytes.IndexByte(buf, '\n')
		if i < 0 || from+int64(i)+1 >= end {
			return buf[:0], buf, nil
		}
		return buf[i+1:], buf, nil
	}
	return buf, buf, nil
}
