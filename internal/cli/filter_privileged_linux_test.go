//go:build linux

package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// TestKernelFilterPrivileged builds a socket population in a private network namespace
// and checks, for each filter, that the kernel accepts the state mask and program of
// source.KernelSelection and returns a superset of the sockets the filter selects in user
// space (the same set when the filter is one the kernel evaluates exactly).
func TestKernelFilterPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.EnterNetns(t)
	buildFilterPopulation(t)

	tests := []struct {
		filter string
		exact  bool // the kernel's selection is the filter's
	}{
		{"sport = :80", true},
		{"dport = :80", true},
		{"sport != :80", true},
		{"sport > :1024", true},
		{"dport < :8000 and dport > :0", true},
		{"src 127.0.0.1", true},
		{"src 127.0.0.1:8443", true},
		{"dst 127.0.0.0/30", true},
		{"dst 127.0.0.0/30:8443", true},
		{"dst ::1", true},
		{"src [::]:8443", true},
		{"src ::/0", true},
		{"not dst 127.0.0.0/8", true},
		{"( sport = :80 or sport = :8443 ) and not dst 127.0.0.3", true},
		{"dst *:80 or src *:7000", true},
		{"state time-wait", true},
		{"state syn-recv", true},
		{"state established sport = :80", true},
		{"state connected exclude time-wait", true},
		{"exclude listening", true},
		{"state established or dport = :80", false},
		{"not ( state listening and sport = :80 )", false},
		{"state listening and state established", true},
	}
	client := sockdiag.New()
	defer client.Close()
	ctx := context.Background()
	dump := func(proto netstat.Proto, fam netstat.Family, o sockdiag.Options) []string {
		t.Helper()
		var out []string
		err := client.InetSockets(ctx, proto, fam, o, func(s *netstat.Socket) error {
			out = append(out, sockText(s))
			return nil
		})
		if err != nil {
			t.Fatalf("dump %v/%v with %+v: %v", proto, fam, o, err)
		}
		slices.Sort(out)
		return out
	}
	// No subtests: the dumps must run on this goroutine's thread, in the namespace.
	for _, tt := range tests {
		func() {
			e, err := analysis.ParseFilter(tt.filter, analysis.ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			matched := 0
			for _, proto := range []netstat.Proto{netstat.TCP, netstat.UDP} {
				for _, fam := range []netstat.Family{netstat.IPv4, netstat.IPv6} {
					var all []netstat.Socket
					err := client.InetSockets(ctx, proto, fam, sockdiag.Options{}, func(s *netstat.Socket) error {
						all = append(all, *s)
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
					var want []string
					for i := range all {
						if e.Match(&all[i]) {
							want = append(want, sockText(&all[i]))
						}
					}
					slices.Sort(want)
					matched += len(want)
					states, bc := source.KernelSelection(e, proto)
					got := dump(proto, fam, sockdiag.Options{States: states, Bytecode: bc})
					for _, w := range want {
						if _, found := slices.BinarySearch(got, w); !found {
							t.Errorf("%q %v/%v: the kernel dropped %s", tt.filter, proto, fam, w)
						}
					}
					if tt.exact && !slices.Equal(want, got) {
						t.Errorf("%q %v/%v: kernel selection %q, user space %q", tt.filter, proto, fam, got, want)
					}
				}
			}
			if matched == 0 && tt.filter != "state listening and state established" {
				t.Errorf("%q selects nothing in the population", tt.filter)
			}
		}()
	}
}

func sockText(s *netstat.Socket) string {
	return fmt.Sprintf("%v %v %v %v", s.Proto, s.Local, s.Remote, s.State)
}

// buildFilterPopulation opens, on the calling (namespaced) thread: listeners on
// 127.0.0.1:80, [::]:8443 (dual stack) and [::1]:9000; connections to them from
// 127.0.0.2-5 and ::1; server-side TIME_WAIT sockets; SYN_RECV request sockets of a
// TCP_DEFER_ACCEPT listener on :7000; UDP sockets, one connected. Everything is closed
// when the test ends.
func buildFilterPopulation(t *testing.T) {
	t.Helper()
	var closers []io.Closer
	t.Cleanup(func() {
		for _, c := range closers {
			c.Close()
		}
	})
	keep := func(c io.Closer) { closers = append(closers, c) }
	listen := func(addr string, deferAccept bool) net.Listener {
		lc := net.ListenConfig{}
		if deferAccept {
			lc.Control = func(_, _ string, c syscall.RawConn) error {
				var serr error
				err := c.Control(func(fd uintptr) {
					serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT, 60)
				})
				if err != nil {
					return err
				}
				return serr
			}
		}
		ln, err := lc.Listen(context.Background(), "tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		keep(ln)
		return ln
	}
	dial := func(from, to string) net.Conn {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
		c, err := d.Dial("tcp", to)
		if err != nil {
			t.Fatal(err)
		}
		keep(c)
		return c
	}
	accept := func(ln net.Listener) net.Conn {
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		keep(c)
		return c
	}
	web := listen("127.0.0.1:80", false)
	dual := listen("[::]:8443", false)
	six := listen("[::1]:9000", false)
	tw := listen("127.0.0.1:9001", false)
	deferred := listen("127.0.0.1:7000", true)
	for i, from := range []string{"127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.4", "127.0.0.5"} {
		dial(from, web.Addr().String())
		accept(web)
		if i < 3 {
			dial(from, "127.0.0.1:8443") // an IPv4-mapped connection in tcp6
			accept(dual)
		}
	}
	dial("::1", six.Addr().String())
	accept(six)
	for _, from := range []string{"127.0.0.6", "127.0.0.7"} {
		c := dial(from, tw.Addr().String())
		s := accept(tw)
		s.Close() // the server closes first: its socket ends in TIME_WAIT
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		c.Read(make([]byte, 1))
		c.Close()
	}
	for _, from := range []string{"127.0.0.8", "127.0.0.8", "127.0.0.9"} {
		dial(from, deferred.Addr().String())
	}
	u, err := net.ListenPacket("udp", "127.0.0.1:53")
	if err != nil {
		t.Fatal(err)
	}
	keep(u)
	uc, err := net.DialUDP("udp", &net.UDPAddr{IP: net.ParseIP("127.0.0.10")}, &net.UDPAddr{IP: net.ParseIP("127.0.0.1"), Port: 53})
	if err != nil {
		t.Fatal(err)
	}
	keep(uc)
	u6, err := net.ListenPacket("udp", "[::1]:5353")
	if err != nil {
		t.Fatal(err)
	}
	keep(u6)
	// Wait until the TIME_WAIT and SYN_RECV sockets are there.
	deadline := time.Now().Add(5 * time.Second)
	for {
		var tws, syn int
		c := sockdiag.New()
		err := c.InetSockets(context.Background(), netstat.TCP, netstat.IPv4, sockdiag.Options{}, func(s *netstat.Socket) error {
			switch s.State {
			case netstat.TimeWait:
				tws++
			case netstat.SynRecv:
				syn++
			}
			return nil
		})
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if tws == 2 && syn == 3 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("population not ready: %d TIME_WAIT, %d SYN_RECV", tws, syn)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
