//go:build linux

package system

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/netstat"
)

// IfaceSocket is the live netstat.IfaceSource: the SIOCGIF* ioctls net-tools issues,
// on an AF_INET datagram socket of the current network namespace.
type IfaceSocket struct {
	fd int
}

var _ netstat.IfaceSource = (*IfaceSocket)(nil)

// OpenIfaceSocket opens the AF_INET datagram socket. The error wraps the errno of
// socket(2).
func OpenIfaceSocket() (*IfaceSocket, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	return &IfaceSocket{fd: fd}, nil
}

// Close closes the socket.
func (s *IfaceSocket) Close() error { return unix.Close(s.fd) }

// wordSize is sizeof(unsigned long) and sizeof(void *).
const wordSize = int(unsafe.Sizeof(uintptr(0)))

// ifmapSize is sizeof(struct ifmap): two unsigned longs, a short and three chars,
// padded to the alignment of unsigned long.
const ifmapSize = (2*wordSize + 5 + wordSize - 1) / wordSize * wordSize

// ifreqSize is sizeof(struct ifreq): the name and the largest union member.
const ifreqSize = unix.IFNAMSIZ + max(16, ifmapSize)

// ifreq is a struct ifreq as bytes; u returns its union.
type ifreq [ifreqSize]byte

func (r *ifreq) u() []byte { return r[unix.IFNAMSIZ:] }

// setName stores name like safe_strncpy(ifr_name, name, IFNAMSIZ), leaving the union
// untouched (net-tools reuses one request for all its ioctls).
func (r *ifreq) setName(name string) {
	clear(r[:unix.IFNAMSIZ])
	copy(r[:unix.IFNAMSIZ-1], name)
}

func (s *IfaceSocket) ioctl(req uint, r *ifreq) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(s.fd), uintptr(req), uintptr(unsafe.Pointer(r)))
	if e != 0 {
		return e
	}
	return nil
}

// SLIP driver ioctls (linux/if_slip.h).
const (
	siocGKeepalive = unix.SIOCDEVPRIVATE + 1
	siocGOutfill   = unix.SIOCDEVPRIVATE + 3
)

// Fetch issues net-tools' if_fetch ioctls for name, in its order, on one request
// buffer. Only a failing SIOCGIFFLAGS is an error (wrapping the errno); the other
// ioctls fall back as net-tools does: no hardware address (and the type read back
// from the flags), MTU 0, a zero map, txqueuelen -1, no IPv4 address, "[NONE SET]"
// for a failed netmask, broadcast or destination.
func (s *IfaceSocket) Fetch(name string) (netstat.Interface, error) {
	ifc := netstat.Interface{Name: name, TxQueueLen: -1}
	var r ifreq
	ne := binary.NativeEndian

	r.setName(name)
	if err := s.ioctl(unix.SIOCGIFFLAGS, &r); err != nil {
		return ifc, fmt.Errorf("SIOCGIFFLAGS %q: %w", name, err)
	}
	ifc.Flags = netstat.IfaceFlags(ne.Uint16(r.u()))

	r.setName(name)
	if s.ioctl(unix.SIOCGIFHWADDR, &r) == nil {
		copy(ifc.HWAddr[:], r.u()[2:])
	}
	ifc.HWType = netstat.HWType(ne.Uint16(r.u()))

	r.setName(name)
	if s.ioctl(unix.SIOCGIFMTU, &r) == nil {
		ifc.MTU = int32(ne.Uint32(r.u()))
	}

	if ifc.HWType.IsSLIP() {
		r.setName(name)
		if s.ioctl(siocGOutfill, &r) == nil {
			ifc.Outfill = int32(word(r.u()))
		}
		r.setName(name)
		if s.ioctl(siocGKeepalive, &r) == nil {
			ifc.Keepalive = int32(word(r.u()))
		}
	}

	r.setName(name)
	if s.ioctl(unix.SIOCGIFMAP, &r) == nil {
		u := r.u()
		ifc.Map = netstat.IfaceMap{
			MemStart: word(u),
			MemEnd:   word(u[wordSize:]),
			BaseAddr: ne.Uint16(u[2*wordSize:]),
			IRQ:      u[2*wordSize+2],
			DMA:      u[2*wordSize+3],
			Port:     u[2*wordSize+4],
		}
	}

	r.setName(name)
	if s.ioctl(unix.SIOCGIFTXQLEN, &r) == nil {
		ifc.TxQueueLen = int32(ne.Uint32(r.u()))
	}

	r.setName(name)
	ne.PutUint16(r.u(), unix.AF_INET)
	if addr, ok := s.inetAddr(unix.SIOCGIFADDR, &r, name); ok {
		ifc.HasIPv4 = true
		ifc.Addr = addr
		ifc.Destination, _ = s.inetAddr(unix.SIOCGIFDSTADDR, &r, name)
		ifc.Broadcast, _ = s.inetAddr(unix.SIOCGIFBRDADDR, &r, name)
		ifc.Netmask, _ = s.inetAddr(unix.SIOCGIFNETMASK, &r, name)
	}
	return ifc, nil
}

// inetAddr issues one SIOCGIF*ADDR ioctl and decodes its sockaddr_in. A result whose
// family is not AF_INET counts as not set.
func (s *IfaceSocket) inetAddr(req uint, r *ifreq, name string) (netip.Addr, bool) {
	r.setName(name)
	if s.ioctl(req, r) != nil {
		return netip.Addr{}, false
	}
	u := r.u()
	if binary.NativeEndian.Uint16(u) != unix.AF_INET {
		return netip.Addr{}, true
	}
	return netip.AddrFrom4([4]byte(u[4:8])), true
}

// word reads an unsigned long.
func word(b []byte) uint64 {
	if wordSize == 8 {
		return binary.NativeEndian.Uint64(b)
	}
	return uint64(binary.NativeEndian.Uint32(b))
}

// ifconf is struct ifconf.
type ifconf struct {
	len int32
	buf unsafe.Pointer
}

// ConfNames returns the names SIOCGIFCONF lists, growing the buffer as net-tools
// does (30 requests, doubled while the kernel fills it completely).
func (s *IfaceSocket) ConfNames() ([]string, error) {
	for n := 30; ; n *= 2 {
		buf := make([]byte, n*ifreqSize)
		c := ifconf{len: int32(len(buf)), buf: unsafe.Pointer(&buf[0])}
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(s.fd), unix.SIOCGIFCONF, uintptr(unsafe.Pointer(&c)))
		runtime.KeepAlive(buf)
		if e != 0 {
			return nil, fmt.Errorf("SIOCGIFCONF: %w", e)
		}
		if int(c.len) == len(buf) && n < 1<<20 {
			continue
		}
		var names []string
		for off := 0; off+ifreqSize <= int(c.len); off += ifreqSize {
			nm := buf[off : off+unix.IFNAMSIZ]
			for i, ch := range nm {
				if ch == 0 {
					nm = nm[:i]
					break
				}
			}
			names = append(names, string(nm))
		}
		return names, nil
	}
}
