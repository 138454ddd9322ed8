//go:build linux

// Command holder creates the sockets of one named differential-test fixture, prints
// READY on stdout and then keeps them open until it is killed or its standard input
// reaches end of file (so that holders never outlive the test process that started
// them).
//
// Usage:
//
//	holder FIXTURE [ARG...]
//
// Fixtures (see spec Appendix A.2; DIR is a scratch directory for Unix socket paths):
//
//	idle               no sockets (a process that anchors a namespace)
//	f1 DIR             F1 "basic": every protocol once
//	f2 DIR             F2 "truncation": long host names, IPv6, mapped addresses, odd paths
//	f3 DIR             F3 "TCP states": every TCP state, raw state 1, connected unix dgram
//	f7                 F7 traffic generator: runs once, closes everything, then idles
//	listen PORT [ADDR] one TCP listener (the spec's hold.py)
//	ulisten NAME       one abstract Unix stream listener @NAME
//	pend NAME          Unix listener @NAME with two connected, unaccepted clients
//	f8misc             F8 host/service/protocol edge cases
//	fork PORT          a listener shared with a child process (child PID printed first)
//	mixed DIR          a larger population: many sockets, queues, UDP-Lite, raw, unix
//	edge DIR           SO_REUSEPORT groups, descriptors in flight, 7-digit queues,
//	                   IPv6 text forms, odd Unix names, dead peers
//	foreign NSPATH P   sockets created in the namespace NSPATH by a process living elsewhere
//	stall DST P DEV    an ESTABLISHED connection retransmitting forever (needs a peer)
//	scale N            N TCP pairs plus IPv6, UDP and Unix sockets in proportion
//	names              rows for host names at and past net-tools' 128-byte buffers
//	mcast              multicast group memberships on lo (and eth01 if present)
//	bulk BYTES         one loopback TCP transfer of BYTES, then idle
//	traffic2           statistics traffic beyond f7 (overflow, UDP-Lite, fragments, RST)
//	inactive           bound-only and refused TCP sockets; listeners with a /proc Send-Q
//	deferred P DEV A N TCP_DEFER_ACCEPT listener on port P (bound to DEV, "-" for none)
//	                   with N silent clients of A:P: SYN_RECV rows whose timer expires
//
// Before READY the holder may print lines "PID n" naming extra processes it started;
// whoever stops the holder must stop those too. Errors go to stderr, exit status 1.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Socket constants the syscall package does not name.
const (
	ipprotoUDPLite  = 136
	tcpDeferAccept  = 9 // TCP_DEFER_ACCEPT
	maxFloodWrites  = 100000
	childReadyLimit = 10 * time.Second
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: holder FIXTURE [ARG...]")
		os.Exit(2)
	}
	h := &holder{}
	if err := h.run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "holder %s: %v\n", os.Args[1], err)
		h.stopChildren()
		os.Exit(1)
	}
	fmt.Println("READY")
	wait()
	h.stopChildren()
	runtime.KeepAlive(h)
}

// wait blocks until SIGTERM/SIGINT/SIGHUP or end of file on standard input.
func wait() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	eof := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(eof)
	}()
	select {
	case <-sig:
	case <-eof:
	}
}

// holder keeps every descriptor it creates, so nothing is closed behind its back.
type holder struct {
	fds      []int
	files    []*os.File
	children []*exec.Cmd
}

