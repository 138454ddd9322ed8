// Command dnssink is a DNS server that never answers: it binds a UDP address (and the
// same TCP address, so that a client falling back to TCP also waits), reads every
// query and drops it. Benchmarks and tests point resolv.conf at it to make every
// reverse lookup time out. It prints READY once bound and runs until it is sent
// SIGTERM or SIGINT; then it prints "QUERIES n", the number of UDP queries it read.
//
//	dnssink -addr 127.0.0.53:53
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

func main() {
	addr := flag.String("addr", "127.0.0.53:53", "address to listen on")
	flag.Parse()
	pc, err := net.ListenPacket("udp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dnssink:", err)
		os.Exit(1)
	}
	defer pc.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dnssink:", err)
		os.Exit(1)
	}
	defer ln.Close()
	var queries atomic.Int64
	go func() {
		buf := make([]byte, 64<<10)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			queries.Add(1)
		}
	}()
	var mu sync.Mutex
	var held []net.Conn // accepted and never answered; closed at exit
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	fmt.Println("READY")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	mu.Lock()
	defer mu.Unlock()
	for _, c := range held {
		c.Close()
	}
	fmt.Println("QUERIES", queries.Load())
}
