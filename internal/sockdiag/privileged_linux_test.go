//go:build linux

package sockdiag

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	gocmp "github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/netstat"
)

// These tests build a socket population in a private network namespace and compare
// the dump with /proc/thread-self/net of the same moment. Setting SOCKDIAG_CAPTURE to
// a directory also records the kernel's datagrams there (the fixtures of
// TestCapturedDumps).

// closers collects what the population holds open.
type closers []io.Closer

func (c *closers) add(x io.Closer) { *c = append(*c, x) }
func (c *closers) addFD(fd int)    { c.add(fdCloser(fd)) }

func (c *closers) closeAll() {
	for _, x := range *c {
		x.Close()
	}
}

type fdCloser int

func (f fdCloser) Close() error { return unix.Close(int(f)) }

// withFsuid runs f with the thread's fsuid set to uid, so that sockets it creates
// belong to uid.
func withFsuid(t *testing.T, uid int, f func()) {
	t.Helper()
	if err := unix.Setfsuid(uid); err != nil {
		t.Fatal(err)
	}
	defer unix.Setfsuid(0)
	f()
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// buildPopulation creates, in the current thread's namespace: TCP listeners (one with
// an unaccepted connection, one with a full backlog, a dual-stack one with deferred
// accept holding IPv4 and IPv6 request sockets of uid 1234), established connections
// with queued data, a zero-window sender, TIME_WAIT, FIN_WAIT2 (full and TIME_WAIT
// substate), CLOSE_WAIT, SYN_SENT, IPv6 and v4-mapped connections; UDP, UDP-Lite and
// raw sockets, bound and connected, some with queued datagrams.
func buildPopulation(t *testing.T) {
	var c closers
	t.Cleanup(func() { c.closeAll() })
	listen := must[net.Listener](t)
	dial := must[net.Conn](t)
	accept := func(l net.Listener) net.Conn {
		t.Helper()
		x, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		c.add(x)
		return x
	}
	conn := func(network, addr string) net.Conn {
		t.Helper()
		x := dial(net.Dial(network, addr))
		c.add(x)
		return x
	}
	port := func(l net.Listener) int { return l.Addr().(*net.TCPAddr).Port }

	var la, ld, ld4 net.Listener
	withFsuid(t, 1000, func() { la = listen(net.Listen("tcp4", "127.0.0.1:0")) })
	c.add(la)
	lu := listen(net.Listen("tcp4", "127.0.0.1:0"))
	c.add(lu)
	deferAccept := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT, 30)
		})
		return errors.Join(err, serr)
	}}
	withFsuid(t, 1234, func() {
		ld = listen(deferAccept.Listen(context.Background(), "tcp", "[::]:0"))
		ld4 = listen(deferAccept.Listen(context.Background(), "tcp4", "127.0.0.1:0"))
	})
	c.add(ld)
	c.add(ld4)
	l6 := listen(net.Listen("tcp6", "[::1]:0"))
	c.add(l6)
	lds := listen(net.Listen("tcp", "[::]:0"))
	c.add(lds)

	// Established, with 100 unread bytes at the server.
	c1 := conn("tcp4", la.Addr().String())
	accept(la)
	must[int](t)(c1.Write(make([]byte, 100)))
	// Unaccepted: Recv-Q 1 on the listener, an inode-less child.
	conn("tcp4", lu.Addr().String())
	// TIME_WAIT.
	c3 := conn("tcp4", la.Addr().String())
	s3 := accept(la)
	c3.Close()
	s3.Close()
	// FIN_WAIT2 orphan (a TIME_WAIT socket of substate FIN_WAIT2) and CLOSE_WAIT.
	c4 := conn("tcp4", la.Addr().String())
	accept(la)
	c4.Close()
	// FIN_WAIT2 full socket.
	c5 := conn("tcp4", la.Addr().String())
	accept(la)
	if err := c5.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	// Zero window: Send-Q and the probe timer. The receive buffer is set on the
	// listener, so that the window is small from the handshake on and nothing is
	// dropped (which would arm the retransmit timer instead).
	smallRcvbuf := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
		})
		return errors.Join(err, serr)
	}}
	lz := listen(smallRcvbuf.Listen(context.Background(), "tcp4", "127.0.0.1:0"))
	c.add(lz)
	c6 := conn("tcp4", lz.Addr().String())
	accept(lz)
	c6.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := c6.Write(make([]byte, 16<<20)); err == nil {
		t.Fatal("16 MiB written to a reader that never reads")
	}
	// Request sockets (SYN_RECV) of uid-1234 listeners: IPv4 ones in /proc/net/tcp;
	// IPv6 and v4-mapped ones (of the dual-stack listener) in tcp6.
	conn("tcp4", ld4.Addr().String())
	conn("tcp4", ld4.Addr().String())
	conn("tcp4", fmt.Sprintf("127.0.0.1:%d", port(ld)))
	conn("tcp6", fmt.Sprintf("[::1]:%d", port(ld)))
	// IPv6 and v4-mapped connections.
	c9 := conn("tcp6", l6.Addr().String())
	accept(l6)
	must[int](t)(c9.Write(make([]byte, 10)))
	conn("tcp4", fmt.Sprintf("127.0.0.1:%d", port(lds)))
	accept(lds)

	// SYN_SENT: a listener with backlog 0 takes one connection, then drops SYNs.
	mustFD := must[int](t)
	lf := mustFD(unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0))
	c.addFD(lf)
	lo := &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	if err := unix.Bind(lf, lo); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(lf, 0); err != nil {
		t.Fatal(err)
	}
	sa := must[unix.Sockaddr](t)(unix.Getsockname(lf))
	for range 2 {
		fd := mustFD(unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0))
		c.addFD(fd)
		if err := unix.Connect(fd, sa); err != unix.EINPROGRESS {
			t.Fatalf("connect: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// UDP: bound (uid 1234) with three queued datagrams from a connected sender;
	// dual-stack and IPv6; a v4-mapped connected IPv6 socket.
	var u1 net.PacketConn
	withFsuid(t, 1234, func() { u1 = must[net.PacketConn](t)(net.ListenPacket("udp4", "127.0.0.1:0")) })
	c.add(u1)
	u2 := conn("udp4", u1.LocalAddr().String())
	for range 3 {
		must[int](t)(u2.Write([]byte("hello")))
	}
	u3 := must[net.PacketConn](t)(net.ListenPacket("udp", "[::]:0"))
	c.add(u3)
	conn("udp6", fmt.Sprintf("[::1]:%d", u3.LocalAddr().(*net.UDPAddr).Port))
	fd := mustFD(unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0))
	c.addFD(fd)
	mapped := &unix.SockaddrInet6{Port: u1.LocalAddr().(*net.UDPAddr).Port, Addr: [16]byte{10: 0xff, 11: 0xff, 12: 127, 15: 1}}
	if err := unix.Connect(fd, mapped); err != nil {
		t.Fatal(err)
	}

	// UDP-Lite, IPv4 and IPv6, each bound with a queued datagram from a second socket.
	for _, fam := range []int{unix.AF_INET, unix.AF_INET6} {
		var bind unix.Sockaddr = &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
		if fam == unix.AF_INET6 {
			bind = &unix.SockaddrInet6{Addr: [16]byte{15: 1}}
		}
		r := mustFD(unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.IPPROTO_UDPLITE))
		c.addFD(r)
		if err := unix.Bind(r, bind); err != nil {
			t.Fatal(err)
		}
		to := must[unix.Sockaddr](t)(unix.Getsockname(r))
		w := mustFD(unix.Socket(fam, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.IPPROTO_UDPLITE))
		c.addFD(w)
		if err := unix.Sendto(w, []byte("lite"), 0, to); err != nil {
			t.Fatal(err)
		}
	}

	// Bound but inactive TCP sockets (TCP_BOUND_INACTIVE, in no /proc file): bound
	// only, IPv4 and IPv6, and bound with a refused connect (its port is closed: lf's
	// neighbour below is not listening).
	for _, bind := range []unix.Sockaddr{&unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}, &unix.SockaddrInet6{Addr: [16]byte{15: 1}}} {
		fam := unix.AF_INET
		if _, v6 := bind.(*unix.SockaddrInet6); v6 {
			fam = unix.AF_INET6
		}
		b := mustFD(unix.Socket(fam, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0))
		c.addFD(b)
		if err := unix.Bind(b, bind); err != nil {
			t.Fatal(err)
		}
	}
	refused := mustFD(unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0))
	c.addFD(refused)
	if err := unix.Bind(refused, lo); err != nil {
		t.Fatal(err)
	}
	if err := unix.Connect(refused, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: 9}); err != unix.ECONNREFUSED {
		t.Fatalf("connect to a closed port: %v", err)
	}
	// A listener with Send-Q 4 in /proc: each connect(AF_UNSPEC) (a disconnect) adds 2
	// to write_seq, and listen() keeps it.
	ls := mustFD(unix.Socket(unix.AF_INET6, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0))
	c.addFD(ls)
	if err := unix.Bind(ls, &unix.SockaddrInet6{Addr: [16]byte{15: 1}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := disconnect(ls); err != nil {
			t.Fatal(err)
		}
	}
	if err := unix.Listen(ls, 3); err != nil {
		t.Fatal(err)
	}

	// Raw sockets.
	c.addFD(mustFD(unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)))
	c.addFD(mustFD(unix.Socket(unix.AF_INET6, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMPV6)))
}