func (h *holder) stopChildren() {
	for _, c := range h.children {
		if c.Process != nil {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
	}
}

func (h *holder) run(name string, args []string) error {
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch name {
	case "idle":
		return nil
	case "f1":
		return h.f1(arg(0))
	case "f2":
		return h.f2(arg(0))
	case "f3":
		return h.f3(arg(0))
	case "f7":
		return f7()
	case "listen":
		port, err := strconv.Atoi(arg(0))
		if err != nil {
			return err
		}
		addr := arg(1)
		if addr == "" {
			addr = "127.0.0.1"
		}
		_, err = h.listenTCP(addr, port, 1, nil)
		return err
	case "ulisten":
		_, err := h.listenUnix(syscall.SOCK_STREAM, "@"+arg(0), 1)
		return err
	case "pend":
		return h.pend(arg(0))
	case "f8misc":
		return h.f8misc()
	case "fork":
		port, err := strconv.Atoi(arg(0))
		if err != nil {
			return err
		}
		return h.fork(port)
	case "child":
		// The shared listener arrives as descriptor 3.
		h.files = append(h.files, os.NewFile(3, "inherited"))
		return nil
	case "mixed":
		return h.mixed(arg(0))
	case "edge":
		return h.edge(arg(0))
	case "foreign":
		port, err := strconv.Atoi(arg(1))
		if err != nil {
			return err
		}
		return h.foreign(arg(0), port)
	case "stall":
		port, err := strconv.Atoi(arg(1))
		if err != nil {
			return err
		}
		return h.stall(arg(0), port, arg(2))
	case "scale":
		count, err := strconv.Atoi(arg(0))
		if err != nil {
			return err
		}
		return h.scale(count)
	case "names":
		return h.names()
	case "mcast":
		return h.mcast()
	case "bulk":
		size, err := strconv.Atoi(arg(0))
		if err != nil {
			return err
		}
		return bulk(size)
	case "traffic2":
		return traffic2()
	case "inactive":
		return h.inactive()
	case "deferred":
		port, err := strconv.Atoi(arg(0))
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(arg(3))
		if err != nil {
			return err
		}
		return h.deferred(port, arg(1), arg(2), n)
	}
	return fmt.Errorf("unknown fixture %q", name)
}

// ---------------------------------------------------------------------------------
// Socket primitives (raw system calls: full control over options, no finalizers).

func (h *holder) socket(domain, typ, proto int) (int, error) {
	fd, err := syscall.Socket(domain, typ|syscall.SOCK_CLOEXEC, proto)
	if err != nil {
		return -1, fmt.Errorf("socket(%d,%d,%d): %w", domain, typ, proto, err)
	}
	h.fds = append(h.fds, fd)
	return fd, nil
}

// closeFd closes fd and forgets it.
func (h *holder) closeFd(fd int) {
	for i, f := range h.fds {
		if f == fd {
			h.fds = append(h.fds[:i], h.fds[i+1:]...)
			break
		}
	}
	_ = syscall.Close(fd)
}

func sockaddr(addr string, port int) (syscall.Sockaddr, int, error) {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return nil, 0, err
	}
	if a.Is4() {
		return &syscall.SockaddrInet4{Port: port, Addr: a.As4()}, syscall.AF_INET, nil
	}
	return &syscall.SockaddrInet6{Port: port, Addr: a.As16()}, syscall.AF_INET6, nil
}

// opts tweaks a socket between socket() and bind().
type opts struct {
	dualStack   bool // IPV6_V6ONLY=0 (default is 1)
	deferAccept int  // TCP_DEFER_ACCEPT seconds
	rcvbuf      int  // SO_RCVBUF
	keepalive   bool // SO_KEEPALIVE (set after connect)
}

func (h *holder) prepare(fd, fam int, o *opts) error {
	if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1); err != nil {
		return fmt.Errorf("SO_REUSEADDR: %w", err)
	}
	if fam == syscall.AF_INET6 {
		v6only := 1
		if o != nil && o.dualStack {
			v6only = 0
		}
		if err := syscall.SetsockoptInt(fd, syscall.IPPROTO_IPV6, syscall.IPV6_V6ONLY, v6only); err != nil {
			return fmt.Errorf("IPV6_V6ONLY: %w", err)
		}
	}
	if o != nil && o.rcvbuf > 0 {
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, o.rcvbuf); err != nil {
			return fmt.Errorf("SO_RCVBUF: %w", err)
		}
	}
	return nil
}

// listenTCP returns a TCP listener on addr:port.
func (h *holder) listenTCP(addr string, port, backlog int, o *opts) (int, error) {
	sa, fam, err := sockaddr(addr, port)
	if err != nil {
		return -1, err
	}
	fd, err := h.socket(fam, syscall.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	if err := h.prepare(fd, fam, o); err != nil {
		return -1, err
	}
	if o != nil && o.deferAccept > 0 {
		if err := syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, tcpDeferAccept, o.deferAccept); err != nil {
			return -1, fmt.Errorf("TCP_DEFER_ACCEPT: %w", err)
		}
	}
	if err := syscall.Bind(fd, sa); err != nil {
		return -1, fmt.Errorf("bind %s:%d: %w", addr, port, err)
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		return -1, fmt.Errorf("listen %s:%d: %w", addr, port, err)
	}
	return fd, nil
}

