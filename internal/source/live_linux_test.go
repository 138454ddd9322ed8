//go:build linux

package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/netstat"
)

// listenRaw makes a TCP listener on 127.0.0.1:port with the given backlog, with raw
// system calls so that the backlog is exactly ours (Go's net uses somaxconn).
func listenRaw(t *testing.T, port, backlog int) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Bind(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		t.Fatal(err)
	}
	return fd
}

func inodeOf(t *testing.T, fd int) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// TestLiveSnapshotConcurrentPrivileged takes snapshots from several goroutines at once
// (run it under -race) while connections churn, and checks each one whole: the
// static population appears exactly once per snapshot with its backlog, tcp_info and
// owner, and no row appears twice.
func TestLiveSnapshotConcurrentPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	ns := nstest.EnterNetns(t)

	const port, backlog, static = 7400, 17, 12
	lfd := listenRaw(t, port, backlog)
	listenerInode := inodeOf(t, lfd)
	ln, err := net.FileListener(os.NewFile(uintptr(lfd), "listener"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	wantStatic := map[netip.AddrPort]bool{} // client local addresses
	for i := 0; i < static; i++ {
		c, err := net.Dial("tcp4", "127.0.0.1:7400")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		wantStatic[netip.MustParseAddrPort(c.LocalAddr().String())] = true
	}

	// Churn: short connections to a second port, opened and closed without pause.
	churnLn, err := net.Listen("tcp4", "127.0.0.1:7401")
	if err != nil {
		t.Fatal(err)
	}
	defer churnLn.Close()
	go func() {
		for {
			c, err := churnLn.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	stop := make(chan struct{})
	var churn sync.WaitGroup
	churn.Add(1)
	go func() {
		defer churn.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if c, err := net.Dial("tcp4", "127.0.0.1:7401"); err == nil {
				c.Close()
			}
		}
	}()

	live := NewLive(LiveOptions{})
	defer live.Close()
	q := Query{Protos: []netstat.Proto{netstat.TCP}, Extras: WithOwners | WithTCPInfo}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Into the test's namespace for good: the thread ends with the goroutine.
			runtime.LockOSThread()
			if err := unix.Setns(ns, unix.CLONE_NEWNET); err != nil {
				errs <- err
				return
			}
			for i := 0; i < 15; i++ {
				snap, err := live.Snapshot(context.Background(), q)
				if err != nil {
					errs <- err
					return
				}
				if err := checkSnapshot(snap, wantStatic, listenerInode, backlog); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	churn.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func checkSnapshot(snap *netstat.Snapshot, wantStatic map[netip.AddrPort]bool, listenerInode uint64, backlog int) error {
	seen := map[netstat.SocketKey]netstat.Socket{}
	static, listeners := 0, 0
	for i := range snap.Inet {
		s := &snap.Inet[i]
		if s.Proto != netstat.TCP {
			return errors.New("a TCP-only query returned " + s.Proto.String())
		}
		k := s.Key()
		if prev, dup := seen[k]; dup && !(prev.State == netstat.TimeWait || s.State == netstat.TimeWait) {
			return errors.New("socket listed twice: " + s.Local.String() + " " + s.Remote.String())
		}
		seen[k] = *s
		if s.Cookie == 0 {
			return errors.New("no cookie on " + s.Local.String())
		}
		if wantStatic[s.Local] && s.Remote.Port() == 7400 {
			static++
			if s.State != netstat.Established || s.Info == nil || s.Info.State != s.State {
				return errors.New("static connection without consistent tcp_info: " + s.Local.String())
			}
			if own := snap.OwnersOf(s.Inode); len(own) != 1 || own[0].PID != os.Getpid() {
				return errors.New("static connection's owner is not this process")
			}
		}
		if s.Local.Port() == 7400 && s.State == netstat.Listen {
			listeners++
			if s.Inode != listenerInode || s.Backlog != uint32(backlog) || s.SendQ != 0 {
				return errors.New("listener row: wrong inode, backlog or Send-Q")
			}
			own := snap.OwnersOf(s.Inode)
			if len(own) != 1 || own[0].PID != os.Getpid() || len(own[0].Cmdline) == 0 || own[0].UID != uint32(os.Getuid()) {
				return errors.New("listener owner is not this process with its command line and uid")
			}
		}
	}
	if static != len(wantStatic) || listeners != 1 {
		return fmt.Errorf("static population incomplete: %d of %d connections, %d listeners in %d rows", static, len(wantStatic), listeners, len(snap.Inet))
	}
	return nil
}

// TestLiveQueryPrivileged checks that a query's protocols, families, states and filter
// select the sockets they name, on netlink and on /proc alike.
func TestLiveQueryPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.EnterNetns(t)
	l4, err := net.Listen("tcp4", "127.0.0.1:7410")
	if err != nil {
		t.Fatal(err)
	}
	defer l4.Close()
	l6, err := net.Listen("tcp6", "[::1]:7411")
	if err != nil {
		t.Fatal(err)
	}
	defer l6.Close()
	c, err := net.Dial("tcp4", "127.0.0.1:7410")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	u, err := net.ListenPacket("udp4", "127.0.0.1:7412")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	filter, err := analysis.ParseFilter("sport = :7410", analysis.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, forceProc := range []bool{false, true} {
		live := NewLive(LiveOptions{ForceProc: forceProc})
		defer live.Close()
		count := func(q Query) int {
			snap, err := live.Snapshot(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			return len(snap.Inet)
		}
		tcp := []netstat.Proto{netstat.TCP}
		cases := []struct {
			name string
			q    Query
			want int
		}{
			{"all", Query{}, 5}, // two listeners, two ends of a connection, one UDP
			{"tcp", Query{Protos: tcp}, 4},
			{"udp", Query{Protos: []netstat.Proto{netstat.UDP}}, 1},
			{"tcp6", Query{Protos: tcp, Families: []netstat.Family{netstat.IPv6}}, 1},
			{"listen", Query{Protos: tcp, States: analysis.Bit(netstat.Listen)}, 2},
			{"filter", Query{Protos: tcp, Filter: filter}, 2}, // listener and accepted end
			{"listen+filter", Query{Protos: tcp, States: analysis.Bit(netstat.Listen), Filter: filter}, 1},
			{"no inet", Query{NoInet: true}, 0},
		}
		for _, tc := range cases {
			if got := count(tc.q); got != tc.want {
				t.Errorf("forceProc=%v %s: %d sockets, want %d", forceProc, tc.name, got, tc.want)
			}
		}
		snap, err := live.Snapshot(context.Background(), Query{Protos: tcp})
		if err != nil {
			t.Fatal(err)
		}
		if forceProc && len(snap.Partial.Fallback) == 0 {
			t.Error("a /proc snapshot reports no fallback")
		}
		if !forceProc && len(snap.Partial.Fallback) != 0 {
			t.Errorf("netlink TCP snapshot reports fallbacks %v", snap.Partial.Fallback)
		}
	}
}

// TestLiveDestroyPrivileged closes one end of a connection with SOCK_DESTROY: the peer
// sees a reset and the socket is gone from the next snapshot.
func TestLiveDestroyPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.EnterNetns(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:7420")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp4", "127.0.0.1:7420")
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	live := NewLive(LiveOptions{})
	defer live.Close()
	clientAddr := netip.MustParseAddrPort(client.LocalAddr().String())
	find := func() *netstat.Socket {
		snap, err := live.Snapshot(context.Background(), Query{Protos: []netstat.Proto{netstat.TCP}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range snap.Inet {
			if snap.Inet[i].Local == clientAddr {
				return &snap.Inet[i]
			}
		}
		return nil
	}
	s := find()
	if s == nil {
		t.Fatal("client socket not in the snapshot")
	}
	if err := live.Destroy(context.Background(), s); err != nil {
		if errors.Is(err, ErrDestroyUnsupported) {
			t.Fatalf("this kernel has no CONFIG_INET_DIAG_DESTROY: %v", err)
		}
		t.Fatal(err)
	}
	server.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = server.Read(make([]byte, 1))
	if !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("peer read after destroy: %v, want ECONNRESET", err)
	}
	if s := find(); s != nil {
		t.Errorf("destroyed socket still listed: %+v", s)
	}
	// A second destroy of the same socket finds nothing.
	if err := live.Destroy(context.Background(), &netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, Local: clientAddr, Remote: netip.MustParseAddrPort("127.0.0.1:7420")}); !errors.Is(err, ErrNotFound) {
		t.Errorf("destroying a gone socket: %v, want ErrNotFound", err)
	}
}

// TestLiveStreamPrivileged checks that a stream hands over the sockets a snapshot of
// the same query holds (a still population: the keys and states of each socket, not
// its moving counters), reuses the values it hands over, and stops at a visitor's
// error, returning it.
func TestLiveStreamPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.EnterNetns(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:7420")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	for range 3 {
		c, err := net.Dial("tcp4", "127.0.0.1:7420")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for range conns {
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	ul, err := net.Listen("unix", t.TempDir()+"/s")
	if err != nil {
		t.Fatal(err)
	}
	defer ul.Close()
	live := NewLive(LiveOptions{})
	defer live.Close()
	q := Query{Protos: []netstat.Proto{netstat.TCP}, Unix: true, Extras: WithTCPInfo | WithOwners}
	type row struct {
		key   netstat.SocketKey
		state netstat.TCPState
		info  bool
	}
	var streamed []row
	units := 0
	st, err := live.Stream(context.Background(), q, Visit{
		Inet: func(s *netstat.Socket) error {
			streamed = append(streamed, row{s.Key(), s.State, s.Info != nil})
			return nil
		},
		Unix: func(*netstat.UnixSocket) error { units++; return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := live.Snapshot(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var want []row
	for i := range snap.Inet {
		s := &snap.Inet[i]
		want = append(want, row{s.Key(), s.State, s.Info != nil})
	}
	if len(streamed) != 7 || fmt.Sprint(streamed) != fmt.Sprint(want) {
		t.Errorf("streamed %v\nsnapshot %v (want 7 sockets: a listener and three connections)", streamed, want)
	}
	for _, r := range streamed {
		if !r.info {
			t.Errorf("%v streamed without tcp_info", r.key)
		}
	}
	if st.Owners == nil || len(st.Owners[inodeOfConn(t, conns[0])]) == 0 {
		t.Error("stream with WithOwners: no owner for our own connection")
	}
	if units != 1 || len(snap.Unix) != 1 {
		t.Errorf("unix sockets: streamed %d, snapshot %d, want our one listener", units, len(snap.Unix))
	}
	stop := errors.New("enough")
	seen := 0
	_, err = live.Stream(context.Background(), q, Visit{Inet: func(*netstat.Socket) error {
		seen++
		return stop
	}})
	if !errors.Is(err, stop) || seen != 1 {
		t.Errorf("a visitor's error: Stream returned %v after %d sockets, want %v after 1", err, seen, stop)
	}
}

func inodeOfConn(t *testing.T, c net.Conn) uint64 {
	t.Helper()
	f, err := c.(*net.TCPConn).File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return inodeOf(t, int(f.Fd()))
}
