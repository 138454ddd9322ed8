package sockdiag

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"syscall"

	"github.com/netstat-go/netstat/netstat"
)

// Conn is a datagram connection to the kernel's NETLINK_SOCK_DIAG family: the protocol
// edge. Dial returns the live one; tests substitute a fake that checks the request
// bytes and returns canned replies.
type Conn interface {
	// Send transmits one complete netlink request.
	Send(msg []byte) error
	// Receive reads one datagram from the kernel into buf and returns its length. A
	// datagram longer than buf is an error, not a truncated read.
	Receive(buf []byte) (int, error)
	Close() error
}

// ErrUnsupported is wrapped by the errors of dumps the kernel cannot serve: no
// sock_diag at all, or no diag handler for the protocol or family (as for raw sockets
// without CONFIG_INET_RAW_DIAG). Callers fall back to /proc.
var ErrUnsupported = errors.New("sock_diag not supported by the kernel")

// Linux errno values a dump can end with that mean "no handler for this request".
const (
	errnoENOENT          = 2
	errnoEINVAL          = 22
	errnoEPROTONOSUPPORT = 93
	errnoEOPNOTSUPP      = 95
)

// kernelError converts the negative errno of NLMSG_ERROR or NLMSG_DONE into an error.
func kernelError(errno int32) error {
	e := syscall.Errno(-errno)
	switch -errno {
	case errnoENOENT, errnoEINVAL, errnoEPROTONOSUPPORT, errnoEOPNOTSUPP:
		return fmt.Errorf("%w: %w", ErrUnsupported, e)
	}
	return e
}

// bufferSize is the receive buffer. The kernel fills each dump datagram up to the size
// of the largest recvmsg() buffer seen on the socket, capped at 32 KiB, so anything
// above 32 KiB only costs memory.
const bufferSize = 64 << 10

// Options select what a dump returns.
type Options struct {
	// Timers asks for struct tcp_info with every TCP socket so that Retransmits and
	// Probes are exactly /proc's "retrnsmt" and "timeout" columns (netstat -o). Without
	// it they come from idiag_retrans, which holds only the one of the two that belongs
	// to the pending timer. It costs the kernel a socket lock per row.
	Timers bool
	// States restricts the dump to kernel states: bit i selects state i (for TCP,
	// 1<<netstat.Listen selects listeners). 0 selects every state. Selecting SYN_RECV
	// also selects request sockets (TCP_NEW_SYN_RECV).
	States uint32
}

// Client runs sock_diag dumps. It keeps one netlink socket open between dumps and
// reuses its buffers, so a dump allocates nothing per row. A Client is not safe for
// concurrent use. Dumps list the sockets of the network namespace the Conn was
// opened in.
type Client struct {
	dial func() (Conn, error)
	conn Conn
	seq  uint32
	buf  []byte
	req  []byte
	aux  []byte // buffer of the secondary listener dump

	inet      InetMsg
	sock      netstat.Socket
	unix      UnixMsg
	listeners listenerIndex
}

// NewClient returns a Client that opens its netlink socket with dial, typically Dial.
func NewClient(dial func() (Conn, error)) *Client {
	return &Client{dial: dial}
}

// New returns a Client over the live kernel.
func New() *Client { return NewClient(Dial) }

// Close closes the netlink socket, if one is open. The Client stays usable.
func (c *Client) Close() error {
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}

