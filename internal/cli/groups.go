package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/sink"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// groups.go is the -g part of the socket listing (net-tools' igmp_info): the group
// header, then /proc/net/igmp and /proc/net/igmp6.

// printGroups prints the multicast group section of one listing iteration to out (nil:
// net-tools' text) and returns its status: 0; 1 when /proc/net/igmp is missing and -g
// was asked for without a family; -1 for another error opening it (exit status 255).
//
// The /proc reads take no context: the listing (listing.go) calls this without one.
func (e *env) printGroups(c *Config, out sink.Groups) int {
	// The decoder lives in env across -c iterations: net-tools' parser keeps static
	// state, and its later iterations depend on it.
	return e.printGroupsTo(context.Background(), c, &e.groups, out)
}

// printGroupsWith is printGroups with the decoder whose state carries over between
// iterations of -c, as net-tools' static variables do.
func (e *env) printGroupsWith(ctx context.Context, c *Config, st *source.GroupState) int {
	return e.printGroupsTo(ctx, c, st, nil)
}

// textGroups prints the group section as net-tools does.
type textGroups struct {
	e       *env
	numeric bool
	r       resolve.Resolver
	buf     []byte
}

func (t *textGroups) BeginGroups() { t.e.stdout.WriteString(textfmt.GroupsHeader) }

func (t *textGroups) Group(m *netstat.Membership) error {
	t.buf = textfmt.AppendGroupRow(t.buf[:0], m, t.numeric, t.r)
	_, err := t.e.stdout.Write(t.buf)
	return err
}

// printGroupsTo is printGroupsWith writing to out (nil: net-tools' text).
func (e *env) printGroupsTo(ctx context.Context, c *Config, st *source.GroupState, out sink.Groups) int {
	if out == nil {
		out = &textGroups{e: e, numeric: c.NumericHosts, r: e.hostResolver(c.NumericHosts)}
	}
	out.BeginGroups()
	row := out.Group
	warn := func(msg string) {
		e.stdout.Flush()
		fmt.Fprintln(e.stderr, msg)
	}
	tables := e.tables()
	rc := 0
	if c.ReadsIPv4() {
		err := tables.Memberships(ctx, netstat.IPv4, st, warn, row)
		switch {
		case err == nil:
		case !source.IsOpen(err) || !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission):
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
		err := tables.Memberships(ctx, netstat.IPv6, st, warn, row)
		if err != nil && !source.IsOpen(err) {
			e.routePerror("/proc/net/igmp6", err)
			return -1
		}
	}
	return rc
}
