// Package winsource reads a Windows host through the IP Helper API (iphlpapi.dll) for
// netstat-go's Windows command line (internal/winnetstat): the TCP and UDP endpoint
// tables with their owning processes, the interface counters, the protocol
// statistics and the routing table.
//
// The decoders of the tables' bytes are pure and portable (this file), so they are
// tested and fuzzed on any OS; only the calls into Windows live in _windows.go files.
package winsource

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/netstat-go/netstat/netstat"
)

// ErrMalformed is wrapped by every decoding error: the table's bytes do not hold what
// its header claims.
var ErrMalformed = errors.New("malformed IP Helper table")

// Row is one endpoint of a TCP or UDP table.
type Row struct {
	Socket netstat.Socket
	PID    uint32
	// Offset is where the row starts in the table's bytes (GetOwnerModuleFrom*Entry
	// takes a pointer to it).
	Offset int
}

// Layout says how one table's rows are laid out (MIB_TCPROW_OWNER_PID,
// MIB_TCP6ROW_OWNER_MODULE, ...).
type Layout struct {
	Proto  netstat.Proto
	Family netstat.Family
	Module bool // an OWNER_MODULE table (rows carry a timestamp and module info)
}

// rowSize is the size of one row and the offset of the first (the row alignment
// after the 4-byte dwNumEntries: 8 for rows holding a LARGE_INTEGER).
func (l Layout) rowSize() (size, first int) {
	switch {
	case l.Proto == netstat.TCP && l.Family == netstat.IPv4 && !l.Module:
		return 24, 4 // MIB_TCPROW_OWNER_PID
	case l.Proto == netstat.TCP && l.Family == netstat.IPv4:
		return 160, 8 // MIB_TCPROW_OWNER_MODULE
	case l.Proto == netstat.TCP && !l.Module:
		return 56, 4 // MIB_TCP6ROW_OWNER_PID
	case l.Proto == netstat.TCP:
		return 192, 8 // MIB_TCP6ROW_OWNER_MODULE
	case l.Family == netstat.IPv4 && !l.Module:
		return 12, 4 // MIB_UDPROW_OWNER_PID
	case l.Family == netstat.IPv4:
		return 160, 8 // MIB_UDPROW_OWNER_MODULE
	case !l.Module:
		return 28, 4 // MIB_UDP6ROW_OWNER_PID
	}
	return 176, 8 // MIB_UDP6ROW_OWNER_MODULE
}

// mibStates maps MIB_TCP_STATE (1 CLOSED ... 12 DELETE_TCB) to the kernel numbering
// netstat.TCPState uses; DELETE_TCB becomes CLOSE.
var mibStates = [...]netstat.TCPState{
	1: netstat.Close, 2: netstat.Listen, 3: netstat.SynSent, 4: netstat.SynRecv,
	5: netstat.Established, 6: netstat.FinWait1, 7: netstat.FinWait2, 8: netstat.CloseWait,
	9: netstat.Closing, 10: netstat.LastAck, 11: netstat.TimeWait, 12: netstat.Close,
}

// MIBState converts a MIB_TCP_STATE value; false for values outside 1..12.
func MIBState(v uint32) (netstat.TCPState, bool) {
	if v == 0 || v >= uint32(len(mibStates)) {
		return 0, false
	}
	return mibStates[v], true
}

// DecodeTable decodes a table GetExtendedTcpTable or GetExtendedUdpTable filled in:
// a little-endian dwNumEntries, then the rows. Ports are in network byte order in the
// low 16 bits of their DWORD; the scope ids of link-local IPv6 addresses become
// their zone. UDP sockets
// get state CLOSE and a zero remote endpoint, as unconnected UDP sockets have on Linux.
func DecodeTable(b []byte, l Layout) ([]Row, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("%w: %d bytes, no entry count", ErrMalformed, len(b))
	}
	n := binary.LittleEndian.Uint32(b)
	size, first := l.rowSize()
	if uint64(first)+uint64(n)*uint64(size) > uint64(len(b)) {
		return nil, fmt.Errorf("%w: %d entries of %d bytes do not fit in %d bytes", ErrMalformed, n, size, len(b))
	}
	rows := make([]Row, 0, n)
	for i := 0; i < int(n); i++ {
		off := first + i*size
		r, err := decodeRow(b[off:off+size], l)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i, err)
		}
		r.Offset = off
		rows = append(rows, r)
	}
	return rows, nil
}

func u32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// port reads a DWORD holding a port in network byte order.
func port(b []byte, off int) uint16 { return binary.BigEndian.Uint16(b[off:]) }

func addr4(b []byte, off int) netip.Addr { return netip.AddrFrom4([4]byte(b[off : off+4])) }

func addr6(b []byte, off, scopeOff int) netip.Addr {
	a := netip.AddrFrom16([16]byte(b[off : off+16]))
	// Windows prints a scope id only on link-local addresses (fe80::...%9); Wine
	// reports one (4096) on ::1 as well.
	if scope := u32(b, scopeOff); scope != 0 && (a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast()) {
		a = a.WithZone(strconv.FormatUint(uint64(scope), 10))
	}
	return a
}

func decodeRow(b []byte, l Layout) (Row, error) {
	r := Row{Socket: netstat.Socket{Proto: l.Proto, Family: l.Family}}
	s := &r.Socket
	var mib uint32
	switch {
	case l.Proto == netstat.TCP && l.Family == netstat.IPv4:
		mib = u32(b, 0)
		s.Local = netip.AddrPortFrom(addr4(b, 4), port(b, 8))
		s.Remote = netip.AddrPortFrom(addr4(b, 12), port(b, 16))
		r.PID = u32(b, 20)
	case l.Proto == netstat.TCP:
		s.Local = netip.AddrPortFrom(addr6(b, 0, 16), port(b, 20))
		s.Remote = netip.AddrPortFrom(addr6(b, 24, 40), port(b, 44))
		mib = u32(b, 48)
		r.PID = u32(b, 52)
	case l.Family == netstat.IPv4:
		s.Local = netip.AddrPortFrom(addr4(b, 0), port(b, 4))
		s.Remote = netip.AddrPortFrom(netip.IPv4Unspecified(), 0)
		r.PID = u32(b, 8)
	default:
		s.Local = netip.AddrPortFrom(addr6(b, 0, 16), port(b, 20))
		s.Remote = netip.AddrPortFrom(netip.IPv6Unspecified(), 0)
		r.PID = u32(b, 24)
	}
	if l.Proto == netstat.TCP {
		st, ok := MIBState(mib)
		if !ok {
			return r, fmt.Errorf("%w: TCP state %d", ErrMalformed, mib)
		}
		s.State = netstat.TCPState(st)
	} else {
		s.State = netstat.Close
	}
	return r, nil
}
