package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/internal/system"
	"github.com/netstat-go/netstat/netstat"
)

// LiveOptions configure the live source.
type LiveOptions struct {
	// ProcRoot is where /proc is mounted; "" means "/proc".
	ProcRoot string
	// ForceProc reads every table from the /proc/net text files instead of netlink.
	ForceProc bool
	// Warn receives net-tools' warnings about malformed /proc lines; nil drops them.
	Warn func(string)
}

// Live is the source of the running system: the network namespace a reader's netlink
// socket was opened in, that of the calling thread (use one Live per namespace): netlink sock_diag first, /proc where netlink lacks a
// table, /proc/<pid>/fd for owners. It is safe for concurrent use: each snapshot runs
// on a reader of its own (netlink socket and buffers), taken from a small pool, so a
// live view, an exporter and the CLI share one Live without clobbering each other.
type Live struct {
	opts LiveOptions
	proc fs.FS
	// netProc is where the net/ files are read: /proc/thread-self when it exists.
	netProc fs.FS
	// idle holds readers between snapshots; a snapshot that finds none makes one.
	idle chan *system.Sockets
	// tables reads counters, routes, groups and interfaces from netProc.
	tables *Tables

	destroyMu sync.Mutex
	destroyer *sockdiag.Client

	// lastInet is the size of the last snapshot's Internet table: the next one starts
	// with room for it, instead of growing its slice through every doubling (at 20,000
	// sockets that growth was an eighth of a scrape's CPU and most of its garbage).
	lastInet atomic.Int64
}

var (
	_ Source        = (*Live)(nil)
	_ Streamer      = (*Live)(nil)
	_ CounterSource = (*Live)(nil)
	_ Destroyer     = (*Live)(nil)
	_ TableSource   = (*Tables)(nil)
)

// maxIdleReaders bounds the readers kept between snapshots (each keeps its netlink
// socket and up to about 1 MiB of receive buffers).
const maxIdleReaders = 4

// NewLive returns the live source.
func NewLive(o LiveOptions) *Live {
	if o.ProcRoot == "" {
		o.ProcRoot = "/proc"
	}
	if o.Warn == nil {
		o.Warn = func(string) {}
	}
	l := &Live{opts: o, proc: os.DirFS(o.ProcRoot), idle: make(chan *system.Sockets, maxIdleReaders)}
	// /proc/net shows the network namespace of the process's main thread;
	// /proc/thread-self/net that of the thread reading it, which is what a caller
	// locked into another namespace means (and the same thing otherwise).
	l.netProc = l.proc
	if _, err := fs.Stat(l.proc, "thread-self/net/dev"); err == nil {
		l.netProc, _ = fs.Sub(l.proc, "thread-self")
	}
	l.tables = NewTables(l.netProc, nil)
	return l
}

// Close releases the idle readers' netlink sockets. Snapshots still running finish;
// the Live stays usable.
func (l *Live) Close() error {
	var errs []error
	for {
		select {
		case s := <-l.idle:
			errs = append(errs, s.Close())
		default:
			l.destroyMu.Lock()
			if l.destroyer != nil {
				errs = append(errs, l.destroyer.Close())
			}
			l.destroyMu.Unlock()
			return errors.Join(errs...)
		}
	}
}

func (l *Live) reader() *system.Sockets {
	select {
	case s := <-l.idle:
		return s
	default:
		return system.NewSockets(l.netProc, l.opts.ForceProc, false, l.opts.Warn)
	}
}

func (l *Live) release(s *system.Sockets) {
	select {
	case l.idle <- s:
	default:
		s.Close()
	}
}

// allProtos is every Internet protocol in net-tools' table order.
var allProtos = []netstat.Proto{netstat.TCP, netstat.UDP, netstat.UDPLite, netstat.RAW}

