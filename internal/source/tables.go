package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/system"
	"github.com/netstat-go/netstat/netstat"
)

// tables.go is the data layer's side of the tables other than the socket listing:
// protocol counters (netstat -s), routes (-r), multicast group memberships (-g),
// interfaces (-i) and the masquerading table (-M). Each table is read by one method
// that hands typed rows to a callback as they are decoded (so a caller can print rows
// before a later failure, as net-tools does) and fails with a *TableError that says
// which file or call failed and how; the caller decides what a failure means for its
// output (net-tools' messages and exit statuses are the CLI's business).

// The operations a TableError names.
const (
	// OpOpen is opening a /proc file (or the ioctl socket): the table is missing.
	OpOpen = "open"
	// OpRead is reading or decoding a file that was opened.
	OpRead = "read"
	// OpList is listing the interfaces (both /proc/net/dev and SIOCGIFCONF failed).
	OpList = "list"
)

// TableError is a failure to read one table. Err wraps the cause: an fs or errno
// error for OpOpen; for OpRead a read error, ErrMissingHeader, a *MissingFieldError
// or ErrCounterFormat.
type TableError struct {
	// Table names the table: "counters", "routes", "route cache", "ipv6 routes",
	// "groups", "interfaces" or "masquerade".
	Table string
	// Path is the file as net-tools names it in messages ("/proc/net/route"), or the
	// ioctl ("SIOCGIFCONF", "socket").
	Path string
	// Op is OpOpen, OpRead or OpList.
	Op  string
	Err error
}

func (e *TableError) Error() string {
	return fmt.Sprintf("%s: %s %s: %v", e.Table, e.Op, e.Path, e.Err)
}

func (e *TableError) Unwrap() error { return e.Err }

// IsOpen reports whether err is a TableError for a table that could not be opened.
func IsOpen(err error) bool {
	var te *TableError
	return errors.As(err, &te) && te.Op == OpOpen
}

// ErrMissingHeader is wrapped by a TableError for a route file without its header
// line.
var ErrMissingHeader = procnet.ErrMissingHeader

// MissingFieldError is wrapped by a TableError for a route file whose header lacks a
// column net-tools requires.
type MissingFieldError = procnet.MissingFieldError

// ErrCounterFormat is wrapped by a TableError for a counter file with a title line
// that has no matching value line (net-tools' "Problem while parsing").
var ErrCounterFormat = procnet.ErrSNMPFormat

// ErrMasqueradeUnsupported is wrapped by the TableError of a masquerading table that
// exists: Linux dropped /proc/net/ip_masquerade in 2.4, and its format is not read.
var ErrMasqueradeUnsupported = errors.New("the masquerading table of Linux 2.2 is not supported")

// Tables reads the tables other than the sockets from a /proc tree and the ioctl
// interface source. It holds no state between calls (the group decoder's state is
// the caller's GroupState) and is safe for concurrent use. The contexts its methods
// take are not consulted: a read of a /proc file is short and not interruptible, and
// the net-tools -c loop finishes the iteration it is in after a cancellation.
type Tables struct {
	proc       fs.FS
	openIfaces func() (netstat.IfaceSource, error)
}

// NewTables returns the tables of the /proc tree proc (the root of /proc, holding
// net/). openIfaces opens the ioctl interface source of Interfaces; nil means the
// live AF_INET socket.
func NewTables(proc fs.FS, openIfaces func() (netstat.IfaceSource, error)) *Tables {
	if openIfaces == nil {
		openIfaces = openIfaceSocket
	}
	return &Tables{proc: proc, openIfaces: openIfaces}
}

