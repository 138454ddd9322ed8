//go:build linux

// Command popgen builds a large socket population for benchmarks: established
// loopback TCP connections spread over many processes (the open-file limit is per
// process), plus listeners, TIME_WAIT sockets, IPv6, UDP and unix sockets. Run it
// inside a network namespace; it prints READY when everything exists and then waits
// until it is sent SIGTERM or SIGINT, when it stops every process it started, by PID.
//
//	popgen -conns 100000 -procs 12             # 12 processes hold the connections
//	popgen -conns 100000 -procs 20 -spread 49  # handed on to 980 holders: 1,000 in all
//	popgen -conns 1000 -procs 1 -peers -extras=false  # each client on its own 127.10.x.y
//
// A worker holds at most 2*conns/procs+1 descriptors, which must stay under the
// open-file limit. Holders (-spread) are `sleep infinity` processes that inherit
// their share of a worker's sockets. TIME_WAIT sockets last 60 s; -renew makes 200
// new ones that often (default 30 s; 0 never, for a population that must not change).
//
// Sockets are made with plain system calls: no keepalive (Go's net package turns
// it on, and 200,000 loopback keepalive probes due at the same tick overflow the
// backlog queue, so connections time out and the population shrinks), no poller.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Bounds for everything that waits.
const (
	readyLimit = 10 * time.Minute // one worker creating its connections
	stopLimit  = 10 * time.Second // a child exiting after SIGTERM
	// timeWaits TIME_WAIT sockets are made at the start and at every renewal.
	timeWaits = 200
)

func main() {
	conns := flag.Int("conns", 1000, "established TCP connections in total (two sockets each)")
	procs := flag.Int("procs", 10, "worker processes creating (and holding) the connections")
	spread := flag.Int("spread", 0, "hand each worker's connection sockets on to this many holder processes")
	peers := flag.Bool("peers", false, "give every client its own local address 127.10.x.y (needs -procs 1)")
	withExtras := flag.Bool("extras", true, "add TIME_WAIT, IPv6, UDP and unix sockets")
	renew := flag.Duration("renew", 30*time.Second, "make new TIME_WAIT sockets this often (the kernel keeps them 60 s); 0: never")
	basePort := flag.Int("port", 20000, "first listening port; worker i listens on port+i")
	worker := flag.Int("worker", -1, "internal: run as worker i")
	hold := flag.Bool("hold", false, "internal: keep the inherited sockets until signalled")
	flag.Parse()

	if *hold {
		<-notify()
		return
	}

	var err error
	if *worker >= 0 {
		err = runWorker(*worker, *conns, *basePort, *spread, *peers)
	} else {
		err = runParent(*conns, *procs, *spread, *basePort, *peers, *withExtras, *renew)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "popgen:", err)
		os.Exit(1)
	}
}

