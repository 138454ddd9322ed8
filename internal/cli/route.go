package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// route.go is netstat -r (net-tools' route_info and the per-family rprint functions of
// lib/inet_gr.c, lib/inet6_gr.c and the legacy lib/*_gr.c).

// routeOptions is what net-tools hands every route printer.
type routeOptions struct {
	ext        int  // layout level: 1 (-e), 2 (default), 3 (-ee), 0 (-eee)
	numeric    bool // -n, --numeric-hosts or -N
	fib, cache bool // -F (the default), -C
	// out receives the tables: net-tools' text, or netstat-go's machine output.
	out routeOut
}

// routeOut receives what -r prints, table by table.
type routeOut interface {
	// notice is a message net-tools prints on stdout ("INET (IPv4) not configured in
	// this system."); machine output sends it to stderr.
	notice(msg string)
	beginFIB()
	fib(rt *netstat.Route) error
	// cacheTitle comes before the routing-cache file is checked, beginCache after.
	cacheTitle()
	beginCache(layout netstat.RouteCacheLayout)
	cache(rt *netstat.CachedRoute) error
	beginIPv6(cache bool)
	ipv6(rt *netstat.IPv6Route) error
}

// textRoutes prints the route tables as net-tools does.
type textRoutes struct {
	e      *env
	o      routeOptions
	r      resolve.Resolver
	layout netstat.RouteCacheLayout
	buf    []byte
}

func (t *textRoutes) notice(msg string) { t.e.stdout.WriteString(msg) }

func (t *textRoutes) beginFIB() {
	t.e.stdout.WriteString(textfmt.RouteTitle)
	t.e.stdout.WriteString(textfmt.RouteHeader(t.o.ext))
}

func (t *textRoutes) fib(rt *netstat.Route) error {
	t.buf = textfmt.AppendRouteRow(t.buf[:0], rt, t.o.ext, t.o.numeric, t.r)
	_, err := t.e.stdout.Write(t.buf)
	return err
}

func (t *textRoutes) cacheTitle() { t.e.stdout.WriteString(textfmt.RouteCacheTitle) }

func (t *textRoutes) beginCache(layout netstat.RouteCacheLayout) {
	t.layout = layout
	t.e.stdout.WriteString(textfmt.RouteCacheHeader(t.o.ext, layout))
}

func (t *textRoutes) cache(rt *netstat.CachedRoute) error {
	t.buf = textfmt.AppendRouteCacheRow(t.buf[:0], rt, t.o.ext, t.layout, t.o.numeric, t.r)
	_, err := t.e.stdout.Write(t.buf)
	return err
}

func (t *textRoutes) beginIPv6(cache bool) { t.e.stdout.WriteString(textfmt.IPv6RouteHeader(cache)) }

func (t *textRoutes) ipv6(rt *netstat.IPv6Route) error {
	t.buf = textfmt.AppendIPv6RouteRow(t.buf[:0], rt, t.o.numeric, t.r)
	_, err := t.e.stdout.Write(t.buf)
	return err
}

// routeExtend is the layout level for flag_exp (1 plus the number of -e): net-tools
// swaps 1 and 2, then keeps the low two bits.
func routeExtend(flagExp int) int {
	switch flagExp {
	case 1:
		flagExp = 2
	case 2:
		flagExp = 1
	}
	return flagExp & 3
}

// runRoute prints the routing tables for each element of the family list in order,
// once (the -c loop is the caller's), and returns net-tools' status: 0; 1 when a table
// cannot be read; 3 for a family without routing support, which also stops the walk;
// -1 when the routing-cache file has no header (net-tools exits at once, status 255).
func (e *env) runRoute(ctx context.Context, c *Config) int {
	o := routeOptions{
		ext:     routeExtend(c.Extend),
		numeric: c.NumericHosts || c.Symbolic,
		fib:     c.FIB || !c.Cache,
		cache:   c.Cache,
	}
	if c.Ext.Format != "" {
		// netstat-go machine output (format_tables.go).
		m := e.newMachineRoutes(c, o.numeric)
		defer m.end()
		o.out = m
	} else {
		o.out = &textRoutes{e: e, o: o, r: e.hostResolver(o.numeric)}
	}
	families := c.Families
	if len(families) == 0 {
		families = []string{"inet"}
	}
	rc := 8 // E_NOTFOUND: a list without any element
	for _, fam := range families {
		if fam == "" {
			continue
		}
		if rc = e.routeFamily(ctx, fam, o); rc != 0 {
			return rc
		}
	}
	return rc
}