// dialTCP connects from src:sport (sport 0 = any) to dst:dport.
func (h *holder) dialTCP(dst string, dport int, src string, sport int, o *opts) (int, error) {
	dsa, fam, err := sockaddr(dst, dport)
	if err != nil {
		return -1, err
	}
	fd, err := h.socket(fam, syscall.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	if err := h.prepare(fd, fam, o); err != nil {
		return -1, err
	}
	if src != "" {
		ssa, _, err := sockaddr(src, sport)
		if err != nil {
			return -1, err
		}
		if err := syscall.Bind(fd, ssa); err != nil {
			return -1, fmt.Errorf("bind %s:%d: %w", src, sport, err)
		}
	}
	if err := syscall.Connect(fd, dsa); err != nil {
		return -1, fmt.Errorf("connect %s:%d: %w", dst, dport, err)
	}
	if o != nil && o.keepalive {
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_KEEPALIVE, 1); err != nil {
			return -1, fmt.Errorf("SO_KEEPALIVE: %w", err)
		}
	}
	return fd, nil
}

func (h *holder) accept(l int) (int, error) {
	fd, _, err := syscall.Accept4(l, syscall.SOCK_CLOEXEC)
	if err != nil {
		return -1, fmt.Errorf("accept: %w", err)
	}
	h.fds = append(h.fds, fd)
	return fd, nil
}

// pair makes a connection to listener l and accepts it.
func (h *holder) pair(l int, dst string, dport int, src string, sport int) (c, a int, err error) {
	if c, err = h.dialTCP(dst, dport, src, sport, nil); err != nil {
		return -1, -1, err
	}
	if a, err = h.accept(l); err != nil {
		return -1, -1, err
	}
	return c, a, nil
}

// udp returns a datagram socket (proto 0 = UDP, 136 = UDP-Lite) bound to addr:port and,
// if dst is not empty, connected to dst:dport.
func (h *holder) udp(proto int, addr string, port int, dst string, dport int, o *opts) (int, error) {
	sa, fam, err := sockaddr(addr, port)
	if err != nil {
		return -1, err
	}
	fd, err := h.socket(fam, syscall.SOCK_DGRAM, proto)
	if err != nil {
		return -1, err
	}
	if err := h.prepare(fd, fam, o); err != nil {
		return -1, err
	}
	if err := syscall.Bind(fd, sa); err != nil {
		return -1, fmt.Errorf("bind udp %s:%d: %w", addr, port, err)
	}
	if dst != "" {
		dsa, _, err := sockaddr(dst, dport)
		if err != nil {
			return -1, err
		}
		if err := syscall.Connect(fd, dsa); err != nil {
			return -1, fmt.Errorf("connect udp %s:%d: %w", dst, dport, err)
		}
	}
	return fd, nil
}

// sendTo sends n datagrams of size bytes from fd to dst:dport.
func sendTo(fd int, dst string, dport, n, size int) error {
	sa, _, err := sockaddr(dst, dport)
	if err != nil {
		return err
	}
	buf := make([]byte, size)
	for i := 0; i < n; i++ {
		if err := syscall.Sendto(fd, buf, 0, sa); err != nil {
			return fmt.Errorf("sendto %s:%d: %w", dst, dport, err)
		}
	}
	return nil
}

// raw returns a raw socket, optionally bound and/or connected.
func (h *holder) raw(fam, proto int, bind, connect string) (int, error) {
	fd, err := h.socket(fam, syscall.SOCK_RAW, proto)
	if err != nil {
		return -1, err
	}
	if bind != "" {
		sa, _, err := sockaddr(bind, 0)
		if err != nil {
			return -1, err
		}
		if err := syscall.Bind(fd, sa); err != nil {
			return -1, fmt.Errorf("bind raw %s: %w", bind, err)
		}
	}
	if connect != "" {
		sa, _, err := sockaddr(connect, 0)
		if err != nil {
			return -1, err
		}
		if err := syscall.Connect(fd, sa); err != nil {
			return -1, fmt.Errorf("connect raw %s: %w", connect, err)
		}
	}
	return fd, nil
}

// unixPath removes a stale socket file and creates the parent directory.
func unixPath(p string) error {
	if strings.HasPrefix(p, "@") {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// unixSock returns a Unix socket of the given type, bound to name ("" = unbound,
// "@x" = abstract).
func (h *holder) unixSock(typ int, name string) (int, error) {
	fd, err := h.socket(syscall.AF_UNIX, typ, 0)
	if err != nil {
		return -1, err
	}
	if name != "" {
		if err := unixPath(name); err != nil {
			return -1, err
		}
		if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: name}); err != nil {
			return -1, fmt.Errorf("bind unix %q: %w", name, err)
		}
	}
	return fd, nil
}

func (h *holder) listenUnix(typ int, name string, backlog int) (int, error) {
	fd, err := h.unixSock(typ, name)
	if err != nil {
		return -1, err
	}
	if err := syscall.Listen(fd, backlog); err != nil {
		return -1, fmt.Errorf("listen unix %q: %w", name, err)
	}
	return fd, nil
}

