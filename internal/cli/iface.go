package cli

import (
	"context"
	"errors"
	"net/netip"
	"syscall"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// runInterfaces is one iteration of -i: net-tools' iface_info with the live ioctl
// socket (or e.ifaceSource).
func (e *env) runInterfaces(ctx context.Context, c *Config) int {
	return e.runInterfacesWith(ctx, c, e.tables())
}

// runInterfacesWith prints the interface table of tables: the title once per run, the
// short header unless -e, then every interface that is up (all with -a), short or
// long (-e) format.
func (e *env) runInterfacesWith(ctx context.Context, c *Config, tables source.TableSource) int {
	var out ifaceOut = &textIfaces{e: e, long: c.Extend >= 2}
	if c.Ext.Format != "" {
		// netstat-go machine output (format_tables.go).
		m := e.newMachineIfaces(c)
		defer m.end()
		out = m
	}
	q := source.IfaceQuery{All: c.All > 0, Inet6: out.wantsInet6(), Warn: e.ifaceWarning}
	err := tables.Interfaces(ctx, q, out.begin, func(ifc *netstat.Interface) error {
		out.iface(ifc)
		return nil
	})
	var te *source.TableError
	var fe *source.IfaceFetchError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &fe):
		msg := textfmt.Strerror(fe.Err)
		if errors.Is(fe.Err, syscall.ENODEV) {
			msg = "Device not found"
		}
		e.stdout.Flush()
		e.stderr.Write([]byte(fe.Name + ": error fetching interface information: " + msg + "\n"))
		e.ifacePerror("missing interface information", fe.Err)
	case errors.As(err, &te) && te.Path == "socket":
		e.stdout.Flush()
		e.stderr.Write([]byte("No usable address families found.\nsocket: " + textfmt.Strerror(te.Err) + "\n"))
	default:
		e.ifacePerror("missing interface information", cause(err))
	}
	return 1
}

// ifaceWarning reports what goes wrong while listing the interfaces as net-tools
// does, and carries on.
func (e *env) ifaceWarning(err error) {
	var te *source.TableError
	if !errors.As(err, &te) {
		e.ifacePerror("interfaces", err)
		return
	}
	if te.Op == source.OpOpen {
		e.stdout.Flush()
		e.stderr.Write([]byte("Warning: cannot open " + te.Path + " (" + textfmt.Strerror(te.Err) + "). Limited output.\n"))
		return
	}
	e.ifacePerror(te.Path, te.Err)
}

// ifaceOut receives the interface table: its start, then each interface shown.
type ifaceOut interface {
	begin()
	// wantsInet6 reports whether interfaces need their if_inet6 records.
	wantsInet6() bool
	iface(ifc *netstat.Interface)
}

// textIfaces prints the interface table as net-tools does: the title once per run,
// the short header unless -e, short rows or long (-e) blocks.
type textIfaces struct {
	e    *env
	long bool
	// lastInet6 is ife_print_long's uninitialised sockaddr: a record whose address
	// does not parse shows the last one that did, from any earlier block.
	lastInet6 netip.Addr
	buf       []byte
}

func (t *textIfaces) begin() {
	if !t.e.ifaceTitleDone {
		t.e.stdout.WriteString(textfmt.IfaceTitle)
		t.e.ifaceTitleDone = true
	}
	if !t.long {
		t.e.stdout.WriteString(textfmt.IfaceHeader)
	}
}

func (t *textIfaces) wantsInet6() bool { return t.long }

func (t *textIfaces) iface(ifc *netstat.Interface) {
	if t.long {
		for i := range ifc.Inet6 {
			if a := &ifc.Inet6[i]; a.Addr.IsValid() {
				t.lastInet6 = a.Addr
			} else {
				a.Addr = t.lastInet6
			}
		}
		t.buf = textfmt.AppendIfaceBlock(t.buf[:0], ifc)
	} else {
		t.buf = textfmt.AppendIfaceRow(t.buf[:0], ifc)
	}
	t.e.stdout.Write(t.buf)
}

// ifacePerror writes "prefix: <strerror>" to stderr like perror(3), after what stdout
// holds so far (the streams are compared separately; this keeps a terminal tidy).
func (e *env) ifacePerror(prefix string, err error) {
	e.stdout.Flush()
	e.stderr.Write([]byte(prefix + ": " + textfmt.Strerror(err) + "\n"))
}
