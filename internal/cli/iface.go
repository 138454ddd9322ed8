package cli

import (
	"errors"
	"net/netip"
	"syscall"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/system"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// runInterfaces is one iteration of -i: net-tools' iface_info with the live ioctl
// socket.
func (e *env) runInterfaces(c *Config) int {
	if e.ifaceSource != nil {
		return e.runInterfacesWith(c, e.ifaceSource)
	}
	return e.runInterfacesWith(c, openIfaceSocket)
}

func openIfaceSocket() (netstat.IfaceSource, error) {
	s, err := system.OpenIfaceSocket()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// runInterfacesWith prints the interface table from the source open returns and the
// /proc files of e.proc: the title once per run, the short header unless -e, then
// every interface that is up (all with -a), short or long (-e) format.
func (e *env) runInterfacesWith(c *Config, open func() (netstat.IfaceSource, error)) int {
	src, err := open()
	if err != nil {
		e.stdout.Flush()
		e.stderr.Write([]byte("No usable address families found.\nsocket: " + textfmt.Strerror(err) + "\n"))
		return 1
	}
	defer src.Close()
	var out ifaceOut = &textIfaces{e: e, long: c.Extend >= 2}
	if c.Ext.Format != "" {
		// netstat-go machine output (format_tables.go).
		m := e.newMachineIfaces(c)
		defer m.end()
		out = m
	}
	out.begin()

	list, err := e.readIfaceList(src)
	if err != nil {
		e.ifacePerror("missing interface information", err)
		return 1
	}

	var inet6 []netstat.Inet6Addr
	inet6Read := false
	for _, ent := range list {
		ifc, err := src.Fetch(ent.name)
		if err != nil {
			msg := textfmt.Strerror(err)
			if errors.Is(err, syscall.ENODEV) {
				msg = "Device not found"
			}
			e.stdout.Flush()
			e.stderr.Write([]byte(ent.name + ": error fetching interface information: " + msg + "\n"))
			e.ifacePerror("missing interface information", err)
			return 1
		}
		if ifc.Flags&netstat.IfUp == 0 && c.All == 0 {
			continue
		}
		ifc.Name = ent.name
		ifc.Stats = ent.stats
		if out.wantsInet6() {
			if !inet6Read {
				inet6, inet6Read = e.readIfInet6(), true
			}
			for _, a := range inet6 {
				if a.Device == ifc.Name {
					ifc.Inet6 = append(ifc.Inet6, a)
				}
			}
		}
		out.iface(&ifc)
	}
	return 0
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

// readIfaceList is net-tools' if_readlist: the /proc/net/dev names with their
// statistics, then the SIOCGIFCONF names, merged in nstrcmp order. It fails only
// when both sources failed; each failure is reported as net-tools reports it.
func (e *env) readIfaceList(src netstat.IfaceSource) (ifaceList, error) {
	var list ifaceList
	procErr := e.readProcNetDev(&list)
	names, confErr := src.ConfNames()
	if confErr != nil {
		e.ifacePerror("SIOCGIFCONF", confErr)
	}
	for _, n := range names {
		list.add(n)
	}
	if procErr != nil && confErr != nil {
		return nil, confErr
	}
	return list, nil
}

// readProcNetDev adds the interfaces of /proc/net/dev to list.
func (e *env) readProcNetDev(list *ifaceList) error {
	f, err := e.proc.Open("net/dev")
	if err != nil {
		e.stdout.Flush()
		e.stderr.Write([]byte("Warning: cannot open /proc/net/dev (" + textfmt.Strerror(err) + "). Limited output.\n"))
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
		e.ifacePerror("/proc/net/dev", err)
		return err
	}
	return nil
}

// readIfInet6 reads /proc/net/if_inet6; without it there are no inet6 lines.
func (e *env) readIfInet6() []netstat.Inet6Addr {
	f, err := e.proc.Open("net/if_inet6")
	if err != nil {
		return nil
	}
	defer f.Close()
	recs, _ := procnet.ParseIfInet6(f)
	return recs
}
