//go:build linux

package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Fixtures beyond the spec's, for breadth (see the package comment).

// sockOpt sets an integer socket option, naming it in the error.
func sockOpt(fd, level, opt, value int, name string) error {
	if err := syscall.SetsockoptInt(fd, level, opt, value); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// reusePortTCP returns a SO_REUSEPORT listener.
func (h *holder) reusePortTCP(addr string, port int) error {
	sa, fam, err := sockaddr(addr, port)
	if err != nil {
		return err
	}
	fd, err := h.socket(fam, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	if err := h.prepare(fd, fam, nil); err != nil {
		return err
	}
	if err := sockOpt(fd, syscall.SOL_SOCKET, unix.SO_REUSEPORT, 1, "SO_REUSEPORT"); err != nil {
		return err
	}
	if err := syscall.Bind(fd, sa); err != nil {
		return fmt.Errorf("bind %s:%d: %w", addr, port, err)
	}
	return syscall.Listen(fd, 5)
}

// reusePortUDP returns a SO_REUSEPORT datagram socket.
func (h *holder) reusePortUDP(addr string, port int) error {
	sa, fam, err := sockaddr(addr, port)
	if err != nil {
		return err
	}
	fd, err := h.socket(fam, syscall.SOCK_DGRAM, 0)
	if err != nil {
		return err
	}
	if err := sockOpt(fd, syscall.SOL_SOCKET, unix.SO_REUSEPORT, 1, "SO_REUSEPORT"); err != nil {
		return err
	}
	return syscall.Bind(fd, sa)
}

// sendFd passes fd over the Unix socket via and closes the local copy, so that the
// only reference is the message in flight.
func (h *holder) sendFd(via, fd int) error {
	if err := syscall.Sendmsg(via, []byte{'x'}, syscall.UnixRights(fd), nil, 0); err != nil {
		return fmt.Errorf("sendmsg SCM_RIGHTS: %w", err)
	}
	h.closeFd(fd)
	return nil
}

// edge holds rows that stress the text rules and the data sources: SO_REUSEPORT
// groups, sockets held by no process (descriptors in flight), 7-digit queues, IPv6
// text compression, Unix names with newlines, spaces and UTF-8, and dead peers.
// The harness puts fd00:0:0:1::5, fd00:1::1:0:0:1 and fd00:0:1:2:3:4:5:6 on lo.
func (h *holder) edge(dir string) error {
	for i := 0; i < 3; i++ {
		if err := h.reusePortTCP("127.0.0.1", 7777); err != nil {
			return err
		}
	}
	for i := 0; i < 2; i++ {
		if err := h.reusePortTCP("::1", 7777); err != nil {
			return err
		}
	}
	for i := 0; i < 3; i++ {
		if err := h.reusePortUDP("127.0.0.1", 7778); err != nil {
			return err
		}
	}
	// Descriptors in flight: no process holds them.
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	h.fds = append(h.fds, fds[0], fds[1])
	l, err := h.listenTCP("127.0.0.1", 7780, 5, nil)
	if err != nil {
		return err
	}
	if err := h.sendFd(fds[0], l); err != nil {
		return err
	}
	ul, err := h.listenUnix(syscall.SOCK_STREAM, "@inflight", 1)
	if err != nil {
		return err
	}
	if err := h.sendFd(fds[0], ul); err != nil {
		return err
	}
	if err := h.bigQueues(); err != nil {
		return err
	}
	// IPv6 text forms.
	addrs := []string{"fd00:0:0:1::5", "fd00:1::1:0:0:1", "fd00:0:1:2:3:4:5:6"}
	var l6 []int
	for _, a := range addrs {
		fd, err := h.listenTCP(a, 8800, 5, nil)
		if err != nil {
			return err
		}
		l6 = append(l6, fd)
	}
	if _, _, err := h.pair(l6[1], addrs[1], 8800, addrs[0], 41800); err != nil {
		return err
	}
	if _, _, err := h.pair(l6[2], addrs[2], 8800, addrs[2], 65000); err != nil {
		return err
	}
	if _, err := h.udp(0, addrs[0], 8801, addrs[2], 8802, nil); err != nil {
		return err
	}
	// Unix names the kernel prints raw.
	for _, name := range []string{dir + "/nl\nname", "@nl\nabs", "@ünï cödé ", dir + "/trailing-space "} {
		if _, err := h.unixSock(syscall.SOCK_DGRAM, name); err != nil {
			return err
		}
	}
	if _, err := h.listenUnix(syscall.SOCK_STREAM, "@"+string([]byte{0xff, 0xfe, 'x', 0x7f, 0x01}), 1); err != nil {
		return err
	}
	// A datagram client whose server is gone; a stream pair with one end closed.
	srv, err := h.unixSock(syscall.SOCK_DGRAM, dir+"/gone-srv")
	if err != nil {
		return err
	}
	if _, err := h.connectUnix(syscall.SOCK_DGRAM, dir+"/gone-srv"); err != nil {
		return err
	}
	h.closeFd(srv)
	sp, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	h.fds = append(h.fds, sp[0])
	_ = syscall.Close(sp[1])
	return h.unusual()
}

// fill writes to a non-blocking socket until its send buffer is full.
func fill(fd int) error {
	if err := syscall.SetNonblock(fd, true); err != nil {
		return err
	}
	buf := make([]byte, 65536)
	for i := 0; i < maxFloodWrites; i++ {
		if _, err := syscall.Write(fd, buf); err != nil {
			if errors.Is(err, syscall.EAGAIN) {
				return waitOutq(fd)
			}
			return fmt.Errorf("fill: %w", err)
		}
	}
	return errors.New("fill: send buffer never filled")
}

// foreign creates sockets in the namespace at nspath although the process lives in
// another one: only a scan of every process finds their owner.
func (h *holder) foreign(nspath string, port int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	orig, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		return err
	}
	defer orig.Close()
	target, err := os.Open(nspath)
	if err != nil {
		return err
	}
	defer target.Close()
	if err := setns(target); err != nil {
		return err
	}
	_, err1 := h.listenTCP("127.0.0.1", port, 1, nil)
	_, err2 := h.udp(0, "127.0.0.1", port, "", 0, nil)
	_, err3 := h.listenUnix(syscall.SOCK_STREAM, "@foreign", 1)
	if err := setns(orig); err != nil {
		return err
	}
	return errors.Join(err1, err2, err3)
}

func setns(f *os.File) error {
	if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("setns %s: %w", f.Name(), err)
	}
	return nil
}