// disconnect calls connect(fd, AF_UNSPEC), which x/sys/unix has no Sockaddr for.
func disconnect(fd int) error {
	var sa [16]byte // sa_family 0: AF_UNSPEC
	_, _, errno := unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(&sa[0])), uintptr(len(sa)))
	if errno != 0 {
		return fmt.Errorf("connect AF_UNSPEC: %w", errno)
	}
	return nil
}

// readProc reads /proc/net/<name> of the current thread's namespace.
func readProc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/net/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitForPopulation waits until /proc/net/tcp shows every state of want and a socket
// that retransmitted (the SYN_SENT one), so that the counters compared are not all
// zero. It also waits a while for a zero-window probe counter: loopback peers answer a
// probe at once, which resets the counter, so it is only visible in a race window and
// its absence is logged rather than fatal.
func waitForPopulation(t *testing.T, want ...netstat.TCPState) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		rows, err := parseProc(readProc(t, "tcp"), netstat.TCP)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range rows {
			seen[netstat.TCPState(r.State).String()] = true
			if r.Retransmits > 0 && r.Inode != 0 {
				seen["retransmits"] = true
			}
			if r.Retransmits > 0 && r.Inode == 0 {
				seen["request timeouts"] = true
			}
			if r.Probes > 0 {
				seen["probes"] = true
			}
		}
		missing := []string{}
		for _, s := range want {
			if !seen[s.String()] {
				missing = append(missing, s.String())
			}
		}
		for _, s := range []string{"retransmits", "request timeouts", "probes"} {
			if !seen[s] {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			if len(missing) == 1 && missing[0] == "probes" {
				t.Logf("no zero-window probe counter seen in /proc/net/tcp; comparing without one")
				return
			}
			t.Fatalf("never appeared in /proc/net/tcp: %v", missing)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// recorder is a Conn factory that records every datagram it receives, per
// connection, in the fixture format of TestCapturedDumps. A pipelined dump receives on
// its own goroutine while the caller may dial a second connection (the listener dump
// of request sockets), so each connection keeps its own record, under a lock.
type recorder struct {
	dial  func() (Conn, error)
	mu    sync.Mutex
	conns [][]string // per connection in dial order: datagrams in hex
}

func (r *recorder) Dial() (Conn, error) {
	c, err := r.dial()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns = append(r.conns, nil)
	return recordingConn{c, r, len(r.conns) - 1}, nil
}

// text is the recording in the fixture format: a "conn" line, then one line per
// datagram, for each connection.
func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, datagrams := range r.conns {
		b.WriteString("conn\n")
		for _, d := range datagrams {
			b.WriteString(d + "\n")
		}
	}
	return b.String()
}

type recordingConn struct {
	Conn
	r *recorder
	i int
}

func (c recordingConn) Receive(buf []byte) (int, error) {
	n, err := c.Conn.Receive(buf)
	if err == nil {
		c.r.mu.Lock()
		c.r.conns[c.i] = append(c.r.conns[c.i], hex.EncodeToString(buf[:n]))
		c.r.mu.Unlock()
	}
	return n, err
}

// filterState keeps the rows whose state is in mask.
func filterState(rows []netstat.Socket, mask uint32) []netstat.Socket {
	var out []netstat.Socket
	for _, r := range rows {
		if mask&(1<<r.State) != 0 {
			out = append(out, r)
		}
	}
	return out
}

func TestInetSocketsPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.EnterNetns(t)
	buildPopulation(t)
	waitForPopulation(t, netstat.Listen, netstat.Established, netstat.SynSent, netstat.SynRecv,
		netstat.FinWait2, netstat.TimeWait, netstat.CloseWait)
	captureDir := os.Getenv("SOCKDIAG_CAPTURE")
	rawDiagPossible, rawDiagNote := loadRawDiag()
	t.Run("population", func(t *testing.T) {
		nstest.Join(t, ns)
		checkPopulation(t)
	})

	for _, dc := range inetFiles {
		for _, opts := range []Options{
			{Timers: true},
			{},
			{States: 1 << netstat.Listen},
			{States: 1 << netstat.SynRecv, Timers: true},
		} {
			if dc.proto != netstat.TCP && opts.States != 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%+v", dc.file, opts), func(t *testing.T) {
				nstest.Join(t, ns)
				var diff, procText string
				var rec *recorder
				for attempt := range 3 { // a timer may fire between the two reads
					start := time.Now()
					procText = readProc(t, dc.file)
					want, err := parseProc(procText, dc.proto)
					if err != nil {
						t.Fatal(err)
					}
					if opts.States != 0 {
						want = filterState(want, opts.States)
					}
					rec = &recorder{dial: Dial}
					c := NewClientProc(rec.Dial, os.DirFS("/proc/thread-self"))
					got, err := collect(c, dc.proto, dc.fam, opts)
					c.Close()
					if dc.proto == netstat.RAW && errors.Is(err, ErrUnsupported) {
						t.Logf("raw_diag not exercised: %v; %s (the caller falls back to /proc/net/%s)", err, rawDiagNote, dc.file)
						if rawDiagPossible && nstest.CI() {
							t.Fatal("CI=true and this kernel could have raw_diag")
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					if len(want) == 0 {
						t.Fatalf("/proc/net/%s is empty: the population is missing", dc.file)
					}
					if diff = diffRows(want, got, opts.Timers, ticksBetween(time.Since(start))); diff == "" {
						break
					}
					t.Logf("attempt %d:\n%s", attempt, diff)
				}
				if diff != "" {
					t.Errorf("dump differs from /proc/net/%s:\n%s\n%s", dc.file, diff, procText)
				}
				if captureDir != "" && opts.States == 0 && opts.Timers == (dc.proto == netstat.TCP) {
					writeFixture(t, filepath.Join(captureDir, dc.file+".proc"), procText)
					writeFixture(t, filepath.Join(captureDir, dc.file+".dump"), rec.text())
				}
			})
		}
	}
}

