//go:build linux

package sockdiag

import (
	"errors"
	"fmt"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// netlinkConn is a NETLINK_SOCK_DIAG socket.
type netlinkConn struct {
	fd      int
	from    unix.RawSockaddrNetlink // reused by Receive, so that it allocates nothing
	fromLen uint32
}

// Dial opens a NETLINK_SOCK_DIAG socket in the network namespace of the calling
// thread. If the kernel has no sock_diag, the error wraps ErrUnsupported.
func Dial() (Conn, error) {
	fd, err := socketWithoutNetAdmin()
	if err != nil {
		if errors.Is(err, unix.EPROTONOSUPPORT) || errors.Is(err, unix.EAFNOSUPPORT) {
			return nil, fmt.Errorf("%w: socket(AF_NETLINK, NETLINK_SOCK_DIAG): %w", ErrUnsupported, err)
		}
		return nil, fmt.Errorf("socket(AF_NETLINK, NETLINK_SOCK_DIAG): %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind netlink socket: %w", err)
	}
	return &netlinkConn{fd: fd}, nil
}

// socketWithoutNetAdmin creates the netlink socket with CAP_NET_ADMIN left out of the
// calling thread's effective capabilities, when it is there. inet_diag gives sockets
// opened with CAP_NET_ADMIN extra attributes with every row (the socket mark; for TCP,
// MD5 signature and ULP data), which netstat does not show and which cost the kernel
// about 8% of a dump. For requests sent without a destination address (Send), the
// kernel requires the capability both of the caller and of the credentials the socket
// was opened with, so it is dropped for the socket(2) call only: the thread
// is locked, the capability raised back from the permitted set right after, and the
// thread released only when that worked. Should any step fail, the socket is opened
// as usual.
func socketWithoutNetAdmin() (int, error) {
	open := func() (int, error) {
		return unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	}
	runtime.LockOSThread()
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var caps [2]unix.CapUserData
	word, bit := unix.CAP_NET_ADMIN/32, uint32(1)<<(unix.CAP_NET_ADMIN%32)
	if unix.Capget(&hdr, &caps[0]) != nil || caps[word].Effective&bit == 0 {
		runtime.UnlockOSThread()
		return open()
	}
	reduced := caps
	reduced[word].Effective &^= bit
	if unix.Capset(&hdr, &reduced[0]) != nil {
		runtime.UnlockOSThread()
		return open()
	}
	fd, err := open()
	if unix.Capset(&hdr, &caps[0]) == nil {
		runtime.UnlockOSThread()
	} // else the thread stays locked to this goroutine and ends with it
	return fd, err
}

// Send sends msg to the kernel.
func (c *netlinkConn) Send(msg []byte) error {
	for {
		// No destination address: an unconnected netlink socket sends to the kernel
		// anyway, and without one the kernel judges CAP_NET_ADMIN by the socket's
		// credentials (see socketWithoutNetAdmin) rather than by the caller's.
		err := unix.Sendto(c.fd, msg, 0, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("send netlink request: %w", err)
		}
		return nil
	}
}

// Receive reads one datagram sent by the kernel; datagrams from other sockets are
// dropped. ENOBUFS (messages were lost) is returned as an error: the dump cannot be
// trusted any more.
func (c *netlinkConn) Receive(buf []byte) (int, error) {
	if len(buf) == 0 {
		return 0, errors.New("receive: empty buffer")
	}
	for {
		// During a dump the kernel queues the next datagram before recvmsg returns the
		// current one, so the read almost never waits: a raw system call skips the
		// scheduler hand-off of a blocking one (which cost a thread wake-up and a
		// context switch per 32 KiB datagram). Should nothing be queued, the blocking
		// call waits as usual.
		c.fromLen = unix.SizeofSockaddrNetlink
		n, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(c.fd),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), unix.MSG_TRUNC|unix.MSG_DONTWAIT,
			uintptr(unsafe.Pointer(&c.from)), uintptr(unsafe.Pointer(&c.fromLen)))
		if errno == unix.EAGAIN {
			c.fromLen = unix.SizeofSockaddrNetlink
			n, _, errno = unix.Syscall6(unix.SYS_RECVFROM, uintptr(c.fd),
				uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), unix.MSG_TRUNC,
				uintptr(unsafe.Pointer(&c.from)), uintptr(unsafe.Pointer(&c.fromLen)))
		}
		switch {
		case errno == unix.EINTR:
			continue
		case errno != 0:
			return 0, fmt.Errorf("receive netlink reply: %w", errno)
		case c.from.Pid != 0:
			continue // not from the kernel
		case int(n) > len(buf):
			return 0, fmt.Errorf("receive netlink reply: datagram of %d bytes exceeds the %d-byte buffer", n, len(buf))
		}
		return int(n), nil
	}
}

// Close closes the socket.
func (c *netlinkConn) Close() error {
	return unix.Close(c.fd)
}
