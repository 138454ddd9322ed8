package weblog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/netstat-go/netstat/internal/weblog/agg"
	"github.com/netstat-go/netstat/internal/weblog/logfmt"
)

// pollEvery is how often -f looks for new lines and for a rotated file.
const pollEvery = 200 * time.Millisecond

// tail follows one file by name like tail -F: it reads what is appended, and when the
// name points to a new file (rotation) or the file shrinks (truncation) it finishes
// the old one and starts the new one from its beginning.
type tail struct {
	path    string
	f       *os.File
	fi      os.FileInfo // of f: os.SameFile tells a rotated name apart
	off     int64
	partial []byte
}

func (t *tail) open() error {
	f, err := os.Open(t.path)
	if err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if t.f != nil {
		t.f.Close()
	}
	t.f, t.fi, t.off, t.partial = f, fi, 0, t.partial[:0]
	return nil
}

// read calls line for each complete new line.
//
// It looks at the name before it reads the open file: a rotation renames the file and
// then creates the new one, so when the name already points to a new file, every line
// written to the old one before that is in it, and the drain that follows reads it.
// (Reading first and looking second lost the lines appended to the old file between
// the two, whenever the new file appeared in that window.)
func (t *tail) read(line func([]byte)) error {
	if t.f == nil {
		if err := t.open(); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil // not created yet, or between rotation steps
			}
			return err
		}
	}
	fi, err := os.Stat(t.path)
	if err == nil && os.SameFile(fi, t.fi) && fi.Size() < t.off {
		// Truncated (copytruncate): start again from the beginning.
		t.off, t.partial = 0, t.partial[:0]
	}
	if err := t.drain(line); err != nil {
		return err
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !os.SameFile(fi, t.fi):
		if err := t.open(); err != nil {
			return err
		}
		return t.drain(line)
	}
	return nil
}

func (t *tail) drain(line func([]byte)) error {
	buf := make([]byte, 1<<20)
	for {
		n, err := t.f.ReadAt(buf, t.off)
		t.off += int64(n)
		data := buf[:n]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				t.partial = append(t.partial, data...)
				break
			}
			if len(t.partial) > 0 {
				t.partial = append(t.partial, data[:i]...)
				line(t.partial)
				t.partial = t.partial[:0]
			} else {
				line(data[:i])
			}
			data = data[i+1:]
		}
		if err == io.EOF || n == 0 {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.path, err)
		}
	}
}

// follow runs -f: read the file as it grows and reprint the report every interval,
// and once more when ctx ends.
func follow(ctx context.Context, o *options, cfg *agg.Config, stdout, stderr io.Writer) error {
	t := &tail{path: o.files[0]}
	defer func() {
		if t.f != nil {
			t.f.Close()
		}
	}()
	var plan *logfmt.Plan
	var set *agg.Set
	var st Stats
	var rec logfmt.Record
	var pending [][]byte // lines seen before the format is known
	handle := func(line []byte) {
		st.Lines++
		st.Bytes += uint64(len(line)) + 1
		if err := plan.Parse(line, &rec); err != nil {
			st.Malformed++
			if len(st.FirstBad) < maxBad {
				st.FirstBad = append(st.FirstBad, BadLine{Source: t.path, Line: st.Lines, Err: err})
			}
			return
		}
		set.Add(&rec)
	}
	ensurePlan := func() error {
		if plan != nil || len(pending) == 0 {
			return nil
		}
		p, err := o.plan(bytes.Join(pending, []byte("\n")))
		if err != nil {
			return err
		}
		if err := checkPlan(o, p, cfg); err != nil {
			return err
		}
		plan, set = p.Needing(cfg.Fields()), agg.NewSet(cfg)
		for _, l := range pending {
			handle(l)
		}
		pending = nil
		return nil
	}
	feed := func(line []byte) {
		if plan == nil {
			pending = append(pending, append([]byte(nil), line...))
			return
		}
		handle(line)
	}
	print := func(final bool) error {
		if plan == nil {
			return nil
		}
		set.Finish()
		if !final {
			fmt.Fprintf(stdout, "--- %s: %d lines\n", time.Now().Format("15:04:05"), st.Lines)
		}
		return o.output(set, st, plan, stdout)
	}
	poll := time.NewTicker(pollEvery)
	defer poll.Stop()
	next := time.Now().Add(o.interval)
	for {
		if err := t.read(feed); err != nil {
			return err
		}
		if len(pending) >= 50 || plan == nil && len(pending) > 0 && time.Now().After(next) {
			if err := ensurePlan(); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			if err := t.read(feed); err != nil {
				return err
			}
			if err := ensurePlan(); err != nil {
				return err
			}
			reportMalformed(stderr, st)
			fmt.Fprintf(stdout, "--- final: %d lines\n", st.Lines)
			return print(true)
		case <-poll.C:
		}
		if time.Now().After(next) {
			next = time.Now().Add(o.interval)
			if err := print(false); err != nil {
				return err
			}
		}
	}
}