// loadRawDiag asks for raw_diag (modprobe raw_diag) and reports whether the running
// kernel could have served it: built in, or a module file for it is installed. The
// note says what was found, for the test log.
func loadRawDiag() (possible bool, note string) {
	var uts unix.Utsname
	if err := unix.Uname(&uts); err != nil {
		return false, fmt.Sprintf("uname: %v", err)
	}
	release := unix.ByteSliceToString(uts.Release[:])
	var notes []string
	if out, err := exec.Command("modprobe", "raw_diag").CombinedOutput(); err != nil {
		notes = append(notes, fmt.Sprintf("modprobe raw_diag: %v: %s", err, bytes.TrimSpace(out)))
	}
	dir := filepath.Join("/lib/modules", release)
	if b, err := os.ReadFile(filepath.Join(dir, "modules.builtin")); err == nil && bytes.Contains(b, []byte("/raw_diag.ko")) {
		possible = true
		notes = append(notes, "raw_diag is built into "+release)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "kernel/net/ipv4/raw_diag.ko*")); len(m) > 0 {
		possible = true
		notes = append(notes, "module file "+m[0])
	}
	if f, err := os.Open("/proc/config.gz"); err == nil {
		defer f.Close()
		if z, err := gzip.NewReader(f); err == nil {
			if cfg, err := io.ReadAll(z); err == nil {
				switch {
				case bytes.Contains(cfg, []byte("\nCONFIG_INET_RAW_DIAG=y")):
					possible = true
					notes = append(notes, "CONFIG_INET_RAW_DIAG=y")
				case bytes.Contains(cfg, []byte("\n# CONFIG_INET_RAW_DIAG is not set")):
					notes = append(notes, release+" is built without CONFIG_INET_RAW_DIAG")
				}
			}
		}
	}
	if len(notes) == 0 {
		notes = append(notes, "no module file for "+release)
	}
	return possible, strings.Join(notes, "; ")
}

