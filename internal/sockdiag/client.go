package sockdiag

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
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
	// 1<<netstat.Listen selects listeners). 0 selects every state /proc shows
	// (ProcStates); bits outside ProcStates are ignored. Selecting SYN_RECV also
	// selects request sockets (TCP_NEW_SYN_RECV).
	States uint32
	// Bytecode, when not empty, is an inet_diag program (see Bytecode): the dump then
	// holds only the sockets it accepts.
	Bytecode []byte
	// Extras fills Socket.Info (the whole tcp_info) and Socket.Congestion of TCP
	// sockets, and Socket.CgroupID where the kernel reports it. Socket.Info points
	// into the Client and is reused after fn returns, like the Socket.
	Extras bool
}

// Client runs sock_diag dumps. It keeps one netlink socket open between dumps and
// reuses its buffers, so a dump allocates nothing per row. A Client is not safe for
// concurrent use. Dumps list the sockets of the network namespace the Conn was
// opened in.
type Client struct {
	dial func() (Conn, error)
	conn Conn
	seq  uint32
	// chunks are the receive buffers of the pipelined dump reader.
	chunks []*chunk
	req    []byte
	aux    []byte // buffer of the secondary listener dump

	inet      InetMsg
	sock      netstat.Socket
	info      netstat.TCPInfo
	unix      UnixMsg
	listeners listenerIndex
	// extra reads what inet_diag lacks from /proc; nil: listeners' Send-Q stays 0 and
	// request sockets keep inet_diag's counts.
	extra *procExtra
}

// NewClient returns a Client that opens its netlink socket with dial, typically Dial.
// It reads nothing from /proc: TCP listeners have Send-Q 0 and request sockets
// inet_diag's retransmit count (see NewClientProc).
func NewClient(dial func() (Conn, error)) *Client {
	return &Client{dial: dial}
}

// NewClientProc returns a Client that opens its netlink socket with dial and reads
// the few values inet_diag does not carry from proc, a file system rooted at the
// /proc/<pid> directory of a thread in the dumped namespace ("net/tcp" is its
// /proc/net/tcp): a TCP listener's Send-Q (write_seq - snd_una), and with Timers a
// request socket's timer expiry count. It reads only when a dump has such rows.
func NewClientProc(dial func() (Conn, error), proc fs.FS) *Client {
	return &Client{dial: dial, extra: &procExtra{fsys: proc}}
}

// New returns a Client over the live kernel, reading what inet_diag lacks from
// /proc/thread-self (the namespace of the calling thread).
func New() *Client { return NewClientProc(Dial, os.DirFS("/proc/thread-self")) }

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
// dump order (the order of /proc/net/<proto>[6]), with the values /proc shows: request
// sockets carry their listener's uid, timer expiry is in 1/100 s, and LISTEN sockets'
// Send-Q and (with Timers) request sockets' retransmit counts are /proc's when the
// Client reads /proc (NewClientProc), else 0 and inet_diag's. Sockets /proc never
// lists (bound but inactive TCP sockets) are not dumped. The *Socket is reused after fn returns. An error from fn stops the dump and
// is returned as is. When the kernel has no diag handler for proto or family, the
// error wraps ErrUnsupported.
func (c *Client) InetSockets(ctx context.Context, proto netstat.Proto, family netstat.Family, opts Options, fn func(*netstat.Socket) error) error {
	r, err := inetRequest(proto, family, opts)
	if err != nil {
		return err
	}
	c.seq++
	c.req = AppendInetRequest(c.req[:0], c.seq, r)
	return c.inetDump(ctx, proto, r, opts.Extras, TypeSockDiagByFamily, procName(proto, family), fn)
}

// InetSocketsBoth is InetSockets for both address families at once: fn sees the IPv4
// and IPv6 sockets of proto mixed, in the order of one walk of the kernel's socket
// tables, so each family's sockets come in the order of its /proc file. Two
// InetSockets dumps walk the whole table twice, since each skips the other family's
// sockets; this one walks it once. It uses the request inet_diag keeps for
// compatibility (TCPDIAG_GETSOCK, struct inet_diag_req), which the kernel serves for
// TCP only: for other protocols, or a kernel without it, the error wraps
// ErrUnsupported.
func (c *Client) InetSocketsBoth(ctx context.Context, proto netstat.Proto, opts Options, fn func(*netstat.Socket) error) error {
	if proto != netstat.TCP {
		return fmt.Errorf("%w: no single dump of both families for %s", ErrUnsupported, proto)
	}
	r, err := inetRequest(proto, netstat.IPv4, opts)
	if err != nil {
		return err
	}
	c.seq++
	c.req = appendCompatRequest(c.req[:0], c.seq, r)
	return c.inetDump(ctx, proto, r, opts.Extras, typeTCPDiagGetSock, "tcp and tcp6", fn)
}

