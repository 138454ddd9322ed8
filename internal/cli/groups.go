package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// groups.go is the -g part of the socket listing (net-tools' igmp_info): the group
// header, then /proc/net/igmp and /proc/net/igmp6.

// printGroups prints the multicast group section of one listing iteration to out (nil:
// net-tools' text) and returns its status: 0; 1 when /proc/net/igmp is missing and -g
// was asked for without a family; -1 for another error opening it (exit status 255).
func (e *env) printGroups(c *Config, out groupOut) int {
	// The decoder lives in env across -c iterations: net-tools' parser keeps static
	// state, and its later iterations depend on it.
	return e.printGroupsTo(c, &e.groups, out)
}

// printGroupsWith is printGroups with the decoder whose state carries over between
// iterations of -c, as net-tools' static variables do.
func (e *env) printGroupsWith(c *Config, dec *procnet.GroupDecoder) int {
	return e.printGroupsTo(c, dec, nil)
}

// groupOut receives the group section: its start, then each membership. nil stands
// for net-tools' text; netstat-go's machine output implements it (format_listing.go).
type groupOut interface {
	beginGroups()
	group(m *netstat.Membership) error
}

// textGroups prints the group section as net-tools does.
type textGroups struct {
	e       *env
	numeric bool
	r       resolve.Resolver
	buf     []byte
}

func (t *textGroups) beginGroups() { t.e.stdout.WriteString(textfmt.GroupsHeader) }

func (t *textGroups) group(m *netstat.Membership) error {
	t.buf = textfmt.AppendGroupRow(t.buf[:0], m, t.numeric, t.r)
	_, err := t.e.stdout.Write(t.buf)
	return err
}

// printGroupsTo is printGroupsWith writing to out (nil: net-tools' text).
func (e *env) printGroupsTo(c *Config, dec *procnet.GroupDecoder, out groupOut) int {
	if out == nil {
		out = &textGroups{e: e, numeric: c.NumericHosts, r: e.hostResolver(c.NumericHosts)}
	}
	out.beginGroups()
	row := out.group
	warn := func(msg string) {
		e.stdout.Flush()
		fmt.Fprintln(e.stderr, msg)
	}
	rc := 0
	if c.ReadsIPv4() {
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
	if c.ReadsIPv6() {
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
