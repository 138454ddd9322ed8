package cli

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"time"

	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// Config is the parsed command line. Its fields mirror net-tools' flag_* variables,
// because several behaviours depend on occurrence counts rather than on booleans.
type Config struct {
	// Prog is argv[0] exactly as invoked; getopt error messages start with it.
	Prog string

	// Protocol switches, counted per occurrence (-t -S -u -U -w -2 -f).
	TCP, SCTP, UDP, UDPLite, Raw, L2CAP, RFCOMM int
	// Address-family selections from -A/-4/-6/-x/--inet...
	Inet, Inet6, Unix, IPX, AX25, NetROM, X25, Rose, DDP, Econet, Ash, Bluetooth int
	// Families is the comma-separated canonical family list ("inet,inet6") that -r and
	// -s walk, in the order given, repetitions kept.
	Families []string
	// NoProt records that the protocol switches were implied by a family option or -s
	// rather than given (§2.5 step 2); it silences "no support" messages.
	NoProt bool
	// Arg is net-tools' flag_arg: the number of socket families/protocols selected.
	Arg int

	All, Listening, Timers, Programs, Continuous, Wide, Verbose, Groups int
	// Extend starts at 1, as in net-tools: -e makes it 2, -ee 3.
	Extend int

	NumericHosts, NumericPorts, NumericUsers bool
	Symbolic                                 bool // -N

	Route, Interfaces, Statistics, Masquerade int
	Cache, FIB                                bool // -C, -F

	// Ext holds netstat-go's own options (filters, counts, formats, subcommands).
	Ext Extensions
}

// ReadsIPv4 and ReadsIPv6 are net-tools' "!flag_arg || flag_inet" and "... ||
// flag_inet6": whether a protocol's IPv4 (primary) and IPv6 files are read at all, for
// every protocol alike (INFO_GUTS6), and for the multicast groups.
func (c *Config) ReadsIPv4() bool { return c.Arg == 0 || c.Inet > 0 }

// ReadsIPv6 is ReadsIPv4 for the IPv6 files.
func (c *Config) ReadsIPv6() bool { return c.Arg == 0 || c.Inet6 > 0 }

// env is what a mode needs from the outside world. Tests build one over fixtures.
type env struct {
	stdout *bufio.Writer // flushed by the caller after each iteration
	stderr io.Writer     // unbuffered, like C's stderr
	proc   fs.FS         // the /proc of the current network namespace
	names  resolve.Names
	sleep  func(time.Duration)

	// sockets lists the Internet and unix sockets (netlink first, /proc fallback).
	sockets socketSource
	// owners scans the process table for -p, keeping every holder of a socket when
	// every is set (JSON's "processes"); euid is shown in its notice.
	owners func(every bool) *procfd.Owners
	euid   int

	// ifaceSource opens the ioctl source of -i; nil means the live AF_INET socket.
	ifaceSource func() (netstat.IfaceSource, error)

	// groups is the -g decoder; it keeps net-tools' static parser state across -c
	// iterations.
	groups source.GroupState

	// ifaceTitleDone records that "Kernel Interface table" was printed: net-tools
	// prints it once per run, even with -c.
	ifaceTitleDone bool

	// sel is the compiled selection of the extension options (nil: none), compiled
	// once per run (selReady) and used by every -c iteration.
	sel      *selection
	selReady bool
}

// resolver returns the resolver for host names given the numeric options.
func (e *env) hostResolver(numeric bool) resolve.Resolver {
	if numeric {
		return resolve.Numeric{}
	}
	return e.names
}

// tables returns the reader of the counters, routes, groups and interfaces of e's
// /proc tree and ioctl source.
func (e *env) tables() *source.Tables { return source.NewTables(e.proc, e.ifaceSource) }

// cause is the error inside a *source.TableError (err itself otherwise): what
// net-tools' perror shows.
func cause(err error) error {
	var te *source.TableError
	if errors.As(err, &te) {
		return te.Err
	}
	return err
}
