package procnet

import (
	"bytes"
	"encoding/binary"
	"io"
	"net/netip"
	"strconv"

	"github.com/netstat-go/netstat/netstat"
)

// igmp.go parses /proc/net/igmp (the kernel's igmp_mc_seq_show: a device line
// "Idx\tDevice    : Count Querier" per interface, then a TAB-led line per group) and
// holds GroupDecoder, which net-tools uses for /proc/net/igmp6 too (see igmp6.go).

// GroupDecoder reads /proc/net/igmp and /proc/net/igmp6 the way net-tools'
// igmp_do_one does, one function for both files that chooses the file's format from
// its first line. Like that function it keeps state between calls, and netstat -g -c
// depends on it: once a file's first line lacked "Device" (the igmp6 file has no
// header), every later line of either file is read with the IPv6 rules. So on the
// second and later iterations /proc/net/igmp yields warnings and rows built from the
// misread text; the address words the IPv6 rules do not reach come from the previous
// row, byte-swapped, as they do in net-tools (the stack slot is reused). Use one
// decoder per netstat run; the zero value is ready to use.
type GroupDecoder struct {
	igmp6  bool      // net-tools' static igmp6_flag: set, never cleared
	idx    bool      // static idx_flag: the IPv4 header starts with "Idx"
	device [16]byte  // static device buffer, a C string
	index  int32     // the last device line's interface index
	in6    [4]uint32 // the IPv6 address as four host-order words
}

// Scan reads one file (/proc/net/igmp or /proc/net/igmp6) and calls fn for each
// membership line, in file order. A line net-tools rejects is reported through warn
// ("warning, got bogus igmp line N." with N the 0-based line number, or the igmp6
// variant) and skipped. The *Membership is reused between calls.
func (d *GroupDecoder) Scan(r io.Reader, warn func(string), fn func(*netstat.Membership) error) error {
	lr := newCLineReader(r)
	var m netstat.Membership
	for lnr := 0; ; lnr++ {
		line, err := lr.next(infoLineSize)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		ok, bad := d.line(lnr, cString(line), &m)
		if bad != "" {
			if warn != nil {
				warn("warning, got bogus " + bad + " line " + strconv.Itoa(lnr) + ".")
			}
			continue
		}
		if ok {
			if err := fn(&m); err != nil {
				return err
			}
		}
	}
}

// line is igmp_do_one. It reports a membership in m, or the file kind ("igmp",
// "igmp6") of a rejected line, or neither (a header or device line).
func (d *GroupDecoder) line(lnr int, line []byte, m *netstat.Membership) (ok bool, bogus string) {
	if lnr == 0 {
		if !bytes.Contains(line, []byte("Device")) {
			d.igmp6 = true
		} else {
			d.idx = bytes.HasPrefix(line, []byte("Idx"))
			return false, ""
		}
	}
	if d.igmp6 {
		return d.line6(line, m)
	}
	return d.line4(line, m)
}

// line4 is the IPv4 part of igmp_do_one.
func (d *GroupDecoder) line4(line []byte, m *netstat.Membership) (bool, string) {
	s := cScan{b: line}
	if len(line) == 0 || line[0] != '\t' {
		// Device line: "%d\t%15c" (or "%15c" without the Idx column), cut at the last ':'.
		if d.idx {
			idx, status := s.cInt()
			if status != cDone {
				return false, "igmp"
			}
			s.space()
			if !d.setDevice(&s) {
				return false, "igmp"
			}
			d.index = idx
		} else if !d.setDevice(&s) {
			return false, "igmp"
		}
		dev := d.deviceString()
		if i := bytes.LastIndexByte(dev, ':'); i >= 0 {
			d.device[i] = 0
		}
		return false, ""
	}
	// Group line: "\t%8[0-9A-Fa-f] %d".
	s.space()
	hex, status := s.hexSet(8)
	if status != cDone {
		return false, "igmp"
	}
	users, status := s.cInt()
	if status != cDone {
		return false, "igmp"
	}
	v, _ := (&cScan{b: hex}).cHex(0)
	var a [4]byte
	binary.LittleEndian.PutUint32(a[:], v)
	*m = netstat.Membership{
		Family: netstat.IPv4,
		Iface:  d.iface(),
		Index:  d.index,
		Users:  users,
		Group:  netip.AddrFrom4(a),
	}
	return true, ""
}

// setDevice is "%15c" into the device buffer: what is read replaces the first bytes,
// the rest of the buffer stays.
func (d *GroupDecoder) setDevice(s *cScan) bool {
	v, status := s.chars(15)
	if status != cDone {
		return false
	}
	copy(d.device[:], v)
	return true
}

// deviceString is the device buffer as a C string.
func (d *GroupDecoder) deviceString() []byte {
	return cString(d.device[:])
}

// iface is the device name as printed; the kernel's padding blanks (invisible under
// "%-15s") are dropped.
func (d *GroupDecoder) iface() string {
	return string(bytes.TrimRight(d.deviceString(), " "))
}