func (h *holder) connectUnix(typ int, name string) (int, error) {
	fd, err := h.socket(syscall.AF_UNIX, typ, 0)
	if err != nil {
		return -1, err
	}
	if err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: name}); err != nil {
		return -1, fmt.Errorf("connect unix %q: %w", name, err)
	}
	return fd, nil
}

func (h *holder) socketpair(typ int) error {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, typ|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socketpair: %w", err)
	}
	h.fds = append(h.fds, fds[0], fds[1])
	return nil
}

// floodAndClose writes until the send buffer is full, then closes fd (leaving an
// orphaned socket with unsent data).
func (h *holder) floodAndClose(fd int) error {
	if err := syscall.SetNonblock(fd, true); err != nil {
		return err
	}
	buf := make([]byte, 65536)
	for i := 0; i < maxFloodWrites; i++ {
		if _, err := syscall.Write(fd, buf); err != nil {
			if errors.Is(err, syscall.EAGAIN) {
				h.closeFd(fd)
				return nil
			}
			return fmt.Errorf("flood: %w", err)
		}
	}
	return errors.New("flood: send buffer never filled")
}

func write(fd int, n int) error {
	_, err := syscall.Write(fd, make([]byte, n))
	return err
}

// ---------------------------------------------------------------------------------
// Fixtures.

// f1 is Appendix A.2 F1.
func (h *holder) f1(dir string) error {
	if _, err := h.listenTCP("0.0.0.0", 22, 5, nil); err != nil {
		return err
	}
	l8080, err := h.listenTCP("127.0.0.1", 8080, 5, nil)
	if err != nil {
		return err
	}
	if _, err := h.listenTCP("::", 80, 5, nil); err != nil {
		return err
	}
	l6, err := h.listenTCP("::1", 8443, 5, nil)
	if err != nil {
		return err
	}
	c, _, err := h.pair(l8080, "127.0.0.1", 8080, "127.0.0.1", 40000)
	if err != nil {
		return err
	}
	if err := write(c, 100); err != nil {
		return err
	}
	if _, _, err := h.pair(l6, "::1", 8443, "::1", 40001); err != nil {
		return err
	}
	if _, err := h.udp(0, "0.0.0.0", 53, "", 0, nil); err != nil {
		return err
	}
	if _, err := h.udp(0, "127.0.0.1", 5353, "127.0.0.1", 53, nil); err != nil {
		return err
	}
	if _, err := h.udp(0, "::", 123, "", 0, nil); err != nil {
		return err
	}
	if _, err := h.raw(syscall.AF_INET, syscall.IPPROTO_ICMP, "", ""); err != nil {
		return err
	}
	if _, err := h.raw(syscall.AF_INET6, syscall.IPPROTO_ICMPV6, "", ""); err != nil {
		return err
	}
	if _, err := h.udp(ipprotoUDPLite, "0.0.0.0", 7000, "", 0, nil); err != nil {
		return err
	}
	if _, err := h.udp(ipprotoUDPLite, "::", 7001, "", 0, nil); err != nil {
		return err
	}
	us, err := h.listenUnix(syscall.SOCK_STREAM, dir+"/ustream", 5)
	if err != nil {
		return err
	}
	if _, err := h.listenUnix(syscall.SOCK_STREAM, "@abstract-listener", 5); err != nil {
		return err
	}
	if _, err := h.connectUnix(syscall.SOCK_STREAM, dir+"/ustream"); err != nil {
		return err
	}
	if _, err := h.accept(us); err != nil {
		return err
	}
	if _, err := h.unixSock(syscall.SOCK_DGRAM, dir+"/udgram"); err != nil {
		return err
	}
	if _, err := h.listenUnix(syscall.SOCK_SEQPACKET, dir+"/useq", 1); err != nil {
		return err
	}
	if err := h.socketpair(syscall.SOCK_STREAM); err != nil {
		return err
	}
	_, err = h.unixSock(syscall.SOCK_STREAM, "")
	return err
}