// routeFamily is one element of route_info's walk.
func (e *env) routeFamily(ctx context.Context, fam string, o routeOptions) int {
	switch fam {
	case "inet":
		if o.fib {
			if rc := e.inetFIB(ctx, o); rc != 0 {
				return rc
			}
		}
		if o.cache {
			return e.inetCache(ctx, o)
		}
		return 0
	case "inet6":
		if o.fib {
			if rc := e.inet6Routes(ctx, o, false); rc != 0 {
				return rc
			}
		}
		if o.cache {
			// net-tools first tries /proc/net/ndisc (gone since Linux 2.2) and then shows
			// the RTF_CACHE lines of the FIB file instead.
			return e.inet6Routes(ctx, o, true)
		}
		return 0
	case "ipx", "ax25", "ddp", "netrom", "rose", "x25":
		return e.legacyRoutes(fam, o.out)
	case "unix", "ec", "ash":
		e.routeError("No routing for address family `%s'.\n", fam)
		return 3
	}
	e.routeError("Address family `%s' not supported.\n", fam)
	return 3
}

// routeError writes a message to stderr after the rows printed so far, so that a
// terminal shows them in net-tools' order.
func (e *env) routeError(format string, args ...any) {
	e.stdout.Flush()
	fmt.Fprintf(e.stderr, format, args...)
}

// routePerror is C's perror(prefix) for err.
func (e *env) routePerror(prefix string, err error) {
	err = cause(err)
	if prefix == "" {
		e.routeError("%s\n", textfmt.Strerror(err))
		return
	}
	e.routeError("%s: %s\n", prefix, textfmt.Strerror(err))
}

// inetFIB is rprint_fib: /proc/net/route.
func (e *env) inetFIB(ctx context.Context, o routeOptions) int {
	begun := false
	err := e.tables().Routes(ctx, func(rt *netstat.Route) error {
		if !begun {
			o.out.beginFIB()
			begun = true
		}
		return o.out.fib(rt)
	})
	if source.IsOpen(err) {
		e.routePerror("/proc/net/route", err)
		o.out.notice("INET (IPv4) not configured in this system.\n")
		return 1
	}
	if !begun {
		o.out.beginFIB()
	}
	return e.routeScanStatus("/proc/net/route", err)
}

// routeScanStatus turns a table's read error into net-tools' messages and status.
func (e *env) routeScanStatus(path string, err error) int {
	var mf *source.MissingFieldError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, source.ErrMissingHeader):
		return 1
	case errors.As(err, &mf):
		e.routeError("warning: %s does not contain required field %s\n", path, mf.Field)
		return 1
	}
	// net-tools stops reading silently on a read error; say what happened instead.
	e.routePerror(path, err)
	return 1
}

// inetCache is rprint_cache: /proc/net/rt_cache.
func (e *env) inetCache(ctx context.Context, o routeOptions) int {
	begun := false
	err := e.tables().RouteCache(ctx, func(info source.RouteCacheInfo) {
		begun = true
		o.out.cacheTitle()
		if info.Layout == netstat.RouteCacheUnknown {
			o.out.notice(fmt.Sprintf("ERROR: proc_guess_fmt(/proc/net/rt_cache,... returned: %d\n", info.Guess))
		}
		o.out.beginCache(info.Layout)
	}, o.out.cache)
	if source.IsOpen(err) {
		e.routePerror("/proc/net/rt_cache", err)
		o.out.notice("INET (IPv4) not configured in this system.\n")
		return 1
	}
	if !begun {
		// proc_guess_fmt failed: net-tools calls perror with whatever errno holds (a
		// failed lookup during its start-up left ENOENT there) and exits.
		o.out.cacheTitle()
		if errors.Is(err, source.ErrMissingHeader) {
			e.routeError("/proc/net/rt_cache: No such file or directory\n")
		} else {
			e.routePerror("/proc/net/rt_cache", err)
		}
		return -1
	}
	var mf *source.MissingFieldError
	if errors.As(err, &mf) {
		// Unlike rprint_fib, rprint_cache carries on after proc_gen_fmt's warning (and
		// crashes on the first data line; here there are no rows).
		e.routeError("warning: /proc/net/rt_cache does not contain required field %s\n", mf.Field)
		return 0
	}
	return e.routeScanStatus("/proc/net/rt_cache", err)
}