// stall connects to dst:port, then breaks the path (a permanent bogus neighbour entry
// for dst on dev) and sends data, which is retransmitted forever: ESTABLISHED with
// Send-Q > 0 and a running retransmission timer.
func (h *holder) stall(dst string, port int, dev string) error {
	fd, err := h.dialTCP(dst, port, "", 0, nil)
	if err != nil {
		return err
	}
	out, err := exec.Command("ip", "neigh", "replace", dst, "lladdr", "02:00:00:00:00:02",
		"dev", dev, "nud", "permanent").CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip neigh replace: %v: %s", err, out)
	}
	if err := write(fd, 1000); err != nil {
		return err
	}
	time.Sleep(100 * time.Millisecond)
	return nil
}

// scale holds many sockets: n TCP pairs over 50 listeners, n/5 IPv6 pairs, n/3 UDP
// sockets and n/3 Unix socketpairs.
func (h *holder) scale(n int) error {
	var ls []int
	for i := 0; i < 50; i++ {
		l, err := h.listenTCP("127.0.0.1", 10000+i, 1024, nil)
		if err != nil {
			return err
		}
		ls = append(ls, l)
	}
	for i := 0; i < n; i++ {
		if _, _, err := h.pair(ls[i%50], "127.0.0.1", 10000+i%50, "", 0); err != nil {
			return err
		}
	}
	l6, err := h.listenTCP("::1", 10100, 1024, nil)
	if err != nil {
		return err
	}
	for i := 0; i < n/5; i++ {
		if _, _, err := h.pair(l6, "::1", 10100, "", 0); err != nil {
			return err
		}
	}
	for i := 0; i < n/3; i++ {
		if _, err := h.udp(0, "127.0.0.1", 0, "127.0.0.1", 10000+i%50, nil); err != nil {
			return err
		}
		if err := h.socketpair(syscall.SOCK_STREAM); err != nil {
			return err
		}
	}
	return nil
}