// f2 is Appendix A.2 F2.
func (h *holder) f2(dir string) error {
	const a6 = "fd00:1234:5678:9abc:def0:1234:5678:9abc"
	l, err := h.listenTCP("127.0.0.2", 8080, 5, nil)
	if err != nil {
		return err
	}
	if _, _, err := h.pair(l, "127.0.0.2", 8080, "127.0.0.2", 40010); err != nil {
		return err
	}
	if l, err = h.listenTCP("127.0.0.3", 3, 5, nil); err != nil {
		return err
	}
	if _, _, err := h.pair(l, "127.0.0.3", 3, "127.0.0.2", 65535); err != nil {
		return err
	}
	if l, err = h.listenTCP(a6, 12345, 5, nil); err != nil {
		return err
	}
	if _, _, err := h.pair(l, a6, 12345, "fd00::2", 54321); err != nil {
		return err
	}
	if l, err = h.listenTCP("::", 9090, 5, &opts{dualStack: true}); err != nil {
		return err
	}
	if _, _, err := h.pair(l, "127.0.0.1", 9090, "127.0.0.1", 40020); err != nil {
		return err
	}
	if _, err := h.udp(0, a6, 5000, "fd00::2", 5001, nil); err != nil {
		return err
	}
	if _, err := h.listenUnix(syscall.SOCK_STREAM, dir+"/"+strings.Repeat("d", 70)+"/sock", 1); err != nil {
		return err
	}
	if _, err := h.unixSock(syscall.SOCK_DGRAM, dir+"/with space"); err != nil {
		return err
	}
	_, err = h.unixSock(syscall.SOCK_DGRAM, "@abs\x00with-nul")
	return err
}

// f3 is Appendix A.2 F3. The namespace must route 10.9.0.0/24 to a link on which
// 10.9.0.3 never answers (a permanent neighbour entry keeps the SYN in flight).
func (h *holder) f3(dir string) error {
	// LISTEN with 2 queued connections.
	if _, err := h.listenTCP("127.0.0.1", 7000, 7, nil); err != nil {
		return err
	}
	for _, sport := range []int{41001, 41002} {
		if _, err := h.dialTCP("127.0.0.1", 7000, "127.0.0.1", sport, nil); err != nil {
			return err
		}
	}
	// TIME_WAIT (client closes first, then the server).
	lt, err := h.listenTCP("127.0.0.1", 7001, 5, nil)
	if err != nil {
		return err
	}
	c, a, err := h.pair(lt, "127.0.0.1", 7001, "127.0.0.1", 41011)
	if err != nil {
		return err
	}
	h.closeFd(c)
	time.Sleep(100 * time.Millisecond)
	h.closeFd(a)
	// FIN_WAIT2 (orphaned client) / CLOSE_WAIT (server keeps its end).
	c, _, err = h.pair(lt, "127.0.0.1", 7001, "127.0.0.1", 41012)
	if err != nil {
		return err
	}
	h.closeFd(c)
	// SYN_RECV: a defer-accept listener keeps the request socket after the bare ACK.
	if _, err := h.listenTCP("127.0.0.1", 7002, 5, &opts{deferAccept: 3600}); err != nil {
		return err
	}
	if _, err := h.dialTCP("127.0.0.1", 7002, "127.0.0.1", 41021, nil); err != nil {
		return err
	}
	// Keepalive.
	lk, err := h.listenTCP("127.0.0.1", 7003, 5, nil)
	if err != nil {
		return err
	}
	if _, err := h.dialTCP("127.0.0.1", 7003, "127.0.0.1", 41031, &opts{keepalive: true}); err != nil {
		return err
	}
	if _, err := h.accept(lk); err != nil {
		return err
	}
	// FIN_WAIT1 with a zero window.
	lz, err := h.listenTCP("127.0.0.1", 7004, 5, nil)
	if err != nil {
		return err
	}
	if _, err := h.dialTCP("127.0.0.1", 7004, "127.0.0.1", 41041, &opts{rcvbuf: 4096}); err != nil {
		return err
	}
	a, err = h.accept(lz)
	if err != nil {
		return err
	}
	if err := h.floodAndClose(a); err != nil {
		return err
	}
	// LAST_ACK: the client half-closes, the server floods and closes.
	cl, err := h.dialTCP("127.0.0.1", 7004, "127.0.0.1", 41051, &opts{rcvbuf: 4096})
	if err != nil {
		return err
	}
	if a, err = h.accept(lz); err != nil {
		return err
	}
	if err := syscall.Shutdown(cl, syscall.SHUT_WR); err != nil {
		return err
	}
	time.Sleep(100 * time.Millisecond)
	if err := h.floodAndClose(a); err != nil {
		return err
	}
	// SYN_SENT towards an address that never answers.
	s, err := h.socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
	if err != nil {
		return err
	}
	sa, _, _ := sockaddr("10.9.0.3", 7999)
	if err := syscall.Connect(s, sa); err != nil && !errors.Is(err, syscall.EINPROGRESS) {
		return fmt.Errorf("connect 10.9.0.3: %w", err)
	}
	// Raw socket in state 1 (connected).
	if _, err := h.raw(syscall.AF_INET, syscall.IPPROTO_UDP, "", "127.0.0.1"); err != nil {
		return err
	}
	// Connected Unix datagram socket.
	p := dir + "/u3d"
	if _, err := h.unixSock(syscall.SOCK_DGRAM, p); err != nil {
		return err
	}
	if _, err := h.connectUnix(syscall.SOCK_DGRAM, p); err != nil {
		return err
	}
	// Let the zero-window exchanges settle.
	time.Sleep(300 * time.Millisecond)
	return nil
}

