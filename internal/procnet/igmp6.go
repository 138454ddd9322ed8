package procnet

import (
	"encoding/binary"
	"math/bits"
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// igmp6.go holds the IPv6 rules of GroupDecoder, for /proc/net/igmp6 (the kernel's
// igmp6_mc_seq_show: "%-4d %-15s %pi6 %5d %08X %ld", no header line).

// line6 is the IPv6 part of igmp_do_one: "%d %15s %64[0-9A-Fa-f] %d" must convert all
// four fields; the hex text is then read as four "%08X" words into the address.
func (d *GroupDecoder) line6(line []byte, m *netstat.Membership) (bool, string) {
	s := cScan{b: line}
	idx, status := s.cInt()
	if status != cDone {
		return false, "igmp6"
	}
	dev, status := s.str(15)
	if status != cDone {
		return false, "igmp6"
	}
	d.device[copy(d.device[:], dev)] = 0 // "%15s" stores at most 15 bytes and a NUL
	s.space()
	hex, status := s.hexSet(64)
	if status != cDone {
		return false, "igmp6"
	}
	users, status := s.cInt()
	if status != cDone {
		return false, "igmp6"
	}
	w := cScan{b: hex}
	for i := range d.in6 {
		v, status := w.cHex(8)
		if status != cDone {
			break
		}
		d.in6[i] = v
	}
	var a [16]byte
	for i := range d.in6 {
		// htonl on every word, including those sscanf did not reach.
		d.in6[i] = bits.ReverseBytes32(d.in6[i])
		binary.LittleEndian.PutUint32(a[4*i:], d.in6[i])
	}
	*m = netstat.Membership{
		Family: netstat.IPv6,
		Iface:  d.iface(),
		Index:  idx,
		Users:  users,
		Group:  netip.AddrFrom16(a),
	}
	return true, ""
}
