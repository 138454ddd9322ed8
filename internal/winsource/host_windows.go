//go:build windows

package winsource

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// IP Helper constants (iprtrmib.h, iphlpapi.h).
const (
	tcpTableOwnerPIDAll    = 5 // TCP_TABLE_OWNER_PID_ALL
	tcpTableOwnerModuleAll = 8 // TCP_TABLE_OWNER_MODULE_ALL
	udpTableOwnerPID       = 1 // UDP_TABLE_OWNER_PID
	udpTableOwnerModule    = 2 // UDP_TABLE_OWNER_MODULE
	ownerModuleInfoBasic   = 0 // TCPIP_OWNER_MODULE_INFO_BASIC
	filterInterfaceFlag    = 0x02
)

// Host reads the local Windows host through iphlpapi.dll. The procedures x/sys/windows
// does not wrap are loaded from the system directory when first called.
type Host struct {
	getExtendedTCPTable, getExtendedUDPTable *windows.LazyProc
	ownerTCP, ownerTCP6, ownerUDP, ownerUDP6 *windows.LazyProc
	ipStats, icmpStats, tcpStats, udpStats   *windows.LazyProc
}

// New returns a Host.
func New() *Host {
	dll := windows.NewLazySystemDLL("iphlpapi.dll")
	return &Host{
		getExtendedTCPTable: dll.NewProc("GetExtendedTcpTable"),
		getExtendedUDPTable: dll.NewProc("GetExtendedUdpTable"),
		ownerTCP:            dll.NewProc("GetOwnerModuleFromTcpEntry"),
		ownerTCP6:           dll.NewProc("GetOwnerModuleFromTcp6Entry"),
		ownerUDP:            dll.NewProc("GetOwnerModuleFromUdpEntry"),
		ownerUDP6:           dll.NewProc("GetOwnerModuleFromUdp6Entry"),
		ipStats:             dll.NewProc("GetIpStatisticsEx"),
		icmpStats:           dll.NewProc("GetIcmpStatisticsEx"),
		tcpStats:            dll.NewProc("GetTcpStatisticsEx"),
		udpStats:            dll.NewProc("GetUdpStatisticsEx"),
	}
}

var _ Source = (*Host)(nil)
var _ source.Source = (*Host)(nil)

// alignedBuffer returns n bytes backed by uint64s, so that rows holding a LARGE_INTEGER
// are 8-byte aligned as the API expects.
func alignedBuffer(n uint32) []byte {
	words := make([]uint64, (n+7)/8)
	return unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(words)*8)[:n]
}

// table calls GetExtendedTcpTable or GetExtendedUdpTable until the buffer is large
// enough (the table may grow between the calls).
func table(proc *windows.LazyProc, family uint16, class uint32) ([]byte, error) {
	if err := proc.Find(); err != nil {
		return nil, fmt.Errorf("%s: %w", proc.Name, err)
	}
	size := uint32(0)
	for try := 0; try < 8; try++ {
		var buf []byte
		var p uintptr
		if size > 0 {
			buf = alignedBuffer(size)
			p = uintptr(unsafe.Pointer(&buf[0]))
		}
		rc, _, _ := proc.Call(p, uintptr(unsafe.Pointer(&size)), 1, uintptr(family), uintptr(class), 0)
		switch windows.Errno(rc) {
		case windows.ERROR_SUCCESS:
			if buf == nil {
				return []byte{0, 0, 0, 0}, nil
			}
			return buf[:size], nil
		case windows.ERROR_INSUFFICIENT_BUFFER:
			size += 4096
			continue
		default:
			return nil, fmt.Errorf("%s: %w", proc.Name, windows.Errno(rc))
		}
	}
	return nil, fmt.Errorf("%s: the table kept growing", proc.Name)
}

// Snapshot implements source.Source.
func (h *Host) Snapshot(ctx context.Context, q source.Query) (*netstat.Snapshot, error) {
	l, err := h.Listing(ctx, q, q.Extras&source.WithOwners != 0)
	if err != nil {
		return nil, err
	}
	return l.Snapshot, nil
}