// pend is a Unix listener with two connected but never accepted clients.
func (h *holder) pend(name string) error {
	if _, err := h.listenUnix(syscall.SOCK_STREAM, "@"+name, 5); err != nil {
		return err
	}
	c, err := h.connectUnix(syscall.SOCK_STREAM, "@"+name)
	if err != nil {
		return err
	}
	if err := write(c, 10); err != nil {
		return err
	}
	_, err = h.connectUnix(syscall.SOCK_STREAM, "@"+name)
	return err
}

// f8misc holds F8's host/service/protocol edge cases.
func (h *holder) f8misc() error {
	l, err := h.listenTCP("127.0.0.0", 1234, 5, nil)
	if err != nil {
		return err
	}
	if _, _, err := h.pair(l, "127.0.0.0", 1234, "", 0); err != nil {
		return err
	}
	for _, e := range []struct {
		addr string
		port int
	}{
		{"127.1.0.0", 1235}, {"127.0.1.0", 1236},
		{"127.0.0.1", 4444}, {"127.0.0.3", 4445}, {"127.0.0.2", 4446},
		{"127.0.0.1", 4446}, {"127.0.0.1", 4447}, {"127.0.0.1", 4448}, {"127.0.0.1", 4449},
	} {
		if _, err := h.listenTCP(e.addr, e.port, 5, nil); err != nil {
			return err
		}
	}
	if _, err := h.udp(0, "127.0.0.1", 4449, "", 0, nil); err != nil {
		return err
	}
	if _, err := h.raw(syscall.AF_INET, 201, "", ""); err != nil {
		return err
	}
	_, err = h.raw(syscall.AF_INET, 200, "", "")
	return err
}

// fork makes a listener and hands it to a child process, which keeps it open.
func (h *holder) fork(port int) error {
	l, err := h.listenTCP("127.0.0.1", port, 5, nil)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(l), "listener")
	h.files = append(h.files, f)
	cmd := exec.Command(self, "child")
	cmd.Args[0] = "holder-child"
	cmd.ExtraFiles = []*os.File{f}
	cmd.Stdin = os.Stdin
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	h.children = append(h.children, cmd)
	ready := make(chan bool, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line) == "READY"
	}()
	select {
	case ok := <-ready:
		if !ok {
			return errors.New("child did not report READY")
		}
	case <-time.After(childReadyLimit):
		return errors.New("child READY timeout")
	}
	fmt.Printf("PID %d\n", cmd.Process.Pid)
	return nil
}

