// Package packet decodes the link, IP and TCP headers of one captured packet into a
// Segment. It is a pure decoder over bytes: it never keeps the input beyond the
// returned Segment's Payload (a sub-slice the caller must copy to keep), never panics,
// and wraps ErrMalformed for packets it cannot read.
package packet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// ErrMalformed is wrapped by every error for a packet too short or inconsistent to
// decode.
var ErrMalformed = errors.New("malformed packet")

// ErrNotTCP is returned for a well-formed packet that carries no TCP segment we
// decode (ARP, UDP, an IP fragment other than the first, ...).
var ErrNotTCP = errors.New("not a TCP segment")

// LinkType is a pcap LINKTYPE_ value: how a captured packet begins.
type LinkType uint32

// The link types a capture may produce.
const (
	LinkNull      LinkType = 0   // BSD loopback: 4-byte host-order address family
	LinkEthernet  LinkType = 1   // Ethernet II (Linux loopback too)
	LinkRaw       LinkType = 101 // bare IPv4 or IPv6 (what a SOCK_DGRAM packet socket gives)
	LinkLinuxSLL  LinkType = 113 // Linux cooked capture v1 (tcpdump -i any)
	LinkLinuxSLL2 LinkType = 276 // Linux cooked capture v2
	LinkIPv4      LinkType = 228
	LinkIPv6      LinkType = 229
)

// TCP flags.
const (
	FlagFIN = 0x01
	FlagSYN = 0x02
	FlagRST = 0x04
	FlagPSH = 0x08
	FlagACK = 0x10
)

// Segment is the part of a TCP/IP packet the recipes use.
type Segment struct {
	Src, Dst netip.AddrPort
	Seq, Ack uint32
	Flags    uint8
	// IPLen is the IP packet's length (header plus payload) as the IP header states it.
	IPLen int
	// Payload is the TCP payload: a sub-slice of the decoded packet.
	Payload []byte
}

// SYN reports a connection request: SYN without ACK.
func (s *Segment) SYN() bool { return s.Flags&(FlagSYN|FlagACK) == FlagSYN }

// Decode reads one packet of link type lt into s.
func Decode(lt LinkType, b []byte, s *Segment) error {
	switch lt {
	case LinkEthernet:
		if len(b) < 14 {
			return fmt.Errorf("%w: ethernet header of %d bytes", ErrMalformed, len(b))
		}
		et := binary.BigEndian.Uint16(b[12:])
		b = b[14:]
		for et == 0x8100 || et == 0x88a8 { // VLAN tags
			if len(b) < 4 {
				return fmt.Errorf("%w: VLAN tag cut short", ErrMalformed)
			}
			et = binary.BigEndian.Uint16(b[2:])
			b = b[4:]
		}
		return decodeEtherType(et, b, s)
	case LinkLinuxSLL:
		if len(b) < 16 {
			return fmt.Errorf("%w: cooked header of %d bytes", ErrMalformed, len(b))
		}
		return decodeEtherType(binary.BigEndian.Uint16(b[14:]), b[16:], s)
	case LinkLinuxSLL2:
		if len(b) < 20 {
			return fmt.Errorf("%w: cooked v2 header of %d bytes", ErrMalformed, len(b))
		}
		return decodeEtherType(binary.BigEndian.Uint16(b[0:]), b[20:], s)
	case LinkNull:
		if len(b) < 4 {
			return fmt.Errorf("%w: loopback header of %d bytes", ErrMalformed, len(b))
		}
		return decodeIP(b[4:], s)
	case LinkRaw, LinkIPv4, LinkIPv6:
		return decodeIP(b, s)
	}
	return fmt.Errorf("link type %d: %w", lt, errors.ErrUnsupported)
}

func decodeEtherType(et uint16, b []byte, s *Segment) error {
	switch et {
	case 0x0800:
		return decodeIPv4(b, s)
	case 0x86dd:
		return decodeIPv6(b, s)
	}
	return ErrNotTCP
}

func decodeIP(b []byte, s *Segment) error {
	if len(b) < 1 {
		return fmt.Errorf("%w: empty IP packet", ErrMalformed)
	}
	switch b[0] >> 4 {
	case 4:
		return decodeIPv4(b, s)
	case 6:
		return decodeIPv6(b, s)
	}
	return fmt.Errorf("%w: IP version %d", ErrMalformed, b[0]>>4)
}

func decodeIPv4(b []byte, s *Segment) error {
	if len(b) < 20 {
		return fmt.Errorf("%w: IPv4 header of %d bytes", ErrMalformed, len(b))
	}
	if b[0]>>4 != 4 {
		return fmt.Errorf("%w: IPv4 header with version %d", ErrMalformed, b[0]>>4)
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	if ihl < 20 || total < ihl || len(b) < ihl {
		return fmt.Errorf("%w: IPv4 header length %d, total length %d, %d bytes", ErrMalformed, ihl, total, len(b))
	}
	if b[9] != 6 {
		return ErrNotTCP
	}
	if binary.BigEndian.Uint16(b[6:])&0x1fff != 0 {
		return ErrNotTCP // a later fragment: no TCP header
	}
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	s.IPLen = total
	// A capture may carry Ethernet padding past the IP packet, or be cut short by
	// the snap length: the payload ends at the smaller of the two.
	end := min(total, len(b))
	return decodeTCP(b[ihl:end], src, dst, s)
}

func decodeIPv6(b []byte, s *Segment) error {
	if len(b) < 40 {
		return fmt.Errorf("%w: IPv6 header of %d bytes", ErrMalformed, len(b))
	}
	if b[0]>>4 != 6 {
		return fmt.Errorf("%w: IPv6 header with version %d", ErrMalformed, b[0]>>4)
	}
	plen := int(binary.BigEndian.Uint16(b[4:]))
	next := b[6]
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	s.IPLen = 40 + plen
	b = b[40:min(40+plen, len(b))]
	// Walk the extension headers that may precede TCP.
	for {
		switch next {
		case 6:
			return decodeTCP(b, src, dst, s)
		case 0, 43, 60: // hop-by-hop, routing, destination options
			if len(b) < 8 {
				return fmt.Errorf("%w: IPv6 extension header cut short", ErrMalformed)
			}
			n := (int(b[1]) + 1) * 8
			if len(b) < n {
				return fmt.Errorf("%w: IPv6 extension header of %d bytes, %d left", ErrMalformed, n, len(b))
			}
			next, b = b[0], b[n:]
		case 44: // fragment
			if len(b) < 8 {
				return fmt.Errorf("%w: IPv6 fragment header cut short", ErrMalformed)
			}
			if binary.BigEndian.Uint16(b[2:])&0xfff8 != 0 {
				return ErrNotTCP
			}
			next, b = b[0], b[8:]
		default:
			return ErrNotTCP
		}
	}
}

func decodeTCP(b []byte, src, dst netip.Addr, s *Segment) error {
	if len(b) < 20 {
		return fmt.Errorf("%w: TCP header of %d bytes", ErrMalformed, len(b))
	}
	off := int(b[12]>>4) * 4
	if off < 20 || off > len(b) {
		return fmt.Errorf("%w: TCP data offset %d in %d bytes", ErrMalformed, off, len(b))
	}
	s.Src = netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:]))
	s.Dst = netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:]))
	s.Seq = binary.BigEndian.Uint32(b[4:])
	s.Ack = binary.BigEndian.Uint32(b[8:])
	s.Flags = b[13]
	s.Payload = b[off:]
	return nil
}
