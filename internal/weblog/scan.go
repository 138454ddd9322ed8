package weblog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/netstat-go/netstat/internal/weblog/agg"
	"github.com/netstat-go/netstat/internal/weblog/input"
	"github.com/netstat-go/netstat/internal/weblog/logfmt"
)

const (
	// rangeSize is the bytes of a plain file per read. Each worker reads into one
	// buffer of that size, reused: at 1 MB the buffers' first touch was 560 of the
	// 1,400 page faults of a single report (`largest`), about 4 % of its CPU time
	// here; at 256 KB it is 7 ms less CPU time and the same time for the report.
	rangeSize = 256 << 10
	blockSize = 1 << 20 // bytes of a stream per job
	maxBad    = 5       // malformed lines remembered by number
)

// BadLine is a malformed line: where it is and why.
type BadLine struct {
	Source string
	Line   uint64
	Err    error
}

// Stats describes the input of a scan.
type Stats struct {
	Lines     uint64
	Bytes     uint64
	Malformed uint64
	FirstBad  []BadLine // the first maxBad malformed lines, in input order
}

type job struct {
	src, seq int
	data     []byte      // a block of a stream
	ranges   *fileRanges // or the ranges of a plain file, claimed by the workers
}

// fileRanges are the byte ranges of a plain file, rangeLen bytes each; a worker
// claims the next one with an atomic add. (Sent one by one through the job channel,
// they kept a third goroutine on two cores: a worker back from a read waited for a
// processor 2-3 % of the scan.)
type fileRanges struct {
	size, rangeLen int64
	next           atomic.Int64 // number of the next range to claim
}

// claim returns the next range (its number, start and end), or ok false.
func (f *fileRanges) claim() (seq int, start, end int64, ok bool) {
	k := f.next.Add(1) - 1
	start = k * f.rangeLen
	if start >= f.size {
		return 0, 0, 0, false
	}
	return int(k), start, min(start+f.rangeLen, f.size), true
}

type result struct {
	src, seq int
	lines    uint64
	bad      []BadLine // Line relative to the job
	badN     uint64
}

// scanner runs one scan: a producer cuts the inputs into jobs, workers parse them into
// their own aggregates, and the aggregates merge at the end.
type scanner struct {
	plan    *logfmt.Plan
	cfg     *agg.Config
	srcs    []*input.Source
	done    atomic.Uint64 // bytes handed out, for the progress line
	free    chan []byte
	mu      sync.Mutex
	results []result

	rangeLen int64 // bytes of a plain file per job
	blockLen int   // bytes of a stream per job
	workers  int
}

// scan reads every source as one stream with workers goroutines.
func scan(ctx context.Context, srcs []*input.Source, plan *logfmt.Plan, cfg *agg.Config, workers int, progress func(done uint64)) (*agg.Set, Stats, error) {
	return scanChunks(ctx, srcs, plan, cfg, workers, rangeSize, blockSize, progress)
}

// scanChunks is scan with the sizes of the jobs given.
func scanChunks(ctx context.Context, srcs []*input.Source, plan *logfmt.Plan, cfg *agg.Config, workers int, rangeLen int64, blockLen int, progress func(done uint64)) (*agg.Set, Stats, error) {
	if workers < 1 {
		workers = 1
	}
	s := &scanner{plan: plan, cfg: cfg, srcs: srcs, free: make(chan []byte, workers+2), rangeLen: rangeLen, blockLen: blockLen, workers: workers}
	for i := 0; i < workers+2; i++ {
		s.free <- nil
	}
	jobs := make(chan job, workers)
	sets := make([]*agg.Set, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		sets[w] = agg.NewSet(cfg)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			errs[w] = s.work(ctx, jobs, sets[w])
		}(w)
	}
	stop := make(chan struct{})
	if progress != nil {
		go s.tick(stop, progress)
	}
	perr := s.produce(ctx, jobs)
	close(jobs)
	wg.Wait()
	close(stop)
	total := sets[0]
	for _, o := range sets[1:] {
		total.Merge(o)
	}
	total.Finish()
	st := s.stats()
	if perr != nil {
		return total, st, perr
	}
	return total, st, errors.Join(errs...)
}