// mixed is a larger population for breadth: many rows (hash order), queues in every
// protocol, UDP-Lite and raw variants, and Unix sockets of every kind.
func (h *holder) mixed(dir string) error {
	// Many listeners and established pairs, on well-known and unnamed ports.
	ports := []int{1, 7, 21, 25, 110, 143, 443, 993, 3306, 5432, 6379, 11211, 27017, 65535}
	for i := 0; i < 24; i++ {
		ports = append(ports, 20000+i*97)
	}
	var ls []int
	for _, p := range ports {
		l, err := h.listenTCP("127.0.0.1", p, 16, nil)
		if err != nil {
			return err
		}
		ls = append(ls, l)
	}
	for i, l := range ls {
		if i%2 == 1 {
			continue
		}
		c, a, err := h.pair(l, "127.0.0.1", ports[i], "127.0.0.1", 30000+i)
		if err != nil {
			return err
		}
		if i%4 == 0 {
			if err := write(c, 10+i); err != nil {
				return err
			}
			if err := write(a, 1000+i); err != nil {
				return err
			}
		}
	}
	// IPv6 listener with three queued, unaccepted connections and one with data.
	if _, err := h.listenTCP("::1", 2049, 8, nil); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		c, err := h.dialTCP("::1", 2049, "::1", 31000+i, nil)
		if err != nil {
			return err
		}
		if i == 0 {
			if err := write(c, 77); err != nil {
				return err
			}
		}
	}
	// Dual-stack listener reached over IPv4 (v4-mapped rows), with keepalive on IPv6.
	ld, err := h.listenTCP("::", 8000, 5, &opts{dualStack: true})
	if err != nil {
		return err
	}
	if _, _, err := h.pair(ld, "127.0.0.1", 8000, "127.0.0.4", 31100); err != nil {
		return err
	}
	if _, err := h.dialTCP("::1", 8000, "::1", 31101, &opts{keepalive: true}); err != nil {
		return err
	}
	if _, err := h.accept(ld); err != nil {
		return err
	}
	// UDP: a bound socket with queued datagrams, connected pairs, IPv6 and mapped.
	ub, err := h.udp(0, "127.0.0.1", 6100, "", 0, nil)
	if err != nil {
		return err
	}
	us, err := h.udp(0, "127.0.0.1", 6101, "127.0.0.1", 6100, nil)
	if err != nil {
		return err
	}
	if err := write(us, 100); err != nil {
		return err
	}
	if err := sendTo(ub, "127.0.0.1", 6101, 2, 300); err != nil {
		return err
	}
	if err := sendTo(ub, "127.0.0.1", 6100, 3, 50); err != nil {
		return err
	}
	for i := 0; i < 12; i++ {
		if _, err := h.udp(0, "127.0.0.1", 6200+i, "127.0.0.1", 6300+i, nil); err != nil {
			return err
		}
	}
	u6, err := h.udp(0, "::1", 6110, "", 0, nil)
	if err != nil {
		return err
	}
	if err := sendTo(u6, "::1", 6110, 1, 10); err != nil {
		return err
	}
	if _, err := h.udp(0, "::", 6111, "", 0, &opts{dualStack: true}); err != nil {
		return err
	}
	if err := sendTo(ub, "127.0.0.1", 6111, 1, 20); err != nil {
		return err
	}
	if _, err := h.udp(0, "::", 6112, "::ffff:127.0.0.1", 6100, &opts{dualStack: true}); err != nil {
		return err
	}
	if _, err := h.udp(0, "::1", 137, "::1", 138, nil); err != nil {
		return err
	}
	// UDP-Lite: connected, with a queued datagram, and IPv6.
	if _, err := h.udp(ipprotoUDPLite, "127.0.0.1", 6120, "", 0, nil); err != nil {
		return err
	}
	ulc, err := h.udp(ipprotoUDPLite, "127.0.0.1", 6121, "127.0.0.1", 6120, nil)
	if err != nil {
		return err
	}
	if err := write(ulc, 40); err != nil {
		return err
	}
	if _, err := h.udp(ipprotoUDPLite, "::1", 6122, "::1", 6120, nil); err != nil {
		return err
	}
	// Raw: IPPROTO_RAW, bound, connected IPv6, unusual protocol numbers.
	if _, err := h.raw(syscall.AF_INET, syscall.IPPROTO_RAW, "", ""); err != nil {
		return err
	}
	if _, err := h.raw(syscall.AF_INET, syscall.IPPROTO_TCP, "127.0.0.5", ""); err != nil {
		return err
	}
	if _, err := h.raw(syscall.AF_INET6, syscall.IPPROTO_ICMPV6, "::1", "::1"); err != nil {
		return err
	}
	if _, err := h.raw(syscall.AF_INET6, 253, "", ""); err != nil {
		return err
	}
	// Unix: every type and state.
	if err := h.socketpair(syscall.SOCK_SEQPACKET); err != nil {
		return err
	}
	if err := h.socketpair(syscall.SOCK_DGRAM); err != nil {
		return err
	}
	for i := 0; i < 6; i++ {
		if err := h.socketpair(syscall.SOCK_STREAM); err != nil {
			return err
		}
	}
	if _, err := h.listenUnix(syscall.SOCK_STREAM, "@with space and more", 8); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		if _, err := h.connectUnix(syscall.SOCK_STREAM, "@with space and more"); err != nil {
			return err
		}
	}
	if _, err := h.listenUnix(syscall.SOCK_STREAM, dir+"/tab\there", 1); err != nil {
		return err
	}
	gone := dir + "/unlinked"
	if _, err := h.listenUnix(syscall.SOCK_SEQPACKET, gone, 1); err != nil {
		return err
	}
	if err := os.Remove(gone); err != nil {
		return err
	}
	long := dir + "/" + strings.Repeat("L", 107-len(dir)-2)
	if _, err := h.unixSock(syscall.SOCK_DGRAM, long); err != nil {
		return err
	}
	if _, err := h.unixSock(syscall.SOCK_DGRAM, dir+"/dsrv"); err != nil {
		return err
	}
	dc, err := h.connectUnix(syscall.SOCK_DGRAM, dir+"/dsrv")
	if err != nil {
		return err
	}
	if err := write(dc, 33); err != nil {
		return err
	}
	ql, err := h.listenUnix(syscall.SOCK_SEQPACKET, "@seq", 4)
	if err != nil {
		return err
	}
	if _, err := h.connectUnix(syscall.SOCK_SEQPACKET, "@seq"); err != nil {
		return err
	}
	if _, err := h.accept(ql); err != nil {
		return err
	}
	if _, err := h.unixSock(syscall.SOCK_STREAM, "@"); err != nil { // autobind-like name
		return err
	}
	if _, err := h.unixSock(syscall.SOCK_DGRAM, ""); err != nil {
		return err
	}
	return nil
}

