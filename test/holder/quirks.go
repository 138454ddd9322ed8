//go:build linux

package main

import (
	"errors"
	"fmt"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Fixtures for the rows where the netlink and /proc views of a socket part (issue 9).

// inactive holds TCP sockets no /proc file lists (bound only, IPv4 and IPv6, and bound
// with a refused connect: TCP_BOUND_INACTIVE on Linux 6.8 and later) and listeners
// whose /proc Send-Q (write_seq - snd_una) is not 0: each connect(AF_UNSPEC) before
// listen() adds 2.
func (h *holder) inactive() error {
	for _, a := range []struct {
		addr string
		port int
	}{{"127.0.0.1", 5101}, {"::1", 5102}, {"0.0.0.0", 5103}, {"::", 5104}} {
		sa, fam, err := sockaddr(a.addr, a.port)
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
		if err := syscall.Bind(fd, sa); err != nil {
			return fmt.Errorf("bind %s:%d: %w", a.addr, a.port, err)
		}
	}
	if _, err := h.dialTCP("127.0.0.1", 9, "127.0.0.1", 5105, nil); !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("connect to a closed port: %v", err)
	}
	for _, l := range []struct {
		addr        string
		port, times int
	}{{"127.0.0.1", 5106, 1}, {"::1", 5107, 3}, {"0.0.0.0", 5108, 2}} {
		sa, fam, err := sockaddr(l.addr, l.port)
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
		if err := syscall.Bind(fd, sa); err != nil {
			return fmt.Errorf("bind %s:%d: %w", l.addr, l.port, err)
		}
		for range l.times {
			var unspec [16]byte // sa_family 0: AF_UNSPEC
			if _, _, errno := syscall.Syscall(syscall.SYS_CONNECT, uintptr(fd), uintptr(unsafe.Pointer(&unspec[0])), uintptr(len(unspec))); errno != 0 {
				return fmt.Errorf("connect AF_UNSPEC: %w", errno)
			}
		}
		if err := syscall.Listen(fd, 7); err != nil {
			return fmt.Errorf("listen %s:%d: %w", l.addr, l.port, err)
		}
	}
	return nil
}

// deferred holds a TCP_DEFER_ACCEPT listener on the wildcard address of port, bound
// to device dev unless dev is "-", and n clients that connect to addr:port (through
// dev) and never send: the listener keeps their request sockets in SYN_RECV, whose
// timer expires without resending SYN-ACKs (num_timeout grows, num_retrans stays 0).
// The listener belongs to the holder's uid.
func (h *holder) deferred(port int, dev, addr string, n int) error {
	family := "0.0.0.0"
	if sa, _, err := sockaddr(addr, port); err == nil {
		if _, v6 := sa.(*syscall.SockaddrInet6); v6 {
			family = "::"
		}
	}
	sa, fam, err := sockaddr(family, port)
	if err != nil {
		return err
	}
	l, err := h.socket(fam, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	if err := h.prepare(l, fam, nil); err != nil {
		return err
	}
	if dev != "-" {
		if err := unix.SetsockoptString(l, syscall.SOL_SOCKET, syscall.SO_BINDTODEVICE, dev); err != nil {
			return fmt.Errorf("SO_BINDTODEVICE %s: %w", dev, err)
		}
	}
	if err := sockOpt(l, syscall.IPPROTO_TCP, tcpDeferAccept, 60, "TCP_DEFER_ACCEPT"); err != nil {
		return err
	}
	if err := syscall.Bind(l, sa); err != nil {
		return fmt.Errorf("bind %s:%d: %w", family, port, err)
	}
	if err := syscall.Listen(l, 16); err != nil {
		return err
	}
	dsa, _, err := sockaddr(addr, port)
	if err != nil {
		return err
	}
	for range n {
		c, err := h.socket(fam, syscall.SOCK_STREAM, 0)
		if err != nil {
			return err
		}
		if dev != "-" {
			if err := unix.SetsockoptString(c, syscall.SOL_SOCKET, syscall.SO_BINDTODEVICE, dev); err != nil {
				return fmt.Errorf("SO_BINDTODEVICE %s: %w", dev, err)
			}
		}
		if err := syscall.Connect(c, dsa); err != nil {
			return fmt.Errorf("connect %s:%d: %w", addr, port, err)
		}
	}
	return nil
}