// inet6Routes is rprint_fib6: /proc/net/ipv6_route, showing the lines with RTF_CACHE
// when cache is set and the others when not.
func (e *env) inet6Routes(ctx context.Context, o routeOptions, cache bool) int {
	begun := false
	err := e.tables().IPv6Routes(ctx, cache, func(rt *netstat.IPv6Route) error {
		if !begun {
			o.out.beginIPv6(cache)
			begun = true
		}
		return o.out.ipv6(rt)
	})
	if source.IsOpen(err) {
		e.routePerror("/proc/net/ipv6_route", err)
		o.out.notice("INET6 (IPv6) not configured in this system.\n")
		return 1
	}
	if !begun {
		o.out.beginIPv6(cache)
	}
	return e.routeScanStatus("/proc/net/ipv6_route", err)
}

// legacyRoutes covers the families whose routing files no current kernel has without
// an extra module (IPX since 4.18 not at all). Each prints net-tools' messages for a
// file it cannot open; printing the tables themselves is not implemented.
func (e *env) legacyRoutes(fam string, out routeOut) int {
	open := func(name string) error {
		f, err := e.proc.Open(name)
		if err == nil {
			f.Close()
		}
		return err
	}
	unsupported := func(path string) int {
		e.routeError("netstat: showing %s is not supported by this netstat.\n", path)
		return 1
	}
	switch fam {
	case "ipx":
		if open("net/ipx/route") == nil {
			return unsupported("/proc/net/ipx/route")
		}
		err := open("net/ipx_route")
		if err == nil {
			return unsupported("/proc/net/ipx_route")
		}
		e.routePerror("", err)
		out.notice("IPX routing not in file /proc/net/ipx/route or /proc/net/ipx_route found.\n")
		return 1
	case "ax25":
		err := open("net/ax25_route")
		if err == nil {
			return unsupported("/proc/net/ax25_route")
		}
		e.routePerror("/proc/net/ax25_route", err)
		out.notice("AX.25 not configured in this system.\n")
		return 1
	case "ddp":
		err := open("net/atalk_route")
		if err == nil {
			return unsupported("/proc/net/atalk_route")
		}
		e.routeError("Error opening /proc/net/atalk_route: %s\nDDP (AppleTalk) not configured on this system.\n", textfmt.Strerror(err))
		return 1
	case "netrom":
		nodesErr, neighErr := open("net/nr_nodes"), open("net/nr_neigh")
		if nodesErr == nil && neighErr == nil {
			return unsupported("/proc/net/nr_nodes")
		}
		if nodesErr != nil {
			e.routePerror("/proc/net/nr_nodes", nodesErr)
		}
		if neighErr != nil {
			if nodesErr != nil {
				// net-tools' errno is clobbered by the first perror by then; its text
				// depends on where stderr goes ("Invalid argument" for a file).
				e.routeError("/proc/net/nr_neigh: Invalid argument\n")
			} else {
				e.routePerror("/proc/net/nr_neigh", neighErr)
			}
		}
		out.notice("NET/ROM not configured in this system.\n")
		return 1
	case "rose":
		err := open("net/rose_nodes")
		if err == nil {
			return unsupported("/proc/net/rose_nodes")
		}
		e.routePerror("/proc/net/rose_nodes", err)
		e.routeError("ROSE not configured in this system.\n")
		return 1
	case "x25":
		if open("net/x25/route") == nil {
			return unsupported("/proc/net/x25/route")
		}
		out.notice("X.25 not configured in this system.\n")
		return 1
	}
	return 1
}