// mcast joins multicast groups (two sockets share 239.1.2.3, so its RefCnt is 2), on
// lo and, if it exists, on eth01.
func (h *holder) mcast() error {
	join4 := func(group [4]byte, ifaddr [4]byte) error {
		fd, err := h.socket(syscall.AF_INET, syscall.SOCK_DGRAM, 0)
		if err != nil {
			return err
		}
		return syscall.SetsockoptIPMreq(fd, syscall.IPPROTO_IP, syscall.IP_ADD_MEMBERSHIP,
			&syscall.IPMreq{Multiaddr: group, Interface: ifaddr})
	}
	join6 := func(group string, ifindex int) error {
		fd, err := h.socket(syscall.AF_INET6, syscall.SOCK_DGRAM, 0)
		if err != nil {
			return err
		}
		sa, _, err := sockaddr(group, 0)
		if err != nil {
			return err
		}
		return syscall.SetsockoptIPv6Mreq(fd, syscall.IPPROTO_IPV6, syscall.IPV6_JOIN_GROUP,
			&syscall.IPv6Mreq{Multiaddr: sa.(*syscall.SockaddrInet6).Addr, Interface: uint32(ifindex)})
	}
	lo := [4]byte{127, 0, 0, 1}
	for _, g := range [][4]byte{{239, 1, 2, 3}, {239, 1, 2, 3}, {224, 0, 0, 251}} {
		if err := join4(g, lo); err != nil {
			return fmt.Errorf("join %v: %w", g, err)
		}
	}
	if ifc, err := net.InterfaceByName("eth01"); err == nil {
		if err := join4([4]byte{239, 9, 9, 9}, [4]byte{10, 10, 0, 1}); err != nil {
			return fmt.Errorf("join 239.9.9.9: %w", err)
		}
		for _, g := range []string{"ff02::fb", "ff05::1:3", "ff02::fb"} {
			if err := join6(g, ifc.Index); err != nil {
				return fmt.Errorf("join %s: %w", g, err)
			}
		}
	}
	return nil
}

// bulk moves size bytes over a loopback TCP connection (so interface byte counters
// reach the KiB/MiB units), then closes it.
func bulk(size int) error {
	t := &holder{}
	defer func() {
		for _, fd := range t.fds {
			_ = syscall.Close(fd)
		}
	}()
	l, err := t.listenTCP("127.0.0.1", 6900, 1, nil)
	if err != nil {
		return err
	}
	c, a, err := t.pair(l, "127.0.0.1", 6900, "", 0)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- readN(a, size) }()
	buf := make([]byte, 65536)
	for sent := 0; sent < size; {
		k := min(len(buf), size-sent)
		n, err := syscall.Write(c, buf[:k])
		if err != nil {
			return err
		}
		sent += n
	}
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		return errors.New("bulk: reader timeout")
	}
}

