package system

import (
	"context"
	"errors"
	"io/fs"

	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

// Sockets is the live socket source: netlink sock_diag for every protocol the kernel
// offers there, the /proc/net text files for the rest and for unix sockets.
type Sockets struct {
	proc *ProcSource
	diag *sockdiag.Client // nil: /proc only
	opts sockdiag.Options
	// fallback remembers protocols the kernel has no diag handler for.
	fallback map[protoKey]bool
}

type protoKey struct {
	proto netstat.Proto
	fam   netstat.Family
}

var _ netstat.SocketSource = (*Sockets)(nil)

// NewSockets returns the live socket source. forceProc selects the /proc/net text files
// for everything; timers asks netlink for tcp_info so that -o shows /proc's exact
// retransmit and probe counts. warn receives net-tools' warnings about malformed /proc
// lines.
func NewSockets(proc fs.FS, forceProc, timers bool, warn func(string)) *Sockets {
	s := &Sockets{
		proc:     &ProcSource{Proc: proc, Warn: warn},
		opts:     sockdiag.Options{Timers: timers},
		fallback: make(map[protoKey]bool),
	}
	if !forceProc {
		s.diag = sockdiag.New()
	}
	return s
}

// Close releases the netlink socket.
func (s *Sockets) Close() error {
	if s.diag != nil {
		return s.diag.Close()
	}
	return nil
}

// InetSockets implements netstat.SocketSource: netlink first; /proc when the kernel has
// no diag handler for proto in fam (or no sock_diag at all).
func (s *Sockets) InetSockets(ctx context.Context, proto netstat.Proto, fam netstat.Family, fn func(*netstat.Socket) error) error {
	key := protoKey{proto, fam}
	if s.diag != nil && !s.fallback[key] {
		rows := 0
		err := s.diag.InetSockets(ctx, proto, fam, s.opts, func(sk *netstat.Socket) error {
			rows++
			return fn(sk)
		})
		if !errors.Is(err, sockdiag.ErrUnsupported) || rows > 0 {
			return err
		}
		s.fallback[key] = true
	}
	// The /proc files decide what "not supported" means for net-tools (a missing IPv4
	// file is reported, a missing IPv6 file is silently skipped).
	return s.proc.InetSockets(ctx, proto, fam, fn)
}

// UnixSockets implements netstat.SocketSource from /proc/net/unix: unix_diag lacks the
// reference count, the __SO_ACCEPTCON flag and the socket-layer state that every row
// of net-tools' unix table prints.
func (s *Sockets) UnixSockets(ctx context.Context, fn func(*netstat.UnixSocket) error) error {
	return s.proc.UnixSockets(ctx, fn)
}