// InetSockets dumps the sockets of proto in family and calls fn for each, in kernel
// dump order (the order of /proc/net/<proto>[6]), with the values /proc shows: LISTEN
// sockets have Send-Q 0, request sockets carry their listener's uid, timer expiry is in
// 1/100 s. The *Socket is reused after fn returns. An error from fn stops the dump and
// is returned as is. When the kernel has no diag handler for proto or family, the
// error wraps ErrUnsupported.
func (c *Client) InetSockets(ctx context.Context, proto netstat.Proto, family netstat.Family, opts Options, fn func(*netstat.Socket) error) error {
	r, err := inetRequest(proto, family, opts)
	if err != nil {
		return err
	}
	c.listeners.reset()
	// Listeners precede every other socket in the dump, so by the time a request
	// socket arrives, its listener has been seen.
	c.listeners.complete = r.States&(1<<netstat.Listen) != 0
	useInfo := r.Ext&ExtInfo != 0
	c.seq++
	c.req = AppendInetRequest(c.req[:0], c.seq, r)
	var fnErr error
	err = c.run(ctx, func(p []byte) error {
		if err := DecodeInetMsg(p, &c.inet); err != nil {
			return err
		}
		if c.inet.Family != r.Family {
			return malformed("inet_diag_msg of family %d in a dump of family %d", c.inet.Family, r.Family)
		}
		s := &c.sock
		if err := fillSocket(s, &c.inet, proto, useInfo); err != nil {
			return err
		}
		if proto == netstat.TCP {
			switch {
			case s.State == uint8(netstat.Listen):
				c.listeners.add(s)
			case isRequestSock(s):
				uid, err := c.requestUID(ctx, s.Local, family)
				if err != nil {
					return err
				}
				s.UID = uid
			}
		}
		if err := fn(s); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	if err != nil && err != fnErr {
		return fmt.Errorf("sock_diag dump of %s: %w", procName(proto, family), err)
	}
	return err
}

// UnixSockets dumps the unix domain sockets and calls fn for each, in kernel order,
// with its name, VFS inode, peer, queue lengths and owner. Unlike /proc/net/unix, the
// dump leaves out sockets without inode: the server ends of connections not yet
// accepted. The *UnixMsg and the bytes it points to are reused after fn returns. An
// error from fn stops the dump and is returned as is.
func (c *Client) UnixSockets(ctx context.Context, fn func(*UnixMsg) error) error {
	r := UnixRequest{
		States: AllStates,
		Show:   UnixShowName | UnixShowVFS | UnixShowPeer | UnixShowRQLen | UnixShowUID,
	}
	c.seq++
	c.req = AppendUnixRequest(c.req[:0], c.seq, r)
	var fnErr error
	err := c.run(ctx, func(p []byte) error {
		if err := DecodeUnixMsg(p, &c.unix); err != nil {
			return err
		}
		if err := fn(&c.unix); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	if err != nil && err != fnErr {
		return fmt.Errorf("sock_diag dump of unix sockets: %w", err)
	}
	return err
}

// run sends c.req, of sequence number c.seq, on the Client's connection, opening one
// if needed, and passes every socket message of the reply to fn. A connection whose
// dump did not run to its end is closed, so the next dump starts on a clean socket.
func (c *Client) run(ctx context.Context, fn func([]byte) error) error {
	if c.conn == nil {
		conn, err := c.dial()
		if err != nil {
			return err
		}
		c.conn = conn
	}
	if c.buf == nil {
		c.buf = make([]byte, bufferSize)
	}
	finished, err := dump(ctx, c.conn, c.buf, c.req, c.seq, fn)
	if !finished {
		c.conn.Close() // the error that stopped the dump is the one to report
		c.conn = nil
	}
	return err
}

// dump sends req on conn and calls fn with the payload of each socket message of the
// reply, until the kernel ends the dump with NLMSG_DONE or NLMSG_ERROR. Messages of
// other sequence numbers (stale replies) are skipped. finished reports whether the
// kernel ended the dump, so that conn carries nothing more and may be reused.
func dump(ctx context.Context, conn Conn, buf, req []byte, seq uint32, fn func([]byte) error) (finished bool, err error) {
	if err := conn.Send(req); err != nil {
		return false, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		n, err := conn.Receive(buf)
		if err != nil {
			return false, err
		}
		if n > len(buf) || n < 0 {
			return false, fmt.Errorf("receive returned %d bytes for a buffer of %d", n, len(buf))
		}
		finished, err := walkDatagram(buf[:n], seq, fn)
		if finished || err != nil {
			return finished, err
		}
	}
}

// walkDatagram passes the socket messages of one datagram of a dump reply with
// sequence number seq to fn. finished reports that the datagram ended the dump; err
// is then the kernel's error, if any. NLM_F_DUMP_INTR (the table changed during the
// dump, so a socket may be missing or repeated, as with /proc) is not an error.
func walkDatagram(b []byte, seq uint32, fn func([]byte) error) (finished bool, err error) {
	for len(b) > 0 {
		h, payload, rest, err := SplitMessage(b)
		if err != nil {
			return false, err
		}
		b = rest
		if h.Seq != seq {
			continue
		}
		switch h.Type {
		case TypeSockDiagByFamily:
			if err := fn(payload); err != nil {
				return false, err
			}
		case typeDone:
			// The dump's result follows NLMSG_DONE; old kernels may omit it.
			if errno, _ := errnoPayload(payload); errno != 0 {
				return true, kernelError(errno)
			}
			return true, nil
		case typeError:
			errno, ok := errnoPayload(payload)
			if !ok {
				return false, malformed("NLMSG_ERROR of %d bytes", len(payload))
			}
			if errno != 0 {
				return true, kernelError(errno)
			}
			// An acknowledgement: the dump itself still ends with NLMSG_DONE.
		case typeOverrun:
			return false, errors.New("netlink reported a data overrun (NLMSG_OVERRUN)")
		}
		// NLMSG_NOOP and unknown types are skipped.
	}
	return false, nil
}

// inetRequest builds the dump request for proto and family.
func inetRequest(proto netstat.Proto, family netstat.Family, opts Options) (InetRequest, error) {
	var r InetRequest
	switch family {
	case netstat.IPv4:
		r.Family = AFInet
	case netstat.IPv6:
		r.Family = AFInet6
	default:
		return r, fmt.Errorf("sock_diag: unknown address family %d", family)
	}
	switch proto {
	case netstat.TCP:
		r.Protocol = ProtoTCP
		if opts.Timers {
			r.Ext = ExtInfo
		}
	case netstat.UDP:
		r.Protocol = ProtoUDP
	case netstat.UDPLite:
		r.Protocol = ProtoUDPLite
	case netstat.RAW:
		r.Protocol = ProtoRaw
	default:
		return r, fmt.Errorf("sock_diag: unknown protocol %d", proto)
	}
	r.States = opts.States
	if r.States == 0 {
		r.States = AllStates
	}
	if r.States&(1<<netstat.SynRecv) != 0 {
		r.States |= 1 << netstat.NewSynRecv
	}
	return r, nil
}

// procName names the /proc/net file of proto and family, for error messages.
func procName(proto netstat.Proto, family netstat.Family) string {
	if family == netstat.IPv6 {
		return proto.String() + "6"
	}
	return proto.String()
}

// listenerIndex maps TCP listening addresses to the uid /proc shows for request
// sockets, which get_openreq4/6 take from the listener. A request socket has its
// listener's family (an IPv4 connection to a dual-stack listener is a v4-mapped
// request socket in tcp6), so one family's listeners suffice.
type listenerIndex struct {
	uids map[netip.AddrPort]uint32
	// complete records that uids holds every listener of the dumped family.
	complete bool
}

func (x *listenerIndex) reset() {
	clear(x.uids)
	x.complete = false
}

// add records a listening socket. With SO_REUSEPORT several listeners share an
// address: the first one in dump order wins.
func (x *listenerIndex) add(s *netstat.Socket) {
	if x.uids == nil {
		x.uids = make(map[netip.AddrPort]uint32)
	}
	if _, dup := x.uids[s.Local]; !dup {
		x.uids[s.Local] = s.UID
	}
}

// lookup finds the listener that accepts connections to local, the address of a
// request socket: the one bound to that address, else the wildcard one.
func (x *listenerIndex) lookup(local netip.AddrPort) (uint32, bool) {
	if uid, ok := x.uids[local]; ok {
		return uid, true
	}
	wildcard := netip.IPv6Unspecified()
	if local.Addr().Is4() {
		wildcard = netip.IPv4Unspecified()
	}
	uid, ok := x.uids[netip.AddrPortFrom(wildcard, local.Port())]
	return uid, ok
}

// requestUID returns the uid /proc shows for a request socket with local address
// local: its listener's. Listeners are indexed as the dump passes them (they precede
// all other sockets); a dump without LISTEN fetches them once, on a second connection.
func (c *Client) requestUID(ctx context.Context, local netip.AddrPort, family netstat.Family) (uint32, error) {
	if uid, ok := c.listeners.lookup(local); ok || c.listeners.complete {
		return uid, nil
	}
	if err := c.loadListeners(ctx, family); err != nil {
		return 0, fmt.Errorf("listeners for request socket uid: %w", err)
	}
	uid, _ := c.listeners.lookup(local)
	return uid, nil
}

// loadListeners adds every TCP listener of family to the index, dumping them on a
// connection of their own because the Client's is busy with the current dump.
func (c *Client) loadListeners(ctx context.Context, family netstat.Family) error {
	c.listeners.complete = true
	r, err := inetRequest(netstat.TCP, family, Options{States: 1 << netstat.Listen})
	if err != nil {
		return err
	}
	conn, err := c.dial()
	if err != nil {
		return err
	}
	defer conn.Close()
	if c.aux == nil {
		c.aux = make([]byte, bufferSize)
	}
	var m InetMsg
	var s netstat.Socket
	_, err = dump(ctx, conn, c.aux, AppendInetRequest(nil, 1, r), 1, func(p []byte) error {
		if err := DecodeInetMsg(p, &m); err != nil {
			return err
		}
		if err := fillSocket(&s, &m, netstat.TCP, false); err != nil {
			return err
		}
		if s.State == uint8(netstat.Listen) {
			c.listeners.add(&s)
		}
		return nil
	})
	return err
}