func (s *scanner) produce(ctx context.Context, jobs chan<- job) error {
	for i, src := range s.srcs {
		if src.File != nil {
			if err := ctx.Err(); err != nil {
				return err
			}
			// Every worker takes the file and claims its ranges until none is left.
			fr := &fileRanges{size: src.Size, rangeLen: s.rangeLen}
			for range s.workers {
				jobs <- job{src: i, ranges: fr}
			}
			continue
		}
		if err := s.produceStream(ctx, i, src, jobs); err != nil {
			return err
		}
	}
	return nil
}

func (s *scanner) produceStream(ctx context.Context, i int, src *input.Source, jobs chan<- job) error {
	var carry []byte
	for seq := 0; ; seq++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		buf := <-s.free
		if cap(buf) < s.blockLen {
			buf = make([]byte, 0, s.blockLen)
		}
		buf = append(buf[:0], carry...)
		carry = carry[:0]
		var rerr error
		for {
			n, err := io.ReadFull(src.Stream, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF {
					rerr = fmt.Errorf("%s: %w", src.Name, err)
				} else {
					rerr = io.EOF
				}
				break
			}
			if j := bytes.LastIndexByte(buf, '\n'); j >= 0 {
				carry = append(carry, buf[j+1:]...)
				buf = buf[:j+1]
				break
			}
			buf = append(buf, make([]byte, cap(buf))...)[:len(buf)] // a line longer than the block
		}
		if len(buf) > 0 {
			jobs <- job{src: i, seq: seq, data: buf}
		} else {
			s.free <- buf
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

func (s *scanner) work(ctx context.Context, jobs <-chan job, set *agg.Set) error {
	var rec logfmt.Record
	var buf []byte
	var firstErr error
	for j := range jobs {
		if j.ranges == nil {
			s.parse(j.src, j.seq, j.data, set, &rec)
			s.done.Add(uint64(len(j.data)))
			s.free <- j.data
			continue
		}
		for ctx.Err() == nil {
			seq, start, end, ok := j.ranges.claim()
			if !ok {
				break
			}
			var data []byte
			var err error
			data, buf, err = s.srcs[j.src].ReadRange(buf, start, end)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			s.parse(j.src, seq, data, set, &rec)
			s.done.Add(uint64(end - start))
		}
	}
	return firstErr
}

// parse feeds the lines of data, job seq of source src, to set.
func (s *scanner) parse(src, seq int, data []byte, set *agg.Set, rec *logfmt.Record) {
	res := result{src: src, seq: seq}
	for len(data) > 0 {
		var line []byte
		if k := bytes.IndexByte(data, '\n'); k >= 0 {
			line, data = data[:k], data[k+1:]
		} else {
			line, data = data, nil
		}
		res.lines++
		if err := s.plan.Parse(line, rec); err != nil {
			res.badN++
			if len(res.bad) < maxBad {
				res.bad = append(res.bad, BadLine{Source: s.srcs[src].Name, Line: res.lines, Err: err})
			}
			continue
		}
		set.Add(rec)
	}
	s.mu.Lock()
	s.results = append(s.results, res)
	s.mu.Unlock()
}

// stats orders the job results and numbers the malformed lines within their sources.
func (s *scanner) stats() Stats {
	sort.Slice(s.results, func(i, j int) bool {
		a, b := s.results[i], s.results[j]
		if a.src != b.src {
			return a.src < b.src
		}
		return a.seq < b.seq
	})
	st := Stats{Bytes: s.done.Load()}
	var base uint64
	prev := -1
	for _, r := range s.results {
		if r.src != prev {
			base, prev = 0, r.src
		}
		for _, b := range r.bad {
			if len(st.FirstBad) < maxBad {
				b.Line += base
				st.FirstBad = append(st.FirstBad, b)
			}
		}
		base += r.lines
		st.Lines += r.lines
		st.Malformed += r.badN
	}
	return st
}

// tick reports progress every half second until stop closes, then clears the line.
func (s *scanner) tick(stop <-chan struct{}, progress func(done uint64)) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			progress(^uint64(0))
			return
		case <-t.C:
			progress(s.done.Load())
		}
	}
}