// f7 generates the statistics traffic of Appendix A.2 F7, then closes everything.
func f7() error {
	t := &holder{}
	defer func() {
		for _, fd := range t.fds {
			_ = syscall.Close(fd)
		}
	}()
	// ICMP echo requests (answered by the kernel).
	r, err := t.raw(syscall.AF_INET, syscall.IPPROTO_ICMP, "", "")
	if err != nil {
		return err
	}
	lo4 := &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	for i := 0; i < 3; i++ {
		pkt := []byte{8, 0, 0, 0, 0, 1, 0, byte(i), 'h', 'e', 'l', 'l', 'o'}
		c := checksum(pkt)
		pkt[2], pkt[3] = byte(c>>8), byte(c)
		if err := syscall.Sendto(r, pkt, 0, lo4); err != nil {
			return fmt.Errorf("icmp echo: %w", err)
		}
	}
	r6, err := t.raw(syscall.AF_INET6, syscall.IPPROTO_ICMPV6, "", "")
	if err != nil {
		return err
	}
	lo6 := &syscall.SockaddrInet6{Addr: [16]byte{15: 1}}
	for i := 0; i < 2; i++ {
		if err := syscall.Sendto(r6, []byte{128, 0, 0, 0, 0, 1, 0, byte(i), 'h', 'i'}, 0, lo6); err != nil {
			return fmt.Errorf("icmp6 echo: %w", err)
		}
	}
	// UDP to a closed port (twice over IPv4, once over IPv6), and one delivered.
	u, err := t.udp(0, "127.0.0.1", 0, "", 0, nil)
	if err != nil {
		return err
	}
	if err := sendTo(u, "127.0.0.1", 9, 2, 1); err != nil {
		return err
	}
	u6, err := t.udp(0, "::1", 0, "", 0, nil)
	if err != nil {
		return err
	}
	if err := sendTo(u6, "::1", 9, 1, 1); err != nil {
		return err
	}
	s, err := t.udp(0, "127.0.0.1", 5000, "", 0, nil)
	if err != nil {
		return err
	}
	if err := sendTo(u, "127.0.0.1", 5000, 1, 1); err != nil {
		return err
	}
	if _, err := syscall.Read(s, make([]byte, 10)); err != nil {
		return err
	}
	// TCP: three short exchanges, one refused connection, one IPv6 exchange.
	l, err := t.listenTCP("127.0.0.1", 6000, 5, nil)
	if err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		if err := exchange(t, l, "127.0.0.1", 6000); err != nil {
			return err
		}
	}
	if _, err := t.dialTCP("127.0.0.1", 6001, "", 0, nil); !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("connect to closed port: %v", err)
	}
	l6, err := t.listenTCP("::1", 6000, 5, nil)
	if err != nil {
		return err
	}
	if err := exchange(t, l6, "::1", 6000); err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond)
	return nil
}

func exchange(t *holder, l int, addr string, port int) error {
	c, a, err := t.pair(l, addr, port, "", 0)
	if err != nil {
		return err
	}
	if err := write(c, 1000); err != nil {
		return err
	}
	if err := readN(a, 1000); err != nil {
		return err
	}
	if err := write(a, 10); err != nil {
		return err
	}
	if err := readN(c, 10); err != nil {
		return err
	}
	t.closeFd(c)
	t.closeFd(a)
	return nil
}

// readN reads exactly n bytes (bounded number of reads).
func readN(fd, n int) error {
	buf := make([]byte, n)
	got := 0
	for i := 0; i < 1000 && got < n; i++ {
		k, err := syscall.Read(fd, buf[got:])
		if err != nil {
			return err
		}
		if k == 0 {
			return io.ErrUnexpectedEOF
		}
		got += k
	}
	if got < n {
		return io.ErrShortBuffer
	}
	return nil
}

func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s>>16 != 0 {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}
