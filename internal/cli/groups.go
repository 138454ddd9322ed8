package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// groups.go is the -g part of the socket listing (net-tools' igmp_info): the group
// header, then /proc/net/igmp and /proc/net/igmp6.

// printGroups prints the multicast group section of one listing iteration and returns
// its status: 0; 1 when /proc/net/igmp is missing and -g was asked for without a
// family; -1 for another error opening it (exit status 255).
func (e *env) printGroups(c *Config) int {
	// The decoder lives in env across -c iterations: net-tools' parser keeps static
	// state, and its later iterations depend on it.
	return e.printGroupsWith(c, &e.groups)
}

// printGroupsWith is printGroups with the decoder whose state carries over between
// iterations of -c, as net-tools' static variables do.
func (e *env) printGroupsWith(c *Config, dec *procnet.GroupDecoder) int {
	e.stdout.WriteString(textfmt.GroupsHeader)
	numeric := c.NumericHosts
	r := e.hostResolver(numeric)
	var buf []byte
	row := func(m *netstat.Membership) error {
		buf = textfmt.AppendGroupRow(buf[:0], m, numeric, r)
		_, err := e.stdout.Write(buf)
		return err
	}
	warn := func(msg string) {
		e.stdout.Flush()
		fmt.Fprintln(e.stderr, msg)
	}
	rc := 0
	if c.Arg == 0 || c.Inet > 0 {
		f, err := e.proc.Open("net/igmp")
		switch {
		case err == nil:
			err = dec.Scan(f, warn, row)
			f.Close()
			if err != nil {
				e.routePerror("/proc/net/igmp", err)
				return -1
			}
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission):
			e.routePerror("/proc/net/igmp", err)
			return -1
		default:
			if !c.NoProt && (c.Arg > 0 || c.Verbose > 0) {
				e.routeError("netstat: no support for `AF INET (igmp)' on this system.\n")
			}
			if !c.NoProt && c.Arg > 0 {
				rc = 1
			}
		}
	}
	if c.Arg == 0 || c.Inet6 > 0 {
		// A missing or unreadable IPv6 file is skipped silently.
		if f, err := e.proc.Open("net/igmp6"); err == nil {
			err = dec.Scan(f, warn, row)
			f.Close()
			if err != nil {
				e.routePerror("/proc/net/igmp6", err)
				return -1
			}
		}
	}
	return rc
}
