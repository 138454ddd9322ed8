//go:build linux

package answers

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// The socket population of these tests is held by copies of the test binary running
// as "roles" inside the test namespace. Each copy is started through a symbolic link
// named after its role (httpd, sshd, curl), so that netstat -p (argv[0]) and ss -p
// (comm) show that name.

// roleEnv names the environment variable that makes the test binary a holder.
const roleEnv = "NETSTAT_GO_ANSWERS_ROLE"

const (
	tcpDeferAccept = 9 // TCP_DEFER_ACCEPT
	dialTimeout    = 5 * time.Second
)

// Expected connections of the population, per client address (see holder.curl).
var (
	webClients   = map[string]int{"127.0.0.2": 5, "127.0.0.3": 3, "127.0.0.4": 3, "127.0.0.5": 1, "127.0.0.6": 2, "127.0.0.20": 2}
	proxyClients = map[string]int{"127.0.0.7": 2, "127.0.0.2": 1} // IPv4-mapped in tcp6
	twClients    = map[string]int{"127.0.0.8": 3, "127.0.0.9": 2, "127.0.0.10": 1}
	synClients   = map[string]int{"127.0.0.11": 4, "127.0.0.12": 2}
)

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// runRole creates the sockets of a role, prints READY and keeps them until standard
// input ends. It returns the exit status.
func runRole(role string) int {
	h := &holder{}
	var err error
	switch role {
	case "httpd":
		err = h.httpd()
	case "sshd":
		err = h.serve("tcp4", "0.0.0.0:22")
	case "curl":
		err = h.curl()
	default:
		err = fmt.Errorf("unknown role %q", role)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", role, err)
		return 1
	}
	fmt.Println("READY")
	io.Copy(io.Discard, os.Stdin)
	h.closeAll()
	return 0
}

// holder keeps every socket of a role reachable (the runtime closes unreachable
// ones) until the role ends.
type holder struct {
	mu   sync.Mutex
	held []io.Closer
}

func (h *holder) keep(c io.Closer) {
	h.mu.Lock()
	h.held = append(h.held, c)
	h.mu.Unlock()
}

func (h *holder) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range h.held {
		c.Close()
	}
}

// serve listens on addr and accepts (and keeps) every connection in the background.
func (h *holder) serve(network, addr string) error {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	h.keep(ln)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.keep(c)
		}
	}()
	return nil
}

// httpd is the server side: a web listener on 0.0.0.0:80, a dual-stack proxy on
// [::]:8080, an IPv6 listener on [::1]:8443, a listener on 127.0.0.1:9000 that closes
// every connection at once (its sockets end in TIME_WAIT), a TCP_DEFER_ACCEPT listener
// on 127.0.0.1:7000 that never accepts (its connections stay in SYN_RECV) and a UDP
// socket on 127.0.0.1:53.
func (h *holder) httpd() error {
	for _, l := range [][2]string{{"tcp4", "0.0.0.0:80"}, {"tcp", "[::]:8080"}, {"tcp6", "[::1]:8443"}} {
		if err := h.serve(l[0], l[1]); err != nil {
			return err
		}
	}
	closer, err := net.Listen("tcp4", "127.0.0.1:9000")
	if err != nil {
		return err
	}
	h.keep(closer)
	go func() {
		for {
			c, err := closer.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		if err := c.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpDeferAccept, 120)
		}); err != nil {
			return err
		}
		return serr
	}}
	deferred, err := lc.Listen(context.Background(), "tcp4", "127.0.0.1:7000")
	if err != nil {
		return err
	}
	h.keep(deferred)
	u, err := net.ListenPacket("udp4", "127.0.0.1:53")
	if err != nil {
		return err
	}
	h.keep(u)
	return nil
}

// curl is the client side: the connections of webClients, proxyClients, two IPv6
// ones, one to sshd, twClients (closed after the server's close, leaving the server
// side in TIME_WAIT), synClients (to the deferring listener) and a connected UDP
// socket.
func (h *holder) curl() error {
	dial := func(from, to string) (net.Conn, error) {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: dialTimeout}
		c, err := d.Dial("tcp", to)
		if err != nil {
			return nil, err
		}
		h.keep(c)
		return c, nil
	}
	for _, batch := range []struct {
		clients map[string]int
		to      string
	}{
		{webClients, "127.0.0.1:80"},
		{proxyClients, "127.0.0.1:8080"},
		{map[string]int{"::1": 2}, "[::1]:8443"},
		{map[string]int{"127.0.0.2": 1}, "127.0.0.1:22"},
		{synClients, "127.0.0.1:7000"},
	} {
		for from, n := range batch.clients {
			for i := 0; i < n; i++ {
				if _, err := dial(from, batch.to); err != nil {
					return err
				}
			}
		}
	}
	for from, n := range twClients {
		for i := 0; i < n; i++ {
			c, err := dial(from, "127.0.0.1:9000")
			if err != nil {
				return err
			}
			c.SetReadDeadline(time.Now().Add(dialTimeout))
			if _, err := bufio.NewReader(c).ReadByte(); err != io.EOF {
				return fmt.Errorf("waiting for the server's close: %v", err)
			}
			c.Close()
		}
	}
	u, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.ParseIP("127.0.0.13")}, &net.UDPAddr{IP: net.ParseIP("127.0.0.1"), Port: 53})
	if err != nil {
		return err
	}
	h.keep(u)
	return nil
}