// runParent starts the workers one after the other, waits for each to report READY,
// adds the other socket kinds, reports READY itself and stops the workers when it is
// signalled.
func runParent(conns, procs, spread, basePort int, peers, withExtras bool, renew time.Duration) error {
	procs = max(procs, 1)
	if peers && procs != 1 {
		return errors.New("-peers needs -procs 1")
	}
	sig := notify()
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var children []*exec.Cmd
	defer func() { stop(children) }()
	per := conns / procs
	for i := 0; i < procs; i++ {
		n := per
		if i < conns%procs {
			n++
		}
		args := []string{"-worker", strconv.Itoa(i), "-conns", strconv.Itoa(n),
			"-port", strconv.Itoa(basePort), "-spread", strconv.Itoa(spread)}
		if peers {
			args = append(args, "-peers")
		}
		cmd := exec.Command(self, args...)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		children = append(children, cmd)
		if err := awaitReady(out, fmt.Sprintf("worker %d", i)); err != nil {
			return err
		}
	}
	if !withExtras {
		fmt.Println("READY")
		<-sig
		return nil
	}
	dir, err := os.MkdirTemp("", "popgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	x, err := extras(basePort+procs, filepath.Join(dir, "sock"))
	if err != nil {
		return err
	}
	defer x.close()
	fmt.Println("READY")
	if renew <= 0 {
		<-sig
		return nil
	}
	tick := time.NewTicker(renew)
	defer tick.Stop()
	for {
		select {
		case <-sig:
			return nil
		case <-tick.C:
			if err := x.timeWait(); err != nil {
				return err
			}
		}
	}
}

// awaitReady reads the first line a child prints, which must be READY.
func awaitReady(out interface{ Read([]byte) (int, error) }, who string) error {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadString('\n')
		ch <- result{line, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil || r.line != "READY\n" {
			return fmt.Errorf("%s did not get ready: %q %v", who, r.line, r.err)
		}
		return nil
	case <-time.After(readyLimit):
		return fmt.Errorf("%s not ready after %v", who, readyLimit)
	}
}

// stop sends SIGTERM to each child by PID, waits a bounded time, then SIGKILLs it.
func stop(children []*exec.Cmd) {
	for _, c := range children {
		c.Process.Signal(syscall.SIGTERM)
	}
	for _, c := range children {
		done := make(chan struct{})
		go func() { c.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(stopLimit):
			c.Process.Kill()
			<-done
		}
	}
}

// notify returns a channel that receives SIGTERM and SIGINT.
func notify() <-chan os.Signal {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	return sig
}

// runWorker listens on 127.0.0.1:port+i and connects n clients to itself, keeping
// both ends of every connection open, in this process or, with spread, in holder
// processes that inherit them.
func runWorker(i, n, basePort, spread int, peers bool) error {
	sig := notify()
	ln, err := listen(syscall.AF_INET, [16]byte{127, 0, 0, 1}, basePort+i)
	if err != nil {
		return err
	}
	defer syscall.Close(ln)
	fds := make([]int, 0, 2*n)
	defer func() {
		for _, fd := range fds {
			syscall.Close(fd)
		}
	}()
	for k := 0; k < n; k++ {
		var from *[4]byte
		if peers {
			from = &[4]byte{127, 10, byte(k / 250), byte(k%250 + 1)}
		}
		c, a, err := pair(ln, [4]byte{127, 0, 0, 1}, basePort+i, from)
		if err != nil {
			return fmt.Errorf("connection %d: %w", k, err)
		}
		fds = append(fds, c, a)
	}
	var holders []*exec.Cmd
	defer func() { stop(holders) }()
	if spread > 0 {
		holders, err = handOn(fds, spread)
		if err != nil {
			return err
		}
		for _, fd := range fds {
			syscall.Close(fd)
		}
		fds = fds[:0]
	}
	fmt.Println("READY")
	<-sig
	return nil
}

// handOn starts k holder processes (sleep, else this program waiting) that inherit
// fds, split evenly.
func handOn(fds []int, k int) ([]*exec.Cmd, error) {
	argv := []string{"sleep", "infinity"}
	if p, err := exec.LookPath("sleep"); err == nil {
		argv[0] = p
	} else if self, err := os.Executable(); err == nil {
		argv = []string{self, "-hold"}
	}
	var cmds []*exec.Cmd
	for j := 0; j < k; j++ {
		part := fds[j*len(fds)/k : (j+1)*len(fds)/k]
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		for _, fd := range part {
			cmd.ExtraFiles = append(cmd.ExtraFiles, os.NewFile(uintptr(fd), "socket"))
		}
		if err := cmd.Start(); err != nil {
			return cmds, err
		}
		cmds = append(cmds, cmd)
	}
	return cmds, nil
}

// listen opens a TCP listener on addr:port (family AF_INET or AF_INET6).
func listen(family int, addr [16]byte, port int) (int, error) {
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	if err := syscall.Bind(fd, sockaddr(family, addr, port)); err != nil {
		syscall.Close(fd)
		return -1, fmt.Errorf("bind port %d: %w", port, err)
	}
	if err := syscall.Listen(fd, 4096); err != nil {
		syscall.Close(fd)
		return -1, err
	}
	return fd, nil
}

func sockaddr(family int, addr [16]byte, port int) syscall.Sockaddr {
	if family == syscall.AF_INET6 {
		return &syscall.SockaddrInet6{Port: port, Addr: addr}
	}
	return &syscall.SockaddrInet4{Port: port, Addr: [4]byte(addr[:4])}
}

// pair connects a client to the IPv4 listener ln at addr:port, from local address
// from when given, and accepts it; on loopback the handshake completes inside
// connect.
func pair(ln int, addr [4]byte, port int, from *[4]byte) (client, accepted int, err error) {
	return pairFamily(ln, syscall.AF_INET, [16]byte(append(addr[:], make([]byte, 12)...)), port, from)
}

func pairFamily(ln, family int, addr [16]byte, port int, from *[4]byte) (client, accepted int, err error) {
	c, err := syscall.Socket(family, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, -1, err
	}
	if from != nil {
		if err := syscall.Bind(c, &syscall.SockaddrInet4{Addr: *from}); err != nil {
			syscall.Close(c)
			return -1, -1, fmt.Errorf("bind %v: %w", *from, err)
		}
	}
	if err := syscall.Connect(c, sockaddr(family, addr, port)); err != nil {
		syscall.Close(c)
		return -1, -1, err
	}
	a, _, err := syscall.Accept4(ln, syscall.SOCK_CLOEXEC)
	if err != nil {
		syscall.Close(c)
		return -1, -1, err
	}
	return c, a, nil
}

// population holds the extra socket kinds of the parent.
type population struct {
	fds  []int
	tw   int // listener whose connections are closed actively, leaving TIME_WAIT
	port int
}

func (p *population) close() {
	for _, fd := range p.fds {
		syscall.Close(fd)
	}
}

// timeWait makes timeWaits TIME_WAIT sockets: the client closes first.
func (p *population) timeWait() error {
	for k := 0; k < timeWaits; k++ {
		c, a, err := pair(p.tw, [4]byte{127, 0, 0, 1}, p.port, nil)
		if err != nil {
			return err
		}
		syscall.Close(c)
		syscall.Close(a)
	}
	return nil
}

// extras creates the other socket kinds a real host has: TIME_WAIT sockets, an IPv6
// listener with connections (when the namespace has ::1), bound and connected UDP,
// and a unix listener with connections.
func extras(port int, unixPath string) (*population, error) {
	p := &population{port: port}
	ok := false
	defer func() {
		if !ok {
			p.close()
		}
	}()
	tw, err := listen(syscall.AF_INET, [16]byte{127, 0, 0, 1}, port)
	if err != nil {
		return nil, err
	}
	p.tw = tw
	p.fds = append(p.fds, tw)
	if err := p.timeWait(); err != nil {
		return nil, err
	}
	loop6 := [16]byte{15: 1}
	if ln6, err := listen(syscall.AF_INET6, loop6, port+1); err == nil {
		p.fds = append(p.fds, ln6)
		for k := 0; k < 100; k++ {
			c, a, err := pairFamily(ln6, syscall.AF_INET6, loop6, port+1, nil)
			if err != nil {
				return nil, err
			}
			p.fds = append(p.fds, c, a)
		}
	}
	for k := 0; k < 100; k++ {
		u, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			return nil, err
		}
		p.fds = append(p.fds, u)
		if err := syscall.Bind(u, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			return nil, err
		}
		sa, err := syscall.Getsockname(u)
		if err != nil {
			return nil, err
		}
		uc, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			return nil, err
		}
		p.fds = append(p.fds, uc)
		if err := syscall.Connect(uc, sa); err != nil {
			return nil, err
		}
	}
	ul, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	p.fds = append(p.fds, ul)
	if err := syscall.Bind(ul, &syscall.SockaddrUnix{Name: unixPath}); err != nil {
		return nil, err
	}
	if err := syscall.Listen(ul, 256); err != nil {
		return nil, err
	}
	for k := 0; k < 100; k++ {
		c, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			return nil, err
		}
		p.fds = append(p.fds, c)
		if err := syscall.Connect(c, &syscall.SockaddrUnix{Name: unixPath}); err != nil {
			return nil, err
		}
		a, _, err := syscall.Accept4(ul, syscall.SOCK_CLOEXEC)
		if err != nil {
			return nil, err
		}
		p.fds = append(p.fds, a)
	}
	ok = true
	return p, nil
}