// Listing implements Source: the TCP and UDP tables of both families (as q
// selects them), each socket's Inode a running number, Owners its PID. With modules
// the OWNER_MODULE tables are read and each socket's owner module is looked up.
func (h *Host) Listing(ctx context.Context, q source.Query, modules bool) (*Listing, error) {
	l := &Listing{
		Snapshot: &netstat.Snapshot{Taken: time.Now(), Owners: map[uint64][]netstat.Process{}},
		Modules:  map[uint64]Module{},
	}
	exes := map[uint32]string{}
	for _, t := range []struct {
		proto  netstat.Proto
		family netstat.Family
	}{{netstat.TCP, netstat.IPv4}, {netstat.TCP, netstat.IPv6}, {netstat.UDP, netstat.IPv4}, {netstat.UDP, netstat.IPv6}} {
		if !wants(q, t.proto, t.family) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		af := uint16(windows.AF_INET)
		if t.family == netstat.IPv6 {
			af = windows.AF_INET6
		}
		proc, class, owner := h.getExtendedTCPTable, uint32(tcpTableOwnerPIDAll), h.ownerTCP
		if modules {
			class = tcpTableOwnerModuleAll
		}
		if t.proto == netstat.UDP {
			proc, class, owner = h.getExtendedUDPTable, udpTableOwnerPID, h.ownerUDP
			if modules {
				class = udpTableOwnerModule
			}
		}
		if t.family == netstat.IPv6 {
			owner = h.ownerTCP6
			if t.proto == netstat.UDP {
				owner = h.ownerUDP6
			}
		}
		buf, err := table(proc, af, class)
		if err != nil {
			return nil, err
		}
		rows, err := DecodeTable(buf, Layout{Proto: t.proto, Family: t.family, Module: modules})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", proc.Name, err)
		}
		for _, r := range rows {
			s := r.Socket
			if q.States != 0 && s.Proto == netstat.TCP && !q.States.Has(s.State) {
				continue
			}
			if q.Filter != nil && !q.Filter.Match(&s) {
				continue
			}
			s.Inode = uint64(len(l.Snapshot.Inet) + 1)
			l.Snapshot.Inet = append(l.Snapshot.Inet, s)
			l.Snapshot.Owners[s.Inode] = []netstat.Process{{PID: int(r.PID)}}
			if modules && r.PID != 0 {
				if m, ok := h.module(owner, buf[r.Offset:], r.PID, exes); ok {
					l.Modules[s.Inode] = m
				}
			}
		}
	}
	return l, nil
}

func wants(q source.Query, p netstat.Proto, f netstat.Family) bool {
	okP := len(q.Protos) == 0
	for _, x := range q.Protos {
		okP = okP || x == p
	}
	okF := len(q.Families) == 0
	for _, x := range q.Families {
		okF = okF || x == f
	}
	return okP && okF && !q.NoInet
}

// module looks up -b's owner of the row at row[0]: the executable from the process
// image name, and a service name when the owner module GetOwnerModuleFrom*Entry
// reports is not the executable itself (a service in a shared host process).
func (h *Host) module(proc *windows.LazyProc, row []byte, pid uint32, exes map[uint32]string) (Module, bool) {
	exe, ok := exes[pid]
	if !ok {
		exe = imageName(pid)
		exes[pid] = exe
	}
	if exe == "" {
		return Module{}, false
	}
	m := Module{Exe: exe}
	if name := ownerModuleName(proc, row); name != "" && !strings.EqualFold(name, exe) {
		m.Service = name
	}
	return m, true
}

// imageName returns the base name of the process's executable, "" when the process
// cannot be opened (System, protected processes, processes gone).
func imageName(pid uint32) string {
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(p)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(p, 0, &buf[0], &n); err != nil {
		return ""
	}
	path := windows.UTF16ToString(buf[:n])
	return path[strings.LastIndexByte(path, '\\')+1:]
}

// ownerModuleName calls GetOwnerModuleFrom*Entry for the row at row[0] and returns the
// module name of TCPIP_OWNER_MODULE_BASIC_INFO, "" when there is none.
func ownerModuleName(proc *windows.LazyProc, row []byte) string {
	if proc.Find() != nil {
		return ""
	}
	size := uint32(1024)
	for try := 0; try < 4; try++ {
		buf := alignedBuffer(size)
		rc, _, _ := proc.Call(uintptr(unsafe.Pointer(&row[0])), ownerModuleInfoBasic,
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)))
		switch windows.Errno(rc) {
		case windows.ERROR_SUCCESS:
			name := *(**uint16)(unsafe.Pointer(&buf[0]))
			return windows.UTF16PtrToString(name)
		case windows.ERROR_INSUFFICIENT_BUFFER:
			continue
		default:
			return ""
		}
	}
	return ""
}

// Counters implements source.CounterSource with Get{Ip,Icmp,Tcp,Udp}StatisticsEx for
// both families.
func (h *Host) Counters(ctx context.Context) (*source.Counters, error) {
	var st [2]Stats
	var errs []error
	for i, af := range []uintptr{windows.AF_INET, windows.AF_INET6} {
		call := func(proc *windows.LazyProc, n int) []uint32 {
			v := make([]uint32, n)
			if err := proc.Find(); err != nil {
				errs = append(errs, err)
				return nil
			}
			if rc, _, _ := proc.Call(uintptr(unsafe.Pointer(&v[0])), af); rc != 0 {
				errs = append(errs, fmt.Errorf("%s: %w", proc.Name, windows.Errno(rc)))
				return nil
			}
			return v
		}
		st[i] = Stats{
			IP:   call(h.ipStats, len(IPStatsNames)),
			ICMP: call(h.icmpStats, ICMPStatsDWORDs),
			TCP:  call(h.tcpStats, len(TCPStatsNames)),
			UDP:  call(h.udpStats, len(UDPStatsNames)),
		}
	}
	if st[0].IP == nil && st[0].TCP == nil {
		return nil, errors.Join(errs...)
	}
	return BuildCounters(st[0], st[1]), nil
}