// Snapshot implements Source: a stream whose sockets are kept.
func (l *Live) Snapshot(ctx context.Context, q Query) (*netstat.Snapshot, error) {
	var snap netstat.Snapshot
	if !q.NoInet {
		if n := l.lastInet.Load(); n > 0 {
			snap.Inet = make([]netstat.Socket, 0, n+n/8)
		}
	}
	st, err := l.Stream(ctx, q, Visit{
		Inet: func(s *netstat.Socket) error {
			snap.Inet = append(snap.Inet, *s)
			if s.Info != nil { // the reader reuses *s.Info
				info := *s.Info
				snap.Inet[len(snap.Inet)-1].Info = &info
			}
			return nil
		},
		Unix: func(u *netstat.UnixSocket) error {
			snap.Unix = append(snap.Unix, *u)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	if !q.NoInet {
		l.lastInet.Store(int64(len(snap.Inet)))
	}
	snap.Taken, snap.Owners, snap.Partial = st.Taken, st.Owners, st.Partial
	return &snap, nil
}

// Stream implements Streamer.
func (l *Live) Stream(ctx context.Context, q Query, v Visit) (*Streamed, error) {
	st := &Streamed{Taken: time.Now()}
	var holders *procfd.Holders
	var wg sync.WaitGroup
	if q.Extras&WithOwners != 0 {
		// The fd scan and the dumps are independent: run them side by side.
		wg.Add(1)
		go func() {
			defer wg.Done()
			holders = procfd.ScanHoldersLive(l.opts.ProcRoot)
		}()
	}
	err := l.sockets(ctx, q, v, &st.Partial)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if holders != nil {
		st.Owners = holders.ByInode
		st.Partial.Uninspected = holders.Denied
		st.Partial.ProcUnreadable = holders.Unreadable
	}
	return st, nil
}

// sockets hands q's sockets to v.
func (l *Live) sockets(ctx context.Context, q Query, v Visit, partial *netstat.Partial) error {
	rd := l.reader()
	defer l.release(rd)
	if !q.NoInet {
		protos := q.Protos
		if len(protos) == 0 {
			protos = allProtos
		}
		fams := q.Families
		if len(fams) == 0 {
			fams = []netstat.Family{netstat.IPv4, netstat.IPv6}
		}
		visit := func(s *netstat.Socket) error {
			if q.States != 0 && s.Proto == netstat.TCP && !q.States.Has(s.State) {
				return nil
			}
			if q.Filter != nil && !q.Filter.Match(s) {
				return nil
			}
			if v.Inet == nil {
				return nil
			}
			return v.Inet(s)
		}
		for _, p := range allProtos { // net-tools' order, whatever the query's
			if !slices.Contains(protos, p) {
				continue
			}
			o := l.dumpOptions(q, p)
			for _, f := range []netstat.Family{netstat.IPv4, netstat.IPv6} {
				if !slices.Contains(fams, f) {
					continue
				}
				err := rd.InetSocketsWith(ctx, p, f, o, visit)
				switch {
				case errors.Is(err, netstat.ErrNotSupported):
					partial.Unsupported = append(partial.Unsupported, netstat.ProtoFamily{Proto: p, Family: f})
				case err != nil:
					return fmt.Errorf("%s sockets: %w", p, err)
				}
			}
		}
		for _, pf := range rd.Fallbacks() {
			if slices.Contains(protos, pf.Proto) && slices.Contains(fams, pf.Family) &&
				!slices.Contains(partial.Unsupported, pf) {
				partial.Fallback = append(partial.Fallback, pf)
			}
		}
	}
	if q.Unix {
		err := rd.UnixSockets(ctx, func(u *netstat.UnixSocket) error {
			if v.Unix == nil {
				return nil
			}
			return v.Unix(u)
		})
		if err != nil && !errors.Is(err, netstat.ErrNotSupported) {
			return fmt.Errorf("unix sockets: %w", err)
		}
	}
	return nil
}

// dumpOptions builds the sock_diag options of q for proto: the kernel's share of the
// state set and filter, and the extras.
func (l *Live) dumpOptions(q Query, proto netstat.Proto) sockdiag.Options {
	o := sockdiag.Options{
		Timers: q.Extras&WithTimers != 0,
		Extras: q.Extras&(WithTCPInfo|WithCgroup) != 0,
	}
	var e analysis.Expr
	switch {
	case q.States != 0 && proto == netstat.TCP && q.Filter != nil:
		e = &analysis.And{X: &analysis.States{Set: q.States}, Y: q.Filter}
	case q.States != 0 && proto == netstat.TCP:
		e = &analysis.States{Set: q.States}
	default:
		e = q.Filter
	}
	if e != nil {
		o.States, o.Bytecode = KernelSelection(e, proto)
	}
	return o
}

// Counters implements CounterSource from /proc/net/snmp, /proc/net/netstat and
// /proc/net/snmp6 (see Tables.Counters).
func (l *Live) Counters(ctx context.Context) (*Counters, error) {
	return l.tables.Counters(ctx)
}

// Tables returns the reader of the tables other than the sockets, in the network
// namespace of the calling thread like the snapshots.
func (l *Live) Tables() *Tables { return l.tables }

// Destroy implements Destroyer with sock_diag SOCK_DESTROY.
func (l *Live) Destroy(ctx context.Context, s *netstat.Socket) error {
	l.destroyMu.Lock()
	defer l.destroyMu.Unlock()
	if l.destroyer == nil {
		l.destroyer = sockdiag.New()
	}
	err := l.destroyer.Destroy(ctx, s)
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return err
	}
	switch errno {
	case syscall.EOPNOTSUPP:
		return fmt.Errorf("%w: %w", ErrDestroyUnsupported, err)
	case syscall.EPERM, syscall.EACCES:
		return fmt.Errorf("%w: %w", ErrPermission, err)
	case syscall.ENOENT:
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}
