package system

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strconv"

	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

// Sockets is the live socket source: netlink sock_diag for every protocol the kernel
// offers there, the /proc/net text files for the rest and for unix sockets.
//
// TCP is dumped for both families in one walk of the kernel's socket table when the
// IPv4 sockets are asked for (two dumps walk it twice, and the walk is the larger part
// of a dump's kernel time): the IPv4 rows go out as the dump runs, the IPv6 rows are
// held until the IPv6 sockets are asked for next. This is done only when the
// namespace has few IPv6 TCP sockets, which bounds what is held.
type Sockets struct {
	proc *ProcSource
	diag *sockdiag.Client // nil: /proc only
	// opts are the dump options of each protocol (timers, kernel-side selection).
	opts map[netstat.Proto]sockdiag.Options
	// fallback remembers protocols the kernel has no diag handler for.
	fallback map[protoKey]bool
	// noBoth records that the kernel refused a dump of both families.
	noBoth bool

	// held are the IPv6 rows of the last dump of both families, for heldProto;
	// holding reports that they are complete and not yet handed out.
	held      []netstat.Socket
	heldProto netstat.Proto
	holding   bool
}

type protoKey struct {
	proto netstat.Proto
	fam   netstat.Family
}

var _ netstat.SocketSource = (*Sockets)(nil)

// maxHeld bounds the IPv6 TCP sockets (per /proc/net/sockstat6) for which a dump of
// both families is used; above it, each family has a dump of its own and nothing is
// held. About 130 bytes each.
const maxHeld = 32768

// NewSockets returns the live socket source. forceProc selects the /proc/net text files
// for everything; timers asks netlink for tcp_info so that -o shows /proc's exact
// retransmit and probe counts. warn receives net-tools' warnings about malformed /proc
// lines.
func NewSockets(proc fs.FS, forceProc, timers bool, warn func(string)) *Sockets {
	var diag *sockdiag.Client
	if !forceProc {
		diag = sockdiag.New()
	}
	return newSockets(proc, diag, timers, warn)
}

// newSockets returns a source over diag (nil: /proc only); tests pass a fake kernel.
func newSockets(proc fs.FS, diag *sockdiag.Client, timers bool, warn func(string)) *Sockets {
	s := &Sockets{
		proc:     &ProcSource{Proc: proc, Warn: warn},
		diag:     diag,
		opts:     make(map[netstat.Proto]sockdiag.Options),
		fallback: make(map[protoKey]bool),
	}
	for _, p := range []netstat.Proto{netstat.TCP, netstat.UDP, netstat.UDPLite, netstat.RAW} {
		s.opts[p] = sockdiag.Options{Timers: timers}
	}
	return s
}

// SelectInKernel restricts later netlink dumps of proto to the sockets in the states
// of the inet_diag mask states (0: all) that the inet_diag program bytecode accepts
// (nil: all). Rows from the /proc files are not restricted: callers filter the rows
// they get themselves and use this only to spare the kernel work.
func (s *Sockets) SelectInKernel(proto netstat.Proto, states uint32, bytecode []byte) {
	o := s.opts[proto]
	o.States, o.Bytecode = states, bytecode
	s.opts[proto] = o
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
	return s.InetSocketsWith(ctx, proto, fam, s.opts[proto], fn)
}

// Fallbacks returns the tables that fell back to /proc so far, because the kernel has
// no sock_diag handler for them (or no sock_diag at all), in protocol order.
func (s *Sockets) Fallbacks() []netstat.ProtoFamily {
	var out []netstat.ProtoFamily
	for _, p := range []netstat.Proto{netstat.TCP, netstat.UDP, netstat.UDPLite, netstat.RAW} {
		for _, f := range []netstat.Family{netstat.IPv4, netstat.IPv6} {
			if s.diag == nil || s.fallback[protoKey{p, f}] {
				out = append(out, netstat.ProtoFamily{Proto: p, Family: f})
			}
		}
	}
	return out
}

// InetSocketsWith is InetSockets with the dump options o for this call instead of
// those set for proto: a snapshot query brings its own selection and extras.
func (s *Sockets) InetSocketsWith(ctx context.Context, proto netstat.Proto, fam netstat.Family, o sockdiag.Options, fn func(*netstat.Socket) error) error {
	if held, ok := s.takeHeld(proto, fam); ok {
		for i := range held {
			if err := fn(&held[i]); err != nil {
				return err
			}
		}
		return nil
	}
	key := protoKey{proto, fam}
	if fam == netstat.IPv4 && s.canDumpBoth(proto) {
		rows := 0
		err := s.diag.InetSocketsBoth(ctx, proto, o, func(sk *netstat.Socket) error {
			if sk.Family == netstat.IPv6 {
				s.held = append(s.held, *sk)
				if sk.Info != nil { // the dump reuses *sk.Info: hold a copy
					info := *sk.Info
					s.held[len(s.held)-1].Info = &info
				}
				return nil
			}
			rows++
			return fn(sk)
		})
		switch {
		case err == nil:
			s.heldProto, s.holding = proto, true
			return nil
		case !errors.Is(err, sockdiag.ErrUnsupported) || rows > 0:
			s.held = s.held[:0]
			return err
		}
		s.held = s.held[:0]
		s.noBoth = true
	}
	if s.diag != nil && !s.fallback[key] {
		rows := 0
		err := s.diag.InetSockets(ctx, proto, fam, o, func(sk *netstat.Socket) error {
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

// takeHeld returns the held IPv6 rows when they answer a request for proto in fam;
// any other request drops them (the listing asks for IPv6 right after IPv4, or not at
// all).
func (s *Sockets) takeHeld(proto netstat.Proto, fam netstat.Family) ([]netstat.Socket, bool) {
	if !s.holding {
		return nil, false
	}
	held := s.held
	s.holding = false
	s.held = s.held[:0]
	if proto != s.heldProto || fam != netstat.IPv6 {
		return nil, false
	}
	return held, true
}

// canDumpBoth reports whether proto's IPv4 request should be a dump of both families:
// netlink serves both families of proto, the kernel has the request, and the namespace
// has at most maxHeld IPv6 sockets of proto.
func (s *Sockets) canDumpBoth(proto netstat.Proto) bool {
	if s.diag == nil || s.noBoth || proto != netstat.TCP ||
		s.fallback[protoKey{proto, netstat.IPv4}] || s.fallback[protoKey{proto, netstat.IPv6}] {
		return false
	}
	n, ok := inUse(s.proc.Proc, "net/sockstat6", "TCP6:")
	return !ok || n <= maxHeld
}

// inUse reads the "inuse" count of the line starting with label in a sockstat file
// ("TCP6: inuse 3"); ok is false when the file cannot be read (no IPv6) or has no such
// line.
func inUse(proc fs.FS, name, label string) (n int, ok bool) {
	f, err := proc.Open(name)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := bytes.Fields(sc.Bytes())
		if len(fields) < 3 || string(fields[0]) != label || string(fields[1]) != "inuse" {
			continue
		}
		n, err := strconv.Atoi(string(fields[2]))
		return n, err == nil
	}
	return 0, false
}

// UnixSockets implements netstat.SocketSource from /proc/net/unix: unix_diag lacks the
// reference count, the __SO_ACCEPTCON flag and the socket-layer state that every row
// of net-tools' unix table prints.
func (s *Sockets) UnixSockets(ctx context.Context, fn func(*netstat.UnixSocket) error) error {
	return s.proc.UnixSockets(ctx, fn)
}