// Ethernet implements Source: GetIfTable2Ex's counters summed over every
// interface that is not an NDIS filter (whose traffic its miniport counts already).
func (h *Host) Ethernet(ctx context.Context) (*EthernetStats, error) {
	var t *windows.MibIfTable2
	if err := windows.GetIfTable2Ex(windows.MibIfTableNormal, &t); err != nil {
		return nil, fmt.Errorf("GetIfTable2Ex: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(t))
	var e EthernetStats
	for _, r := range unsafe.Slice(&t.Table[0], t.NumEntries) {
		if r.InterfaceAndOperStatusFlags&filterInterfaceFlag != 0 {
			continue
		}
		e.RecvBytes += r.InOctets
		e.SentBytes += r.OutOctets
		e.RecvUnicast += r.InUcastPkts
		e.SentUnicast += r.OutUcastPkts
		e.RecvNonUnicast += r.InNUcastPkts
		e.SentNonUnicast += r.OutNUcastPkts
		e.RecvDiscards += r.InDiscards
		e.SentDiscards += r.OutDiscards
		e.RecvErrors += r.InErrors
		e.SentErrors += r.OutErrors
		e.RecvUnknownProtos += r.InUnknownProtos
	}
	return &e, nil
}

// Routes implements Source: interfaces from GetAdaptersAddresses, routes from
// GetIpForwardTable2, persistent IPv4 routes from the registry.
func (h *Host) Routes(ctx context.Context) (*RouteTable, error) {
	ifs, err := adapters()
	if err != nil {
		return nil, err
	}
	v4, err := forwardTable(windows.AF_INET)
	if err != nil {
		return nil, err
	}
	v6, err := forwardTable(windows.AF_INET6)
	if err != nil {
		return nil, err
	}
	return BuildRoutes(ifs, v4, v6, persistentRoutes()), nil
}

func adapters() ([]Interface, error) {
	size := uint32(16 << 10)
	for try := 0; try < 4; try++ {
		buf := alignedBuffer(size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, windows.GAA_FLAG_INCLUDE_ALL_INTERFACES, 0, first, &size)
		if errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("GetAdaptersAddresses: %w", err)
		}
		var ifs []Interface
		for a := first; a != nil; a = a.Next {
			ifc := Interface{
				Index:       a.IfIndex,
				HWAddr:      append([]byte(nil), a.PhysicalAddress[:a.PhysicalAddressLength]...),
				Description: windows.UTF16PtrToString(a.Description),
				Loopback:    a.IfType == windows.IF_TYPE_SOFTWARE_LOOPBACK,
				Metric4:     a.Ipv4Metric,
				Metric6:     a.Ipv6Metric,
			}
			if ifc.Index == 0 {
				ifc.Index = a.Ipv6IfIndex
			}
			for u := a.FirstUnicastAddress; u != nil; u = u.Next {
				if ip, ok := netip.AddrFromSlice(u.Address.IP()); ok && ip.Unmap().Is4() {
					ifc.IPv4 = append(ifc.IPv4, ip.Unmap())
				}
			}
			ifs = append(ifs, ifc)
		}
		return ifs, nil
	}
	return nil, errors.New("GetAdaptersAddresses: the list kept growing")
}

// sockaddrInet converts a SOCKADDR_INET.
func sockaddrInet(sa *windows.RawSockaddrInet) netip.Addr {
	switch sa.Family {
	case windows.AF_INET:
		sa4 := (*windows.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrFrom4(sa4.Addr)
	case windows.AF_INET6:
		sa6 := (*windows.RawSockaddrInet6)(unsafe.Pointer(sa))
		return netip.AddrFrom16(sa6.Addr)
	}
	return netip.Addr{}
}

func forwardTable(family uint16) ([]Route, error) {
	var t *windows.MibIpForwardTable2
	if err := windows.GetIpForwardTable2(family, &t); err != nil {
		return nil, fmt.Errorf("GetIpForwardTable2: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(t))
	var rs []Route
	for _, r := range t.Rows() {
		dst := sockaddrInet(&r.DestinationPrefix.Prefix)
		if !dst.IsValid() {
			continue
		}
		p, err := dst.Prefix(int(r.DestinationPrefix.PrefixLength))
		if err != nil {
			continue
		}
		rs = append(rs, Route{IfIndex: r.InterfaceIndex, Destination: p, NextHop: sockaddrInet(&r.NextHop), Metric: r.Metric})
	}
	return rs, nil
}

// persistentRoutes reads `route -p` routes from the registry; none when the key is
// absent or unreadable.
func persistentRoutes() []IPv4Route {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\PersistentRoutes`, registry.QUERY_VALUE)
	if err != nil {
		return nil
	}
	defer k.Close()
	names, err := k.ReadValueNames(-1)
	if err != nil {
		return nil
	}
	var rs []IPv4Route
	for _, n := range names {
		if r, ok := ParsePersistentRoute(n); ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// Elevated implements Source.
func (h *Host) Elevated() bool { return windows.GetCurrentProcessToken().IsElevated() }