// inetDump runs the inet_diag dump request in c.req, built from r, whose reply messages
// have type msgType (the request's type). A compatibility request (typeTCPDiagGetSock)
// lists both families.
func (c *Client) inetDump(ctx context.Context, proto netstat.Proto, r InetRequest, extras bool, msgType uint16, name string, fn func(*netstat.Socket) error) error {
	both := msgType == typeTCPDiagGetSock
	c.listeners.reset()
	if c.extra != nil {
		c.extra.reset()
	}
	// Listeners precede every other socket in the dump, so by the time a request
	// socket arrives, its listener has been seen, unless a program filtered it out:
	// then request sockets find their listener in a dump of their own.
	indexListeners := r.States&(1<<netstat.Listen) != 0 && len(r.Bytecode) == 0
	c.listeners.complete = indexListeners
	useInfo := r.Ext&ExtInfo != 0
	var fnErr error
	err := c.run(ctx, msgType, func(p []byte) error {
		if err := DecodeInetMsg(p, &c.inet); err != nil {
			return err
		}
		if c.inet.Family != r.Family && !(both && c.inet.Family == AFInet6) {
			return malformed("inet_diag_msg of family %d in a dump of family %d", c.inet.Family, r.Family)
		}
		s := &c.sock
		if err := fillSocket(s, &c.inet, proto, useInfo); err != nil {
			return err
		}
		if extras {
			if err := fillExtras(s, &c.inet, &c.info); err != nil {
				return err
			}
		}
		if proto == netstat.TCP {
			switch {
			case s.State == netstat.Listen:
				if indexListeners {
					c.listeners.add(s)
				}
				if c.extra != nil {
					if err := c.extra.listenerSendQ(s); err != nil {
						return err
					}
				}
			case isRequestSock(s):
				uid, ambiguous, err := c.requestUID(ctx, s, both)
				if err != nil {
					return err
				}
				s.UID = uid
				if c.extra != nil && (useInfo || ambiguous) {
					if err := c.extra.request(s, useInfo, ambiguous); err != nil {
						return err
					}
				}
			}
		}
		if err := fn(s); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	if err != nil && err != fnErr {
		return fmt.Errorf("sock_diag dump of %s: %w", name, err)
	}
	return err
}

// typeTCPDiagGetSock is TCPDIAG_GETSOCK, the message type of inet_diag's compatibility
// request and of each socket in its reply.
const typeTCPDiagGetSock = 18

// appendCompatRequest appends a TCPDIAG_GETSOCK dump request with sequence number seq
// for r's states, extensions and program (struct inet_diag_req, 60 bytes: family,
// src_len, dst_len, ext, a zero socket id of 48 bytes, states, dbs). The kernel ignores the
// family of this request's dumps and lists every family.
func appendCompatRequest(b []byte, seq uint32, r InetRequest) []byte {
	start := len(b)
	b = appendHeader(b, typeTCPDiagGetSock, flagRequest|flagDump, seq)
	b = append(b, r.Family, 0, 0, r.Ext)
	b = append(b, make([]byte, 48)...)
	b = native.AppendUint32(b, r.States)
	b = native.AppendUint32(b, 0)
	if len(r.Bytecode) > 0 {
		b = native.AppendUint16(b, uint16(attrLen+len(r.Bytecode)))
		b = native.AppendUint16(b, attrReqBytecode)
		b = append(b, r.Bytecode...)
		b = append(b, make([]byte, align4(len(b)-start)-(len(b)-start))...)
	}
	return finishMessage(b, start)
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
	err := c.run(ctx, TypeSockDiagByFamily, func(p []byte) error {
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
// if needed, and passes every socket message (of type msgType) of the reply to fn. A
// connection whose dump did not run to its end is closed, so the next dump starts on a
// clean socket.
func (c *Client) run(ctx context.Context, msgType uint16, fn func([]byte) error) error {
	if c.conn == nil {
		conn, err := c.dial()
		if err != nil {
			return err
		}
		c.conn = conn
	}
	finished, err := pipelinedDump(ctx, c.conn, &c.chunks, c.req, c.seq, msgType, fn)
	if !finished {
		c.conn.Close() // the error that stopped the dump is the one to report
		c.conn = nil
	}
	return err
}

// dump sends req on conn and calls fn with the payload of each socket message (type
// msgType) of the reply, until the kernel ends the dump with NLMSG_DONE or NLMSG_ERROR. Messages of
// other sequence numbers (stale replies) are skipped. finished reports whether the
// kernel ended the dump, so that conn carries nothing more and may be reused.
func dump(ctx context.Context, conn Conn, buf, req []byte, seq uint32, msgType uint16, fn func([]byte) error) (finished bool, err error) {
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
		finished, err := walkDatagram(buf[:n], seq, msgType, fn)
		if finished || err != nil {
			return finished, err
		}
	}
}

// The kernel does most of a dump's work: it walks its socket table and lays out a
// datagram for each recvmsg. pipelinedDump has a second goroutine read the datagrams
// ahead into chunks while fn works through earlier ones, so the kernel's work and
// ours overlap (on machines with more than one CPU). Datagrams are handed over a
// chunk at a time, which keeps goroutine wake-ups far fewer than datagrams.
//
// A chunk is made when the reader finds none free, each twice the size of the one
// before (64 KiB for the first, which holds a datagram: most dumps are one or two),
// up to maxChunks chunks (960 KiB in all). fn is normally faster than the kernel and hands
// chunks back before the reader needs them. The Client keeps its chunks for its next
// dumps.
const maxChunks = 4

// chunk holds consecutive datagrams of a dump reply.
type chunk struct {
	buf  []byte
	ends []int // end offset of each datagram in buf
	// err is the error that stopped the reader after the datagrams, if any.
	err error
	// last reports that the reader stopped after this chunk: the dump ended (or
	// could not go on) within it, or err is set.
	last bool
}

// pipelinedDump is dump with the datagrams read ahead by a second goroutine, which
// stops before it returns.
func pipelinedDump(ctx context.Context, conn Conn, chunks *[]*chunk, req []byte, seq uint32, msgType uint16, fn func([]byte) error) (finished bool, err error) {
	if err := conn.Send(req); err != nil {
		return false, err
	}
	full := make(chan *chunk, maxChunks)
	free := make(chan *chunk, maxChunks)
	for _, ch := range *chunks {
		free <- ch
	}
	stop := make(chan struct{})
	go readChunks(ctx, conn, seq, msgType, chunks, free, full, stop)
	defer func() {
		close(stop)
		for range full { // until the reader has stopped and closed it
		}
	}()
	for ch := range full {
		start := 0
		for _, end := range ch.ends {
			finished, err := walkDatagram(ch.buf[start:end], seq, msgType, fn)
			if finished || err != nil {
				return finished, err
			}
			start = end
		}
		if ch.err != nil {
			return false, ch.err
		}
		if ch.last {
			break
		}
		free <- ch
	}
	return false, errors.New("netlink dump reader stopped before the end of the dump")
}

// readChunks fills chunks from free, or new ones added to *chunks, with datagrams and
// passes them on to full, until the dump ends, receiving fails or stop is closed; then
// it closes full. Until then, only it touches *chunks.
func readChunks(ctx context.Context, conn Conn, seq uint32, msgType uint16, chunks *[]*chunk, free <-chan *chunk, full chan<- *chunk, stop <-chan struct{}) {
	defer close(full)
	noop := func([]byte) error { return nil }
	for {
		var ch *chunk
		select {
		case ch = <-free:
		case <-stop:
			return
		default:
			if n := len(*chunks); n < maxChunks {
				ch = &chunk{buf: make([]byte, bufferSize<<n)}
				*chunks = append(*chunks, ch)
				break
			}
			select {
			case ch = <-free:
			case <-stop:
				return
			}
		}
		ch.ends, ch.err, ch.last = ch.ends[:0], nil, false
		for off := 0; off+bufferSize <= len(ch.buf); {
			select {
			case <-stop:
				return
			default:
			}
			if err := ctx.Err(); err != nil {
				ch.err, ch.last = err, true
				break
			}
			n, err := conn.Receive(ch.buf[off : off+bufferSize])
			if err == nil && (n > bufferSize || n < 0) {
				err = fmt.Errorf("receive returned %d bytes for a buffer of %d", n, bufferSize)
			}
			if err != nil {
				ch.err, ch.last = err, true
				break
			}
			ch.ends = append(ch.ends, off+n)
			// The consumer walks the datagram again and reports how the dump ended;
			// here only whether to read on matters.
			if finished, err := walkDatagram(ch.buf[off:off+n], seq, msgType, noop); finished || err != nil {
				ch.last = true
				break
			}
			off += n
		}
		full <- ch
		if ch.last {
			return
		}
	}
}

// walkDatagram passes the socket messages (type msgType) of one datagram of a dump
// reply with sequence number seq to fn. finished reports that the datagram ended the dump; err
// is then the kernel's error, if any. NLM_F_DUMP_INTR (the table changed during the
// dump, so a socket may be missing or repeated, as with /proc) is not an error.
func walkDatagram(b []byte, seq uint32, msgType uint16, fn func([]byte) error) (finished bool, err error) {
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
		case msgType:
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
		if opts.Timers || opts.Extras {
			r.Ext = ExtInfo
		}
		if opts.Extras {
			r.Ext |= ExtCong
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
	r.States = opts.States & ProcStates
	r.Bytecode = opts.Bytecode
	if opts.States == 0 {
		r.States = ProcStates
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

// listenerIndex maps TCP listeners to the uid /proc shows for their request sockets,
// which get_openreq4/6 take from the request's own listener (req->rsk_listener). A
// request socket has its listener's family (an IPv4 connection to a dual-stack
// listener is a v4-mapped request socket in tcp6), so one family's listeners suffice.
//
// Listeners are keyed by address, port and bound interface: two wildcard listeners on
// one port bound to different devices (SO_BINDTODEVICE) may belong to different users,
// and a request socket reports its listener's device as its own (ir_iif is the
// listener's sk_bound_dev_if when it has one). Listeners of one SO_REUSEPORT group
// share a key; the kernel requires them to have one owner, but fchown(2) on a socket
// can change it later: a key whose listeners disagree is ambiguous, and the Client
// then asks /proc.
type listenerIndex struct {
	uids map[listenerKey]listenerUID
	// complete records that uids holds every listener of the dumped family.
	complete bool
}

type listenerKey struct {
	local   netip.AddrPort
	ifindex uint32
}

type listenerUID struct {
	uid       uint32
	ambiguous bool // listeners of this key have different uids
}

func (x *listenerIndex) reset() {
	clear(x.uids)
	x.complete = false
}

// add records a listening socket.
func (x *listenerIndex) add(s *netstat.Socket) {
	if x.uids == nil {
		x.uids = make(map[listenerKey]listenerUID)
	}
	k := listenerKey{s.Local, s.IfIndex}
	if u, dup := x.uids[k]; dup {
		if u.uid != s.UID {
			u.ambiguous = true
			x.uids[k] = u
		}
		return
	}
	x.uids[k] = listenerUID{uid: s.UID}
}

// lookup finds the listener that accepted the request socket s, as the kernel's
// listener lookup prefers them: bound to the request's address over the wildcard
// address, and, for each, bound to the request's interface over bound to none. (A
// request reports interface 0, or a device its listener is not bound to under
// l3mdev, when its listener is bound to none.)
func (x *listenerIndex) lookup(s *netstat.Socket) (listenerUID, bool) {
	wildcard := netip.IPv6Unspecified()
	if s.Local.Addr().Is4() {
		wildcard = netip.IPv4Unspecified()
	}
	for _, addr := range [2]netip.Addr{s.Local.Addr(), wildcard} {
		ap := netip.AddrPortFrom(addr, s.Local.Port())
		if u, ok := x.uids[listenerKey{ap, s.IfIndex}]; ok {
			return u, true
		}
		if s.IfIndex != 0 {
			if u, ok := x.uids[listenerKey{ap, 0}]; ok {
				return u, true
			}
		}
	}
	return listenerUID{}, false
}

// requestUID returns the uid /proc shows for the request socket s: its listener's.
// Listeners are indexed as the dump passes them (they precede all other sockets); a
// dump without LISTEN fetches them once, on a second connection: those of s's family,
// or of both families for a dump of both. ambiguous reports that the listener could
// not be told apart from another of a different uid.
func (c *Client) requestUID(ctx context.Context, s *netstat.Socket, both bool) (uid uint32, ambiguous bool, err error) {
	if u, ok := c.listeners.lookup(s); ok || c.listeners.complete {
		return u.uid, u.ambiguous, nil
	}
	families := []netstat.Family{s.Family}
	if both {
		families = []netstat.Family{netstat.IPv4, netstat.IPv6}
	}
	for _, f := range families {
		if err := c.loadListeners(ctx, f); err != nil {
			return 0, false, fmt.Errorf("listeners for request socket uid: %w", err)
		}
	}
	u, _ := c.listeners.lookup(s)
	return u.uid, u.ambiguous, nil
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
	_, err = dump(ctx, conn, c.aux, AppendInetRequest(nil, 1, r), 1, TypeSockDiagByFamily, func(p []byte) error {
		if err := DecodeInetMsg(p, &m); err != nil {
			return err
		}
		if err := fillSocket(&s, &m, netstat.TCP, false); err != nil {
			return err
		}
		if s.State == netstat.Listen {
			c.listeners.add(&s)
		}
		return nil
	})
	return err
}
