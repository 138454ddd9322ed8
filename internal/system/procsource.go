// Package system is the live data source: netlink where the kernel offers it, the
// /proc/net text files where it does not, and the process table for -p.
package system

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/netstat"
)

// OpenError is a /proc file that exists but could not be opened for a reason other
// than ENOENT or EACCES; net-tools reports it with perror(path) and exits 255.
type OpenError struct {
	Path string // e.g. "/proc/net/tcp"
	Err  error
}

func (e *OpenError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *OpenError) Unwrap() error { return e.Err }

// ProcSource reads sockets from the /proc/net text files, exactly the files net-tools
// reads. It is the reference for row order and the fallback when netlink is missing.
type ProcSource struct {
	// Proc is rooted at /proc (os.DirFS("/proc") live).
	Proc fs.FS
	// Warn receives net-tools' warnings about malformed lines (may be nil).
	Warn func(string)
}

var _ netstat.SocketSource = (*ProcSource)(nil)

// SelectInKernel does nothing: the /proc files list every socket, and callers filter
// the rows they get themselves.
func (p *ProcSource) SelectInKernel(netstat.Proto, uint32, []byte) {}

// ProcFileName is the /proc/net file of proto in family, e.g. "tcp6".
func ProcFileName(proto netstat.Proto, fam netstat.Family) string {
	name := proto.String()
	if fam == netstat.IPv6 {
		name += "6"
	}
	return name
}

// InetSockets implements netstat.SocketSource. A missing IPv4 file yields an error
// wrapping netstat.ErrNotSupported; a missing IPv6 file yields no rows, as net-tools
// silently skips it.
func (p *ProcSource) InetSockets(ctx context.Context, proto netstat.Proto, fam netstat.Family, fn func(*netstat.Socket) error) error {
	name := "net/" + ProcFileName(proto, fam)
	f, err := p.Proc.Open(name)
	if err != nil {
		if fam == netstat.IPv6 {
			return nil
		}
		return classifyOpenError(name, err)
	}
	defer f.Close()
	return procnet.ScanInet(f, proto, p.Warn, func(s *netstat.Socket) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(s)
	})
}

// UnixSockets implements netstat.SocketSource.
func (p *ProcSource) UnixSockets(ctx context.Context, fn func(*netstat.UnixSocket) error) error {
	f, err := p.Proc.Open("net/unix")
	if err != nil {
		return classifyOpenError("net/unix", err)
	}
	defer f.Close()
	return procnet.ScanUnix(f, p.Warn, func(u *netstat.UnixSocket) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(u)
	})
}

// classifyOpenError maps an open failure to net-tools' two outcomes: "no support"
// (ENOENT, EACCES) or a perror-and-fail error.
func classifyOpenError(name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) ||
		errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("/proc/%s: %w", name, netstat.ErrNotSupported)
	}
	return &OpenError{Path: "/proc/" + name, Err: err}
}

// Exists reports whether a /proc file can be opened, and the error net-tools would act
// on if it cannot (nil, ErrNotSupported-wrapping, or *OpenError).
func Exists(proc fs.FS, name string) error {
	f, err := proc.Open(name)
	if err != nil {
		return classifyOpenError(name, err)
	}
	f.Close()
	return nil
}