// traffic2 makes counters that F7 leaves at zero non-zero: UDP receive-buffer
// overflow, UDP-Lite, IPv4/IPv6 fragmentation (the harness sets lo's MTU to 1500),
// TCP resets, an unknown IP protocol, ICMP with a bad checksum. TCP connections are
// reset rather than closed, so no TIME_WAIT timer expires later.
func traffic2() error {
	t := &holder{}
	defer func() {
		for _, fd := range t.fds {
			_ = syscall.Close(fd)
		}
	}()
	// UDP receive buffer overflow.
	r, err := t.udp(0, "127.0.0.1", 6500, "", 0, nil)
	if err != nil {
		return err
	}
	if err := sockOpt(r, syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1, "SO_RCVBUF"); err != nil {
		return err
	}
	s, err := t.udp(0, "127.0.0.1", 0, "", 0, nil)
	if err != nil {
		return err
	}
	if err := sendTo(s, "127.0.0.1", 6500, 40, 1000); err != nil {
		return err
	}
	// UDP-Lite over IPv4 and IPv6.
	for _, a := range []string{"127.0.0.1", "::1"} {
		ur, err := t.udp(ipprotoUDPLite, a, 6510, "", 0, nil)
		if err != nil {
			return err
		}
		us, err := t.udp(ipprotoUDPLite, a, 0, "", 0, nil)
		if err != nil {
			return err
		}
		if err := sendTo(us, a, 6510, 3, 100); err != nil {
			return err
		}
		if err := sendTo(us, a, 6511, 1, 100); err != nil { // closed port
			return err
		}
		if _, err := syscall.Read(ur, make([]byte, 200)); err != nil {
			return err
		}
	}
	// Fragmented datagrams, both families.
	for _, a := range []string{"127.0.0.1", "::1"} {
		fr, err := t.udp(0, a, 6520, "", 0, nil)
		if err != nil {
			return err
		}
		fs, err := t.udp(0, a, 0, "", 0, nil)
		if err != nil {
			return err
		}
		if err := sendTo(fs, a, 6520, 2, 4000); err != nil {
			return err
		}
		for i := 0; i < 2; i++ {
			if _, err := syscall.Read(fr, make([]byte, 5000)); err != nil {
				return err
			}
		}
	}
	// TCP exchanges ended by RST (SO_LINGER 0), and a refused IPv6 connection.
	for _, a := range []string{"127.0.0.1", "::1"} {
		l, err := t.listenTCP(a, 6530, 5, nil)
		if err != nil {
			return err
		}
		c, acc, err := t.pair(l, a, 6530, "", 0)
		if err != nil {
			return err
		}
		if err := write(c, 5000); err != nil {
			return err
		}
		if err := readN(acc, 5000); err != nil {
			return err
		}
		for _, fd := range []int{c, acc} {
			if err := syscall.SetsockoptLinger(fd, syscall.SOL_SOCKET, syscall.SO_LINGER, &syscall.Linger{Onoff: 1, Linger: 0}); err != nil {
				return err
			}
			t.closeFd(fd)
		}
	}
	if _, err := t.dialTCP("::1", 6531, "", 0, nil); !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("connect to closed port: %v", err)
	}
	// An unknown IP protocol (answered by ICMP protocol unreachable).
	p, err := t.raw(syscall.AF_INET, 253, "", "")
	if err != nil {
		return err
	}
	if err := syscall.Sendto(p, []byte("payload"), 0, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return err
	}
	// ICMP echo with a wrong checksum (dropped, counted as InCsumErrors).
	ic, err := t.raw(syscall.AF_INET, syscall.IPPROTO_ICMP, "", "")
	if err != nil {
		return err
	}
	if err := syscall.Sendto(ic, []byte{8, 0, 0x12, 0x34, 0, 1, 0, 1}, 0, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond)
	return nil
}

// bigQueues makes 7-digit queues that stay constant: 3,000,000 bytes delivered to a
// reader that never reads (Recv-Q exact, buffer forced past rmem_max), and a sender
// with a forced 4 MiB send buffer facing a closed window (Send-Q).
func (h *holder) bigQueues() error {
	const delivered = 3000000
	lb, err := h.listenTCP("127.0.0.1", 7790, 5, nil)
	if err != nil {
		return err
	}
	if err := sockOpt(lb, syscall.SOL_SOCKET, syscall.SO_RCVBUFFORCE, 8<<20, "SO_RCVBUFFORCE"); err != nil {
		return err
	}
	c, a, err := h.pair(lb, "127.0.0.1", 7790, "127.0.0.1", 41790)
	if err != nil {
		return err
	}
	buf := make([]byte, 65536)
	for sent := 0; sent < delivered; {
		n, err := syscall.Write(c, buf[:min(len(buf), delivered-sent)])
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		sent += n
	}
	for i := 0; ; i++ {
		inq, err := unix.IoctlGetInt(a, unix.SIOCINQ)
		if err != nil {
			return err
		}
		if inq == delivered {
			break
		}
		if i == 100 {
			return fmt.Errorf("big queue: %d of %d bytes arrived", inq, delivered)
		}
		time.Sleep(50 * time.Millisecond)
	}
	ls, err := h.listenTCP("127.0.0.1", 7791, 5, &opts{rcvbuf: 4096})
	if err != nil {
		return err
	}
	s, err := h.dialTCP("127.0.0.1", 7791, "127.0.0.1", 41791, nil)
	if err != nil {
		return err
	}
	if err := sockOpt(s, syscall.SOL_SOCKET, syscall.SO_SNDBUFFORCE, 4<<20, "SO_SNDBUFFORCE"); err != nil {
		return err
	}
	if _, err := h.accept(ls); err != nil {
		return err
	}
	return fill(s)
}