func openIfaceSocket() (netstat.IfaceSource, error) {
	s, err := system.OpenIfaceSocket()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// open opens /proc/name for table, wrapping a failure in a TableError.
func (t *Tables) open(table, name string) (fs.File, error) {
	f, err := t.proc.Open(name)
	if err != nil {
		return nil, &TableError{Table: table, Path: "/proc/" + name, Op: OpOpen, Err: err}
	}
	return f, nil
}

// readErr wraps a decoding error of /proc/name.
func readErr(table, name string, err error) error {
	if err == nil {
		return nil
	}
	return &TableError{Table: table, Path: "/proc/" + name, Op: OpRead, Err: err}
}

// CounterFile is what one counter file gave: the sections decoded (up to a read or
// format error) and the error, a *TableError, or nil.
type CounterFile struct {
	Sections []netstat.CounterSection
	Err      error
}

// ReadCounters reads every counter file and never fails as a whole: each file's
// sections and error are in the Counters' SNMP, Netstat, SCTP and SNMP6 fields, so
// that a caller can apply its own rules of which file must be there (netstat -s
// requires /proc/net/snmp for its IPv4 report and /proc/net/snmp6 for its IPv6
// report). IPv4 holds the sections of /proc/net/snmp and /proc/net/netstat, IPv6
// those of /proc/net/snmp6.
func (t *Tables) ReadCounters(ctx context.Context) *Counters {
	c := &Counters{
		SNMP:    t.counterFile("net/snmp", procnet.ParseSNMP),
		Netstat: t.counterFile("net/netstat", procnet.ParseSNMP),
		SCTP: t.counterFile("net/sctp/snmp", func(r io.Reader) ([]netstat.CounterSection, error) {
			sec, err := procnet.ParseSCTPSNMP(r)
			return []netstat.CounterSection{sec}, err
		}),
		SNMP6: t.counterFile("net/snmp6", procnet.ParseSNMP6),
	}
	c.IPv4 = append(append(c.IPv4, c.SNMP.Sections...), c.Netstat.Sections...)
	c.IPv6 = c.SNMP6.Sections
	return c
}

func (t *Tables) counterFile(name string, parse func(io.Reader) ([]netstat.CounterSection, error)) CounterFile {
	f, err := t.open("counters", name)
	if err != nil {
		return CounterFile{Err: err}
	}
	defer f.Close()
	secs, err := parse(f)
	return CounterFile{Sections: secs, Err: readErr("counters", name, err)}
}

// Counters implements CounterSource: /proc/net/snmp and /proc/net/netstat are
// required and must decode; /proc/net/snmp6 may be missing (no IPv6).
func (t *Tables) Counters(ctx context.Context) (*Counters, error) {
	c := t.ReadCounters(ctx)
	if c.SNMP.Err != nil {
		return nil, c.SNMP.Err
	}
	if c.Netstat.Err != nil {
		return nil, c.Netstat.Err
	}
	if err := c.SNMP6.Err; err != nil {
		if !IsOpen(err) || !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		c.IPv6 = nil
	}
	return c, nil
}

// Routes reads the IPv4 FIB (/proc/net/route) and calls fn for each route. A
// missing header or required column fails with ErrMissingHeader or a
// *MissingFieldError inside the TableError.
func (t *Tables) Routes(ctx context.Context, fn func(*netstat.Route) error) error {
	f, err := t.open("routes", "net/route")
	if err != nil {
		return err
	}
	defer f.Close()
	return readErr("routes", "net/route", procnet.ScanRoutes(f, fn))
}

// RouteCacheInfo describes the route cache file before its rows: its layout and
// net-tools' proc_guess_fmt result (Layout is netstat.RouteCacheUnknown when the
// header matched neither known format).
type RouteCacheInfo struct {
	Layout netstat.RouteCacheLayout
	Guess  int
}

// RouteCache reads the IPv4 routing cache (/proc/net/rt_cache): begin is called once
// the header is understood, then fn for each row. A header net-tools cannot guess a
// format from fails with ErrMissingHeader before begin; a missing column fails with
// a *MissingFieldError after it.
func (t *Tables) RouteCache(ctx context.Context, begin func(RouteCacheInfo), fn func(*netstat.CachedRoute) error) error {
	f, err := t.open("route cache", "net/rt_cache")
	if err != nil {
		return err
	}
	defer f.Close()
	cr, err := procnet.NewRouteCacheReader(f)
	if err != nil {
		return readErr("route cache", "net/rt_cache", err)
	}
	begin(RouteCacheInfo{Layout: cr.Layout(), Guess: cr.Guess()})
	return readErr("route cache", "net/rt_cache", cr.Scan(fn))
}

// IPv6Routes reads /proc/net/ipv6_route and calls fn for each route that is a cached
// one (RTF_CACHE) when cache is set, or for each other route when not.
func (t *Tables) IPv6Routes(ctx context.Context, cache bool, fn func(*netstat.IPv6Route) error) error {
	f, err := t.open("ipv6 routes", "net/ipv6_route")
	if err != nil {
		return err
	}
	defer f.Close()
	return readErr("ipv6 routes", "net/ipv6_route", procnet.ScanIPv6Routes(f, cache, fn))
}

// GroupState is the state the group decoder keeps between reads, as net-tools'
// static variables do: a later read of /proc/net/igmp depends on what earlier reads
// (of either file) saw. Use one GroupState per run of a view; the zero value is
// ready to use. It is not safe for concurrent use.
type GroupState struct{ dec procnet.GroupDecoder }

// Memberships reads the multicast group memberships of family (/proc/net/igmp for
// IPv4, /proc/net/igmp6 for IPv6) with the decoder state st and calls fn for each.
// Lines net-tools rejects are reported through warn (its "warning, got bogus ..."
// text) and skipped. The *Membership is reused between calls.
func (t *Tables) Memberships(ctx context.Context, family netstat.Family, st *GroupState, warn func(string), fn func(*netstat.Membership) error) error {
	name := "net/igmp"
	if family == netstat.IPv6 {
		name = "net/igmp6"
	}
	f, err := t.open("groups", name)
	if err != nil {
		return err
	}
	defer f.Close()
	return readErr("groups", name, st.dec.Scan(f, warn, fn))
}

// Masquerade checks the masquerading table (/proc/net/ip_masquerade). Linux dropped
// it in 2.4, so there are never entries: it fails with an OpOpen TableError when the
// file is missing (the normal case) and with ErrMasqueradeUnsupported when it exists.
func (t *Tables) Masquerade(ctx context.Context) error {
	f, err := t.open("masquerade", "net/ip_masquerade")
	if err != nil {
		return err
	}
	f.Close()
	return &TableError{Table: "masquerade", Path: "/proc/net/ip_masquerade", Op: OpRead, Err: ErrMasqueradeUnsupported}
}

// IfaceQuery selects what Interfaces reports.
type IfaceQuery struct {
	// All includes interfaces that are down (net-tools' -a).
	All bool
	// Inet6 fills Interface.Inet6 from /proc/net/if_inet6.
	Inet6 bool
	// Warn receives what goes wrong without stopping the table, each a *TableError:
	// /proc/net/dev could not be opened (OpOpen) or read (OpRead), SIOCGIFCONF failed
	// (Path "SIOCGIFCONF"). nil drops them.
	Warn func(error)
}

// IfaceFetchError is the failure to fetch one interface's ioctl view (SIOCGIFFLAGS
// failed): the table stops there.
type IfaceFetchError struct {
	Name string
	Err  error
}

func (e *IfaceFetchError) Error() string {
	return "interfaces: fetching " + e.Name + ": " + e.Err.Error()
}

func (e *IfaceFetchError) Unwrap() error { return e.Err }

// Interfaces reads the interface table as net-tools' iface_info does: it opens the
// ioctl source (an OpOpen TableError with Path "socket" when that fails, before begin
// is called), calls begin, lists the interfaces of /proc/net/dev and SIOCGIFCONF
// merged in net-tools' order (an OpList TableError when both fail), then fetches each
// one and calls fn for those up (all with q.All). A failed fetch stops the table with
// an *IfaceFetchError.
func (t *Tables) Interfaces(ctx context.Context, q IfaceQuery, begin func(), fn func(*netstat.Interface) error) error {
	src, err := t.openIfaces()
	if err != nil {
		return &TableError{Table: "interfaces", Path: "socket", Op: OpOpen, Err: err}
	}
	defer src.Close()
	begin()
	warn := q.Warn
	if warn == nil {
		warn = func(error) {}
	}
	list, err := t.ifaceList(src, warn)
	if err != nil {
		return err
	}
	var inet6 []netstat.Inet6Addr
	inet6Read := false
	for _, ent := range list {
		ifc, err := src.Fetch(ent.name)
		if err != nil {
			return &IfaceFetchError{Name: ent.name, Err: err}
		}
		if ifc.Flags&netstat.IfUp == 0 && !q.All {
			continue
		}
		ifc.Name = ent.name
		ifc.Stats = ent.stats
		if q.Inet6 {
			if !inet6Read {
				inet6, inet6Read = t.ifInet6(), true
			}
			for _, a := range inet6 {
				if a.Device == ifc.Name {
					ifc.Inet6 = append(ifc.Inet6, a)
				}
			}
		}
		if err := fn(&ifc); err != nil {
			return err
		}
	}
	return nil
}

// ifaceEntry is one name of net-tools' interface cache.
type ifaceEntry struct {
	name  string
	stats *netstat.IfaceStats // nil unless the name is in /proc/net/dev
}

// ifaceList is net-tools' sorted interface cache (if_cache_add).
type ifaceList []*ifaceEntry

// add finds name in the list or inserts it: the list is searched from its end for
// the first entry that sorts before name (nstrcmp); an equal entry is reused. Names
// are stored cut to 15 bytes (IFNAMSIZ).
func (l *ifaceList) add(name string) *ifaceEntry {
	i := len(*l) - 1
	for ; i >= 0; i-- {
		n := netstat.CompareIfaceNames((*l)[i].name, name)
		if n == 0 {
			return (*l)[i]
		}
		if n < 0 {
			break
		}
	}
	if len(name) > 15 {
		name = name[:15]
	}
	ent := &ifaceEntry{name: name}
	*l = append(*l, nil)
	copy((*l)[i+2:], (*l)[i+1:])
	(*l)[i+1] = ent
	return ent
}

// ifaceList is net-tools' if_readlist: the /proc/net/dev names with their
// statistics, then the SIOCGIFCONF names, merged in nstrcmp order. It fails only
// when both sources failed.
func (t *Tables) ifaceList(src netstat.IfaceSource, warn func(error)) (ifaceList, error) {
	var list ifaceList
	procErr := t.procNetDev(&list, warn)
	names, confErr := src.ConfNames()
	if confErr != nil {
		warn(&TableError{Table: "interfaces", Path: "SIOCGIFCONF", Op: OpRead, Err: confErr})
	}
	for _, n := range names {
		list.add(n)
	}
	if procErr != nil && confErr != nil {
		return nil, &TableError{Table: "interfaces", Path: "SIOCGIFCONF", Op: OpList, Err: confErr}
	}
	return list, nil
}

// procNetDev adds the interfaces of /proc/net/dev to list.
func (t *Tables) procNetDev(list *ifaceList, warn func(error)) error {
	f, err := t.open("interfaces", "net/dev")
	if err != nil {
		warn(err)
		return err
	}
	defer f.Close()
	dev, err := procnet.ParseDev(f)
	for _, d := range dev.Entries {
		ent := list.add(d.Name)
		if ent.stats == nil {
			ent.stats = new(netstat.IfaceStats)
		}
		d.Apply(dev.Layout, ent.stats)
	}
	if err != nil {
		err = readErr("interfaces", "net/dev", err)
		warn(err)
		return err
	}
	return nil
}

// ifInet6 reads /proc/net/if_inet6; without it there are no inet6 lines. net-tools
// says nothing about the file: it skips one it cannot open and stops at a read error
// with the records read so far (its fscanf loop sees EOF), so both outcomes are
// documented results here, not errors.
func (t *Tables) ifInet6() []netstat.Inet6Addr {
	f, err := t.proc.Open("net/if_inet6")
	if err != nil {
		return nil
	}
	defer f.Close()
	// A read error keeps the records before it, which is what net-tools shows.
	recs, _ := procnet.ParseIfInet6(f)
	return recs
}