func writeFixture(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkPopulation checks that the dumps have the cases the comparison is meant to
// cover, so that TestInetSocketsPrivileged cannot pass vacuously.
func checkPopulation(t *testing.T) {
	c := New()
	defer c.Close()
	type key struct {
		file string
		what string
	}
	seen := map[key]bool{}
	for _, dc := range inetFiles[:6] {
		err := c.InetSockets(context.Background(), dc.proto, dc.fam, Options{Timers: true}, func(s *netstat.Socket) error {
			mark := func(what string) { seen[key{dc.file, what}] = true }
			switch {
			case s.State == netstat.Listen && s.RecvQ > 0:
				mark("listen with accept queue")
			case s.State == netstat.SynRecv && s.Inode == 0 && s.UID == 1234:
				mark("request socket of uid 1234")
				if s.Retransmits > 0 {
					mark("request socket with timer expiries")
				}
			case s.State == netstat.Listen && s.SendQ > 0:
				mark("listener with send-q")
			case s.State == netstat.TimeWait && s.Timer == netstat.TimerTimeWait:
				mark("time-wait")
			case s.State == netstat.FinWait2 && s.Timer == netstat.TimerTimeWait:
				mark("fin-wait2 time-wait socket")
			case s.State == netstat.FinWait2 && s.Inode != 0:
				mark("fin-wait2 socket")
			case s.Timer == netstat.TimerProbe && s.SendQ > 0:
				mark("zero-window probe")
			case s.State == netstat.SynSent && s.Timer == netstat.TimerOn:
				mark("syn-sent")
			case s.Proto != netstat.TCP && s.RecvQ > 0:
				mark("queued datagrams")
			}
			if s.Family == netstat.IPv6 && s.Local.Addr().Is4In6() {
				mark("v4-mapped")
			}
			if s.Timer == netstat.TimerKeepalive {
				mark("keepalive")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []key{
		{"tcp", "listen with accept queue"}, {"tcp", "request socket of uid 1234"},
		{"tcp6", "request socket of uid 1234"}, {"tcp", "request socket with timer expiries"},
		{"tcp6", "listener with send-q"}, {"tcp", "time-wait"},
		{"tcp", "fin-wait2 time-wait socket"}, {"tcp", "fin-wait2 socket"},
		{"tcp", "zero-window probe"}, {"tcp", "syn-sent"}, {"tcp", "keepalive"},
		{"tcp6", "v4-mapped"}, {"udp", "queued datagrams"}, {"udp6", "v4-mapped"},
		{"udplite", "queued datagrams"}, {"udplite6", "queued datagrams"},
	} {
		if !seen[k] {
			t.Errorf("/proc/net/%s: no %s", k.file, k.what)
		}
	}
}

// unixRow is the part of a /proc/net/unix row unix_diag also has.
type unixRow struct {
	Inode uint64
	Type  uint8
	Path  string
}

func TestUnixSocketsPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.EnterNetns(t)
	var c closers
	defer c.closeAll()
	path := filepath.Join(t.TempDir(), "srv.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	c.add(l)
	cl, err := net.Dial("unix", path) // unaccepted: an embryo of inode 0 on the server side
	if err != nil {
		t.Fatal(err)
	}
	c.add(cl)
	ab, err := net.ListenPacket("unixgram", "@sockdiag-test\x00abstract")
	if err != nil {
		t.Fatal(err)
	}
	c.add(ab)
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	c.addFD(pair[0])
	c.addFD(pair[1])
	if _, err := unix.Write(pair[0], []byte("queued")); err != nil {
		t.Fatal(err)
	}

	var want []unixRow
	for i, line := range strings.Split(strings.TrimSpace(readProc(t, "unix")), "\n") {
		f := strings.Fields(line)
		if i == 0 || len(f) < 7 {
			continue
		}
		var r unixRow
		fmt.Sscanf(f[4], "%x", &r.Type)
		fmt.Sscanf(f[6], "%d", &r.Inode)
		if len(f) > 7 {
			r.Path = f[7]
		}
		want = append(want, r)
	}
	var got []unixRow
	byInode := map[uint32]UnixMsg{}
	cl2 := New()
	defer cl2.Close()
	err = cl2.UnixSockets(context.Background(), func(m *UnixMsg) error {
		got = append(got, unixRow{uint64(m.Inode), m.Type, m.Path()})
		keep := *m
		keep.Name = slices.Clone(m.Name) // m.Name aliases the reused receive buffer
		byInode[m.Inode] = keep
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 6 {
		t.Errorf("/proc/net/unix has %d rows, want the 6 sockets made here", len(want))
	}
	// unix_diag skips sockets without inode: the embryo of the unaccepted connection.
	want = slices.DeleteFunc(want, func(r unixRow) bool { return r.Inode == 0 })
	if len(want) != 5 {
		t.Errorf("/proc/net/unix has %d rows with an inode, want 5", len(want))
	}
	order := func(a, b unixRow) int {
		return cmp.Or(cmp.Compare(a.Inode, b.Inode), cmp.Compare(a.Type, b.Type), strings.Compare(a.Path, b.Path))
	}
	slices.SortFunc(want, order)
	slices.SortFunc(got, order)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("unix_diag rows differ from /proc/net/unix (-proc +diag):\n%s", diff)
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	for _, m := range byInode {
		if m.HasName && m.Path() == path && (!m.HasVFS || uint64(m.VFSInode) != st.Ino) {
			t.Errorf("listener VFS inode %d (has %v), want %d", m.VFSInode, m.HasVFS, st.Ino)
		}
		if m.Type == unix.SOCK_SEQPACKET {
			if p, ok := byInode[m.Peer]; !m.HasPeer || !ok || p.Peer != m.Inode {
				t.Errorf("socketpair end %d: peer %d (has %v) does not point back", m.Inode, m.Peer, m.HasPeer)
			}
		}
		if !m.HasUID || !m.HasRQLen {
			t.Errorf("socket %d lacks UID or RQLEN: %+v", m.Inode, m)
		}
	}
}