// waitOutq waits (bounded) until fd's send queue stops changing: the peer's window
// has closed and nothing moves any more.
func waitOutq(fd int) error {
	last, same := -1, 0
	for i := 0; i < 100; i++ {
		q, err := unix.IoctlGetInt(fd, unix.SIOCOUTQ)
		if err != nil {
			return err
		}
		if q == last {
			same++
			if same == 3 {
				return nil
			}
		} else {
			last, same = q, 0
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("send queue never settled")
}

// names holds rows whose host names (from the harness' hosts file) reach net-tools'
// 128-byte buffers: 127.0.0.6-8 and fd00::6-9 (the harness puts the IPv6 ones on lo).
func (h *holder) names() error {
	ls := map[string]int{}
	for _, a := range []string{"127.0.0.6", "127.0.0.7", "127.0.0.8", "fd00::6", "fd00::7", "fd00::8", "fd00::9"} {
		l, err := h.listenTCP(a, 8080, 5, nil)
		if err != nil {
			return err
		}
		ls[a] = l
	}
	for _, p := range []struct {
		dst, src string
		sport    int
	}{{"127.0.0.6", "127.0.0.7", 40100}, {"fd00::8", "fd00::7", 40101}, {"fd00::6", "fd00::9", 40102}} {
		if _, _, err := h.pair(ls[p.dst], p.dst, 8080, p.src, p.sport); err != nil {
			return err
		}
	}
	if _, err := h.udp(0, "127.0.0.8", 53, "127.0.0.6", 123, nil); err != nil {
		return err
	}
	_, err := h.udp(0, "fd00::9", 53, "fd00::8", 123, nil)
	return err
}

// ipprotoMPTCP is IPPROTO_MPTCP.
const ipprotoMPTCP = 262

// unusual holds sockets that only some kernels offer (skipped when unsupported) and
// IPv6 sockets bound to v4-mapped addresses: an MPTCP listener with a connection
// (its TCP subflows are what /proc shows), ICMP "ping" sockets (not shown by netstat
// at all; the harness widens ping_group_range), and ::ffff:127.0.0.1 / ::ffff:0.0.0.0.
func (h *holder) unusual() error {
	unsupported := func(err error) bool {
		return errors.Is(err, syscall.EPROTONOSUPPORT) || errors.Is(err, syscall.EAFNOSUPPORT) ||
			errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EINVAL)
	}
	if l, err := h.socket(syscall.AF_INET, syscall.SOCK_STREAM, ipprotoMPTCP); err == nil {
		sa, _, _ := sockaddr("127.0.0.1", 5555)
		if err := syscall.Bind(l, sa); err != nil {
			return fmt.Errorf("bind mptcp: %w", err)
		}
		if err := syscall.Listen(l, 5); err != nil {
			return fmt.Errorf("listen mptcp: %w", err)
		}
		c, err := h.socket(syscall.AF_INET, syscall.SOCK_STREAM, ipprotoMPTCP)
		if err != nil {
			return err
		}
		if err := syscall.Connect(c, sa); err != nil {
			return fmt.Errorf("connect mptcp: %w", err)
		}
		if _, err := h.accept(l); err != nil {
			return err
		}
	} else if !unsupported(err) {
		return err
	}
	for _, p := range []struct{ fam, proto int }{{syscall.AF_INET, syscall.IPPROTO_ICMP}, {syscall.AF_INET6, syscall.IPPROTO_ICMPV6}} {
		fd, err := h.socket(p.fam, syscall.SOCK_DGRAM, p.proto)
		if err != nil {
			if unsupported(err) {
				continue
			}
			return err
		}
		if p.fam == syscall.AF_INET {
			sa, _, _ := sockaddr("127.0.0.1", 77)
			if err := syscall.Bind(fd, sa); err != nil {
				return fmt.Errorf("bind ping: %w", err)
			}
		}
	}
	if _, err := h.listenTCP("::ffff:127.0.0.1", 5556, 5, &opts{dualStack: true}); err != nil {
		return err
	}
	_, err := h.udp(0, "::ffff:0.0.0.0", 5557, "", 0, &opts{dualStack: true})
	return err
}
