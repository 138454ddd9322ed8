// Command popgen builds a large socket population for benchmarks: established
// loopback TCP connections spread over many processes (the open-file limit is per
// process), plus listeners, TIME_WAIT sockets, UDP and unix sockets. Run it inside a
// network namespace; it prints READY when everything exists and then waits to be killed.
//
//	popgen -conns 100000 -procs 12
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func main() {
	conns := flag.Int("conns", 1000, "established connections in total (two sockets each)")
	procs := flag.Int("procs", 10, "processes holding them")
	basePort := flag.Int("port", 20000, "first listening port; worker i listens on port+i")
	worker := flag.Int("worker", -1, "internal: run as worker i")
	flag.Parse()

	if *worker >= 0 {
		if err := runWorker(*worker, *conns, *basePort); err != nil {
			fmt.Fprintln(os.Stderr, "popgen worker:", err)
			os.Exit(1)
		}
		return
	}
	if err := runParent(*conns, *procs, *basePort); err != nil {
		fmt.Fprintln(os.Stderr, "popgen:", err)
		os.Exit(1)
	}
}

// runParent starts the workers, waits for each to report READY, adds the extra socket
// kinds, reports READY itself and stops the workers when it is signalled.
func runParent(conns, procs, basePort int) error {
	if procs < 1 {
		procs = 1
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var children []*exec.Cmd
	defer func() {
		for _, c := range children {
			c.Process.Kill()
			c.Wait()
		}
	}()
	per := conns / procs
	for i := 0; i < procs; i++ {
		n := per
		if i < conns%procs {
			n++
		}
		cmd := exec.Command(self, "-worker", strconv.Itoa(i), "-conns", strconv.Itoa(n), "-port", strconv.Itoa(basePort))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		children = append(children, cmd)
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil || line != "READY\n" {
			return fmt.Errorf("worker %d did not get ready: %q %v", i, line, err)
		}
	}
	dir, err := os.MkdirTemp("", "popgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	keep, err := extras(basePort+procs, dir)
	if err != nil {
		return err
	}
	fmt.Println("READY")
	wait()
	runtime.KeepAlive(keep)
	return nil
}

// runWorker listens on 127.0.0.1:port+i and connects n clients to itself, keeping
// both ends of every connection open.
func runWorker(i, n, basePort int) error {
	ln, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(basePort+i))
	if err != nil {
		return err
	}
	accepted := make(chan net.Conn, 1024)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	var keep []net.Conn
	for k := 0; k < n; k++ {
		c, err := net.DialTimeout("tcp4", ln.Addr().String(), 5*time.Second)
		if err != nil {
			return fmt.Errorf("connection %d: %w", k, err)
		}
		keep = append(keep, c, <-accepted)
	}
	fmt.Println("READY")
	wait()
	// The connections must stay reachable until the end: a finalized net.Conn closes
	// its socket.
	runtime.KeepAlive(keep)
	return nil
}

// wait blocks until the process is told to stop.
func wait() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
}

// extras creates the other socket kinds a real host has: TIME_WAIT sockets, bound and
// connected UDP, and unix listeners with connections.
func extras(port int, dir string) ([]any, error) {
	var keep []any
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return nil, err
	}
	keep = append(keep, ln)
	for k := 0; k < 200; k++ { // the active closer keeps TIME_WAIT
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			return nil, err
		}
		a, err := ln.Accept()
		if err != nil {
			return nil, err
		}
		c.Close()
		a.Close()
	}
	for k := 0; k < 100; k++ {
		u, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			return nil, err
		}
		keep = append(keep, u)
		uc, err := net.DialUDP("udp4", nil, u.LocalAddr().(*net.UDPAddr))
		if err != nil {
			return nil, err
		}
		keep = append(keep, uc)
	}
	ul, err := net.Listen("unix", dir+"/sock")
	if err != nil {
		return nil, err
	}
	keep = append(keep, ul)
	for k := 0; k < 100; k++ {
		c, err := net.Dial("unix", dir+"/sock")
		if err != nil {
			return nil, err
		}
		a, err := ul.Accept()
		if err != nil {
			return nil, err
		}
		keep = append(keep, c, a)
	}
	return keep, nil
}
